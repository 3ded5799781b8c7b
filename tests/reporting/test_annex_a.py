"""Ofsted Annex A list 8 (children in care), hand-computed, for the 12 months 1 April 2024 to 31 March 2025.

L1  boy, UASC, in care from 10 January 2024 (V2, U6, PR1); M 1-3 June 2024 (return interview offered and
    accepted), A 1 July 2024, M 1-2 August 2024 (offered, declined): 2 missing, 1 absent, last: Y / N.
    An M episode in February 2024 is before the 12 months.
L2  girl, two periods of care in the 12 months (the first ended E4A on 1 July 2024); in the second, a
    children's home then an out-of-area long-term foster placement in another authority: 3 placements.
    Never missing: counts 0 and the return interview columns blank.
L3  boy, left care on 30 September 2024 (E13); M 1 September switched to A on 2 September, back on
    4 September with the return interview recorded on the A episode: 1 missing, 1 absent, Y / Y.
L4  in care only before the 12 months: not listed.   O1  another authority's child: not listed.
"""

import csv
import io
import zipfile
from datetime import date, datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from casework import services as cw
from missing_episodes import services as ms
from reporting import annex_a, services
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


def at(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def sw(make_user):
    return make_user("social_worker", first_name="Ngozi", last_name="Adeyemi")


def new_child(authority, team, by, la_id, *, sex="M", dob=date(2010, 3, 15), ethnicity="BAFR", **fields):
    return cw.create_child(
        by=by,
        organisation=authority,
        team=team,
        la_child_id=la_id,
        first_name="Test",
        last_name=la_id,
        sex=sex,
        date_of_birth=dob,
        ethnicity=ethnicity,
        is_mother=False if sex == "F" else None,
        allocated_social_worker=by,
        **fields,
    )


def care(child, by, kind, **fields):
    return cw.add_care_record(child=child, kind=kind, by=by, **fields)


def simple_care(child, by, start, *, end=None, rec="", ls="V2", place="U6", provider="PR1", cin="N8"):
    care(child, by, "periods_of_care", start_date=start, end_date=end, category_of_need=cin, reason_ceased=rec)
    care(child, by, "legal_statuses", start_date=start, end_date=end, code=ls)
    care(child, by, "placements", start_date=start, end_date=end, place=place, provider=provider, postcode="NB1 1AA")


def episode(child, by, kind, start, end=None):
    ep = ms.report_missing(child=child, kind=kind, started_at=start, by=by)
    if end is not None:
        ep = ms.close_episode(episode=ep, by=by, version=ep.version, ended_at=end, outcome="found")
    return ep


@pytest.fixture
def dataset(authority, team, sw, other_authority):
    l1 = new_child(authority, team, sw, "L1", is_uasc=True)
    simple_care(l1, sw, date(2024, 1, 10))
    episode(l1, sw, "M", at(2024, 2, 1, 20), at(2024, 2, 2, 9))
    first = episode(l1, sw, "M", at(2024, 6, 1, 21), at(2024, 6, 3, 9))
    ms.record_return_interview(
        episode=first,
        by=sw,
        offered_at=at(2024, 6, 3, 12),
        accepted=True,
        completed_at=at(2024, 6, 4, 10),
        conducted_by="Missing People",
    )
    episode(l1, sw, "A", at(2024, 7, 1, 20), at(2024, 7, 1, 23))
    last = episode(l1, sw, "M", at(2024, 8, 1, 21), at(2024, 8, 2, 9))
    ms.record_return_interview(
        episode=last, by=sw, offered_at=at(2024, 8, 2, 12), accepted=False, declined_reason="Did not want to talk"
    )

    l2 = new_child(authority, team, sw, "L2", sex="F", dob=date(2008, 11, 20), ethnicity="AOTH")
    simple_care(l2, sw, date(2024, 5, 1), end=date(2024, 7, 1), rec="E4A", cin="N1")
    care(l2, sw, "periods_of_care", start_date=date(2024, 10, 1), category_of_need="N4")
    care(l2, sw, "legal_statuses", start_date=date(2024, 10, 1), code="C2")
    care(
        l2,
        sw,
        "placements",
        start_date=date(2024, 10, 1),
        end_date=date(2024, 12, 1),
        place="K2",
        provider="PR4",
        postcode="NB2 2BB",
        urn="SC123456",
        reason_for_change="CHILD",
    )
    care(
        l2,
        sw,
        "placements",
        start_date=date(2024, 12, 1),
        place="U4",
        provider="PR2",
        postcode="LS1 4AB",
        out_of_area=True,
        host_authority=other_authority,
    )

    l3 = new_child(authority, team, sw, "L3", dob=date(2007, 4, 1), ethnicity="WOTH")
    simple_care(l3, sw, date(2023, 6, 1), end=date(2024, 9, 30), rec="E13")
    missing = episode(l3, sw, "M", at(2024, 9, 1, 21))
    away = ms.reclassify(episode=missing, by=sw, version=missing.version, kind="A", at=at(2024, 9, 2, 10))
    away = ms.close_episode(episode=away, by=sw, version=away.version, ended_at=at(2024, 9, 4, 9), outcome="returned")
    ms.record_return_interview(
        episode=away,
        by=sw,
        offered_at=at(2024, 9, 4, 12),
        accepted=True,
        completed_at=at(2024, 9, 5, 10),
        conducted_by="Barnardo's",
    )

    l4 = new_child(authority, team, sw, "L4")
    simple_care(l4, sw, date(2022, 1, 1), end=date(2023, 12, 1), rec="E4A")

    other_team = TeamFactory(organisation=other_authority)
    stranger = UserFactory(role="social_worker", organisation=other_authority, team=other_team)
    o1 = new_child(other_authority, other_team, stranger, "O1")
    simple_care(o1, stranger, date(2024, 1, 10))


def expected(authority, team, other_authority) -> list[list[str]]:
    blank6 = [""] * 6
    return [
        [
            "L1",
            "a) Male",
            "o) BAFR",
            "15/03/2010",
            "15",
            "Y",
            "",
            "10/01/2024",
            "N8: Absent parenting",
            "N",
            "10/01/2024",
            "V2: Single period of accommodation under section 20",
            *blank6,
            "1",
            "",
            "",
            "10/01/2024",
            "U6: Foster placement with other carer: other",
            "PR1: Own local authority",
            "NB1 1AA",
            "",
            "In",
            authority.name,
            "2",
            "1",
            "Y",
            "N",
            team.name,
            "Ngozi Adeyemi",
        ],
        [
            "L2",
            "b) Female",
            "m) AOTH",
            "20/11/2008",
            "16",
            "N",
            "",
            "01/10/2024",
            "N4: Family in acute stress",
            "Y",
            "01/10/2024",
            "C2: Full care order",
            *blank6,
            "3",
            "",
            "",
            "01/12/2024",
            "U4: Foster placement with other carer: long term",
            "PR2: Other local authority",
            "LS1 4AB",
            "",
            "Out",
            other_authority.name,
            "0",
            "0",
            "",
            "",
            team.name,
            "Ngozi Adeyemi",
        ],
        [
            "L3",
            "a) Male",
            "d) WOTH",
            "01/04/2007",
            "17",
            "N",
            "",
            "01/06/2023",
            "N8: Absent parenting",
            "N",
            "01/06/2023",
            "V2: Single period of accommodation under section 20",
            *blank6,
            "1",
            "30/09/2024",
            "E13: Left care to live with parents, relatives or others with no parental responsibility",
            "01/06/2023",
            "U6: Foster placement with other carer: other",
            "PR1: Own local authority",
            "NB1 1AA",
            "",
            "In",
            authority.name,
            "1",
            "1",
            "Y",
            "Y",
            team.name,
            "Ngozi Adeyemi",
        ],
    ]


def read_csv(path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_the_columns_are_the_34_of_list_8():
    assert len(annex_a.COLUMNS) == 34
    assert annex_a.COLUMNS[0] == "Child Unique ID"
    assert annex_a.COLUMNS[28] == (
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"
    )
    assert annex_a.COLUMNS[29] == (
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months"
    )
    assert annex_a.COLUMNS[30] == "Was the child offered a Return Interview after their last missing episode (Y/N)?"
    assert annex_a.COLUMNS[31] == "Did the child accept a Return Interview after their last missing episode (Y/N)?"
    assert annex_a.COLUMNS[-2:] == ("Allocated Team", "Allocated Worker")


def test_csv_rows_are_hand_computed(authority, team, other_authority, dataset, tmp_path):
    counts, problems = annex_a.export(organisation=authority, year=YEAR, directory=tmp_path)
    assert counts == {"list8.xlsx": 3, "list8.csv": 3}
    assert problems == []
    rows = read_csv(tmp_path / "list8.csv")
    assert rows[0] == list(annex_a.COLUMNS)
    assert rows[1:] == expected(authority, team, other_authority)


def test_the_spreadsheet_has_the_same_rows_with_real_dates_and_numbers(
    authority, team, other_authority, dataset, tmp_path
):
    annex_a.export(organisation=authority, year=YEAR, directory=tmp_path)
    sheet = load_workbook(tmp_path / "list8.xlsx").active
    assert sheet.title == "List 8"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == list(annex_a.COLUMNS)
    assert values[1][3] == datetime(2010, 3, 15) and values[1][4] == 15 and values[1][28] == 2
    as_text = [
        ["" if v is None else v.strftime("%d/%m/%Y") if isinstance(v, datetime) else str(v) for v in row]
        for row in values[1:]
    ]
    assert as_text == expected(authority, team, other_authority)


def test_another_12_months_can_be_asked_for(authority, dataset, tmp_path):
    # The 12 months 1 August 2023 to 31 July 2024: L4 (in care until December 2023) is in them now, and
    # L1's February and June missing episodes and July absence count, but not August's.
    annex_a.export(organisation=authority, year=YEAR, directory=tmp_path, as_at=date(2024, 7, 31))
    rows = {row[0]: row for row in read_csv(tmp_path / "list8.csv")[1:]}
    assert set(rows) == {"L1", "L2", "L3", "L4"}
    assert rows["L4"][19:21] == ["01/12/2023", "E4A: Returned home to parents (planned)"]
    assert rows["L1"][28:32] == ["2", "1", "Y", "Y"]  # February and June; offered and accepted in June
    assert rows["L2"][19:21] == ["01/07/2024", "E4A: Returned home to parents (planned)"]
    assert annex_a.twelve_months_ending(date(2024, 2, 29)) == (date(2023, 3, 1), date(2024, 2, 29))


def test_text_that_would_run_as_a_formula_is_neutralised_in_both_files(authority, make_user, tmp_path):
    evil_team = TeamFactory(organisation=authority, name='=HYPERLINK("http://evil.example","click")')
    worker = make_user("social_worker", team=evil_team, first_name="@SUM(1+1)", last_name="Hoxha")
    child = new_child(authority, evil_team, worker, "INJ1")
    simple_care(child, worker, date(2024, 1, 10))
    annex_a.export(organisation=authority, year=YEAR, directory=tmp_path)

    row = read_csv(tmp_path / "list8.csv")[1]
    assert row[32] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[33] == "'@SUM(1+1) Hoxha"

    sheet = load_workbook(tmp_path / "list8.xlsx").active
    cells = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    for cell in (cells[32], cells[33]):
        assert cell.data_type == "s"
        assert cell.value.startswith("'")
    assert cells[32].value == '\'=HYPERLINK("http://evil.example","click")'
    with zipfile.ZipFile(tmp_path / "list8.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_return_interview_flags_follow_a_reclassified_chain():
    flags = annex_a.return_interview_flags
    offered = at(2024, 9, 4, 12)
    assert flags([]) == ("", "")
    assert flags([("A", "found", offered, True)]) == ("", "")
    assert flags([("M", "found", None, None)]) == ("N", "")
    assert flags([("M", "", None, None)]) == ("N", "")  # still missing
    assert flags([("M", "found", offered, None)]) == ("Y", "")
    assert flags([("M", "reclassified", None, None), ("A", "returned", offered, False)]) == ("Y", "N")
    assert flags([("M", "found", offered, True), ("A", "found", None, None)]) == ("Y", "Y")


def test_a_gap_in_care_history_is_listed_as_a_problem(authority, team, sw, tmp_path):
    child = new_child(authority, team, sw, "GAP1")
    care(child, sw, "periods_of_care", start_date=date(2024, 5, 1), category_of_need="N8")
    counts, problems = annex_a.export(organisation=authority, year=YEAR, directory=tmp_path)
    assert counts["list8.csv"] == 1
    assert {(p["child"], p["field"]) for p in problems} == {("GAP1", "legal status"), ("GAP1", "placement")}


def test_api_post_queues_list_8_and_the_run_completes_with_both_files(authority, dataset, make_user):
    officer = make_user("data_officer")
    client = APIClient()
    client.force_authenticate(officer)
    response = client.post("/api/v1/returns/", {"kind": "annex_a_list8", "year": YEAR}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["kind"] == "annex_a_list8"
    run_id = response.json()["id"]
    services.generate(run_id)
    body = client.get(f"/api/v1/returns/{run_id}/").json()
    assert (body["status"], body["progress"]) == ("done", 100)
    assert [(f["name"], f["rows"]) for f in body["files"]] == [("list8.xlsx", 3), ("list8.csv", 3)]
    assert body["validation"]["errors"] == 0
    xlsx = client.get(body["files"][0]["url"])
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert workbook.active.max_row == 4
    text = b"".join(client.get(body["files"][1]["url"]).streaming_content).decode("utf-8")
    assert text.splitlines()[0].startswith("Child Unique ID,Gender,Ethnicity,")


def test_the_returns_page_runs_list_8_and_shows_its_files(client, authority, dataset, make_user):
    officer = make_user("data_officer")
    client.force_login(officer)
    response = client.post("/returns/", {"kind": "annex_a_list8", "year": YEAR})
    assert response.status_code == 302
    run = services.generate(response["Location"].rstrip("/").split("/")[-1])
    assert run.status == "done", run.error
    page = client.get(response["Location"]).content.decode()
    assert "list8.xlsx" in page and "list8.csv" in page
    download = client.get(f"/returns/{run.pk}/files/list8.xlsx")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")  # a zip: the spreadsheet
