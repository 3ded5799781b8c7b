"""Time-based one-time codes (django-otp TOTP) for two-factor sign-in."""

import base64

from django.conf import settings
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def device_for(user) -> tuple[TOTPDevice, bool]:
    """The user's confirmed device, or an unconfirmed one to set up (created once, reused until confirmed)."""
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        return confirmed, False
    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=False, defaults={"name": "Authenticator"})
    return device, True


def base32_secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def verify(request, device: TOTPDevice, code: str) -> bool:
    if not device.verify_token(code):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    return True


def required_for(user) -> bool:
    """Whether this user must sign in with a second factor (REQUIRE_TWO_FACTOR on and a listed role)."""
    return bool(
        settings.REQUIRE_TWO_FACTOR
        and user is not None
        and user.is_authenticated
        and user.role in settings.TWO_FACTOR_ROLES
    )


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify_code_without_session(user, code: str) -> bool:
    """Check a code against the user's confirmed device (the API's token exchange: there is no session)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device is not None and bool(code) and device.verify_token(code)
