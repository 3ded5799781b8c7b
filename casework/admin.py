"""Support tooling for the admin role: organisations, teams and staff, with history. No case data."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from casework.access import Permission, has_permission
from casework.models import Organisation, Team, User


def _admin_site_allowed(request) -> bool:
    return request.user.is_active and request.user.is_staff and has_permission(request.user, Permission.ADMIN_SITE)


admin.site.has_permission = _admin_site_allowed


class ServiceAdminPermissions:
    """Only the admin role manages these; Django's per-model permissions are not used."""

    def has_module_permission(self, request):
        return _admin_site_allowed(request)

    def has_view_permission(self, request, obj=None):
        return _admin_site_allowed(request)

    def has_add_permission(self, request, *args):
        return _admin_site_allowed(request)

    def has_change_permission(self, request, obj=None):
        return _admin_site_allowed(request)

    def has_delete_permission(self, request, obj=None):
        return False  # switch accounts off instead; history must keep who did what


@admin.register(Organisation)
class OrganisationAdmin(ServiceAdminPermissions, SimpleHistoryAdmin):
    list_display = ["name", "kind", "la_code", "ons_code"]
    list_filter = ["kind"]
    search_fields = ["name", "la_code", "ons_code"]


@admin.register(Team)
class TeamAdmin(ServiceAdminPermissions, SimpleHistoryAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(ServiceAdminPermissions, DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "team", "is_active"]
    list_filter = ["role", "organisation", "is_active"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("organisation", "team", "role")}),
        ("Status", {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "organisation", "team", "role", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
