import pytest
from django.urls import reverse
from rest_framework.test import APIClient

ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]


@pytest.fixture
def api():
    return APIClient()


def test_token_endpoint_returns_a_token_that_authenticates(api, make_user):
    user = make_user("social_worker")
    response = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api.get("/api/v1/users/me/")
    assert me.status_code == 200
    assert me.json()["username"] == user.username


def test_token_endpoint_refuses_a_wrong_password(api, make_user):
    user = make_user("social_worker")
    response = api.post("/api/v1/auth/token/", {"username": user.username, "password": "nope"}, format="json")
    assert response.status_code == 401
    assert "token" not in response.json()


def test_token_endpoint_explains_missing_fields(api, db):
    response = api.post("/api/v1/auth/token/", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


def test_token_endpoint_refuses_a_locked_account(api, make_user, settings):
    user = make_user("social_worker")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.post("/api/v1/auth/token/", {"username": user.username, "password": "bad"}, format="json")
    response = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 429
    assert "locked" in response.json()["detail"]


def test_token_endpoint_does_not_answer_500_to_malformed_json(api, db):
    response = api.generic("POST", "/api/v1/auth/token/", "{not json", content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("role", ROLES)
def test_me_describes_the_caller_for_every_role(api, make_user, role):
    user = make_user(role)
    api.force_authenticate(user)
    body = api.get("/api/v1/users/me/").json()
    assert body["role"] == role
    assert body["id"] == str(user.id)
    assert body["organisation"]["name"] == user.organisation.name
    assert "service_use" in body["permissions"]


def test_me_needs_authentication(api, db):
    assert api.get("/api/v1/users/me/").status_code == 401


def test_openapi_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    body = schema.content.decode()
    assert "/api/v1/users/me/" in body
    assert "/api/v1/auth/token/" in body
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
