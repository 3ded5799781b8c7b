"""Management dashboards: hand-computed figures for a small authority, scope, permissions, filters and charts.

The dataset (built through the services, dates in January to March 2026):

    child      team  kind/when (2026)                               return interview       alerts (high)
    c1 traff.  A     M 1 Feb 10:00-20:00 (found)                    done after 24 h        ack after 10 min
                     M 5 Feb 10:00-6 Feb 10:00 (returned)           done after 100 h       ack after 20 min (and 50)
                     M 10 Feb 10:00-12:00 (found)                   declined               ack after 45 min, level 2
    c2         A     A 15 Jan 09:00-18:00 (returned)                none                   (standard)
                     M 20 Mar 08:00, still missing (medium)
    c3 UASC    B     A 20 Feb 12:00-21 Feb 12:00 (found)            done after 10 h        ack after 90 min
                     M 5 Mar 22:00, still missing (high)                                   never acknowledged, level 3
    c4 restr.  A     A 3, 6 and 9 Jan, 10:00-14:00 (found)          none                   (standard)
    other authority: 3 episodes in February, a high alert, an NRM referral: never counted.

    Episodes by month: Jan M 0 A 4; Feb M 3 A 1; Mar M 2 A 0; total M 5, A 5, 10.
    Missing now: high 1 (UASC 1), medium 1, low 0; total 2.
    Repeat missing: c1 and c4 (2); a service manager sees only c1 listed (c4 is restricted).
    Return interviews (8 ended): within 72 h 2 (25%), after 1 (13%), declined 1 (13%), not done 4 (50%).
    High alerts (5): median of 10, 20, 45, 90 = 32.5 min; 90th percentile = 45 + 0.7 × 45 = 76.5 min;
                     bands 1/1/1/1 and 1 never; escalation level 1: 3, level 2: 1, level 3: 1.
"""

import datetime
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from casework import services as casework_services
from missing_episodes import services
from missing_episodes.alerts.services import acknowledge_alert
from missing_episodes.models import Alert, AlertLevel
from reporting import charts
from reporting.dashboards import default_range
from tests.factories import TeamFactory, UserFactory
from tests.missing_episodes import conftest as episode_fixtures

pytestmark = pytest.mark.django_db

# The missing-episode fixtures (a social worker and children in care built through the services).
worker = episode_fixtures.worker
make_child_in_care = episode_fixtures.make_child_in_care

URL = "/reports/dashboards/"
Q1_2026 = {
    "date_from_day": "1",
    "date_from_month": "1",
    "date_from_year": "2026",
    "date_to_day": "31",
    "date_to_month": "3",
    "date_to_year": "2026",
}


# --- Helpers --------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Collects, per <section id>, each table's rows of cell texts, and the text of elements with an id."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, list[list[list[str]]]] = {}
        self.section = None
        self.row = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id")
            self.sections[self.section] = []
        elif tag == "table" and self.section:
            self.sections[self.section].append([])
        elif tag == "tr" and self.section:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "section":
            self.section = None
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.sections[self.section][-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def tables(response) -> dict[str, list[list[list[str]]]]:
    parser = _Tables()
    parser.feed(response.content.decode())
    return parser.sections


def table(response, section: str, index: int = 0) -> dict[str, list[str]]:
    """One table of a panel as {first cell: the other cells} (the heading row included)."""
    rows = tables(response)[section][index]
    return {row[0]: row[1:] for row in rows}


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def at(day: int, month: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, minute))


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def team_b(authority):
    return TeamFactory(organisation=authority, name="Team B")


@pytest.fixture
def manager(make_user):
    return make_user("service_manager")


def moved_to(child, team, by):
    """The shared fixture builds children in the default team; move one (through the service)."""
    return casework_services.update_child(child=child, by=by, version=child.version, team=team)


def episode(child, by, kind, start, end=None, outcome="found"):
    ep = services.report_missing(child=child, kind=kind, started_at=start, by=by)
    if end is not None:
        ep = services.close_episode(episode=ep, by=by, version=ep.version, ended_at=end, outcome=outcome)
    return ep


def interview_done(ep, by, hours_after):
    done = ep.ended_at + timedelta(hours=hours_after)
    services.record_return_interview(
        episode=ep, by=by, offered_at=ep.ended_at, accepted=True, completed_at=done, conducted_by="Sam Adeyemi"
    )


def high_alert(ep, *, ack_after=(), by=(), escalation_level=1) -> Alert:
    """The episode's high alert, moved to the time the episode started and acknowledged ``ack_after`` later."""
    alert = Alert.objects.get(episode=ep, level=AlertLevel.HIGH)
    Alert.objects.filter(pk=alert.pk).update(created_at=ep.started_at, escalation_level=escalation_level)
    alert.refresh_from_db()
    for minutes, user in zip(ack_after, by, strict=True):
        acknowledge_alert(alert=alert, by=user, now=alert.created_at + timedelta(minutes=minutes))
    return alert


def child_elsewhere(outsider, **fields):
    """A trafficked child in care in the outsider's authority."""
    child = casework_services.create_child(
        by=outsider,
        organisation=outsider.organisation,
        team=outsider.team,
        la_child_id="OUT0001",
        first_name="Other",
        last_name="Child",
        sex="F",
        is_mother=False,
        date_of_birth=datetime.date(2009, 1, 1),
        ethnicity="BAFR",
        trafficking_status="identified",
        allocated_social_worker=outsider,
        **fields,
    )
    start = datetime.date(2024, 1, 1)
    for kind, extra in (
        ("periods_of_care", {"category_of_need": "N8"}),
        ("legal_statuses", {"code": "V2"}),
        ("placements", {"place": "U6", "provider": "PR1", "postcode": "NB1 1AA"}),
    ):
        casework_services.add_care_record(child=child, kind=kind, by=outsider, start_date=start, **extra)
    return child


@pytest.fixture
def dataset(make_child_in_care, worker, team_b, make_user, other_authority):
    manager = make_user("team_manager")
    c1 = make_child_in_care(
        trafficking_status="identified",
        first_name="Amira",
        last_name="Haile",
        nrm_referral_date=datetime.date(2025, 12, 1),
    )
    c2 = make_child_in_care(first_name="Dawit", last_name="Bekele")
    c3 = moved_to(make_child_in_care(is_uasc=True, first_name="Yonas", last_name="Girma"), team_b, worker)
    c4 = make_child_in_care(restricted=True, first_name="Hidden", last_name="Person")

    e1 = episode(c1, worker, "M", at(1, 2), at(1, 2, 20))
    e2 = episode(c1, worker, "M", at(5, 2), at(6, 2), outcome="returned")
    e3 = episode(c1, worker, "M", at(10, 2), at(10, 2, 12))
    interview_done(e1, worker, 24)
    interview_done(e2, worker, 100)
    services.record_return_interview(
        episode=e3, by=worker, offered_at=e3.ended_at, accepted=False, declined_reason="Did not want to talk"
    )
    high_alert(e1, ack_after=[10], by=[manager])
    high_alert(e2, ack_after=[50, 20], by=[manager, worker])
    high_alert(e3, ack_after=[45], by=[worker], escalation_level=2)

    episode(c2, worker, "A", at(15, 1, 9), at(15, 1, 18), outcome="returned")
    episode(c2, worker, "M", at(20, 3, 8))

    e5 = episode(c3, worker, "A", at(20, 2, 12), at(21, 2, 12))
    interview_done(e5, worker, 10)
    high_alert(e5, ack_after=[90], by=[manager])
    e6 = episode(c3, worker, "M", at(5, 3, 22))
    high_alert(e6, escalation_level=3)

    for day in (3, 6, 9):
        episode(c4, worker, "A", at(day, 1), at(day, 1, 14))

    # Another authority's children: never counted.
    outsider = UserFactory(
        role="social_worker", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )
    other = child_elsewhere(outsider, nrm_referral_date=timezone.localdate() - timedelta(days=10))
    for day in (2, 4, 6):
        ep = episode(other, outsider, "M", at(day, 2), at(day, 2, 12))
        high_alert(ep, ack_after=[5], by=[outsider])
    return {"c1": c1, "c2": c2, "c3": c3, "c4": c4}


# --- The figures ----------------------------------------------------------------------------------


def test_episodes_per_month_by_kind(client, manager, dataset):
    response = signed_in(client, manager).get(URL, Q1_2026)

    assert response.status_code == 200
    assert table(response, "panel-episodes") == {
        "Month": ["Missing (M)", "Away (A)", "Total"],
        "January 2026": ["0", "4", "4"],
        "February 2026": ["3", "1", "4"],
        "March 2026": ["2", "0", "2"],
        "Total": ["5", "5", "10"],
    }


def test_months_without_episodes_are_shown_with_zero(client, manager, dataset):
    response = signed_in(client, manager).get(
        URL, {**Q1_2026, "date_from_month": "11", "date_from_year": "2025", "date_to_month": "1"}
    )

    assert table(response, "panel-episodes") == {
        "Month": ["Missing (M)", "Away (A)", "Total"],
        "November 2025": ["0", "0", "0"],
        "December 2025": ["0", "0", "0"],
        "January 2026": ["0", "4", "4"],
        "Total": ["0", "4", "4"],
    }


def test_missing_now_by_risk_level(client, manager, dataset):
    response = signed_in(client, manager).get(URL, Q1_2026)

    assert table(response, "panel-missing-now") == {
        "Risk level": ["Missing or away now", "Trafficked or suspected", "Unaccompanied (UASC)"],
        "High": ["1", "0", "1"],
        "Medium": ["1", "0", "0"],
        "Low": ["0", "0", "0"],
        "Total": ["2", "0", "1"],
    }


def test_repeat_missing_counts_restricted_children_but_lists_only_those_the_user_may_open(client, manager, dataset):
    response = signed_in(client, manager).get(URL, Q1_2026)

    page = text(response)
    assert "2 children went missing repeatedly" in page
    assert tables(response)["panel-repeat"] == [
        [["Child", "Child ID", "Episodes in the period"], ["Amira Haile", dataset["c1"].la_child_id, "3"]]
    ]
    assert "1 of these children has a restricted record and is counted but not listed." in page
    assert "Hidden Person" not in page
    assert dataset["c4"].la_child_id not in page
    assert f'href="/children/{dataset["c1"].pk}/"' in response.content.decode()


def test_repeat_missing_lists_a_restricted_child_for_someone_who_may_open_it(client, make_user, dataset):
    team_manager = make_user("team_manager")  # the allocated worker's team manager may open c4

    response = signed_in(client, team_manager).get(URL, Q1_2026)

    rows = tables(response)["panel-repeat"][0]
    assert rows[1:] == [
        ["Amira Haile", dataset["c1"].la_child_id, "3"],
        ["Hidden Person", dataset["c4"].la_child_id, "3"],
    ]
    assert "restricted record" not in text(response).split("Repeat missing")[1].split("Return interviews")[0]


def test_three_episodes_further_apart_than_30_days_are_not_repeat_missing(client, manager, make_child_in_care, worker):
    child = make_child_in_care()
    for day, month in ((1, 1), (20, 1), (5, 2)):  # 35 days from the first to the third
        episode(child, worker, "M", at(day, month), at(day, month, 12))

    response = signed_in(client, manager).get(URL, Q1_2026)

    assert "0 children went missing repeatedly" in text(response)
    assert "No children went missing repeatedly in this period." in text(response)


def test_return_interview_timeliness(client, manager, dataset):
    response = signed_in(client, manager).get(URL, Q1_2026)

    assert table(response, "panel-interviews") == {
        "Return interview": ["Episodes", "Percentage"],
        "Completed within 72 hours": ["2", "25%"],
        "Completed after 72 hours": ["1", "13%"],
        "Declined by the child": ["1", "13%"],
        "Not done": ["4", "50%"],
        "Total": ["8", "100%"],
    }


def test_alert_acknowledgement_times(client, manager, dataset):
    response = signed_in(client, manager).get(URL, Q1_2026)

    summary, bands, escalation = tables(response)["panel-alerts"]
    assert dict((row[0], row[1:]) for row in summary) == {
        "High alerts raised": ["5"],
        "Acknowledged": ["4"],
        "Median time to acknowledge": ["32.5 minutes"],
        "90th percentile (9 in 10 acknowledged within)": ["76.5 minutes"],
    }
    assert dict((row[0], row[1:]) for row in bands) == {
        "Time to first acknowledgement": ["High alerts", "Percentage"],
        "Under 15 minutes": ["1", "20%"],
        "15 to 30 minutes": ["1", "20%"],
        "30 to 60 minutes": ["1", "20%"],
        "Over 60 minutes": ["1", "20%"],
        "Never acknowledged": ["1", "20%"],
    }
    assert dict((row[0], row[1:]) for row in escalation) == {
        "Highest escalation level reached": ["High alerts", "Percentage"],
        "Not escalated (level 1)": ["3", "60%"],
        "Escalated to level 2": ["1", "20%"],
        "Escalated to level 3": ["1", "20%"],
    }


def test_the_team_filter_narrows_every_panel(client, manager, dataset, team_b):
    response = signed_in(client, manager).get(URL, {**Q1_2026, "team": str(team_b.pk)})

    assert response.status_code == 200
    assert "1 January 2026 to 31 March 2026, Team B" in text(response)
    assert table(response, "panel-episodes")["Total"] == ["1", "1", "2"]
    assert table(response, "panel-missing-now")["Total"] == ["1", "0", "1"]
    assert "0 children went missing repeatedly" in text(response)
    assert table(response, "panel-interviews")["Completed within 72 hours"] == ["1", "100%"]
    summary = dict((row[0], row[1:]) for row in tables(response)["panel-alerts"][0])
    assert summary["High alerts raised"] == ["2"]
    assert summary["Median time to acknowledge"] == ["90 minutes"]


def test_a_team_of_another_authority_cannot_be_chosen(client, manager, dataset, other_authority):
    foreign = TeamFactory(organisation=other_authority)

    response = signed_in(client, manager).get(URL, {**Q1_2026, "team": str(foreign.pk)})

    assert response.status_code == 400
    assert "Select a valid choice" in text(response)


def test_another_authoritys_manager_sees_none_of_it(client, other_authority, dataset):
    outsider = UserFactory(role="service_manager", organisation=other_authority)

    response = signed_in(client, outsider).get(URL, Q1_2026)

    assert table(response, "panel-episodes")["Total"] == ["3", "0", "3"]  # their own three only
    assert "Amira Haile" not in text(response)


# --- NRM waits ------------------------------------------------------------------------------------


def test_nrm_decision_waits(client, manager, make_child_in_care, worker, team_b, other_authority):
    today = timezone.localdate()

    def ago(days):
        return today - timedelta(days=days)

    make_child_in_care(nrm_referral_date=ago(10))  # waiting RG 10 days
    make_child_in_care(nrm_referral_date=ago(40))  # waiting RG 40 days
    make_child_in_care(nrm_referral_date=ago(180))  # waiting RG 180 days: still "91 to 180"
    make_child_in_care(nrm_referral_date=ago(200))  # waiting RG 200 days
    moved_to(make_child_in_care(nrm_referral_date=ago(5)), team_b, worker)  # waiting RG 5 days
    make_child_in_care(  # 40 days to RG; waiting CG 60 days
        nrm_referral_date=ago(100), reasonable_grounds="positive", reasonable_grounds_date=ago(60)
    )
    make_child_in_care(  # 50 days to RG, 150 days to CG
        nrm_referral_date=ago(300),
        reasonable_grounds="positive",
        reasonable_grounds_date=ago(250),
        conclusive_grounds="positive",
        conclusive_grounds_date=ago(100),
    )
    make_child_in_care(  # 30 days to a negative RG: not waiting
        nrm_referral_date=ago(120), reasonable_grounds="negative", reasonable_grounds_date=ago(90)
    )
    make_child_in_care()  # never referred
    outsider = UserFactory(
        role="social_worker", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )
    child_elsewhere(outsider, nrm_referral_date=ago(10))  # another authority: never counted

    response = signed_in(client, manager).get(URL)

    waiting, decisions = tables(response)["panel-nrm"]
    assert dict((row[0], row[1:]) for row in waiting) == {
        "Waiting for": ["0 to 30 days", "31 to 90 days", "91 to 180 days", "Over 180 days", "Total"],
        "Reasonable grounds": ["2", "1", "1", "1", "5"],
        "Conclusive grounds (after a positive reasonable grounds decision)": ["0", "1", "0", "0", "1"],
    }
    assert dict((row[0], row[1:]) for row in decisions) == {
        "Decision": ["Decisions in the period", "Median wait"],
        "Referral to reasonable grounds": ["3", "40 days"],
        "Reasonable grounds to conclusive grounds": ["1", "150 days"],
    }

    narrowed = client.get(URL, {"team": str(team_b.pk)})
    waiting, decisions = tables(narrowed)["panel-nrm"]
    assert waiting[1] == ["Reasonable grounds", "1", "0", "0", "0", "1"]
    assert decisions[1] == ["Referral to reasonable grounds", "0", "Not applicable"]


# --- Defaults, empty states, validation -----------------------------------------------------------


def test_defaults_to_the_last_12_months_and_says_so_when_empty(client, manager):
    response = signed_in(client, manager).get(URL)

    date_from, date_to = default_range()
    assert response.status_code == 200
    assert date_from.day == 1 and (date_to.year - date_from.year) * 12 + date_to.month - date_from.month == 11
    assert f"Showing {date_from.day} {date_from:%B %Y} to {date_to.day} {date_to:%B %Y}, all teams." in text(response)
    page = text(response)
    for message in (
        "No episodes in this period.",
        "No children are missing or away now.",
        "No children went missing repeatedly in this period.",
        "No episodes ended in this period.",
        "No high alerts in this period.",
        "No children are waiting for an NRM decision.",
    ):
        assert message in page
    assert f'name="date_from_month" value="{date_from.month}"' in response.content.decode()


def test_a_link_with_only_a_team_uses_the_default_dates(client, manager, team):
    response = signed_in(client, manager).get(URL, {"team": str(team.pk)})

    assert response.status_code == 200
    assert f", {team.name}." in text(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"date_to_day": "1", "date_to_month": "12", "date_to_year": "2025"},
            "The end date must be the same as or after the start date",
        ),
        ({"date_from_day": "31", "date_from_month": "2"}, "The start date must be a real date"),
        ({"date_from_month": ""}, "The start date must include a month"),
        ({"date_to_day": "", "date_to_month": "", "date_to_year": ""}, "Enter the end date"),
        ({"date_to_year": str(timezone.localdate().year + 1)}, "The end date must be today or in the past"),
    ],
)
def test_bad_dates_are_listed_in_the_error_summary_with_a_400(client, manager, changes, message):
    response = signed_in(client, manager).get(URL, {**Q1_2026, **changes})

    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S).group(0)
    assert message in summary
    assert "<title>Error: Dashboards" in html
    assert 'id="panel-episodes"' not in html


# --- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["team_manager", "service_manager", "missing_coordinator", "data_officer"])
def test_dashboard_roles_can_open_it(client, make_user, role):
    assert signed_in(client, make_user(role)).get(URL).status_code == 200


@pytest.mark.parametrize("role", ["social_worker", "advocate", "admin"])
def test_other_roles_get_403(client, make_user, role):
    assert signed_in(client, make_user(role)).get(URL).status_code == 403


def test_signed_out_users_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert "/account/sign-in/" in response["Location"]


# --- Queries, markup and charts -------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_data(
    client, manager, dataset, team_b, django_assert_max_num_queries, make_child_in_care, worker
):
    signed_in(client, manager)
    with django_assert_max_num_queries(14):
        client.get(URL, {**Q1_2026, "team": str(team_b.pk)})
    more = make_child_in_care(trafficking_status="suspected")
    for day in (11, 14, 17, 20):
        episode(more, worker, "M", at(day, 3), at(day, 3, 12))
    with django_assert_max_num_queries(14):
        response = client.get(URL, Q1_2026)
    assert table(response, "panel-episodes")["March 2026"] == ["6", "0", "6"]


def test_charts_are_accessible_svg_with_no_inline_styles_or_scripts(client, manager, dataset):
    response = signed_in(client, manager).get(URL, Q1_2026)

    html = response.content.decode()
    svgs = re.findall(r"<svg\b[^>]*>", html)
    assert len(svgs) == 6
    for svg in svgs:
        assert 'role="img"' in svg
        chart_id = re.search(r'id="([^"]+)"', svg).group(1)
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in svg
        assert f'<title id="{chart_id}-title">' in html
    assert "style=" not in html
    assert "<script>" not in html and "<script " not in html.replace('<script type="module" src=', "")
    assert "app/charts.css" in html


def test_grouped_bar_chart_draws_each_series_and_escapes_labels():
    svg = charts.vertical_bar_chart(
        chart_id="c",
        title="Title <b>",
        description="Desc & more",
        categories=["<script>alert(1)</script>", "Feb"],
        series=[charts.Series("M <x>", [3, 0]), charts.Series("A", [1, 2], charts.LIGHT_BLUE)],
    )

    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Title &lt;b&gt;" in svg and "Desc &amp; more" in svg and "M &lt;x&gt;" in svg
    assert svg.count("<rect") == 4 + 2  # a bar per series per month, and 2 legend keys
    assert "style=" not in svg


def test_horizontal_bar_chart_scales_to_the_largest_value_and_escapes_labels():
    svg = charts.horizontal_bar_chart(
        chart_id="h", title="T", description="D", items=[("A & B", 4), ("<i>", 2)], width=400, label_width=100
    )

    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths == [240.0, 120.0]  # 400 - 100 label - 60 value column = 240 for the largest
    assert "A &amp; B" in svg and "&lt;i&gt;" in svg


def test_nice_ticks():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(4) == [0, 1, 2, 3, 4]
    assert charts.nice_ticks(23) == [0, 5, 10, 15, 20, 25]
