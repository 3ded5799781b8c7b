"""Managers allocate and end allocations from the child's page; advocates record contacts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advocates import services
from advocates.models import AdvocateAllocation, ContactRecord

pytestmark = pytest.mark.django_db


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_the_child_page_shows_the_guardian_and_nrm_timeline(client, make_child_in_care, advocate, allocate, manager):
    child = make_child_in_care(trafficking_status="identified", nrm_referral_date=timezone.localdate())
    allocate(child, advocate)
    client.force_login(manager)
    html = client.get(reverse("child_detail", args=[child.pk])).content.decode()
    assert str(advocate) in html
    assert "NRM timeline" in html
    assert "End allocation" in html


def test_a_manager_allocates_from_the_child_page(client, make_child_in_care, advocate, manager):
    child = make_child_in_care()
    client.force_login(manager)
    url = reverse("advocate_allocate", args=[child.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"advocate": advocate.pk, "role": "direct_worker", **date_fields("start_date", timezone.localdate())}
    )
    assert response.status_code == 302
    assert AdvocateAllocation.objects.get(child=child).advocate == advocate


def test_allocation_errors_are_shown_and_nothing_saved(client, make_child_in_care, advocate, manager):
    child = make_child_in_care()
    client.force_login(manager)
    response = client.post(
        reverse("advocate_allocate", args=[child.pk]),
        {"advocate": advocate.pk, **date_fields("start_date", timezone.localdate() + timedelta(days=5))},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select direct worker or regional practice coordinator" in html
    assert not AdvocateAllocation.objects.exists()


def test_social_workers_cannot_allocate(client, make_child_in_care, worker):
    child = make_child_in_care()
    client.force_login(worker)
    assert client.get(reverse("advocate_allocate", args=[child.pk])).status_code == 403


def test_a_manager_ends_an_allocation_and_the_advocate_loses_access(
    client, make_child_in_care, advocate, allocate, manager
):
    child = make_child_in_care()
    allocation = allocate(child, advocate)
    client.force_login(manager)
    response = client.post(
        reverse("advocate_allocation_end", args=[allocation.pk]),
        {"version": allocation.version, **date_fields("end_date", timezone.localdate())},
    )
    assert response.status_code == 302
    client.force_login(advocate)
    assert client.get(reverse("child_detail", args=[child.pk])).status_code == 404


def test_an_advocate_cannot_see_another_advocates_contact_form(
    client, make_child_in_care, advocate, allocate, make_user
):
    from tests.factories import AdvocacyServiceFactory

    allocation = allocate(make_child_in_care(), advocate)
    other = make_user("advocate", organisation=AdvocacyServiceFactory())
    client.force_login(other)
    assert client.get(reverse("contact_new", args=[allocation.pk])).status_code == 404


def test_advocates_cannot_open_the_history_or_access_log(client, make_child_in_care, advocate, allocate):
    child = make_child_in_care()
    allocate(child, advocate)
    client.force_login(advocate)
    assert client.get(reverse("child_history", args=[child.pk])).status_code == 403
    assert client.get(reverse("child_access_log", args=[child.pk])).status_code == 403


# --- Ended allocations are out of scope --------------------------------------------------------------


def contact_data(day):
    return {
        "kind": "visit",
        "occurred_at_day": day.day,
        "occurred_at_month": day.month,
        "occurred_at_year": day.year,
        "occurred_at_hour": 10,
        "occurred_at_minute": 0,
        "summary": "Met at the placement.",
    }


def test_an_advocate_records_a_contact_on_an_allocation_in_force(client, make_child_in_care, advocate, allocate):
    child = make_child_in_care(first_name="Yonas")
    allocation = allocate(child, advocate)
    client.force_login(advocate)
    url = reverse("contact_new", args=[allocation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Yonas" in response.content.decode()
    assert client.post(url, contact_data(timezone.localdate() - timedelta(days=1))).status_code == 302
    assert ContactRecord.objects.filter(allocation=allocation).count() == 1


def test_an_ended_allocation_does_not_exist_for_its_advocate(client, make_child_in_care, advocate, allocate, manager):
    child = make_child_in_care(first_name="Yonas")
    allocation = allocate(child, advocate)
    services.end_allocation(allocation=allocation, by=manager, end_date=timezone.localdate())
    client.force_login(advocate)
    url = reverse("contact_new", args=[allocation.pk])
    response = client.get(url)
    assert response.status_code == 404
    assert "Yonas" not in response.content.decode()
    assert client.post(url, contact_data(timezone.localdate() - timedelta(days=1))).status_code == 404
    assert not ContactRecord.objects.exists()


def test_staff_who_can_see_the_allocation_cannot_record_a_contact(
    client, make_child_in_care, advocate, allocate, manager
):
    allocation = allocate(make_child_in_care(), advocate)
    client.force_login(manager)
    assert client.get(reverse("contact_new", args=[allocation.pk])).status_code == 403


# --- Invalid forms answer 400 --------------------------------------------------------------------------


def test_an_invalid_contact_answers_400_and_saves_nothing(client, make_child_in_care, advocate, allocate):
    allocation = allocate(make_child_in_care(), advocate)
    client.force_login(advocate)
    data = {**contact_data(timezone.localdate() - timedelta(days=1)), "summary": "", "kind": ""}
    response = client.post(reverse("contact_new", args=[allocation.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Select the kind of contact" in html
    assert not ContactRecord.objects.exists()


def test_an_invalid_end_date_answers_400_and_the_allocation_goes_on(
    client, make_child_in_care, advocate, allocate, manager
):
    allocation = allocate(make_child_in_care(), advocate)
    client.force_login(manager)
    url = reverse("advocate_allocation_end", args=[allocation.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": allocation.version, "end_date_day": "31", "end_date_month": "2"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    too_early = allocation.start_date - timedelta(days=1)
    response = client.post(url, {"version": allocation.version, **date_fields("end_date", too_early)})
    assert response.status_code == 400
    assert "The end date must be on or after the start date" in response.content.decode()
    allocation.refresh_from_db()
    assert allocation.end_date is None


def test_ending_an_allocation_someone_else_changed_answers_409(client, make_child_in_care, advocate, allocate, manager):
    allocation = allocate(make_child_in_care(), advocate)
    client.force_login(manager)
    response = client.post(
        reverse("advocate_allocation_end", args=[allocation.pk]),
        {"version": allocation.version + 1, **date_fields("end_date", timezone.localdate())},
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    allocation.refresh_from_db()
    assert allocation.end_date is None
