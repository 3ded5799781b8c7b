"""`/api/v1/alerts/`: who sees which alert, acknowledging (idempotent), filters, and errors as 4xx never 500."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from advocates import services as advocate_services
from missing_episodes import services
from missing_episodes.models import Acknowledgement, Alert
from tests.factories import AdvocacyServiceFactory, TeamFactory, UserFactory
from tests.factories.children import child_in_care

pytestmark = pytest.mark.django_db

URL = "/api/v1/alerts/"
ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]
ACCOUNTABLE = {"social_worker", "team_manager", "service_manager", "missing_coordinator"}
# Which of the world's alerts each role sees. The other authority's alert is never in any of them.
#   high: a trafficked child (advocate allocated) -> worker, team manager, coordinator, advocate
#   standard: an ordinary child -> worker, team manager
#   restricted: a restricted child allocated to `worker` -> worker, team manager
VISIBLE = {
    "social_worker": {"high", "standard", "restricted"},
    "team_manager": {"high", "standard", "restricted"},
    "service_manager": {"high", "standard"},  # all of the authority's visible children; not the restricted one
    "missing_coordinator": {"high", "standard"},
    "advocate": {"high"},  # only alerts addressed to them, for an allocated child
    "data_officer": set(),  # never addressed, no ALERT_VIEW_ALL
    "admin": set(),
}
ALERT_FIELDS = {
    "id",
    "child",
    "episode",
    "level",
    "reason",
    "status",
    "escalation_level",
    "created_at",
    "resolved_at",
    "recipients",
}
RECIPIENT_FIELDS = {"user", "channel", "notified_at", "acknowledged_at"}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(alert, action: str = "") -> str:
    pk = alert if isinstance(alert, str) else alert.pk
    return f"{URL}{pk}/{action + '/' if action else ''}"


def report(child, by, *, hours_ago: float = 2):
    episode = services.report_missing(
        child=child, kind="M", started_at=timezone.now() - timedelta(hours=hours_ago), by=by
    )
    return Alert.objects.get(episode=episode)


def ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(make_user, worker, make_child_in_care, other_authority):
    people = {
        "social_worker": worker,
        "team_manager": make_user("team_manager"),
        "service_manager": make_user("service_manager"),
        "missing_coordinator": make_user("missing_coordinator"),
        "advocate": make_user("advocate", organisation=AdvocacyServiceFactory()),
        "data_officer": make_user("data_officer"),
        "admin": make_user("admin"),
    }
    colleague = make_user("social_worker")  # same team, allocated nothing
    outsider = UserFactory(
        role="social_worker", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )

    trafficked = make_child_in_care(trafficking_status="identified")
    advocate_services.allocate_advocate(
        child=trafficked,
        advocate=people["advocate"],
        role="direct_worker",
        start_date=timezone.localdate() - timedelta(days=10),
        by=people["team_manager"],
    )
    alerts = {
        "high": report(trafficked, worker),
        "standard": report(make_child_in_care(first_name="Arben", last_name="Hoxha"), worker),
        "restricted": report(make_child_in_care(first_name="Linh", last_name="Tran", restricted=True), worker),
        "foreign": report(
            child_in_care(by=outsider, organisation=other_authority, allocated_social_worker=outsider), outsider
        ),
    }
    return SimpleNamespace(people=people, colleague=colleague, outsider=outsider, alerts=alerts)


def names_of(world, response) -> set[str]:
    by_id = {str(alert.pk): name for name, alert in world.alerts.items()}
    return {by_id[pk] for pk in ids(response)}


# --- Preconditions the matrix relies on -----------------------------------------------------------


def test_the_world_is_addressed_as_the_rule_says(world):
    def addressed(name):
        return set(world.alerts[name].deliveries.values_list("user__role", flat=True))

    assert world.alerts["high"].level == "high"
    assert addressed("high") == {"social_worker", "team_manager", "missing_coordinator", "advocate"}
    assert addressed("standard") == {"social_worker", "team_manager"}
    assert addressed("restricted") == {"social_worker", "team_manager"}
    assert addressed("foreign") == {"social_worker"}


# --- List -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_each_role_exactly_its_alerts(role, world):
    response = client_for(world.people[role]).get(URL)
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert names_of(world, response) == VISIBLE[role]
    assert body["count"] == len(VISIBLE[role])


def test_another_authoritys_alerts_are_never_listed_and_they_see_only_their_own(world):
    assert names_of(world, client_for(world.outsider).get(URL)) == {"foreign"}
    for name in ("high", "standard", "restricted"):
        assert client_for(world.outsider).get(detail(world.alerts[name])).status_code == 404
        assert (
            client_for(world.outsider).post(detail(world.alerts[name], "acknowledge"), {}, format="json").status_code
            == 404
        )


def test_a_worker_sees_no_alert_that_is_not_addressed_to_them(world):
    colleague = client_for(world.colleague)
    assert ids(colleague.get(URL)) == set()
    for name in ("high", "standard", "restricted"):  # unrestricted or not: not addressed, no view-all
        assert colleague.get(detail(world.alerts[name])).status_code == 404
        assert colleague.post(detail(world.alerts[name], "acknowledge"), {}, format="json").status_code == 404
    assert not Acknowledgement.objects.exists()


def test_a_restricted_childs_alert_is_invisible_to_a_non_allocated_worker_even_if_addressed(world):
    """A worker addressed on an alert for a restricted child they are not allocated to still cannot see it."""
    restricted_alert = world.alerts["restricted"]
    restricted_alert.deliveries.create(user=world.colleague, channel="in_app", created_at=timezone.now())
    assert client_for(world.colleague).get(detail(restricted_alert)).status_code == 404
    assert ids(client_for(world.colleague).get(URL)) == set()


# --- Retrieve -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_by_role_is_200_in_scope_and_404_outside(role, world):
    client = client_for(world.people[role])
    for name, alert in world.alerts.items():
        response = client.get(detail(alert))
        expected = 200 if name in VISIBLE[role] else 404
        assert response.status_code == expected, (name, response.content)
        if expected == 200:
            assert response.json()["id"] == str(alert.pk)


def test_response_has_exactly_the_contract_fields(world):
    alert = world.alerts["high"]
    body = client_for(world.people["team_manager"]).get(detail(alert)).json()
    assert set(body) == ALERT_FIELDS
    assert body["child"] == str(alert.child_id)
    assert body["episode"] == str(alert.episode_id)
    assert (body["level"], body["reason"], body["status"], body["escalation_level"]) == (
        "high",
        "missing_high_risk",
        "open",
        1,
    )
    assert body["resolved_at"] is None
    assert body["created_at"]
    assert body["recipients"]
    for row in body["recipients"]:
        assert RECIPIENT_FIELDS <= set(row)
        assert row["channel"] in ("in_app", "email")
        assert row["acknowledged_at"] is None
    people = {world.people[r].pk for r in ("social_worker", "team_manager", "missing_coordinator", "advocate")}
    assert {uuid.UUID(row["user"]) for row in body["recipients"]} == people
    # The list carries the same shape.
    row = next(
        r for r in client_for(world.people["team_manager"]).get(URL).json()["results"] if r["id"] == str(alert.pk)
    )
    assert set(row) == ALERT_FIELDS


# --- Acknowledge ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_acknowledge_by_role_is_idempotent(role, world):
    user = world.people[role]
    alert = world.alerts["high"]
    client = client_for(user)
    first = client.post(detail(alert, "acknowledge"), {"note": "Calling the police now"}, format="json")
    if "high" not in VISIBLE[role]:
        assert first.status_code == 404
        assert not Acknowledgement.objects.exists()
        return
    assert first.status_code == 200, first.content
    ack = Acknowledgement.objects.get(alert=alert, user=user)
    assert ack.note == "Calling the police now"
    expected_status = "acknowledged" if role in ACCOUNTABLE else "open"
    assert first.json()["status"] == expected_status
    assert set(first.json()) == ALERT_FIELDS
    mine = [r for r in first.json()["recipients"] if r["user"] == str(user.pk)]
    if mine:  # addressed: each of their rows shows when they acknowledged
        assert all(r["acknowledged_at"] for r in mine)

    second = client.post(detail(alert, "acknowledge"), {"note": "Again"}, format="json")
    assert second.status_code == 200
    assert Acknowledgement.objects.filter(alert=alert).count() == 1
    again = Acknowledgement.objects.get(alert=alert, user=user)
    assert (again.acknowledged_at, again.note) == (ack.acknowledged_at, "Calling the police now")
    assert second.json()["status"] == expected_status
    assert [r["acknowledged_at"] for r in second.json()["recipients"]] == [
        r["acknowledged_at"] for r in first.json()["recipients"]
    ]
    alert.refresh_from_db()
    assert alert.status == expected_status
    if role in ACCOUNTABLE:
        assert alert.next_escalation_at is None


def test_an_advocates_acknowledgement_is_recorded_but_the_alert_waits_for_an_accountable_person(world):
    alert = world.alerts["high"]
    assert client_for(world.people["advocate"]).post(detail(alert, "acknowledge"), {}, format="json").status_code == 200
    alert.refresh_from_db()
    assert alert.status == "open" and alert.next_escalation_at is not None
    response = client_for(world.people["social_worker"]).post(detail(alert, "acknowledge"), {}, format="json")
    assert response.json()["status"] == "acknowledged"
    assert Acknowledgement.objects.filter(alert=alert).count() == 2


def test_roles_without_alert_ack_cannot_see_any_alert_so_acknowledging_is_404(world):
    for role in ("data_officer", "admin"):
        for alert in world.alerts.values():
            response = client_for(world.people[role]).post(detail(alert, "acknowledge"), {}, format="json")
            assert response.status_code == 404
    assert not Acknowledgement.objects.exists()


def test_someone_who_can_see_an_alert_but_whose_role_cannot_acknowledge_gets_403(world):
    """The allocated worker moves to a data officer post: alerts addressed to them stay visible, not ackable."""
    worker = world.people["social_worker"]
    worker.role = "data_officer"
    worker.save()
    client = client_for(worker)
    assert names_of(world, client.get(URL)) == {"high", "standard", "restricted"}
    response = client.post(detail(world.alerts["high"], "acknowledge"), {"note": "x"}, format="json")
    assert response.status_code == 403
    assert not Acknowledgement.objects.exists()
    world.alerts["high"].refresh_from_db()
    assert world.alerts["high"].status == "open"


def test_acknowledging_a_resolved_alert_records_it_but_keeps_it_resolved(world):
    alert = world.alerts["standard"]
    services.close_episode(
        episode=alert.episode, by=world.people["social_worker"], version=None, ended_at=timezone.now(), outcome="found"
    )
    response = client_for(world.people["team_manager"]).post(detail(alert, "acknowledge"), {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    assert response.json()["resolved_at"]
    assert Acknowledgement.objects.filter(alert=alert).count() == 1


def test_a_note_that_is_too_long_is_a_400_and_nothing_is_recorded(world):
    response = client_for(world.people["team_manager"]).post(
        detail(world.alerts["high"], "acknowledge"), {"note": "x" * 2001}, format="json"
    )
    assert response.status_code == 400
    assert "note" in response.json()
    assert not Acknowledgement.objects.exists()


# --- Unauthenticated, bad ids ---------------------------------------------------------------------


def test_unauthenticated_requests_are_401(world):
    client = APIClient()
    alert = world.alerts["high"]
    assert client.get(URL).status_code == 401
    assert client.get(detail(alert)).status_code == 401
    assert client.post(detail(alert, "acknowledge"), {}, format="json").status_code == 401
    assert not Acknowledgement.objects.exists()


def test_token_authentication_works(world):
    user = world.people["team_manager"]
    user.set_password("a-long-test-password-1")
    user.save()
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "a-long-test-password-1"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert names_of(world, client.get(URL)) == VISIBLE["team_manager"]


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000z"])
def test_a_non_uuid_id_is_404_not_500(bad_id, world):
    client = client_for(world.people["team_manager"])
    assert client.get(detail(bad_id)).status_code == 404
    assert client.post(detail(bad_id, "acknowledge"), {}, format="json").status_code == 404


def test_an_unknown_uuid_is_404(world):
    client = client_for(world.people["team_manager"])
    assert client.get(detail(str(uuid.uuid4()))).status_code == 404
    assert client.post(detail(str(uuid.uuid4()), "acknowledge"), {}, format="json").status_code == 404


# --- Filters --------------------------------------------------------------------------------------


def test_status_filter(world):
    manager = client_for(world.people["team_manager"])
    assert names_of(world, manager.get(URL, {"status": "open"})) == {"high", "standard", "restricted"}
    assert names_of(world, manager.get(URL, {"status": "acknowledged"})) == set()
    assert names_of(world, manager.get(URL, {"status": "resolved"})) == set()

    manager.post(detail(world.alerts["high"], "acknowledge"), {}, format="json")
    services.close_episode(
        episode=world.alerts["standard"].episode,
        by=world.people["social_worker"],
        version=None,
        ended_at=timezone.now(),
        outcome="returned",
    )
    assert names_of(world, manager.get(URL, {"status": "open"})) == {"restricted"}
    assert names_of(world, manager.get(URL, {"status": "acknowledged"})) == {"high"}
    resolved = manager.get(URL, {"status": "resolved"})
    assert names_of(world, resolved) == {"standard"}
    assert resolved.json()["results"][0]["resolved_at"]


def test_level_filter(world):
    manager = client_for(world.people["team_manager"])
    assert names_of(world, manager.get(URL, {"level": "high"})) == {"high"}
    assert names_of(world, manager.get(URL, {"level": "standard"})) == {"standard", "restricted"}


def test_child_filter(world):
    manager = client_for(world.people["team_manager"])
    for name in ("high", "standard", "restricted"):
        assert names_of(world, manager.get(URL, {"child": str(world.alerts[name].child_id)})) == {name}
    assert names_of(world, manager.get(URL, {"child": str(uuid.uuid4())})) == set()
    # Another authority's child filters to nothing; it does not reveal its alerts.
    assert names_of(world, manager.get(URL, {"child": str(world.alerts["foreign"].child_id)})) == set()


def test_filters_combine(world):
    manager = client_for(world.people["team_manager"])
    child = str(world.alerts["high"].child_id)
    assert names_of(world, manager.get(URL, {"child": child, "level": "high", "status": "open"})) == {"high"}
    assert names_of(world, manager.get(URL, {"child": child, "level": "standard"})) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "bogus"}, "status"),
        ({"status": "OPEN"}, "status"),
        ({"level": "urgent"}, "level"),
        ({"child": "not-a-uuid"}, "child"),
        ({"child": "1"}, "child"),
    ],
)
def test_bad_filter_values_are_400_with_the_field_named(params, field, world):
    response = client_for(world.people["team_manager"]).get(URL, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_empty_filter_values_are_ignored_or_rejected_but_never_500(world):
    response = client_for(world.people["team_manager"]).get(URL, {"status": "", "level": "", "child": ""})
    assert response.status_code in (200, 400)


def test_page_size(world):
    manager = client_for(world.people["team_manager"])
    body = manager.get(URL, {"page_size": 1}).json()
    assert body["count"] == 3 and len(body["results"]) == 1 and body["next"]
