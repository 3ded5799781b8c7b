"""Navigation for the signed-in user. Templates receive items and booleans, never permission logic."""

from django.urls import reverse

from casework.access import Permission, has_permission
from casework.navigation import navigation_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {
        "nav_items": navigation_for(user, request.path),
        "can_use_admin": has_permission(user, Permission.ADMIN_SITE),
        "api_docs_url": reverse("api-docs"),
    }
