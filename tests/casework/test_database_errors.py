"""A query that fails is a bug of ours (500, the service's error page and a log line); only a database that cannot
be reached is "try again in a few minutes" (503). Real PostgreSQL errors, through the service's own middleware."""

import logging

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
URLCONF = "tests.support.failing_urls"


@pytest.fixture
def client(settings):
    settings.ROOT_URLCONF = URLCONF
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize("kind", ["syntax", "timeout"])
def test_a_query_that_fails_is_the_services_500_page_and_a_log_line_not_try_again_later(client, kind, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get(f"/test-only/failing-query/{kind}/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in body
    assert "try again in a few minutes" not in body.lower() and "Retry-After" not in response
    assert any(r.name == "django.request" and r.levelno == logging.ERROR for r in caplog.records)


def test_an_api_query_that_fails_is_a_json_500(client):
    response = client.get("/api/v1/test-only/failing-query/syntax/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Sorry, there is a problem with the service. It has been logged."}


def test_a_lost_connection_is_a_503_with_retry_after(client, caplog):
    with caplog.at_level(logging.ERROR):
        response = client.get("/test-only/failing-query/terminated/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "try again in a few minutes" in response.content.decode().lower()
    assert any(
        "Database unavailable during GET /test-only/failing-query/terminated/" in r.message for r in caplog.records
    )
    # (Reconnecting on the next request is proven against gunicorn in tests/faults/test_database_restart.py: the
    # test client turns off Django's per-request connection check.)
    connection.close()
