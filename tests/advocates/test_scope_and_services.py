from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from advocates import services
from advocates.nrm import timeline_for
from advocates.selectors import caseload_for
from casework.access import child_sections, visible_children
from missing_episodes import services as episode_services
from missing_episodes.models import Alert

pytestmark = pytest.mark.django_db


def test_an_advocate_sees_only_children_allocated_to_them_now(make_child_in_care, advocate, allocate):
    mine = make_child_in_care(first_name="Yonas", last_name="Haile")
    make_child_in_care(first_name="Arben", last_name="Hoxha")
    allocate(mine, advocate)
    assert list(visible_children(advocate)) == [mine]


def test_access_ends_at_once_when_the_allocation_ends(make_child_in_care, advocate, allocate, manager):
    child = make_child_in_care()
    allocation = allocate(child, advocate)
    services.end_allocation(allocation=allocation, by=manager)
    assert not visible_children(advocate).exists()


def test_an_allocation_starting_in_the_future_gives_no_access_yet(make_child_in_care, advocate, manager):
    child = make_child_in_care()
    with pytest.raises(ValidationError):
        services.allocate_advocate(
            child=child,
            advocate=advocate,
            role="direct_worker",
            by=manager,
            start_date=timezone.localdate() + timedelta(days=3),
        )


def test_advocates_see_only_the_sections_advocacy_needs(advocate, manager):
    assert "access_log" not in child_sections(advocate)
    assert "pack_details" not in child_sections(advocate)
    assert {"identity", "trafficking", "uasc", "placements", "missing", "alerts"} <= child_sections(advocate)
    assert "access_log" in child_sections(manager)


def test_only_managers_allocate(make_child_in_care, advocate, worker):
    with pytest.raises(PermissionDenied):
        services.allocate_advocate(
            child=make_child_in_care(),
            advocate=advocate,
            role="direct_worker",
            start_date=timezone.localdate(),
            by=worker,
        )


def test_an_advocate_records_contacts_only_on_their_own_active_allocation(
    make_child_in_care, advocate, allocate, make_user, manager
):
    from tests.factories import AdvocacyServiceFactory

    child = make_child_in_care()
    allocation = allocate(child, advocate)
    contact = services.record_contact(
        allocation=allocation,
        by=advocate,
        occurred_at=timezone.now(),
        kind="visit",
        summary="Visited at the placement",
        duration_minutes=45,
    )
    assert contact.history.first().history_user == advocate
    other = make_user("advocate", organisation=AdvocacyServiceFactory())
    with pytest.raises(PermissionDenied):
        services.record_contact(allocation=allocation, by=other, occurred_at=timezone.now(), kind="call", summary="x")
    services.end_allocation(allocation=allocation, by=manager)
    with pytest.raises(PermissionDenied):
        services.record_contact(
            allocation=allocation, by=advocate, occurred_at=timezone.now(), kind="call", summary="After the end"
        )


def test_contact_validation_messages(make_child_in_care, advocate, allocate):
    allocation = allocate(make_child_in_care(), advocate)
    with pytest.raises(ValidationError) as exc:
        services.record_contact(
            allocation=allocation,
            by=advocate,
            occurred_at=timezone.now() + timedelta(hours=2),
            kind="visit",
            summary=" ",
            duration_minutes=0,
        )
    assert set(exc.value.message_dict) == {"occurred_at", "summary", "duration_minutes"}


def test_allocated_advocates_receive_the_high_alert(make_child_in_care, advocate, allocate, worker):
    child = make_child_in_care(trafficking_status="identified")
    allocate(child, advocate)
    episode = episode_services.report_missing(
        child=child, kind="M", started_at=timezone.now() - timedelta(hours=1), by=worker
    )
    alert = Alert.objects.get(episode=episode)
    assert alert.deliveries.filter(user=advocate, channel="in_app").exists()


def test_ended_allocations_receive_no_alerts(make_child_in_care, advocate, allocate, worker, manager):
    child = make_child_in_care(trafficking_status="identified")
    services.end_allocation(allocation=allocate(child, advocate), by=manager)
    episode = episode_services.report_missing(
        child=child, kind="M", started_at=timezone.now() - timedelta(hours=1), by=worker
    )
    assert not Alert.objects.get(episode=episode).deliveries.filter(user=advocate).exists()


def test_caseload_shows_missing_now_alerts_nrm_and_next_contact(make_child_in_care, advocate, allocate, worker):
    today = timezone.localdate()
    child = make_child_in_care(trafficking_status="suspected", nrm_referral_date=today - timedelta(days=40))
    allocation = allocate(child, advocate)
    episode_services.report_missing(child=child, kind="M", started_at=timezone.now() - timedelta(hours=2), by=worker)
    services.record_contact(
        allocation=allocation,
        by=advocate,
        occurred_at=timezone.now() - timedelta(days=1),
        kind="call",
        summary="Checked in",
    )
    (row,) = caseload_for(advocate)
    assert row.missing_now and row.open_alerts == 1
    assert row.nrm.current == "Waiting for a reasonable grounds decision"
    assert row.nrm.days_waiting == 40 and row.nrm.overdue
    assert row.next_contact_due.date() == (timezone.now() - timedelta(days=1) + timedelta(days=14)).date()


def test_nrm_timeline_counts_days_between_decisions(make_child_in_care):
    from datetime import date

    child = make_child_in_care(
        trafficking_status="identified",
        nrm_referral_date=date(2025, 1, 6),
        reasonable_grounds="positive",
        reasonable_grounds_date=date(2025, 1, 20),
    )
    timeline = timeline_for(child, today=date(2025, 3, 1))
    assert [s.name for s in timeline.stages] == ["Referral", "Reasonable grounds", "Conclusive grounds"]
    assert timeline.stages[1].days_since_previous == 14
    assert timeline.days_waiting == 40 and not timeline.overdue
    assert timeline_for(child, today=date(2026, 1, 1)).overdue
