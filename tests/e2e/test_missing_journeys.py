"""Reporting a trafficked child missing in a real browser, seeing them on the board, closing the episode,
recording the return interview and downloading the missing-person pack."""

import subprocess
from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from casework import services as casework_services
from casework.models import Organisation, User
from missing_episodes.models import MissingEpisode, ReturnInterview

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)


@pytest.fixture
def trafficked_child(demo_users):
    worker = User.objects.get(username="social.worker")
    child = casework_services.create_child(
        by=worker,
        organisation=Organisation.objects.get(name="Northbridge City Council"),
        team=worker.team,
        la_child_id="NBE2E001",
        first_name="Arben",
        last_name="Hoxha",
        sex="M",
        date_of_birth=date(2009, 3, 15),
        ethnicity="WOTH",
        trafficking_status="suspected",
        allocated_social_worker=worker,
    )
    start = date(2024, 1, 1)
    casework_services.add_care_record(
        child=child, kind="periods_of_care", by=worker, start_date=start, category_of_need="N8"
    )
    casework_services.add_care_record(child=child, kind="legal_statuses", by=worker, start_date=start, code="V2")
    casework_services.add_care_record(
        child=child, kind="placements", by=worker, start_date=start, place="U6", provider="PR1", postcode="NB1 1AA"
    )
    return child


def _go_to_report_form(page):
    """From the home page: its "Report a child missing" link, or else the board's button."""
    link = page.locator("main").get_by_role("link", name="Report a child missing")
    if link.count() == 0:
        page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing now").click()
        link = page.get_by_role("button", name="Report a child missing")
    link.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a child missing")


def test_report_a_trafficked_child_missing_then_close_interview_and_pack(
    live_server, signed_in_page, trafficked_child, tmp_path
):
    page = signed_in_page("social.worker", settings.DEMO_PASSWORD)

    # Report, starting from the home page.
    _go_to_report_form(page)
    page.get_by_label("Which child is missing?").fill("Hoxha")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Arben Hoxha (NBE2E001)", exact=False).check()
    page.get_by_label("Missing", exact=True).check()
    page.get_by_label("Where were they last seen? (optional)").fill("Northbridge bus station")
    page.get_by_label("No, not yet").check()
    page.get_by_role("button", name="Report missing").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Arben Hoxha is recorded as missing. Alerts are being sent"
    )
    episode = MissingEpisode.objects.get(child=trafficked_child)
    assert episode.risk_level == "high"

    # On the board, high risk and trafficked.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing now").click()
    row = page.locator(f'tr[data-episode="{episode.pk}"]')
    expect(row).to_contain_text("Arben Hoxha")
    expect(row).to_contain_text("High")
    expect(row).to_contain_text("Trafficked")

    # The pack, from the episode page.
    row.get_by_role("link", name="Arben Hoxha").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download missing-person pack").click()
    download = download_info.value
    assert download.suggested_filename == "missing-person-pack-NBE2E001.pdf"
    path = tmp_path / "pack.pdf"
    download.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Arben Hoxha" in text
    assert "Northbridge bus station" in text

    # Found: close the episode.
    page.get_by_role("button", name="Record that they are back").click()
    page.get_by_label("The child was found").check()
    page.get_by_label("Where were they found? (optional)").fill("Leeds coach station")
    page.get_by_role("button", name="Close the episode").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Arben Hoxha is recorded as back")
    episode.refresh_from_db()
    assert episode.status == "closed"

    # Return interview, offered and done.
    page.get_by_role("button", name="Record return interview").click()
    back = timezone.localtime(episode.ended_at)
    for i, value in enumerate([back.day, back.month, back.year, back.hour, back.minute]):
        page.locator(f"#id_offered_at_{i}").fill(str(value))
        page.locator(f"#id_completed_at_{i}").fill(str(value))
    page.locator("#id_accepted_0").check()
    page.get_by_label("Who did the interview? (optional)").fill("Northbridge return interview service")
    page.get_by_label("What did the child say? (optional)").fill("Stayed with a friend")
    page.get_by_role("button", name="Save the return interview").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The return interview has been recorded"
    )
    expect(page.locator("#return-interview-summary")).to_contain_text("Northbridge return interview service")
    interview = ReturnInterview.objects.get(episode=episode)
    assert interview.accepted is True and interview.completed_at is not None

    # Back on the board, nobody is missing.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Missing now").click()
    expect(page.locator("#missing-board-empty")).to_have_text("No children are missing right now.")
