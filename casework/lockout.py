"""What a locked-out account sees: the GOV.UK page in the browser, JSON on the API (HTTP 429)."""

from django.http import JsonResponse
from django.shortcuts import render

LOCKED_MESSAGE = "This account is locked after too many failed sign-in attempts. Try again in 1 hour."


def lockout_response(request, response=None, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": LOCKED_MESSAGE}, status=429)
    return render(request, "registration/locked_out.html", status=429)
