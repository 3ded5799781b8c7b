"""A baseline so `make bench` always prints a table: the cost of one signed-in page render."""

import statistics
import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_render_time(client, make_user, report):
    client.force_login(make_user("social_worker"))
    client.get(reverse("home"))
    timings = []
    for _ in range(50):
        start = time.perf_counter()
        client.get(reverse("home"))
        timings.append((time.perf_counter() - start) * 1000)
    p95 = statistics.quantiles(timings, n=20)[18]
    report("home page, p50 / p95", f"{statistics.median(timings):.1f} / {p95:.1f} ms", "p95 < 100 ms", p95 < 100)
