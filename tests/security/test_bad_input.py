"""Bad input everywhere, through the real pages and the API: what a user would notice.

- names in every script (and emoji, combining marks, right-to-left text) are stored, shown and found intact;
- a field that is too long gets a clear message and changes nothing;
- HTML and <script> in any text field is shown escaped on every page that displays it;
- malformed dates and codes get clear messages and save nothing;
- a photo that is not an image, or is too large, is refused with a clear message;
- cells starting with = + - @ are neutralised in every export (the SSDA903 files, Annex A, the summary CSV).
"""

import csv
import io
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from advocates import services as advocate_services
from casework.models import Child, PeriodOfCare, Photo, Placement
from missing_episodes import services as episode_services
from missing_episodes.models import MissingEpisode
from tests.factories import AdvocacyServiceFactory
from tests.factories.children import child_in_care, make_child

pytestmark = pytest.mark.django_db

# (first name, last name, a search term a colleague would type)
NAMES = {
    "vietnamese": ("Nguyễn Thị", "Hương", "Nguyen"),
    "arabic": ("مُحَمَّد", "عبد الرحمن", "عبد الرحمن"),
    "tigrinya": ("ሰላም", "ተስፋየ", "ሰላም"),
    "pashto": ("زرغونه", "نوري", "زرغونه"),
    "chinese": ("小明", "王", "小明"),
    "emoji": ("Ellie 🌟", "Whitmore 💙", "Whitmore"),
    "combining": ("Zoe\u0308", "Ame\u0301lie", "Zoe"),
    "right_to_left_mark": ("\u200fאבי", "כהן\u200f", "כהן"),
}
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
ESCAPED_IMG = "&lt;img src=x onerror=alert(1)&gt;"
INJECTIONS = ["=HYPERLINK(1)", "+SUM(1)", "-SUM(1)", "@SUM(1)"]


@pytest.fixture
def worker(make_user):
    return make_user("social_worker", first_name="Sarah", last_name="Okafor")


@pytest.fixture
def manager(make_user):
    return make_user("team_manager")


@pytest.fixture
def api(worker):
    client = APIClient()
    client.force_authenticate(worker)
    return client


def signed_in(client, user):
    client.force_login(user)
    return client


def identity_data(team, **overrides) -> dict:
    data = {
        "la_child_id": "BAD001",
        "first_name": "Selam",
        "last_name": "Tesfaye",
        "preferred_name": "",
        "sex": "M",
        "date_of_birth_day": "3",
        "date_of_birth_month": "4",
        "date_of_birth_year": "2010",
        "ethnicity": "BAFR",
        "upn": "",
        "nationality": "Eritrean",
        "first_language": "Tigrinya",
        "team": str(team.pk),
        "confirm_not_duplicate": "on",
    }
    data.update(overrides)
    return data


def api_child(team, **overrides) -> dict:
    data = {
        "la_child_id": "API001",
        "first_name": "Selam",
        "last_name": "Tesfaye",
        "sex": "M",
        "date_of_birth": "2010-04-03",
        "ethnicity": "BAFR",
        "team": str(team.pk),
    }
    data.update(overrides)
    return data


def html_of(response) -> str:
    return response.content.decode()


# --- Names in every script -------------------------------------------------------------------------


@pytest.mark.parametrize("script", NAMES)
def test_a_name_in_any_script_is_stored_shown_and_found_through_the_pages(client, worker, team, script):
    first, last, term = NAMES[script]
    signed_in(client, worker)
    response = client.post(reverse("child_create"), identity_data(team, first_name=first, last_name=last), follow=True)
    assert "Child added" in html_of(response)
    child = Child.objects.get(la_child_id="BAD001")
    assert (child.first_name, child.last_name) == (first, last)  # exactly as typed, marks and all
    page = html_of(client.get(reverse("child_detail", args=[child.pk])))
    assert first in page and last in page
    results = html_of(client.get(reverse("child_search"), {"q": term}))
    assert reverse("child_detail", args=[child.pk]) in results


@pytest.mark.parametrize("script", NAMES)
def test_a_name_in_any_script_round_trips_and_is_found_through_the_api(api, team, script):
    first, last, term = NAMES[script]
    created = api.post("/api/v1/children/", api_child(team, first_name=first, last_name=last), format="json")
    assert created.status_code == 201, created.json()
    body = api.get(f"/api/v1/children/{created.json()['id']}/").json()
    assert (body["first_name"], body["last_name"]) == (first, last)
    found = api.get("/api/v1/children/", {"q": term}).json()
    assert [row["id"] for row in found["results"]] == [created.json()["id"]]


def test_a_name_typed_composed_is_found_by_its_decomposed_spelling_and_without_marks(api, team):
    composed = unicodedata.normalize("NFC", "Zoë")
    created = api.post("/api/v1/children/", api_child(team, first_name=composed), format="json")
    assert created.status_code == 201
    for term in (unicodedata.normalize("NFD", "Zoë"), "Zoe", "zoë"):
        ids = [row["id"] for row in api.get("/api/v1/children/", {"q": term}).json()["results"]]
        assert ids == [created.json()["id"]], term


def test_aliases_in_their_original_script_are_kept_and_searchable(api, team):
    created = api.post(
        "/api/v1/children/",
        api_child(team, first_name="Mohammed", aliases=[{"name": "مُحَمَّد عبد الرحمن", "kind": "original_script"}]),
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["aliases"] == [{"name": "مُحَمَّد عبد الرحمن", "kind": "original_script"}]
    ids = [row["id"] for row in api.get("/api/v1/children/", {"q": "عبد الرحمن"}).json()["results"]]
    assert ids == [created.json()["id"]]


# --- Very long input ---------------------------------------------------------------------------------


def test_a_name_that_is_too_long_gets_a_clear_message_on_the_page_and_nothing_is_saved(client, worker, team):
    response = signed_in(client, worker).post(reverse("child_create"), identity_data(team, first_name="A" * 201))
    assert response.status_code == 400
    assert "First name must be 200 characters or fewer" in html_of(response)
    assert not Child.objects.exists()


def test_a_change_that_is_too_long_changes_nothing(client, worker, team):
    child = make_child(by=worker, organisation=worker.organisation, team=team, first_name="Selam")
    signed_in(client, worker)
    data = identity_data(team, la_child_id=child.la_child_id, first_name="B" * 5000, version=str(child.version))
    response = client.post(reverse("child_edit_identity", args=[child.pk]), data)
    assert response.status_code == 400
    assert "First name must be 200 characters or fewer" in html_of(response)
    child.refresh_from_db()
    assert child.first_name == "Selam"
    assert child.version == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("first_name", "A" * 201, "no more than 200 characters"),
        ("la_child_id", "A" * 21, "no more than 20 characters"),
        ("preferred_name", "P" * 100_000, "no more than 200 characters"),
    ],
)
def test_too_long_through_the_api_is_a_400_naming_the_field(api, team, field, value, message):
    response = api.post("/api/v1/children/", api_child(team, **{field: value}), format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert not Child.objects.exists()


def test_a_very_long_search_is_refused_clearly_not_a_crash(client, api, worker):
    page = signed_in(client, worker).get(reverse("child_search"), {"q": "x" * 5000})
    assert page.status_code in (200, 400)
    assert "characters or fewer" in html_of(page) or "too long" in html_of(page)
    response = api.get("/api/v1/children/", {"q": "x" * 5000})
    assert response.status_code == 400
    assert "q" in response.json()


def test_a_too_long_episode_field_is_a_400_and_no_episode_is_opened(api, worker, team):
    child = child_in_care(by=worker, team=team)
    response = api.post(
        "/api/v1/missing-episodes/",
        {
            "child": str(child.pk),
            "kind": "M",
            "started_at": (timezone.now() - timedelta(hours=1)).isoformat(),
            "last_seen_location": "L" * 301,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "last_seen_location" in response.json()
    assert not MissingEpisode.objects.exists()


# --- HTML and <script> shown escaped -----------------------------------------------------------------


def assert_escaped(html: str) -> None:
    assert SCRIPT not in html and IMG not in html
    assert ESCAPED_SCRIPT in html or ESCAPED_IMG in html


@pytest.fixture
def hostile_child(worker, team):
    """A child whose every free-text field holds markup, entered through the services as a user would."""
    child = child_in_care(
        by=worker,
        team=team,
        first_name=f"Selam{SCRIPT}",
        last_name=f"Tesfaye{IMG}",
        preferred_name=SCRIPT,
        nationality=IMG,
        first_language=SCRIPT,
        other_languages=IMG,
        height=SCRIPT[:50],
        build=IMG,
        hair=SCRIPT,
        eyes=IMG,
        distinguishing_marks=SCRIPT,
        clothing_notes=IMG,
        nrm_first_responder=SCRIPT,
        home_office_reference=IMG[:50],
        aliases=[{"name": SCRIPT, "kind": "alias"}],
    )
    return child


def test_markup_in_a_childs_fields_is_escaped_on_the_childs_page(client, worker, hostile_child):
    response = signed_in(client, worker).get(reverse("child_detail", args=[hostile_child.pk]))
    assert response.status_code == 200
    html = html_of(response)
    assert SCRIPT not in html and IMG not in html
    assert ESCAPED_SCRIPT in html and ESCAPED_IMG in html


@pytest.mark.parametrize(
    "url_name", ["child_edit_identity", "child_edit_description", "child_edit_trafficking", "child_history"]
)
def test_markup_is_escaped_on_the_forms_and_history_that_show_it(client, worker, hostile_child, url_name):
    response = signed_in(client, worker).get(reverse(url_name, args=[hostile_child.pk]))
    assert response.status_code == 200
    assert_escaped(html_of(response))


def test_markup_in_names_is_escaped_in_search_results(client, worker, hostile_child):
    html = html_of(signed_in(client, worker).get(reverse("child_search"), {"q": "Selam"}))
    assert reverse("child_detail", args=[hostile_child.pk]) in html
    assert_escaped(html)


def test_markup_typed_in_the_search_box_is_escaped_when_shown_back(client, worker):
    html = html_of(signed_in(client, worker).get(reverse("child_search"), {"q": SCRIPT}))
    assert SCRIPT not in html


def test_markup_in_a_missing_episode_is_escaped_on_the_episode_page_and_the_board(client, worker, hostile_child):
    episode = episode_services.report_missing(
        child=hostile_child,
        kind="M",
        started_at=timezone.now() - timedelta(hours=3),
        by=worker,
        last_seen_location=SCRIPT,
        circumstances=IMG,
        police_force=SCRIPT[:100],
        police_reference=IMG[:50],
    )
    episode_services.add_update(
        episode=episode, by=worker, kind="note", occurred_at=timezone.now(), summary=SCRIPT, actions=IMG
    )
    signed_in(client, worker)
    detail = html_of(client.get(reverse("episode_detail", args=[episode.pk])))
    assert SCRIPT not in detail and IMG not in detail
    assert ESCAPED_SCRIPT in detail and ESCAPED_IMG in detail
    board = client.get(reverse("missing_board"))
    assert board.status_code == 200
    assert_escaped(html_of(board))


def test_markup_in_a_childs_name_is_escaped_in_the_boards_overdue_return_interviews(client, worker, hostile_child):
    episode = episode_services.report_missing(
        child=hostile_child, kind="M", started_at=timezone.now() - timedelta(days=8), by=worker
    )
    episode_services.close_episode(
        episode=episode,
        by=worker,
        version=episode.version,
        ended_at=timezone.now() - timedelta(days=5),
        outcome="found",
    )
    html = html_of(signed_in(client, worker).get(reverse("missing_board")))
    table = html[html.index('id="overdue-return-interviews"') :]
    table = table[: table.index("</table>")]
    assert reverse("episode_detail", args=[episode.pk]) in table
    assert_escaped(table)
    assert "Selam&lt;script&gt;" in table


def test_markup_in_an_advocate_contact_is_escaped(client, worker, manager, team, make_user):
    advocate = make_user("advocate", organisation=AdvocacyServiceFactory())
    child = child_in_care(by=worker, team=team)
    allocation = advocate_services.allocate_advocate(
        child=child,
        advocate=advocate,
        role="direct_worker",
        start_date=timezone.localdate() - timedelta(days=5),
        referral_date=None,
        consent_noted=True,
        by=manager,
    )
    advocate_services.record_contact(
        allocation=allocation, by=advocate, occurred_at=timezone.now(), kind="visit", summary=SCRIPT
    )
    html = html_of(signed_in(client, advocate).get(reverse("child_detail", args=[child.pk])))
    assert SCRIPT not in html


def test_markup_comes_back_verbatim_as_json_data_from_the_api(api, hostile_child):
    response = api.get(f"/api/v1/children/{hostile_child.pk}/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["preferred_name"] == SCRIPT  # data, not markup: the client escapes when it renders


# --- Malformed dates and codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_of_birth_day": "31", "date_of_birth_month": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth_year": "abcd"}, "Date of birth must be a real date"),
        ({"date_of_birth_year": str(date.today().year + 1)}, "Date of birth must be today or in the past"),
        ({"ethnicity": "ZZZZ"}, "Select a valid choice"),
        ({"la_child_id": "AB-12/3"}, "letters and numbers"),
        ({"upn": "NOTAUPN"}, "UPN"),
    ],
)
def test_malformed_dates_and_codes_on_the_page_get_a_clear_message_and_save_nothing(
    client, worker, team, overrides, message
):
    response = signed_in(client, worker).post(reverse("child_create"), identity_data(team, **overrides))
    assert response.status_code == 400
    assert message in html_of(response)
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date_of_birth": "2010-02-31"}, "date_of_birth", "Date has wrong format"),
        ({"date_of_birth": "03/04/2010"}, "date_of_birth", "YYYY-MM-DD"),
        ({"date_of_birth": "99999-01-01"}, "date_of_birth", "Date has wrong format"),
        ({"ethnicity": "ZZZZ"}, "ethnicity", "Enter a valid 903 ethnicity code"),
        ({"sex": "X"}, "sex", "Enter M, F or U"),
        ({"la_child_id": "AB-12/3"}, "la_child_id", "letters and numbers"),
        ({"upn": "NOTAUPN"}, "upn", "UN1 to UN5"),
        ({"trafficking": {"exploitation_types": ["piracy"]}}, "trafficking", "Choose from"),
    ],
)
def test_malformed_dates_and_codes_through_the_api_get_a_clear_400(api, team, overrides, field, message):
    response = api.post("/api/v1/children/", api_child(team, **overrides), format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Child.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"started_at": "yesterday"}, "started_at", "Enter a date and time with its offset"),
        ({"started_at": "2025-02-30T10:00:00+00:00"}, "started_at", "Enter a date and time with its offset"),
        ({"kind": "Z"}, "kind", "Select M"),
        ({"police_risk_level": "extreme"}, "police_risk_level", "Select high, medium, low"),
        ({"child": "not-a-child"}, "child", "no child record"),
    ],
)
def test_malformed_missing_episode_input_gets_a_clear_400_and_opens_nothing(api, worker, team, payload, field, message):
    child = child_in_care(by=worker, team=team)
    data = {"child": str(child.pk), "kind": "M", "started_at": (timezone.now() - timedelta(hours=1)).isoformat()}
    data.update(payload)
    response = api.post("/api/v1/missing-episodes/", data, format="json")
    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not MissingEpisode.objects.exists()


def test_a_care_record_with_an_unknown_code_is_refused_and_nothing_saved(api, worker, team):
    child = make_child(by=worker, organisation=worker.organisation, team=team)
    response = api.post(
        f"/api/v1/children/{child.pk}/periods-of-care/",
        {"start_date": "2024-01-01", "category_of_need": "N9"},
        format="json",
    )
    assert response.status_code == 400
    assert "N1 to N8" in str(response.json()["category_of_need"])
    assert not PeriodOfCare.objects.filter(child=child).exists()


@pytest.mark.parametrize(
    "body",
    ['{"first_name": ', "[1, 2, 3]", '"just a string"', "\udcff", '{"first_name": "\\u0000"}'],
)
def test_unreadable_bodies_are_a_400_not_a_500(api, team, body):
    response = api.generic("POST", "/api/v1/children/", body.encode("utf-8", "surrogatepass"), "application/json")
    assert response.status_code == 400
    assert not Child.objects.exists()


def test_malformed_filters_and_pages_are_a_400_naming_the_parameter(api):
    for params, name in [
        ({"trafficked": "maybe"}, "trafficked"),
        ({"team": "not-a-team"}, "team"),
        ({"page": "abc"}, "page"),
        ({"page_size": "-5"}, "page_size"),
    ]:
        response = api.get("/api/v1/children/", params)
        assert response.status_code == 400, params
        assert name in response.json()


def test_a_malformed_id_in_an_api_path_is_a_json_404(api):
    response = api.get("/api/v1/children/not-a-uuid/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


# --- Photos ------------------------------------------------------------------------------------------

PHOTO_MESSAGE = "The photo must be a JPG or PNG smaller than 5MB"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(fmt: str, size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    return buffer.getvalue()


def big_png() -> bytes:
    """A real PNG over 5MB (random pixels do not compress)."""
    import os

    side = 1400
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=0)
    data = buffer.getvalue()
    assert len(data) > 5 * 1024 * 1024
    return data


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.png", b"%PDF-1.4 a document, not an image", "image/png"),
        ("photo.jpg", b"MZ\x90\x00 an executable", "image/jpeg"),
        ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
        ("photo.gif", None, "image/gif"),
        ("photo.png", b"", "image/png"),
        ("photo.png", "big", "image/png"),
    ],
    ids=["pdf", "exe", "svg", "gif", "empty", "over-5mb"],
)
def test_a_photo_that_is_not_a_small_jpg_or_png_is_refused_and_nothing_saved(
    client, media, worker, team, name, content, content_type
):
    child = make_child(by=worker, organisation=worker.organisation, team=team)
    if content is None:
        content = image_bytes("GIF")
    elif content == "big":
        content = big_png()
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    response = signed_in(client, worker).post(reverse("child_photo_add", args=[child.pk]), {"image": upload})
    assert response.status_code == 400
    html = html_of(response)
    assert PHOTO_MESSAGE in html or "The selected photo is empty" in html
    assert not Photo.objects.exists()
    assert not any(Path(media).rglob("*.*"))


# --- Spreadsheet injection in exports ----------------------------------------------------------------


def assert_neutralised(cells: list[str]) -> None:
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@")) or _is_number(cell), cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _set(obj, **fields) -> None:
    """Store a value as an older record (or an import) might hold it, past today's form validation."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()


@pytest.fixture
def injected_child(worker, team, make_user):
    """A child in care whose text fields that reach the exports start with formula characters."""
    start = date(2024, 5, 1)
    formula_worker = make_user("social_worker", first_name="=HYPERLINK(1)", last_name="@SUM(A1)")
    child = child_in_care(
        by=worker,
        team=team,
        start_date=start,
        allocated_social_worker=formula_worker,
        first_name=INJECTIONS[0],
        last_name=INJECTIONS[1],
        preferred_name=INJECTIONS[2],
        nationality=INJECTIONS[3],
        trafficking_status="identified",
        is_uasc=True,
        arrival_date=start,
    )
    _set(PeriodOfCare.objects.get(child=child), home_postcode="=1+2")
    _set(Placement.objects.get(child=child), postcode="@SUM(A1)", urn="-2+3", carer_reference="+cmd")
    episode_services.report_missing(
        child=child, kind="M", started_at=timezone.make_aware(timezone.datetime(2024, 6, 1, 12)), by=worker
    )
    return child


def _csv_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def test_ssda903_files_neutralise_cells_that_start_with_formula_characters(injected_child, tmp_path):
    from reporting import ssda903

    counts, _ = ssda903.export(organisation=injected_child.organisation, year=2025, directory=tmp_path)
    assert counts["episodes.csv"] >= 1
    episodes = (tmp_path / "episodes.csv").read_text(encoding="utf-8")
    cells = _csv_cells(episodes)
    assert "'=1+2" in cells  # HOME_POST kept, but inert
    assert "'@SUM(A1)" in cells  # PL_POST
    for name in ssda903.FILES:
        assert_neutralised(_csv_cells((tmp_path / name).read_text(encoding="utf-8")))


def test_annex_a_list_neutralises_formula_cells_in_the_csv_and_the_workbook(injected_child, tmp_path):
    annex_a = pytest.importorskip("reporting.annex_a")
    from openpyxl import load_workbook

    annex_a.export(organisation=injected_child.organisation, year=2025, directory=tmp_path)
    cells = _csv_cells((tmp_path / annex_a.CSV_NAME).read_text(encoding="utf-8"))
    assert any(cell.startswith("'=") for cell in cells)  # the allocated worker's name, kept but inert
    assert_neutralised(cells)
    workbook = load_workbook(next(tmp_path.glob("*.xlsx")))
    values = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]
    assert_neutralised(values)
    formulas = [c for sheet in workbook for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_the_trafficking_and_missing_summary_csv_neutralises_formula_cells(client, manager, injected_child):
    response = signed_in(client, manager).get(reverse("trafficking_missing_summary_csv"))
    if response.status_code == 200:
        assert_neutralised(_csv_cells(response.content.decode("utf-8")))
    else:
        assert response.status_code in (302, 400, 403)
