"""Who can find and open a child: restricted records, other authorities, advocates and administrators.

Visibility is checked three ways that must agree: the list (children_visible_to), search (q=) and can().
"""

from datetime import date

import pytest

from casework import selectors, services
from casework.access import Permission, can
from casework.models import Role
from tests.factories import AdvocacyServiceFactory, TeamFactory


@pytest.fixture
def other_team(authority):
    return TeamFactory(organisation=authority)


@pytest.fixture
def people(make_user, authority, team, other_team, other_authority):
    advocacy = AdvocacyServiceFactory()
    return {
        "allocated_worker": make_user(Role.SOCIAL_WORKER),
        "team_manager": make_user(Role.TEAM_MANAGER),
        "colleague_in_team": make_user(Role.SOCIAL_WORKER),
        "other_team_worker": make_user(Role.SOCIAL_WORKER, team=other_team),
        "other_team_manager": make_user(Role.TEAM_MANAGER, team=other_team),
        "service_manager": make_user(Role.SERVICE_MANAGER, team=None),
        "granted_service_manager": make_user(Role.SERVICE_MANAGER, team=None),
        "missing_coordinator": make_user(Role.MISSING_COORDINATOR, team=other_team),
        "data_officer": make_user(Role.DATA_OFFICER, team=None),
        "advocate": make_user(Role.ADVOCATE, organisation=advocacy, team=None),
        "admin": make_user(Role.ADMIN, team=None),
        "other_authority_worker": make_user(
            Role.SOCIAL_WORKER, organisation=other_authority, team=TeamFactory(organisation=other_authority)
        ),
        "other_authority_manager": make_user(Role.SERVICE_MANAGER, organisation=other_authority, team=None),
    }


def _child(people, authority, team, *, la_child_id, first_name, last_name, restricted):
    worker = people["allocated_worker"]
    return services.create_child(
        by=worker,
        organisation=authority,
        team=team,
        la_child_id=la_child_id,
        first_name=first_name,
        last_name=last_name,
        sex="M",
        date_of_birth=date(2010, 6, 15),
        ethnicity="AOTH",
        allocated_social_worker=worker,
        restricted=restricted,
    )


@pytest.fixture
def restricted_child(people, authority, team):
    child = _child(
        people, authority, team, la_child_id="RS000001", first_name="Farid", last_name="Ahmadi", restricted=True
    )
    services.grant_access(
        child=child, user=people["granted_service_manager"], by=people["team_manager"], reason="Strategy meeting"
    )
    return child


@pytest.fixture
def open_child(people, authority, team):
    return _child(
        people, authority, team, la_child_id="OP000001", first_name="Hamid", last_name="Karimi", restricted=False
    )


def sees(user, child) -> bool:
    """True if every route agrees that the user sees the child; fails if the routes disagree."""
    routes = {
        "list": child in selectors.children_visible_to(user),
        "search by name": child in selectors.children_visible_to(user, q=f"{child.first_name} {child.last_name}"),
        "search by id": child in selectors.children_visible_to(user, q=child.la_child_id),
        "can view": can(user, Permission.CHILD_VIEW, child),
    }
    assert len(set(routes.values())) == 1, f"routes disagree: {routes}"
    return routes["list"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("allocated_worker", True),
        ("team_manager", True),
        ("granted_service_manager", True),
        ("colleague_in_team", False),
        ("other_team_worker", False),
        ("other_team_manager", False),
        ("service_manager", False),
        ("missing_coordinator", False),
        ("data_officer", False),
        ("advocate", False),
        ("admin", False),
        ("other_authority_worker", False),
        ("other_authority_manager", False),
    ],
)
def test_restricted_child_is_visible_only_to_those_allocated_managing_or_granted(
    people, restricted_child, who, expected
):
    assert sees(people[who], restricted_child) is expected


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("allocated_worker", True),
        ("team_manager", True),
        ("colleague_in_team", True),
        ("other_team_worker", True),
        ("other_team_manager", True),
        ("service_manager", True),
        ("granted_service_manager", True),
        ("missing_coordinator", True),
        ("data_officer", True),
        ("advocate", False),
        ("admin", False),
        ("other_authority_worker", False),
        ("other_authority_manager", False),
    ],
)
def test_unrestricted_child_is_visible_to_all_staff_of_the_authority_and_nobody_else(people, open_child, who, expected):
    assert sees(people[who], open_child) is expected


def test_a_restricted_child_is_absent_from_search_not_just_hidden_by_name(people, restricted_child, open_child):
    outsider = people["other_team_worker"]
    assert list(selectors.children_visible_to(outsider, q="Ahmadi")) == []
    assert list(selectors.children_visible_to(outsider, q="RS000001")) == []
    assert list(selectors.children_visible_to(outsider, q="Karimi")) == [open_child]
    assert list(selectors.children_visible_to(people["allocated_worker"], q="Ahmadi")) == [restricted_child]


def test_reallocating_a_restricted_child_moves_visibility_with_it(people, restricted_child):
    new_worker = people["other_team_worker"]
    services.update_child(
        child=restricted_child,
        by=people["team_manager"],
        version=restricted_child.version,
        allocated_social_worker=new_worker,
    )
    assert sees(new_worker, restricted_child)
    assert sees(people["other_team_manager"], restricted_child)
    assert not sees(people["allocated_worker"], restricted_child)
    assert not sees(people["team_manager"], restricted_child)
    assert sees(people["granted_service_manager"], restricted_child)


def test_inactive_users_see_nothing(people, open_child):
    user = people["allocated_worker"]
    user.is_active = False
    user.save()
    assert not sees(user, open_child)
