"""Who an alert reaches. Other apps (advocates) add recipients through ``extra_recipient_providers``."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from casework.access import visible_children
from casework.models import Role, User

# (child) -> iterable of users: e.g. the child's active allocated advocates.
extra_recipient_providers: list[Callable] = []

ACCOUNTABLE_ROLES = frozenset({Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.MISSING_COORDINATOR, Role.SERVICE_MANAGER})


@dataclass(frozen=True)
class Recipients:
    users: list[User]
    addresses: list[str]


def _active(qs):
    return qs.filter(is_active=True)


def team_managers(child) -> list[User]:
    team_ids = {child.team_id}
    if child.allocated_social_worker and child.allocated_social_worker.team_id:
        team_ids.add(child.allocated_social_worker.team_id)
    return list(
        _active(
            User.objects.filter(role=Role.TEAM_MANAGER, team_id__in=team_ids, organisation_id=child.organisation_id)
        )
    )


def host_authority_address(child) -> str:
    """The designated contact of another authority the child is placed in now, if any."""
    today = timezone.localdate()
    placement = (
        child.placements.filter(start_date__lte=today)
        .exclude(end_date__lt=today)
        .select_related("host_authority")
        .order_by("-start_date")
        .first()
    )
    host = placement.host_authority if placement else None
    if host is None or host.pk == child.organisation_id:
        return ""
    return host.designated_contact_email


def _unique(users, child) -> list[User]:
    """Active users, once each, who can see the child (a restricted record stays restricted; addresses such
    as the out-of-hours service still receive the minimum: initials and Child ID)."""
    seen, result = set(), []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        if visible_children(user).filter(pk=child.pk).exists():
            result.append(user)
    return result


def level_one(child, *, high: bool) -> Recipients:
    """High: worker, team managers, missing coordinators, advocates, host authority. Standard: worker + managers."""
    users = [child.allocated_social_worker, *team_managers(child)]
    addresses = []
    if high:
        users += list(
            _active(User.objects.filter(role=Role.MISSING_COORDINATOR, organisation_id=child.organisation_id))
        )
        for provider in extra_recipient_providers:
            users += list(provider(child))
        host = host_authority_address(child)
        if host:
            addresses.append(host)
    return Recipients(_unique(users, child), addresses)


def level_two(child) -> Recipients:
    return Recipients(
        _unique(_active(User.objects.filter(role=Role.SERVICE_MANAGER, organisation_id=child.organisation_id)), child),
        [],
    )


def level_three(child) -> Recipients:
    address = child.organisation.out_of_hours_email
    return Recipients([], [address] if address else [])
