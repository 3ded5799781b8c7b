"""The missing-person pack: a PDF with what the police need, written to the access log, only in scope."""

import io
import subprocess
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from casework import services as casework_services
from casework.models import AccessLogEntry
from missing_episodes import services
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def pdf_text(tmp_path, content: bytes) -> str:
    path = tmp_path / "pack.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def png_upload() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), (90, 120, 200)).save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def child(make_child_in_care, worker, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    child = make_child_in_care(
        first_name="Elira",
        last_name="Krasniqi",
        trafficking_status="identified",
        aliases=[{"name": "Ela Krasniki", "kind": "spelling"}],
        height="160 cm",
        distinguishing_marks="Scar on the left hand",
        first_language="Albanian",
        interpreter_required=True,
    )
    casework_services.add_child_part(child=child, part="phone_numbers", by=worker, number="07700 900123")
    casework_services.add_child_part(child=child, part="places_of_concern", by=worker, name="Sunrise Car Wash")
    casework_services.add_child_part(child=child, part="associates", by=worker, name="Mr Dritan", relationship="Adult")
    casework_services.add_child_part(child=child, part="social_media", by=worker, platform="Snapchat", handle="ela22")
    casework_services.add_photo(child=child, by=worker, image=png_upload())
    return child


@pytest.fixture
def episode(child, worker):
    earlier = services.report_missing(child=child, kind="A", started_at=timezone.now() - timedelta(days=20), by=worker)
    services.close_episode(
        episode=earlier,
        by=worker,
        version=earlier.version,
        ended_at=timezone.now() - timedelta(days=19),
        outcome="found",
        found_location="Leeds coach station",
    )
    return services.report_missing(
        child=child,
        kind="M",
        started_at=timezone.now() - timedelta(hours=3),
        by=worker,
        last_seen_location="Northbridge high street",
        police_reference="NP-2024-555",
    )


def test_pack_is_a_pdf_with_what_the_police_need(client, worker, episode, tmp_path):
    client.force_login(worker)
    response = client.get(reverse("episode_pack", args=[episode.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="missing-person-pack-{episode.child.la_child_id}.pdf"'
    )
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(tmp_path, response.content)
    for expected in (
        "Elira Krasniqi",
        "Ela Krasniki",
        "07700 900123",
        "Sunrise Car Wash",
        "Mr Dritan",
        "ela22",
        "Scar on the left hand",
        "NP-2024-555",
        "Northbridge high street",
        "Leeds coach station",
    ):
        assert expected in text, expected
    assert "No photo on record" not in text


def test_each_pack_is_written_to_the_access_log(client, worker, episode):
    client.force_login(worker)
    client.get(reverse("episode_pack", args=[episode.pk]))
    client.get(reverse("episode_pack", args=[episode.pk]))
    entries = AccessLogEntry.objects.filter(object_id=episode.child.pk, action="missing_person_pack")
    assert entries.count() == 2
    assert {e.user_id for e in entries} == {worker.pk}


def test_pack_outside_scope_is_404_and_not_logged(client, episode, other_authority):
    outsider = UserFactory(
        role="social_worker", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )
    client.force_login(outsider)
    assert client.get(reverse("episode_pack", args=[episode.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(action="missing_person_pack").exists()


def test_pack_is_404_for_admins_who_see_no_children(client, make_user, episode):
    client.force_login(make_user("admin"))
    assert client.get(reverse("episode_pack", args=[episode.pk])).status_code == 404
