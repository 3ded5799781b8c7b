import pytest
from django.test import Client

from tests.reporting.test_dashboards import (  # noqa: F401
    dataset, team_b, manager, worker, make_child_in_care, fast_passwords,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]


def test_shot(page, live_server, dataset, manager):
    client = Client()
    client.force_login(manager)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/reports/dashboards/")
    page.screenshot(path="/tmp/dash-full.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/reports/dashboards/")
    page.locator("#panel-episodes").screenshot(path="/tmp/dash-mobile-episodes.png")
    print("CONSOLE ERRORS", errors)
