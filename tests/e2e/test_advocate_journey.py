"""An independent child trafficking guardian works only the children allocated to them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocates import services as advocate_services
from advocates.models import ContactRecord
from casework.models import User
from missing_episodes import services as episode_services
from missing_episodes.models import Acknowledgement
from tests.factories.children import child_in_care

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)


def test_advocate_sees_only_allocated_children_records_a_visit_and_acknowledges_an_alert(
    live_server, demo_users, signed_in_page, console_errors
):
    worker = User.objects.get(username="social.worker")
    manager = User.objects.get(username="team.manager")
    advocate = User.objects.get(username="advocate")
    mine = child_in_care(
        by=worker,
        team=worker.team,
        allocated_social_worker=worker,
        first_name="Yonas",
        last_name="Haile",
        trafficking_status="identified",
        is_uasc=True,
    )
    child_in_care(by=worker, team=worker.team, first_name="Arben", last_name="Hoxha", trafficking_status="suspected")
    allocation = advocate_services.allocate_advocate(
        child=mine,
        advocate=advocate,
        role="direct_worker",
        by=manager,
        start_date=timezone.localdate() - timedelta(days=10),
    )
    episode_services.report_missing(child=mine, kind="M", started_at=timezone.now() - timedelta(hours=2), by=worker)

    page = signed_in_page("advocate")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your caseload")
    caseload = page.locator("table").first
    expect(caseload).to_contain_text("Yonas Haile")
    expect(caseload).to_contain_text("Missing now")
    expect(page.locator("main")).not_to_contain_text("Arben Hoxha")

    # Record a visit.
    page.get_by_role("link", name=re.compile("Record a contact")).click()
    page.get_by_label("Visit").check()
    now = timezone.localtime() - timedelta(hours=1)
    for part, value in (
        ("day", now.day),
        ("month", now.month),
        ("year", now.year),
        ("hour", now.hour),
        ("minute", now.minute),
    ):
        page.locator(f"input[name='occurred_at_{part}']").fill(str(value))
    page.get_by_label("How long did it take, in minutes? (optional)").fill("45")
    page.get_by_label("Summary").fill("Visited at the placement before he went missing; talked about school")
    page.get_by_role("button", name="Save contact").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contact with Yonas Haile recorded")
    assert ContactRecord.objects.get(allocation=allocation).duration_minutes == 45

    # Acknowledge the alert for the child who went missing.
    page.locator("header").get_by_role("link", name="Alerts (1)").click()
    page.get_by_role("row").filter(has_text="Yonas Haile").get_by_role("link").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator("#acknowledgements")).to_contain_text("Grace Mensah")
    assert Acknowledgement.objects.filter(user=advocate).count() == 1

    # The child's page shows only what advocacy needs.
    page.goto(f"{live_server.url}/children/{mine.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Yonas Haile")
    expect(page.locator("#pack")).to_have_count(0)
    expect(page.get_by_role("link", name="Access log")).to_have_count(0)

    # When the allocation ends, access ends at once.
    advocate_services.end_allocation(allocation=allocation, by=manager)
    response = page.goto(f"{live_server.url}/children/{mine.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert console_errors == [] or all("404" in e for e in console_errors)
