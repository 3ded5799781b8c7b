"""Reporting a trafficked child missing emails every accountable person, once, through Redis and a real worker."""

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone

from casework import services as casework_services
from config.celery import app as celery_app
from missing_episodes import services
from missing_episodes.models import Channel, Delivery, DeliveryStatus
from tests.factories import OrganisationFactory
from tests.missing_episodes.conftest import make_child_in_care, worker  # noqa: F401 - fixtures
from tests.support.processes import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

HOST_CONTACT = "missing@host.example"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need passwords but not a second of PBKDF2 each: keep the test about delivery."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def broker_counts() -> tuple[int, int]:
    """(tasks waiting in Redis, tasks a worker has taken and not acknowledged yet: acks_late)."""
    with celery_app.connection_for_write() as connection:
        client = connection.default_channel.client
        return client.llen("celery"), client.hlen("unacked")


def place_out_of_area(child, by, host):
    placement = child.placements.get()
    casework_services.update_care_record(record=placement, by=by, version=1, end_date=date(2024, 6, 1))
    casework_services.add_care_record(
        child=child,
        kind="placements",
        by=by,
        start_date=date(2024, 6, 1),
        place="K2",
        provider="PR4",
        host_authority=host,
        out_of_area=True,
        reason_for_change="",
    )


def test_every_recipient_gets_exactly_one_email_when_a_trafficked_child_goes_missing(
    celery_worker,
    smtp_server,
    make_child_in_care,  # noqa: F811
    worker,  # noqa: F811
    make_user,
):
    manager = make_user("team_manager")
    coordinator = make_user("missing_coordinator")
    make_user("data_officer")  # not accountable: told nothing
    host = OrganisationFactory(designated_contact_email=HOST_CONTACT)
    child = make_child_in_care(trafficking_status="identified", first_name="Mihret", last_name="Gebremedhin")
    place_out_of_area(child, worker, host)
    expected = {worker.email, manager.email, coordinator.email, HOST_CONTACT}

    _, held_before = broker_counts()  # a worker killed in an earlier test may have left some
    started = time.monotonic()
    episode = services.report_missing(child=child, kind="M", started_at=timezone.now() - timedelta(hours=1), by=worker)
    wait_for(
        lambda: set(smtp_server.by_recipient()) >= expected,
        timeout=20,
        what=f"an email to each of {sorted(expected)}",
    )
    elapsed = time.monotonic() - started
    wait_for(
        lambda: not Delivery.objects.filter(alert__episode=episode, status=DeliveryStatus.PENDING).exists(),
        timeout=10,
        what="every delivery (email and in-app) to be marked sent",
    )
    # Every task has run and been acknowledged, so a duplicate (a retried or twice-queued task) would show now.
    wait_for(lambda: broker_counts() == (0, held_before), timeout=10, what="the queue to drain")

    received = smtp_server.by_recipient()
    assert set(received) == expected, "someone unexpected was emailed"
    assert {address: len(messages) for address, messages in received.items()} == dict.fromkeys(expected, 1)
    for (message,) in received.values():
        assert child.la_child_id in message.subject
        assert "Mihret" not in message.subject and "Gebremedhin" not in message.subject
        assert "Mihret" not in message.text and "Gebremedhin" not in message.text
        assert message.message_id.startswith("<delivery-") and message.message_id.endswith(
            "@children-missing-from-care>"
        )
    assert len({m.message_id for m in smtp_server.messages}) == len(expected)

    deliveries = list(Delivery.objects.filter(alert__episode=episode))
    emails = [d for d in deliveries if d.channel == Channel.EMAIL]
    assert {d.address for d in emails} == expected
    assert all(d.status == DeliveryStatus.SENT and d.notified_at and d.attempts == 1 for d in deliveries)
    assert {f"<delivery-{d.pk}@children-missing-from-care>" for d in emails} == {
        m.message_id for m in smtp_server.messages
    }
    assert elapsed < 20
