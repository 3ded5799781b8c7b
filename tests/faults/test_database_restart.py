"""PostgreSQL restarted under load: while it is down, people see a kind 503 page (or JSON from the API), never
a traceback or a child's details; when it is back, the same gunicorn recovers by itself, without a restart,
and a report made during the outage and tried again is stored exactly once.

The app runs in a real gunicorn (two sync workers, persistent connections: CONN_MAX_AGE=60 with
CONN_HEALTH_CHECKS) on the test database; threads browse the child search, the missing board and the API and
report children missing through the API while the test stops and restarts PostgreSQL with pg_ctl.

Needs the services of scripts/with-services.sh (it exports the TEST_PG_* variables used to stop and restart
the server). PostgreSQL is always started again before the test ends, pass or fail.
"""

import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from missing_episodes.models import MissingEpisode
from tests.missing_episodes.conftest import make_child_in_care, worker  # noqa: F401 - fixtures
from tests.support.processes import ROOT, VENV_BIN, free_port, production_env, stop_process, wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not all(os.environ.get(v) for v in ("TEST_PG_BIN", "TEST_PG_DATA", "TEST_PG_OPTS", "TEST_PG_LOG")),
        reason="run under scripts/with-services.sh (it owns the PostgreSQL this test stops and restarts)",
    ),
]

PG_BIN = os.environ.get("TEST_PG_BIN", "")
PG_DATA = os.environ.get("TEST_PG_DATA", "")
PG_OPTS = os.environ.get("TEST_PG_OPTS", "")
PG_LOG = os.environ.get("TEST_PG_LOG", "")
REDIS_PORT = os.environ.get("TEST_REDIS_PORT", "")

# What an error page must never show: Python internals, the database's own words, or a child's details.
LEAKS = re.compile(
    r"Traceback|File \"|psycopg|OperationalError|InterfaceError|django\.db|SELECT |127\.0\.0\.1|"
    r"Selam|Tesfaye|MC\d{5}",
)
SORRY = "Sorry, there is a problem with the service"


# --- PostgreSQL -------------------------------------------------------------------------------------


def pg_ctl(*args: str, check: bool = False) -> subprocess.CompletedProcess:
    command = [f"{PG_BIN}/pg_ctl", "-D", PG_DATA, *args]
    if os.geteuid() == 0:  # initdb and pg_ctl refuse to run as root: with-services.sh made the cluster as postgres
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=check)


def postgres_up() -> bool:
    return pg_ctl("status").returncode == 0


def stop_postgres() -> None:
    # "fast": what a restart does: active connections are terminated, in-flight transactions roll back.
    pg_ctl("-m", "fast", "-w", "stop", check=True)
    assert not postgres_up()


def start_postgres() -> None:
    if not postgres_up():
        pg_ctl("-o", PG_OPTS, "-l", PG_LOG, "-w", "start", check=True)


# --- gunicorn ---------------------------------------------------------------------------------------


def start_gunicorn(port: int, log_path: Path) -> subprocess.Popen:
    # Persistent connections, as in production: the point is that a connection killed by the restart is
    # noticed (CONN_HEALTH_CHECKS) and replaced, not reused.
    env = production_env(CONN_MAX_AGE="60", PYTHONUNBUFFERED="1")
    with open(log_path, "wb") as log:  # the server writes through its own copy of the descriptor
        return subprocess.Popen(
            [
                str(VENV_BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


# --- Load -------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    what: str
    began: str  # the phase (before, outage, after) when the request was sent
    ended: str  # and when its answer came
    status: int  # 0: no answer at all (connection refused or reset, timeout)
    body: str
    content_type: str
    seconds: float


class Load:
    """Threads that browse and report as two signed-in people would, recording every answer with its phase."""

    def __init__(self, base: str, session_cookie: str, token: str, children: list):
        self.base = base
        self.session_cookie = session_cookie
        self.token = token
        self.children = children  # to report missing, one after another
        self.phase = "before"
        self.outcomes: list[Outcome] = []
        self.reported: dict[str, list[int]] = {}  # child id -> statuses of each attempt to report them
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads: list[threading.Thread] = []

    def request(self, http: requests.Session, what: str, method: str, path: str, **kwargs) -> Outcome:
        began, started = self.phase, time.monotonic()
        try:
            response = http.request(method, self.base + path, timeout=20, allow_redirects=False, **kwargs)
            status, body, ctype = response.status_code, response.text, response.headers.get("Content-Type", "")
        except requests.RequestException as exc:
            status, body, ctype = 0, repr(exc), ""
        outcome = Outcome(what, began, self.phase, status, body, ctype, time.monotonic() - started)
        with self.lock:
            self.outcomes.append(outcome)
        return outcome

    def page_user(self, path: str) -> None:
        http = requests.Session()
        http.cookies.set("sessionid", self.session_cookie, domain="127.0.0.1")
        while not self.stop.is_set():
            self.request(http, f"page {path}", "GET", path)
            time.sleep(0.05)

    def api_reader(self) -> None:
        http = requests.Session()
        http.headers["Authorization"] = f"Token {self.token}"
        while not self.stop.is_set():
            self.request(http, "api children", "GET", "/api/v1/children/?q=Tesfaye")
            time.sleep(0.05)

    def api_reporter(self) -> None:
        """Report each child missing in turn; after a 503 try the same child again, as a person would."""
        http = requests.Session()
        http.headers["Authorization"] = f"Token {self.token}"
        for child in self.children:
            attempts = self.reported.setdefault(str(child.pk), [])
            while not self.stop.is_set():
                payload = {
                    "child": str(child.pk),
                    "kind": "M",
                    "started_at": (timezone.now() - timedelta(hours=1)).isoformat(),
                }
                outcome = self.request(http, "api report", "POST", "/api/v1/missing-episodes/", json=payload)
                attempts.append(outcome.status)
                if outcome.status == 201:
                    break
                if len(attempts) > 1 and already_recorded(outcome):
                    break  # an attempt the restart cut off had been committed after all
                time.sleep(0.2)
            time.sleep(0.3)

    def start(self) -> None:
        targets = [
            (self.page_user, ("/children/?q=Tesfaye",)),
            (self.page_user, ("/missing/",)),
            (self.api_reader, ()),
            (self.api_reporter, ()),
        ]
        self.threads = [threading.Thread(target=t, args=a, daemon=True) for t, a in targets]
        for thread in self.threads:
            thread.start()

    def finish(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)

    def seen(self, *, phase: str, status: int | None = None) -> list[Outcome]:
        with self.lock:
            return [o for o in self.outcomes if o.began == o.ended == phase and (status is None or o.status == status)]


def already_recorded(outcome: Outcome) -> bool:
    return outcome.what == "api report" and outcome.status == 400 and "already recorded" in outcome.body


def assert_clean_unavailable(outcome: Outcome) -> None:
    """A kind 503: the GOV.UK page for people, JSON for the API, and nothing that should not be there."""
    assert outcome.status == 503, f"{outcome.what}: {outcome.status} {outcome.body[:300]}"
    assert not LEAKS.search(outcome.body), f"{outcome.what} leaked: {LEAKS.search(outcome.body).group(0)!r}"
    if outcome.what.startswith("api"):
        assert outcome.content_type.startswith("application/json")
        assert "unavailable" in outcome.body
    else:
        assert outcome.content_type.startswith("text/html")
        assert SORRY in outcome.body
    assert outcome.seconds < 10, f"{outcome.what} took {outcome.seconds:.1f} s to fail"


# --- The drill ----------------------------------------------------------------------------------------


def test_postgresql_restarted_under_load_users_see_a_kind_503_and_the_app_recovers_without_a_restart(
    make_child_in_care,  # noqa: F811
    worker,  # noqa: F811
    tmp_path,
):
    children = [make_child_in_care(first_name="Selam", last_name="Tesfaye") for _ in range(12)]
    token = Token.objects.create(user=worker).key
    browser = Client()
    browser.force_login(worker)  # a session row in the test database, as signing in would make
    session_cookie = browser.cookies["sessionid"].value

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, tmp_path / "gunicorn.log")
    load = Load(base, session_cookie, token, children)
    try:
        wait_for(
            lambda: _get(f"{base}/account/sign-in/") == 200 or server.poll() is not None,
            timeout=90,  # a cold start of two workers on a busy two-core machine
            what="gunicorn to serve",
        )
        assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()

        load.start()
        wait_for(lambda: len(load.seen(phase="before", status=200)) >= 12, timeout=30, what="requests to succeed")
        wait_for(lambda: sum(1 for v in load.reported.values() if 201 in v) >= 2, timeout=30, what="two reports")
        connection.close()  # this process's own connection is about to be cut too

        load.phase = "outage"
        try:
            stop_postgres()
            wait_for(lambda: len(load.seen(phase="outage")) >= 12, timeout=30, what="requests during the outage")
            time.sleep(1)  # a second of people retrying
        finally:
            load.phase = "restarting"
            start_postgres()
        load.phase = "after"
        wait_for(lambda: len(load.seen(phase="after", status=200)) >= 12, timeout=30, what="requests to succeed again")
        wait_for(
            lambda: all(201 in v or 400 in v for v in load.reported.values()) and len(load.reported) == len(children),
            timeout=60,
            what="every child to be reported",
        )
        load.finish()
        assert server.poll() is None, "gunicorn died"
    finally:
        load.finish()
        start_postgres()  # never leave the suite without its database
        connection.close()
        stop_process(server)
        if REDIS_PORT:  # alerts queued by the reports, for a worker that never ran: don't leave them around
            subprocess.run(["redis-cli", "-p", REDIS_PORT, "del", "celery"], capture_output=True, timeout=10)

    before, outage, after = (load.seen(phase=p) for p in ("before", "outage", "after"))
    # Before the restart everything worked.
    assert before and all(o.status in (200, 201) for o in before), {(o.what, o.status) for o in before}
    # During it: every request answered quickly, with the kind page, never a 500, a traceback or a child's name.
    assert len(outage) >= 12
    assert {o.what for o in outage} >= {"page /children/?q=Tesfaye", "page /missing/", "api children", "api report"}
    for outcome in outage:
        assert_clean_unavailable(outcome)
    # Requests cut off by the stop itself either finished or failed in the same clean way.
    for outcome in load.outcomes:
        if outcome.began != outcome.ended and outcome.status not in (200, 201):
            assert_clean_unavailable(outcome)
    # After it, the same server (no restart) answers every request, the first ones included. The one 400 allowed
    # is the retry of a report whose commit went through just before the stop cut its answer off: the episode was
    # stored, the answer was lost (a 503), and trying again says so instead of recording the child twice.
    assert after and all(o.status in (200, 201) or already_recorded(o) for o in after), {
        (o.what, o.status, o.body[:200]) for o in after
    }
    page = next(o for o in after if o.what == "page /children/?q=Tesfaye")
    assert "Tesfaye" in page.body  # the real search results, not an error page

    # Each child was reported once: the reports refused during the outage left nothing, the retries one each.
    assert any(503 in v for v in load.reported.values()), "no report was attempted during the outage"
    for child in children:
        assert MissingEpisode.objects.filter(child=child).count() == 1, child.la_child_id
    assert MissingEpisode.objects.filter(child__in=children, status="open").count() == len(children)


def test_a_quick_restart_between_requests_goes_unnoticed(
    make_child_in_care,  # noqa: F811
    worker,  # noqa: F811
    tmp_path,
):
    """Each gunicorn worker holds a persistent connection that the restart kills. With CONN_HEALTH_CHECKS the
    first request afterwards checks it, finds it dead and connects again: nobody sees an error at all."""
    make_child_in_care(first_name="Selam", last_name="Tesfaye")
    browser = Client()
    browser.force_login(worker)
    cookies = {"sessionid": browser.cookies["sessionid"].value}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, tmp_path / "gunicorn.log")
    try:
        wait_for(lambda: _get(f"{base}/account/sign-in/") == 200, timeout=30, what="gunicorn to serve")
        # Enough concurrent requests that both workers open (and keep) a connection.
        assert _burst(f"{base}/children/?q=Tesfaye", cookies) == [200] * 16
        connection.close()
        try:
            stop_postgres()
        finally:
            start_postgres()
        assert _burst(f"{base}/children/?q=Tesfaye", cookies) == [200] * 16
        assert server.poll() is None
    finally:
        start_postgres()
        connection.close()
        stop_process(server)
    log = (tmp_path / "gunicorn.log").read_text()
    assert "Database unavailable" not in log


def _get(url: str) -> int:
    try:
        return requests.get(url, timeout=5, allow_redirects=False).status_code
    except requests.RequestException:
        return 0


def _burst(url: str, cookies: dict) -> list[int]:
    statuses: list[int] = []

    def one():
        response = requests.get(url, cookies=cookies, timeout=20, allow_redirects=False)
        statuses.append(response.status_code)

    threads = [threading.Thread(target=one) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses
