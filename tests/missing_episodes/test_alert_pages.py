"""The alert pages: "My alerts", one alert with who acknowledged it, acknowledging, and the header count."""

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from missing_episodes import services
from missing_episodes.models import Acknowledgement, Alert
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

ALERTS_URL = "/alerts/"
BANNER = "You have acknowledged this alert"
HEADER_LINK = re.compile(r'<a class="govuk-service-navigation__link" href="/alerts/">\s*Alerts \((\d+)\)\s*</a>')


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(alert) -> str:
    return f"/alerts/{alert.pk}/"


def ack_url(alert) -> str:
    return f"/alerts/{alert.pk}/acknowledge/"


def header_count(response) -> int | None:
    match = HEADER_LINK.search(response.content.decode())
    return int(match.group(1)) if match else None


def acknowledgements_section(response) -> str:
    html = response.content.decode()
    match = re.search(r'<(ul|p) class="govuk-[a-z]+" id="acknowledgements">(.*?)</\1>', html, re.S)
    assert match, "no element with id=acknowledgements"
    return match.group(2)


@pytest.fixture
def manager(make_user):
    return make_user("team_manager", first_name="Bridget", last_name="Okonkwo")


@pytest.fixture
def child(make_child_in_care):
    return make_child_in_care(trafficking_status="identified", first_name="Elira", last_name="Krasniqi")


@pytest.fixture
def alert(child, worker, manager):
    episode = services.report_missing(child=child, kind="M", started_at=timezone.now() - timedelta(hours=1), by=worker)
    return Alert.objects.get(episode=episode)


# --- My alerts ------------------------------------------------------------------------------------


def test_my_alerts_lists_the_alerts_addressed_to_me(alert, worker):
    response = client_for(worker).get(ALERTS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">My alerts</h1>' in html
    assert "Elira Krasniqi" in html
    assert alert.child.la_child_id in html
    assert detail_url(alert) in html
    assert "View and acknowledge" in html
    assert "Waiting for acknowledgement" in html


def test_my_alerts_is_empty_for_a_worker_with_none(alert, make_user):
    colleague = make_user("social_worker")
    response = client_for(colleague).get(ALERTS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "You have no alerts" in html
    assert "Elira Krasniqi" not in html
    assert detail_url(alert) not in html


def test_my_alerts_never_shows_another_authoritys_alert(alert, other_authority):
    outsider = UserFactory(
        role="team_manager", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )
    html = client_for(outsider).get(ALERTS_URL).content.decode()
    assert "You have no alerts" in html
    assert detail_url(alert) not in html


def test_my_alerts_says_which_alerts_i_acknowledged_myself(alert, worker, manager):
    client_for(manager).post(ack_url(alert), {"note": ""})
    mine = client_for(manager).get(ALERTS_URL).content.decode()
    assert "You acknowledged it" in mine
    assert "View and acknowledge" not in mine
    theirs = client_for(worker).get(ALERTS_URL).content.decode()  # someone else acknowledged it
    assert detail_url(alert) in theirs
    assert "You acknowledged it" not in theirs
    assert "View and acknowledge" in theirs


def test_my_alerts_status_filter(alert, worker, manager):
    client_for(manager).post(ack_url(alert), {"note": ""})
    acknowledged = client_for(worker).get(ALERTS_URL, {"status": "acknowledged"}).content.decode()
    assert detail_url(alert) in acknowledged
    open_ones = client_for(worker).get(ALERTS_URL, {"status": "open"}).content.decode()
    assert detail_url(alert) not in open_ones
    assert "You have no alerts in this state" in open_ones
    # An unknown state is ignored, not an error.
    assert client_for(worker).get(ALERTS_URL, {"status": "bogus"}).status_code == 200


def test_my_alerts_are_paged_newest_first_keeping_the_filter(monkeypatch, alert, worker, make_child_in_care):
    from missing_episodes.alerts import views as alert_views

    monkeypatch.setattr(alert_views, "PAGE_SIZE", 1)
    second = make_child_in_care(trafficking_status="suspected", first_name="Thanh", last_name="Nguyen")
    newer = Alert.objects.get(
        episode=services.report_missing(child=second, kind="M", started_at=timezone.now(), by=worker)
    )
    first_page = client_for(worker).get(ALERTS_URL, {"status": "open"}).content.decode()
    assert detail_url(newer) in first_page and detail_url(alert) not in first_page
    assert 'href="?status=open&amp;page=2"' in first_page  # the next page keeps the filter
    second_page = client_for(worker).get(ALERTS_URL, {"status": "open", "page": "2"}).content.decode()
    assert detail_url(alert) in second_page and detail_url(newer) not in second_page
    assert client_for(worker).get(ALERTS_URL, {"page": "nonsense"}).status_code == 200  # the first page


def test_my_alerts_needs_sign_in(alert):
    response = Client().get(ALERTS_URL)
    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


def test_roles_that_cannot_acknowledge_have_no_alerts_page(alert, make_user):
    assert client_for(make_user("data_officer")).get(ALERTS_URL).status_code == 403


# --- The header -----------------------------------------------------------------------------------


def test_header_shows_the_count_of_my_unacknowledged_alerts_until_i_acknowledge(alert, manager):
    client = client_for(manager)
    assert header_count(client.get("/")) == 1
    assert header_count(client.get(ALERTS_URL)) == 1
    client.post(ack_url(alert), {"note": "On it"})
    assert header_count(client.get("/")) is None
    assert header_count(client.get(ALERTS_URL)) is None
    assert "Alerts (" not in client.get(detail_url(alert)).content.decode()


def test_another_persons_acknowledgement_does_not_clear_my_count(alert, manager, worker):
    client_for(worker).post(ack_url(alert), {"note": ""})
    assert header_count(client_for(manager).get("/")) == 1


def test_no_header_link_for_someone_with_no_alerts(alert, make_user):
    assert header_count(client_for(make_user("social_worker")).get(ALERTS_URL)) is None


def test_the_header_counts_each_unacknowledged_alert(alert, manager, make_child_in_care, worker):
    second = make_child_in_care(first_name="Farid", last_name="Ahmadi")
    services.report_missing(child=second, kind="M", started_at=timezone.now() - timedelta(hours=1), by=worker)
    assert header_count(client_for(manager).get("/")) == 2


# --- One alert and acknowledging ------------------------------------------------------------------


def test_detail_shows_the_alert_its_state_and_nobody_has_acknowledged(alert, manager):
    response = client_for(manager).get(detail_url(alert))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Elira Krasniqi" in html
    assert "Acknowledged by" in html
    assert "Nobody has acknowledged this alert yet." in acknowledgements_section(response)
    assert re.search(r'id="alert-state">\s*Waiting for acknowledgement\s*<', html)
    assert ">Acknowledge</button>" in html
    assert ack_url(alert) in html


def test_acknowledging_shows_a_success_banner_and_my_name(alert, manager):
    client = client_for(manager)
    response = client.post(ack_url(alert), {"note": "Spoken to the police"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(detail_url(alert), 302)]
    html = response.content.decode()
    assert BANNER in html
    assert "govuk-notification-banner--success" in html
    acks = acknowledgements_section(response)
    assert "Bridget Okonkwo" in acks
    assert "Spoken to the police" in acks
    ack = Acknowledgement.objects.get(alert=alert, user=manager)
    when = timezone.localtime(ack.acknowledged_at)
    assert when.strftime("%H:%M") in acks
    assert re.search(r'id="alert-state">\s*Acknowledged\s*<', html)
    assert ">Acknowledge</button>" not in html  # already done
    # The banner is shown once.
    assert BANNER not in client.get(detail_url(alert)).content.decode()


def test_acknowledging_twice_records_one_acknowledgement(alert, manager):
    client = client_for(manager)
    client.post(ack_url(alert), {"note": "first"})
    first = Acknowledgement.objects.get(alert=alert, user=manager)
    response = client.post(ack_url(alert), {"note": "second"}, follow=True)
    assert response.status_code == 200
    assert Acknowledgement.objects.filter(alert=alert).count() == 1
    again = Acknowledgement.objects.get(alert=alert, user=manager)
    assert (again.acknowledged_at, again.note) == (first.acknowledged_at, "first")


def test_everyone_who_acknowledged_is_listed(alert, manager, worker):
    client_for(worker).post(ack_url(alert), {"note": ""})
    client_for(manager).post(ack_url(alert), {"note": ""})
    acks = acknowledgements_section(client_for(manager).get(detail_url(alert)))
    assert worker.get_full_name() in acks
    assert "Bridget Okonkwo" in acks


def test_a_note_that_is_too_long_is_shown_as_an_error(alert, manager):
    response = client_for(manager).post(ack_url(alert), {"note": "x" * 2001})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "<title>Error: " in html
    assert not Acknowledgement.objects.exists()


def test_get_on_the_acknowledge_url_is_405(alert, manager):
    response = client_for(manager).get(ack_url(alert))
    assert response.status_code == 405
    assert not Acknowledgement.objects.exists()


# --- Outside scope --------------------------------------------------------------------------------


def test_outside_scope_is_404_for_the_page_and_for_acknowledging(alert, make_user, other_authority):
    outsider = UserFactory(
        role="team_manager", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )
    not_addressed = make_user("social_worker")
    no_alert_role = make_user("data_officer")
    for user in (outsider, not_addressed, no_alert_role):
        client = client_for(user)
        assert client.get(detail_url(alert)).status_code == 404, user.role
        assert client.post(ack_url(alert), {"note": ""}).status_code == 404, user.role
    assert not Acknowledgement.objects.exists()


def test_an_unknown_alert_is_404(manager):
    client = client_for(manager)
    assert client.get(f"/alerts/{uuid.uuid4()}/").status_code == 404
    assert client.get("/alerts/not-a-uuid/").status_code == 404
    assert client.post("/alerts/not-a-uuid/acknowledge/").status_code == 404


def test_a_signed_out_post_acknowledges_nothing(alert):
    response = Client().post(ack_url(alert), {"note": ""})
    assert response.status_code == 302
    assert not Acknowledgement.objects.exists()


def test_the_header_never_counts_an_alert_the_user_can_no_longer_see(alert, child, manager, make_user):
    """An advocate whose allocation has ended no longer sees the child's alert, so it must not be counted."""
    from advocates import services as advocate_services
    from tests.factories import AdvocacyServiceFactory

    advocate = make_user("advocate", organisation=AdvocacyServiceFactory())
    allocation = advocate_services.allocate_advocate(
        child=child,
        advocate=advocate,
        role="direct_worker",
        start_date=timezone.localdate() - timedelta(days=30),
        by=manager,
    )
    alert.deliveries.create(user=advocate, channel="in_app", created_at=timezone.now())
    client = client_for(advocate)
    assert header_count(client.get("/")) == 1
    assert client.get(detail_url(alert)).status_code == 200

    advocate_services.end_allocation(allocation=allocation, by=manager)
    assert client.get(detail_url(alert)).status_code == 404
    assert "You have no alerts" in client.get(ALERTS_URL).content.decode()
    assert header_count(client.get(ALERTS_URL)) is None
