"""SSDA903 files for hand-computed tricky histories (collection year 2025: 1 April 2024 to 31 March 2025)."""

import csv
from datetime import date, datetime

import pytest
from django.utils import timezone

from casework import services as cw
from missing_episodes import services as ms
from reporting import ssda903

pytestmark = pytest.mark.django_db
YEAR = 2025


def at(*args):
    return timezone.make_aware(datetime(*args))


@pytest.fixture
def sw(make_user):
    return make_user("social_worker")


@pytest.fixture
def new_child(authority, team, sw):
    def make(la_id, *, dob=date(2010, 3, 15), sex="M", **fields):
        fields.setdefault("is_mother", False if sex == "F" else None)
        return cw.create_child(
            by=sw,
            organisation=authority,
            team=team,
            la_child_id=la_id,
            first_name="Test",
            last_name=la_id,
            sex=sex,
            date_of_birth=dob,
            ethnicity="BAFR",
            **fields,
        )

    return make


def care(child, by, kind, **fields):
    return cw.add_care_record(child=child, kind=kind, by=by, **fields)


def simple_care(child, by, start, *, end=None, rec="", ls="V2", place="U6", provider="PR1", carer=""):
    care(child, by, "periods_of_care", start_date=start, end_date=end, category_of_need="N8", reason_ceased=rec)
    care(child, by, "legal_statuses", start_date=start, end_date=end, code=ls)
    care(
        child,
        by,
        "placements",
        start_date=start,
        end_date=end,
        place=place,
        provider=provider,
        postcode="NB1 1AA",
        carer_reference=carer,
    )


@pytest.fixture
def files(authority, tmp_path):
    def run():
        counts, problems = ssda903.export(organisation=authority, year=YEAR, directory=tmp_path)
        assert problems == []
        result = {}
        for name, columns in ssda903.FILES.items():
            with open(tmp_path / name, encoding="utf-8", newline="") as handle:
                rows = list(csv.reader(handle))
            assert tuple(rows[0]) == columns
            assert len(rows) - 1 == counts[name]
            result[name] = rows[1:]
        return result

    return run


def rows_for(rows, child_id):
    return [row for row in rows if row[0] == child_id]


def test_column_orders_are_the_dfe_ones():
    assert ssda903.HEADER == ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
    assert ssda903.EPISODES == (
        "CHILD",
        "DECOM",
        "RNE",
        "LS",
        "CIN",
        "PLACE",
        "PLACE_PROVIDER",
        "DEC",
        "REC",
        "REASON_PLACE_CHANGE",
        "HOME_POST",
        "PL_POST",
        "URN",
    )
    assert ssda903.UASC == ("CHILD", "SEX", "DOB", "DUC")
    assert ssda903.MISSING == ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END")


def test_episode_crossing_the_year_boundary_and_missing_still_open_at_31_march(new_child, sw, files):
    child = new_child("CROSS1")
    simple_care(child, sw, date(2024, 1, 10))
    episode = ms.report_missing(child=child, kind="M", started_at=at(2025, 3, 30, 21, 0), by=sw)
    ms.close_episode(episode=episode, by=sw, version=1, ended_at=at(2025, 4, 2, 9), outcome="found")
    out = files()
    assert rows_for(out["episodes.csv"], "CROSS1") == [
        ["CROSS1", "10/01/2024", "S", "V2", "N8", "U6", "PR1", "", "", "", "", "NB1 1AA", ""]
    ]
    assert rows_for(out["missing.csv"], "CROSS1") == [["CROSS1", "15/03/2010", "M", "30/03/2025", ""]]


def test_an_a_to_m_switch_gives_two_rows_sharing_the_boundary_date(new_child, sw, files):
    child = new_child("SWITCH1")
    simple_care(child, sw, date(2024, 4, 1))
    away = ms.report_missing(child=child, kind="A", started_at=at(2024, 6, 1, 20), by=sw)
    missing = ms.reclassify(episode=away, by=sw, version=1, kind="M", at=at(2024, 6, 2, 8))
    ms.close_episode(episode=missing, by=sw, version=1, ended_at=at(2024, 6, 5, 14), outcome="found")
    assert rows_for(files()["missing.csv"], "SWITCH1") == [
        ["SWITCH1", "15/03/2010", "A", "01/06/2024", "02/06/2024"],
        ["SWITCH1", "15/03/2010", "M", "02/06/2024", "05/06/2024"],
    ]


def test_missing_at_the_18th_birthday_closes_with_e8(new_child, sw, files):
    child = new_child("EIGHTEEN", dob=date(2006, 9, 10))
    simple_care(child, sw, date(2023, 2, 1))
    ms.report_missing(child=child, kind="M", started_at=at(2024, 9, 1, 12), by=sw)
    for kind in ("legal_statuses", "placements"):
        cw.update_care_record(record=getattr(child, kind).get(), by=sw, version=1, end_date=date(2024, 9, 10))
    cw.update_care_record(
        record=child.periods_of_care.get(), by=sw, version=1, end_date=date(2024, 9, 10), reason_ceased="E8"
    )
    out = files()
    assert rows_for(out["episodes.csv"], "EIGHTEEN") == [
        ["EIGHTEEN", "01/02/2023", "S", "V2", "N8", "U6", "PR1", "10/09/2024", "E8", "", "", "NB1 1AA", ""]
    ]
    assert rows_for(out["missing.csv"], "EIGHTEEN") == [["EIGHTEEN", "10/09/2006", "M", "01/09/2024", "10/09/2024"]]


def test_uasc_status_ceasing(new_child, sw, files):
    ceased = new_child("UASC1", dob=date(2007, 1, 15), is_uasc=True, uasc_ceased_date=date(2024, 12, 1))
    later = new_child("UASC2", dob=date(2008, 1, 15), is_uasc=True, uasc_ceased_date=date(2025, 5, 1))
    still = new_child("UASC3", dob=date(2009, 1, 15), is_uasc=True)
    for child in (ceased, later, still):
        simple_care(child, sw, date(2024, 5, 1))
    assert sorted(files()["uasc.csv"]) == [
        ["UASC1", "M", "15/01/2007", "01/12/2024"],
        ["UASC2", "M", "15/01/2008", ""],  # ceased after 31 March: still UASC in this year's return
        ["UASC3", "M", "15/01/2009", ""],
    ]


def test_same_day_legal_status_and_placement_change_closes_with_x1(new_child, sw, files):
    child = new_child("SAMEDAY")
    care(child, sw, "periods_of_care", start_date=date(2024, 5, 1), category_of_need="N8")
    care(child, sw, "legal_statuses", start_date=date(2024, 5, 1), end_date=date(2024, 8, 1), code="V2")
    care(child, sw, "legal_statuses", start_date=date(2024, 8, 1), code="C2")
    care(
        child,
        sw,
        "placements",
        start_date=date(2024, 5, 1),
        end_date=date(2024, 8, 1),
        place="U6",
        provider="PR1",
        postcode="NB1 1AA",
        carer_reference="FC1",
        reason_for_change="CARPL",
    )
    care(
        child,
        sw,
        "placements",
        start_date=date(2024, 8, 1),
        place="K2",
        provider="PR4",
        postcode="EM2 2BB",
        urn="SC123456",
    )
    assert rows_for(files()["episodes.csv"], "SAMEDAY") == [
        ["SAMEDAY", "01/05/2024", "S", "V2", "N8", "U6", "PR1", "01/08/2024", "X1", "CARPL", "", "NB1 1AA", ""],
        ["SAMEDAY", "01/08/2024", "B", "C2", "N8", "K2", "PR4", "", "", "", "", "EM2 2BB", "SC123456"],
    ]


def test_t_versus_p_depends_on_the_carer(new_child, sw, files):
    child = new_child("CARER1")
    care(child, sw, "periods_of_care", start_date=date(2024, 4, 10), category_of_need="N1", home_postcode="NB3 3CC")
    care(child, sw, "legal_statuses", start_date=date(2024, 4, 10), code="C2")
    care(
        child,
        sw,
        "placements",
        start_date=date(2024, 4, 10),
        end_date=date(2024, 7, 1),
        place="U4",
        provider="PR1",
        postcode="NB1 1AA",
        carer_reference="CARER-A",
        reason_for_change="PLACE",
    )
    care(
        child,
        sw,
        "placements",
        start_date=date(2024, 7, 1),
        end_date=date(2024, 11, 20),
        place="U4",
        provider="PR1",
        postcode="NB4 4DD",
        carer_reference="CARER-A",
        reason_for_change="CREQB",
    )
    care(
        child,
        sw,
        "placements",
        start_date=date(2024, 11, 20),
        place="U6",
        provider="PR4",
        postcode="NB5 5EE",
        carer_reference="CARER-B",
    )
    assert [row[1:3] + row[7:10] for row in rows_for(files()["episodes.csv"], "CARER1")] == [
        ["10/04/2024", "S", "01/07/2024", "X1", "PLACE"],
        ["01/07/2024", "T", "20/11/2024", "X1", "CREQB"],
        ["20/11/2024", "P", "", "", ""],
    ]


def test_a_child_in_care_for_a_few_days_only(new_child, sw, files):
    child = new_child("FEWDAYS", sex="F")
    simple_care(child, sw, date(2024, 10, 1), end=date(2024, 10, 4), rec="E4A")
    out = files()
    assert rows_for(out["episodes.csv"], "FEWDAYS") == [
        ["FEWDAYS", "01/10/2024", "S", "V2", "N8", "U6", "PR1", "04/10/2024", "E4A", "", "", "NB1 1AA", ""]
    ]
    assert rows_for(out["header.csv"], "FEWDAYS") == [["FEWDAYS", "F", "15/03/2010", "BAFR", "", "0", ""]]


def test_children_not_looked_after_in_the_year_are_left_out(new_child, sw, files):
    child = new_child("BEFORE1")
    simple_care(child, sw, date(2022, 1, 1), end=date(2023, 6, 1), rec="E4A")
    new_child("NEVER1")
    out = files()
    assert not rows_for(out["header.csv"], "BEFORE1")
    assert not rows_for(out["header.csv"], "NEVER1")


def test_missing_episodes_that_closed_before_the_year_are_left_out(new_child, sw, files):
    child = new_child("OLDMISS")
    simple_care(child, sw, date(2023, 1, 1))
    episode = ms.report_missing(child=child, kind="M", started_at=at(2024, 3, 20, 10), by=sw)
    ms.close_episode(episode=episode, by=sw, version=1, ended_at=at(2024, 3, 25, 10), outcome="found")
    crossing = ms.report_missing(child=child, kind="A", started_at=at(2024, 3, 30, 10), by=sw)
    ms.close_episode(episode=crossing, by=sw, version=1, ended_at=at(2024, 4, 3, 10), outcome="returned")
    assert rows_for(files()["missing.csv"], "OLDMISS") == [["OLDMISS", "15/03/2010", "A", "30/03/2024", "03/04/2024"]]


def test_cells_that_would_run_as_formulas_are_neutralised(new_child, sw, files):
    child = new_child("INJECT1")
    care(child, sw, "periods_of_care", start_date=date(2024, 5, 1), category_of_need="N8", home_postcode="=HYPERLINK")
    care(child, sw, "legal_statuses", start_date=date(2024, 5, 1), code="V2")
    care(child, sw, "placements", start_date=date(2024, 5, 1), place="U6", provider="PR1", postcode="@SUM(1)")
    (row,) = rows_for(files()["episodes.csv"], "INJECT1")
    assert row[10] == "'=HYPERLINK" and row[11] == "'@SUM(1)"


@pytest.mark.parametrize(
    ("first_child_born", "end", "mother", "mc_dob"),
    [
        (date(2025, 1, 20), None, "1", "20/01/2025"),  # born in the year, mother in care: reported
        (date(2025, 5, 20), None, "0", ""),  # born after 31 March: not yet a mother in this return
        (date(2025, 1, 20), date(2024, 12, 1), "0", ""),  # born after she left care (rule 625)
    ],
)
def test_motherhood_is_as_it_stood_while_looked_after_in_the_year(
    new_child, sw, files, first_child_born, end, mother, mc_dob
):
    child = new_child(
        "MUM1", sex="F", dob=date(2008, 2, 15), is_mother=True, first_child_date_of_birth=first_child_born
    )
    simple_care(child, sw, date(2024, 5, 1), end=end, rec="E4A" if end else "")
    (row,) = rows_for(files()["header.csv"], "MUM1")
    assert row[5:] == [mother, mc_dob]


def test_mixed_case_child_ids_keep_their_rows_whatever_the_database_collation(new_child, sw, files):
    """The merge walks children and their care records in one order; a database that sorts "ab1" before "AC2"
    (a linguistic collation, as en_US.UTF-8 does) must not make it pass a child by and drop its rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT collname FROM pg_collation WHERE collname = 'en-US-x-icu'")
        assert cursor.fetchone(), "this PostgreSQL has no ICU collations to test with"
        cursor.execute('ALTER TABLE casework_child ALTER COLUMN la_child_id TYPE varchar(20) COLLATE "en-US-x-icu"')
    for la_id in ("ab1", "AC2", "Ad3", "b4"):
        simple_care(new_child(la_id), sw, date(2024, 6, 1))
    result = files()
    assert [row[0] for row in result["header.csv"]] == ["AC2", "Ad3", "ab1", "b4"]  # byte order
    assert [row[0] for row in result["episodes.csv"]] == ["AC2", "Ad3", "ab1", "b4"]
