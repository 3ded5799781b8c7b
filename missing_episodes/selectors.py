"""Reads of missing episodes, always scoped through the children the user may see."""

from datetime import timedelta

from django.db.models import Case, Count, F, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework.access import visible_children
from casework.models import Photo
from missing_episodes.models import Alert, MissingEpisode, ReturnInterview, RiskLevel, Status

RETURN_INTERVIEW_DUE = timedelta(hours=72)
REPEAT_WINDOW = timedelta(days=30)
REPEAT_THRESHOLD = 3

_RISK_ORDER = Case(
    When(risk_level=RiskLevel.HIGH, then=Value(0)),
    When(risk_level=RiskLevel.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def episodes_visible_to(
    user, *, child=None, status: str | None = None, kind: str | None = None
) -> QuerySet[MissingEpisode]:
    qs = MissingEpisode.objects.filter(child__in=visible_children(user)).select_related(
        "child", "return_interview", "reported_by"
    )
    if child is not None:
        qs = qs.filter(child=child)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def episode_for(user, episode_id) -> MissingEpisode:
    """One episode the user may see, or MissingEpisode.DoesNotExist (a 404)."""
    return (
        episodes_visible_to(user)
        .select_related("reclassified_as")
        .prefetch_related("updates__recorded_by")
        .get(pk=episode_id)
    )


BOARD_FIELDS = (
    "id",
    "kind",
    "started_at",
    "risk_level",
    "police_reference",
    "child_id",
    "child__la_child_id",
    "child__first_name",
    "child__last_name",
    "child__preferred_name",
    "child__trafficking_status",
    "child__is_uasc",
    "child__uasc_ceased_date",
    "team_name",
    "recent_episodes",
    "latest_photo_id",
)
BOARD_ALERT_FIELDS = ("episode_id", "status", "level", "escalation_level")


def _open_episodes_for(user) -> QuerySet[MissingEpisode]:
    """The open episodes of the children in the user's reach: one per child missing or away now."""
    return MissingEpisode.objects.filter(status=Status.OPEN, child__in=visible_children(user))


def missing_now_count(user) -> int:
    """How many children in the user's reach are missing or away now (the board's rows, counted)."""
    return _open_episodes_for(user).count()


def missing_board_for(user) -> QuerySet:
    """Every child missing or away now in the user's reach: highest risk first, then longest missing.

    Rows of values (BOARD_FIELDS), not objects: a board of hundreds of rows otherwise spends its time building
    objects and ids it never reads. Each row has the child's ``team_name`` (or None), ``latest_photo_id`` (the
    child's newest photo, or None) and ``recent_episodes``; its alerts come from ``board_alerts_for`` (one
    query, no list of ids sent back to the database)."""
    since = timezone.now() - REPEAT_WINDOW
    latest_photo = Photo.objects.filter(child=OuterRef("child")).order_by("-uploaded_at").values("pk")[:1]
    recent = (
        MissingEpisode.objects.filter(child=OuterRef("child"), started_at__gte=since)
        .order_by()
        .values("child")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        _open_episodes_for(user)
        .annotate(
            team_name=F("child__team__name"),
            risk_order=_RISK_ORDER,
            recent_episodes=Coalesce(Subquery(recent), 0),
            latest_photo_id=Subquery(latest_photo),
        )
        .order_by("risk_order", "started_at")
        .values(*BOARD_FIELDS)
    )


def board_alerts_for(user) -> dict:
    """The alerts of every open episode on the user's board, by episode id: rows with ``status``, ``level``
    and ``escalation_level`` (enough for alert_state), not Alert objects."""
    alerts: dict = {}
    rows = (
        Alert.objects.filter(episode__status=Status.OPEN, child__in=visible_children(user))
        .order_by()
        .values_list(*BOARD_ALERT_FIELDS, named=True)
    )
    for alert in rows:
        alerts.setdefault(alert.episode_id, []).append(alert)
    return alerts


def overdue_return_interviews_for(user) -> QuerySet[MissingEpisode]:
    """Closed episodes whose child came back over 72 hours ago with no completed return interview."""
    due_before = timezone.now() - RETURN_INTERVIEW_DUE
    completed = ReturnInterview.objects.filter(completed_at__isnull=False).values("episode_id")
    declined = ReturnInterview.objects.filter(accepted=False).values("episode_id")
    return (
        episodes_visible_to(user, status=Status.CLOSED)
        .exclude(outcome__in=["reclassified", "left_care"])
        .filter(ended_at__lt=due_before)
        .exclude(pk__in=completed)
        .exclude(pk__in=declined)
        .order_by("ended_at")
    )


# What the board's table of overdue return interviews shows, and nothing more.
BOARD_OVERDUE_FIELDS = (
    "id",
    "ended_at",
    "child__id",
    "child__la_child_id",
    "child__first_name",
    "child__last_name",
    "child__preferred_name",
    "return_interview__id",
    "return_interview__offered_at",
)


def board_overdue_interviews_for(user) -> QuerySet[MissingEpisode]:
    """overdue_return_interviews_for, loading only what the board's table shows."""
    return (
        overdue_return_interviews_for(user)
        .select_related(None)
        .select_related("child", "return_interview")
        .only(*BOARD_OVERDUE_FIELDS)
    )


def return_interview_due_at(episode: MissingEpisode):
    return episode.ended_at + RETURN_INTERVIEW_DUE if episode.ended_at else None


CHILD_PAGE_EPISODES = 20


def recent_episodes_of(child) -> list[MissingEpisode]:
    """The child's latest episodes, newest first, for their page. ``child`` must have come through the
    user's scope (casework.selectors.child_for): the episodes of a child the user may see are visible too."""
    fields = ("id", "child_id", "kind", "status", "started_at", "ended_at", "outcome")
    return list(child.missing_episodes.only(*fields).order_by("-started_at")[:CHILD_PAGE_EPISODES])


def repeat_missing_among(episodes: list[MissingEpisode], *, now) -> bool:
    """is_repeat_missing, worked out from the child's latest episodes (recent_episodes_of): the threshold is
    far below how many that list holds, so the latest ones are enough to say."""
    return sum(e.started_at >= now - REPEAT_WINDOW for e in episodes) >= REPEAT_THRESHOLD


def is_repeat_missing(child, *, now=None) -> bool:
    """3 or more episodes in 30 days suggests a strategy discussion."""
    now = now or timezone.now()
    return child.missing_episodes.filter(started_at__gte=now - REPEAT_WINDOW).count() >= REPEAT_THRESHOLD
