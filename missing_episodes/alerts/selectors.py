"""Reads of alerts: those addressed to the user, and for managers and coordinators all of their authority's."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from casework.access import Permission, has_permission, visible_children
from missing_episodes.models import Acknowledgement, Alert, AlertStatus, Delivery, Purpose


def alerts_for(
    user, *, status: str | None = None, child=None, level: str | None = None, addressed_to_me: bool = False
) -> QuerySet[Alert]:
    # Never an alert about a child the user cannot see: list, detail and the child page must agree.
    # Without ALERT_VIEW_ALL (or with addressed_to_me), only the alerts delivered to the user.
    scope = Q(child__in=visible_children(user))
    if addressed_to_me or not has_permission(user, Permission.ALERT_VIEW_ALL):
        scope &= Q(Exists(Delivery.objects.filter(alert=OuterRef("pk"), user_id=user.pk)))
    qs = Alert.objects.filter(scope).select_related("child", "episode")
    if status:
        qs = qs.filter(status=status)
    if child is not None:
        qs = qs.filter(child=child)
    if level:
        qs = qs.filter(level=level)
    return qs


ALERT_LIST_FIELDS = (
    "id",
    "level",
    "reason",
    "status",
    "escalation_level",
    "created_at",
    "child__id",
    "child__la_child_id",
    "child__first_name",
    "child__last_name",
)


def _acknowledged_by(user) -> Exists:
    """True for an alert that ``user`` has acknowledged."""
    return Exists(Acknowledgement.objects.filter(alert=OuterRef("pk"), user_id=user.pk))


def alert_list_for(user, *, status: str | None = None) -> QuerySet[Alert]:
    """alerts_for, loading only what the "My alerts" table shows, each with ``acked_by_me``."""
    return (
        alerts_for(user, status=status)
        .select_related(None)
        .select_related("child")
        .only(*ALERT_LIST_FIELDS)
        .annotate(acked_by_me=_acknowledged_by(user))
    )


def with_recipients(qs: QuerySet[Alert]) -> QuerySet[Alert]:
    return qs.prefetch_related(
        Prefetch(
            "deliveries",
            queryset=Delivery.objects.filter(purpose__in=[Purpose.ALERT, Purpose.ESCALATION])
            .select_related("user")
            .order_by("escalation_level", "created_at"),
        ),
        Prefetch("acknowledgements", queryset=Acknowledgement.objects.select_related("user")),
    )


def alert_for(user, alert_id) -> Alert:
    return with_recipients(alerts_for(user)).get(pk=alert_id)


def recipients_of(alert: Alert) -> list[dict]:
    """One row per recipient and channel, with when it was notified and when that person acknowledged."""
    acks = {ack.user_id: ack.acknowledged_at for ack in alert.acknowledgements.all()}
    return [
        {
            "user": d.user,
            "user_id": d.user_id,
            "email": "" if d.user_id else d.email,
            "channel": d.channel,
            "escalation_level": d.escalation_level,
            "notified_at": d.notified_at,
            "acknowledged_at": acks.get(d.user_id) if d.user_id else None,
        }
        for d in alert.deliveries.all()
    ]


def unacknowledged_count(user) -> int:
    """For the header: open alerts addressed to this user that they have not acknowledged."""
    mine = alerts_for(user, addressed_to_me=True)
    return mine.exclude(_acknowledged_by(user)).exclude(status=AlertStatus.RESOLVED).count()


def alert_state(alerts: list) -> str:
    """A short phrase for the board: the worst live alert's state. ``alerts`` are Alert objects or rows with
    their ``status``, ``level`` and ``escalation_level`` (board_alerts_for)."""
    live = [a for a in alerts if a.status != AlertStatus.RESOLVED]
    if not live:
        return "No alert"
    worst = sorted(live, key=lambda a: (a.level != "high", a.status != AlertStatus.OPEN))[0]
    if worst.status == AlertStatus.OPEN:
        suffix = f", escalated to level {worst.escalation_level}" if worst.escalation_level > 1 else ""
        return f"Not acknowledged{suffix}"
    return "Acknowledged"
