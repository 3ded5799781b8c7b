"""The alert rule, and where it plugs into every episode write.

Called inside the service's transaction, so an alert and its deliveries commit with the episode (or the
status change); the sends are queued only once that transaction commits.
"""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from missing_episodes.alerts import deliveries
from missing_episodes.alerts import recipients as who
from missing_episodes.models import (
    Alert,
    AlertLevel,
    AlertReason,
    AlertStatus,
    MissingEpisode,
    Purpose,
    RiskLevel,
    Status,
)

logger = logging.getLogger(__name__)

REMINDER_OFFSETS = [timedelta(hours=24), timedelta(hours=72), timedelta(days=7)]
HIGH_REASONS = {AlertReason.MISSING_HIGH_RISK, AlertReason.RISK_RAISED}


def is_high_risk_child(child) -> bool:
    return child.is_trafficked or child.is_current_uasc


def reminder_offset(n: int) -> timedelta:
    """After the alert: 24 h, 72 h, 7 days, then weekly (14, 21 ... days)."""
    return REMINDER_OFFSETS[n] if n < len(REMINDER_OFFSETS) else timedelta(days=7 * (n - 1))


def _timeout(child) -> timedelta:
    return timedelta(minutes=child.organisation.alert_ack_timeout_minutes)


def raise_alert(*, episode: MissingEpisode, level: str, reason: str, now: datetime | None = None) -> Alert | None:
    """Create the alert and its deliveries once (per episode and reason)."""
    now = now or timezone.now()
    child = episode.child
    if Alert.objects.filter(episode=episode, reason=reason).exists():
        return None
    high = level == AlertLevel.HIGH
    alert = Alert(
        child=child,
        episode=episode,
        level=level,
        reason=reason,
        created_at=now,
        next_escalation_at=now + _timeout(child) if high else None,
        next_reminder_at=now + reminder_offset(0) if reason != AlertReason.RETURN_INTERVIEW_OVERDUE else None,
    )
    try:
        with transaction.atomic():
            alert.save()
    except IntegrityError:
        return None
    deliveries.add_deliveries(alert, who.level_one(child, high=high), purpose=Purpose.ALERT, now=now)
    return alert


def open_high_alert(episode: MissingEpisode) -> Alert | None:
    return episode.alerts.filter(reason__in=HIGH_REASONS).exclude(status=AlertStatus.RESOLVED).first()


def apply_rule(*, episode: MissingEpisode, now: datetime | None = None) -> Alert | None:
    """An open episode of a trafficked or UASC child is high risk with a high alert; others a standard one."""
    if episode.status != Status.OPEN:
        return None
    if is_high_risk_child(episode.child) or episode.risk_level == RiskLevel.HIGH:
        if episode.risk_level != RiskLevel.HIGH:
            episode.risk_level = RiskLevel.HIGH
            episode.save(update_fields=["risk_level", "updated_at"])
        if open_high_alert(episode):
            return None
        reason = AlertReason.MISSING_HIGH_RISK if is_high_risk_child(episode.child) else AlertReason.RISK_RAISED
        alert = raise_alert(episode=episode, level=AlertLevel.HIGH, reason=reason, now=now)
        if alert is not None:  # the high alert supersedes a standard one raised earlier
            episode.alerts.filter(reason=AlertReason.MISSING).exclude(status=AlertStatus.RESOLVED).update(
                status=AlertStatus.RESOLVED, resolved_at=alert.created_at, next_reminder_at=None
            )
        return alert
    return raise_alert(episode=episode, level=AlertLevel.STANDARD, reason=AlertReason.MISSING, now=now)


def resolve_alerts(*, episode: MissingEpisode, now: datetime | None = None) -> int:
    now = now or timezone.now()
    alerts = list(
        episode.alerts.exclude(status=AlertStatus.RESOLVED).exclude(reason=AlertReason.RETURN_INTERVIEW_OVERDUE)
    )
    for alert in alerts:
        alert.status = AlertStatus.RESOLVED
        alert.resolved_at = now
        alert.next_escalation_at = None
        alert.next_reminder_at = None
        alert.save()
    return len(alerts)


# --- Hooks called by missing_episodes.services --------------------------------------------------


def episode_opened(*, episode, by) -> None:
    apply_rule(episode=episode)


def episode_closed(*, episode, by) -> None:
    resolve_alerts(episode=episode)


def child_changed(*, child, by, changed_fields: set[str]) -> None:
    """A status change to trafficked or UASC while an episode is open raises the high alert at once."""
    if not changed_fields & {"trafficking_status", "is_uasc", "uasc_ceased_date"}:
        return
    episode = MissingEpisode.objects.filter(child=child, status=Status.OPEN).select_related("child").first()
    if episode is None or not is_high_risk_child(child):
        return
    episode.child = child
    episode._history_user = by
    apply_rule(episode=episode)
