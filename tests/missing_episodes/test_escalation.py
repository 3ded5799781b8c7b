"""The alert rule, recipients, at-most-once sending, escalation and reminders on a controllable clock."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from casework import services as casework_services
from missing_episodes import services
from missing_episodes.alerts import deliveries
from missing_episodes.alerts import services as alert_services
from missing_episodes.models import Alert, Delivery, DeliveryStatus
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(make_user, authority, team):
    authority.out_of_hours_email = "edt@testshire.example"
    authority.save()
    return {
        "manager": make_user("team_manager"),
        "coordinator": make_user("missing_coordinator"),
        "service_manager": make_user("service_manager"),
        "data_officer": make_user("data_officer"),
    }


def report(child, worker, *, hours_ago=1, kind="M"):
    return services.report_missing(
        child=child, kind=kind, started_at=timezone.now() - timedelta(hours=hours_ago), by=worker
    )


def send_all():
    for delivery_id in Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True):
        deliveries.send_delivery(delivery_id)


def recipients(alert, **filters):
    return {(d.user.username if d.user_id else d.email, d.channel) for d in alert.deliveries.filter(**filters)}


def test_missing_trafficked_child_raises_a_high_alert_to_every_accountable_person(make_child_in_care, worker, staff):
    child = make_child_in_care(trafficking_status="identified")
    episode = report(child, worker)
    alert = Alert.objects.get(episode=episode)
    assert (alert.level, alert.status, alert.escalation_level) == ("high", "open", 1)
    people = {worker.username, staff["manager"].username, staff["coordinator"].username}
    assert recipients(alert) == {(name, channel) for name in people for channel in ("in_app", "email")}


def test_host_authority_is_told_when_the_child_is_placed_out_of_area(make_child_in_care, worker, staff):
    host = OrganisationFactory(designated_contact_email="missing@host.example")
    child = make_child_in_care(is_uasc=True)
    placement = child.placements.get()
    casework_services.update_care_record(record=placement, by=worker, version=1, end_date=date(2024, 6, 1))
    casework_services.add_care_record(
        child=child,
        kind="placements",
        by=worker,
        start_date=date(2024, 6, 1),
        place="K2",
        provider="PR4",
        host_authority=host,
        out_of_area=True,
        reason_for_change="",
    )
    alert = Alert.objects.get(episode=report(child, worker))
    assert ("missing@host.example", "email") in recipients(alert)


def test_other_children_raise_a_standard_alert_to_worker_and_team_manager(make_child_in_care, worker, staff):
    child = make_child_in_care()
    alert = Alert.objects.get(episode=report(child, worker))
    assert alert.level == "standard"
    assert {name for name, _ in recipients(alert)} == {worker.username, staff["manager"].username}


def test_alert_rows_are_written_in_the_reporting_transaction_and_sent_after_commit(
    make_child_in_care, worker, staff, django_capture_on_commit_callbacks
):
    child = make_child_in_care(trafficking_status="suspected")
    with django_capture_on_commit_callbacks() as callbacks:
        episode = report(child, worker)
        assert Delivery.objects.filter(alert__episode=episode, status="pending").count() == 6
    assert len(callbacks) == 1  # one callback queues every delivery once the episode is committed


def test_each_delivery_is_sent_once_even_if_the_task_runs_again(make_child_in_care, worker, staff):
    child = make_child_in_care(trafficking_status="identified")
    episode = report(child, worker)
    send_all()
    first = len(mail.outbox)
    for delivery in Delivery.objects.filter(alert__episode=episode):
        assert deliveries.send_delivery(delivery.pk) == "already sent"
    assert first == 3
    assert len(mail.outbox) == first
    message = mail.outbox[0]
    assert child.la_child_id in message.subject
    assert child.first_name not in message.body  # the minimum: initials and Child ID, never the name
    assert child.initials in message.body
    assert "/alerts/" in message.body
    assert message.alternatives and "text/html" in message.alternatives[0][1]
    assert all(d.notified_at for d in Delivery.objects.filter(alert__episode=episode))


def test_unacknowledged_alert_escalates_to_service_managers_then_out_of_hours(make_child_in_care, worker, staff):
    child = make_child_in_care(is_uasc=True)
    alert = Alert.objects.get(episode=report(child, worker, hours_ago=0))
    start = alert.created_at
    assert alert_services.escalate_due_alerts(now=start + timedelta(minutes=29)) == 0
    assert alert_services.escalate_due_alerts(now=start + timedelta(minutes=31)) == 1
    alert.refresh_from_db()
    assert alert.escalation_level == 2
    assert (staff["service_manager"].username, "email") in recipients(alert, purpose="escalation")
    assert alert_services.escalate_due_alerts(now=start + timedelta(minutes=62)) == 1
    alert.refresh_from_db()
    assert alert.escalation_level == 3
    assert ("edt@testshire.example", "email") in recipients(alert, purpose="escalation")
    assert alert_services.escalate_due_alerts(now=start + timedelta(hours=5)) == 0


def test_acknowledgement_by_an_accountable_person_stops_escalation(make_child_in_care, worker, staff):
    child = make_child_in_care(trafficking_status="identified")
    alert = Alert.objects.get(episode=report(child, worker, hours_ago=0))
    alert_services.acknowledge_alert(alert=alert, by=staff["manager"], note="Calling the police now")
    alert_services.acknowledge_alert(alert=alert, by=staff["manager"], note="again")  # idempotent
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert alert.acknowledgements.count() == 1
    assert alert.acknowledgements.get().note == "Calling the police now"
    assert alert_services.escalate_due_alerts(now=alert.created_at + timedelta(hours=2)) == 0


def test_acknowledgement_by_someone_not_accountable_does_not_stop_escalation(
    make_child_in_care, worker, staff, make_user
):
    from tests.factories import AdvocacyServiceFactory

    advocate = make_user("advocate", organisation=AdvocacyServiceFactory())
    child = make_child_in_care(trafficking_status="identified")
    alert = Alert.objects.get(episode=report(child, worker, hours_ago=0))
    alert_services.acknowledge_alert(alert=alert, by=advocate)
    alert.refresh_from_db()
    assert alert.status == "open"
    assert alert_services.escalate_due_alerts(now=alert.created_at + timedelta(minutes=31)) == 1


def test_reminders_while_still_missing_at_24h_72h_7d_then_weekly(make_child_in_care, worker, staff):
    child = make_child_in_care(trafficking_status="identified")
    episode = report(child, worker, hours_ago=0)
    alert = Alert.objects.get(episode=episode)
    alert_services.acknowledge_alert(alert=alert, by=worker)  # reminders continue after acknowledgement
    t0 = alert.created_at
    sent_at = []
    for hours in range(1, 24 * 22):
        if alert_services.send_due_reminders(now=t0 + timedelta(hours=hours)):
            sent_at.append(hours)
    assert sent_at == [24, 72, 24 * 7, 24 * 14, 24 * 21]
    reminder_rows = alert.deliveries.filter(purpose="reminder")
    assert set(reminder_rows.values_list("sequence", flat=True)) == {1, 2, 3, 4, 5}
    assert reminder_rows.filter(sequence=1).count() == alert.deliveries.filter(purpose="alert").count()


def test_closing_the_episode_resolves_its_alerts_and_stops_reminders(make_child_in_care, worker, staff):
    child = make_child_in_care(trafficking_status="identified")
    episode = report(child, worker, hours_ago=3)
    services.close_episode(episode=episode, by=worker, version=1, ended_at=timezone.now(), outcome="found")
    alert = Alert.objects.get(episode=episode)
    assert alert.status == "resolved" and alert.resolved_at
    assert alert_services.send_due_reminders(now=timezone.now() + timedelta(days=2)) == 0
    assert alert_services.escalate_due_alerts(now=timezone.now() + timedelta(days=2)) == 0


def test_overdue_return_interview_raises_a_standard_alert_once(make_child_in_care, worker, staff):
    child = make_child_in_care()
    episode = report(child, worker, hours_ago=10)
    services.close_episode(episode=episode, by=worker, version=1, ended_at=timezone.now(), outcome="returned")
    later = timezone.now() + timedelta(hours=71)
    assert alert_services.raise_overdue_return_interview_alerts(now=later) == 0
    later = timezone.now() + timedelta(hours=73)
    assert alert_services.raise_overdue_return_interview_alerts(now=later) == 1
    assert alert_services.raise_overdue_return_interview_alerts(now=later) == 0
    alert = Alert.objects.get(episode=episode, reason="return_interview_overdue")
    assert alert.level == "standard"


def test_a_status_change_to_trafficked_while_missing_raises_the_high_alert(make_child_in_care, worker, staff):
    child = make_child_in_care()
    episode = report(child, worker)
    assert episode.risk_level == "medium"
    casework_services.update_child(child=child, by=worker, version=child.version, trafficking_status="suspected")
    episode.refresh_from_db()
    assert episode.risk_level == "high"
    levels = dict(Alert.objects.filter(episode=episode).values_list("reason", "status"))
    assert levels == {"missing": "resolved", "missing_high_risk": "open"}


def test_the_sweeper_repairs_an_open_high_risk_episode_without_an_alert(make_child_in_care, worker, staff):
    child = make_child_in_care(trafficking_status="identified")
    episode = report(child, worker)
    Delivery.objects.filter(alert__episode=episode).delete()
    Alert.objects.filter(episode=episode).delete()
    result = alert_services.sweep()
    assert result["repaired"] == 1
    assert Alert.objects.get(episode=episode).level == "high"


def test_the_sweeper_requeues_deliveries_left_pending(make_child_in_care, worker, staff):
    child = make_child_in_care(trafficking_status="identified")
    report(child, worker)
    assert deliveries.requeue_pending(now=timezone.now()) == 0
    assert deliveries.requeue_pending(now=timezone.now() + timedelta(minutes=2)) == 6


def test_lowering_a_high_risk_needs_a_manager_and_a_reason(make_child_in_care, worker, staff):
    from django.core.exceptions import PermissionDenied, ValidationError

    child = make_child_in_care(trafficking_status="identified")
    episode = report(child, worker)
    with pytest.raises(PermissionDenied):
        alert_services.set_risk_level(episode=episode, by=worker, level="medium", reason="Seen by police")
    with pytest.raises(ValidationError):
        alert_services.set_risk_level(episode=episode, by=staff["manager"], level="medium")
    lowered = alert_services.set_risk_level(
        episode=episode, by=staff["manager"], level="medium", reason="Located with a trusted relative; police agree"
    )
    assert lowered.risk_level == "medium"
    latest = lowered.history.first()
    assert latest.history_user == staff["manager"]
    assert latest.risk_level_reason.startswith("Located")


def test_a_manager_raising_the_risk_raises_a_high_alert(make_child_in_care, worker, staff):
    child = make_child_in_care()
    episode = report(child, worker)
    alert_services.set_risk_level(episode=episode, by=staff["manager"], level="high")
    assert Alert.objects.get(episode=episode, reason="risk_raised").level == "high"


def test_episode_page_shows_who_acknowledged_and_managers_change_the_risk(client, make_child_in_care, worker, staff):
    from django.urls import reverse

    child = make_child_in_care(trafficking_status="identified")
    episode = report(child, worker)
    alert_services.acknowledge_alert(alert=Alert.objects.get(episode=episode), by=staff["manager"])
    client.force_login(staff["manager"])
    html = client.get(reverse("episode_detail", args=[episode.pk])).content.decode()
    assert f"Acknowledged by {staff['manager'].get_full_name()}" in html
    url = reverse("episode_set_risk", args=[episode.pk])
    refused = client.post(url, {"version": episode.version, "risk_level": "medium", "reason": ""})
    assert refused.status_code == 400
    assert "Enter why the risk is no longer high" in refused.content.decode()
    done = client.post(url, {"version": episode.version, "risk_level": "medium", "reason": "With police, safe"})
    assert done.status_code == 302
    episode.refresh_from_db()
    assert episode.risk_level == "medium"
    client.force_login(worker)
    assert client.get(url).status_code == 403
