"""Trafficked and unaccompanied children who went missing: the FOI-style summary of "Heading back to harm"
(domain.md §7) for one authority and any date range.

Groups (rows), among children looked after at any time in the range:
  * identified or suspected as trafficked (trafficking status ``suspected`` or ``identified``)
  * unaccompanied asylum-seeking children (UASC status held at any time in the range)
  * both trafficked and UASC
  * total: trafficked or UASC (each child once)

Columns: children; children who went missing (at least one missing (M) or away (A) episode starting in the
range); episodes (those episodes; the continuation of an episode reclassified between missing and away is
the same absence and is not counted again); still missing (of the children who went missing, those whose
whereabouts were unknown, an open missing (M) episode, at the end of the range).

The counts cover every child of the authority, restricted records included, as the dashboards do: nothing
here names a child. One aggregate query, whatever the number of children.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from casework import episodes as derivation
from casework.codes import TraffickingStatus
from casework.models import Child, PeriodOfCare
from missing_episodes.models import Kind, MissingEpisode
from reporting.csvfiles import neutralise

CSV_NAME = "trafficking_missing_summary.csv"
COLUMNS = ("Group", "From", "To", "Children", "Children who went missing", "Missing episodes", "Still missing")
TRAFFICKED = (TraffickingStatus.SUSPECTED, TraffickingStatus.IDENTIFIED)
GROUPS = (
    ("trafficked", "Identified or suspected as trafficked"),
    ("uasc", "Unaccompanied asylum-seeking children (UASC)"),
    ("both", "Both trafficked and UASC"),
    ("total", "Total: trafficked or UASC"),
)


@dataclass(frozen=True)
class GroupCounts:
    key: str
    label: str
    children: int
    went_missing: int
    episodes: int
    still_missing: int


@dataclass(frozen=True)
class Summary:
    date_from: date
    date_to: date
    groups: tuple[GroupCounts, ...]

    @property
    def empty(self) -> bool:
        return all(group.children == 0 for group in self.groups)

    def group(self, key: str) -> GroupCounts:
        return next(group for group in self.groups if group.key == key)


def _instant(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _conditions(date_from: date) -> dict[str, Q]:
    trafficked = Q(trafficking_status__in=TRAFFICKED)
    uasc = Q(is_uasc=True) & (Q(uasc_ceased_date__isnull=True) | Q(uasc_ceased_date__gte=date_from))
    return {"trafficked": trafficked, "uasc": uasc, "both": trafficked & uasc, "total": trafficked | uasc}


def summary_for(*, organisation_id, date_from: date, date_to: date) -> Summary:
    """The counts for the authority ``organisation_id`` between ``date_from`` and ``date_to`` (inclusive)."""
    start, end = _instant(date_from), _instant(date_to + timedelta(days=1))
    in_care = PeriodOfCare.objects.filter(child=OuterRef("pk"), start_date__lte=date_to).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=date_from)
    )
    started = MissingEpisode.objects.filter(
        child=OuterRef("pk"), started_at__gte=start, started_at__lt=end, reclassified_from__isnull=True
    )
    per_child = started.order_by().values("child").annotate(n=Count("pk")).values("n")
    missing_at_end = MissingEpisode.objects.filter(child=OuterRef("pk"), kind=Kind.MISSING, started_at__lt=end).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=end)
    )
    children = (
        Child.objects.filter(organisation_id=organisation_id)
        .filter(Exists(in_care))
        .annotate(
            went=Exists(started),
            still=Exists(missing_at_end),
            n_episodes=Coalesce(Subquery(per_child, output_field=IntegerField()), 0),
        )
    )
    aggregates = {}
    for key, condition in _conditions(date_from).items():
        went = condition & Q(went=True)
        aggregates[f"{key}_children"] = Count("pk", filter=condition)
        aggregates[f"{key}_went"] = Count("pk", filter=went)
        aggregates[f"{key}_episodes"] = Sum("n_episodes", filter=went)
        aggregates[f"{key}_still"] = Count("pk", filter=went & Q(still=True))
    totals = children.aggregate(**aggregates) if organisation_id else {}
    groups = tuple(
        GroupCounts(
            key=key,
            label=label,
            children=totals.get(f"{key}_children") or 0,
            went_missing=totals.get(f"{key}_went") or 0,
            episodes=totals.get(f"{key}_episodes") or 0,
            still_missing=totals.get(f"{key}_still") or 0,
        )
        for key, label in GROUPS
    )
    return Summary(date_from=date_from, date_to=date_to, groups=groups)


def csv_rows(summary: Summary) -> list[list[str]]:
    """The summary as CSV rows (headings first): dates dd/mm/yyyy, every cell neutralised."""
    period = (summary.date_from.strftime("%d/%m/%Y"), summary.date_to.strftime("%d/%m/%Y"))
    body = [[g.label, *period, g.children, g.went_missing, g.episodes, g.still_missing] for g in summary.groups]
    return [list(COLUMNS), *([neutralise(cell) for cell in row] for row in body)]


def write_csv(handle, summary: Summary) -> int:
    """Write the summary to an open text ``handle``; returns the number of data rows."""
    writer = csv.writer(handle, lineterminator="\r\n")
    rows = csv_rows(summary)
    writer.writerows(rows)
    return len(rows) - 1


def export(
    *, organisation, year: int, directory: Path, progress: Callable[[int], None] | None = None
) -> tuple[dict[str, int], list[dict]]:
    """The summary for collection year ``year`` (2025: 1 April 2024 to 31 March 2025) as one CSV file."""
    date_from, date_to = derivation.year_bounds(year)
    summary = summary_for(organisation_id=organisation.pk, date_from=date_from, date_to=date_to)
    if progress:
        progress(50)
    with open(directory / CSV_NAME, "w", newline="", encoding="utf-8") as handle:
        count = write_csv(handle, summary)
    return {CSV_NAME: count}, []
