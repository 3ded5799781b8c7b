"""Demo missing and away episodes for `seed_demo`, so the board, alerts and returns have something to show.

Registered on ``casework.hooks.demo_seeded``. Everything goes through the services (the same rules, history
and alerts as a real report). It runs once per authority: nothing is added when the authority already has
episodes. A child whose care history does not allow an episode at the planned time is simply passed over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import Child, Role, User
from missing_episodes import services
from missing_episodes.models import Kind, MissingEpisode, Outcome

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Planned:
    kind: str
    began: timedelta  # how long ago
    lasted: timedelta | None = None  # None: still open
    outcome: str = Outcome.RETURNED
    interview: str = ""  # "done", "declined", "" (none recorded yet)
    switch_after: timedelta | None = None  # A → M after this long


# Trafficked or unaccompanied children still missing or away now: the board and the high-risk alerts.
OPEN_HIGH_RISK = [
    Planned(Kind.MISSING, began=2 * HOUR),
    Planned(Kind.MISSING, began=30 * HOUR),
    Planned(Kind.AWAY, began=5 * HOUR),
]
# Other children's history: closed episodes with return interviews, a repeat missing child and an A → M switch.
HISTORY = [
    Planned(Kind.MISSING, began=100 * DAY, lasted=2 * DAY, outcome=Outcome.FOUND, interview="done"),
    Planned(Kind.AWAY, began=60 * DAY, lasted=7 * HOUR, interview="declined"),
    Planned(Kind.AWAY, began=45 * DAY, lasted=30 * HOUR, switch_after=6 * HOUR, interview="done"),
    Planned(Kind.MISSING, began=20 * DAY, lasted=4 * DAY, outcome=Outcome.FOUND, interview="done"),
    Planned(Kind.MISSING, began=4 * DAY, lasted=20 * HOUR),  # interview not yet offered: overdue
]
REPEAT = [
    Planned(Kind.MISSING, began=80 * DAY, lasted=3 * DAY, outcome=Outcome.FOUND, interview="done"),
    Planned(Kind.MISSING, began=30 * DAY, lasted=26 * HOUR, outcome=Outcome.FOUND, interview="done"),
    Planned(Kind.MISSING, began=9 * DAY, lasted=10 * HOUR, interview="declined"),
]


def _in_care_since(organisation, days: int):
    cutoff = timezone.localdate() - timedelta(days=days)
    return (
        Child.objects.filter(
            organisation=organisation,
            restricted=False,
            periods_of_care__end_date__isnull=True,
            periods_of_care__start_date__lte=cutoff,
        )
        .distinct()
        .order_by("la_child_id")
    )


def _record(child: Child, plan: Planned, by, now) -> bool:
    started = now - plan.began
    try:
        with transaction.atomic():
            episode = services.report_missing(
                child=child,
                kind=plan.kind,
                started_at=started,
                by=by,
                last_seen_location="Outside the placement",
                circumstances="Left after a phone call and did not come back at the agreed time.",
            )
            if plan.switch_after:
                episode = services.reclassify(
                    episode=episode, by=by, version=episode.version, kind=Kind.MISSING, at=started + plan.switch_after
                )
            if plan.lasted is None:
                return True
            ended = started + plan.lasted
            episode = services.close_episode(
                episode=episode, by=by, version=episode.version, ended_at=ended, outcome=plan.outcome
            )
            if plan.interview:
                offered = ended + 20 * HOUR
                fields = {"offered_at": offered, "accepted": plan.interview == "done"}
                if plan.interview == "done":
                    fields |= {
                        "completed_at": offered + 24 * HOUR,
                        "conducted_by": "Independent return interview service",
                        "summary": "Talked about where they had been and who they were with.",
                    }
                else:
                    fields["declined_reason"] = "Did not want to talk about it."
                services.record_return_interview(episode=episode, by=by, **fields)
        return True
    except ValidationError:
        return False


def seed_episodes(*, organisation, by, seed: int) -> None:
    if MissingEpisode.objects.filter(child__organisation=organisation).exists():
        return
    worker = (
        User.objects.filter(organisation=organisation, role=Role.SOCIAL_WORKER, is_active=True)
        .order_by("username")
        .first()
        or by
    )
    now = timezone.now().replace(second=0, microsecond=0)
    children = list(_in_care_since(organisation, days=150)[:200])
    high_risk = [c for c in children if c.is_trafficked or c.is_current_uasc]
    others = [c for c in children if c not in high_risk]

    def place(plans: list[Planned], pool: list[Child]) -> None:
        for plan in plans:
            while pool and not _record(pool.pop(0), plan, worker, now):
                pass

    place(OPEN_HIGH_RISK, high_risk)
    place(HISTORY, others or high_risk)
    pool = others or high_risk
    if pool:
        child = pool.pop(0)
        for plan in REPEAT:
            _record(child, plan, worker, now)
