"""Two-factor enforcement: when REQUIRE_TWO_FACTOR is on, listed roles must verify before using the service."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

_EXEMPT_PREFIXES = ("/account/", "/static/", "/api/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_TWO_FACTOR
            and user is not None
            and user.is_authenticated
            and user.role in settings.TWO_FACTOR_ROLES
            and not user.is_verified()
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            return redirect(reverse("two_factor"))
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user hold children's details: never cache them (shared council PCs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
        return response
