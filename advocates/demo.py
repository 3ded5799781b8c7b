"""Demo allocations for `seed_demo`: the demo guardian gets a small caseload of trafficked children.

Registered on ``casework.hooks.demo_seeded``; it runs once (nothing is added when the guardian already has
allocations) and goes through the allocation service, as a team manager would.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from advocates import services
from advocates.models import AdvocateAllocation, AllocationRole
from casework import codes
from casework.models import Child, Role, User

CASELOAD = 4


def seed_allocations(*, organisation, by, seed: int) -> None:
    advocate = User.objects.filter(role=Role.ADVOCATE, is_active=True).order_by("username").first()
    manager = User.objects.filter(organisation=organisation, role=Role.TEAM_MANAGER, is_active=True).first()
    if advocate is None or manager is None or AdvocateAllocation.objects.filter(advocate=advocate).exists():
        return
    trafficked = Q(trafficking_status__in=[codes.TraffickingStatus.SUSPECTED, codes.TraffickingStatus.IDENTIFIED])
    children = Child.objects.filter(trafficked, organisation=organisation, restricted=False).order_by("la_child_id")
    today = timezone.localdate()
    # Children who are missing now first, so the guardian's caseload shows what an alert looks like to them.
    ordered = sorted(children[:50], key=lambda c: not c.missing_episodes.filter(status="open").exists())
    allocated = 0
    for number, child in enumerate(ordered):
        if allocated == CASELOAD:
            break
        try:
            services.allocate_advocate(
                child=child,
                advocate=advocate,
                role=AllocationRole.DIRECT_WORKER,
                start_date=today - timedelta(days=30 + 20 * number),
                referral_date=today - timedelta(days=40 + 20 * number),
                consent_noted=True,
                by=manager,
            )
            allocated += 1
        except ValidationError:
            continue
