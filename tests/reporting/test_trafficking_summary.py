"""Trafficked and unaccompanied children who went missing (domain.md §7): hand-computed counts, the page
(who may see it, bad dates, empty state, CSV download, access log) and the return run (services and API).

The hand-built set, all in care from 10 January 2024 unless said, for 1 April 2024 to 31 March 2025:

  T1  suspected trafficked; M 1-3 June 2024, A 10-11 September 2024           went, 2 episodes
  T2  identified trafficked; never missing                                     -
  T3  suspected trafficked, in care only from 1 May 2025                      not looked after in the range
  B1  identified and UASC; A 1 May 2024 switched to M 2 May, back 5 May       went, 1 episode (the switch
      also M 1-2 February 2024 and M 10-11 April 2025 (outside the range)     is the same absence)
  U1  UASC; M from 20 March 2025, never found                                 went, 1 episode, still missing
  U2  UASC status ceased 1 February 2024, before the range; M in June 2024    not UASC in the range
  U3  UASC; M 30 March 2025 to 2 April 2025 (after the range ends)            went, 1 episode, still missing
  N1  neither; M in June 2024                                                  in no group
  O1  another authority: identified, UASC, missing                            not counted
"""

import csv
import io
import re
from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from casework import services as cw
from casework.models import AccessLogEntry
from missing_episodes import services as ms
from reporting import services, trafficking_summary
from reporting.models import ReturnRun
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/reports/trafficking-missing/"
CSV_URL = "/reports/trafficking-missing/download.csv"
YEAR_2025 = {
    "date_from_day": "1",
    "date_from_month": "4",
    "date_from_year": "2024",
    "date_to_day": "31",
    "date_to_month": "3",
    "date_to_year": "2025",
}
LABELS = [
    "Identified or suspected as trafficked",
    "Unaccompanied asylum-seeking children (UASC)",
    "Both trafficked and UASC",
    "Total: trafficked or UASC",
]
# (children, went missing, episodes, still missing) for 1 April 2024 to 31 March 2025.
EXPECTED_2025 = {
    "trafficked": (3, 2, 3, 0),
    "uasc": (3, 3, 3, 2),
    "both": (1, 1, 1, 0),
    "total": (5, 4, 5, 2),
}


def at(*args):
    return timezone.make_aware(datetime(*args))


def new_child(authority, team, by, la_id, *, start=date(2024, 1, 10), end=None, rec="", **fields):
    child = cw.create_child(
        by=by,
        organisation=authority,
        team=team,
        la_child_id=la_id,
        first_name="Test",
        last_name=la_id,
        sex="M",
        date_of_birth=date(2009, 5, 20),
        ethnicity="BAFR",
        **fields,
    )
    record = {"child": child, "by": by}
    cw.add_care_record(
        kind="periods_of_care", start_date=start, end_date=end, category_of_need="N8", reason_ceased=rec, **record
    )
    cw.add_care_record(kind="legal_statuses", start_date=start, end_date=end, code="V2", **record)
    cw.add_care_record(kind="placements", start_date=start, end_date=end, place="U6", provider="PR1", **record)
    return child


def episode(child, by, kind, start, end=None):
    ep = ms.report_missing(child=child, kind=kind, started_at=start, by=by)
    if end is not None:
        ep = ms.close_episode(episode=ep, by=by, version=ep.version, ended_at=end, outcome="found")
    return ep


def build(authority, team, by, *, other_authority=None) -> dict:
    children = {}
    children["T1"] = t1 = new_child(authority, team, by, "T1", trafficking_status="suspected")
    episode(t1, by, "M", at(2024, 6, 1, 21), at(2024, 6, 3, 9))
    episode(t1, by, "A", at(2024, 9, 10, 22), at(2024, 9, 11, 8))
    children["T2"] = new_child(authority, team, by, "T2", trafficking_status="identified")
    children["T3"] = new_child(authority, team, by, "T3", trafficking_status="suspected", start=date(2025, 5, 1))
    children["B1"] = b1 = new_child(authority, team, by, "B1", trafficking_status="identified", is_uasc=True)
    episode(b1, by, "M", at(2024, 2, 1, 20), at(2024, 2, 2, 10))
    away = episode(b1, by, "A", at(2024, 5, 1, 20))
    missing = ms.reclassify(episode=away, by=by, version=away.version, kind="M", at=at(2024, 5, 2, 8))
    ms.close_episode(episode=missing, by=by, version=missing.version, ended_at=at(2024, 5, 5, 14), outcome="found")
    episode(b1, by, "M", at(2025, 4, 10, 20), at(2025, 4, 11, 9))
    children["U1"] = u1 = new_child(authority, team, by, "U1", is_uasc=True)
    episode(u1, by, "M", at(2025, 3, 20, 23))
    children["U2"] = u2 = new_child(authority, team, by, "U2", is_uasc=True, uasc_ceased_date=date(2024, 2, 1))
    episode(u2, by, "M", at(2024, 6, 5, 21), at(2024, 6, 6, 9))
    children["U3"] = u3 = new_child(authority, team, by, "U3", is_uasc=True)
    episode(u3, by, "M", at(2025, 3, 30, 22), at(2025, 4, 2, 10))
    children["N1"] = n1 = new_child(authority, team, by, "N1")
    episode(n1, by, "M", at(2024, 6, 7, 21), at(2024, 6, 8, 9))
    if other_authority is not None:
        other_team = TeamFactory(organisation=other_authority)
        stranger = UserFactory(role="social_worker", organisation=other_authority, team=other_team)
        o1 = new_child(other_authority, other_team, stranger, "O1", trafficking_status="identified", is_uasc=True)
        episode(o1, stranger, "M", at(2024, 7, 1, 21))
        children["O1"] = o1
    return children


@pytest.fixture
def sw(make_user):
    return make_user("social_worker")


@pytest.fixture
def dataset(authority, team, sw, other_authority):
    return build(authority, team, sw, other_authority=other_authority)


@pytest.fixture
def manager(make_user):
    return make_user("team_manager")


def counts(summary) -> dict:
    return {g.key: (g.children, g.went_missing, g.episodes, g.still_missing) for g in summary.groups}


def table_rows(html: str) -> list[list[str]]:
    body = re.search(r"<tbody[^>]*>(.*?)</tbody>", html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


# --- The counts ------------------------------------------------------------------------------------


def test_counts_for_the_hand_built_set(authority, dataset):
    summary = trafficking_summary.summary_for(
        organisation_id=authority.pk, date_from=date(2024, 4, 1), date_to=date(2025, 3, 31)
    )
    assert counts(summary) == EXPECTED_2025
    assert [g.label for g in summary.groups] == LABELS
    assert not summary.empty


def test_a_narrower_range_leaves_out_episodes_that_started_before_it(authority, dataset):
    summary = trafficking_summary.summary_for(
        organisation_id=authority.pk, date_from=date(2025, 3, 25), date_to=date(2025, 3, 31)
    )
    # U1 went missing on 20 March, before the range: looked after, but did not go missing in it.
    assert counts(summary) == {
        "trafficked": (3, 0, 0, 0),
        "uasc": (3, 1, 1, 1),
        "both": (1, 0, 0, 0),
        "total": (5, 1, 1, 1),
    }


def test_still_missing_is_as_at_the_end_of_the_range(authority, dataset):
    # By 5 April 2025 U3 had been found (2 April); U1 had not.
    summary = trafficking_summary.summary_for(
        organisation_id=authority.pk, date_from=date(2025, 3, 1), date_to=date(2025, 4, 5)
    )
    assert summary.group("uasc").still_missing == 1
    assert summary.group("uasc").went_missing == 2


def test_another_authoritys_children_are_not_counted(other_authority, dataset):
    summary = trafficking_summary.summary_for(
        organisation_id=other_authority.pk, date_from=date(2024, 4, 1), date_to=date(2025, 3, 31)
    )
    assert counts(summary) == {key: (1, 1, 1, 1) for key in EXPECTED_2025}


def test_no_children_is_empty(authority):
    summary = trafficking_summary.summary_for(
        organisation_id=authority.pk, date_from=date(2024, 4, 1), date_to=date(2025, 3, 31)
    )
    assert summary.empty
    assert counts(summary) == {key: (0, 0, 0, 0) for key in EXPECTED_2025}


def test_the_counts_take_one_query(authority, dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        trafficking_summary.summary_for(
            organisation_id=authority.pk, date_from=date(2024, 4, 1), date_to=date(2025, 3, 31)
        )


# --- The page -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["team_manager", "service_manager", "missing_coordinator", "data_officer"])
def test_the_roles_that_see_the_dashboards_see_the_figures(client, make_user, dataset, role):
    client.force_login(make_user(role))
    response = client.get(URL, YEAR_2025)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<h1[^>]*>\s*Trafficked and unaccompanied children who went missing\s*</h1>", html)
    assert "Showing 1 April 2024 to 31 March 2025." in html
    assert table_rows(html) == [
        [label, *(str(n) for n in EXPECTED_2025[key])] for label, key in zip(LABELS, EXPECTED_2025, strict=True)
    ]


def test_the_url_is_named():
    assert reverse("trafficking_missing_summary") == URL


@pytest.mark.parametrize("role", ["social_worker", "advocate", "admin"])
def test_other_roles_get_403(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL, YEAR_2025).status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_signed_out_users_are_sent_to_sign_in(client):
    for url in (URL, CSV_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/sign-in/" in response["Location"]


def test_another_authoritys_manager_sees_only_their_own(client, other_authority, dataset):
    stranger = UserFactory(role="service_manager", organisation=other_authority)
    client.force_login(stranger)
    rows = table_rows(client.get(URL, YEAR_2025).content.decode())
    assert [row[1:] for row in rows] == [["1", "1", "1", "1"]] * 4


def test_defaults_to_the_last_12_months_and_shows_an_empty_state(client, manager):
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No trafficked or unaccompanied children were looked after by your authority in this period." in html
    assert "<tbody" not in html
    today = timezone.localdate()
    assert f'name="date_to_year" value="{today.year}"' in html
    assert 'id="download-csv"' in html


def test_a_page_view_is_in_the_access_log(client, manager, authority, dataset):
    client.force_login(manager)
    client.get(URL, YEAR_2025)
    entry = AccessLogEntry.objects.get(action="report_viewed")
    assert (entry.user, entry.object_type, entry.object_id) == (manager, "organisation", authority.pk)
    assert entry.detail == "trafficking_missing_summary 2024-04-01 to 2025-03-31"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"date_to_day": "1", "date_to_month": "3", "date_to_year": "2024"},
            "The end date must be the same as or after the start date",
        ),
        ({"date_from_day": "31", "date_from_month": "2"}, "The start date must be a real date"),
        ({"date_from_month": ""}, "The start date must include a month"),
        ({"date_to_day": "", "date_to_month": "", "date_to_year": ""}, "Enter the end date"),
        ({"date_to_year": str(timezone.localdate().year + 1)}, "The end date must be today or in the past"),
        ({"date_from_year": "24"}, "Year must include 4 numbers"),
        ({"date_from_day": "x", "date_from_month": "<b>", "date_from_year": "99999999999"}, "The start date"),
    ],
)
def test_bad_dates_are_listed_in_the_error_summary_with_a_400(client, manager, dataset, changes, message):
    client.force_login(manager)
    for url in (URL, CSV_URL):
        response = client.get(url, {**YEAR_2025, **changes})
        assert response.status_code == 400
        html = response.content.decode()
        summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
        assert message in summary
        assert "<title>Error: Trafficked and unaccompanied children who went missing" in html
        assert "<tbody" not in html
    assert not AccessLogEntry.objects.exists()


def test_download_csv_is_the_same_range_and_is_logged(client, manager, authority, dataset):
    client.force_login(manager)
    page = client.get(URL, YEAR_2025).content.decode()
    href = re.search(r'<a class="govuk-link" id="download-csv" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.get(href)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="trafficking_missing_summary_2024-04-01_to_2025-03-31.csv"'
    )
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows[0] == list(trafficking_summary.COLUMNS)
    assert rows[1:] == [
        [label, "01/04/2024", "31/03/2025", *(str(n) for n in EXPECTED_2025[key])]
        for label, key in zip(LABELS, EXPECTED_2025, strict=True)
    ]
    entry = AccessLogEntry.objects.get(action="report_downloaded")
    assert (entry.user, entry.object_id) == (manager, authority.pk)


def test_the_returns_and_dashboards_pages_link_to_it(client, make_user):
    client.force_login(make_user("data_officer"))
    for name in ("returns", "dashboards"):
        assert f'href="{URL}"' in client.get(reverse(name)).content.decode()


def test_the_csv_cells_are_neutralised():
    summary = trafficking_summary.Summary(
        date_from=date(2024, 4, 1),
        date_to=date(2025, 3, 31),
        groups=(trafficking_summary.GroupCounts("x", "=HYPERLINK(1)", 1, 0, 0, 0),),
    )
    assert trafficking_summary.csv_rows(summary)[1][0] == "'=HYPERLINK(1)"


# --- As a return run ------------------------------------------------------------------------------


def test_the_return_run_is_the_collection_year(make_user, authority, dataset):
    officer = make_user("data_officer")
    run = services.request_return(kind="trafficking_missing_summary", year=2025, by=officer)
    run = services.generate(run.pk)
    assert run.status == "done", run.error
    assert run.files == [{"name": "trafficking_missing_summary.csv", "rows": 4}]
    assert run.validation["errors"] == 0 and run.validation["validator"] == "not applicable"
    with services.open_file(run, "trafficking_missing_summary.csv", by=officer) as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8"))))
    assert [row[3:] for row in rows[1:]] == [[str(n) for n in EXPECTED_2025[key]] for key in EXPECTED_2025]


def test_api_post_queues_the_summary_and_the_run_completes(make_user, dataset):
    officer = make_user("data_officer")
    client = APIClient()
    client.force_authenticate(officer)
    response = client.post("/api/v1/returns/", {"kind": "trafficking_missing_summary", "year": 2025}, format="json")
    assert response.status_code == 202, response.content
    run_id = response.json()["id"]
    services.generate(run_id)
    body = client.get(f"/api/v1/returns/{run_id}/").json()
    assert (body["status"], body["progress"], body["kind"]) == ("done", 100, "trafficking_missing_summary")
    assert [(f["name"], f["rows"]) for f in body["files"]] == [("trafficking_missing_summary.csv", 4)]
    download = client.get(body["files"][0]["url"])
    assert download.status_code == 200
    lines = b"".join(download.streaming_content).decode("utf-8").splitlines()
    assert lines[0] == ",".join(trafficking_summary.COLUMNS)
    assert ReturnRun.objects.get(pk=run_id).requested_by == officer


def test_the_returns_form_offers_the_summary(client, make_user):
    client.force_login(make_user("data_officer"))
    html = client.get(reverse("returns")).content.decode()
    for kind in ("ssda903", "annex_a_list8", "trafficking_missing_summary"):
        assert f'name="kind" value="{kind}"' in html
    response = client.post(reverse("returns"), {"kind": "trafficking_missing_summary", "year": 2025})
    assert response.status_code == 302
    run = ReturnRun.objects.get()
    assert (run.kind, run.year) == ("trafficking_missing_summary", 2025)
