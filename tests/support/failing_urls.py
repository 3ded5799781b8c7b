"""Routes that run a query PostgreSQL refuses, for the tests of what a user sees when that happens.

Mounted with the service's own URLs (so its handlers, middleware and error pages answer), under a test-only prefix.
"""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config.urls import handler404, handler500  # noqa: F401 - Django reads them
from config.urls import urlpatterns as service_urlpatterns

FAILING_SQL = {
    "syntax": "SELEC 1",  # ProgrammingError 42601: a bug of ours
    "timeout": "SET LOCAL statement_timeout = 10; SELECT pg_sleep(1)",  # OperationalError 57014: query cancelled
    "terminated": "SELECT pg_terminate_backend(pg_backend_pid())",  # OperationalError 57P01: connection lost
}


def run_failing_query(request, kind):
    with connection.cursor() as cursor:
        cursor.execute(FAILING_SQL[kind])
    return HttpResponse("not reached")


urlpatterns = [
    path("test-only/failing-query/<str:kind>/", run_failing_query),
    path("api/v1/test-only/failing-query/<str:kind>/", run_failing_query),
    *service_urlpatterns,
]
