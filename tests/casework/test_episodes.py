"""The 903 Episodes rows derived from a child's care history (pure functions: no database)."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from casework.episodes import (
    DerivationError,
    Episode,
    LegalStatus,
    PeriodOfCare,
    Placement,
    derive_episodes,
    episodes_in_year,
    format_row,
)


def d(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()


def period(start: str, end: str | None = None, reason: str | None = None, home: str | None = None) -> PeriodOfCare:
    return PeriodOfCare(d(start), d(end) if end else None, "N8", home, reason)


def ls(code: str, start: str, end: str | None = None) -> LegalStatus:
    return LegalStatus(code, d(start), d(end) if end else None)


def pl(
    place: str,
    start: str,
    end: str | None = None,
    *,
    carer: str | None = None,
    reason: str | None = None,
    provider: str | None = "PR4",
    postcode: str | None = "ZZ1 1ZZ",
    urn: str | None = None,
) -> Placement:
    return Placement(place, provider, d(start), d(end) if end else None, postcode, urn, carer, reason)


def rows(episodes: list[Episode]) -> list[tuple[str, ...]]:
    """The CSV values of each row, in column order."""
    return [tuple(format_row(ep).values()) for ep in episodes]


def brief(episodes: list[Episode]) -> list[tuple[str, ...]]:
    """DECOM, RNE, LS, PLACE, DEC, REC, REASON_PLACE_CHANGE of each row."""
    keys = ("DECOM", "RNE", "LS", "PLACE", "DEC", "REC", "REASON_PLACE_CHANGE")
    return [tuple(format_row(ep)[key] for key in keys) for ep in episodes]


# --- a single episode -------------------------------------------------------------------------------------------


def test_an_open_period_with_one_legal_status_and_placement_is_one_open_episode():
    episodes = derive_episodes(
        [period("01/04/2024")],
        [ls("V2", "01/04/2024")],
        [pl("U6", "01/04/2024", postcode="ZZ9 9ZZ", carer="F1")],
    )

    assert episodes == [
        Episode(
            DECOM=date(2024, 4, 1),
            RNE="S",
            LS="V2",
            CIN="N8",
            PLACE="U6",
            PLACE_PROVIDER="PR4",
            DEC=None,
            REC=None,
            REASON_PLACE_CHANGE=None,
            HOME_POST=None,
            PL_POST="ZZ9 9ZZ",
            URN=None,
        )
    ]


def test_a_closed_period_closes_its_last_episode_with_the_reason_ceased_and_no_place_change_reason():
    episodes = derive_episodes(
        [period("01/04/2024", "10/10/2024", "E15", home="ZZ2 2ZZ")],
        [ls("V2", "01/04/2024", "10/10/2024")],
        [pl("K2", "01/04/2024", "10/10/2024", reason="CARPL", urn="SC000001")],
    )

    assert rows(episodes) == [
        ("01/04/2024", "S", "V2", "N8", "K2", "PR4", "10/10/2024", "E15", "", "ZZ2 2ZZ", "ZZ1 1ZZ", "SC000001")
    ]


def test_objects_with_the_same_attributes_are_accepted_and_blank_strings_become_none():
    child_period = SimpleNamespace(
        start_date=d("01/04/2024"), end_date=None, category_of_need="N4", home_postcode="", reason_ceased=""
    )
    status = SimpleNamespace(code="C2", start_date=d("01/04/2024"), end_date=None)
    placement = SimpleNamespace(
        place="T4",
        provider="",
        start_date=d("01/04/2024"),
        end_date=None,
        postcode="",
        urn="",
        carer_reference="",
        reason_for_change="",
    )

    assert rows(derive_episodes([child_period], [status], [placement])) == [
        ("01/04/2024", "S", "C2", "N4", "T4", "", "", "", "", "", "", "")
    ]


# --- reasons for a new episode ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ls_changes", "old_carer", "new_carer", "rne"),
    [
        (False, "F1", "F2", "P"),  # placement and carer changed
        (False, None, None, "P"),  # a blank carer reference is never "the same carer"
        (False, "F1", "F1", "T"),  # placement changed, same carer
        (True, "F1", "F2", "B"),  # legal status, placement and carer changed
        (True, None, None, "B"),
        (True, "F1", "F1", "U"),  # legal status and placement changed, same carer
    ],
)
def test_a_new_placement_on_its_own_or_with_a_new_legal_status_is_one_cut(ls_changes, old_carer, new_carer, rne):
    statuses = (
        [ls("V2", "01/04/2024", "01/05/2024"), ls("C1", "01/05/2024")] if ls_changes else [ls("V2", "01/04/2024")]
    )
    placements = [
        pl("U6", "01/04/2024", "01/05/2024", carer=old_carer, reason="CREQO"),
        pl("U4", "01/05/2024", carer=new_carer),
    ]

    episodes = derive_episodes([period("01/04/2024")], statuses, placements)

    assert brief(episodes) == [
        ("01/04/2024", "S", "V2", "U6", "01/05/2024", "X1", "CREQO"),
        ("01/05/2024", rne, "C1" if ls_changes else "V2", "U4", "", "", ""),
    ]


def test_a_legal_status_change_alone_is_l_and_carries_no_place_change_reason():
    episodes = derive_episodes(
        [period("01/04/2024")],
        [ls("V2", "01/04/2024", "20/06/2024"), ls("C1", "20/06/2024")],
        [pl("U6", "01/04/2024", carer="F1", reason="CARPL")],
    )

    assert brief(episodes) == [
        ("01/04/2024", "S", "V2", "U6", "20/06/2024", "X1", ""),
        ("20/06/2024", "L", "C1", "U6", "", "", ""),
    ]


def test_every_reason_for_a_new_episode_in_one_period():
    episodes = derive_episodes(
        [period("01/04/2024")],
        [
            ls("V2", "01/04/2024", "01/06/2024"),
            ls("C1", "01/06/2024", "01/10/2024"),
            ls("C2", "01/10/2024", "01/12/2024"),
            ls("E1", "01/12/2024"),
        ],
        [
            pl("U6", "01/04/2024", "01/08/2024", carer="A", reason="CREQB"),
            pl("U4", "01/08/2024", "01/09/2024", carer="B", reason="PLACE"),
            pl("U4", "01/09/2024", "01/10/2024", carer="B", reason="CHILD"),
            pl("K2", "01/10/2024", "01/11/2024", reason="CARPL", urn="SC000002"),
            pl("U6", "01/11/2024", "01/12/2024", carer="C", reason="OTHER"),
            pl("A5", "01/12/2024", carer="C", provider="PR1"),
        ],
    )

    assert brief(episodes) == [
        ("01/04/2024", "S", "V2", "U6", "01/06/2024", "X1", ""),
        ("01/06/2024", "L", "C1", "U6", "01/08/2024", "X1", "CREQB"),
        ("01/08/2024", "P", "C1", "U4", "01/09/2024", "X1", "PLACE"),
        ("01/09/2024", "T", "C1", "U4", "01/10/2024", "X1", "CHILD"),
        ("01/10/2024", "B", "C2", "K2", "01/11/2024", "X1", "CARPL"),
        ("01/11/2024", "P", "C2", "U6", "01/12/2024", "X1", "OTHER"),
        ("01/12/2024", "U", "E1", "A5", "", "", ""),
    ]
    for before, after in zip(episodes, episodes[1:], strict=False):
        assert before.REC == "X1"
        assert before.DEC == after.DECOM
    assert episodes[4].URN == "SC000002"
    assert episodes[6].PLACE_PROVIDER == "PR1"


# --- short stays and several periods ----------------------------------------------------------------------------


def test_a_child_in_care_for_a_few_days():
    episodes = derive_episodes(
        [period("03/01/2025", "06/01/2025", "E4A")],
        [ls("L1", "03/01/2025", "04/01/2025"), ls("V2", "04/01/2025", "06/01/2025")],
        [pl("U6", "03/01/2025", "06/01/2025", reason="CARPL")],
    )

    assert brief(episodes) == [
        ("03/01/2025", "S", "L1", "U6", "04/01/2025", "X1", ""),
        ("04/01/2025", "L", "V2", "U6", "06/01/2025", "E4A", ""),
    ]


def test_a_period_of_care_that_starts_and_ends_on_one_day_is_one_episode():
    episodes = derive_episodes(
        [period("01/02/2025", "01/02/2025", "E4A")],
        [ls("V2", "01/02/2025", "01/02/2025")],
        [pl("U6", "01/02/2025", "01/02/2025")],
    )

    assert brief(episodes) == [("01/02/2025", "S", "V2", "U6", "01/02/2025", "E4A", "")]


def test_a_second_period_of_care_starts_with_s_again():
    episodes = derive_episodes(
        [period("15/01/2023"), period("01/05/2022", "01/09/2022", "E4A")],  # given in any order
        [ls("C1", "15/01/2023"), ls("V2", "01/05/2022", "01/09/2022")],
        [
            pl("U6", "01/05/2022", "01/07/2022", carer="A", reason="CREQB"),
            pl("U4", "01/07/2022", "01/09/2022", carer="B", reason="OTHER"),
            pl("K2", "15/01/2023"),
        ],
    )

    assert brief(episodes) == [
        ("01/05/2022", "S", "V2", "U6", "01/07/2022", "X1", "CREQB"),
        ("01/07/2022", "P", "V2", "U4", "01/09/2022", "E4A", ""),
        ("15/01/2023", "S", "C1", "K2", "", "", ""),
    ]


def test_records_running_past_a_period_are_clipped_to_it():
    episodes = derive_episodes(
        [period("01/05/2022", "01/09/2022", "E4A"), period("15/01/2023")],
        [ls("V2", "01/05/2022")],  # left open across both periods
        [pl("U6", "01/05/2022", "01/10/2022"), pl("U6", "15/01/2023")],
    )

    assert brief(episodes) == [
        ("01/05/2022", "S", "V2", "U6", "01/09/2022", "E4A", ""),
        ("15/01/2023", "S", "V2", "U6", "", "", ""),
    ]


# --- a history over several years -------------------------------------------------------------------------------

HISTORY = (
    [period("14/06/2019")],
    [ls("V2", "14/06/2019", "02/03/2020"), ls("C1", "02/03/2020", "20/11/2020"), ls("C2", "20/11/2020")],
    [
        pl("U6", "14/06/2019", "30/09/2019", carer="F100", reason="CREQB", postcode="ZZ3 3ZZ"),
        pl("U6", "30/09/2019", "02/03/2020", carer="F200", reason="CARPL", postcode="ZZ4 4ZZ"),
        pl("U4", "02/03/2020", "05/01/2022", carer="F300", reason="PLACE", provider="PR1", postcode="ZZ5 5ZZ"),
        pl("U4", "05/01/2022", "17/08/2023", carer="F300", reason="CLOSE", provider="PR1", postcode="ZZ6 6ZZ"),
        pl("K2", "17/08/2023", "28/10/2023", reason="PLACE", postcode="ZZ7 7ZZ", urn="SC111111"),
        pl("K3", "28/10/2023", "03/02/2025", reason="CHILD", postcode="ZZ8 8ZZ", urn="2222222"),
        pl("U6", "03/02/2025", carer="F400", provider="PR2", postcode="ZZ9 9ZZ"),
    ],
)


def test_a_history_over_several_years_row_by_row():
    assert rows(derive_episodes(*HISTORY)) == [
        ("14/06/2019", "S", "V2", "N8", "U6", "PR4", "30/09/2019", "X1", "CREQB", "", "ZZ3 3ZZ", ""),
        ("30/09/2019", "P", "V2", "N8", "U6", "PR4", "02/03/2020", "X1", "CARPL", "", "ZZ4 4ZZ", ""),
        ("02/03/2020", "B", "C1", "N8", "U4", "PR1", "20/11/2020", "X1", "", "", "ZZ5 5ZZ", ""),
        ("20/11/2020", "L", "C2", "N8", "U4", "PR1", "05/01/2022", "X1", "PLACE", "", "ZZ5 5ZZ", ""),
        ("05/01/2022", "T", "C2", "N8", "U4", "PR1", "17/08/2023", "X1", "CLOSE", "", "ZZ6 6ZZ", ""),
        ("17/08/2023", "P", "C2", "N8", "K2", "PR4", "28/10/2023", "X1", "PLACE", "", "ZZ7 7ZZ", "SC111111"),
        ("28/10/2023", "P", "C2", "N8", "K3", "PR4", "03/02/2025", "X1", "CHILD", "", "ZZ8 8ZZ", "2222222"),
        ("03/02/2025", "P", "C2", "N8", "U6", "PR2", "", "", "", "", "ZZ9 9ZZ", ""),
    ]


def test_a_history_as_it_stood_at_an_earlier_year_end():
    episodes = derive_episodes(*HISTORY, as_at=d("31/03/2021"))

    assert brief(episodes) == [
        ("14/06/2019", "S", "V2", "U6", "30/09/2019", "X1", "CREQB"),
        ("30/09/2019", "P", "V2", "U6", "02/03/2020", "X1", "CARPL"),
        ("02/03/2020", "B", "C1", "U4", "20/11/2020", "X1", ""),
        ("20/11/2020", "L", "C2", "U4", "", "", ""),  # its placement ended in 2022: open on 31/03/2021
    ]


def test_the_episodes_of_one_collection_year():
    episodes = derive_episodes(*HISTORY, as_at=d("31/03/2024"))

    assert brief(episodes_in_year(episodes, 2024)) == [
        ("05/01/2022", "T", "C2", "U4", "17/08/2023", "X1", "CLOSE"),
        ("17/08/2023", "P", "C2", "K2", "28/10/2023", "X1", "PLACE"),
        ("28/10/2023", "P", "C2", "K3", "", "", ""),
    ]


# --- as_at --------------------------------------------------------------------------------------------------------


def test_as_at_ignores_later_records_and_opens_records_that_ended_after_it():
    history = (
        [period("01/04/2024", "15/04/2025", "E4A")],
        [ls("V2", "01/04/2024", "15/04/2025")],
        [pl("U6", "01/04/2024", "10/04/2025", reason="CARPL"), pl("U4", "10/04/2025", "15/04/2025")],
    )

    assert brief(derive_episodes(*history, as_at=d("31/03/2025"))) == [("01/04/2024", "S", "V2", "U6", "", "", "")]
    assert brief(derive_episodes(*history)) == [
        ("01/04/2024", "S", "V2", "U6", "10/04/2025", "X1", "CARPL"),
        ("10/04/2025", "P", "V2", "U4", "15/04/2025", "E4A", ""),
    ]


def test_as_at_keeps_what_ended_on_that_day_and_what_started_on_it():
    episodes = derive_episodes(
        [period("01/04/2024", "31/03/2025", "E13"), period("31/03/2025")],
        [ls("V2", "01/04/2024", "31/03/2025"), ls("C1", "31/03/2025")],
        [pl("U6", "01/04/2024", "31/03/2025"), pl("K2", "31/03/2025")],
        as_at=d("31/03/2025"),
    )

    assert brief(episodes) == [
        ("01/04/2024", "S", "V2", "U6", "31/03/2025", "E13", ""),
        ("31/03/2025", "S", "C1", "K2", "", "", ""),
    ]


# --- collection years ---------------------------------------------------------------------------------------------


def episode(decom: str, dec: str | None) -> Episode:
    closed = dec is not None
    return Episode(
        d(decom),
        "S",
        "V2",
        "N8",
        "U6",
        "PR4",
        d(dec) if closed else None,
        "E4A" if closed else None,
        None,
        None,
        None,
        None,
    )


def test_episodes_in_year_keeps_those_open_at_any_time_from_1_april_to_31_march():
    ended_on_1_april = episode("01/01/2024", "01/04/2024")
    ended_on_31_march_before = episode("01/01/2024", "31/03/2024")
    started_on_31_march = episode("31/03/2025", None)
    started_on_1_april_after = episode("01/04/2025", None)
    open_since_2019 = episode("14/06/2019", None)
    inside = episode("01/05/2024", "01/06/2024")

    kept = episodes_in_year(
        [
            ended_on_31_march_before,
            ended_on_1_april,
            open_since_2019,
            inside,
            started_on_31_march,
            started_on_1_april_after,
        ],
        2025,
    )

    assert kept == [ended_on_1_april, open_since_2019, inside, started_on_31_march]


# --- inconsistent histories ---------------------------------------------------------------------------------------


def test_a_gap_in_legal_status_names_the_date():
    with pytest.raises(
        DerivationError,
        match="No legal status recorded on 03/05/2024 within the period of care starting 01/04/2024",
    ):
        derive_episodes([period("01/04/2024")], [ls("V2", "01/04/2024", "03/05/2024")], [pl("U6", "01/04/2024")])


def test_a_gap_between_legal_statuses_names_the_date():
    with pytest.raises(DerivationError, match="No legal status recorded on 03/05/2024"):
        derive_episodes(
            [period("01/04/2024", "01/09/2024", "E4A")],
            [ls("V2", "01/04/2024", "03/05/2024"), ls("C1", "10/05/2024", "01/09/2024")],
            [pl("U6", "01/04/2024", "01/09/2024")],
        )


def test_a_period_starting_without_a_placement_names_the_date():
    with pytest.raises(
        DerivationError, match="No placement recorded on 01/04/2024 within the period of care starting 01/04/2024"
    ):
        derive_episodes([period("01/04/2024")], [ls("V2", "01/04/2024")], [pl("U6", "02/04/2024")])


def test_a_placement_ending_before_its_period_names_the_date():
    with pytest.raises(DerivationError, match="No placement recorded on 20/08/2024"):
        derive_episodes(
            [period("01/04/2024", "01/09/2024", "E4A")],
            [ls("V2", "01/04/2024", "01/09/2024")],
            [pl("U6", "01/04/2024", "20/08/2024")],
        )


def test_a_record_outside_every_period_is_an_error():
    with pytest.raises(DerivationError, match="The placement starting 01/01/2025 is outside every period of care"):
        derive_episodes(
            [period("01/04/2024", "01/09/2024", "E4A")],
            [ls("V2", "01/04/2024", "01/09/2024")],
            [pl("U6", "01/04/2024", "01/09/2024"), pl("U4", "01/01/2025")],
        )


def test_overlapping_records_of_one_kind_are_an_error():
    with pytest.raises(DerivationError, match="Two legal statuses overlap.*01/04/2024.*01/06/2024"):
        derive_episodes(
            [period("01/04/2024")],
            [ls("V2", "01/04/2024"), ls("C1", "01/06/2024")],
            [pl("U6", "01/04/2024")],
        )


# --- the CSV row --------------------------------------------------------------------------------------------------


def test_format_row_uses_the_dfe_column_order_and_dd_mm_yyyy_dates():
    row = format_row(
        Episode(
            DECOM=date(2024, 4, 1),
            RNE="P",
            LS="C2",
            CIN="N8",
            PLACE="U4",
            PLACE_PROVIDER="PR1",
            DEC=date(2025, 3, 9),
            REC="X1",
            REASON_PLACE_CHANGE="CARPL",
            HOME_POST=None,
            PL_POST="ZZ1 1ZZ",
            URN=None,
        )
    )

    assert list(row) == [
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
    ]
    assert row == {
        "DECOM": "01/04/2024",
        "RNE": "P",
        "LS": "C2",
        "CIN": "N8",
        "PLACE": "U4",
        "PLACE_PROVIDER": "PR1",
        "DEC": "09/03/2025",
        "REC": "X1",
        "REASON_PLACE_CHANGE": "CARPL",
        "HOME_POST": "",
        "PL_POST": "ZZ1 1ZZ",
        "URN": "",
    }
