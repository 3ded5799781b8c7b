"""The home page: what needs the signed-in user's attention."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from casework.access import Permission, has_permission
from casework.home import home_page_for, home_sections_for


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
