"""The care history API: periods of care, legal statuses and placements nested under a child."""

from datetime import date, timedelta

import pytest
from rest_framework.test import APIClient

from casework.models import LegalStatus, PeriodOfCare, Placement
from tests.factories import OrganisationFactory, TeamFactory, UserFactory
from tests.factories.children import child_in_care, make_child

ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]
CASE_STAFF = {"social_worker", "team_manager", "service_manager", "missing_coordinator"}
READERS = CASE_STAFF | {"data_officer"}
TODAY = date.today()
START = TODAY - timedelta(days=90)


def days_ago(n: int) -> str:
    return (TODAY - timedelta(days=n)).isoformat()


def url(child, segment: str, record=None) -> str:
    base = f"/api/v1/children/{child.pk}/{segment}/"
    return f"{base}{record.pk}/" if record is not None else base


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def manager(make_user):
    return make_user("team_manager")


@pytest.fixture
def worker(make_user):
    return make_user("social_worker")


@pytest.fixture
def child(manager, authority, team):
    """In care from START: a period of care (N1), legal status V2 and placement U6, all open."""
    return child_in_care(by=manager, organisation=authority, team=team, start_date=START)


@pytest.fixture
def fresh_child(manager, authority, team):
    """Not (yet) in care."""
    return make_child(by=manager, organisation=authority, team=team)


def as_user(api, user):
    api.force_authenticate(user)
    return api


SEGMENTS = {
    "periods-of-care": (PeriodOfCare, "periods_of_care"),
    "legal-statuses": (LegalStatus, "legal_statuses"),
    "placements": (Placement, "placements"),
}


def first(child, segment):
    return getattr(child, SEGMENTS[segment][1]).get()


# --- Role matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize("segment", SEGMENTS)
@pytest.mark.parametrize("role", ROLES)
def test_reading_care_history_follows_the_childs_scope(api, make_user, child, role, segment):
    client = as_user(api, make_user(role))
    listed = client.get(url(child, segment))
    one = client.get(url(child, segment, first(child, segment)))
    if role in READERS:
        assert listed.status_code == 200
        assert [row["id"] for row in listed.json()["results"]] == [str(first(child, segment).pk)]
        assert one.status_code == 200
    else:
        assert (listed.status_code, one.status_code) == (404, 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_case_staff_can_write_care_history(api, make_user, fresh_child, role):
    client = as_user(api, make_user(role))
    response = client.post(
        url(fresh_child, "periods-of-care"), {"start_date": days_ago(30), "category_of_need": "N4"}, format="json"
    )
    expected = 201 if role in CASE_STAFF else 403 if role == "data_officer" else 404
    assert response.status_code == expected
    assert PeriodOfCare.objects.filter(child=fresh_child).exists() == (role in CASE_STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_only_case_staff_can_change_care_history(api, make_user, child, role):
    placement = first(child, "placements")
    response = as_user(api, make_user(role)).patch(
        url(child, "placements", placement), {"version": 1, "carer_name": "Mrs Okafor"}, format="json"
    )
    expected = 200 if role in CASE_STAFF else 403 if role == "data_officer" else 404
    assert response.status_code == expected
    placement.refresh_from_db()
    assert (placement.carer_name == "Mrs Okafor") == (role in CASE_STAFF)


@pytest.mark.parametrize("segment", SEGMENTS)
def test_another_authoritys_child_history_does_not_exist(api, worker, other_authority, segment):
    other_manager = UserFactory(role="team_manager", organisation=other_authority)
    theirs = child_in_care(by=other_manager, team=TeamFactory(organisation=other_authority))
    record = first(theirs, segment)
    client = as_user(api, worker)
    assert client.get(url(theirs, segment)).status_code == 404
    assert client.get(url(theirs, segment, record)).status_code == 404
    assert client.patch(url(theirs, segment, record), {"version": 1}, format="json").status_code == 404
    assert client.post(url(theirs, segment), {}, format="json").status_code == 404


def test_restricted_childs_history_is_404_for_a_colleague_not_allocated(api, make_user, authority, team, manager):
    allocated = make_user("social_worker")
    restricted = child_in_care(
        by=manager, organisation=authority, team=team, allocated_social_worker=allocated, restricted=True
    )
    colleague = make_user("social_worker", team=TeamFactory(organisation=authority))
    assert as_user(api, colleague).get(url(restricted, "placements")).status_code == 404
    assert as_user(api, allocated).get(url(restricted, "placements")).status_code == 200


def test_a_record_of_another_child_is_404_under_this_child(api, worker, child, manager, authority, team):
    other = child_in_care(by=manager, organisation=authority, team=team)
    response = as_user(api, worker).get(url(child, "placements", first(other, "placements")))
    assert response.status_code == 404


def test_malformed_ids_are_404(api, worker, child):
    client = as_user(api, worker)
    assert client.get("/api/v1/children/nope/placements/").status_code == 404
    assert client.get(f"/api/v1/children/{child.pk}/placements/nope/").status_code == 404


def test_put_and_delete_are_not_allowed(api, worker, child):
    placement = first(child, "placements")
    client = as_user(api, worker)
    assert client.put(url(child, "placements", placement), {}, format="json").status_code == 405
    assert client.delete(url(child, "placements", placement)).status_code == 405
    assert Placement.objects.filter(pk=placement.pk).exists()


# --- Reading and writing --------------------------------------------------------------------------


def test_records_show_the_contract_fields(api, worker, child):
    client = as_user(api, worker)
    period = client.get(url(child, "periods-of-care")).json()["results"][0]
    assert period == {
        "id": period["id"],
        "version": 1,
        "start_date": START.isoformat(),
        "end_date": None,
        "category_of_need": "N1",
        "home_postcode": "",
        "reason_ceased": None,
    }
    status = client.get(url(child, "legal-statuses")).json()["results"][0]
    assert (status["code"], status["start_date"], status["end_date"]) == ("V2", START.isoformat(), None)
    placement = client.get(url(child, "placements")).json()["results"][0]
    assert {
        "id", "version", "place", "provider", "start_date", "end_date", "postcode", "urn", "carer_reference",
        "reason_for_change", "address", "carer_name", "carer_phone", "host_authority", "out_of_area",
    } == set(placement)  # fmt: skip
    assert (placement["place"], placement["provider"], placement["host_authority"]) == ("U6", "PR1", None)


def test_a_move_ends_one_placement_and_starts_the_next_on_the_same_day(api, worker, child):
    client = as_user(api, worker)
    current = first(child, "placements")
    host = OrganisationFactory()
    ended = client.patch(
        url(child, "placements", current),
        {"version": 1, "end_date": days_ago(10), "reason_for_change": "CHILD"},
        format="json",
    )
    assert ended.status_code == 200, ended.json()
    assert ended.json()["version"] == 2
    moved = client.post(
        url(child, "placements"),
        {
            "place": "K2",
            "provider": "PR4",
            "start_date": days_ago(10),
            "postcode": "LS1 4AP",
            "urn": "SC123456",
            "host_authority": str(host.pk),
            "out_of_area": True,
        },
        format="json",
    )
    assert moved.status_code == 201, moved.json()
    assert moved.json()["host_authority"] == str(host.pk)
    assert list(child.placements.values_list("place", flat=True)) == ["U6", "K2"]
    newest = child.placements.get(place="K2")
    assert newest.history.first().history_user == worker
    assert current.history.first().history_user == worker


def test_ending_a_period_of_care_with_a_reason(api, worker, child):
    period = first(child, "periods-of-care")
    client = as_user(api, worker)
    refused = client.patch(
        url(child, "periods-of-care", period),
        {"version": 1, "end_date": days_ago(1), "reason_ceased": "E4A"},
        format="json",
    )
    assert refused.status_code == 400
    assert "End the legal statuses and placements" in refused.json()["end_date"][0]
    for kind in ("legal-statuses", "placements"):
        record = first(child, kind)
        assert (
            client.patch(
                url(child, kind, record), {"version": record.version, "end_date": days_ago(1)}, format="json"
            ).status_code
            == 200
        )
    response = as_user(api, worker).patch(
        url(child, "periods-of-care", period),
        {"version": 1, "end_date": days_ago(1), "reason_ceased": "E4A"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    period.refresh_from_db()
    assert (period.end_date, period.reason_ceased, period.version) == (TODAY - timedelta(days=1), "E4A", 2)
    assert period.history.first().history_user == worker


def test_stale_version_is_409_and_changes_nothing(api, worker, manager, child):
    placement = first(child, "placements")
    client = as_user(api, worker)
    assert (
        client.patch(url(child, "placements", placement), {"version": 1, "urn": "SC1"}, format="json").status_code
        == 200
    )
    response = client.patch(url(child, "placements", placement), {"version": 1, "urn": "SC2"}, format="json")
    assert response.status_code == 409
    placement.refresh_from_db()
    assert (placement.urn, placement.version) == ("SC1", 2)


def test_patch_without_a_version_is_400(api, worker, child):
    status = first(child, "legal-statuses")
    response = as_user(api, worker).patch(url(child, "legal-statuses", status), {"code": "C2"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you last read"]}
    status.refresh_from_db()
    assert status.code == "V2"


# --- Validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("segment", "payload", "field", "message"),
    [
        (
            "legal-statuses",
            {"code": "Z9", "start_date": days_ago(5)},
            "code",
            "Enter a valid 903 legal status code, like C2 or V2",
        ),
        ("placements", {"place": "U9", "start_date": days_ago(5)}, "place", None),
        ("placements", {"place": "U6", "provider": "PR9", "start_date": days_ago(5)}, "provider", None),
        ("periods-of-care", {"category_of_need": "N9", "start_date": days_ago(5)}, "category_of_need", None),
        ("periods-of-care", {"category_of_need": "N1", "start_date": "yesterday"}, "start_date", None),
        ("periods-of-care", {"category_of_need": "N1"}, "start_date", None),
        (
            "periods-of-care",
            {"category_of_need": "N1", "start_date": days_ago(5), "end_date": days_ago(1)},
            "reason_ceased",
            "Select the reason the period of care ended",
        ),
        (
            "periods-of-care",
            {"category_of_need": "N1", "start_date": days_ago(5), "reason_ceased": "E4A"},
            "reason_ceased",
            "Only give a reason when the period of care has ended",
        ),
        (
            "periods-of-care",
            {"category_of_need": "N1", "start_date": days_ago(5), "end_date": days_ago(9), "reason_ceased": "E8"},
            "end_date",
            "End date must be the same as or after the start date",
        ),
        (
            "periods-of-care",
            {"category_of_need": "N1", "start_date": (TODAY + timedelta(days=1)).isoformat()},
            "start_date",
            "Start date must be today or in the past",
        ),
        (
            "placements",
            {"place": "U6", "start_date": days_ago(5)},
            "start_date",
            "The placement must fall inside one of the child's periods of care. Record the period of care first",
        ),
        (
            "legal-statuses",
            {"code": "C2", "start_date": days_ago(5)},
            "start_date",
            "The legal status must fall inside one of the child's periods of care. Record the period of care first",
        ),
    ],
)
def test_invalid_records_for_a_child_not_in_care_are_400_and_not_saved(
    api, worker, fresh_child, segment, payload, field, message
):
    response = as_user(api, worker).post(url(fresh_child, segment), payload, format="json")
    assert response.status_code == 400
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    model, related = SEGMENTS[segment]
    assert not model.objects.filter(child=fresh_child).exists()


def test_overlapping_placements_are_400(api, worker, child):
    response = as_user(api, worker).post(
        url(child, "placements"), {"place": "K2", "start_date": days_ago(30)}, format="json"
    )
    assert response.status_code == 400
    assert "overlaps another placement" in response.json()["start_date"][0]
    assert child.placements.count() == 1


def test_overlapping_periods_of_care_are_400(api, worker, child):
    response = as_user(api, worker).post(
        url(child, "periods-of-care"), {"category_of_need": "N2", "start_date": days_ago(10)}, format="json"
    )
    assert response.status_code == 400
    assert "overlaps another period of care" in response.json()["start_date"][0]
    assert child.periods_of_care.count() == 1


def test_an_update_that_breaks_a_rule_is_400_and_changes_nothing(api, worker, child):
    period = first(child, "periods-of-care")
    response = as_user(api, worker).patch(
        url(child, "periods-of-care", period), {"version": 1, "end_date": days_ago(1)}, format="json"
    )
    assert response.status_code == 400
    assert "reason_ceased" in response.json()
    period.refresh_from_db()
    assert (period.end_date, period.version) == (None, 1)


def test_a_placement_may_not_start_before_the_child_was_born(api, worker, manager, authority, team):
    baby = make_child(by=manager, organisation=authority, team=team, date_of_birth=TODAY - timedelta(days=20))
    response = as_user(api, worker).post(
        url(baby, "periods-of-care"), {"category_of_need": "N1", "start_date": days_ago(30)}, format="json"
    )
    assert response.status_code == 400
    assert "date of birth" in response.json()["start_date"][0]


@pytest.mark.parametrize("host", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", 12])
def test_an_unknown_host_authority_is_400(api, worker, child, host):
    placement = first(child, "placements")
    response = as_user(api, worker).patch(
        url(child, "placements", placement), {"version": 1, "host_authority": host}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"host_authority": ["Choose a local authority"]}


def test_list_query_count_does_not_grow_with_records(api, worker, child, django_assert_max_num_queries):
    client = as_user(api, worker)
    with django_assert_max_num_queries(4):
        assert client.get(url(child, "placements")).json()["count"] == 1
