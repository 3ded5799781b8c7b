from django.contrib.auth.views import LogoutView
from django.urls import path

from casework import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/sign-in/", views.SignInView.as_view(), name="login"),
    path("account/sign-out/", LogoutView.as_view(), name="logout"),
    path("account/two-factor/", views.two_factor_view, name="two_factor"),
]
