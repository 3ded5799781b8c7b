"""A data officer generates the SSDA903 return in a real browser: asks for it on the Returns page, watches the
page update itself while a real Celery worker builds it (and the real validator checks it), reads the validation
summary grouped by child with links to their records, and downloads missing.csv.

The worker is started only once the run is queued, so the page is seen waiting and then updating itself
(static/app/auto-refresh.js fetches the page and swaps in the run's details, no reload and no meta refresh)
until the run is done, when the "Stop updating" control goes. Roles without the return permission never see the page:
of the demo's managers, team and service managers may run returns; the missing coordinator may not.
"""

import re
from datetime import date, datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework import services as casework_services
from casework.models import Organisation, User
from missing_episodes import services as missing_services
from reporting.models import ReturnRun, RunStatus
from tests.support.processes import start_celery_worker, stop_process, worker_env

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)

YEAR = 2025  # 1 April 2024 to 31 March 2025
YEAR_LABEL = "2024 to 2025 (1 April 2024 to 31 March 2025)"
RUN_TIMEOUT_MS = 180_000  # worker start-up, the export and the validator's own interpreter, on a busy machine


def _at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def missing_child(demo_users):
    """An Eritrean boy, unaccompanied, in care since January 2024; missing for two days in June 2024."""
    worker = User.objects.get(username="social.worker")
    child = casework_services.create_child(
        by=worker,
        organisation=Organisation.objects.get(name="Northbridge City Council"),
        team=worker.team,
        la_child_id="NBE2E903",
        first_name="Yonas",
        last_name="Tesfay",
        sex="M",
        date_of_birth=date(2009, 3, 15),
        ethnicity="BAFR",
        allocated_social_worker=worker,
    )
    start = date(2024, 1, 10)
    record = {"child": child, "by": worker, "start_date": start}
    casework_services.add_care_record(kind="periods_of_care", category_of_need="N8", **record)
    casework_services.add_care_record(kind="legal_statuses", code="V2", **record)
    casework_services.add_care_record(kind="placements", place="U6", provider="PR1", postcode="NB1 1AA", **record)
    episode = missing_services.report_missing(child=child, kind="M", started_at=_at(2024, 6, 1, 21), by=worker)
    missing_services.close_episode(
        episode=episode, by=worker, version=None, ended_at=_at(2024, 6, 3, 9), outcome="found"
    )
    return child


def test_data_officer_generates_the_903_watches_it_run_reads_the_issues_and_downloads_missing_csv(
    live_server, signed_in_page, missing_child, tmp_path
):
    page = signed_in_page("data.officer")
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    updates: list[str] = []
    page.on("request", lambda r: updates.append(r.url) if r.resource_type == "fetch" else None)

    # The Returns page, from the service navigation.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Returns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statutory returns")
    expect(page.get_by_label("SSDA903 children looked after return")).to_be_checked()
    page.get_by_label("Collection year").select_option(label=YEAR_LABEL)
    page.get_by_role("button", name="Generate the return").click()

    # Queued: no worker yet, so the page waits and refreshes itself.
    run = ReturnRun.objects.get()
    assert (run.kind, run.year, run.requested_by.username) == ("ssda903", YEAR, "data.officer")
    expect(page).to_have_url(f"{live_server.url}/returns/{run.pk}/")
    expect(page.locator("#run-status")).to_have_text("Queued")
    expect(page.locator("#run-progress")).to_contain_text("Waiting to start. 0% done")
    expect(page.locator("progress.app-progress")).to_have_attribute("value", "0")
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    expect(page.get_by_role("status")).to_have_text("This page updates every 2 seconds")
    expect(page.get_by_role("button", name="Stop updating")).to_be_visible()
    expect(page.get_by_role("link", name="Refresh this page")).to_be_hidden()
    loads_while_queued = len(loads)

    log_path = tmp_path / "worker.log"
    worker = start_celery_worker(worker_env(PYTHONUNBUFFERED="1"), log_path=log_path)
    try:
        expect(page.locator("#run-status")).to_have_text("Done", timeout=RUN_TIMEOUT_MS)
    except AssertionError:
        print(log_path.read_text(errors="replace")[-4000:])
        raise
    finally:
        stop_process(worker)
    assert any(url == page.url for url in updates), "the page should have updated itself while the run worked"
    assert len(loads) == loads_while_queued, "the page updates in place: no reloads"
    expect(page.locator("progress")).to_have_count(0)
    expect(page.get_by_role("button", name="Stop updating")).to_have_count(0)
    expect(page.get_by_role("status")).to_have_text("This page is up to date and has stopped updating")
    settled = len(updates)
    page.wait_for_timeout(3_000)
    assert len(updates) == settled, "a finished run's page should stop updating"
    run.refresh_from_db()
    assert (run.status, run.progress) == (RunStatus.DONE, 100)

    # The files and how many rows each has.
    files = page.locator('table[aria-labelledby="files-heading"] tbody tr')
    expect(files).to_have_count(4)
    rows = {cells[0]: int(cells[1]) for cells in (r.locator("td").all_inner_texts() for r in files.all())}
    assert rows["missing.csv"] == 1 and rows["header.csv"] >= 1 and rows["episodes.csv"] >= 1

    # The validation summary: checked by the real validator, issues grouped per child, with rule and field.
    summary = page.locator("#validation-summary")
    expect(summary.locator("#validator-status")).to_contain_text("csc-validator-be-903")
    errors = int(summary.locator("#validation-errors").inner_text())
    assert errors == run.validation["errors"] > 0  # the demo authority's postcodes are fictional (rule 169 etc.)
    group = summary.locator("table.app-validation-issues").filter(has_text="Child NBE2E903")
    expect(group).to_have_count(1)
    issues = group.locator("tbody tr")
    mine = [i for i in run.validation["issues"] if i["child"] == "NBE2E903"]
    expect(issues).to_have_count(len(mine))
    expect(group.locator("caption")).to_have_text(re.compile(rf"Child NBE2E903 \({len(mine)} issues?\)"))
    first = mine[0]
    expect(issues.first.locator("td")).to_have_text([first["rule"], first["field"], first["description"]])
    expect(issues.filter(has_text="PL_LA").first.locator("td").first).to_have_text("169")

    # The child's link opens their record.
    group.get_by_role("link", name="Child NBE2E903").click()
    expect(page).to_have_url(f"{live_server.url}/children/{missing_child.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Yonas Tesfay")
    page.go_back()

    # Download missing.csv.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="missing.csv").click()
    download = download_info.value
    assert download.suggested_filename == "missing.csv"
    path = tmp_path / "missing.csv"
    download.save_as(path)
    assert path.read_bytes().decode("utf-8").splitlines() == [
        "CHILD,DOB,MISSING,MIS_START,MIS_END",
        "NBE2E903,15/03/2009,M,01/06/2024,03/06/2024",
    ]


def test_a_missing_coordinator_cannot_see_returns(live_server, demo_users, signed_in_page, missing_child):
    officer = User.objects.get(username="data.officer")
    run = ReturnRun.objects.create(organisation=officer.organisation, kind="ssda903", year=YEAR, requested_by=officer)

    page = signed_in_page("missing.coordinator")
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Children")).to_be_visible()
    expect(nav.get_by_role("link", name="Returns")).to_have_count(0)

    response = page.goto(f"{live_server.url}/returns/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to view this page")
    response = page.goto(f"{live_server.url}/returns/{run.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/returns/{run.pk}/files/missing.csv")
    assert response.status == 404
