"""`make run`'s own start-up path, driven as a new user would drive it.

scripts/run.sh (what `make run` calls) starts here exactly as it does on a fresh machine, with its own var/
in a temporary folder: a new PostgreSQL cluster and Redis under it, migrations, the demo data, gunicorn with
DEBUG off, a Celery worker and beat. Real Chromium then signs in as the demo users it printed: a data officer
runs the SSDA903, Annex A and the trafficking-and-missing summary and downloads their files; a service manager
opens the dashboards and downloads a missing child's pack. The demo's alert emails land in var/mail/ as files,
beat's sweep reaches the worker, a mistyped address gets the service's own 404 page, and stopping the script
(as Ctrl-C does) leaves no server running.
"""

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in
from tests.support.processes import ROOT, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.integration]

expect.set_options(timeout=15_000)
START_TIMEOUT = 240  # a new cluster, migrations and the demo seed on a busy two-core machine
RUN_TIMEOUT_MS = 240_000  # the 903 with the validator's own interpreter
PASSWORD = "make-run-e2e-password-1"


def _get(url: str, timeout: float):
    return urllib.request.urlopen(url, timeout=timeout)  # noqa: S310 - http on loopback only


class MakeRun:
    def __init__(self, var: Path, port: int, log: Path):
        self.var, self.port, self.log = var, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        # The environment of a new user's shell: none of the test run's database, broker or settings.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "CELERY_", "TEST_", "DJANGO_"))}
        env.pop("SECRET_KEY", None)
        env.update(
            VAR_DIR=str(self.var),
            PORT=str(self.port),
            DEMO_PASSWORD=PASSWORD,
            ALERT_SWEEP_SECONDS="5",  # beat's sweep, every 5 s instead of every minute, to see it run
            CELERY_LOG_LEVEL="INFO",
        )
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                ["scripts/run.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + START_TIMEOUT
        while "Press Ctrl-C to stop." not in self.output():
            if self.proc.poll() is not None:
                pytest.fail(f"scripts/run.sh exited ({self.proc.returncode}):\n{self.output()[-4000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"scripts/run.sh did not start in {START_TIMEOUT} s:\n{self.output()[-4000:]}")
            time.sleep(0.5)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        """What Ctrl-C does: SIGINT to the script's process group; the script stops everything it started."""
        assert self.proc is not None
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    # In /tmp itself, where the postgres user can reach it (pytest's own temporary folders are private to us).
    work = Path(tempfile.mkdtemp(prefix="cmfc-make-run-"))
    work.chmod(0o755)
    server = MakeRun(work / "var", free_port(), work / "run.log")
    server.start()
    yield server
    server.stop()
    shutil.rmtree(work, ignore_errors=True)


def _signed_in(browser, make_run, username: str):
    context = browser.new_context(locale="en-GB", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, make_run.url, username, PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def _download(page, link, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        link.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def _current_collection_year() -> int:
    """The end year of the collection year we are in (the demo's episodes are recent, so they fall in it)."""
    today = date.today()
    return today.year + 1 if today >= date(today.year, 4, 1) else today.year


def _generate(page, make_run, label: str) -> None:
    page.goto(f"{make_run.url}/returns/")
    page.get_by_label(label).check()
    year = _current_collection_year()
    page.get_by_label("Collection year").select_option(str(year))
    page.get_by_role("button", name="Generate the return").click()
    expect(page).to_have_url(re.compile(rf"{make_run.url}/returns/[0-9a-f-]+/$"))
    expect(page.locator("#run-status")).to_have_text("Done", timeout=RUN_TIMEOUT_MS)


def test_run_prints_where_everything_is_and_serves_on_postgresql_and_redis_with_debug_off(make_run):
    output = make_run.output()
    assert f"Children missing from care is running at {make_run.url}/" in output
    assert f"Emails the service sends are kept in {make_run.var}/mail/" in output
    for username in ("social.worker", "service.manager", "data.officer", "advocate"):
        assert username in output
    assert (make_run.var / "pg" / "PG_VERSION").read_text().strip() >= "15"
    assert (make_run.var / "redis" / "redis.pid").exists()
    # DEBUG is off: a mistyped address gets the service's own page, not Django's list of every URL.
    with pytest.raises(urllib.error.HTTPError) as error:
        _get(f"{make_run.url}/no-such-page/", timeout=10)
    body = error.value.read().decode()
    assert error.value.code == 404
    assert "Page not found" in body and "Children missing from care" in body
    assert "URLconf" not in body and "DEBUG = True" not in body
    # Static files are served by the app itself.
    with _get(f"{make_run.url}/static/govuk/govuk-frontend.min.css", timeout=10) as response:
        assert response.status == 200 and response.headers["Content-Type"].startswith("text/css")


def test_data_officer_runs_the_903_annex_a_and_the_summary_and_downloads_their_files(browser, make_run, tmp_path):
    page = _signed_in(browser, make_run, "data.officer")

    _generate(page, make_run, "SSDA903 children looked after return")
    files = page.locator('table[aria-labelledby="files-heading"] tbody tr a')
    expect(files).to_have_count(4)
    for name, header in [
        ("header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"),
        (
            "episodes.csv",
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
        ),
        ("uasc.csv", "CHILD,SEX,DOB,DUC"),
        ("missing.csv", "CHILD,DOB,MISSING,MIS_START,MIS_END"),
    ]:
        path = _download(page, page.get_by_role("link", name=name, exact=True), tmp_path)
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == header
        assert len(lines) > 1, f"{name} has no rows"
    expect(page.locator("#validator-status")).to_contain_text("csc-validator-be-903")

    _generate(page, make_run, "Ofsted Annex A, list 8 (children in care)")
    xlsx = _download(page, page.get_by_role("link", name="list8.xlsx", exact=True), tmp_path)
    assert xlsx.read_bytes()[:2] == b"PK"
    csv_lines = _download(page, page.get_by_role("link", name="list8.csv", exact=True), tmp_path).read_text(
        encoding="utf-8-sig"
    )
    assert csv_lines.splitlines()[0].startswith("Child Unique ID,Gender,Ethnicity,Date of Birth")

    page.goto(f"{make_run.url}/reports/trafficking-missing/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trafficked and unaccompanied children who went missing")
    page.get_by_role("button", name="Show figures").click()
    summary = _download(page, page.locator("#download-csv"), tmp_path).read_text(encoding="utf-8-sig")
    assert len(summary.splitlines()) > 1


def test_service_manager_opens_the_dashboards_and_a_missing_childs_pack(browser, make_run, tmp_path):
    page = _signed_in(browser, make_run, "service.manager")
    response = page.goto(f"{make_run.url}/reports/dashboards/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboards")
    for panel in ("panel-episodes", "panel-missing-now", "panel-repeat", "panel-interviews", "panel-alerts"):
        expect(page.locator(f"#{panel}")).to_be_visible()
    expect(page.get_by_text("try again", exact=False)).to_have_count(0)

    page.goto(f"{make_run.url}/missing/")
    page.locator("table tbody tr a.govuk-link").first.click()
    pack = _download(page, page.get_by_role("button", name="Download missing-person pack"), tmp_path)
    assert pack.read_bytes()[:5] == b"%PDF-"


def test_the_demos_alert_emails_are_kept_as_files_and_beats_sweep_reaches_the_worker(make_run):
    mail = make_run.var / "mail"
    deadline = time.monotonic() + 120
    while not list(mail.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(1)
    messages = sorted(mail.glob("*.eml"))
    assert messages, "the demo's high-risk alerts should have sent emails into var/mail/"
    text = messages[0].read_text(errors="replace")
    assert "Subject:" in text and "High risk" in text
    assert f"{make_run.url}/alerts/" in text.replace("=\n", "")

    worker_log = make_run.var / "log" / "worker.log"
    deadline = time.monotonic() + 60
    beat_log = make_run.var / "log" / "beat.log"
    # Both logs are written through buffers: the worker's line can come before beat's own, so wait for each.
    while not (
        "missing_episodes.alerts.tasks.sweep" in worker_log.read_text(errors="replace")
        and "Sending due task alerts-sweep" in beat_log.read_text(errors="replace")
    ):
        assert time.monotonic() < deadline, "beat's sweep never reached the worker"
        time.sleep(1)


def test_stopping_leaves_no_server_running_and_the_next_start_keeps_the_data(make_run):
    pg_pid = int((make_run.var / "pg" / "postmaster.pid").read_text().split()[0])
    redis_pid = int((make_run.var / "redis" / "redis.pid").read_text().strip())
    make_run.stop()
    assert "Stopped the web server, worker, beat, Redis and PostgreSQL" in make_run.output()
    for pid in (pg_pid, redis_pid):
        deadline = time.monotonic() + 20
        while _alive(pid):
            assert time.monotonic() < deadline, f"process {pid} is still running"
            time.sleep(0.2)
    with pytest.raises(OSError):
        _get(f"{make_run.url}/account/sign-in/", timeout=2)

    # A second start finds the cluster and the demo data (nothing new to seed) and serves again.
    make_run.log.write_text("")
    make_run.start()
    assert "Creating the demo's PostgreSQL cluster" not in make_run.output()
    assert "0 new users" in make_run.output()
    with _get(f"{make_run.url}/account/sign-in/", timeout=10) as response:
        assert response.status == 200


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
