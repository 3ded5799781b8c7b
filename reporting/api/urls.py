from django.urls import path

from reporting.api.views import ReturnFileView, ReturnRunViewSet

urlpatterns = [
    path("returns/", ReturnRunViewSet.as_view({"get": "list", "post": "create"}), name="api-returns"),
    path("returns/<uuid:pk>/", ReturnRunViewSet.as_view({"get": "retrieve"}), name="api-return"),
    path("returns/<uuid:pk>/files/<str:name>", ReturnFileView.as_view(), name="api-return-file"),
]
