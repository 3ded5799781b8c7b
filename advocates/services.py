"""Writes for advocacy: managers allocate and end allocations; advocates record their contacts."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from advocates.models import AdvocateAllocation, AllocationRole, ContactKind, ContactRecord
from casework.access import Permission, active_allocation_q, has_permission
from casework.exceptions import StaleVersion, StateConflict
from casework.models import Child, Role


def _attribute(obj, by) -> None:
    obj._history_user = by


@transaction.atomic
def allocate_advocate(
    *,
    child: Child,
    advocate,
    role: str,
    start_date: date,
    by,
    referral_date: date | None = None,
    consent_noted: bool = False,
) -> AdvocateAllocation:
    if not has_permission(by, Permission.ADVOCATE_ALLOCATE):
        raise PermissionDenied("Only a manager can allocate an advocate")
    errors: dict[str, list[str]] = {}
    if getattr(advocate, "role", None) != Role.ADVOCATE or not advocate.is_active:
        errors["advocate"] = ["Choose an independent child trafficking guardian"]
    if role not in AllocationRole.values:
        errors["role"] = ["Select direct worker or regional practice coordinator"]
    if start_date > timezone.localdate():
        errors["start_date"] = ["The start date must be today or in the past"]
    if referral_date and referral_date > start_date:
        errors["referral_date"] = ["The referral date must be on or before the start date"]
    if not errors and AdvocateAllocation.objects.filter(child=child).filter(active_allocation_q(advocate)).exists():
        errors["advocate"] = ["This advocate is already allocated to this child"]
    if errors:
        raise ValidationError(errors)
    allocation = AdvocateAllocation(
        child=child,
        advocate=advocate,
        role=role,
        start_date=start_date,
        referral_date=referral_date,
        consent_noted=consent_noted,
        allocated_by=by,
    )
    _attribute(allocation, by)
    allocation.save()
    return allocation


@transaction.atomic
def end_allocation(
    *, allocation: AdvocateAllocation, by, end_date: date | None = None, version: int | None = None
) -> AdvocateAllocation:
    """End an allocation; the advocate's access ends on ``end_date`` (today by default: at once)."""
    if not has_permission(by, Permission.ADVOCATE_ALLOCATE):
        raise PermissionDenied("Only a manager can end an allocation")
    locked = AdvocateAllocation.objects.select_for_update().get(pk=allocation.pk)
    if version is not None and version != locked.version:
        raise StaleVersion()
    if locked.end_date is not None and locked.end_date <= timezone.localdate():
        raise StateConflict("This allocation has already ended.")
    end_date = end_date or timezone.localdate()
    if end_date < locked.start_date:
        raise ValidationError({"end_date": ["The end date must be on or after the start date"]})
    locked.end_date = end_date
    locked.version += 1
    _attribute(locked, by)
    locked.save()
    return locked


@transaction.atomic
def record_contact(
    *,
    allocation: AdvocateAllocation,
    by,
    occurred_at: datetime,
    kind: str,
    summary: str,
    duration_minutes: int | None = None,
) -> ContactRecord:
    """An advocate records their own contact with a child allocated to them now."""
    if allocation.advocate_id != by.pk or not has_permission(by, Permission.ADVOCATE_CONTACT_WRITE):
        raise PermissionDenied("You can only record contacts on your own allocations")
    active = AdvocateAllocation.objects.filter(pk=allocation.pk).filter(active_allocation_q(by)).exists()
    if not active:
        raise PermissionDenied("This allocation has ended")
    errors: dict[str, list[str]] = {}
    if kind not in ContactKind.values:
        errors["kind"] = ["Select the kind of contact"]
    if occurred_at > timezone.now():
        errors["occurred_at"] = ["The contact must be now or in the past"]
    elif timezone.localdate(occurred_at) < allocation.start_date:
        errors["occurred_at"] = ["The contact must be on or after the allocation started"]
    if not summary.strip():
        errors["summary"] = ["Enter a summary of the contact"]
    if duration_minutes is not None and not 0 < duration_minutes <= 24 * 60:
        errors["duration_minutes"] = ["Enter a duration between 1 and 1440 minutes"]
    if errors:
        raise ValidationError(errors)
    contact = ContactRecord(
        allocation=allocation,
        occurred_at=occurred_at,
        kind=kind,
        summary=summary.strip(),
        duration_minutes=duration_minutes,
        recorded_by=by,
    )
    _attribute(contact, by)
    contact.save()
    return contact
