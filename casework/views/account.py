"""Signing in and two-factor verification."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from casework import two_factor
from casework.forms.account import SignInForm, TwoFactorForm


class SignInView(LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code, or set up an authenticator app the first time."""
    user = request.user
    if user.is_verified():
        return redirect(reverse("home"))
    device, is_new = two_factor.device_for(user)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request, device, form.cleaned_data["code"]):
            return redirect(reverse("home"))
        form.add_error("code", "The code is not right. Enter the 6-digit code your authenticator app shows now")
    context = {
        "form": form,
        "setting_up": is_new,
        "secret": two_factor.base32_secret(device) if is_new else "",
    }
    return render(request, "registration/two_factor.html", context)
