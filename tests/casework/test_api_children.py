"""`/api/v1/children/`: who sees and changes which child, what is validated, what is recorded."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework import services
from casework.models import AccessLogEntry, Child
from tests.factories import OrganisationFactory, TeamFactory, UserFactory
from tests.factories.children import child_in_care, make_child

URL = "/api/v1/children/"
ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]
CASE_STAFF = {"social_worker", "team_manager", "service_manager", "missing_coordinator"}
READERS = CASE_STAFF | {"data_officer"}


def detail(child) -> str:
    return f"{URL}{child.pk}/"


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
    return make_child(by=manager, organisation=authority, team=team, first_name="Minh", last_name="Nguyen", sex="M")


def as_user(api, user):
    api.force_authenticate(user)
    return api


def new_child_payload(team, /, **overrides) -> dict:
    payload = {
        "la_child_id": "NEW001",
        "first_name": "Selam",
        "last_name": "Tesfaye",
        "aliases": [{"name": "Salam Tesfay", "kind": "spelling"}],
        "sex": "F",
        "date_of_birth": "2010-03-15",
        "dob_estimated": True,
        "ethnicity": "BAFR",
        "is_mother": False,
        "nationality": "Eritrean",
        "first_language": "Tigrinya",
        "interpreter_required": True,
        "description": {"height": "155cm", "hair": "Black, braided"},
        "team": str(team.pk),
        "trafficking": {"status": "suspected", "exploitation_types": ["labour", "sexual"]},
        "uasc": {"is_uasc": True, "arrival_date": "2024-11-02", "immigration_status": "asylum_claim_pending"},
    }
    payload.update(overrides)
    return payload


# --- Role matrix ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_the_authoritys_children_to_staff_only(api, make_user, child, role):
    response = as_user(api, make_user(role)).get(URL)
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == ([str(child.pk)] if role in READERS else [])


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_is_404_for_roles_that_cannot_see_the_child(api, make_user, child, role):
    response = as_user(api, make_user(role)).get(detail(child))
    assert response.status_code == (200 if role in READERS else 404)


@pytest.mark.parametrize("role", ROLES)
def test_only_case_staff_can_add_a_child(api, make_user, team, role):
    response = as_user(api, make_user(role)).post(URL, new_child_payload(team), format="json")
    assert response.status_code == (201 if role in CASE_STAFF else 403)
    assert Child.objects.filter(la_child_id="NEW001").exists() == (role in CASE_STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_only_case_staff_can_change_a_child(api, make_user, child, role):
    response = as_user(api, make_user(role)).patch(
        detail(child), {"version": child.version, "preferred_name": "Minnie"}, format="json"
    )
    expected = 200 if role in CASE_STAFF else 403 if role == "data_officer" else 404
    assert response.status_code == expected
    child.refresh_from_db()
    assert (child.preferred_name == "Minnie") == (role in CASE_STAFF)


@pytest.mark.parametrize("role", ROLES)
def test_another_authoritys_child_does_not_exist(api, make_user, other_authority, role):
    other_worker = UserFactory(role="team_manager", organisation=other_authority)
    theirs = make_child(by=other_worker, organisation=other_authority, team=TeamFactory(organisation=other_authority))
    client = as_user(api, make_user(role))
    assert client.get(detail(theirs)).status_code == 404
    assert client.patch(detail(theirs), {"version": 1, "first_name": "X"}, format="json").status_code == 404
    assert str(theirs.pk) not in [row["id"] for row in client.get(URL).json()["results"]]
    theirs.refresh_from_db()
    assert theirs.first_name != "X"


def test_unauthenticated_calls_are_401(api, child):
    assert api.get(URL).status_code == 401
    assert api.get(detail(child)).status_code == 401


def test_put_and_delete_are_not_allowed(api, worker, child):
    client = as_user(api, worker)
    assert client.put(detail(child), {}, format="json").status_code == 405
    assert client.delete(detail(child)).status_code == 405
    assert Child.objects.filter(pk=child.pk).exists()


def test_a_malformed_id_in_the_path_is_404(api, worker, child):
    assert as_user(api, worker).get(f"{URL}not-a-uuid/").status_code == 404


# --- Restricted records ---------------------------------------------------------------------------


@pytest.fixture
def restricted(manager, worker, authority, team):
    return make_child(by=manager, organisation=authority, team=team, allocated_social_worker=worker, restricted=True)


def test_restricted_child_is_404_and_unlisted_for_a_colleague_not_allocated(api, make_user, authority, restricted):
    colleague = make_user("social_worker", team=TeamFactory(organisation=authority))
    client = as_user(api, colleague)
    assert client.get(detail(restricted)).status_code == 404
    assert client.patch(detail(restricted), {"version": 1, "first_name": "X"}, format="json").status_code == 404
    assert client.get(URL).json()["count"] == 0


@pytest.mark.parametrize("who", ["allocated worker", "their team manager", "granted colleague"])
def test_restricted_child_is_visible_to_those_allocated_or_granted(api, make_user, authority, worker, restricted, who):
    if who == "allocated worker":
        user = worker
    elif who == "their team manager":
        user = make_user("team_manager")
    else:
        user = make_user("social_worker", team=TeamFactory(organisation=authority))
        services.grant_access(child=restricted, user=user, by=make_user("service_manager"), reason="Covering")
    client = as_user(api, user)
    assert client.get(detail(restricted)).status_code == 200
    assert [row["id"] for row in client.get(URL).json()["results"]] == [str(restricted.pk)]


def test_a_social_worker_cannot_restrict_a_record(api, worker, child):
    response = as_user(api, worker).patch(detail(child), {"version": child.version, "restricted": True}, format="json")
    assert response.status_code == 403
    child.refresh_from_db()
    assert child.restricted is False
    assert child.version == 1


def test_a_social_worker_cannot_add_a_restricted_child(api, worker, team):
    response = as_user(api, worker).post(URL, new_child_payload(team, restricted=True), format="json")
    assert response.status_code == 403
    assert not Child.objects.filter(la_child_id="NEW001").exists()


def test_a_team_manager_can_restrict_a_record(api, manager, worker, child):
    response = as_user(api, manager).patch(
        detail(child),
        {"version": child.version, "restricted": True, "allocated_social_worker": str(worker.pk)},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["restricted"] is True


# --- Create, read, update -------------------------------------------------------------------------


def test_create_returns_the_child_in_the_callers_authority(api, worker, team, authority):
    response = as_user(api, worker).post(URL, new_child_payload(team), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    child = Child.objects.get(pk=body["id"])
    assert child.organisation == authority
    assert response["Location"].endswith(f"{URL}{child.pk}/")
    assert body["aliases"] == [{"name": "Salam Tesfay", "kind": "spelling"}]
    assert body["description"]["height"] == "155cm"
    assert body["trafficking"]["status"] == "suspected"
    assert body["trafficking"]["reasonable_grounds"] is None
    assert body["uasc"]["immigration_status"] == "asylum_claim_pending"
    assert body["is_trafficked"] is True
    assert body["currently_missing"] is False
    assert body["open_missing_episode"] is None
    assert body["version"] == 1
    assert body["team"] == str(team.pk)
    assert child.history.first().history_user == worker


def test_retrieve_returns_every_contract_field(api, worker, child):
    body = as_user(api, worker).get(detail(child)).json()
    contract = {
        "id", "version", "la_child_id", "first_name", "last_name", "preferred_name", "aliases", "sex",
        "date_of_birth", "dob_estimated", "ethnicity", "is_mother", "first_child_date_of_birth", "upn",
        "nationality", "first_language", "interpreter_required", "description", "allocated_social_worker",
        "team", "restricted", "trafficking", "uasc", "is_trafficked", "currently_missing",
        "open_missing_episode", "created_at", "updated_at",
    }  # fmt: skip
    assert contract <= set(body)
    assert set(body["description"]) == {"height", "build", "hair", "eyes", "distinguishing_marks", "clothing_notes"}
    assert {
        "status", "exploitation_types", "nrm_referral_date", "nrm_first_responder", "reasonable_grounds",
        "reasonable_grounds_date", "conclusive_grounds", "conclusive_grounds_date",
    } <= set(body["trafficking"])  # fmt: skip
    assert set(body["uasc"]) == {
        "is_uasc", "arrival_date", "asylum_claim_date", "home_office_reference", "immigration_status",
        "age_disputed", "uasc_ceased_date",
    }  # fmt: skip


def test_retrieve_writes_an_access_log_entry(api, worker, child):
    as_user(api, worker).get(detail(child))
    entry = AccessLogEntry.objects.get(object_id=child.pk)
    assert (entry.user, entry.action, entry.object_type) == (worker, "api_view", "child")


def test_listing_writes_no_access_log(api, worker, child):
    as_user(api, worker).get(URL)
    assert not AccessLogEntry.objects.exists()


def test_patch_changes_nested_fields_and_records_who_did_it(api, worker, child):
    response = as_user(api, worker).patch(
        detail(child),
        {
            "version": 1,
            "description": {"eyes": "Brown"},
            "trafficking": {"status": "identified", "nrm_referral_date": "2025-01-10"},
            "aliases": [{"name": "Nguyễn Văn Minh", "kind": "original_script"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 2
    assert body["description"]["eyes"] == "Brown"
    assert body["trafficking"]["status"] == "identified"
    assert body["first_name"] == "Minh"  # untouched by a partial update
    child.refresh_from_db()
    assert (child.eyes, child.trafficking_status, child.nrm_referral_date) == ("Brown", "identified", date(2025, 1, 10))
    latest = child.history.first()
    assert latest.history_user == worker
    assert latest.prev_record.trafficking_status == "none"


def test_patch_with_a_stale_version_is_409_and_changes_nothing(api, worker, manager, child):
    services.update_child(child=child, by=manager, version=1, preferred_name="Minnie")
    response = as_user(api, worker).patch(detail(child), {"version": 1, "first_name": "Changed"}, format="json")
    assert response.status_code == 409
    assert "Reload" in response.json()["detail"]
    child.refresh_from_db()
    assert (child.first_name, child.preferred_name, child.version) == ("Minh", "Minnie", 2)


def test_patch_without_a_version_is_400(api, worker, child):
    response = as_user(api, worker).patch(detail(child), {"first_name": "Changed"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"version": ["Send the version you last read"]}
    child.refresh_from_db()
    assert child.first_name == "Minh"


# --- Validation: 400, the field named, nothing saved ----------------------------------------------


TOMORROW = (date.today() + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": TOMORROW}, "date_of_birth"),
        ({"date_of_birth": "15/03/2010"}, "date_of_birth"),
        ({"la_child_id": "AB-12"}, "la_child_id"),
        ({"la_child_id": "A" * 21}, "la_child_id"),
        ({"ethnicity": "XXXX"}, "ethnicity"),
        ({"sex": "Q"}, "sex"),
        ({"is_mother": None}, "is_mother"),
        ({"is_mother": True}, "first_child_date_of_birth"),
        ({"upn": "12345"}, "upn"),
        ({"aliases": "Salam"}, "aliases"),
        ({"aliases": [{"name": "Salam", "kind": "pet name"}]}, "aliases"),
        ({"team": "not-a-uuid"}, "team"),
        ({"team": None}, "team"),
        ({"allocated_social_worker": "123"}, "allocated_social_worker"),
        ({"trafficking": "suspected"}, "trafficking"),
    ],
)
def test_create_rejects_invalid_input(api, worker, team, overrides, field):
    response = as_user(api, worker).post(URL, new_child_payload(team, **overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Child.objects.exists()


def test_create_rejects_missing_required_fields(api, worker):
    response = as_user(api, worker).post(URL, {}, format="json")
    assert response.status_code == 400
    assert {"la_child_id", "first_name", "last_name", "sex", "date_of_birth", "ethnicity", "team"} <= set(
        response.json()
    )


def test_create_rejects_a_duplicate_child_id_whatever_its_case(api, worker, team, child):
    response = as_user(api, worker).post(
        URL, new_child_payload(team, la_child_id=child.la_child_id.lower()), format="json"
    )
    assert response.status_code == 400
    assert response.json()["la_child_id"] == ["Another child in this authority already has this Child ID"]
    assert Child.objects.count() == 1


def test_the_same_child_id_may_be_used_by_another_authority(api, worker, team, other_authority):
    other_worker = UserFactory(role="team_manager", organisation=other_authority)
    make_child(by=other_worker, organisation=other_authority, la_child_id="NEW001")
    assert as_user(api, worker).post(URL, new_child_payload(team), format="json").status_code == 201


def test_create_rejects_a_team_of_another_authority(api, worker, other_authority):
    theirs = TeamFactory(organisation=other_authority)
    response = as_user(api, worker).post(URL, new_child_payload(theirs), format="json")
    assert response.status_code == 400
    assert response.json()["team"] == ["Choose a team in your own authority"]
    assert not Child.objects.exists()


def test_create_rejects_a_social_worker_of_another_authority(api, worker, team, other_authority):
    stranger = UserFactory(role="social_worker", organisation=other_authority)
    response = as_user(api, worker).post(
        URL, new_child_payload(team, allocated_social_worker=str(stranger.pk)), format="json"
    )
    assert response.status_code == 400
    assert response.json()["allocated_social_worker"] == ["Choose a social worker in your own authority"]
    assert not Child.objects.exists()


def test_nested_errors_come_back_under_their_group(api, worker, team):
    payload = new_child_payload(
        team,
        trafficking={"status": "suspected", "nrm_referral_date": "2025-01-10", "reasonable_grounds": "positive"},
        description={"height": "x" * 51},
    )
    response = as_user(api, worker).post(URL, payload, format="json")
    assert response.status_code == 400
    assert set(response.json()["description"]) == {"height"}
    payload["description"] = {}
    response = as_user(api, worker).post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"trafficking": {"reasonable_grounds_date": ["Enter the date of the decision"]}}
    assert not Child.objects.exists()


def test_nested_choice_errors_name_the_nested_field(api, worker, team):
    payload = new_child_payload(team, trafficking={"status": "maybe"}, uasc={"immigration_status": "visa"})
    body = as_user(api, worker).post(URL, payload, format="json").json()
    assert set(body) == {"trafficking", "uasc"}
    assert body["trafficking"]["status"] == ["Choose none, suspected or identified"]
    assert "immigration_status" in body["uasc"]


def test_patch_rejects_invalid_input_and_saves_nothing(api, worker, child):
    client = as_user(api, worker)
    for payload, field in [
        ({"version": 1, "date_of_birth": TOMORROW}, "date_of_birth"),
        ({"version": 1, "uasc": {"uasc_ceased_date": "2025-01-01"}}, "uasc"),
        ({"version": 1, "team": "00000000-0000-0000-0000-000000000000"}, "team"),
        ({"version": "two", "first_name": "X"}, "version"),
    ]:
        response = client.patch(detail(child), payload, format="json")
        assert response.status_code == 400, payload
        assert field in response.json()
    child.refresh_from_db()
    assert (child.version, child.first_name) == (1, "Minh")


# --- List and filters -----------------------------------------------------------------------------


def test_search_finds_an_alias_spelt_another_way(api, worker, manager, authority, team, child):
    abdi = make_child(
        by=manager,
        organisation=authority,
        team=team,
        first_name="Abdi",
        last_name="Osman",
        aliases=[{"name": "Mohammed Osman", "kind": "alias"}],
    )
    body = as_user(api, worker).get(URL, {"q": "Mohamed"}).json()
    assert [row["id"] for row in body["results"]] == [str(abdi.pk)]


def test_search_finds_a_child_by_child_id(api, worker, child, manager, authority, team):
    make_child(by=manager, organisation=authority, team=team, first_name="Arben", last_name="Hoxha")
    body = as_user(api, worker).get(URL, {"q": child.la_child_id}).json()
    assert [row["id"] for row in body["results"]] == [str(child.pk)]


def test_search_never_reaches_another_authority(api, worker, other_authority):
    other_worker = UserFactory(role="team_manager", organisation=other_authority)
    make_child(by=other_worker, organisation=other_authority, first_name="Minh", last_name="Nguyen")
    assert as_user(api, worker).get(URL, {"q": "Minh Nguyen"}).json()["count"] == 0


def test_filters_by_trafficking_uasc_and_team(api, worker, manager, authority, team, child):
    trafficked = make_child(by=manager, organisation=authority, team=team, trafficking_status="suspected")
    uasc = make_child(by=manager, organisation=authority, team=team, is_uasc=True)
    elsewhere = make_child(by=manager, organisation=authority, team=TeamFactory(organisation=authority))
    client = as_user(api, worker)

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids(trafficked="true") == {str(trafficked.pk)}
    assert ids(trafficked="false") == {str(c.pk) for c in (child, uasc, elsewhere)}
    assert ids(uasc="true") == {str(uasc.pk)}
    assert ids(team=str(elsewhere.team_id)) == {str(elsewhere.pk)}
    assert ids(team=str(TeamFactory(organisation=OrganisationFactory()).pk)) == set()


@pytest.mark.parametrize("params", [{"trafficked": "perhaps"}, {"team": "nope"}, {"missing": "sometimes"}])
def test_bad_filters_are_400(api, worker, child, params):
    response = as_user(api, worker).get(URL, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_missing_filter_and_flags_follow_the_open_episode(api, worker, manager, authority, team):
    from missing_episodes.services import report_missing

    in_care = child_in_care(by=manager, organisation=authority, team=team)
    away = child_in_care(by=manager, organisation=authority, team=team)
    episode = report_missing(child=away, kind="M", started_at=timezone.now() - timedelta(hours=2), by=manager)
    client = as_user(api, worker)

    assert [row["id"] for row in client.get(URL, {"missing": "true"}).json()["results"]] == [str(away.pk)]
    assert [row["id"] for row in client.get(URL, {"missing": "false"}).json()["results"]] == [str(in_care.pk)]
    body = client.get(detail(away)).json()
    assert (body["currently_missing"], body["open_missing_episode"]) == (True, str(episode.pk))
    listed = {row["id"]: row for row in client.get(URL).json()["results"]}
    assert listed[str(away.pk)]["open_missing_episode"] == str(episode.pk)
    assert listed[str(in_care.pk)]["currently_missing"] is False


def test_list_is_paginated(api, worker, manager, authority, team):
    for _ in range(3):
        make_child(by=manager, organisation=authority, team=team)
    body = as_user(api, worker).get(URL, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"] and body["previous"] is None


def test_list_query_count_does_not_grow_with_children(
    api, worker, manager, authority, team, django_assert_max_num_queries
):
    client = as_user(api, worker)
    for _ in range(2):
        make_child(by=manager, organisation=authority, team=team, aliases=[{"name": "Alias One", "kind": "alias"}])
    with django_assert_max_num_queries(4):
        assert client.get(URL).json()["count"] == 2
    for _ in range(8):
        make_child(by=manager, organisation=authority, team=team, aliases=[{"name": "Alias Two", "kind": "alias"}])
    with django_assert_max_num_queries(4):
        assert client.get(URL).json()["count"] == 10
    # A search by name adds its plan's statements: inside the test's transaction SAVEPOINT, SET, SET, RELEASE.
    with django_assert_max_num_queries(4 + 4):
        assert client.get(URL, {"q": "Alias", "trafficked": "false", "missing": "false"}).json()["count"] == 10


def test_patch_replaces_aliases_and_each_needs_a_name(api, worker, child):
    client = as_user(api, worker)
    response = client.patch(detail(child), {"version": 1, "aliases": [{"kind": "nickname"}]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"aliases": {"0": {"name": ["This field is required."]}}}  # keyed by position
    response = client.patch(detail(child), {"version": 1, "aliases": [{"name": "Minnie"}]}, format="json")
    assert response.status_code == 200
    assert response.json()["aliases"] == [{"name": "Minnie", "kind": "alias"}]
    assert client.get(URL, {"q": "Minnie"}).json()["count"] == 1
