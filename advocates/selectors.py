"""Reads for advocacy, scoped through casework.access."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from advocates.models import AdvocateAllocation, ContactRecord
from advocates.nrm import NrmTimeline, timeline_for
from casework.access import Permission, active_allocation_q, has_permission, visible_children
from casework.models import Child, Role

CONTACT_INTERVAL = timedelta(days=14)


def allocations_visible_to(user) -> QuerySet[AdvocateAllocation]:
    """Advocates: their own allocations (ended ones too, for their records). Staff: their authority's."""
    qs = AdvocateAllocation.objects.select_related("child", "advocate", "allocated_by")
    if user.role == Role.ADVOCATE:
        return qs.filter(advocate=user)
    if has_permission(user, Permission.CHILD_VIEW):
        return qs.filter(child__in=visible_children(user))
    return qs.none()


def allocations_in_force_for(user) -> QuerySet[AdvocateAllocation]:
    """An advocate's own allocations in force today: the only ones they may record contacts on. An ended (or
    not yet started) allocation gives no access to the child, so it is out of scope here too."""
    if user.role != Role.ADVOCATE:
        return AdvocateAllocation.objects.none()
    return AdvocateAllocation.objects.select_related("child", "advocate", "allocated_by").filter(
        active_allocation_q(user)
    )


def contacts_visible_to(user) -> QuerySet[ContactRecord]:
    qs = ContactRecord.objects.select_related("allocation__child", "recorded_by")
    if user.role == Role.ADVOCATE:
        return qs.filter(allocation__advocate=user)
    if has_permission(user, Permission.CHILD_VIEW):
        return qs.filter(allocation__child__in=visible_children(user))
    return qs.none()


def active_allocations_for_child(child) -> QuerySet[AdvocateAllocation]:
    today = timezone.localdate()
    return (
        child.advocate_allocations.filter(start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .select_related("advocate")
    )


def active_advocates(child) -> list:
    """Alert recipients: advocates with an active allocation to the child."""
    return [a.advocate for a in active_allocations_for_child(child)]


@dataclass(frozen=True)
class CaseloadRow:
    allocation: AdvocateAllocation
    child: Child
    missing_now: bool
    open_alerts: int
    nrm: NrmTimeline
    last_contact: datetime | None
    next_contact_due: datetime


# What the caseload shows: the allocation, and of the child the name and the NRM dates (advocates.nrm).
CASELOAD_FIELDS = (
    "id",
    "child_id",
    "advocate_id",
    "role",
    "start_date",
    "end_date",
    "child__id",
    "child__first_name",
    "child__last_name",
    "child__nrm_referral_date",
    "child__reasonable_grounds",
    "child__reasonable_grounds_date",
    "child__conclusive_grounds",
    "child__conclusive_grounds_date",
)


def caseload_for(user) -> list[CaseloadRow]:
    allocations = (
        AdvocateAllocation.objects.filter(active_allocation_q(user))
        .select_related("child")
        .only(*CASELOAD_FIELDS)
        .prefetch_related(Prefetch("contacts", queryset=ContactRecord.objects.order_by("-occurred_at")))
        .order_by("child__last_name")
    )
    allocations = list(allocations)
    # Two queries for the whole caseload, not two per child.
    child_ids = [a.child_id for a in allocations]
    missing = set(Child.objects.filter(pk__in=child_ids, missing_episodes__status="open").values_list("pk", flat=True))
    open_alerts = dict(
        Child.objects.filter(pk__in=child_ids, alerts__status="open").annotate(n=Count("alerts")).values_list("pk", "n")
    )
    rows = []
    for allocation in allocations:
        child = allocation.child
        contacts = list(allocation.contacts.all())
        last = contacts[0].occurred_at if contacts else None
        start = timezone.make_aware(datetime.combine(allocation.start_date, datetime.min.time()))
        rows.append(
            CaseloadRow(
                allocation=allocation,
                child=child,
                missing_now=child.pk in missing,
                open_alerts=open_alerts.get(child.pk, 0),
                nrm=timeline_for(child),
                last_contact=last,
                next_contact_due=(last or start) + CONTACT_INTERVAL,
            )
        )
    return rows


def recent_contacts_for(user, limit: int = 10) -> QuerySet[ContactRecord]:
    return contacts_visible_to(user).order_by("-occurred_at")[:limit]
