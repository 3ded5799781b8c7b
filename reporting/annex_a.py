"""Ofsted Annex A, list 8 (children in care) for one authority: ``list8.xlsx`` and ``list8.csv``.

The columns are those of domain.md §3 (the liia-tools Annex A schema), in order. One row per child looked
after at any time in the 12 months before the as-at date. As a return run the as-at date is the 31 March
that ends the collection year ``year`` (2025: 1 April 2024 to 31 March 2025).

Streaming, as ``reporting.ssda903``: the children, their three care timelines and their missing episodes
are read as ordered server-side cursors and merged child by child; the spreadsheet is a write-only
openpyxl workbook, so memory stays flat however many children there are.

Values follow the Annex A vocabularies: gender and ethnicity with their letter prefixes ("a) Male",
"o) BAFR"), the 903 codes with this service's labels ("U6: Foster placement ..."), Y/N flags, dates as
dd/mm/yyyy in the CSV and as real dates in the spreadsheet. What this service does not record (disability,
statutory reviews, social work, IRO, health and dental visits, the permanence plan) is left blank for the
authority to fill in from its main case system.

Every text cell is neutralised against spreadsheet injection in both files (``csvfiles.neutralise``), and
in the workbook text cells are written as strings, never formulas.
"""

import csv
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

from django.db.models import Exists, OuterRef, Q
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from casework import codes
from casework import episodes as derivation
from casework.models import Child, LegalStatus, PeriodOfCare, Placement
from missing_episodes.models import Kind, Outcome
from reporting.csvfiles import neutralise
from reporting.ssda903 import CHUNK, Stream, by_child_id, fmt, missing_episodes_between

XLSX_NAME = "list8.xlsx"
CSV_NAME = "list8.csv"
SHEET_TITLE = "List 8"

COLUMNS = (
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)",
    "Does the Child have a Disability",
    "Date Started to be Looked After",
    "Child's Category of Need",
    "Is this a second or subsequent period of being a Looked After Child within the last 12 months (Y/N)",
    "Start date of current legal status",
    "Child's Legal Status",
    "Date of Latest Statutory Review",
    "Date of Last Social Work Visit",
    "What is the permanence plan for this child?",
    "Date of Last IRO Visit / Contact to the Child",
    "Date of Last Health Assessment",
    "Date of Last Dental Check",
    "Number of Placements in the Last 12 months",
    "Date Ceased to be Looked After",
    "Reason Ceased to be Looked After",
    "Start Date of Most Recent Placement",
    "Placement Type",
    "Placement Provider",
    "Placement postcode",
    "URN of Placement",
    "Placement Location",
    "LA of Placement",
    "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months",
    "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months",
    "Was the child offered a Return Interview after their last missing episode (Y/N)?",
    "Did the child accept a Return Interview after their last missing episode (Y/N)?",
    "Allocated Team",
    "Allocated Worker",
)

GENDER = {"M": "a) Male", "F": "b) Female", "U": "c) Not stated/recorded"}
# The 903 ethnicity codes in the Annex A order, lettered a) to s) (refused and not obtained share s).
ETHNICITY_ORDER = (
    "WBRI",
    "WIRI",
    "WIRT",
    "WOTH",
    "WROM",
    "MWBC",
    "MWBA",
    "MWAS",
    "MOTH",
    "AIND",
    "APKN",
    "ABAN",
    "AOTH",
    "BCRB",
    "BAFR",
    "BOTH",
    "CHNE",
    "OOTH",
)
ETHNICITY = {code: f"{chr(ord('a') + i)}) {code}" for i, code in enumerate(ETHNICITY_ORDER)}
ETHNICITY |= {"REFU": "s) REFU", "NOBT": "s) NOBT"}


def period_for(year: int) -> tuple[date, date]:
    """The 12 months ending on the 31 March that closes collection year ``year``."""
    return derivation.year_bounds(year)


def twelve_months_ending(end: date) -> tuple[date, date]:
    """The 12 months up to and including ``end``: from the day after the same date a year before."""
    try:
        year_before = end.replace(year=end.year - 1)
    except ValueError:  # 29 February
        year_before = date(end.year - 1, 2, 28)
    return year_before + timedelta(days=1), end


def _coded(code: str, labels: dict[str, str]) -> str:
    if not code:
        return ""
    label = labels.get(code)
    return f"{code}: {label}" if label else code


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Y" if value else "N")


def _age(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _overlapping(model, organisation, start: date, end: date):
    return model.objects.filter(child__organisation=organisation, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )


def _children(organisation, start: date, end: date):
    in_care = PeriodOfCare.objects.filter(child=OuterRef("pk"), start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    )
    return (
        Child.objects.filter(organisation=organisation)
        .filter(Exists(in_care))
        .order_by(by_child_id())
        .values_list(
            "la_child_id",
            "sex",
            "date_of_birth",
            "ethnicity",
            "is_uasc",
            "uasc_ceased_date",
            "team__name",
            "allocated_social_worker__first_name",
            "allocated_social_worker__last_name",
            "allocated_social_worker__username",
        )
    )


def _timeline(model, organisation, start: date, end: date, fields: tuple[str, ...]):
    return (
        _overlapping(model, organisation, start, end)
        .order_by(by_child_id("child__la_child_id"), "start_date")
        .values_list("child__la_child_id", *fields)
        .iterator(chunk_size=CHUNK)
    )


def return_interview_flags(episodes: list[tuple]) -> tuple[str, str]:
    """(offered, accepted) for the last missing (M) episode among ``episodes`` (kind, outcome, offered_at,
    accepted), in start order. A missing episode reclassified as away ends with the child's return on a
    later episode of the chain, where the return interview is recorded: follow the chain to it.
    Both blank if the child was never missing; accepted is blank unless an interview was offered."""
    last = max((i for i, ep in enumerate(episodes) if ep[0] == Kind.MISSING), default=None)
    if last is None:
        return "", ""
    end = last
    while episodes[end][1] == Outcome.RECLASSIFIED and end + 1 < len(episodes):
        end += 1
    _, _, offered_at, accepted = episodes[end]
    if not offered_at:
        return "N", ""
    return "Y", _yes_no(accepted)


def _worker(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or (username or "")


def rows(organisation, start: date, end: date, problems: list[dict], progress=None) -> Iterator[list]:
    """The list 8 rows (typed values: str, int, date) for children looked after between start and end."""
    children = _children(organisation, start, end)
    total = children.count() or 1
    periods = Stream(
        _timeline(
            PeriodOfCare, organisation, start, end, ("start_date", "end_date", "category_of_need", "reason_ceased")
        )
    )
    statuses = Stream(_timeline(LegalStatus, organisation, start, end, ("start_date", "code")))
    placements = Stream(
        _timeline(
            Placement,
            organisation,
            start,
            end,
            ("start_date", "place", "provider", "postcode", "urn", "out_of_area", "host_authority__name"),
        )
    )
    missing = Stream(
        missing_episodes_between(
            organisation, start, end, ("kind", "outcome", "return_interview__offered_at", "return_interview__accepted")
        )
    )
    own_name = organisation.name
    for index, child in enumerate(children.iterator(chunk_size=CHUNK)):
        la_id, sex, dob, ethnic, is_uasc, duc, team, first, last, username = child
        child_periods = periods.take(la_id)
        child_statuses = statuses.take(la_id)
        child_placements = placements.take(la_id)
        episodes = [row[1:] for row in missing.take(la_id)]
        period = child_periods[-1] if child_periods else None
        status = child_statuses[-1] if child_statuses else None
        placement = child_placements[-1] if child_placements else None
        for record, field in ((status, "legal status"), (placement, "placement")):
            if record is None:
                problems.append(
                    {
                        "child": la_id,
                        "rule": "care history",
                        "field": field,
                        "description": f"No {field} was recorded in the 12 months",
                    }
                )
        ceased = period[2] if period and period[2] and period[2] <= end else None
        offered, accepted = return_interview_flags(episodes)
        if placement:
            _, pl_start, place, provider, postcode, urn, out_of_area, host = placement
            location = "Out" if out_of_area else "In"
            placement_la = host or ("" if out_of_area else own_name)
        else:
            pl_start = place = provider = postcode = urn = location = placement_la = None
        yield [
            la_id,
            GENDER.get(sex, sex),
            ETHNICITY.get(ethnic, ethnic),
            dob,
            _age(dob, end),
            _yes_no(bool(is_uasc and (duc is None or duc >= start))),
            None,  # disability: not recorded here
            period[1] if period else None,
            _coded(period[3], codes.CIN) if period else None,
            _yes_no(len(child_periods) > 1),
            status[1] if status else None,
            _coded(status[2], codes.LEGAL_STATUS) if status else None,
            None,  # latest statutory review
            None,  # last social work visit
            None,  # permanence plan
            None,  # last IRO visit
            None,  # last health assessment
            None,  # last dental check
            len(child_placements),
            ceased,
            _coded(period[4], codes.REC) if ceased else None,
            pl_start,
            _coded(place, codes.PLACE) if place else None,
            _coded(provider, codes.PLACE_PROVIDER) if provider else None,
            postcode,
            urn,
            location,
            placement_la,
            sum(1 for ep in episodes if ep[0] == Kind.MISSING),
            sum(1 for ep in episodes if ep[0] == Kind.AWAY),
            offered,
            accepted,
            team or "",
            _worker(first, last, username),
        ]
        if progress and index % 1000 == 999:
            progress(min(95, int(index * 95 / total)))


def csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return fmt(value)
    return neutralise(value)


def xlsx_cell(sheet, value):
    """A write-only cell: text neutralised and typed as a string (never a formula), dates as dates."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", neutralise(value)))
        cell.data_type = "s"
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "dd/mm/yyyy"
    return cell


def export(
    *,
    organisation,
    year: int,
    directory: Path,
    progress: Callable[[int], None] | None = None,
    as_at: date | None = None,
) -> tuple[dict[str, int], list[dict]]:
    """Write list8.xlsx and list8.csv into ``directory``; returns rows per file and any gaps in care history.

    The 12 months end on ``as_at`` (default: the 31 March ending collection year ``year``)."""
    start, end = period_for(year) if as_at is None else twelve_months_ending(as_at)
    problems: list[dict] = []
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append([xlsx_cell(sheet, heading) for heading in COLUMNS])
    count = 0
    with open(directory / CSV_NAME, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for row in rows(organisation, start, end, problems, progress):
            writer.writerow([csv_cell(value) for value in row])
            sheet.append([xlsx_cell(sheet, value) for value in row])
            count += 1
    workbook.save(directory / XLSX_NAME)
    return {XLSX_NAME: count, CSV_NAME: count}, problems
