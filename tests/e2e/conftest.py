"""Browser tests: real Chromium (Debian's package) driving pytest-django's live server.

Every test here uses `live_server` and is marked `django_db(transaction=True)` and `e2e` (the module sets
`pytestmark`). Playwright cannot download its own browsers on these machines, so we launch the system
chromium. A failing test leaves a screenshot in a temporary folder and prints its path.
"""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

DEFAULT_TIMEOUT_MS = 10_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOT_DIR = Path(tempfile.gettempdir()) / "cmfc-e2e-screenshots"


# --- Browser --------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def browser(playwright_instance):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Browser tests need Debian's chromium, which is not installed: "
            "run `apt-get install -y chromium fonts-liberation` (or `make test`, which installs it).",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh page in a fresh browser context (no cookies shared between tests)."""
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    _screenshot_if_failed(request.node, page)
    context.close()


@pytest.fixture
def console_errors(page):
    """Console messages of type "error" and uncaught page errors, as text, collected as the test runs."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            url = (message.location or {}).get("url")
            errors.append(f"{message.text} [{url}]" if url else message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"Uncaught: {error}"))
    return errors


# --- Signing in -----------------------------------------------------------------------------------
def sign_in(page, base_url: str, username: str, password: str):
    """Sign in through the real sign-in form. Returns the page, wherever the form sent it."""
    page.goto(f"{base_url}/account/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    return page


@pytest.fixture
def signed_in_page(page, live_server):
    """Factory: `signed_in_page(username, password)` signs in via the form and returns the page."""

    def factory(username: str, password: str = settings.DEMO_PASSWORD):
        return sign_in(page, live_server.url, username, password)

    return factory


# --- Data -----------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def _demo_password_hash():
    from django.contrib.auth.hashers import make_password

    return make_password(settings.DEMO_PASSWORD)


@pytest.fixture
def demo_users(transactional_db, monkeypatch, _demo_password_hash):
    """The demo organisations, teams and users (casework.demo.seed), all with settings.DEMO_PASSWORD.

    Hashing the password costs ~0.3 s a user with the real hasher; the transactional tests flush the
    database after each test, so the seed runs every time. The password is hashed once a session (with
    the configured hasher, so sign-in checks it exactly as in production) and reused while seeding.
    """
    import django.contrib.auth.base_user as base_user

    from casework.demo.seed import DEMO_USERS, seed_organisations_and_users

    real_make_password = base_user.make_password

    def cached_make_password(raw_password, *args, **kwargs):
        if raw_password == settings.DEMO_PASSWORD and not args and not kwargs:
            return _demo_password_hash
        return real_make_password(raw_password, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(base_user, "make_password", cached_make_password)
        seed_organisations_and_users(password=settings.DEMO_PASSWORD)
    return {user.username: user for user in DEMO_USERS}


# --- Screenshots on failure -----------------------------------------------------------------------
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_e2e_report_{report.when}", report)
    return report


def _screenshot_if_failed(item, page) -> None:
    report = getattr(item, "_e2e_report_call", None)
    if report is None or not report.failed:
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    safe_name = "".join(c if c.isalnum() or c in "-_." else "_" for c in item.nodeid)[-150:]
    path = SCREENSHOT_DIR / f"{safe_name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # noqa: BLE001 - a screenshot must never hide the real failure
        print(f"\n[e2e] could not save a screenshot for {item.nodeid}: {error}")
        return
    print(f"\n[e2e] screenshot of the failing page ({page.url}): {path}")
    report.sections.append(("e2e screenshot", str(path)))
