from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from casework import two_factor
from casework.access import Permission, has_permission
from casework.forms import SignInForm, TwoFactorForm
from casework.home import home_page_for, home_sections_for


class SignInView(LoginView):
    form_class = SignInForm
    redirect_authenticated_user = True


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "casework/home.html",
        {
            "page": home_page_for(user),
            "sections": home_sections_for(request),
            "perms_view_children": has_permission(user, Permission.CHILD_VIEW),
            "perms_create_child": has_permission(user, Permission.CHILD_CREATE),
        },
    )


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
