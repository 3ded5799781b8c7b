"""Managers allocate and end allocations from the child's page; advocates record contacts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from advocates.models import AdvocateAllocation

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
