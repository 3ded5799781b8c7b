"""Two people acting on the same episode at the same moment, each on their own database connection.

The services lock the row (SELECT ... FOR UPDATE) and check ``version``: whoever commits second sees the
first one's change and gets a 409 (or a 400 for a second report), never a double write.
"""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from missing_episodes import services
from missing_episodes.models import MissingEpisode

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/api/v1/missing-episodes/"


def race(requests: list) -> list:
    """Run each (user, method, url, payload) in its own thread, released together; return the responses."""
    barrier = threading.Barrier(len(requests))
    responses: list = [None] * len(requests)
    errors: list = []

    def run(index, user, method, url, payload):
        try:
            client = APIClient()
            client.force_authenticate(user)
            barrier.wait(timeout=10)
            responses[index] = getattr(client, method)(url, payload, format="json")
        except Exception as exc:  # noqa: BLE001 - surfaced in the main thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert all(not thread.is_alive() for thread in threads)
    return responses


@pytest.fixture
def episode(make_child_in_care, worker):
    child = make_child_in_care()
    return services.report_missing(child=child, kind="M", started_at=timezone.now() - timedelta(hours=6), by=worker)


@pytest.mark.parametrize("version", [1, None], ids=["both-send-version-1", "no-version"])
def test_two_people_closing_the_same_episode_close_it_once(episode, worker, make_user, version):
    coordinator = make_user("missing_coordinator")
    url = f"{URL}{episode.pk}/close/"
    payload = {"ended_at": (timezone.now() - timedelta(hours=1)).isoformat(), "outcome": "found"}
    if version is not None:
        payload["version"] = version

    responses = race([(worker, "post", url, payload), (coordinator, "post", url, {**payload, "outcome": "returned"})])

    assert sorted(r.status_code for r in responses) == [200, 409]
    winner = next(r for r in responses if r.status_code == 200).json()
    episode.refresh_from_db()
    assert (episode.status, episode.version, episode.outcome) == ("closed", 2, winner["outcome"])
    closes = [
        h for h in episode.history.all() if h.status == "closed" and h.prev_record and h.prev_record.status == "open"
    ]
    assert len(closes) == 1


def test_two_people_reporting_the_same_child_open_one_episode(make_child_in_care, worker, make_user):
    child = make_child_in_care()
    coordinator = make_user("missing_coordinator")
    payload = {"child": str(child.pk), "kind": "M", "started_at": (timezone.now() - timedelta(hours=1)).isoformat()}

    responses = race([(worker, "post", URL, payload), (coordinator, "post", URL, payload)])

    assert sorted(r.status_code for r in responses) == [201, 400]
    refused = next(r for r in responses if r.status_code == 400).json()
    assert "already recorded as missing or away" in refused["started_at"][0]
    assert MissingEpisode.objects.filter(child=child).count() == 1


def test_an_edit_racing_a_close_on_the_same_version_loses_cleanly(episode, worker, make_user):
    coordinator = make_user("missing_coordinator")
    ended_at = (timezone.now() - timedelta(hours=1)).isoformat()

    responses = race(
        [
            (worker, "patch", f"{URL}{episode.pk}/", {"version": 1, "police_reference": "NB/1"}),
            (
                coordinator,
                "post",
                f"{URL}{episode.pk}/close/",
                {"version": 1, "ended_at": ended_at, "outcome": "found"},
            ),
        ]
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    episode.refresh_from_db()
    assert episode.version == 2
    patched, closed = (r.status_code == 200 for r in responses)
    assert (episode.police_reference == "NB/1") is patched
    assert (episode.status == "closed") is closed
