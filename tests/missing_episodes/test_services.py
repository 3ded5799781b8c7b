"""Entry-time rules and state changes of missing episodes, through the services."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework import services as casework_services
from casework.exceptions import StaleVersion, StateConflict
from missing_episodes import services
from missing_episodes.models import MissingEpisode, ReturnInterview

pytestmark = pytest.mark.django_db


def at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


def hours_ago(n: float) -> datetime:
    return timezone.now() - timedelta(hours=n)


def test_report_missing_records_an_open_episode_attributed_to_the_reporter(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(
        child=child,
        kind="M",
        started_at=hours_ago(2),
        by=worker,
        last_seen_location="Bus station",
        police_reference="NB-2026-1",
    )
    assert episode.status == "open"
    assert episode.version == 1
    assert episode.history.first().history_user == worker
    assert child.missing_episodes.filter(status="open").count() == 1


@pytest.mark.parametrize(
    ("status", "uasc", "expected"),
    [("identified", False, "high"), ("suspected", False, "high"), ("none", True, "high"), ("none", False, "medium")],
)
def test_trafficked_and_unaccompanied_children_are_high_risk_at_once(
    make_child_in_care, worker, status, uasc, expected
):
    child = make_child_in_care(trafficking_status=status, is_uasc=uasc)
    episode = services.report_missing(child=child, kind="A", started_at=hours_ago(1), by=worker)
    assert episode.risk_level == expected


def assert_rejected(field, fragment, call):
    before = MissingEpisode.objects.count()
    with pytest.raises(ValidationError) as exc:
        call()
    assert field in exc.value.message_dict
    assert any(fragment in m for m in exc.value.message_dict[field]), exc.value.message_dict
    assert MissingEpisode.objects.count() == before


def test_start_in_the_future_is_refused(make_child_in_care, worker):
    child = make_child_in_care()
    assert_rejected(
        "started_at",
        "now or in the past",
        lambda: services.report_missing(child=child, kind="M", started_at=hours_ago(-2), by=worker),
    )


def test_start_before_date_of_birth_is_refused(make_child_in_care, worker):
    child = make_child_in_care()
    assert_rejected(
        "started_at",
        "date of birth",
        lambda: services.report_missing(child=child, kind="M", started_at=at(2001, 1, 1), by=worker),
    )


def test_start_outside_a_period_of_care_is_refused(make_child_in_care, worker):
    child = make_child_in_care(care_from=date(2024, 1, 1))
    assert_rejected(
        "started_at",
        "not in a period of care on 01/06/2023",
        lambda: services.report_missing(child=child, kind="M", started_at=at(2023, 6, 1, 12), by=worker),
    )


def test_a_second_open_episode_is_refused(make_child_in_care, worker):
    child = make_child_in_care()
    services.report_missing(child=child, kind="M", started_at=hours_ago(5), by=worker)
    assert_rejected(
        "started_at",
        "already recorded as missing",
        lambda: services.report_missing(child=child, kind="A", started_at=hours_ago(1), by=worker),
    )


def test_overlapping_an_earlier_closed_episode_is_refused(make_child_in_care, worker):
    child = make_child_in_care()
    first = services.report_missing(child=child, kind="M", started_at=hours_ago(10), by=worker)
    services.close_episode(episode=first, by=worker, version=1, ended_at=hours_ago(4), outcome="found")
    assert_rejected(
        "started_at",
        "overlaps an earlier episode",
        lambda: services.report_missing(child=child, kind="M", started_at=hours_ago(6), by=worker),
    )


def test_end_before_start_is_refused_and_nothing_changes(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=hours_ago(3), by=worker)
    with pytest.raises(ValidationError) as exc:
        services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(5), outcome="found")
    assert "ended_at" in exc.value.message_dict
    episode.refresh_from_db()
    assert (episode.status, episode.version) == ("open", 1)


def test_close_with_a_stale_version_changes_nothing(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=hours_ago(3), by=worker)
    services.update_episode(episode=episode, by=worker, version=1, police_reference="NB/123")
    with pytest.raises(StaleVersion):
        services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(1), outcome="found")
    episode.refresh_from_db()
    assert episode.status == "open"
    assert episode.version == 2


def test_closing_twice_is_a_conflict(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=hours_ago(3), by=worker)
    closed = services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(1), outcome="found")
    with pytest.raises(StateConflict):
        services.close_episode(episode=closed, by=worker, version=None, ended_at=hours_ago(1), outcome="found")


def test_reclassify_closes_one_and_opens_the_other_at_the_same_instant(make_child_in_care, worker):
    child = make_child_in_care()
    away = services.report_missing(
        child=child, kind="A", started_at=hours_ago(6), by=worker, police_force="Northbridge"
    )
    switch = hours_ago(2)
    missing = services.reclassify(episode=away, by=worker, version=1, kind="M", at=switch)
    away.refresh_from_db()
    assert (away.status, away.ended_at, away.outcome) == ("closed", switch, "reclassified")
    assert (missing.kind, missing.status, missing.started_at) == ("M", "open", switch)
    assert missing.reclassified_from == away
    assert missing.police_force == "Northbridge"


def test_reclassify_to_the_same_kind_is_refused(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=hours_ago(6), by=worker)
    with pytest.raises(ValidationError) as exc:
        services.reclassify(episode=episode, by=worker, version=1, kind="M", at=hours_ago(1))
    assert "kind" in exc.value.message_dict
    assert MissingEpisode.objects.filter(child=child).count() == 1


def test_leaving_care_while_missing_closes_the_episode_at_the_care_end_date(make_child_in_care, worker):
    child = make_child_in_care(care_from=date(2024, 1, 1))
    episode = services.report_missing(child=child, kind="M", started_at=at(2025, 3, 1, 22), by=worker)
    period = child.periods_of_care.get()
    for kind in ("legal_statuses", "placements"):
        record = getattr(child, kind).get()
        casework_services.update_care_record(record=record, by=worker, version=1, end_date=date(2025, 3, 20))
    casework_services.update_care_record(
        record=period, by=worker, version=1, end_date=date(2025, 3, 20), reason_ceased="E8"
    )
    episode.refresh_from_db()
    assert episode.status == "closed"
    assert episode.outcome == "left_care"
    assert timezone.localdate(episode.ended_at) == date(2025, 3, 20)


def test_return_interview_needs_the_child_back_first(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=hours_ago(6), by=worker)
    with pytest.raises(ValidationError):
        services.record_return_interview(episode=episode, by=worker, offered_at=hours_ago(1))
    assert not ReturnInterview.objects.exists()


def test_return_interview_is_recorded_with_offer_and_answer(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=hours_ago(30), by=worker)
    services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(20), outcome="returned")
    interview = services.record_return_interview(
        episode=episode,
        by=worker,
        offered_at=hours_ago(10),
        accepted=True,
        completed_at=hours_ago(2),
        conducted_by="Independent RHI service",
        summary="Spoke about the journey",
        exploitation_disclosed=True,
    )
    assert interview.accepted is True
    assert interview.history.first().history_user == worker


def test_declined_return_interview_needs_a_reason(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=hours_ago(30), by=worker)
    services.close_episode(episode=episode, by=worker, version=1, ended_at=hours_ago(20), outcome="returned")
    with pytest.raises(ValidationError) as exc:
        services.record_return_interview(episode=episode, by=worker, offered_at=hours_ago(10), accepted=False)
    assert "declined_reason" in exc.value.message_dict


def test_leaving_care_at_18_while_missing_must_be_recorded_as_e8(make_child_in_care, worker):
    child = make_child_in_care(date_of_birth=date(2006, 9, 10), care_from=date(2024, 1, 1))
    services.report_missing(child=child, kind="M", started_at=at(2024, 9, 1, 12), by=worker)
    for kind in ("legal_statuses", "placements"):
        casework_services.update_care_record(
            record=getattr(child, kind).get(), by=worker, version=1, end_date=date(2024, 9, 10)
        )
    period = child.periods_of_care.get()
    with pytest.raises(ValidationError) as exc:
        casework_services.update_care_record(
            record=period, by=worker, version=1, end_date=date(2024, 9, 10), reason_ceased="E5"
        )
    assert "E8" in exc.value.message_dict["reason_ceased"][0]
    period.refresh_from_db()
    assert period.end_date is None
    assert child.missing_episodes.get().status == "open"


def test_a_period_of_care_cannot_end_while_its_placement_runs_on(make_child_in_care, worker):
    child = make_child_in_care(care_from=date(2024, 1, 1))
    period = child.periods_of_care.get()
    with pytest.raises(ValidationError) as exc:
        casework_services.update_care_record(
            record=period, by=worker, version=1, end_date=date(2024, 6, 1), reason_ceased="E4A"
        )
    assert "End the legal statuses and placements" in exc.value.message_dict["end_date"][0]
    period.refresh_from_db()
    assert period.end_date is None


def test_a_backdated_report_cannot_span_a_later_episode(make_child_in_care, worker):
    child = make_child_in_care()
    later = services.report_missing(child=child, kind="M", started_at=hours_ago(10), by=worker)
    services.close_episode(episode=later, by=worker, version=1, ended_at=hours_ago(4), outcome="found")
    assert_rejected(
        "started_at",
        "overlaps",
        lambda: services.report_missing(child=child, kind="A", started_at=hours_ago(12), by=worker),
    )


def test_no_return_interview_on_a_reclassified_episode(make_child_in_care, worker):
    child = make_child_in_care()
    away = services.report_missing(child=child, kind="A", started_at=hours_ago(6), by=worker)
    services.reclassify(episode=away, by=worker, version=1, kind="M", at=hours_ago(2))
    with pytest.raises(ValidationError):
        services.record_return_interview(episode=away, by=worker, offered_at=hours_ago(1))


def test_an_empty_return_interview_is_refused_and_nothing_is_stored(make_child_in_care, worker):
    child = make_child_in_care()
    episode = services.report_missing(child=child, kind="M", started_at=timezone.now() - timedelta(hours=5), by=worker)
    services.close_episode(
        episode=episode, by=worker, version=None, ended_at=timezone.now() - timedelta(hours=1), outcome="found"
    )
    with pytest.raises(ValidationError) as caught:
        services.record_return_interview(episode=episode, by=worker)
    assert caught.value.message_dict == {"offered_at": ["Enter when the return interview was offered"]}
    assert not ReturnInterview.objects.filter(episode=episode).exists()
