"""The SSDA903 return (header, episodes, UASC, missing) for one authority and collection year.

Streaming: the children, their three care timelines and their missing episodes are read as five ordered
server-side cursors and merged child by child, so memory stays flat however many children there are.
A return shows the world as it stood on 31 March: anything that ended after the year's end is open.
"""

import csv
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Collate
from django.utils import timezone

from casework import episodes as derivation
from casework.models import Child, LegalStatus, PeriodOfCare, Placement
from missing_episodes.models import MissingEpisode
from reporting.csvfiles import INJECTION_PREFIXES, neutralise

HEADER = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODES = ("CHILD", *derivation.COLUMNS)
UASC = ("CHILD", "SEX", "DOB", "DUC")
MISSING = ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")
FILES = {"header.csv": HEADER, "episodes.csv": EPISODES, "uasc.csv": UASC, "missing.csv": MISSING}
CHUNK = 5000
_EPISODE_VALUES = attrgetter(*derivation.COLUMNS)
_RISKY_FIRST = frozenset(INJECTION_PREFIXES)  # single characters: a cell starting with one may need neutralising


@lru_cache(maxsize=16384)
def _day(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"  # strftime("%d/%m/%Y"), several times faster


def fmt(day: date | None) -> str:
    return _day(day) if day else ""


def _episode_row(la_id: str, episode: derivation.Episode) -> tuple:
    """The episodes.csv row, as casework.episodes.format_row gives it (dates dd/mm/yyyy, blanks "")."""
    return (
        la_id,
        *("" if v is None else _day(v) if isinstance(v, date) else str(v) for v in _EPISODE_VALUES(episode)),
    )


def _safe(row: tuple) -> list:
    """``neutralise`` for the rare cell that could start a spreadsheet formula; every other cell as it is."""
    return [neutralise(cell) if cell and cell[0] in _RISKY_FIRST else cell for cell in row]


def _instant(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _by_child(rows: Iterator[tuple]) -> Iterator[tuple[str, list[tuple]]]:
    """Rows ordered by their first column (la_child_id), grouped."""
    for key, group in groupby(rows, key=lambda row: row[0]):
        yield key, list(group)


def by_child_id(field: str = "la_child_id"):
    """Order by Child ID byte by byte (collation "C"), the order Python's ``<`` uses in Stream.take.

    The database's own collation (en_US.UTF-8, say) sorts "ab1" before "AC2" where Python does the opposite;
    with mixed-case Child IDs the merge would then pass children by and drop their rows."""
    return Collate(field, "C")


class Stream:
    """A grouped cursor we can advance to a given child (both sides ordered by ``by_child_id``)."""

    def __init__(self, rows: Iterator[tuple]):
        self._groups = _by_child(rows)
        self._current = next(self._groups, None)

    def take(self, key: str) -> list[tuple]:
        while self._current is not None and self._current[0] < key:
            self._current = next(self._groups, None)
        if self._current is not None and self._current[0] == key:
            rows = self._current[1]
            self._current = next(self._groups, None)
            return rows
        return []


def _children(organisation, start: date, end: date):
    in_year = PeriodOfCare.objects.filter(child=OuterRef("pk"), start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    return (
        Child.objects.filter(organisation=organisation)
        .filter(Exists(in_year))
        .order_by(by_child_id())
        .values_list(
            "la_child_id",
            "sex",
            "date_of_birth",
            "ethnicity",
            "upn",
            "is_mother",
            "first_child_date_of_birth",
            "is_uasc",
            "uasc_ceased_date",
        )
    )


def _timeline(model, organisation, end: date, fields: tuple[str, ...]):
    return (
        model.objects.filter(child__organisation=organisation, start_date__lte=end)
        .order_by(by_child_id("child__la_child_id"), "start_date")
        .values_list("child__la_child_id", *fields)
        .iterator(chunk_size=CHUNK)
    )


def missing_episodes_between(organisation, start: date, end: date, fields=("kind", "started_at", "ended_at")):
    """The authority's M and A episodes that overlap ``start``..``end``: (Child ID, *fields) rows in the
    order Stream expects."""
    return (
        MissingEpisode.objects.filter(child__organisation=organisation, started_at__lt=_instant(end + timedelta(1)))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=_instant(start)))
        .order_by(by_child_id("child__la_child_id"), "started_at")
        .values_list("child__la_child_id", *fields)
        .iterator(chunk_size=CHUNK)
    )


def export(
    *, organisation, year: int, directory: Path, progress: Callable[[int], None] | None = None
) -> tuple[dict[str, int], list[dict]]:
    """Write the four files into ``directory``; returns rows per file and the children we could not derive."""
    start, end = derivation.year_bounds(year)
    year_end_instant = _instant(end + timedelta(1))
    local = timezone.get_current_timezone()
    children = _children(organisation, start, end)
    total = children.count() or 1
    periods = Stream(
        _timeline(
            PeriodOfCare,
            organisation,
            end,
            ("start_date", "end_date", "category_of_need", "home_postcode", "reason_ceased"),
        )
    )
    statuses = Stream(_timeline(LegalStatus, organisation, end, ("code", "start_date", "end_date")))
    placements = Stream(
        _timeline(
            Placement,
            organisation,
            end,
            ("place", "provider", "start_date", "end_date", "postcode", "urn", "carer_reference", "reason_for_change"),
        )
    )
    missing = Stream(missing_episodes_between(organisation, start, end))
    problems: list[dict] = []

    def child_rows(child: tuple) -> Iterator[tuple[str, tuple]]:
        la_id, sex, dob, ethnic, upn, is_mother, mc_dob, is_uasc, duc = child
        child_missing = missing.take(la_id)
        try:
            derived = derivation.derive_episodes(
                [derivation.PeriodOfCare(*r[1:]) for r in periods.take(la_id)],
                [derivation.LegalStatus(*r[1:]) for r in statuses.take(la_id)],
                [derivation.Placement(*r[1:]) for r in placements.take(la_id)],
                as_at=end,
            )
        except derivation.DerivationError as exc:
            problems.append({"child": la_id, "rule": "care history", "field": "episodes", "description": str(exc)})
            return
        in_year = derivation.episodes_in_year(derived, year)
        if not in_year:
            return
        # Motherhood as it stood while looked after in the year: a first child born after 31 March, or after
        # the child left care, is not in this year's return (903 rule 625).
        ceased = in_year[-1].DEC
        mother_by = min(end, ceased) if ceased else end
        mother_then = bool(is_mother) and (mc_dob is None or mc_dob <= mother_by)
        mother = "" if sex != "F" else ("1" if mother_then else "0")
        yield "header.csv", (la_id, sex, fmt(dob), ethnic, upn, mother, fmt(mc_dob) if mother_then else "")
        for ep in in_year:
            yield "episodes.csv", _episode_row(la_id, ep)
        if is_uasc:
            yield "uasc.csv", (la_id, sex, fmt(dob), fmt(duc) if duc and duc <= end else "")
        for _, kind, started_at, ended_at in child_missing:
            closed = ended_at is not None and ended_at < year_end_instant
            yield (
                "missing.csv",
                (
                    la_id,
                    fmt(dob),
                    kind,
                    fmt(started_at.astimezone(local).date()),
                    fmt(ended_at.astimezone(local).date()) if closed else "",
                ),
            )

    counts = dict.fromkeys(FILES, 0)
    with ExitStack() as stack:
        writers = {}
        for name, columns in FILES.items():
            handle = stack.enter_context(open(directory / name, "w", newline="", encoding="utf-8"))
            writers[name] = csv.writer(handle, lineterminator="\r\n")
            writers[name].writerow(columns)
        for index, child in enumerate(children.iterator(chunk_size=CHUNK)):
            for name, row in child_rows(child):
                writers[name].writerow(_safe(row))
                counts[name] += 1
            if progress and index % 1000 == 999:
                progress(min(95, int(index * 95 / total)))
    return counts, problems
