"""`/api/v1/returns/`: who may queue a return, what a run looks like, downloads, scope (404) and bad input (400).

Most tests call ``reporting.services.generate`` directly; one sends the run through a real Celery worker.
"""

import csv
import io
import uuid
from datetime import date, datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from casework import services as cw
from casework.models import AccessLogEntry
from missing_episodes import services as ms
from reporting import services
from reporting.models import ReturnRun, RunStatus
from tests.factories import TeamFactory, UserFactory
from tests.support.processes import start_celery_worker, stop_process, wait_for, worker_env

pytestmark = pytest.mark.django_db

URL = "/api/v1/returns/"
YEAR = 2025
FILES = ["header.csv", "episodes.csv", "uasc.csv", "missing.csv"]
ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]
MAY_RUN = {"team_manager", "service_manager", "data_officer"}


def at(*args):
    return timezone.make_aware(datetime(*args))


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def seed_children(authority, team, by) -> dict:
    """Two children in care in 2024/25; RET1 went missing for two days in June 2024."""
    children = {}
    for la_id, sex, start in (("RET1", "M", date(2024, 5, 1)), ("RET2", "F", date(2023, 1, 10))):
        child = cw.create_child(
            by=by,
            organisation=authority,
            team=team,
            la_child_id=la_id,
            first_name="Test",
            last_name=la_id,
            sex=sex,
            date_of_birth=date(2010, 3, 15),
            ethnicity="BAFR",
            is_mother=False if sex == "F" else None,
        )
        record = {"child": child, "by": by}
        cw.add_care_record(kind="periods_of_care", start_date=start, category_of_need="N8", **record)
        cw.add_care_record(kind="legal_statuses", start_date=start, code="V2", **record)
        cw.add_care_record(
            kind="placements", start_date=start, place="U6", provider="PR1", postcode="NB1 1AA", **record
        )
        children[la_id] = child
    episode = ms.report_missing(child=children["RET1"], kind="M", started_at=at(2024, 6, 1, 21), by=by)
    ms.close_episode(episode=episode, by=by, version=1, ended_at=at(2024, 6, 3, 9), outcome="found")
    return children


@pytest.fixture
def officer(make_user):
    return make_user("data_officer")


@pytest.fixture
def seeded(authority, team, make_user):
    return seed_children(authority, team, make_user("social_worker"))


@pytest.fixture
def done_run(officer, seeded):
    run = services.request_return(kind="ssda903", year=YEAR, by=officer)
    return services.generate(run.pk)


# --- Who may ask for a return ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_post_queues_a_run_for_the_roles_that_may_run_returns(make_user, authority, role):
    user = make_user(role)
    response = client_for(user).post(URL, {"kind": "ssda903", "year": YEAR}, format="json")
    if role in MAY_RUN:
        assert response.status_code == 202, response.content
        body = response.json()
        assert body["kind"] == "ssda903" and body["year"] == YEAR
        assert body["status"] == "queued" and body["progress"] == 0 and body["files"] == []
        run = ReturnRun.objects.get(pk=body["id"])
        assert run.organisation == authority and run.requested_by == user
    else:
        assert response.status_code == 403
        assert not ReturnRun.objects.exists()


def test_unauthenticated_calls_get_401():
    assert APIClient().get(URL).status_code == 401
    assert APIClient().post(URL, {"kind": "ssda903", "year": YEAR}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "nope", "year": YEAR}, "kind"),
        ({"kind": "ssda903", "year": 1990}, "year"),
        ({"kind": "ssda903", "year": "abc"}, "year"),
        ({"kind": "ssda903"}, "year"),
        ({"year": YEAR}, "kind"),
        ({"kind": "ssda903", "year": 99999999999999999999}, "year"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(officer, body, field):
    response = client_for(officer).post(URL, body, format="json")
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)
    assert not ReturnRun.objects.exists()


def test_a_non_json_body_is_a_400_or_415_never_500(officer):
    client = client_for(officer)
    assert client.post(URL, "{not json", content_type="application/json").status_code == 400
    assert client.post(URL, "kind=ssda903", content_type="text/plain").status_code == 415


# --- Reading runs ------------------------------------------------------------------------------------


def test_a_finished_run_lists_its_files_with_absolute_urls_and_its_validation(officer, done_run):
    response = client_for(officer).get(f"{URL}{done_run.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(done_run.pk)
    assert (body["kind"], body["year"], body["status"], body["progress"]) == ("ssda903", YEAR, "done", 100)
    assert [f["name"] for f in body["files"]] == FILES
    rows = {f["name"]: f["rows"] for f in body["files"]}
    assert rows == {"header.csv": 2, "episodes.csv": 2, "uasc.csv": 0, "missing.csv": 1}
    for file in body["files"]:
        assert file["url"] == f"http://testserver/api/v1/returns/{done_run.pk}/files/{file['name']}"
    validation = body["validation"]
    assert {"errors", "warnings", "issues"} <= set(validation)
    assert validation["errors"] == len(validation["issues"])
    assert validation["validator"] == "csc-validator-be-903"
    for issue in validation["issues"]:
        assert {"child", "rule", "field", "description"} <= set(issue)


def test_a_queued_run_has_no_files_and_no_validation_yet(officer):
    run = services.request_return(kind="ssda903", year=YEAR, by=officer)
    body = client_for(officer).get(f"{URL}{run.pk}/").json()
    assert (body["status"], body["files"], body["validation"]) == ("queued", [], None)


def test_the_list_is_paginated_and_holds_only_the_authoritys_runs(officer, other_authority):
    mine = [services.request_return(kind="ssda903", year=year, by=officer) for year in (2023, 2024, 2025)]
    stranger = UserFactory(role="data_officer", organisation=other_authority)
    services.request_return(kind="ssda903", year=YEAR, by=stranger)
    body = client_for(officer).get(URL, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    second = client_for(officer).get(body["next"]).json()
    ids = {r["id"] for r in body["results"] + second["results"]}
    assert ids == {str(r.pk) for r in mine}
    # Newest first.
    assert body["results"][0]["id"] == str(mine[-1].pk)


@pytest.mark.parametrize("role", sorted(set(ROLES) - MAY_RUN))
def test_roles_that_cannot_run_returns_see_no_runs(make_user, done_run, role):
    client = client_for(make_user(role))
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{done_run.pk}/").status_code == 404
    assert client.get(f"{URL}{done_run.pk}/files/header.csv").status_code == 404


def test_another_authoritys_run_is_a_404(done_run, other_authority):
    stranger = UserFactory(
        role="data_officer", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )
    client = client_for(stranger)
    assert client.get(f"{URL}{done_run.pk}/").status_code == 404
    assert client.get(f"{URL}{done_run.pk}/files/header.csv").status_code == 404
    assert client.get(URL).json()["count"] == 0


def test_an_unknown_run_is_a_404(officer):
    assert client_for(officer).get(f"{URL}{uuid.uuid4()}/").status_code == 404
    assert client_for(officer).get(f"{URL}not-a-uuid/").status_code == 404


# --- Downloads ---------------------------------------------------------------------------------------


def test_download_is_the_csv_with_the_dfe_header_line_and_is_logged(officer, done_run):
    response = client_for(officer).get(f"{URL}{done_run.pk}/files/missing.csv", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="missing.csv"'
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.splitlines()[0] == "CHILD,DOB,MISSING,MIS_START,MIS_END"
    assert list(csv.reader(io.StringIO(text)))[1:] == [["RET1", "15/03/2010", "M", "01/06/2024", "03/06/2024"]]
    entry = AccessLogEntry.objects.get(action="return_downloaded")
    assert (entry.user, entry.object_id, entry.detail) == (officer, done_run.pk, "missing.csv")


def test_every_file_downloads_with_its_dfe_columns(officer, done_run):
    client = client_for(officer)
    first_lines = {}
    for name in FILES:
        response = client.get(f"{URL}{done_run.pk}/files/{name}")
        assert response.status_code == 200
        first_lines[name] = b"".join(response.streaming_content).decode("utf-8").splitlines()[0]
    assert first_lines == {
        "header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
        "episodes.csv": (
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
        ),
        "uasc.csv": "CHILD,SEX,DOB,DUC",
        "missing.csv": "CHILD,DOB,MISSING,MIS_START,MIS_END",
    }


@pytest.mark.parametrize("name", ["nope.csv", "..%2F..%2Fsettings.py", "header.CSV", "reviews.csv"])
def test_a_file_name_not_in_the_run_is_a_404(officer, done_run, name):
    response = client_for(officer).get(f"{URL}{done_run.pk}/files/{name}")
    assert response.status_code == 404
    assert not AccessLogEntry.objects.filter(action="return_downloaded").exists()


def test_files_of_an_unfinished_run_are_a_404(officer):
    run = services.request_return(kind="ssda903", year=YEAR, by=officer)
    assert client_for(officer).get(f"{URL}{run.pk}/files/header.csv").status_code == 404


def test_the_schema_describes_the_returns_endpoints(officer):
    response = client_for(officer).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/v1/returns/", "/api/v1/returns/{id}/", "/api/v1/returns/{id}/files/{name}"):
        assert path in text


# --- Through a real worker -----------------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_run_goes_through_a_real_celery_worker_to_done(authority, team, make_user, tmp_path):
    officer = make_user("data_officer")
    seed_children(authority, team, make_user("social_worker"))
    log_path = tmp_path / "worker.log"
    worker = start_celery_worker(worker_env(PYTHONUNBUFFERED="1"), log_path=log_path)
    try:
        client = client_for(officer)
        response = client.post(URL, {"kind": "ssda903", "year": YEAR}, format="json")
        assert response.status_code == 202
        run_id = response.json()["id"]

        def finished():
            body = client.get(f"{URL}{run_id}/").json()
            return body if body["status"] in (RunStatus.DONE, RunStatus.FAILED) else None

        try:
            body = wait_for(finished, timeout=180, interval=0.5, what="the return run to finish")
        except AssertionError:
            print(log_path.read_text(errors="replace")[-4000:])
            raise
        assert body["status"] == "done", body
        assert body["progress"] == 100
        assert [f["name"] for f in body["files"]] == FILES
        download = client.get(body["files"][3]["url"])
        assert download.status_code == 200
        lines = b"".join(download.streaming_content).decode("utf-8").splitlines()
        assert lines == ["CHILD,DOB,MISSING,MIS_START,MIS_END", "RET1,15/03/2010,M,01/06/2024,03/06/2024"]
        assert AccessLogEntry.objects.filter(object_id=run_id, action="return_generated").exists()
    finally:
        stop_process(worker)
