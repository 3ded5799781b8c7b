"""Signing in and out in a real browser, as each demo user."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from casework.demo.seed import DEMO_USERS
from casework.home import HOME_PAGES
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SERVICE_NAME = "Children missing from care"
SIGN_IN_PATH = "/account/sign-in/"
WRONG_PASSWORD = "not-the-right-password"

expect.set_options(timeout=10_000)


def _path_of(url: str, base: str) -> str:
    assert url.startswith(base), f"{url} is not on the live server {base}"
    return url[len(base) :]


@pytest.mark.parametrize("demo_user", DEMO_USERS, ids=lambda u: u.username)
def test_each_demo_user_signs_in_and_lands_on_their_home_page(live_server, demo_users, signed_in_page, demo_user):
    page = signed_in_page(demo_user.username, settings.DEMO_PASSWORD)

    assert _path_of(page.url, live_server.url) == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_PAGES[demo_user.role].heading)
    header = page.locator("header")
    expect(header.get_by_role("link", name=SERVICE_NAME)).to_be_visible()
    expect(header.get_by_role("button", name="Sign out")).to_be_visible()


def test_wrong_password_shows_the_error_summary_and_focuses_it(live_server, demo_users, page):
    sign_in(page, live_server.url, "social.worker", WRONG_PASSWORD)

    assert _path_of(page.url, live_server.url) == SIGN_IN_PATH
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(page).to_have_title(re.compile(r"^Error: "))
    # GOV.UK Frontend's ErrorSummary component moves focus to the summary when it initialises.
    expect(summary).to_be_focused()
    # The link in the summary leads to the first field.
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Username")).to_be_focused()
    # Nobody is signed in.
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


def test_repeated_failures_lock_the_account_even_with_the_right_password(live_server, demo_users, page):
    limit = settings.AXES_FAILURE_LIMIT
    for attempt in range(1, limit):
        sign_in(page, live_server.url, "social.worker", WRONG_PASSWORD)
        expect(page.locator(".govuk-error-summary"), f"attempt {attempt}").to_contain_text(
            "Enter a correct username and password"
        )
    # django-axes locks the account on the failure that reaches the limit, so that attempt already
    # answers with the lockout page rather than the error summary.
    sign_in(page, live_server.url, "social.worker", WRONG_PASSWORD)
    expect(page.get_by_role("heading", level=1), f"attempt {limit}").to_have_text("Your account is locked")

    page.goto(f"{live_server.url}{SIGN_IN_PATH}")
    page.get_by_label("Username").fill("social.worker")
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST" and SIGN_IN_PATH in r.url) as response_info:
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")

    assert response_info.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    expect(page).to_have_title(re.compile(r"^Your account is locked"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    # The lock is on the account: the home page still asks for sign-in.
    page.goto(f"{live_server.url}/")
    assert _path_of(page.url, live_server.url).startswith(SIGN_IN_PATH)


def test_sign_out_returns_to_sign_in_and_the_home_page_then_asks_again(live_server, demo_users, signed_in_page):
    page = signed_in_page("team.manager", settings.DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_PAGES["team_manager"].heading)

    page.locator("header").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")

    assert _path_of(page.url, live_server.url) == SIGN_IN_PATH
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)

    page.goto(f"{live_server.url}/")
    assert _path_of(page.url, live_server.url) == f"{SIGN_IN_PATH}?next=/"
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_pages_load_without_csp_errors_and_govuk_frontend_runs(live_server, demo_users, page, console_errors):
    def assert_frontend_ran():
        expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
        expect(page.locator("body")).to_have_class(re.compile(r"\bjs-enabled\b"))

    visited = []
    page.goto(f"{live_server.url}{SIGN_IN_PATH}")
    visited.append(page.url)
    assert_frontend_ran()

    sign_in(page, live_server.url, "missing.coordinator", WRONG_PASSWORD)  # the error page
    visited.append(page.url)
    assert_frontend_ran()

    sign_in(page, live_server.url, "missing.coordinator", settings.DEMO_PASSWORD)  # the home page
    visited.append(page.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(HOME_PAGES["missing_coordinator"].heading)
    assert_frontend_ran()

    # Stylesheets loaded (a CSP or static-files failure would leave the page unstyled).
    font = page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily")
    assert "arial" in font.lower() or "helvetica" in font.lower(), font

    csp_errors = [e for e in console_errors if "content security policy" in e.lower()]
    assert csp_errors == [], f"CSP violations on {visited}: {csp_errors}"
    other_errors = list(console_errors)
    assert other_errors == [], f"console errors on {visited}: {other_errors}"
