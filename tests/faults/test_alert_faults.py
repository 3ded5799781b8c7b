"""Alerts survive the broker going down and a worker dying mid-send: every email still arrives, exactly once.

Needs the services of scripts/with-services.sh (it exports TEST_REDIS_PORT and TEST_SERVICES_DIR so these
tests can stop and restart Redis on the same port).
"""

import os
import signal
import subprocess
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from missing_episodes import services
from missing_episodes.alerts import services as alert_services
from missing_episodes.models import Channel, Delivery, DeliveryStatus, MissingEpisode
from tests.missing_episodes.conftest import make_child_in_care, worker  # noqa: F401 - fixtures
from tests.support.processes import start_celery_worker, stop_process, wait_for, worker_env

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("TEST_REDIS_PORT") or not os.environ.get("TEST_SERVICES_DIR"),
        reason="run under scripts/with-services.sh (it owns the Redis these tests stop and restart)",
    ),
]

REDIS_PORT = os.environ.get("TEST_REDIS_PORT", "")
SERVICES_DIR = os.environ.get("TEST_SERVICES_DIR", "")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need passwords but not a second of PBKDF2 each: keep the test about delivery."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Redis ------------------------------------------------------------------------------------------


def redis_up() -> bool:
    return redis("ping").strip() == "PONG"


def stop_redis() -> None:
    subprocess.run(["redis-cli", "-p", REDIS_PORT, "shutdown", "nosave"], capture_output=True, timeout=10)
    wait_for(lambda: not redis_up(), timeout=10, what="Redis to stop")


def start_redis() -> None:
    if redis_up():
        return
    subprocess.run(
        [
            "redis-server",
            "--port",
            REDIS_PORT,
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "yes",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            SERVICES_DIR,
            "--pidfile",
            f"{SERVICES_DIR}/redis.pid",
            "--logfile",
            f"{SERVICES_DIR}/redis.log",
        ],
        check=True,
        timeout=10,
    )
    wait_for(redis_up, timeout=10, what="Redis to start again")


# --- Workers ----------------------------------------------------------------------------------------


def start_worker(smtp_server, log_path, *, concurrency: int = 1) -> subprocess.Popen:
    env = worker_env(EMAIL_URL=smtp_server.url, PYTHONUNBUFFERED="1")  # the log is complete if the worker is killed
    return start_celery_worker(env, concurrency=concurrency, log_path=log_path)


def kill_worker(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool children at once: no warm shutdown, no chance to ack or reject."""
    os.killpg(proc.pid, signal.SIGKILL)  # start_celery_worker puts each worker in its own session
    proc.wait(timeout=10)


# --- Helpers ----------------------------------------------------------------------------------------


def report(child, by):
    return services.report_missing(child=child, kind="M", started_at=timezone.now() - timedelta(hours=1), by=by)


def sweep_later():
    """What beat's sweeper does, on a clock two minutes on: deliveries still pending go back on the queue."""
    return alert_services.sweep(now=timezone.now() + timedelta(minutes=2))


def redis(*args: str) -> str:
    return subprocess.run(["redis-cli", "-p", REDIS_PORT, *args], capture_output=True, text=True, timeout=5).stdout


def held_by_workers() -> int:
    """Messages delivered to a worker and not acknowledged yet (acks_late): Kombu keeps them in ``unacked``."""
    return int(redis("hlen", "unacked").strip() or 0)


def queue_drained(*, dead_workers_held: int) -> bool:
    """Nothing waits in Redis and the live worker has acknowledged every task it took (duplicates included)."""
    return redis("llen", "celery").strip() == "0" and held_by_workers() == dead_workers_held


def all_sent(*episodes) -> bool:
    return not Delivery.objects.filter(alert__episode__in=episodes).exclude(status=DeliveryStatus.SENT).exists()


def assert_exactly_one_email_each(smtp_server, episodes, expected: set[str]) -> None:
    """Each expected person got exactly one email about each child, and nobody else got any."""
    got = Counter(
        (rcpt, e.child.la_child_id)
        for m in smtp_server.messages
        for rcpt in m.rcpt_tos
        for e in episodes
        if e.child.la_child_id in m.subject
    )
    assert dict(got) == {(rcpt, e.child.la_child_id): 1 for rcpt in expected for e in episodes}
    assert len(smtp_server.messages) == len(expected) * len(episodes)
    emails = Delivery.objects.filter(alert__episode__in=episodes, channel=Channel.EMAIL).values_list("pk", flat=True)
    assert sorted(m.message_id for m in smtp_server.messages) == sorted(
        f"<delivery-{pk}@children-missing-from-care>" for pk in emails
    )
    deliveries = Delivery.objects.filter(alert__episode__in=episodes)
    assert all(d.status == DeliveryStatus.SENT and d.notified_at for d in deliveries)


# --- Tests ------------------------------------------------------------------------------------------


def test_broker_down_while_reporting_then_the_sweeper_sends_every_email_once(
    smtp_server,
    make_child_in_care,  # noqa: F811
    worker,  # noqa: F811
    make_user,
    tmp_path,
):
    expected = {worker.email, make_user("team_manager").email, make_user("missing_coordinator").email}
    children = [make_child_in_care(trafficking_status="identified"), make_child_in_care(is_uasc=True)]
    episodes = []
    try:
        stop_redis()
        for child in children:  # an outage outlasts more than one report: each must be quick
            started = time.monotonic()
            episodes.append(report(child, worker))  # commits, then tries to queue six sends to a dead broker
            took = time.monotonic() - started
            assert took < 5, f"reporting {child.la_child_id} took {took:.1f} s with the broker down"
        pending = Delivery.objects.filter(alert__episode__in=episodes, status=DeliveryStatus.PENDING)
        assert pending.count() == 12  # in-app + email for the worker, manager and coordinator, per child
        assert {d.address for d in pending.filter(channel=Channel.EMAIL)} == expected
        assert all(e.status == "open" for e in episodes)
    finally:
        start_redis()

    proc = start_worker(smtp_server, tmp_path / "worker.log")
    try:
        assert sweep_later()["requeued"] == 12
        wait_for(lambda: all_sent(*episodes), timeout=20, what="the swept deliveries to be sent")
        wait_for(lambda: len(smtp_server.messages) >= 6, timeout=5, what="the emails")
        assert_exactly_one_email_each(smtp_server, episodes, expected)
        # A second sweep (beat runs every minute) finds nothing pending and sends nothing more.
        assert sweep_later()["requeued"] == 0
        assert len(smtp_server.messages) == 6
    finally:
        stop_process(proc)


def test_broker_down_a_report_through_the_api_is_accepted_and_its_page_shows(
    make_child_in_care,  # noqa: F811
    worker,  # noqa: F811
):
    """What a person sees with Redis down: the API accepts the report at once (201) and the episode page opens;
    its alert deliveries wait as pending rows for the sweeper (which the test above shows sends them once)."""
    child = make_child_in_care(trafficking_status="suspected")
    api = APIClient()
    api.force_authenticate(worker)
    browser = Client()
    browser.force_login(worker)
    payload = {"child": str(child.pk), "kind": "M", "started_at": (timezone.now() - timedelta(hours=1)).isoformat()}
    try:
        stop_redis()
        started = time.monotonic()
        response = api.post("/api/v1/missing-episodes/", payload, format="json")
        took = time.monotonic() - started
        assert response.status_code == 201, response.content
        assert took < 5, f"the report took {took:.1f} s with the broker down"
        episode = MissingEpisode.objects.get(pk=response.json()["id"])
        assert browser.get(reverse("episode_detail", args=[episode.pk])).status_code == 200
        pending = Delivery.objects.filter(alert__episode=episode)
        assert pending.exists() and all(d.status == DeliveryStatus.PENDING for d in pending)
    finally:
        start_redis()
    try:
        assert sweep_later()["requeued"] == pending.count()  # back on the queue as soon as the broker is
    finally:
        redis("del", "celery")  # no worker in this test: don't leave the sends for another test's worker


def test_worker_killed_mid_send_every_recipient_still_gets_exactly_one_email(
    smtp_server,
    make_child_in_care,  # noqa: F811
    worker,  # noqa: F811
    make_user,
    tmp_path,
):
    smtp_server.delay = 0.5  # a slow relay: each message takes half a second to be accepted
    staff = [make_user("team_manager"), *(make_user("missing_coordinator") for _ in range(6))]
    expected = {worker.email, *(user.email for user in staff)}
    assert len(expected) == 8
    child = make_child_in_care(is_uasc=True)
    episode = report(child, worker)  # 16 deliveries queued through Redis on commit

    first = start_worker(smtp_server, tmp_path / "first-worker.log", concurrency=1)
    second = None
    try:
        wait_for(
            lambda: smtp_server.messages and smtp_server.in_flight,
            timeout=25,
            interval=0.02,
            what="one email delivered and the next one in flight",
        )
        kill_worker(first)
        wait_for(lambda: smtp_server.aborted >= 1, timeout=5, what="the in-flight email to be abandoned")
        dead_workers_held = held_by_workers()  # invisible to other workers for the visibility timeout
        assert dead_workers_held >= 1
        delivered_before = len(smtp_server.messages)
        assert 1 <= delivered_before < len(expected)
        interrupted = Delivery.objects.filter(alert__episode=episode, channel=Channel.EMAIL, status="pending")
        assert interrupted.exists()

        second = start_worker(smtp_server, tmp_path / "second-worker.log", concurrency=2)
        # The dead worker's unacknowledged task stays invisible for the broker's visibility timeout (an hour);
        # the sweeper puts every pending delivery back on the queue at once, some of them twice: still once each.
        sweep_later()
        wait_for(lambda: all_sent(episode), timeout=25, what="every delivery to be sent after the kill")
        wait_for(lambda: len(smtp_server.messages) >= len(expected), timeout=5, what="the emails")
        # Let the duplicate tasks the sweeper queued run too: they must send nothing.
        wait_for(lambda: queue_drained(dead_workers_held=dead_workers_held), timeout=15, what="the queue to drain")
        assert_exactly_one_email_each(smtp_server, [episode], expected)
    finally:
        if first.poll() is None:
            kill_worker(first)
        if second is not None:
            stop_process(second)
        redis("del", "unacked", "unacked_index")  # the dead worker's tasks: all sent, don't leave them around
