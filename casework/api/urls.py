from django.urls import path

from casework.api import views

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("users/me/", views.MeView.as_view(), name="api-me"),
]
