"""The GOV.UK pages for children's records: finding, viewing, adding and changing, history, access log, photos."""

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from casework import services
from casework.models import AccessLogEntry, Child, Photo, Role
from tests.factories import AdvocacyServiceFactory, TeamFactory, UserFactory
from tests.factories.children import make_child, put_in_care


@pytest.fixture
def worker(make_user):
    return make_user(Role.SOCIAL_WORKER, first_name="Sarah", last_name="Okafor")


@pytest.fixture
def manager(make_user):
    return make_user(Role.TEAM_MANAGER)


@pytest.fixture
def child(worker, authority, team):
    return make_child(
        by=worker,
        organisation=authority,
        team=team,
        first_name="Mohammed",
        last_name="Abdelrahman",
        sex="M",
        date_of_birth=date(2009, 5, 15),
        nationality="Sudanese",
        allocated_social_worker=worker,
        aliases=[{"name": "Mo", "kind": "nickname"}],
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def png_bytes(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()


def identity_data(**overrides) -> dict:
    data = {
        "la_child_id": "NEW001",
        "first_name": "Selam",
        "last_name": "Tesfaye",
        "preferred_name": "",
        "alias_1_name": "Selamawit",
        "alias_1_kind": "spelling",
        "sex": "M",
        "date_of_birth_day": "3",
        "date_of_birth_month": "4",
        "date_of_birth_year": "2010",
        "ethnicity": "BAFR",
        "upn": "",
        "nationality": "Eritrean",
        "first_language": "Tigrinya",
    }
    data.update(overrides)
    return data


# --- Pages render for the right people, and not for others ---------------------------------------


@pytest.mark.parametrize(
    "url_name",
    [
        "child_detail",
        "child_history",
        "child_edit_identity",
        "child_edit_description",
        "child_edit_trafficking",
        "child_edit_uasc",
    ],
)
def test_child_pages_render_for_a_social_worker(client, worker, child, url_name):
    response = signed_in(client, worker).get(reverse(url_name, args=[child.pk]))
    assert response.status_code == 200
    assert "Mohammed" in response.content.decode()


@pytest.mark.parametrize("kind", ["periods-of-care", "legal-statuses", "placements"])
def test_care_record_forms_render(client, worker, child, kind):
    response = signed_in(client, worker).get(reverse("care_record_add", args=[child.pk, kind]))
    assert response.status_code == 200


@pytest.mark.parametrize("part", ["phone-numbers", "social-media", "associates", "places-of-concern"])
def test_part_forms_render(client, worker, child, part):
    response = signed_in(client, worker).get(reverse("child_part_add", args=[child.pk, part]))
    assert response.status_code == 200


def test_unknown_care_kind_is_not_found(client, worker, child):
    response = signed_in(client, worker).get(f"/children/{child.pk}/care/episodes/new/")
    assert response.status_code == 404


def test_search_and_create_pages_render(client, worker):
    signed_in(client, worker)
    assert client.get(reverse("child_search")).status_code == 200
    assert client.get(reverse("child_create")).status_code == 200


def test_summary_shows_sections_tags_and_change_links(client, worker, child):
    services.update_child(
        child=child, by=worker, version=child.version, trafficking_status="suspected", is_uasc=True, restricted=True
    )
    put_in_care(child, by=worker, start_date=date(2024, 1, 1), postcode="NB1 1AA")
    html = signed_in(client, worker).get(reverse("child_detail", args=[child.pk])).content.decode()
    for text in ("Identity", "Trafficking and the NRM", "Asylum and UASC", "Care history", "Placements"):
        assert text in html
    for tag in ("Trafficked", "UASC", "Restricted"):
        assert f">{tag}</strong>" in html
    assert "Mo (nickname)" in html
    assert reverse("child_edit_identity", args=[child.pk]) in html


def test_data_officer_sees_the_record_without_change_links(client, make_user, child):
    officer = make_user(Role.DATA_OFFICER)
    response = signed_in(client, officer).get(reverse("child_detail", args=[child.pk]))
    assert response.status_code == 200
    assert reverse("child_edit_identity", args=[child.pk]) not in response.content.decode()
    assert client.get(reverse("child_edit_identity", args=[child.pk])).status_code == 403
    assert client.get(reverse("child_create")).status_code == 403


def test_child_in_another_authority_is_not_found(client, child, other_authority):
    outsider = UserFactory(role=Role.SOCIAL_WORKER, organisation=other_authority)
    signed_in(client, outsider)
    assert client.get(reverse("child_detail", args=[child.pk])).status_code == 404
    assert client.get(reverse("child_edit_identity", args=[child.pk])).status_code == 404
    assert client.get(reverse("child_history", args=[child.pk])).status_code == 404
    html = client.get(reverse("child_search"), {"q": "Mohammed"}).content.decode()
    assert reverse("child_detail", args=[child.pk]) not in html


def test_restricted_child_is_hidden_from_an_unallocated_worker(client, make_user, worker, child):
    services.update_child(child=child, by=worker, version=child.version, restricted=True)
    colleague = make_user(Role.SOCIAL_WORKER)
    signed_in(client, colleague)
    assert client.get(reverse("child_detail", args=[child.pk])).status_code == 404
    html = client.get(reverse("child_search"), {"q": "Mohammed"}).content.decode()
    assert "No children match" in html
    assert "Abdelrahman" not in html


def test_advocate_without_allocation_cannot_open_the_child(client, child):
    advocate = UserFactory(role=Role.ADVOCATE, organisation=AdvocacyServiceFactory())
    assert signed_in(client, advocate).get(reverse("child_detail", args=[child.pk])).status_code == 404


def test_administrator_cannot_search_children(client, make_user):
    admin = make_user(Role.ADMIN)
    assert signed_in(client, admin).get(reverse("child_search")).status_code == 403


def test_pages_need_sign_in(client, child):
    response = client.get(reverse("child_detail", args=[child.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Search --------------------------------------------------------------------------------------


def test_search_finds_a_child_by_a_misspelt_name(client, worker, child):
    html = signed_in(client, worker).get(reverse("child_search"), {"q": "Mohamed"}).content.decode()
    assert reverse("child_detail", args=[child.pk]) in html


def test_search_by_child_id_and_filters(client, worker, authority, team, child):
    other = make_child(by=worker, organisation=authority, team=team, trafficking_status="identified")
    signed_in(client, worker)
    html = client.get(reverse("child_search"), {"q": child.la_child_id}).content.decode()
    assert reverse("child_detail", args=[child.pk]) in html
    html = client.get(reverse("child_search"), {"trafficked": "on"}).content.decode()
    assert reverse("child_detail", args=[other.pk]) in html
    assert reverse("child_detail", args=[child.pk]) not in html


def test_search_results_show_each_childs_details_and_what_matters_most(client, worker, authority, team):
    from missing_episodes import services as episode_services

    missing = make_child(
        by=worker,
        organisation=authority,
        team=team,
        first_name="Selamawit",
        last_name="Tesfaye",
        preferred_name="Selam",
        date_of_birth=date(2010, 1, 3),
        dob_estimated=True,
        trafficking_status="identified",
        is_uasc=True,
        restricted=True,
        allocated_social_worker=worker,
    )
    other = make_child(by=worker, organisation=authority, team=team, first_name="Senait", last_name="Tesfaye")
    put_in_care(missing, by=worker)
    episode_services.report_missing(child=missing, kind="M", started_at=timezone.now() - timedelta(hours=2), by=worker)

    html = signed_in(client, worker).get(reverse("child_search"), {"q": "Tesfaye"}).content.decode()

    assert "2 children" in html  # counted once each, whether missing or not
    rows = {
        pk: html.split(f'href="{reverse("child_detail", args=[pk])}"')[1].split("</tr>")[0]
        for pk in (missing.pk, other.pk)
    }
    assert ">Selamawit Tesfaye (Selam)</a>" in rows[missing.pk]
    assert missing.la_child_id in rows[missing.pk]
    assert "3 Jan 2010" in rows[missing.pk] and "(estimated)" in rows[missing.pk]
    for tag in ("Missing now", "Trafficked", "UASC", "Restricted"):
        assert tag in rows[missing.pk]
        assert tag not in rows[other.pk]
    assert "(estimated)" not in rows[other.pk]


def test_search_with_no_match_suggests_what_to_try(client, worker, child):
    html = signed_in(client, worker).get(reverse("child_search"), {"q": "Zzyzx"}).content.decode()
    assert "No children match ‘Zzyzx’" in html
    assert "check the spelling" in html


def test_search_without_a_query_shows_the_team(client, worker, child, team):
    html = signed_in(client, worker).get(reverse("child_search")).content.decode()
    assert f"Children in {team.name}" in html
    assert reverse("child_detail", args=[child.pk]) in html


def test_search_does_not_write_the_query_to_the_access_log(client, worker, child):
    signed_in(client, worker).get(reverse("child_search"), {"q": "Mohammed"})
    assert not AccessLogEntry.objects.filter(detail__icontains="Mohammed").exists()


# --- Access log ----------------------------------------------------------------------------------


def test_viewing_a_child_writes_the_access_log(client, worker, child):
    signed_in(client, worker).get(reverse("child_detail", args=[child.pk]))
    entry = AccessLogEntry.objects.get(object_id=child.pk)
    assert (entry.user, entry.action, entry.object_type) == (worker, "view", "child")


def test_managers_read_the_access_log_and_workers_may_not(client, worker, manager, child):
    signed_in(client, worker).get(reverse("child_detail", args=[child.pk]))
    assert client.get(reverse("child_access_log", args=[child.pk])).status_code == 403
    response = signed_in(client, manager).get(reverse("child_access_log", args=[child.pk]))
    assert response.status_code == 200
    assert "Sarah Okafor" in response.content.decode()


# --- Adding a child ------------------------------------------------------------------------------


def test_add_a_child(client, worker, team):
    response = signed_in(client, worker).post(reverse("child_create"), identity_data(team=team.pk), follow=True)
    child = Child.objects.get(la_child_id="NEW001")
    assert response.redirect_chain[-1][0] == reverse("child_detail", args=[child.pk])
    assert "Child added" in response.content.decode()
    assert list(child.aliases.values_list("name", "kind")) == [("Selamawit", "spelling")]
    assert child.history.first().history_user == worker


def test_add_a_child_with_errors_shows_the_summary_and_saves_nothing(client, worker, team):
    data = identity_data(team=team.pk, first_name="", date_of_birth_month="", sex="F")
    response = signed_in(client, worker).post(reverse("child_create"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html
    assert "<title>Error:" in html
    assert "Enter a first name" in html
    assert "Date of birth must include a month" in html
    assert not Child.objects.exists()


def test_service_rules_come_back_on_the_right_field(client, worker, team):
    response = signed_in(client, worker).post(reverse("child_create"), identity_data(team=team.pk, sex="F"))
    assert response.status_code == 400
    assert "Select whether she is a mother" in response.content.decode()
    assert not Child.objects.exists()


def test_a_possible_duplicate_must_be_confirmed(client, worker, team, child):
    data = identity_data(
        team=team.pk,
        first_name="Mohamed",
        last_name="Abdelrahman",
        date_of_birth_day="15",
        date_of_birth_month="5",
        date_of_birth_year="2009",
    )
    signed_in(client, worker)
    response = client.post(reverse("child_create"), data)
    html = response.content.decode()
    assert "A child with a similar name and the same date of birth already exists" in html
    assert reverse("child_detail", args=[child.pk]) in html
    assert Child.objects.count() == 1

    response = client.post(reverse("child_create"), {**data, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Child.objects.count() == 2


# --- Changing the record -------------------------------------------------------------------------


def test_change_trafficking_details(client, worker, child):
    data = {
        "version": child.version,
        "trafficking_status": "identified",
        "exploitation_types": ["criminal", "county_lines"],
        "nrm_referral_date_day": "1",
        "nrm_referral_date_month": "2",
        "nrm_referral_date_year": "2025",
        "reasonable_grounds": "pending",
        "conclusive_grounds": "",
    }
    response = signed_in(client, worker).post(reverse("child_edit_trafficking", args=[child.pk]), data)
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.is_trafficked
    assert child.nrm_referral_date == date(2025, 2, 1)
    assert child.exploitation_types == ["criminal", "county_lines"]


def test_stale_version_shows_the_conflict_and_changes_nothing(client, worker, child):
    old_version = child.version
    services.update_child(child=child, by=worker, version=old_version, nationality="Sudanese")
    data = {"version": old_version, "height": "1.7m", "build": "", "hair": "", "eyes": ""}
    response = signed_in(client, worker).post(reverse("child_edit_description", args=[child.pk]), data)
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    child.refresh_from_db()
    assert child.height == ""


def test_only_managers_may_restrict_a_record(client, worker, manager, child):
    signed_in(client, worker)
    assert 'name="restricted"' not in client.get(reverse("child_edit_identity", args=[child.pk])).content.decode()
    signed_in(client, manager)
    assert 'name="restricted"' in client.get(reverse("child_edit_identity", args=[child.pk])).content.decode()


def test_add_and_change_a_care_record(client, worker, child):
    signed_in(client, worker)
    url = reverse("care_record_add", args=[child.pk, "periods-of-care"])
    data = {"start_date_day": "1", "start_date_month": "1", "start_date_year": "2024", "category_of_need": "N1"}
    assert client.post(url, data).status_code == 302
    period = child.periods_of_care.get()
    edit = reverse("care_record_edit", args=[child.pk, "periods-of-care", period.pk])
    ended = {**data, "version": period.version, "end_date_day": "1", "end_date_month": "6", "end_date_year": "2024"}
    response = client.post(edit, ended)
    assert response.status_code == 400
    assert "Select the reason the period of care ended" in response.content.decode()
    assert client.post(edit, {**ended, "reason_ceased": "E4A"}).status_code == 302
    period.refresh_from_db()
    assert period.end_date == date(2024, 6, 1)


def test_add_a_phone_number(client, worker, child):
    url = reverse("child_part_add", args=[child.pk, "phone-numbers"])
    response = signed_in(client, worker).post(url, {"number": "07700 900123", "notes": ""}, follow=True)
    assert "Phone number added" in response.content.decode()
    assert "07700 900123" in response.content.decode()


# --- History -------------------------------------------------------------------------------------


def test_history_shows_who_changed_a_field_from_what_to_what(client, worker, manager, child):
    services.update_child(child=child, by=manager, version=child.version, nationality="South Sudanese")
    html = signed_in(client, worker).get(reverse("child_history", args=[child.pk])).content.decode()
    assert manager.get_full_name() in html
    assert "<strong>Nationality</strong>: Sudanese → South Sudanese" in html
    assert "Added: Other name: Mo" in html


# --- Photos --------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_and_view_a_photo(client, media, worker, child):
    signed_in(client, worker)
    upload = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = client.post(reverse("child_photo_add", args=[child.pk]), {"image": upload})
    assert response.status_code == 302
    photo = Photo.objects.get(child=child)
    response = client.get(reverse("child_photo", args=[child.pk, photo.pk]))
    assert response.status_code == 200
    assert {d.strip() for d in response["Cache-Control"].split(",")} == {"private", "no-store"}
    assert b"".join(response.streaming_content) == png_bytes()


def test_a_file_that_is_not_an_image_is_rejected(client, media, worker, child):
    upload = SimpleUploadedFile("me.png", b"%PDF-1.4 not an image", content_type="image/png")
    response = signed_in(client, worker).post(reverse("child_photo_add", args=[child.pk]), {"image": upload})
    assert response.status_code == 400
    assert "The photo must be a JPG or PNG smaller than 5MB" in response.content.decode()
    assert not Photo.objects.exists()


def test_photo_is_not_found_outside_scope(client, media, worker, child, other_authority):
    photo = services.add_photo(
        child=child, by=worker, image=SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    )
    outsider = UserFactory(role=Role.SOCIAL_WORKER, organisation=other_authority)
    assert signed_in(client, outsider).get(reverse("child_photo", args=[child.pk, photo.pk])).status_code == 404
    other_team = TeamFactory(organisation=child.organisation)
    other_child = make_child(by=worker, organisation=child.organisation, team=other_team)
    signed_in(client, worker)
    assert client.get(reverse("child_photo", args=[other_child.pk, photo.pk])).status_code == 404
