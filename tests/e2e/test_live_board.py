"""The live missing board keeps itself up to date in a real browser (static/app/auto-refresh.js): every minute it
fetches itself and swaps in the fresh board, without reloading, until the user presses "Stop updating"; that
choice lasts for the tab (sessionStorage) until "Start updating". Without JavaScript there is a "Refresh" link
instead, and never a meta refresh (which no one can stop: WCAG 2.2.1).

The browser's clock is Playwright's fake one, so a minute passes at once.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import User
from missing_episodes import services as missing_services
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, sign_in
from tests.factories.children import child_in_care

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)


@pytest.fixture
def worker(demo_users):
    return User.objects.get(username="social.worker")


def _report(child, worker):
    return missing_services.report_missing(
        child=child, kind="M", started_at=timezone.now() - timedelta(hours=2), by=worker
    )


def _wait_until(page, condition, timeout_ms: int = 10_000) -> None:
    """Poll a Python-side condition, letting Playwright deliver its events between tries."""
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    assert condition()


def test_the_board_updates_itself_until_the_user_stops_it(live_server, signed_in_page, worker):
    yonas = child_in_care(by=worker, team=worker.team, allocated_social_worker=worker, first_name="Yonas")
    arben = child_in_care(by=worker, team=worker.team, allocated_social_worker=worker, first_name="Arben")
    dawit = child_in_care(by=worker, team=worker.team, allocated_social_worker=worker, first_name="Dawit")
    page = signed_in_page("social.worker")
    page.clock.install()
    board_url = f"{live_server.url}/missing/"
    updates: list[str] = []
    loads: list[str] = []
    page.on("request", lambda r: updates.append(r.url) if r.resource_type == "fetch" and r.url == board_url else None)
    page.on("load", lambda p: loads.append(p.url))

    page.goto(board_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Missing now")
    status = page.get_by_role("status").filter(has_text="update")
    expect(status).to_have_text("This page updates every minute")
    expect(page.get_by_role("link", name="Refresh this page")).to_be_hidden()
    expect(page.locator("#missing-board-empty")).to_be_visible()
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    loaded = len(loads)

    # A child goes missing; a minute later the board shows them, without reloading the page.
    _report(yonas, worker)
    page.clock.run_for("01:01")
    rows = page.locator("#missing-board tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Yonas")
    _wait_until(page, lambda: len(updates) == 1)
    assert len(loads) == loaded, "the board updates in place: no reloads"

    # Stop updating: no more fetches, however long the page stays open.
    page.get_by_role("button", name="Stop updating").click()
    expect(status).to_have_text("Updates stopped")
    expect(page.get_by_role("button", name="Start updating")).to_be_focused()
    _report(arben, worker)
    page.clock.run_for("10:00")
    page.wait_for_timeout(500)  # real time, for any fetch that (wrongly) started
    assert len(updates) == 1, "the board went on updating after Stop updating"
    expect(rows).to_have_count(1)

    # The choice lasts when the page is opened again in this tab.
    page.reload()
    expect(rows).to_have_count(2)  # the reload itself shows Arben
    expect(status).to_have_text("Updates stopped")
    page.clock.run_for("05:00")
    page.wait_for_timeout(500)
    assert len(updates) == 1

    # Start updating: at once, then every minute again.
    _report(dawit, worker)
    page.get_by_role("button", name="Start updating").click()
    expect(status).to_have_text("This page updates every minute")
    expect(rows).to_have_count(3)
    _wait_until(page, lambda: len(updates) == 2)
    page.clock.run_for("01:01")
    _wait_until(page, lambda: len(updates) == 3)
    expect(status).to_have_text("This page updates every minute")


def test_without_javascript_the_board_has_a_refresh_link(live_server, browser, worker):
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "social.worker", settings.DEMO_PASSWORD)
        page.goto(f"{live_server.url}/missing/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Missing now")
        link = page.get_by_role("link", name="Refresh this page")
        expect(link).to_be_visible()
        expect(link).to_have_attribute("href", "/missing/")
        expect(page.get_by_role("button", name="Stop updating")).to_be_hidden()
        assert page.locator('meta[http-equiv="refresh"]').count() == 0
    finally:
        context.close()
