"""Service navigation items per role. Other apps register their pages here as they arrive."""

from dataclasses import dataclass

from django.urls import reverse

from casework.access import Permission, has_permission


@dataclass(frozen=True)
class NavEntry:
    text: str
    url_name: str
    permission: Permission


NAV_ENTRIES: list[NavEntry] = [
    NavEntry("Home", "home", Permission.SERVICE_USE),
    NavEntry("Children", "child_search", Permission.CHILD_VIEW),
]


def navigation_for(user, current_path: str) -> list[dict]:
    items = []
    for entry in NAV_ENTRIES:
        if not has_permission(user, entry.permission):
            continue
        href = reverse(entry.url_name)
        active = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"text": entry.text, "href": href, "active": active})
    if has_permission(user, Permission.ADMIN_SITE):
        items.append({"text": "Administration", "href": reverse("admin:index"), "active": False})
    return items
