from django.urls import path

from reporting import views

urlpatterns = [
    path("returns/", views.returns, name="returns"),
    path("returns/<uuid:run_id>/", views.return_detail, name="return_detail"),
    path("returns/<uuid:run_id>/files/<str:name>", views.return_file, name="return_file"),
]
