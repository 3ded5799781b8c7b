"""Two-factor enforcement, no caching of signed-in pages, and a kind 503 while the database is unreachable."""

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.urls import reverse

logger = logging.getLogger(__name__)

_EXEMPT_PREFIXES = ("/account/", "/static/", "/api/")


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_TWO_FACTOR
            and user is not None
            and user.is_authenticated
            and user.role in settings.TWO_FACTOR_ROLES
            and not user.is_verified()
            and not request.path.startswith(_EXEMPT_PREFIXES)
        ):
            return redirect(reverse("two_factor"))
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages shown to a signed-in user hold children's details: never cache them (shared council PCs)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store, private"
        return response


# --- The database cannot be reached -----------------------------------------------------------------

RETRY_AFTER_SECONDS = 30
# SQLSTATE class 08 (connection exception) and the server shutting down or starting up (57P01-57P03).
_CONNECTION_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def is_lost_connection(exc: BaseException) -> bool:
    """The database cannot be reached (refused, restarting, connection dropped), as opposed to a query that failed:
    a timeout, a deadlock or a bug is an error of ours (500), not a reason to ask the user to try again later."""
    if isinstance(exc, InterfaceError):
        return True  # "connection already closed"
    if not isinstance(exc, OperationalError):
        return False
    code = getattr(exc.__cause__, "pgcode", None)
    if code is None:
        # psycopg2 gives no SQLSTATE when it has no server to ask: refused, reset, or "server closed the connection".
        return True
    return code.startswith(_CONNECTION_SQLSTATES)


_UNAVAILABLE_API = {
    "detail": "The service is unavailable: try again in a few minutes. A change you were making may not have been "
    "saved: check before making it again."
}


def _database_down(request, exc: BaseException) -> HttpResponse:
    # The class and first line name the fault (connection refused, terminated...): no query, no parameters.
    first_line = (str(exc).strip().splitlines() or [""])[0]
    logger.error(
        "Database unavailable during %s %s: %s: %s", request.method, request.path, type(exc).__name__, first_line
    )
    if request.path.startswith("/api/"):
        response = JsonResponse(_UNAVAILABLE_API, status=503)
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)  # standalone: no DB, no request
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception, dispatch_uid="casework.middleware.database_down")
def _remember_database_down(sender, request=None, **kwargs):
    """Django turns an exception raised in a middleware into a 500 response before the next one out sees it:
    note here (Django sends this signal while handling it) that it was the database, for the middleware below."""
    exc = sys.exc_info()[1]
    if request is not None and exc is not None and is_lost_connection(exc):
        request.database_down = exc


class DatabaseUnavailableMiddleware:
    """PostgreSQL restarting or unreachable: a 503 "Sorry, there is a problem with the service" page (JSON for
    the API) with Retry-After, never a traceback. Nothing to reset afterwards: with CONN_HEALTH_CHECKS, Django
    drops a dead persistent connection at the start of the next request and connects again. Any other database error is
    left to Django: the service's 500 page and the traceback in the log (django.request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        exc = getattr(request, "database_down", None)
        if exc is not None and response.status_code == 500:
            return _database_down(request, exc)
        return response

    def process_exception(self, request, exception):
        if is_lost_connection(exception):
            return _database_down(request, exception)
        return None
