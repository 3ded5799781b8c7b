"""Deliveries: the outbox rows an alert writes (one per recipient, channel and purpose), queued once the
transaction that wrote them commits, and sent at most once each."""

import logging
from datetime import datetime, timedelta

from celery import current_app
from django.db import IntegrityError, transaction
from django.utils import timezone

from missing_episodes.alerts import recipients as who
from missing_episodes.alerts.messages import message_for
from missing_episodes.alerts.models import Alert, Channel, Delivery, DeliveryStatus

logger = logging.getLogger(__name__)
REQUEUE_AFTER = timedelta(seconds=60)
# Queued by name: services never import the tasks module (tasks are entry points that call services).
SEND_TASK = "missing_episodes.alerts.tasks.send_delivery"


def add_deliveries(
    alert: Alert, found: who.Recipients, *, purpose: str, sequence: int = 0, now: datetime
) -> list[Delivery]:
    rows = []
    for user in found.users:
        rows.append(
            Delivery(
                alert=alert,
                user=user,
                channel=Channel.IN_APP,
                purpose=purpose,
                sequence=sequence,
                escalation_level=alert.escalation_level,
                created_at=now,
            )
        )
        if user.email:
            rows.append(
                Delivery(
                    alert=alert,
                    user=user,
                    channel=Channel.EMAIL,
                    purpose=purpose,
                    sequence=sequence,
                    escalation_level=alert.escalation_level,
                    created_at=now,
                )
            )
    for address in found.addresses:
        rows.append(
            Delivery(
                alert=alert,
                email=address,
                channel=Channel.EMAIL,
                purpose=purpose,
                sequence=sequence,
                escalation_level=alert.escalation_level,
                created_at=now,
            )
        )
    created = []
    for row in rows:
        try:
            with transaction.atomic():
                row.save()
            created.append(row)
        except IntegrityError:
            continue  # already there: a delivery row is never written twice
    queue_after_commit([row.pk for row in created])
    return created


def queue_after_commit(delivery_ids: list) -> None:
    if delivery_ids:
        transaction.on_commit(lambda: queue_deliveries(delivery_ids))


def queue_deliveries(delivery_ids) -> None:
    """Hand deliveries to Celery. If the broker is down they stay pending for the sweeper."""
    for delivery_id in delivery_ids:
        try:
            current_app.send_task(SEND_TASK, args=[str(delivery_id)], retry=False)
        except Exception:  # noqa: BLE001 - the broker is optional at this moment; the row is the record
            logger.warning("Could not queue delivery %s; the sweeper will send it", delivery_id)
            return


def send_delivery(delivery_id, *, now: datetime | None = None) -> str:
    """Send one delivery at most once: the row stays locked while it is sent and is marked sent in the same
    transaction, so a retried or duplicated task finds it sent and does nothing."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("alert__child__organisation", "alert__episode", "user")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "missing"
        if delivery.status == DeliveryStatus.SENT:
            return "already sent"
        delivery.attempts += 1
        if delivery.channel == Channel.EMAIL:
            if not delivery.address:
                delivery.status = DeliveryStatus.FAILED
                delivery.last_error = "No email address"
                delivery.save()
                return "failed"
            message_for(delivery).send(fail_silently=False)
        delivery.status = DeliveryStatus.SENT
        delivery.notified_at = now or timezone.now()
        delivery.last_error = ""
        delivery.save()
        return "sent"


def record_failure(delivery_id, error: Exception) -> None:
    Delivery.objects.filter(pk=delivery_id).update(last_error=str(error)[:300])


def requeue_pending(*, now: datetime | None = None) -> int:
    """Deliveries still pending a minute after they were written go back on the queue."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, created_at__lte=now - REQUEUE_AFTER).values_list(
            "pk", flat=True
        )[:500]
    )
    queue_deliveries(ids)
    return len(ids)
