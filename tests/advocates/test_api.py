from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from advocates.models import AdvocateAllocation, ContactRecord

pytestmark = pytest.mark.django_db
ROLES = ["social_worker", "team_manager", "service_manager", "missing_coordinator", "advocate", "data_officer", "admin"]


def client_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_an_advocate_gets_404_for_unallocated_children_and_after_the_allocation_ends(
    make_child_in_care, advocate, allocate
):
    child = make_child_in_care()
    other = make_child_in_care(first_name="Linh", last_name="Tran")
    allocation = allocate(child, advocate)
    api = client_for(advocate)
    assert api.get(f"/api/v1/children/{child.pk}/").status_code == 200
    assert api.get(f"/api/v1/children/{other.pk}/").status_code == 404
    manager_api = client_for(allocation.allocated_by)
    ended = manager_api.patch(
        f"/api/v1/advocate-allocations/{allocation.pk}/", {"end_date": str(timezone.localdate())}, format="json"
    )
    assert ended.status_code == 200
    assert api.get(f"/api/v1/children/{child.pk}/").status_code == 404
    assert api.get("/api/v1/children/").json()["count"] == 0


def test_an_advocate_does_not_see_the_physical_description_which_staff_do(make_child_in_care, advocate, allocate):
    child = make_child_in_care()
    allocation = allocate(child, advocate)
    for_advocate = client_for(advocate).get(f"/api/v1/children/{child.pk}/").json()
    listed = client_for(advocate).get("/api/v1/children/").json()["results"][0]
    for_manager = client_for(allocation.allocated_by).get(f"/api/v1/children/{child.pk}/").json()
    assert "description" not in for_advocate and "description" not in listed  # as on the child's page
    assert for_advocate["trafficking"] == for_manager["trafficking"]
    assert set(for_manager["description"]) >= {"height", "build", "hair", "eyes"}


def test_an_advocate_may_not_edit_the_child(make_child_in_care, advocate, allocate):
    child = make_child_in_care()
    allocate(child, advocate)
    response = client_for(advocate).patch(
        f"/api/v1/children/{child.pk}/", {"first_name": "Changed", "version": child.version}, format="json"
    )
    assert response.status_code == 403
    child.refresh_from_db()
    assert child.first_name != "Changed"


@pytest.mark.parametrize("role", ROLES)
def test_allocating_by_role(make_child_in_care, advocate, make_user, role):
    child = make_child_in_care()
    user = advocate if role == "advocate" else make_user(role)
    response = client_for(user).post(
        "/api/v1/advocate-allocations/",
        {
            "child": str(child.pk),
            "advocate": str(advocate.pk),
            "role": "direct_worker",
            "start_date": str(timezone.localdate()),
        },
        format="json",
    )
    expected = {"team_manager": 201, "service_manager": 201}.get(role)
    if expected:
        assert response.status_code == 201
        assert response.json()["role"] == "direct_worker"
    else:
        # Roles that cannot see the child are told it is not a child they can see; the rest are refused.
        assert response.status_code in (400, 403)
        assert not AdvocateAllocation.objects.exists()


def test_allocation_list_is_scoped(make_child_in_care, advocate, allocate, make_user, other_authority):
    allocate(make_child_in_care(), advocate)
    assert client_for(advocate).get("/api/v1/advocate-allocations/").json()["count"] == 1
    assert client_for(make_user("social_worker")).get("/api/v1/advocate-allocations/").json()["count"] == 1
    outsider = make_user("social_worker", organisation=other_authority, team=None)
    assert client_for(outsider).get("/api/v1/advocate-allocations/").json()["count"] == 0


def test_allocation_detail_404_outside_scope(make_child_in_care, advocate, allocate, make_user, other_authority):
    allocation = allocate(make_child_in_care(), advocate)
    outsider = make_user("team_manager", organisation=other_authority, team=None)
    assert client_for(outsider).get(f"/api/v1/advocate-allocations/{allocation.pk}/").status_code == 404
    assert client_for(outsider).get("/api/v1/advocate-allocations/not-a-uuid/").status_code == 404


def test_an_advocate_cannot_end_their_own_allocation(make_child_in_care, advocate, allocate):
    allocation = allocate(make_child_in_care(), advocate)
    response = client_for(advocate).patch(
        f"/api/v1/advocate-allocations/{allocation.pk}/", {"end_date": str(timezone.localdate())}, format="json"
    )
    assert response.status_code == 403


def test_stale_version_on_ending_is_409(make_child_in_care, advocate, allocate):
    allocation = allocate(make_child_in_care(), advocate)
    api = client_for(allocation.allocated_by)
    response = api.patch(
        f"/api/v1/advocate-allocations/{allocation.pk}/",
        {"end_date": str(timezone.localdate()), "version": 99},
        format="json",
    )
    assert response.status_code == 409
    allocation.refresh_from_db()
    assert allocation.end_date is None


def test_advocate_records_a_contact_through_the_api(make_child_in_care, advocate, allocate):
    allocation = allocate(make_child_in_care(), advocate)
    api = client_for(advocate)
    response = api.post(
        "/api/v1/advocate-contacts/",
        {
            "allocation": str(allocation.pk),
            "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "kind": "visit",
            "summary": "Met at school",
            "duration_minutes": 40,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert api.get("/api/v1/advocate-contacts/").json()["count"] == 1


@pytest.mark.parametrize("role", [r for r in ROLES if r != "advocate"])
def test_staff_cannot_record_advocate_contacts(make_child_in_care, advocate, allocate, make_user, role):
    allocation = allocate(make_child_in_care(), advocate)
    response = client_for(make_user(role)).post(
        "/api/v1/advocate-contacts/",
        {"allocation": str(allocation.pk), "occurred_at": timezone.now().isoformat(), "kind": "call", "summary": "x"},
        format="json",
    )
    assert response.status_code in (400, 403)
    assert not ContactRecord.objects.exists()


def test_bad_contact_input_is_400_not_500(make_child_in_care, advocate, allocate):
    allocation = allocate(make_child_in_care(), advocate)
    response = client_for(advocate).post(
        "/api/v1/advocate-contacts/",
        {"allocation": str(allocation.pk), "occurred_at": "yesterday", "kind": "telepathy", "summary": ""},
        format="json",
    )
    assert response.status_code == 400
    assert {"occurred_at", "kind", "summary"} <= set(response.json())
