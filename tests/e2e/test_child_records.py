"""Children's records in a real browser: finding a child, recording UASC and NRM details, restricted records."""

import pytest
from playwright.sync_api import expect

from casework.models import Team, User
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory
from tests.factories.children import make_child

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)
OTHER_PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password


def _worker() -> User:
    return User.objects.get(username="social.worker")


def test_a_misspelt_alias_finds_the_child(live_server, demo_users, signed_in_page):
    worker = _worker()
    child = make_child(
        by=worker,
        organisation=worker.organisation,
        team=worker.team,
        first_name="Abdallah",
        last_name="Osman",
        sex="M",
        aliases=[{"name": "Mohammed", "kind": "alias"}],
    )
    page = signed_in_page("social.worker")

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Children", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a child")
    page.get_by_label("Name or Child ID").fill("Mohamed")
    page.get_by_role("button", name="Search").click()

    results = page.locator("#results")
    expect(results.get_by_role("link", name="Abdallah Osman")).to_be_visible()
    expect(results).to_contain_text(child.la_child_id)
    assert "Mohamed" not in page.url.split("?")[0]


def test_a_uasc_child_with_an_nrm_referral_is_recorded_through_the_forms(live_server, demo_users, signed_in_page):
    page = signed_in_page("social.worker")
    page.goto(f"{live_server.url}/children/new/")

    page.get_by_label("Child ID").fill("NB900001")
    page.get_by_label("First name").fill("Yonas")
    page.get_by_label("Last name").fill("Ghebremedhin")
    page.get_by_label("Male", exact=True).check()
    page.locator('[name="date_of_birth_day"]').fill("3")
    page.locator('[name="date_of_birth_month"]').fill("4")
    page.locator('[name="date_of_birth_year"]').fill("2010")
    page.get_by_label("Ethnicity").select_option("BAFR")
    page.get_by_label("Nationality (optional)").fill("Eritrean")
    page.get_by_role("button", name="Add child").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Child added")
    expect(page.get_by_role("heading", level=1)).to_have_text("Yonas Ghebremedhin")

    page.locator("#uasc").get_by_role("link", name="Change").click()
    page.get_by_label("This is an unaccompanied asylum-seeking child").check()
    page.locator('[name="arrival_date_day"]').fill("10")
    page.locator('[name="arrival_date_month"]').fill("1")
    page.locator('[name="arrival_date_year"]').fill("2025")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your changes have been saved")

    page.locator("#trafficking").get_by_role("link", name="Change").click()
    page.get_by_label("Suspected").check()
    page.get_by_label("Criminal", exact=True).check()
    page.locator('[name="nrm_referral_date_day"]').fill("1")
    page.locator('[name="nrm_referral_date_month"]').fill("2")
    page.locator('[name="nrm_referral_date_year"]').fill("2025")
    page.get_by_label("First responder organisation (optional)").fill("Northbridge City Council")
    page.get_by_role("group", name="Reasonable grounds decision").get_by_label("Waiting for a decision").check()
    page.get_by_role("button", name="Save changes").click()

    tags = page.locator("#status-tags")
    expect(tags).to_contain_text("UASC")
    expect(tags).to_contain_text("Trafficked")
    expect(page.locator("#trafficking")).to_contain_text("1 February 2025")
    expect(page.locator("#uasc")).to_contain_text("10 January 2025")


def test_a_restricted_child_cannot_be_found_by_another_teams_worker(live_server, demo_users, page):
    worker = _worker()
    child = make_child(
        by=worker,
        organisation=worker.organisation,
        team=worker.team,
        first_name="Elira",
        last_name="Krasniqi",
        sex="F",
        is_mother=False,
        allocated_social_worker=worker,
        restricted=True,
    )
    other_team = Team.objects.get(organisation=worker.organisation, name="Exploitation and missing team")
    outsider = UserFactory(role="social_worker", organisation=worker.organisation, team=other_team)
    sign_in(page, live_server.url, outsider.username, OTHER_PASSWORD)

    page.goto(f"{live_server.url}/children/?q=Krasniqi")
    expect(page.locator("#no-results")).to_contain_text("No children match ‘Krasniqi’")
    expect(page.get_by_role("link", name="Elira Krasniqi")).to_have_count(0)

    response = page.goto(f"{live_server.url}/children/{child.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text("Krasniqi")
