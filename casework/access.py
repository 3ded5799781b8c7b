"""Every permission decision in the service is made here, and nowhere else.

A role grants permissions (``ROLE_PERMISSIONS``); a scope says which objects a user may reach at all.
Outside a user's scope an object does not exist (404 and absent from every list); inside it, a missing
permission is a 403. Selectors filter with the same scopes that ``can()`` checks, so a list and a detail
page can never disagree.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from casework.models import AccessGrant, Child, Role

if TYPE_CHECKING:
    from casework.models import User


class Permission(enum.StrEnum):
    SERVICE_USE = "service_use"
    ADMIN_SITE = "admin_site"
    STAFF_DIRECTORY_VIEW = "staff_directory_view"
    ACCESS_LOG_VIEW = "access_log_view"
    CHILD_VIEW = "child_view"
    CHILD_CREATE = "child_create"
    CHILD_EDIT = "child_edit"
    CHILD_RESTRICT = "child_restrict"
    EPISODE_REPORT = "episode_report"
    EPISODE_EDIT = "episode_edit"
    RISK_LOWER = "risk_lower"
    BOARD_VIEW = "board_view"
    ALERT_ACK = "alert_ack"
    ALERT_VIEW_ALL = "alert_view_all"
    ADVOCATE_ALLOCATE = "advocate_allocate"
    ADVOCATE_CONTACT_WRITE = "advocate_contact_write"
    RETURN_RUN = "return_run"
    DASHBOARD_VIEW = "dashboard_view"


P = Permission
_CASE_STAFF = {
    P.SERVICE_USE,
    P.CHILD_VIEW,
    P.CHILD_CREATE,
    P.CHILD_EDIT,
    P.EPISODE_REPORT,
    P.EPISODE_EDIT,
    P.BOARD_VIEW,
    P.ALERT_ACK,
    P.STAFF_DIRECTORY_VIEW,
}
_MANAGERS = _CASE_STAFF | {
    P.ACCESS_LOG_VIEW,
    P.CHILD_RESTRICT,
    P.RISK_LOWER,
    P.ALERT_VIEW_ALL,
    P.ADVOCATE_ALLOCATE,
    P.DASHBOARD_VIEW,
    P.RETURN_RUN,
}

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.SOCIAL_WORKER: frozenset(_CASE_STAFF),
    Role.TEAM_MANAGER: frozenset(_MANAGERS),
    Role.SERVICE_MANAGER: frozenset(_MANAGERS),
    Role.MISSING_COORDINATOR: frozenset(_CASE_STAFF | {P.ALERT_VIEW_ALL, P.DASHBOARD_VIEW}),
    Role.ADVOCATE: frozenset({P.SERVICE_USE, P.CHILD_VIEW, P.ALERT_ACK, P.ADVOCATE_CONTACT_WRITE}),
    Role.DATA_OFFICER: frozenset({P.SERVICE_USE, P.CHILD_VIEW, P.RETURN_RUN, P.DASHBOARD_VIEW, P.BOARD_VIEW}),
    Role.ADMIN: frozenset({P.SERVICE_USE, P.ADMIN_SITE, P.STAFF_DIRECTORY_VIEW}),
}

MANAGER_ROLES = frozenset({Role.TEAM_MANAGER, Role.SERVICE_MANAGER})


def permissions_for(user: User | Any) -> frozenset[Permission]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    perms = ROLE_PERMISSIONS.get(user.role, frozenset())
    if user.is_superuser:
        perms = perms | {P.ADMIN_SITE}
    return perms


def has_permission(user: User | Any, perm: Permission) -> bool:
    return perm in permissions_for(user)


def is_manager(user: User | Any) -> bool:
    return getattr(user, "role", None) in MANAGER_ROLES


# --- Scopes ---------------------------------------------------------------------------------------


def organisation_scope(user: User) -> Q:
    """Organisation-owned objects (teams, staff) a user may see: their own organisation only."""
    if not user.organisation_id:
        return Q(pk__in=[])
    return Q(organisation_id=user.organisation_id)


STAFF_ROLES = frozenset(
    {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.SERVICE_MANAGER, Role.MISSING_COORDINATOR, Role.DATA_OFFICER}
)


def child_scope(user: User) -> Q:
    """The children a user may find and open.

    Staff of the child's authority see its unrestricted children. A restricted child is visible only to
    the allocated social worker, the team managers of that worker's team, and users granted access.
    Advocates see only children with an active allocation to them. Everyone else sees nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    if user.role in STAFF_ROLES and user.organisation_id:
        open_to_me = Q(restricted=False) | Q(allocated_social_worker_id=user.pk)
        if user.role == Role.TEAM_MANAGER and user.team_id:
            open_to_me |= Q(allocated_social_worker__team_id=user.team_id)
        open_to_me |= Q(Exists(AccessGrant.objects.filter(child_id=OuterRef("pk"), user_id=user.pk)))
        return Q(organisation_id=user.organisation_id) & open_to_me
    if user.role == Role.ADVOCATE:
        return advocate_child_scope(user)
    return Q(pk__in=[])


def active_allocation_q(user: User, prefix: str = "") -> Q:
    """An allocation to ``user`` in force today: started, and not ended (access ends on the end date)."""
    today = timezone.localdate()
    return Q(**{f"{prefix}advocate_id": user.pk, f"{prefix}start_date__lte": today}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": today})
    )


def advocate_child_scope(user: User) -> Q:
    """Advocates reach children only through an active allocation to them (recorded by the advocates app)."""
    allocated = Child.objects.filter(active_allocation_q(user, "advocate_allocations__")).values("pk")
    return Q(pk__in=allocated)


# What each kind of user may see of a child's record. Advocates get only what advocacy needs.
STAFF_SECTIONS = frozenset(
    {
        "identity",
        "description",
        "trafficking",
        "uasc",
        "care_history",
        "placements",
        "pack_details",
        "missing",
        "alerts",
        "history",
        "advocates",
    }
)
ADVOCATE_SECTIONS = frozenset({"identity", "trafficking", "uasc", "placements", "missing", "alerts", "advocates"})


def child_sections(user: User) -> frozenset[str]:
    if getattr(user, "role", None) == Role.ADVOCATE:
        return ADVOCATE_SECTIONS
    if has_permission(user, Permission.CHILD_VIEW):
        return STAFF_SECTIONS | ({"access_log"} if has_permission(user, Permission.ACCESS_LOG_VIEW) else frozenset())
    return frozenset()


def visible_children(user: User):
    """Every list, search and detail lookup of children starts here."""
    return Child.objects.filter(child_scope(user))


def in_scope(user: User, obj: Any) -> bool:
    """Is ``obj`` inside ``user``'s scope? Objects outside it do not exist for the user (404)."""
    if isinstance(obj, Child):
        return visible_children(user).filter(pk=obj.pk).exists()
    child_id = getattr(obj, "child_id", None)
    if child_id is not None:
        return visible_children(user).filter(pk=child_id).exists()
    organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is not None:
        return organisation_id == user.organisation_id
    return False


def can(user: User | Any, perm: Permission, obj: Any = None) -> bool:
    """The one question every view, viewset, task and template flag asks."""
    if not has_permission(user, perm):
        return False
    return obj is None or in_scope(user, obj)
