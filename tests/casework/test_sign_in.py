import pytest
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_lands_on_the_role_home_page(client, make_user):
    user = make_user("social_worker")
    response = sign_in(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    page = client.get(reverse("home"))
    assert "Your children" in page.content.decode()


def test_home_page_needs_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_password_shows_the_error_summary_and_signs_nobody_in(client, make_user):
    user = make_user("social_worker")
    response = sign_in(client, user.username, "not-the-password")
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html
    assert "<title>Error:" in html
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, make_user, settings):
    user = make_user("social_worker")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, user.username, "wrong-password")
    response = sign_in(client, user.username)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_other_accounts_are_not_locked_by_someone_elses_failures(client, make_user, settings):
    victim = make_user("social_worker")
    colleague = make_user("social_worker")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, victim.username, "wrong-password")
    assert sign_in(client, colleague.username).status_code == 302


def test_sign_out_needs_post_and_ends_the_session(client, make_user):
    user = make_user("team_manager")
    client.force_login(user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_session_expires_after_inactivity(settings):
    assert settings.SESSION_ENGINE == "casework.sessions"  # pushes the expiry on as people use the service
    assert "casework.sessions.IdleTimeoutSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_pages_send_a_content_security_policy_without_unsafe_inline(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_passwords_are_validated(make_user):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("short")
    with pytest.raises(ValidationError):
        validate_password("password1234")


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_two_factor_is_enforced_for_managers_when_the_setting_is_on(client, make_user):
    manager = make_user("team_manager")
    sign_in(client, manager.username)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor")

    setup = client.get(reverse("two_factor"))
    assert "Set up" in setup.content.decode()
    device = TOTPDevice.objects.get(user=manager)
    wrong = client.post(reverse("two_factor"), {"code": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert "The code is not right" in wrong.content.decode()

    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down guessing after a wrong code
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("two_factor"), {"code": code})
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


@override_settings(REQUIRE_TWO_FACTOR=True)
def test_two_factor_is_not_demanded_of_social_workers(client, make_user):
    worker = make_user("social_worker")
    sign_in(client, worker.username)
    assert client.get(reverse("home")).status_code == 200


def test_two_factor_is_off_by_default(client, make_user):
    manager = make_user("service_manager")
    sign_in(client, manager.username)
    assert client.get(reverse("home")).status_code == 200
