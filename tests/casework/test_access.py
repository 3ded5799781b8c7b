import pytest

from casework.access import Permission, can, has_permission, permissions_for
from casework.models import Role


@pytest.mark.parametrize(
    ("role", "permission", "expected"),
    [
        (Role.SOCIAL_WORKER, Permission.EPISODE_REPORT, True),
        (Role.SOCIAL_WORKER, Permission.ACCESS_LOG_VIEW, False),
        (Role.SOCIAL_WORKER, Permission.ADMIN_SITE, False),
        (Role.TEAM_MANAGER, Permission.ACCESS_LOG_VIEW, True),
        (Role.TEAM_MANAGER, Permission.RISK_LOWER, True),
        (Role.SERVICE_MANAGER, Permission.RETURN_RUN, True),
        (Role.MISSING_COORDINATOR, Permission.ALERT_VIEW_ALL, True),
        (Role.MISSING_COORDINATOR, Permission.RISK_LOWER, False),
        (Role.ADVOCATE, Permission.CHILD_EDIT, False),
        (Role.ADVOCATE, Permission.ADVOCATE_CONTACT_WRITE, True),
        (Role.ADVOCATE, Permission.EPISODE_REPORT, False),
        (Role.DATA_OFFICER, Permission.RETURN_RUN, True),
        (Role.DATA_OFFICER, Permission.CHILD_EDIT, False),
        (Role.ADMIN, Permission.ADMIN_SITE, True),
        (Role.ADMIN, Permission.CHILD_VIEW, False),
    ],
)
def test_role_grants(make_user, role, permission, expected):
    assert has_permission(make_user(role), permission) is expected


def test_every_role_has_a_permission_set(make_user):
    for role in Role.values:
        assert Permission.SERVICE_USE in permissions_for(make_user(role))


def test_inactive_users_have_no_permissions(make_user):
    user = make_user(Role.SERVICE_MANAGER, is_active=False)
    assert permissions_for(user) == frozenset()


def test_staff_see_only_their_own_authority(make_user, team, other_authority):
    from tests.factories import TeamFactory

    user = make_user(Role.TEAM_MANAGER)
    assert can(user, Permission.STAFF_DIRECTORY_VIEW, team)
    assert not can(user, Permission.STAFF_DIRECTORY_VIEW, TeamFactory(organisation=other_authority))
