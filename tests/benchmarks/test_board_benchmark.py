"""The live missing board with 500 children missing among 100,000: render time and a constant query count.

Benchmark data only: children, periods of care and episodes go in with plain ``bulk_create`` (no history),
which the app itself never does.
"""

import gc
import statistics
import time
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Child, PeriodOfCare
from missing_episodes.models import MissingEpisode

pytestmark = pytest.mark.django_db

CHILDREN = 100_000
MISSING = 500
RENDERS = 50
BATCH = 5_000


def _children(authority, team, worker) -> list:
    dob = date(2009, 6, 15)
    rows = [
        Child(
            organisation=authority,
            team=team,
            la_child_id=f"B{n:07d}",
            first_name=f"First{n}",
            last_name=f"Last{n}",
            sex="M" if n % 2 else "F",
            date_of_birth=dob,
            ethnicity="BAFR",
            trafficking_status="suspected" if n % 7 == 0 else "none",
            is_uasc=n % 5 == 0,
            allocated_social_worker=worker,
        )
        for n in range(CHILDREN)
    ]
    Child.objects.bulk_create(rows, batch_size=BATCH)
    PeriodOfCare.objects.bulk_create(
        [PeriodOfCare(child=c, start_date=date(2024, 1, 1), category_of_need="N8") for c in rows], batch_size=BATCH
    )
    return rows


def _episodes(children, worker, *, start: int, stop: int) -> None:
    now = timezone.now()
    MissingEpisode.objects.bulk_create(
        [
            MissingEpisode(
                child=children[i * (CHILDREN // MISSING)],
                kind="M" if i % 3 else "A",
                started_at=now - timedelta(minutes=37 * i + 5),
                risk_level=("high", "medium", "low")[i % 3],
                police_reference=f"REF{i}",
                reported_by=worker,
            )
            for i in range(start, stop)
        ]
    )


def _queries_for_board(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("missing_board"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_board_with_500_missing_among_100k_children(client, make_user, authority, team, report):
    coordinator = make_user("missing_coordinator")
    worker = make_user("social_worker")
    children = _children(authority, team, worker)
    client.force_login(coordinator)

    _episodes(children, worker, start=0, stop=10)
    queries_10 = _queries_for_board(client)
    _episodes(children, worker, start=10, stop=MISSING)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    queries_500 = _queries_for_board(client)
    response = client.get(reverse("missing_board"))
    assert response.content.decode().count("data-episode=") == MISSING
    # The 100,000 seeded Child objects are the benchmark's, not a web worker's: left in memory, every full
    # garbage collection during a render walks them and shows up as a p95 spike no server would have.
    del children
    gc.collect()

    timings = []
    for _ in range(RENDERS):
        start = time.perf_counter()
        client.get(reverse("missing_board"))
        timings.append((time.perf_counter() - start) * 1000)
    p50 = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[18]
    print(f"\nboard, {MISSING} missing among {CHILDREN:,}: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {RENDERS} renders")
    print(f"queries per board page: {queries_10} with 10 rows, {queries_500} with {MISSING} rows")

    report(
        f"missing board ({MISSING} of {CHILDREN:,}), p50 / p95", f"{p50:.1f} / {p95:.1f} ms", "p95 < 200 ms", p95 < 200
    )
    report(
        "missing board queries, 10 / 500 rows",
        f"{queries_10} / {queries_500}",
        "equal",
        queries_10 == queries_500,
    )
    assert queries_10 == queries_500
