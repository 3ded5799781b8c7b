"""The statutory returns pages: the form and list, a run's progress (updating itself, with a "Stop updating" button
when JavaScript runs and a "Refresh" link when not; never a meta refresh), its files,
validation summary grouped by child, failed runs, downloads, and scope. ``generate`` is called directly."""

import html
import re
import uuid

import pytest
from django.urls import reverse

from casework.models import AccessLogEntry, Child
from reporting import services
from reporting.forms.returns import last_completed_year
from reporting.models import ReturnRun, RunStatus
from tests.factories import TeamFactory, UserFactory
from tests.reporting.test_returns_api import MAY_RUN, ROLES, YEAR, seed_children

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return response.content.decode()


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def by_id(page: str, element_id: str) -> str | None:
    """The text inside the element with this id (elements here do not nest their own tag)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    return text_of(match.group(2)) if match else None


def refreshes(page: str, region: str = "run-details", seconds: int = 2) -> bool:
    """The page asks static/app/auto-refresh.js to update the region every few seconds. Never by meta refresh,
    which no one can stop (WCAG 2.2.1)."""
    assert 'http-equiv="refresh"' not in page
    asked = f'data-auto-refresh="{seconds}" data-auto-refresh-region="{region}"' in page
    if asked:
        assert f'id="{region}"' in page
        assert "/static/app/auto-refresh.js" in page
        assert re.search(
            r'<a class="govuk-link" href="[^"]*">Refresh<span class="govuk-visually-hidden"> this page', page
        )
        assert re.search(r"<div class=\"app-auto-refresh__controls\" hidden>", page)
        assert ">Stop updating</button>" in page
    else:
        assert "data-auto-refresh=" not in page and "auto-refresh.js" not in page
    return asked


def issue_tables(page: str) -> list[str]:
    return re.findall(r'<table class="govuk-table app-validation-issues">(.*?)</table>', page, re.S)


def cells(fragment: str) -> list[list[str]]:
    rows = re.findall(r"<tbody[^>]*>(.*?)</tbody>", fragment, re.S)
    body = rows[0] if rows else ""
    return [
        [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def officer(make_user):
    return make_user("data_officer", first_name="Dana", last_name="Officer")


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def seeded(authority, team, make_user):
    return seed_children(authority, team, make_user("social_worker"))


@pytest.fixture
def done_run(officer, seeded):
    run = services.request_return(kind="ssda903", year=YEAR, by=officer)
    return services.generate(run.pk)


# --- The returns page ----------------------------------------------------------------------------


def test_the_page_offers_the_903_and_defaults_to_the_last_completed_year(officer_client):
    response = officer_client.get(reverse("returns"))
    assert response.status_code == 200
    page = page_of(response)
    assert re.search(r"<h1[^>]*>\s*Statutory returns\s*</h1>", page)
    radio = re.search(r'<input[^>]*type="radio" name="kind" value="ssda903"[^>]*>', page)
    assert radio and "checked" in radio.group(0)
    year = last_completed_year()
    selected = re.search(r'<option value="(\d+)"[^>]*selected[^>]*>([^<]*)</option>', page)
    assert selected.group(1) == str(year)
    assert selected.group(2) == f"{year - 1} to {year} (1 April {year - 1} to 31 March {year})"
    assert "No returns have been generated" in page


def test_the_nav_has_returns_for_roles_that_may_run_them(client, make_user):
    for role in ROLES:
        client.force_login(make_user(role))
        page = page_of(client.get(reverse("home")))
        nav = re.findall(r'class="govuk-service-navigation__link"[^>]*>(.*?)</a>', page, re.S)
        assert ("Returns" in [text_of(n) for n in nav]) == (role in MAY_RUN), role


@pytest.mark.parametrize("role", sorted(set(ROLES) - MAY_RUN))
def test_roles_that_cannot_run_returns_get_403_and_404(client, make_user, done_run, role):
    client.force_login(make_user(role))
    assert client.get(reverse("returns")).status_code == 403
    assert client.post(reverse("returns"), {"kind": "ssda903", "year": YEAR}).status_code == 403
    assert client.get(reverse("return_detail", args=[done_run.pk])).status_code == 404
    assert client.get(reverse("return_file", args=[done_run.pk, "header.csv"])).status_code == 404
    assert not ReturnRun.objects.exclude(pk=done_run.pk).exists()


def test_generating_queues_a_run_and_shows_its_progress(officer_client, officer):
    response = officer_client.post(reverse("returns"), {"kind": "ssda903", "year": YEAR})
    run = ReturnRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("return_detail", args=[run.pk])
    assert (run.kind, run.year, run.requested_by, run.status) == ("ssda903", YEAR, officer, RunStatus.QUEUED)
    page = page_of(officer_client.get(response["Location"]))
    assert refreshes(page)
    assert f'<a class="govuk-link" href="{response["Location"]}">Refresh<' in page
    assert '<progress class="app-progress" max="100" value="0"' in page
    assert "0% done" in by_id(page, "run-progress")
    assert by_id(page, "run-status") == "Queued"
    # The list keeps itself up to date too while a run on it is going (the form is outside the region).
    listing = page_of(officer_client.get(reverse("returns")))
    assert refreshes(listing, region="returns-list", seconds=5)
    assert listing.index('id="returns-list"') > listing.index("</form>")
    ReturnRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=42)
    page = page_of(officer_client.get(response["Location"]))
    assert refreshes(page)
    assert '<progress class="app-progress" max="100" value="42"' in page
    assert "42% done" in by_id(page, "run-progress")
    assert by_id(page, "run-status") == "Running"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "ssda903", "year": "1990"}, "Select a collection year"),
        ({"kind": "ssda903", "year": "abc"}, "Select a collection year"),
        ({"kind": "nope", "year": str(YEAR)}, "Select a return"),
        ({"year": str(YEAR)}, "Select which return to generate"),
    ],
)
def test_bad_input_shows_an_error_summary(officer_client, data, message):
    response = officer_client.post(reverse("returns"), data)
    assert response.status_code == 400
    page = page_of(response)
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page, re.S)
    assert summary and message in text_of(summary.group(0))
    assert not ReturnRun.objects.exists()


def test_previous_runs_show_who_when_and_status(officer_client, officer, done_run, other_authority):
    failed = services.request_return(kind="ssda903", year=2024, by=officer)
    ReturnRun.objects.filter(pk=failed.pk).update(status=RunStatus.FAILED, error="Disk full")
    services.request_return(
        kind="ssda903", year=YEAR, by=UserFactory(role="data_officer", organisation=other_authority)
    )
    page = page_of(officer_client.get(reverse("returns")))
    rows = cells(page)
    assert len(rows) == 2
    assert rows[0][1:3] == ["2023 to 2024 (1 April 2023 to 31 March 2024)", "Dana Officer"]
    assert rows[0][4] == "Failed"
    assert rows[1][1] == "2024 to 2025 (1 April 2024 to 31 March 2025)" and rows[1][4] == "Done"
    assert f'href="{reverse("return_detail", args=[done_run.pk])}"' in page
    assert f'href="{reverse("return_detail", args=[failed.pk])}"' in page
    assert not refreshes(page, region="returns-list", seconds=5)


# --- A finished run --------------------------------------------------------------------------------

FILE_NAMES = ["header.csv", "episodes.csv", "uasc.csv", "missing.csv"]


def test_a_done_run_shows_files_rows_and_the_validation_summary_without_refreshing(officer_client, done_run):
    page = page_of(officer_client.get(reverse("return_detail", args=[done_run.pk])))
    assert not refreshes(page)
    assert "<progress" not in page
    links = re.findall(r'<a class="govuk-link" href="([^"]+)" download>([^<]+)</a>', page)
    assert links == [(reverse("return_file", args=[done_run.pk, name]), name) for name in FILE_NAMES]
    files_table = re.search(r'<table class="govuk-table" aria-labelledby="files-heading">(.*?)</table>', page, re.S)
    assert cells(files_table.group(1)) == [
        ["header.csv", "2"],
        ["episodes.csv", "2"],
        ["uasc.csv", "0"],
        ["missing.csv", "1"],
    ]
    assert "Validation summary" in page
    assert by_id(page, "validation-errors") == str(done_run.validation["errors"])
    assert by_id(page, "validation-warnings") == str(done_run.validation["warnings"])
    assert "csc-validator-be-903" in by_id(page, "validator-status")


def test_issues_are_grouped_by_child_and_linked_to_the_record_in_any_case(officer_client, done_run, seeded):
    Child.objects.filter(pk=seeded["RET2"].pk).update(restricted=True)  # the data officer cannot open it: no link
    done_run.validation = {
        "errors": 5,
        "warnings": 1,
        "validator": "csc-validator-be-903",
        "failed_rules": ["231"],
        "issues": [
            {"child": "RET1", "rule": "567", "field": "MIS_END", "description": "MIS_END is before MIS_START"},
            {"child": None, "rule": "INT99", "field": "", "description": "A table-level problem"},
            {"child": "ret1", "rule": "1004", "field": "MIS_START", "description": "MIS_START is not a date"},
            {"child": "GHOST9", "rule": "101", "field": "SEX", "description": "SEX is not valid"},
            {"child": "RET2", "rule": "102", "field": "DOB", "description": "DOB is not valid"},
        ],
    }
    done_run.save()
    page = page_of(officer_client.get(reverse("return_detail", args=[done_run.pk])))
    assert by_id(page, "validation-errors") == "5"
    assert by_id(page, "validation-warnings") == "1"
    assert "231" in by_id(page, "validator-status")
    groups = issue_tables(page)
    captions = [re.search(r"<caption[^>]*>(.*?)</caption>", g, re.S).group(1) for g in groups]
    assert [text_of(c) for c in captions] == [
        "The files as a whole (1 issue)",
        "Child GHOST9 (1 issue)",
        "Child RET1 (2 issues)",
        "Child RET2 (1 issue)",
    ]
    assert ["<a " in c for c in captions] == [False, False, True, False]
    assert f'href="{reverse("child_detail", args=[seeded["RET1"].pk])}"' in captions[2]
    assert cells(groups[2]) == [
        ["567", "MIS_END", "MIS_END is before MIS_START"],
        ["1004", "MIS_START", "MIS_START is not a date"],
    ]


def test_validator_unavailable_is_said_plainly(officer_client, done_run):
    done_run.validation = {"errors": 0, "warnings": 0, "issues": [], "validator": "unavailable: no network"}
    done_run.save()
    page = page_of(officer_client.get(reverse("return_detail", args=[done_run.pk])))
    status = by_id(page, "validator-status")
    assert "not available" in status and "no network" in status
    assert by_id(page, "no-issues") == "No issues were found."


def test_a_failed_run_shows_the_error_and_no_files(officer_client, officer):
    run = services.request_return(kind="ssda903", year=YEAR, by=officer)
    ReturnRun.objects.filter(pk=run.pk).update(
        status=RunStatus.FAILED, error="The files could not be written: No space left on device."
    )
    page = page_of(officer_client.get(reverse("return_detail", args=[run.pk])))
    assert "No space left on device" in by_id(page, "run-error")
    assert by_id(page, "run-status") == "Failed"
    assert not refreshes(page)
    assert " download>" not in page and "validation-summary" not in page
    assert officer_client.get(reverse("return_file", args=[run.pk, "header.csv"])).status_code == 404


# --- Downloads and scope -----------------------------------------------------------------------------


def test_downloading_a_file_from_the_page(officer_client, officer, done_run):
    response = officer_client.get(reverse("return_file", args=[done_run.pk, "missing.csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="missing.csv"'
    assert "no-store" in response["Cache-Control"]
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == ["CHILD,DOB,MISSING,MIS_START,MIS_END", "RET1,15/03/2010,M,01/06/2024,03/06/2024"]
    assert AccessLogEntry.objects.filter(user=officer, object_id=done_run.pk, action="return_downloaded").exists()


def test_unknown_files_and_runs_are_404(officer_client, done_run):
    assert officer_client.get(reverse("return_file", args=[done_run.pk, "nope.csv"])).status_code == 404
    assert officer_client.get(reverse("return_detail", args=[uuid.uuid4()])).status_code == 404


def test_another_authoritys_run_is_404(client, done_run, other_authority):
    stranger = UserFactory(
        role="service_manager", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )
    client.force_login(stranger)
    assert client.get(reverse("return_detail", args=[done_run.pk])).status_code == 404
    assert client.get(reverse("return_file", args=[done_run.pk, "header.csv"])).status_code == 404
    assert cells(page_of(client.get(reverse("returns")))) == []
