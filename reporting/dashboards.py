"""Management dashboards: aggregate reads over one authority's children, episodes, alerts and NRM decisions.

Selector-style: every function takes the user and the filters, starts from the user's authority and
returns plain numbers (dataclasses), never querysets. Each panel is one or two aggregate queries, so the
number of queries does not grow with the data (pinned in tests/reporting/test_dashboards.py).

Scope. The counts cover every child of the user's authority (optionally one team), INCLUDING restricted
children: a restricted record is hidden from people who are not working with the child, but a manager's
totals must still be true. Restricted children appear in AGGREGATE counts only; anything that names a
child (the repeat-missing list) is limited to the children the user may open (casework.access).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import (
    Aggregate,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Lag, TruncMonth
from django.utils import timezone

from casework.access import child_scope
from casework.codes import NrmDecision, TraffickingStatus
from casework.models import Child, Team
from missing_episodes.models import (
    Acknowledgement,
    Alert,
    AlertLevel,
    Kind,
    MissingEpisode,
    Outcome,
    RiskLevel,
    Status,
)
from missing_episodes.selectors import REPEAT_THRESHOLD, REPEAT_WINDOW, RETURN_INTERVIEW_DUE

TOP_REPEAT = 10


class PercentileCont(Aggregate):
    """PostgreSQL ``percentile_cont(p) WITHIN GROUP (ORDER BY expr)``: works on numbers and intervals."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(percentile)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, percentile: float, **extra):
        super().__init__(expression, percentile=float(percentile), **extra)


# --- Filters and scope ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    date_from: datetime.date
    date_to: datetime.date
    team: Team | None = None

    @property
    def start(self) -> datetime.datetime:
        """The first moment of ``date_from`` in the service's time zone."""
        return _local_midnight(self.date_from)

    @property
    def end(self) -> datetime.datetime:
        """The first moment after ``date_to`` (exclusive)."""
        return _local_midnight(self.date_to + timedelta(days=1))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def default_range(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last 12 months: the 1st of the month 11 months ago, to today (12 whole or partial months)."""
    today = today or timezone.localdate()
    year, month = today.year, today.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1), today


def _authority_children(user, filters: Filters) -> QuerySet[Child]:
    # Aggregates include restricted children on purpose (see the module docstring); nothing here is listed.
    qs = Child.objects.filter(organisation_id=user.organisation_id) if user.organisation_id else Child.objects.none()
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    return qs


def _episodes(user, filters: Filters) -> QuerySet[MissingEpisode]:
    return MissingEpisode.objects.filter(child__in=_authority_children(user, filters)).order_by()


# --- 1. Episodes per month ------------------------------------------------------------------------


@dataclass
class MonthCount:
    month: datetime.date
    missing: int = 0
    away: int = 0

    @property
    def total(self) -> int:
        return self.missing + self.away


@dataclass
class EpisodesByMonth:
    months: list[MonthCount]

    @property
    def missing(self) -> int:
        return sum(m.missing for m in self.months)

    @property
    def away(self) -> int:
        return sum(m.away for m in self.months)

    @property
    def total(self) -> int:
        return self.missing + self.away


def _months(date_from: datetime.date, date_to: datetime.date) -> list[datetime.date]:
    months, current = [], date_from.replace(day=1)
    while current <= date_to:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def episodes_by_month(user, filters: Filters) -> EpisodesByMonth:
    """Episodes STARTING in each month of the range, by kind (M or A); months with none are shown as 0.

    A reclassified episode (M ↔ A) is two episodes, as in the 903 Missing file.
    """
    rows = (
        _episodes(user, filters)
        .filter(started_at__gte=filters.start, started_at__lt=filters.end)
        .annotate(month=TruncMonth("started_at"))
        .values("month", "kind")
        .annotate(n=Count("pk"))
    )
    by_month = {m: MonthCount(month=m) for m in _months(filters.date_from, filters.date_to)}
    for row in rows:
        month = timezone.localtime(row["month"]).date() if isinstance(row["month"], datetime.datetime) else row["month"]
        entry = by_month.setdefault(month, MonthCount(month=month))
        if row["kind"] == Kind.MISSING:
            entry.missing += row["n"]
        else:
            entry.away += row["n"]
    return EpisodesByMonth(months=[by_month[m] for m in sorted(by_month)])


# --- 2. Missing now -------------------------------------------------------------------------------


@dataclass
class RiskCount:
    risk_level: str
    label: str
    count: int = 0
    trafficked: int = 0
    uasc: int = 0


@dataclass
class MissingNow:
    by_risk: list[RiskCount]

    @property
    def total(self) -> int:
        return sum(r.count for r in self.by_risk)

    @property
    def trafficked(self) -> int:
        return sum(r.trafficked for r in self.by_risk)

    @property
    def uasc(self) -> int:
        return sum(r.uasc for r in self.by_risk)


TRAFFICKED = Q(child__trafficking_status__in=[TraffickingStatus.SUSPECTED, TraffickingStatus.IDENTIFIED])
CURRENT_UASC = Q(child__is_uasc=True, child__uasc_ceased_date__isnull=True)


def missing_now(user, filters: Filters) -> MissingNow:
    """Open episodes now, by risk level (the date range does not apply: this is today's picture)."""
    rows = (
        _episodes(user, filters)
        .filter(status=Status.OPEN)
        .values("risk_level")
        .annotate(n=Count("pk"), trafficked=Count("pk", filter=TRAFFICKED), uasc=Count("pk", filter=CURRENT_UASC))
    )
    found = {row["risk_level"]: row for row in rows}
    by_risk = []
    for level in (RiskLevel.HIGH, RiskLevel.MEDIUM, RiskLevel.LOW):
        row = found.get(level.value, {})
        by_risk.append(
            RiskCount(
                risk_level=level.value,
                label=level.label,
                count=row.get("n", 0),
                trafficked=row.get("trafficked", 0),
                uasc=row.get("uasc", 0),
            )
        )
    return MissingNow(by_risk=by_risk)


# --- 3. Repeat missing ----------------------------------------------------------------------------


@dataclass
class RepeatChild:
    child_id: object
    la_child_id: str
    name: str
    episodes: int


@dataclass
class RepeatMissing:
    count: int
    top: list[RepeatChild] = field(default_factory=list)
    listable: int = 0

    @property
    def not_listed(self) -> int:
        """Repeat-missing children counted but not listed (restricted records the user may not open)."""
        return self.count - self.listable


def repeat_missing(user, filters: Filters) -> RepeatMissing:
    """Children with 3 or more episodes starting within any 30 days, all inside the date range.

    An episode whose start is within 30 days of the start of the child's episode two before it closes such
    a window: one window function over the episodes in the range, no per-child queries.
    """
    in_range = _episodes(user, filters).filter(started_at__gte=filters.start, started_at__lt=filters.end)
    window_closers = (
        in_range.annotate(
            earlier=Window(
                Lag("started_at", offset=REPEAT_THRESHOLD - 1),
                partition_by=[F("child_id")],
                order_by=F("started_at").asc(),
            )
        )
        .annotate(span=ExpressionWrapper(F("started_at") - F("earlier"), output_field=DurationField()))
        .filter(span__lte=REPEAT_WINDOW)
        .values("child_id")
    )
    child_ids = list(window_closers.distinct())
    ids = {row["child_id"] for row in child_ids}
    if not ids:
        return RepeatMissing(count=0)
    in_range_q = Q(missing_episodes__started_at__gte=filters.start, missing_episodes__started_at__lt=filters.end)
    listable = (
        Child.objects.filter(pk__in=ids)
        .filter(child_scope(user))
        .annotate(n=Count("missing_episodes", filter=in_range_q))
        .order_by("-n", "la_child_id")
    )
    rows = list(listable)
    top = [RepeatChild(child_id=c.pk, la_child_id=c.la_child_id, name=c.display_name, episodes=c.n) for c in rows]
    return RepeatMissing(count=len(ids), top=top[:TOP_REPEAT], listable=len(rows))


# --- 4. Return interviews -------------------------------------------------------------------------


@dataclass
class Share:
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent, halves rounded up (1 of 8 is 13%)."""
        return (200 * self.count + self.total) // (2 * self.total) if self.total else 0


@dataclass
class ReturnInterviews:
    total: int
    rows: list[Share]


def return_interviews(user, filters: Filters) -> ReturnInterviews:
    """Episodes that ended (found or returned) in the range, by what happened to the return interview.

    Within 72 hours means completed no later than 72 hours after the episode ended.
    """
    completed = Q(return_interview__completed_at__isnull=False)
    on_time = completed & Q(return_interview__completed_at__lte=F("ended_at") + Value(RETURN_INTERVIEW_DUE))
    declined = ~completed & Q(return_interview__accepted=False)
    counts = (
        _episodes(user, filters)
        .filter(
            status=Status.CLOSED,
            outcome__in=[Outcome.FOUND, Outcome.RETURNED],
            ended_at__gte=filters.start,
            ended_at__lt=filters.end,
        )
        .aggregate(
            total=Count("pk"),
            on_time=Count("pk", filter=on_time),
            completed=Count("pk", filter=completed),
            declined=Count("pk", filter=declined),
        )
    )
    total = counts["total"]
    late = counts["completed"] - counts["on_time"]
    not_done = total - counts["completed"] - counts["declined"]
    rows = [
        Share("Completed within 72 hours", counts["on_time"], total),
        Share("Completed after 72 hours", late, total),
        Share("Declined by the child", counts["declined"], total),
        Share("Not done", not_done, total),
    ]
    return ReturnInterviews(total=total, rows=rows)


# --- 5. Alert acknowledgement times ---------------------------------------------------------------

ACK_BANDS = (
    ("Under 15 minutes", None, 15),
    ("15 to 30 minutes", 15, 30),
    ("30 to 60 minutes", 30, 60),
    ("Over 60 minutes", 60, None),
)


@dataclass
class AlertTimes:
    total: int
    acknowledged: int
    median_minutes: float | None
    p90_minutes: float | None
    bands: list[Share]
    escalation: list[Share]


def _minutes(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 60, 1)


def alert_times(user, filters: Filters) -> AlertTimes:
    """High alerts created in the range: minutes from the alert to the first acknowledgement by anyone."""
    first_ack = (
        Acknowledgement.objects.filter(alert=OuterRef("pk")).order_by("acknowledged_at").values("acknowledged_at")[:1]
    )
    alerts = (
        Alert.objects.filter(
            child__in=_authority_children(user, filters),
            level=AlertLevel.HIGH,
            created_at__gte=filters.start,
            created_at__lt=filters.end,
        )
        .order_by()
        .annotate(first_ack=Subquery(first_ack))
        .annotate(delay=ExpressionWrapper(F("first_ack") - F("created_at"), output_field=DurationField()))
    )
    band_counts = {}
    for index, (_label, low, high) in enumerate(ACK_BANDS):
        condition = Q(first_ack__isnull=False)
        if low is not None:
            condition &= Q(delay__gte=timedelta(minutes=low))
        if high is not None:
            condition &= Q(delay__lt=timedelta(minutes=high))
        band_counts[f"band_{index}"] = Count("pk", filter=condition)
    counts = alerts.aggregate(
        total=Count("pk"),
        acknowledged=Count("pk", filter=Q(first_ack__isnull=False)),
        median=PercentileCont("delay", 0.5, output_field=DurationField()),
        p90=PercentileCont("delay", 0.9, output_field=DurationField()),
        level_1=Count("pk", filter=Q(escalation_level__lte=1)),
        level_2=Count("pk", filter=Q(escalation_level=2)),
        level_3=Count("pk", filter=Q(escalation_level__gte=3)),
        **band_counts,
    )
    total = counts["total"]
    bands = [Share(label, counts[f"band_{i}"], total) for i, (label, _low, _high) in enumerate(ACK_BANDS)]
    bands.append(Share("Never acknowledged", total - counts["acknowledged"], total))
    escalation = [
        Share("Not escalated (level 1)", counts["level_1"], total),
        Share("Escalated to level 2", counts["level_2"], total),
        Share("Escalated to level 3", counts["level_3"], total),
    ]
    return AlertTimes(
        total=total,
        acknowledged=counts["acknowledged"],
        median_minutes=_minutes(counts["median"]),
        p90_minutes=_minutes(counts["p90"]),
        bands=bands,
        escalation=escalation,
    )


# --- 6. NRM decision waits ------------------------------------------------------------------------

WAIT_BANDS = (
    ("0 to 30 days", 0, 30),
    ("31 to 90 days", 31, 90),
    ("91 to 180 days", 91, 180),
    ("Over 180 days", 181, None),
)
UNDECIDED = ["", NrmDecision.PENDING]
DECIDED = [NrmDecision.POSITIVE, NrmDecision.NEGATIVE]


@dataclass
class NrmWaits:
    waiting_rg: list[Share]
    waiting_cg: list[Share]
    median_days_to_rg: float | None
    decided_rg: int
    median_days_to_cg: float | None
    decided_cg: int

    @property
    def waiting_rg_total(self) -> int:
        return sum(s.count for s in self.waiting_rg)

    @property
    def waiting_cg_total(self) -> int:
        return sum(s.count for s in self.waiting_cg)


def _days(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, timedelta):
        return round(value.total_seconds() / 86400, 1)
    return round(float(value), 1)


def nrm_waits(user, filters: Filters, *, today: datetime.date | None = None) -> NrmWaits:
    """Children referred to the NRM: who is waiting now and for how long; how long decisions took.

    Waiting is today's picture: for reasonable grounds (RG), days since the referral; for conclusive grounds
    (CG) after a positive RG, days since the RG decision. The medians cover decisions made in the date range.
    """
    today = today or timezone.localdate()
    waiting_rg = Q(reasonable_grounds__in=UNDECIDED)
    waiting_cg = Q(reasonable_grounds=NrmDecision.POSITIVE, conclusive_grounds__in=UNDECIDED)
    cg_clock = Coalesce("reasonable_grounds_date", "nrm_referral_date", output_field=DateField())

    def band_filters(prefix: str, waiting: Q, since) -> dict:
        out = {}
        for index, (_label, low, high) in enumerate(WAIT_BANDS):
            condition = waiting
            # Waited ``low`` days or more: the clock started on or before today - low.
            condition &= Q(**{f"{since}__lte": today - timedelta(days=low)})
            if high is not None:
                condition &= Q(**{f"{since}__gt": today - timedelta(days=high + 1)})
            out[f"{prefix}_{index}"] = Count("pk", filter=condition)
        return out

    rg_in_range = Q(
        reasonable_grounds__in=DECIDED,
        reasonable_grounds_date__gte=filters.date_from,
        reasonable_grounds_date__lte=filters.date_to,
    )
    cg_in_range = Q(
        conclusive_grounds__in=DECIDED,
        reasonable_grounds_date__isnull=False,
        conclusive_grounds_date__gte=filters.date_from,
        conclusive_grounds_date__lte=filters.date_to,
    )
    days_to_rg = ExpressionWrapper(F("reasonable_grounds_date") - F("nrm_referral_date"), output_field=DurationField())
    days_to_cg = ExpressionWrapper(
        F("conclusive_grounds_date") - F("reasonable_grounds_date"), output_field=DurationField()
    )
    counts = (
        _authority_children(user, filters)
        .filter(nrm_referral_date__isnull=False)
        .order_by()
        .annotate(cg_since=cg_clock, to_rg=days_to_rg, to_cg=days_to_cg)
        .aggregate(
            **band_filters("rg", waiting_rg, "nrm_referral_date"),
            **band_filters("cg", waiting_cg, "cg_since"),
            decided_rg=Count("pk", filter=rg_in_range),
            decided_cg=Count("pk", filter=cg_in_range),
            median_rg=PercentileCont("to_rg", 0.5, filter=rg_in_range, output_field=DurationField()),
            median_cg=PercentileCont("to_cg", 0.5, filter=cg_in_range, output_field=DurationField()),
        )
    )
    rg_total = sum(counts[f"rg_{i}"] for i in range(len(WAIT_BANDS)))
    cg_total = sum(counts[f"cg_{i}"] for i in range(len(WAIT_BANDS)))
    return NrmWaits(
        waiting_rg=[Share(label, counts[f"rg_{i}"], rg_total) for i, (label, _l, _h) in enumerate(WAIT_BANDS)],
        waiting_cg=[Share(label, counts[f"cg_{i}"], cg_total) for i, (label, _l, _h) in enumerate(WAIT_BANDS)],
        median_days_to_rg=_days(counts["median_rg"]),
        decided_rg=counts["decided_rg"],
        median_days_to_cg=_days(counts["median_cg"]),
        decided_cg=counts["decided_cg"],
    )


# --- Everything at once ---------------------------------------------------------------------------


@dataclass
class Dashboards:
    filters: Filters
    episodes: EpisodesByMonth
    missing_now: MissingNow
    repeat: RepeatMissing
    interviews: ReturnInterviews
    alerts: AlertTimes
    nrm: NrmWaits


def dashboards_for(user, filters: Filters) -> Dashboards:
    return Dashboards(
        filters=filters,
        episodes=episodes_by_month(user, filters),
        missing_now=missing_now(user, filters),
        repeat=repeat_missing(user, filters),
        interviews=return_interviews(user, filters),
        alerts=alert_times(user, filters),
        nrm=nrm_waits(user, filters),
    )
