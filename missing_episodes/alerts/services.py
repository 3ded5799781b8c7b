"""Writes on alerts: acknowledging, sending deliveries once, escalating, reminding, and the sweeper.

Every function that depends on the time takes ``now`` so tests drive a controllable clock.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from casework.access import Permission, has_permission
from casework.exceptions import StaleVersion
from missing_episodes.alerts import deliveries
from missing_episodes.alerts import recipients as who
from missing_episodes.alerts import rules as escalation
from missing_episodes.models import (
    Acknowledgement,
    Alert,
    AlertLevel,
    AlertReason,
    AlertStatus,
    MissingEpisode,
    Purpose,
    ReturnInterview,
    RiskLevel,
    Status,
)
from missing_episodes.selectors import RETURN_INTERVIEW_DUE

logger = logging.getLogger(__name__)


@transaction.atomic
def acknowledge_alert(*, alert: Alert, by, note: str = "", now: datetime | None = None) -> Acknowledgement:
    """Record that ``by`` has seen the alert and is acting. Idempotent: a second call changes nothing."""
    now = now or timezone.now()
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    ack, created = Acknowledgement.objects.get_or_create(
        alert=locked, user=by, defaults={"acknowledged_at": now, "note": note}
    )
    if created:
        ack._history_user = by
    if locked.status == AlertStatus.OPEN and by.role in who.ACCOUNTABLE_ROLES:
        locked.status = AlertStatus.ACKNOWLEDGED
        locked.next_escalation_at = None
        locked._history_user = by
        locked.save()
    return ack


@transaction.atomic
def escalate_due_alerts(*, now: datetime | None = None) -> int:
    """Nobody accountable acknowledged in time: level 2 (service managers), then level 3 (out of hours)."""
    now = now or timezone.now()
    due = (
        Alert.objects.select_for_update(skip_locked=True)
        .filter(status=AlertStatus.OPEN, level=AlertLevel.HIGH, next_escalation_at__lte=now)
        .select_related("child__organisation")
    )
    count = 0
    for alert in due:
        alert.escalation_level += 1
        found = who.level_two(alert.child) if alert.escalation_level == 2 else who.level_three(alert.child)
        timeout = timedelta(minutes=alert.child.organisation.alert_ack_timeout_minutes)
        alert.next_escalation_at = now + timeout if alert.escalation_level < 3 else None
        alert.save()
        deliveries.add_deliveries(alert, found, purpose=Purpose.ESCALATION, now=now)
        count += 1
    return count


def _current_recipients(alert: Alert) -> who.Recipients:
    rows = alert.deliveries.filter(purpose__in=[Purpose.ALERT, Purpose.ESCALATION]).select_related("user")
    users = {row.user.pk: row.user for row in rows if row.user_id}
    addresses = sorted({row.email for row in rows if not row.user_id and row.email})
    return who.Recipients(list(users.values()), addresses)


@transaction.atomic
def send_due_reminders(*, now: datetime | None = None) -> int:
    """While the child is still missing: 24 h, 72 h, 7 days after the alert, then weekly."""
    now = now or timezone.now()
    due = (
        Alert.objects.select_for_update(skip_locked=True)
        .filter(next_reminder_at__lte=now, episode__status=Status.OPEN)
        .exclude(status=AlertStatus.RESOLVED)
        .select_related("child", "episode")
    )
    count = 0
    for alert in due:
        alert.reminders_sent += 1
        deliveries.add_deliveries(
            alert, _current_recipients(alert), purpose=Purpose.REMINDER, sequence=alert.reminders_sent, now=now
        )
        following = alert.reminders_sent
        while alert.created_at + escalation.reminder_offset(following) <= now:
            following += 1  # the sweeper was away: skip reminders that are already late, send one
        alert.next_reminder_at = alert.created_at + escalation.reminder_offset(following)
        alert.save()
        count += 1
    return count


@transaction.atomic
def repair_missing_alerts(*, now: datetime | None = None) -> int:
    """Any open episode without a live alert gets the alert the rule requires."""
    live = Alert.objects.filter(episode=OuterRef("pk")).exclude(status=AlertStatus.RESOLVED)
    orphans = MissingEpisode.objects.filter(status=Status.OPEN).exclude(Exists(live)).select_related("child")
    count = 0
    for episode in orphans:
        if escalation.apply_rule(episode=episode, now=now) is not None:
            count += 1
    return count


@transaction.atomic
def raise_overdue_return_interview_alerts(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    declined = ReturnInterview.objects.filter(episode=OuterRef("pk"), accepted=False)
    completed = ReturnInterview.objects.filter(episode=OuterRef("pk"), completed_at__isnull=False)
    already = Alert.objects.filter(episode=OuterRef("pk"), reason=AlertReason.RETURN_INTERVIEW_OVERDUE)
    overdue = (
        MissingEpisode.objects.filter(
            status=Status.CLOSED, outcome__in=["found", "returned"], ended_at__lte=now - RETURN_INTERVIEW_DUE
        )
        .exclude(Exists(completed))
        .exclude(Exists(declined))
        .exclude(Exists(already))
        .select_related("child")
    )
    count = 0
    for episode in overdue:
        if escalation.raise_alert(
            episode=episode, level=AlertLevel.STANDARD, reason=AlertReason.RETURN_INTERVIEW_OVERDUE, now=now
        ):
            count += 1
    return count


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """What beat runs every minute. Each step is its own transaction and safe to repeat."""
    now = now or timezone.now()
    return {
        "repaired": repair_missing_alerts(now=now),
        "escalated": escalate_due_alerts(now=now),
        "reminded": send_due_reminders(now=now),
        "return_interviews_overdue": raise_overdue_return_interview_alerts(now=now),
        "requeued": deliveries.requeue_pending(now=now),
    }


@transaction.atomic
def set_risk_level(
    *, episode: MissingEpisode, by, level: str, reason: str = "", version: int | None = None
) -> MissingEpisode:
    """Managers grade the authority's risk. Lowering a high grade needs a recorded reason (kept in history)."""
    locked = MissingEpisode.objects.select_for_update().select_related("child").get(pk=episode.pk)
    if version is not None and version != locked.version:
        raise StaleVersion()
    if not has_permission(by, Permission.RISK_LOWER):
        raise PermissionDenied("Only a manager can change the risk level")
    if level not in RiskLevel.values:
        raise ValidationError({"risk_level": ["Select high, medium or low"]})
    lowering_high = locked.risk_level == RiskLevel.HIGH and level != RiskLevel.HIGH
    if lowering_high and not reason.strip():
        raise ValidationError({"risk_level_reason": ["Enter why the risk is no longer high"]})
    locked.risk_level = level
    locked.risk_level_reason = reason.strip()
    locked.version += 1
    locked._history_user = by
    locked.save()
    if level == RiskLevel.HIGH:
        escalation.apply_rule(episode=locked)
    return locked
