"""Security settings proven against the running code, with production settings where they differ from tests.

What tests/casework already proves is not repeated here (see the map at the bottom of this module's docstring
in the report): axes lockout for the pages and the API token endpoint (test_sign_in.py, test_api_auth.py), the
login page's policy having no 'unsafe-inline' anywhere and two-factor for a team manager on the pages
(test_sign_in.py), and `check --deploy` with the SECURE_* variables given explicitly (test_settings.py).
"""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's password
# Variables that shape the security settings: removed so the subprocess sees production's defaults.
_SECURITY_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "SECURE_HSTS_SECONDS",
    "SESSION_IDLE_TIMEOUT_SECONDS",
    "REQUIRE_TWO_FACTOR",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PYTEST_CURRENT_TEST",
    "PYTEST_VERSION",
}


def _production_env(tmp_path) -> dict[str, str]:
    """The test environment (so DATABASE_URL and CELERY_BROKER_URL are the test services') minus every
    security variable, plus what production must set (config/required_settings.py): DEBUG is unset, not "false"."""
    env = {k: v for k, v in os.environ.items() if k not in _SECURITY_VARIABLES}
    env.update(
        SECRET_KEY="synthetic-production-key-" + "k" * 40 + "Z9!",
        ALLOWED_HOSTS="cmfc.example.gov.uk",
        SITE_URL="https://cmfc.example.gov.uk",
        EMAIL_URL="smtp+tls://alerts:secret@smtp.example.gov.uk:587",
        VAR_DIR=str(tmp_path / "var"),
    )
    assert "DATABASE_URL" in env, "run under scripts/with-services.sh (DATABASE_URL)"
    return env


def _manage(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- check --deploy -------------------------------------------------------------------------------
def test_check_deploy_is_clean_with_only_the_variables_production_must_set(tmp_path):
    """Secure by default: no SECURE_* variable needed for a clean deploy check (test_settings.py sets them)."""
    result = _manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


# --- Cookies with production settings -------------------------------------------------------------
_COOKIE_SETTINGS = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SESSION_COOKIE_AGE",
    "SESSION_ENGINE",
    "SECURE_SSL_REDIRECT",
    "REQUIRE_TWO_FACTOR",
]


@pytest.fixture(scope="module")
def production_cookie_settings(tmp_path_factory):
    """The cookie settings as config.settings computes them in production (a separate process, no pytest)."""
    code = "import json; from django.conf import settings as s; print(json.dumps({n: getattr(s, n) for n in %r}))"
    result = _manage(tmp_path_factory.mktemp("prod"), "shell", "-c", code % _COOKIE_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_make_cookies_secure(production_cookie_settings):
    values = production_cookie_settings
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert values["SECURE_SSL_REDIRECT"] is True


def test_cookies_set_on_sign_in_carry_the_production_flags(client, make_user, production_cookie_settings):
    """Not only the settings: the Set-Cookie headers a real sign-in sends, under production's cookie settings."""
    cookie_settings = {k: v for k, v in production_cookie_settings.items() if k.startswith(("SESSION_", "CSRF_"))}
    user = make_user("social_worker")
    with override_settings(**cookie_settings):
        page = client.get(reverse("login"), secure=True)
        csrf = page.cookies["csrftoken"]
        response = client.post(
            reverse("login"),
            {"username": user.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
            secure=True,
        )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == production_cookie_settings["SESSION_COOKIE_SAMESITE"]
    assert csrf["secure"] is True
    assert csrf["httponly"] is True
    assert csrf["samesite"] == production_cookie_settings["CSRF_COOKIE_SAMESITE"]


# --- Content security policy ----------------------------------------------------------------------
def _directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.parametrize("url_name", ["login", "home", "child_search", "child_create", "missing_board"])
def test_script_and_style_sources_allow_no_inline_or_eval(client, make_user, url_name):
    if url_name != "login":  # the sign-in page is seen signed out
        client.force_login(make_user("team_manager"))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    directives = _directives(response["Content-Security-Policy"])
    for name in ("script-src", "style-src"):
        sources = directives.get(name) or directives["default-src"]
        assert "'self'" in sources
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:"):
            assert unsafe not in sources, f"{name} allows {unsafe}: {sources}"
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    # Every script the page loads comes from a file, or carries the response's nonce.
    html = response.content.decode()
    assert " style=" not in html, "inline style attributes are blocked by the policy"
    assert "<script>" not in html


# --- Session timeout after inactivity -------------------------------------------------------------
def _session_row(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_session_ends_after_the_idle_timeout(client, make_user, settings):
    client.force_login(make_user("social_worker"))
    assert client.get(reverse("home")).status_code == 200
    row = _session_row(client)
    # 30 minutes without a request: the stored expiry passes.
    row.expire_date = timezone.now() - timedelta(seconds=1)
    row.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_each_request_pushes_the_idle_timeout_on(client, make_user, settings):
    client.force_login(make_user("social_worker"))
    row = _session_row(client)
    row.expire_date = timezone.now() + timedelta(minutes=1)  # 29 minutes idle: one left
    row.save()
    assert client.get(reverse("home")).status_code == 200
    pushed = _session_row(client).expire_date - timezone.now()
    assert (
        timedelta(seconds=settings.SESSION_COOKIE_AGE - 60) < pushed <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    assert settings.SESSION_COOKIE_AGE <= 30 * 60


def test_a_session_pushed_on_within_the_last_minute_is_not_written_again(client, make_user, settings):
    """The idle timeout moves on at most once a minute: pages in between do not rewrite the session."""
    client.force_login(make_user("social_worker"))
    row = _session_row(client)
    row.expire_date = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)  # pushed 30 s ago
    row.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    assert _session_row(client).expire_date == row.expire_date


def test_a_session_idle_for_just_under_the_timeout_still_works_and_is_pushed_on(client, make_user, settings):
    client.force_login(make_user("social_worker"))
    row = _session_row(client)
    row.expire_date = timezone.now() + timedelta(seconds=5)  # idle for all but 5 seconds of the timeout
    row.save()
    assert client.get(reverse("home")).status_code == 200
    assert _session_row(client).expire_date > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_production_sessions_use_the_idle_timeout_store(production_cookie_settings):
    assert production_cookie_settings["SESSION_ENGINE"] == "casework.sessions"
    assert production_cookie_settings["SESSION_COOKIE_AGE"] == 30 * 60


# --- Two-factor for managers and data officers: pages and API -------------------------------------
TWO_FACTOR_ROLES = ["team_manager", "service_manager", "data_officer"]


def _token(api, username, **extra):
    return api.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD, **extra}, format="json")


def _confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=True)


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(REQUIRE_TWO_FACTOR=True)
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_pages_send_an_unverified_manager_or_data_officer_to_two_factor(client, make_user, role):
    user = make_user(role)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    for url_name in ("home", "child_search", "missing_board", "dashboards"):
        response = client.get(reverse(url_name))
        assert response.status_code == 302, url_name
        assert response["Location"] == reverse("two_factor")


@override_settings(REQUIRE_TWO_FACTOR=True)
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_token_endpoint_refuses_a_manager_without_a_confirmed_device(make_user, role):
    user = make_user(role)
    TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)  # set up but never confirmed
    response = _token(APIClient(), user.username)
    assert response.status_code == 401
    assert "token" not in response.json()
    assert "Two-factor" in response.json()["detail"]


@override_settings(REQUIRE_TWO_FACTOR=True)
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_token_endpoint_needs_the_current_code_from_a_confirmed_device(make_user, role):
    user = make_user(role)
    device = _confirmed_device(user)
    api = APIClient()
    assert _token(api, user.username).status_code == 401
    assert _token(api, user.username, otp="not-a-code").status_code == 401
    device.refresh_from_db()
    device.throttle_reset()
    response = _token(api, user.username, otp=_code(device))
    assert response.status_code == 200, response.json()
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get("/api/v1/users/me/").status_code == 200


@override_settings(REQUIRE_TWO_FACTOR=True)
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_an_unverified_browser_session_cannot_use_the_api(client, make_user, role):
    user = make_user(role)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert "_auth_user_id" in client.session  # signed in with the password, not yet verified
    response = client.get("/api/v1/users/me/")
    assert response.status_code in (401, 403)
    assert "Two-factor" in response.json()["detail"]


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_a_verified_browser_session_can_use_the_api(client, make_user):
    user = make_user("service_manager")
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    client.get(reverse("two_factor"))  # creates the device to set up
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("two_factor"), {"code": _code(device)})
    assert client.get("/api/v1/users/me/").status_code == 200


@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_a_token_issued_earlier_stops_working_for_a_manager_without_a_device_when_two_factor_is_turned_on(
    make_user, role
):
    user = make_user(role)
    api = APIClient()
    token = _token(api, user.username).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/users/me/").status_code == 200
    with override_settings(REQUIRE_TWO_FACTOR=True):
        assert api.get("/api/v1/users/me/").status_code == 401


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_roles_outside_the_two_factor_list_still_get_a_token_with_a_password(make_user):
    user = make_user("social_worker")
    assert _token(APIClient(), user.username).status_code == 200


@override_settings(REQUIRE_TWO_FACTOR=False)
@pytest.mark.parametrize("role", TWO_FACTOR_ROLES)
def test_with_two_factor_off_managers_use_pages_and_api_with_a_password(client, make_user, role):
    user = make_user(role)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/users/me/").status_code == 200
    response = _token(APIClient(), user.username)
    assert response.status_code == 200
    assert response.json()["token"]
