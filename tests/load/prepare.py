"""Load-test data on top of ``seed_demo``: episodes, advocate allocations and the locust users' work lists.

Run after ``seed_demo --children N`` with the load test's environment::

    DJANGO_SETTINGS_MODULE=config.settings python -m tests.load.prepare OUT.json

Episodes and allocations go through the services (history, alerts and deliveries as in real use), so the
board and the caseloads have something on them when locust starts. OUT.json holds what the locust users
need and cannot see for themselves: names to search for and, for the social workers, children who are in
care and not missing, so that every report the scenario makes is one the service must accept.
Synthetic data only.
"""

import json
import random
import sys
from datetime import timedelta

import django

django.setup()

from django.db.models import Exists, OuterRef  # noqa: E402
from django.utils import timezone  # noqa: E402

from advocates import services as advocate_services  # noqa: E402
from advocates.models import AdvocateAllocation, AllocationRole  # noqa: E402
from casework.demo.seed import NORTHBRIDGE  # noqa: E402
from casework.models import Child, PeriodOfCare, User  # noqa: E402
from missing_episodes import services as episode_services  # noqa: E402
from missing_episodes.models import MissingEpisode, Outcome  # noqa: E402

OPEN_EPISODES = 150  # children missing or away now: the board's rows
CLOSED_EPISODES = 300  # earlier episodes, found or back; a return interview done for 6 in 7
ALLOCATIONS = 25  # children on the demo advocate's caseload
SEARCH_TERMS = 600
REPORT_POOL = 6000  # children the social workers may report missing (each locust user takes its own slice)


def main(out: str) -> None:
    rng = random.Random(8)
    now = timezone.now()
    today = timezone.localdate()
    worker = User.objects.get(username="social.worker")
    manager = User.objects.get(username="team.manager")
    advocate = User.objects.get(username="advocate")

    # Unrestricted Northbridge children in an open period of care that began at least 400 days ago, so an
    # episode can start at any time in the last year; none missing now.
    in_care = PeriodOfCare.objects.filter(
        child_id=OuterRef("pk"), end_date__isnull=True, start_date__lte=today - timedelta(days=400)
    )
    missing = MissingEpisode.objects.filter(child_id=OuterRef("pk"))
    eligible = list(
        Child.objects.filter(organisation__name=NORTHBRIDGE["name"], restricted=False)
        .filter(Exists(in_care))
        .exclude(Exists(missing))
        .order_by("la_child_id")
        .values_list("pk", flat=True)
    )
    rng.shuffle(eligible)
    needed = OPEN_EPISODES + CLOSED_EPISODES + REPORT_POOL
    if len(eligible) < needed:
        sys.exit(f"prepare: {len(eligible)} eligible children, {needed} needed: seed more children")
    closed_ids = eligible[:CLOSED_EPISODES]
    open_ids = eligible[CLOSED_EPISODES : CLOSED_EPISODES + OPEN_EPISODES]
    pool = eligible[CLOSED_EPISODES + OPEN_EPISODES : needed]

    children = Child.objects.in_bulk(closed_ids + open_ids)
    for n, pk in enumerate(closed_ids):
        started = now - timedelta(days=rng.randint(2, 360), minutes=rng.randint(0, 1440))
        episode = episode_services.report_missing(
            child=children[pk],
            kind="M" if n % 3 else "A",
            started_at=started,
            by=worker,
            last_seen_location="Synthetic",
        )
        ended = started + timedelta(hours=rng.randint(1, 60))
        episode_services.close_episode(
            episode=episode,
            by=worker,
            version=episode.version,
            ended_at=ended,
            outcome=Outcome.FOUND if n % 2 else Outcome.RETURNED,
        )
        if n % 7 and ended + timedelta(hours=50) < now:  # most return interviews are done; a few are overdue
            episode_services.record_return_interview(
                episode=episode,
                by=worker,
                offered_at=ended + timedelta(hours=2),
                accepted=True,
                completed_at=ended + timedelta(hours=48),
                conducted_by="Synthetic independent interviewer",
                summary="Synthetic return interview.",
            )
    for n, pk in enumerate(open_ids):
        police = n % 2 == 0
        started = now - timedelta(minutes=rng.randint(10, 4 * 24 * 60))
        episode_services.report_missing(
            child=children[pk],
            kind="M" if n % 4 else "A",
            started_at=started,
            by=worker,
            last_seen_location="Synthetic location",
            reported_to_police_at=started + timedelta(minutes=30) if police else None,
            police_force="Northbridge Police" if police else "",
            police_reference=f"NBP-LT-{n:04d}" if police else "",
        )

    # The advocate's caseload (seed_demo gives them a few children): topped up to ALLOCATIONS with trafficked
    # children, a few of them missing now, none in the report pool.
    already = set(AdvocateAllocation.objects.filter(advocate=advocate).values_list("child_id", flat=True))
    wanted = max(ALLOCATIONS - len(already), 0)
    if wanted:
        trafficked = Child.objects.filter(trafficking_status__in=["suspected", "identified"]).exclude(pk__in=already)
        missing_now = list(trafficked.filter(pk__in=open_ids).order_by("la_child_id")[: min(5, wanted)])
        in_care_now = PeriodOfCare.objects.filter(child_id=OuterRef("pk"), end_date__isnull=True)
        others = list(
            trafficked.filter(Exists(in_care_now), organisation__name=NORTHBRIDGE["name"], restricted=False)
            .exclude(pk__in=eligible[:needed])
            .order_by("la_child_id")[: wanted - len(missing_now)]
        )
        for child in missing_now + others:
            advocate_services.allocate_advocate(
                child=child,
                advocate=advocate,
                role=AllocationRole.DIRECT_WORKER,
                start_date=today - timedelta(days=rng.randint(1, 300)),
                by=manager,
            )
    allocated = set(AdvocateAllocation.objects.filter(advocate=advocate).values_list("child_id", flat=True))
    pool = [pk for pk in pool if pk not in allocated]

    sample = list(
        Child.objects.filter(organisation__name=NORTHBRIDGE["name"], restricted=False)
        .order_by("?")
        .values_list("first_name", "last_name", "la_child_id")[:SEARCH_TERMS]
    )
    terms = []
    for n, (first, last, la_id) in enumerate(sample):
        terms.append([f"{first} {last}", last, la_id, first][n % 4])

    data = {"search_terms": terms, "report_pool": [str(pk) for pk in pool]}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(data, fh)
    print(
        f"Load-test data: {OPEN_EPISODES} open and {CLOSED_EPISODES} closed episodes, {len(allocated)} children "
        f"on the advocate's caseload, {len(terms)} search terms, {len(pool)} children to report."
    )


if __name__ == "__main__":
    main(sys.argv[1])
