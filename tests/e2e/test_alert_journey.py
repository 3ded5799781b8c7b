"""A team manager is told a trafficked child in their team is missing, opens the alert and acknowledges it."""

import re
from datetime import timedelta

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from casework.models import User
from missing_episodes import services
from missing_episodes.models import Acknowledgement, Alert
from tests.factories.children import child_in_care

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)

NOTE = "Rang the police and the placement; strategy meeting at 4pm"


def report_trafficked_child_missing(worker: User) -> Alert:
    child = child_in_care(
        by=worker,
        team=worker.team,
        allocated_social_worker=worker,
        first_name="Minh",
        last_name="Nguyen",
        trafficking_status="identified",
    )
    episode = services.report_missing(child=child, kind="M", started_at=timezone.now() - timedelta(hours=1), by=worker)
    return Alert.objects.get(episode=episode)


def test_team_manager_acknowledges_a_high_alert(live_server, demo_users, signed_in_page, console_errors):
    manager = User.objects.get(username="team.manager")
    page = signed_in_page("team.manager")
    header = page.locator("header")
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()
    expect(header.get_by_role("link", name=re.compile(r"^Alerts \("))).to_have_count(0)

    alert = report_trafficked_child_missing(User.objects.get(username="social.worker"))
    assert alert.level == "high"
    assert alert.deliveries.filter(user=manager).exists()

    page.reload()
    alerts_link = header.get_by_role("link", name="Alerts (1)")
    expect(alerts_link).to_be_visible()
    alerts_link.click()

    expect(page).to_have_url(f"{live_server.url}/alerts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My alerts")
    row = page.get_by_role("row").filter(has_text="Minh Nguyen")
    expect(row).to_contain_text("Waiting for acknowledgement")
    row.get_by_role("link", name=re.compile("View and acknowledge")).click()

    expect(page).to_have_url(f"{live_server.url}/alerts/{alert.pk}/")
    expect(page.locator("#alert-state")).to_have_text("Waiting for acknowledgement")
    expect(page.locator("#acknowledgements")).to_have_text("Nobody has acknowledged this alert yet.")
    page.get_by_label("What are you doing about it? (optional)").fill(NOTE)
    page.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state("load")

    expect(page).to_have_url(f"{live_server.url}/alerts/{alert.pk}/")
    expect(page.get_by_role("alert").filter(has_text="You have acknowledged this alert")).to_be_visible()
    ack = Acknowledgement.objects.get(alert=alert, user=manager)
    shown_time = dateformat.format(timezone.localtime(ack.acknowledged_at), "j F Y H:i")
    acknowledgements = page.locator("#acknowledgements")
    expect(acknowledgements).to_contain_text("James Whitfield")
    expect(acknowledgements).to_contain_text(shown_time)
    expect(acknowledgements).to_contain_text(NOTE)
    expect(page.locator("#alert-state")).to_have_text("Acknowledged")
    expect(page.get_by_role("button", name="Acknowledge", exact=True)).to_have_count(0)
    expect(header.get_by_role("link", name=re.compile(r"^Alerts \("))).to_have_count(0)

    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert ack.note == NOTE
    assert console_errors == []
