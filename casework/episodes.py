"""Derive a child's SSDA903 Episodes rows from its care history. Pure: no database access.

The care history is three timelines: periods of care, legal statuses and placements. A record's ``end_date`` is
the day it ended, which is also the next record's ``start_date`` (like the 903's DEC and DECOM); ``None`` means
still open. Within a period of care a new episode starts on every day a new legal status or placement starts;
the old episode closes that same day with ``REC="X1"`` and the new one's ``RNE`` says what changed.

The functions accept any objects with the attributes of the small dataclasses below (the Django models have them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, NamedTuple, Protocol, TypeVar

COLUMNS = (
    "DECOM",
    "RNE",
    "LS",
    "CIN",
    "PLACE",
    "PLACE_PROVIDER",
    "DEC",
    "REC",
    "REASON_PLACE_CHANGE",
    "HOME_POST",
    "PL_POST",
    "URN",
)


class DerivationError(ValueError):
    """The care history has a gap, an overlap or a stray record, so no valid episodes can be derived."""


class CareRecordLike(Protocol):
    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date | None: ...


class PeriodOfCareLike(CareRecordLike, Protocol):
    @property
    def category_of_need(self) -> str: ...
    @property
    def home_postcode(self) -> str | None: ...
    @property
    def reason_ceased(self) -> str | None: ...


class LegalStatusLike(CareRecordLike, Protocol):
    @property
    def code(self) -> str: ...


class PlacementLike(CareRecordLike, Protocol):
    @property
    def place(self) -> str: ...
    @property
    def provider(self) -> str | None: ...
    @property
    def postcode(self) -> str | None: ...
    @property
    def urn(self) -> str | None: ...
    @property
    def carer_reference(self) -> str | None: ...
    @property
    def reason_for_change(self) -> str | None: ...


@dataclass(frozen=True)
class PeriodOfCare:
    start_date: date
    end_date: date | None
    category_of_need: str
    home_postcode: str | None = None
    reason_ceased: str | None = None


@dataclass(frozen=True)
class LegalStatus:
    code: str
    start_date: date
    end_date: date | None = None


@dataclass(frozen=True)
class Placement:
    place: str
    provider: str | None
    start_date: date
    end_date: date | None = None
    postcode: str | None = None
    urn: str | None = None
    carer_reference: str | None = None
    reason_for_change: str | None = None


@dataclass(frozen=True)
class Episode:
    """One 903 Episodes row (without CHILD). Dates are date objects; blanks are None."""

    DECOM: date
    RNE: str
    LS: str
    CIN: str
    PLACE: str
    PLACE_PROVIDER: str | None
    DEC: date | None
    REC: str | None
    REASON_PLACE_CHANGE: str | None
    HOME_POST: str | None
    PL_POST: str | None
    URN: str | None


R = TypeVar("R", bound=CareRecordLike)


@dataclass(frozen=True, eq=False)  # compared by identity: two records are never "the same" record
class _Span(Generic[R]):
    """A record as known on the as-at date: ``end`` is None while open or when it ended after that date."""

    record: R
    start: date
    end: date | None

    @property
    def stop(self) -> date | None:
        """The first day the record is no longer in force. A record that starts and ends on one day covers it."""
        if self.end is None:
            return None
        return self.end if self.end > self.start else self.end + timedelta(days=1)

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.stop is None or day < self.stop)

    def overlaps(self, other: _Span) -> bool:
        return self.start < (other.stop or date.max) and other.start < (self.stop or date.max)


class _Segment(NamedTuple):
    decom: date
    legal_status: _Span[LegalStatusLike]
    placement: _Span[PlacementLike]


def _fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _blank(value: str | None) -> str | None:
    return (value or "").strip() or None


def _spans(records: Iterable[R], label: str, plural: str, as_at: date | None) -> list[_Span[R]]:
    """The records as known on ``as_at``, in date order; raise if they run backwards or overlap."""
    spans: list[_Span[R]] = []
    for record in records:
        if as_at is not None and record.start_date > as_at:
            continue
        if record.end_date is not None and record.end_date < record.start_date:
            raise DerivationError(
                f"The {label} starting {_fmt(record.start_date)} ends before it starts ({_fmt(record.end_date)})"
            )
        ended = record.end_date is not None and (as_at is None or record.end_date <= as_at)
        spans.append(_Span(record, record.start_date, record.end_date if ended else None))
    spans.sort(key=lambda span: (span.start, span.stop or date.max))
    for before, after in zip(spans, spans[1:], strict=False):
        if before.end is None or before.end > after.start:
            raise DerivationError(
                f"Two {plural} overlap: the one starting {_fmt(before.start)} is still in force on {_fmt(after.start)}"
            )
    return spans


def _in_force(spans: Sequence[_Span[R]], day: date) -> _Span[R] | None:
    """The record in force on ``day``: of a one-day record and one starting that day, the longer one."""
    found = None
    for span in spans:
        if span.in_force(day):
            found = span
    return found


def _rne(*, ls_changed: bool, old: PlacementLike, new: PlacementLike | None) -> str:
    if new is None:
        return "L"
    carer = _blank(new.carer_reference)
    same_carer = carer is not None and carer == _blank(old.carer_reference)
    if ls_changed:
        return "U" if same_carer else "B"
    return "T" if same_carer else "P"


def _gap(label: str, day: date, period: _Span[PeriodOfCareLike]) -> DerivationError:
    return DerivationError(
        f"No {label} recorded on {_fmt(day)} within the period of care starting {_fmt(period.start)}"
    )


def _segments(
    period: _Span[PeriodOfCareLike],
    legal_statuses: Sequence[_Span[LegalStatusLike]],
    placements: Sequence[_Span[PlacementLike]],
) -> list[_Segment]:
    """Cut the period on each day the legal status or placement in force changes; raise on a gap."""
    days = {period.start}
    for span in (*legal_statuses, *placements):
        for day in (span.start, span.end):
            if day is not None and period.start < day < (period.stop or date.max):
                days.add(day)
    segments: list[_Segment] = []
    for day in sorted(days):
        legal_status = _in_force(legal_statuses, day)
        if legal_status is None:
            raise _gap("legal status", day, period)
        placement = _in_force(placements, day)
        if placement is None:
            raise _gap("placement", day, period)
        if not segments or (legal_status, placement) != segments[-1][1:]:
            segments.append(_Segment(day, legal_status, placement))
    return segments


def _period_episodes(
    period: _Span[PeriodOfCareLike],
    legal_statuses: Sequence[_Span[LegalStatusLike]],
    placements: Sequence[_Span[PlacementLike]],
) -> list[Episode]:
    segments = _segments(period, legal_statuses, placements)
    episodes = []
    for i, segment in enumerate(segments):
        placement = segment.placement.record
        if i == 0:
            rne = "S"
        else:
            previous = segments[i - 1]
            rne = _rne(
                ls_changed=segment.legal_status is not previous.legal_status,
                old=previous.placement.record,
                new=placement if segment.placement is not previous.placement else None,
            )
        if i + 1 < len(segments):
            following = segments[i + 1]
            dec, rec = following.decom, "X1"
            placement_ends = following.placement is not segment.placement
            reason = _blank(placement.reason_for_change) if placement_ends else None
        else:
            dec = period.end
            rec = _blank(period.record.reason_ceased) if dec is not None else None
            reason = None
        episodes.append(
            Episode(
                DECOM=segment.decom,
                RNE=rne,
                LS=segment.legal_status.record.code,
                CIN=period.record.category_of_need,
                PLACE=placement.place,
                PLACE_PROVIDER=_blank(placement.provider),
                DEC=dec,
                REC=rec,
                REASON_PLACE_CHANGE=reason,
                HOME_POST=_blank(period.record.home_postcode),
                PL_POST=_blank(placement.postcode),
                URN=_blank(placement.urn),
            )
        )
    return episodes


def derive_episodes(
    periods: Iterable[PeriodOfCareLike],
    legal_statuses: Iterable[LegalStatusLike],
    placements: Iterable[PlacementLike],
    *,
    as_at: date | None = None,
) -> list[Episode]:
    """The child's 903 episodes in date order, as the world stood on ``as_at`` (default: everything recorded).

    On ``as_at`` records starting later do not exist yet and records ending later are still open. Legal statuses
    and placements are clipped to the periods of care they overlap. Raises DerivationError when part of a period
    has no legal status or placement, when records of one kind overlap, or when a record lies outside every period.
    """
    period_spans = _spans(periods, "period of care", "periods of care", as_at)
    ls_spans = _spans(legal_statuses, "legal status", "legal statuses", as_at)
    pl_spans = _spans(placements, "placement", "placements", as_at)
    for spans, label in ((ls_spans, "legal status"), (pl_spans, "placement")):
        for span in spans:
            if not any(span.overlaps(period) for period in period_spans):
                raise DerivationError(f"The {label} starting {_fmt(span.start)} is outside every period of care")
    episodes: list[Episode] = []
    for period in period_spans:
        episodes.extend(_period_episodes(period, ls_spans, pl_spans))
    return episodes


def year_bounds(year: int) -> tuple[date, date]:
    """The collection year named by its end year: 2025 means 1 April 2024 to 31 March 2025."""
    return date(year - 1, 4, 1), date(year, 3, 31)


def episodes_in_year(episodes: Iterable[Episode], year: int) -> list[Episode]:
    """The episodes open at any time in the collection year (derive them with ``as_at`` = its 31 March)."""
    first, last = year_bounds(year)
    return [ep for ep in episodes if ep.DECOM <= last and (ep.DEC is None or ep.DEC >= first)]


def format_row(ep: Episode) -> dict[str, str]:
    """The episodes.csv row (CHILD excluded) in DfE column order: dates dd/mm/yyyy, blanks as ""."""
    row = {}
    for column in COLUMNS:
        value = getattr(ep, column)
        row[column] = "" if value is None else _fmt(value) if isinstance(value, date) else str(value)
    return row
