"""Rules that keep a child's care history consistent (and so the 903 Episodes file right)."""

from datetime import date

from django.core.exceptions import ValidationError

KIND_LABELS = {"periods_of_care": "period of care", "legal_statuses": "legal status", "placements": "placement"}


def _fmt(d: date) -> str:
    return d.strftime("%d/%m/%Y")


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Records touch but do not overlap when one ends on the day the next starts."""
    return (b_end is None or a_start < b_end) and (a_end is None or b_start < a_end)


def check_record(
    *, child, kind: str, start_date: date, end_date: date | None, siblings, periods, reason_ceased: str = ""
) -> None:
    """Raise ValidationError (with field names) when a care record does not fit the child's history."""
    label = KIND_LABELS[kind]
    errors: dict[str, list[str]] = {}
    today = date.today()
    if start_date > today:
        errors.setdefault("start_date", []).append("Start date must be today or in the past")
    if start_date < child.date_of_birth:
        errors.setdefault("start_date", []).append(
            f"Start date must be on or after the child's date of birth ({_fmt(child.date_of_birth)})"
        )
    if end_date is not None:
        if end_date < start_date:
            errors.setdefault("end_date", []).append("End date must be the same as or after the start date")
        if end_date > today:
            errors.setdefault("end_date", []).append("End date must be today or in the past")
    if kind == "periods_of_care":
        if end_date is not None and not reason_ceased:
            errors.setdefault("reason_ceased", []).append("Select the reason the period of care ended")
        if end_date is None and reason_ceased:
            errors.setdefault("reason_ceased", []).append("Only give a reason when the period of care has ended")
    for other in siblings:
        if overlaps(start_date, end_date, other.start_date, other.end_date):
            until = f" to {_fmt(other.end_date)}" if other.end_date else " (still open)"
            errors.setdefault("start_date", []).append(
                f"This {label} overlaps another {label} from {_fmt(other.start_date)}{until}"
            )
            break
    if kind != "periods_of_care" and not errors:
        inside = any(
            p.start_date <= start_date and (p.end_date is None or (end_date is not None and end_date <= p.end_date))
            for p in periods
        )
        if not inside:
            errors.setdefault("start_date", []).append(
                f"The {label} must fall inside one of the child's periods of care. Record the period of care first"
            )
    if errors:
        raise ValidationError(errors)
