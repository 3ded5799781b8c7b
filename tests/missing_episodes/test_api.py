"""`/api/v1/missing-episodes/`: access by role and scope, entry-time rules as 400s, actions, versions."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from missing_episodes import services
from missing_episodes.models import MissingEpisode, ReturnInterview
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/missing-episodes/"
ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]
CASE_STAFF = {"social_worker", "team_manager", "service_manager", "missing_coordinator"}
CAN_SEE = CASE_STAFF | {"data_officer"}  # advocates see only allocated children (none yet); admins no children


def iso(moment: datetime) -> str:
    return moment.isoformat()


def hours_ago(n: float) -> datetime:
    return timezone.now() - timedelta(hours=n)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def detail(episode, action: str = "") -> str:
    return f"{URL}{episode.pk}/{action + '/' if action else ''}"


@pytest.fixture
def child(make_child_in_care):
    return make_child_in_care()


@pytest.fixture
def episode(child, worker):
    return services.report_missing(child=child, kind="M", started_at=hours_ago(6), by=worker)


@pytest.fixture
def outsider(other_authority):
    from tests.factories import UserFactory

    return UserFactory(
        role="social_worker", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )


def user_for(role, make_user, worker):
    return worker if role == "social_worker" else make_user(role)


# --- Access: every role × list / retrieve / create / close ------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_episodes_only_to_roles_that_can_see_the_child(role, make_user, worker, episode):
    response = client_for(user_for(role, make_user, worker)).get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    ids = [row["id"] for row in body["results"]]
    assert ids == ([str(episode.pk)] if role in CAN_SEE else [])


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_by_role(role, make_user, worker, episode):
    response = client_for(user_for(role, make_user, worker)).get(detail(episode))
    assert response.status_code == (200 if role in CAN_SEE else 404)
    if role in CAN_SEE:
        assert response.json()["id"] == str(episode.pk)


@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(role, make_user, worker, child):
    user = user_for(role, make_user, worker)
    response = client_for(user).post(
        URL, {"child": str(child.pk), "kind": "M", "started_at": iso(hours_ago(2))}, format="json"
    )
    if role in CASE_STAFF:
        assert response.status_code == 201, response.json()
        created = MissingEpisode.objects.get(pk=response.json()["id"])
        assert created.reported_by == user
        assert created.history.first().history_user == user
    else:
        assert response.status_code == 403
        assert not MissingEpisode.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_close_by_role(role, make_user, worker, episode):
    expected = 200 if role in CASE_STAFF else 403 if role in CAN_SEE else 404
    user = user_for(role, make_user, worker)
    response = client_for(user).post(
        detail(episode, "close"), {"ended_at": iso(hours_ago(1)), "outcome": "found"}, format="json"
    )
    assert response.status_code == expected
    episode.refresh_from_db()
    if expected == 200:
        assert (episode.status, episode.outcome, episode.version) == ("closed", "found", 2)
        assert episode.history.first().history_user == user
    else:
        assert (episode.status, episode.version) == ("open", 1)


def test_an_unauthenticated_caller_gets_401(episode):
    assert APIClient().get(URL).status_code == 401
    assert APIClient().get(detail(episode)).status_code == 401


@pytest.mark.parametrize(
    ("method", "action", "payload"),
    [
        ("get", "", None),
        ("patch", "", {"version": 1, "circumstances": "x"}),
        ("post", "close", {"ended_at": "2025-01-01T00:00:00Z", "outcome": "found"}),
        ("post", "reclassify", {"kind": "A", "at": "2025-01-01T00:00:00Z"}),
        ("put", "return-interview", {"offered_at": None}),
        ("get", "updates", None),
        ("post", "updates", {"kind": "note", "occurred_at": "2025-01-01T00:00:00Z", "summary": "x"}),
    ],
)
def test_another_authoritys_episode_does_not_exist_on_any_route(outsider, episode, method, action, payload):
    response = getattr(client_for(outsider), method)(detail(episode, action), payload, format="json")
    assert response.status_code == 404
    assert client_for(outsider).get(URL).json()["count"] == 0
    episode.refresh_from_db()
    assert (episode.status, episode.version) == ("open", 1)


def test_a_restricted_childs_episode_is_404_to_staff_without_access(make_child_in_care, worker, make_user):
    restricted = make_child_in_care(restricted=True)
    episode = services.report_missing(child=restricted, kind="A", started_at=hours_ago(3), by=worker)
    colleague = make_user("social_worker")
    for method, action in [("get", ""), ("post", "close"), ("get", "updates")]:
        response = getattr(client_for(colleague), method)(
            detail(episode, action), {"ended_at": iso(hours_ago(1)), "outcome": "found"}, format="json"
        )
        assert response.status_code == 404
    assert client_for(colleague).get(URL).json()["count"] == 0
    assert client_for(colleague).get(URL, {"child": str(restricted.pk)}).json()["count"] == 0
    assert client_for(worker).get(detail(episode)).status_code == 200  # the allocated worker
    assert client_for(make_user("team_manager")).get(detail(episode)).status_code == 200  # their manager


def test_reporting_for_a_child_the_caller_cannot_see_looks_like_an_unknown_id(
    make_child_in_care, worker, make_user, outsider
):
    restricted = make_child_in_care(restricted=True)
    visible = make_child_in_care()
    colleague = make_user("social_worker")
    start = iso(hours_ago(1))

    def report(user, child_id):
        return client_for(user).post(URL, {"child": child_id, "kind": "M", "started_at": start}, format="json")

    unknown = report(colleague, str(uuid.uuid4()))
    hidden = report(colleague, str(restricted.pk))
    elsewhere = report(outsider, str(visible.pk))
    not_a_uuid = report(colleague, "not-a-uuid")
    for response in (unknown, hidden, elsewhere, not_a_uuid):
        assert response.status_code == 400
        assert response.json() == unknown.json()
    assert list(unknown.json()) == ["child"]
    assert not MissingEpisode.objects.exists()


def test_data_officer_reads_but_cannot_write(make_user, episode):
    officer = client_for(make_user("data_officer"))
    assert officer.get(detail(episode)).status_code == 200
    assert officer.get(detail(episode, "updates")).status_code == 200
    writes = [
        officer.patch(detail(episode), {"version": 1, "circumstances": "x"}, format="json"),
        officer.post(detail(episode, "reclassify"), {"kind": "A", "at": iso(hours_ago(1))}, format="json"),
        officer.put(detail(episode, "return-interview"), {}, format="json"),
        officer.post(
            detail(episode, "updates"),
            {"kind": "note", "occurred_at": iso(hours_ago(1)), "summary": "x"},
            format="json",
        ),
    ]
    assert [r.status_code for r in writes] == [403] * 4
    episode.refresh_from_db()
    assert episode.version == 1


# --- Representation ------------------------------------------------------------------------------------


def test_episode_fields_follow_the_contract(worker, child):
    started = hours_ago(5)
    response = client_for(worker).post(
        URL,
        {
            "child": str(child.pk),
            "kind": "A",
            "started_at": iso(started),
            "last_seen_location": "Northbridge bus station",
            "circumstances": "Left after a phone call",
            "reported_to_police_at": iso(hours_ago(4)),
            "police_force": "Northbridge Police",
            "police_reference": "NB-2026-17",
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    contract = {
        "id",
        "version",
        "child",
        "kind",
        "started_at",
        "last_seen_location",
        "circumstances",
        "reported_to_police_at",
        "police_force",
        "police_reference",
        "police_risk_level",
        "status",
        "risk_level",
        "ended_at",
        "alerts",
        "return_interview",
    }
    assert contract <= set(body)
    assert body["child"] == str(child.pk)
    assert (body["kind"], body["status"], body["version"]) == ("A", "open", 1)
    assert body["police_risk_level"] is None
    assert body["ended_at"] is None and body["return_interview"] is None
    assert isinstance(body["alerts"], list)
    assert all(uuid.UUID(a) for a in body["alerts"])
    parsed = datetime.fromisoformat(body["started_at"].replace("Z", "+00:00"))
    assert parsed.tzinfo is not None and parsed == started.replace(microsecond=parsed.microsecond)
    assert body["repeat_missing"] is False


def test_datetimes_are_shown_with_the_london_offset_in_summer(make_child_in_care, worker):
    child = make_child_in_care()
    summer = timezone.make_aware(datetime(2025, 7, 1, 22, 30))
    episode = services.report_missing(child=child, kind="M", started_at=summer, by=worker)
    body = client_for(worker).get(detail(episode)).json()
    assert body["started_at"] == "2025-07-01T22:30:00+01:00"


def test_trafficked_child_is_high_risk(make_child_in_care, worker):
    child = make_child_in_care(trafficking_status="suspected")
    response = client_for(worker).post(
        URL, {"child": str(child.pk), "kind": "M", "started_at": iso(hours_ago(1))}, format="json"
    )
    assert response.json()["risk_level"] == "high"


def test_police_risk_level_null_is_stored_as_blank_and_shown_as_null(worker, episode):
    client = client_for(worker)
    raised = client.patch(detail(episode), {"version": 1, "police_risk_level": "high"}, format="json")
    assert raised.status_code == 200
    assert raised.json()["police_risk_level"] == "high"
    cleared = client.patch(detail(episode), {"version": 2, "police_risk_level": None}, format="json")
    assert cleared.status_code == 200
    assert cleared.json()["police_risk_level"] is None
    episode.refresh_from_db()
    assert episode.police_risk_level == ""


# --- Filters and pagination ---------------------------------------------------------------------------


def test_filters_by_child_status_and_kind(make_child_in_care, worker):
    first, second = make_child_in_care(), make_child_in_care()
    closed = services.report_missing(child=first, kind="A", started_at=hours_ago(20), by=worker)
    services.close_episode(episode=closed, by=worker, version=1, ended_at=hours_ago(18), outcome="returned")
    open_m = services.report_missing(child=first, kind="M", started_at=hours_ago(5), by=worker)
    other = services.report_missing(child=second, kind="A", started_at=hours_ago(3), by=worker)
    client = client_for(worker)

    def ids(**params):
        response = client.get(URL, params)
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(child=str(first.pk)) == {str(closed.pk), str(open_m.pk)}
    assert ids(status="open") == {str(open_m.pk), str(other.pk)}
    assert ids(status="closed") == {str(closed.pk)}
    assert ids(kind="A") == {str(closed.pk), str(other.pk)}
    assert ids(child=str(first.pk), status="open", kind="M") == {str(open_m.pk)}
    assert ids(child=str(uuid.uuid4())) == set()


@pytest.mark.parametrize(
    ("params", "field"),
    [({"child": "abc"}, "child"), ({"status": "lost"}, "status"), ({"kind": "X"}, "kind"), ({"kind": "m"}, "kind")],
)
def test_invalid_filters_are_a_400_naming_the_filter(worker, episode, params, field):
    response = client_for(worker).get(URL, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_list_is_paginated_with_a_capped_page_size(make_child_in_care, worker):
    for _ in range(3):
        services.report_missing(child=make_child_in_care(), kind="M", started_at=hours_ago(2), by=worker)
    client = client_for(worker)
    page = client.get(URL, {"page_size": 2}).json()
    assert (page["count"], len(page["results"])) == (3, 2)
    assert page["next"] and page["previous"] is None
    assert len(client.get(URL, {"page_size": 500}).json()["results"]) == 3


def test_list_queries_do_not_grow_with_the_page(make_child_in_care, worker, django_assert_max_num_queries):
    for _ in range(6):
        child = make_child_in_care()
        episode = services.report_missing(child=child, kind="M", started_at=hours_ago(30), by=worker)
        services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(20), outcome="found")
        services.record_return_interview(episode=episode, by=worker, offered_at=hours_ago(10))
    client = client_for(worker)
    with django_assert_max_num_queries(4):  # count, page, alerts, repeat flag
        response = client.get(URL)
    assert len(response.json()["results"]) == 6


# --- Entry-time rules through the API: 400 on the right field, nothing saved ---------------------------


def assert_refused(response, field, fragment):
    assert response.status_code == 400, response.json()
    body = response.json()
    assert field in body, body
    assert any(fragment in message for message in body[field]), body


@pytest.mark.parametrize(
    ("started_at", "fragment"),
    [
        (lambda: hours_ago(-2), "now or in the past"),
        (lambda: timezone.make_aware(datetime(2001, 1, 1, 12)), "after their date of birth (15/05/2009)"),
        (lambda: timezone.make_aware(datetime(2023, 6, 1, 12)), "not in a period of care on 01/06/2023"),
    ],
    ids=["future", "before-birth", "outside-care"],
)
def test_report_refuses_a_start_that_breaks_a_rule(worker, child, started_at, fragment):
    response = client_for(worker).post(
        URL, {"child": str(child.pk), "kind": "M", "started_at": iso(started_at())}, format="json"
    )
    assert_refused(response, "started_at", fragment)
    assert not MissingEpisode.objects.exists()


def test_report_refuses_a_second_open_episode(worker, child, episode):
    response = client_for(worker).post(
        URL, {"child": str(child.pk), "kind": "A", "started_at": iso(hours_ago(1))}, format="json"
    )
    assert_refused(response, "started_at", "already recorded as missing or away")
    assert MissingEpisode.objects.count() == 1


def test_report_refuses_an_overlap_with_an_earlier_episode(worker, child):
    first = services.report_missing(child=child, kind="M", started_at=hours_ago(10), by=worker)
    services.close_episode(episode=first, by=worker, version=1, ended_at=hours_ago(4), outcome="found")
    response = client_for(worker).post(
        URL, {"child": str(child.pk), "kind": "M", "started_at": iso(hours_ago(6))}, format="json"
    )
    assert_refused(response, "started_at", "overlaps an earlier episode")
    assert MissingEpisode.objects.count() == 1


def test_close_refuses_an_end_before_the_start(worker, episode):
    response = client_for(worker).post(
        detail(episode, "close"), {"ended_at": iso(hours_ago(8)), "outcome": "found"}, format="json"
    )
    assert_refused(response, "ended_at", "same as or after it started")
    episode.refresh_from_db()
    assert (episode.status, episode.ended_at, episode.version) == ("open", None, 1)


def test_close_refuses_a_future_end(worker, episode):
    response = client_for(worker).post(
        detail(episode, "close"), {"ended_at": iso(hours_ago(-1)), "outcome": "found"}, format="json"
    )
    assert_refused(response, "ended_at", "now or in the past")
    episode.refresh_from_db()
    assert episode.status == "open"


def test_patch_refuses_moving_the_start_into_the_future(worker, episode):
    response = client_for(worker).patch(
        detail(episode), {"version": 1, "started_at": iso(hours_ago(-3))}, format="json"
    )
    assert_refused(response, "started_at", "now or in the past")
    episode.refresh_from_db()
    assert episode.version == 1


# --- Never a 500 on bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "child"),
        ({"kind": "M", "started_at": "2025-01-01T10:00:00Z"}, "child"),
        ({"child": None, "kind": "M", "started_at": "2025-01-01T10:00:00Z"}, "child"),
        ({"child": 12, "kind": "M", "started_at": "2025-01-01T10:00:00Z"}, "child"),
        ({"child": "CHILD", "kind": "M", "started_at": "yesterday"}, "started_at"),
        ({"child": "CHILD", "kind": "M", "started_at": "2025-02-30T10:00:00Z"}, "started_at"),
        ({"child": "CHILD", "kind": "M", "started_at": "99999-01-01T00:00:00Z"}, "started_at"),
        ({"child": "CHILD", "kind": "M", "started_at": ["2025-01-01T10:00:00Z"]}, "started_at"),
        ({"child": "CHILD", "kind": "M", "started_at": None}, "started_at"),
        ({"child": "CHILD", "kind": "X", "started_at": "2025-01-01T10:00:00Z"}, "kind"),
        ({"child": "CHILD", "kind": None, "started_at": "2025-01-01T10:00:00Z"}, "kind"),
        (
            {"child": "CHILD", "kind": "M", "started_at": "2025-01-01T10:00:00Z", "police_risk_level": "extreme"},
            "police_risk_level",
        ),
        (
            {"child": "CHILD", "kind": "M", "started_at": "2025-01-01T10:00:00Z", "police_reference": "x" * 51},
            "police_reference",
        ),
        (
            {"child": "CHILD", "kind": "M", "started_at": "2025-01-01T10:00:00Z", "reported_to_police_at": "soon"},
            "reported_to_police_at",
        ),
        (
            {"child": "CHILD", "kind": "M", "started_at": "2025-01-01T10:00:00Z", "circumstances": {"a": 1}},
            "circumstances",
        ),
    ],
)
def test_bad_report_input_is_a_400_naming_the_field(worker, child, payload, field):
    payload = {k: (str(child.pk) if v == "CHILD" else v) for k, v in payload.items()}
    response = client_for(worker).post(URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not MissingEpisode.objects.exists()


def test_a_body_that_is_not_json_is_a_400(worker):
    response = client_for(worker).post(URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert client_for(worker).post(URL, [1, 2], format="json").status_code == 400


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        ("close", {}, "ended_at"),
        ("close", {"ended_at": "2025-13-01T00:00:00Z", "outcome": "found"}, "ended_at"),
        ("close", {"ended_at": "NOW", "outcome": "escaped"}, "outcome"),
        ("close", {"ended_at": "NOW", "outcome": "reclassified"}, "outcome"),
        ("close", {"ended_at": "NOW", "outcome": "found", "version": "abc"}, "version"),
        ("close", {"ended_at": "NOW", "outcome": "found", "version": 0}, "version"),
        ("reclassify", {}, "kind"),
        ("reclassify", {"kind": "M", "at": "NOW"}, "kind"),
        ("reclassify", {"kind": "A", "at": "noon"}, "at"),
        ("reclassify", {"kind": "A", "at": "FUTURE"}, "at"),
        ("updates", {}, "kind"),
        ("updates", {"kind": "rumour", "occurred_at": "NOW", "summary": "x"}, "kind"),
        ("updates", {"kind": "note", "occurred_at": "FUTURE", "summary": "x"}, "occurred_at"),
        ("updates", {"kind": "note", "occurred_at": "NOW", "summary": ""}, "summary"),
        ("updates", {"kind": "strategy_discussion", "occurred_at": "NOW", "summary": "x"}, "attendees"),
    ],
)
def test_bad_action_input_is_a_400_naming_the_field(worker, episode, action, payload, field):
    values = {"NOW": iso(hours_ago(1)), "FUTURE": iso(hours_ago(-1))}
    payload = {k: values.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    response = client_for(worker).post(detail(episode, action), payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json(), response.json()
    episode.refresh_from_db()
    assert (episode.status, episode.version, MissingEpisode.objects.count()) == ("open", 1, 1)
    assert not episode.updates.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"circumstances": "x"}, "version"),
        ({"version": "one"}, "version"),
        ({"version": 1, "started_at": "1 Jan"}, "started_at"),
        ({"version": 1, "kind": "A"}, "kind"),
        ({"version": 1, "status": "closed"}, "status"),
        ({"version": 1, "child": str(uuid.uuid4())}, "child"),
        ({"version": 1, "police_risk_level": "HIGH"}, "police_risk_level"),
    ],
)
def test_bad_patch_input_is_a_400_naming_the_field(worker, episode, payload, field):
    response = client_for(worker).patch(detail(episode), payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    episode.refresh_from_db()
    assert (episode.kind, episode.status, episode.version) == ("M", "open", 1)


def test_patch_may_send_back_unchanged_read_only_values(worker, episode):
    body = client_for(worker).get(detail(episode)).json()
    body["circumstances"] = "Seen leaving with an older man"
    response = client_for(worker).patch(detail(episode), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "123", str(uuid.uuid4())])
@pytest.mark.parametrize(
    ("method", "action"), [("get", ""), ("patch", ""), ("post", "close"), ("put", "return-interview")]
)
def test_unknown_or_malformed_ids_are_404(worker, bad_id, method, action):
    url = f"{URL}{bad_id}/{action + '/' if action else ''}"
    response = getattr(client_for(worker), method)(url, {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


# --- PATCH, close, versions -------------------------------------------------------------------------


def test_patch_updates_details_and_bumps_the_version(worker, episode):
    response = client_for(worker).patch(
        detail(episode),
        {
            "version": 1,
            "police_reference": "NB/2026/44",
            "police_force": "Northbridge Police",
            "reported_to_police_at": iso(hours_ago(5)),
            "started_at": iso(hours_ago(7)),
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["version"], body["police_reference"]) == (2, "NB/2026/44")
    episode.refresh_from_db()
    assert episode.police_force == "Northbridge Police"
    assert episode.history.first().history_user == worker


def test_stale_patch_is_409_and_changes_nothing(worker, make_user, episode):
    services.update_episode(episode=episode, by=make_user("missing_coordinator"), version=1, police_reference="A1")
    response = client_for(worker).patch(detail(episode), {"version": 1, "police_reference": "B2"}, format="json")
    assert response.status_code == 409
    assert "detail" in response.json()
    episode.refresh_from_db()
    assert (episode.police_reference, episode.version) == ("A1", 2)


def test_stale_close_is_409_and_changes_nothing(worker, episode):
    services.update_episode(episode=episode, by=worker, version=1, circumstances="More detail")
    response = client_for(worker).post(
        detail(episode, "close"), {"ended_at": iso(hours_ago(1)), "outcome": "found", "version": 1}, format="json"
    )
    assert response.status_code == 409
    episode.refresh_from_db()
    assert (episode.status, episode.version) == ("open", 2)


def test_close_without_a_version_uses_the_current_one(worker, episode):
    ended = hours_ago(1)
    response = client_for(worker).post(
        detail(episode, "close"),
        {"ended_at": iso(ended), "outcome": "returned", "found_location": "Placement", "notes": "Came back alone"},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["outcome"], body["found_location"]) == ("closed", "returned", "Placement")
    assert body["return_interview_due_at"] is not None
    episode.refresh_from_db()
    assert (episode.ended_at, episode.closing_notes) == (ended, "Came back alone")


def test_closing_a_closed_episode_is_409(worker, episode):
    ended = hours_ago(2)
    services.close_episode(episode=episode, by=worker, version=1, ended_at=ended, outcome="found")
    response = client_for(worker).post(
        detail(episode, "close"), {"ended_at": iso(hours_ago(1)), "outcome": "found"}, format="json"
    )
    assert response.status_code == 409
    episode.refresh_from_db()
    assert (episode.version, episode.ended_at) == (2, ended)


# --- Reclassify -----------------------------------------------------------------------------------------


def test_reclassify_away_to_missing_returns_the_new_open_episode(worker, child):
    away = services.report_missing(child=child, kind="A", started_at=hours_ago(6), by=worker, police_force="NB")
    switch = hours_ago(2)
    response = client_for(worker).post(
        detail(away, "reclassify"), {"kind": "M", "at": iso(switch), "version": 1}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["id"] != str(away.pk)
    assert (body["kind"], body["status"], body["reclassified_from"]) == ("M", "open", str(away.pk))
    new = MissingEpisode.objects.get(pk=body["id"])
    assert (new.started_at, new.police_force) == (switch, "NB")
    away.refresh_from_db()
    assert (away.status, away.ended_at, away.outcome) == ("closed", switch, "reclassified")
    assert new.history.first().history_user == worker
    assert away.history.first().history_user == worker


def test_stale_reclassify_is_409_and_opens_nothing(worker, episode):
    services.update_episode(episode=episode, by=worker, version=1, circumstances="More")
    response = client_for(worker).post(
        detail(episode, "reclassify"), {"kind": "A", "at": iso(hours_ago(1)), "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert MissingEpisode.objects.count() == 1
    episode.refresh_from_db()
    assert episode.status == "open"


def test_reclassifying_a_closed_episode_is_409(worker, episode):
    services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(2), outcome="found")
    response = client_for(worker).post(
        detail(episode, "reclassify"), {"kind": "A", "at": iso(hours_ago(1))}, format="json"
    )
    assert response.status_code == 409
    assert MissingEpisode.objects.count() == 1


# --- Return interview -----------------------------------------------------------------------------------


def test_return_interview_on_an_open_episode_is_400(worker, episode):
    response = client_for(worker).put(
        detail(episode, "return-interview"), {"offered_at": iso(hours_ago(1))}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not ReturnInterview.objects.exists()


def test_return_interview_on_a_closed_episode_is_stored(worker, make_user, episode):
    services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(5), outcome="found")
    coordinator = make_user("missing_coordinator")
    payload = {
        "offered_at": iso(hours_ago(4)),
        "accepted": True,
        "completed_at": iso(hours_ago(2)),
        "conducted_by": "Independent return interview service",
        "summary": "Talked about who he met at the station",
        "exploitation_disclosed": True,
    }
    response = client_for(coordinator).put(detail(episode, "return-interview"), payload, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["accepted"], body["exploitation_disclosed"], body["version"]) == (True, True, 1)
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.conducted_by == "Independent return interview service"
    assert interview.history.first().history_user == coordinator
    shown = client_for(worker).get(detail(episode)).json()["return_interview"]
    assert shown["id"] == str(interview.pk)

    again = client_for(coordinator).put(
        detail(episode, "return-interview"), {**payload, "summary": "Updated", "version": 1}, format="json"
    )
    assert (again.status_code, again.json()["version"]) == (200, 2)
    stale = client_for(worker).put(
        detail(episode, "return-interview"), {**payload, "summary": "Lost", "version": 1}, format="json"
    )
    assert stale.status_code == 409
    interview.refresh_from_db()
    assert interview.summary == "Updated"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"offered_at": "FUTURE"}, "offered_at"),
        ({"offered_at": "last week"}, "offered_at"),
        ({"offered_at": "PAST", "accepted": False}, "declined_reason"),
        ({"accepted": True}, "offered_at"),
        ({"offered_at": "PAST", "accepted": True, "completed_at": "PAST"}, "conducted_by"),
        ({"accepted": "perhaps"}, "accepted"),
        ({"conducted_by": None}, "conducted_by"),
    ],
)
def test_bad_return_interview_input_is_a_400(worker, episode, payload, field):
    services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(5), outcome="found")
    values = {"FUTURE": iso(hours_ago(-1)), "PAST": iso(hours_ago(1))}
    payload = {k: values.get(v, v) if isinstance(v, str) else v for k, v in payload.items()}
    response = client_for(worker).put(detail(episode, "return-interview"), payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ReturnInterview.objects.exists()


# --- Updates (sightings, police updates, strategy discussions) -------------------------------------------


def test_updates_are_recorded_and_listed(worker, make_user, episode):
    coordinator = make_user("missing_coordinator")
    response = client_for(coordinator).post(
        detail(episode, "updates"),
        {
            "kind": "strategy_discussion",
            "occurred_at": iso(hours_ago(2)),
            "summary": "Agreed to alert the border force",
            "attendees": "Police, social worker, ICTG",
            "actions": "Police to check ports",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["recorded_by"] == str(coordinator.pk)
    client_for(worker).post(
        detail(episode, "updates"),
        {"kind": "sighting", "occurred_at": iso(hours_ago(1)), "summary": "Seen near the car wash"},
        format="json",
    )
    listed = client_for(worker).get(detail(episode, "updates")).json()
    assert listed["count"] == 2
    assert [u["kind"] for u in listed["results"]] == ["sighting", "strategy_discussion"]
    assert episode.updates.get(kind="sighting").history.first().history_user == worker


# --- Through a real token, as an integrating system would -----------------------------------------------


def test_token_authenticated_report_is_attributed_to_the_token_owner(make_user, child):
    coordinator = make_user("missing_coordinator")
    client = APIClient()
    token = client.post(
        "/api/v1/auth/token/", {"username": coordinator.username, "password": "correct-horse-battery"}, format="json"
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.post(URL, {"child": str(child.pk), "kind": "M", "started_at": iso(hours_ago(1))}, format="json")
    assert response.status_code == 201
    episode = MissingEpisode.objects.get(pk=response.json()["id"])
    assert episode.history.first().history_user == coordinator


# --- The published schema describes what is implemented ---------------------------------------------------


def test_schema_describes_the_routes_and_their_errors():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    base = "/api/v1/missing-episodes/"
    assert {"get", "post"} <= set(paths[base])
    assert set(paths[base + "{id}/"]) >= {"get", "patch"}
    assert "put" not in paths[base + "{id}/"]
    close = paths[base + "{id}/close/"]["post"]
    assert {"200", "400", "403", "404", "409"} <= set(close["responses"])
    assert "requestBody" in close
    assert "201" in paths[base + "{id}/reclassify/"]["post"]["responses"]
    assert "put" in paths[base + "{id}/return-interview/"]
    assert {"get", "post"} <= set(paths[base + "{id}/updates/"])
    params = {p["name"] for p in paths[base]["get"]["parameters"]}
    assert {"child", "status", "kind", "page", "page_size"} <= params
