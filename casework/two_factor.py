"""Time-based one-time codes (django-otp TOTP) for two-factor sign-in."""

import base64

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
