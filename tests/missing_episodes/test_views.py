"""GOV.UK pages for missing episodes: reporting, the board, one episode and the forms that follow it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import services as casework_services
from missing_episodes import services
from missing_episodes.models import EpisodeUpdate, MissingEpisode, ReturnInterview
from missing_episodes.views.common import duration_text
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

CASE_STAFF = ["social_worker", "team_manager", "service_manager", "missing_coordinator"]


def hours_ago(n: float):
    return timezone.now() - timedelta(hours=n)


def dt_fields(prefix: str, moment) -> dict:
    local = timezone.localtime(moment)
    return {
        f"{prefix}_day": str(local.day),
        f"{prefix}_month": str(local.month),
        f"{prefix}_year": str(local.year),
        f"{prefix}_hour": str(local.hour),
        f"{prefix}_minute": str(local.minute),
    }


def error_summary(response) -> str:
    html = response.content.decode()
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


@pytest.fixture
def child(make_child_in_care):
    return make_child_in_care()


@pytest.fixture
def episode(child, worker):
    return services.report_missing(child=child, kind="M", started_at=hours_ago(6), by=worker)


@pytest.fixture
def closed_episode(episode, worker):
    return services.close_episode(
        episode=episode, by=worker, version=episode.version, ended_at=hours_ago(1), outcome="found"
    )


@pytest.fixture
def outsider(other_authority):
    return UserFactory(
        role="social_worker", organisation=other_authority, team=TeamFactory(organisation=other_authority)
    )


def signed_in(client, user):
    client.force_login(user)
    return client


def report_data(child, **overrides) -> dict:
    data = {
        "fixed_child": str(child.pk),
        "child": str(child.pk),
        "kind": "M",
        **dt_fields("started_at", hours_ago(2)),
        "last_seen_location": "Bus station",
        "circumstances": "Left after a phone call",
        "reported_to_police": "yes",
        **dt_fields("reported_to_police_at", hours_ago(1)),
        "police_force": "Northbridge Police",
        "police_reference": "NP-123",
        "police_risk_level": "high",
    }
    data.update(overrides)
    return data


# --- Report a child missing -----------------------------------------------------------------------


@pytest.mark.parametrize("role", CASE_STAFF)
def test_case_staff_can_open_the_report_form_from_a_child(client, make_user, child, role):
    signed_in(client, make_user(role))
    response = client.get(reverse("missing_report"), {"child": child.pk})
    assert response.status_code == 200
    assert child.full_name in response.content.decode()
    assert "When was the child last seen?" in response.content.decode()


@pytest.mark.parametrize("role", ["advocate", "admin", "data_officer"])
def test_roles_that_cannot_report_get_403(client, make_user, child, role):
    signed_in(client, make_user(role))
    assert client.get(reverse("missing_report")).status_code == 403
    assert client.post(reverse("missing_report"), report_data(child)).status_code == 403
    assert not MissingEpisode.objects.exists()


def test_report_for_a_child_out_of_scope_is_404(client, outsider, child):
    signed_in(client, outsider)
    assert client.get(reverse("missing_report"), {"child": child.pk}).status_code == 404
    assert client.post(reverse("missing_report"), report_data(child)).status_code == 404


def test_report_for_a_restricted_child_not_visible_is_404(client, make_user, child, worker):
    casework_services.update_child(child=child, by=worker, version=child.version, restricted=True)
    other_worker = make_user("social_worker", team=TeamFactory(organisation=child.organisation))
    signed_in(client, other_worker)
    assert client.get(reverse("missing_report"), {"child": child.pk}).status_code == 404


def test_search_finds_visible_children_and_offers_them_as_choices(client, worker, make_child_in_care, outsider):
    mine = make_child_in_care(first_name="Arben", last_name="Hoxha")
    signed_in(client, worker)
    response = client.get(reverse("missing_report"), {"q": "Hoxha"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{mine.pk}"' in html
    assert 'type="radio"' in html
    assert "No children you can see match" in client.get(reverse("missing_report"), {"q": "Nobody"}).content.decode()


def test_reporting_a_child_chosen_from_search_saves_and_redirects(client, worker, make_child_in_care):
    child = make_child_in_care(first_name="Arben", last_name="Hoxha", trafficking_status="suspected")
    signed_in(client, worker)
    data = report_data(child, q="Hoxha")
    data.pop("fixed_child")
    response = client.post(reverse("missing_report"), data, follow=True)
    episode = MissingEpisode.objects.get(child=child)
    assert response.redirect_chain[-1][0] == reverse("episode_detail", args=[episode.pk])
    assert "Arben Hoxha is recorded as missing. Alerts are being sent" in response.content.decode()
    assert episode.risk_level == "high"
    assert episode.police_reference == "NP-123"
    assert episode.police_risk_level == "high"
    assert episode.reported_by == worker


def test_reporting_away_says_away(client, worker, child):
    signed_in(client, worker)
    response = client.post(reverse("missing_report"), report_data(child, kind="A"), follow=True)
    assert f"{child.full_name} is recorded as away. Alerts are being sent" in response.content.decode()


def test_not_reported_to_police_ignores_the_police_fields(client, worker, child):
    signed_in(client, worker)
    client.post(reverse("missing_report"), report_data(child, reported_to_police="no"))
    episode = MissingEpisode.objects.get(child=child)
    assert episode.reported_to_police_at is None
    assert episode.police_reference == ""


def test_reported_to_police_needs_a_time(client, worker, child):
    signed_in(client, worker)
    data = report_data(child, **{f"reported_to_police_at_{p}": "" for p in ("day", "month", "year", "hour", "minute")})
    response = client.post(reverse("missing_report"), data)
    assert response.status_code == 400
    assert "Enter when the child was reported to the police" in error_summary(response)
    assert not MissingEpisode.objects.exists()


def test_a_future_time_is_shown_in_the_error_summary_and_nothing_is_saved(client, worker, child):
    signed_in(client, worker)
    response = client.post(reverse("missing_report"), report_data(child, **dt_fields("started_at", hours_ago(-48))))
    assert response.status_code == 400
    assert "must be now or in the past" in error_summary(response)
    assert response.content.decode().count("govuk-error-summary__list") == 1
    assert "<title>Error: " in response.content.decode()
    assert not MissingEpisode.objects.exists()


def test_a_time_outside_care_is_shown_in_the_error_summary(client, worker, make_child_in_care):
    child = make_child_in_care(care_from=timezone.localdate() - timedelta(days=1))
    signed_in(client, worker)
    response = client.post(reverse("missing_report"), report_data(child, **dt_fields("started_at", hours_ago(24 * 5))))
    assert response.status_code == 400
    assert "was not in a period of care" in error_summary(response)
    assert 'href="#id_started_at_0"' in error_summary(response)
    assert not MissingEpisode.objects.exists()


def test_a_second_open_episode_is_refused(client, worker, episode):
    signed_in(client, worker)
    response = client.post(reverse("missing_report"), report_data(episode.child))
    assert response.status_code == 400
    assert "already recorded as missing or away" in error_summary(response)
    assert MissingEpisode.objects.count() == 1


def test_missing_answers_are_listed(client, worker, child):
    signed_in(client, worker)
    response = client.post(reverse("missing_report"), {"fixed_child": str(child.pk), "child": str(child.pk)})
    summary = error_summary(response)
    assert "Select whether the child is missing or away" in summary
    assert "Enter the time the child was last seen" in summary
    assert "Select yes if the child has been reported to the police" in summary


# --- The board ------------------------------------------------------------------------------------


def _board_rows(response) -> list[str]:
    return re.findall(r'data-episode="([0-9a-f-]+)"', response.content.decode())


@pytest.mark.parametrize("role", [*CASE_STAFF, "data_officer"])
def test_board_is_shown_to_roles_with_board_access(client, make_user, role):
    signed_in(client, make_user(role))
    response = client.get(reverse("missing_board"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "No children are missing right now" in html
    assert "No return interviews are overdue" in html
    # It updates itself every minute through static/app/auto-refresh.js, which the user can stop; without
    # JavaScript a "Refresh" link. Never a meta refresh, which no one can stop (WCAG 2.2.1).
    assert 'http-equiv="refresh"' not in html
    assert 'data-auto-refresh="60" data-auto-refresh-region="missing-board-live"' in html
    assert 'id="missing-board-live"' in html
    assert '<script type="module" src="/static/app/auto-refresh.js"></script>' in html
    assert f'<a class="govuk-link" href="{reverse("missing_board")}">Refresh<' in html
    assert ">Stop updating</button>" in html


@pytest.mark.parametrize("role", ["advocate", "admin"])
def test_board_is_forbidden_to_other_roles(client, make_user, role):
    signed_in(client, make_user(role))
    assert client.get(reverse("missing_board")).status_code == 403


def test_board_orders_high_risk_first_then_longest_missing(client, worker, make_child_in_care):
    medium_old = make_child_in_care(first_name="Old")
    high_new = make_child_in_care(first_name="New", trafficking_status="identified")
    high_old = make_child_in_care(first_name="Older", is_uasc=True)
    e1 = services.report_missing(child=medium_old, kind="M", started_at=hours_ago(100), by=worker)
    e2 = services.report_missing(child=high_new, kind="M", started_at=hours_ago(2), by=worker)
    e3 = services.report_missing(child=high_old, kind="A", started_at=hours_ago(50), by=worker)
    signed_in(client, worker)
    response = client.get(reverse("missing_board"))
    assert _board_rows(response) == [str(e3.pk), str(e2.pk), str(e1.pk)]
    html = response.content.decode()
    assert "2 days 2 hours" in html
    assert "4 days 4 hours" in html
    assert "Trafficked" in html and "UASC" in html
    assert "No photo" in html


def test_board_hides_other_authorities_children(client, outsider, episode):
    signed_in(client, outsider)
    assert _board_rows(client.get(reverse("missing_board"))) == []


def test_board_flags_repeat_missing(client, worker, child):
    for start, end in ((300, 290), (200, 190)):
        e = services.report_missing(child=child, kind="M", started_at=hours_ago(start), by=worker)
        services.close_episode(episode=e, by=worker, version=e.version, ended_at=hours_ago(end), outcome="found")
    services.report_missing(child=child, kind="M", started_at=hours_ago(3), by=worker)
    signed_in(client, worker)
    assert (
        "3 episodes in 30 days: consider a strategy discussion" in client.get(reverse("missing_board")).content.decode()
    )


def _child_page_episodes(html: str) -> list[str]:
    section = html.split('id="missing-episodes"')[1].split("</table>")[0]
    return [re.sub(r"<[^>]+>", " ", row).split()[0] for row in section.split('<tr class="govuk-table__row">')[2:]]


def test_child_page_lists_episodes_newest_first_and_flags_repeat_missing(client, worker, child):
    for start, end in ((300, 290), (200, 190)):
        e = services.report_missing(child=child, kind="M", started_at=hours_ago(start), by=worker)
        services.close_episode(episode=e, by=worker, version=e.version, ended_at=hours_ago(end), outcome="found")
    current = services.report_missing(child=child, kind="A", started_at=hours_ago(3), by=worker)
    html = signed_in(client, worker).get(reverse("child_detail", args=[child.pk])).content.decode()

    assert _child_page_episodes(html) == ["Away", "Missing", "Missing"]
    assert "3 or more episodes in 30 days: consider a strategy discussion" in html
    assert f'href="{reverse("episode_detail", args=[current.pk])}">Open the episode' in html
    assert "Report missing" not in html


def test_child_page_does_not_flag_episodes_spread_over_more_than_30_days(client, worker, child):
    for start, end in ((24 * 45, 24 * 45 - 5), (24 * 31, 24 * 31 - 5)):
        e = services.report_missing(child=child, kind="M", started_at=hours_ago(start), by=worker)
        services.close_episode(episode=e, by=worker, version=e.version, ended_at=hours_ago(end), outcome="found")
    e = services.report_missing(child=child, kind="M", started_at=hours_ago(3), by=worker)
    services.close_episode(episode=e, by=worker, version=e.version, ended_at=hours_ago(1), outcome="found")
    html = signed_in(client, worker).get(reverse("child_detail", args=[child.pk])).content.decode()

    assert len(_child_page_episodes(html)) == 3
    assert "consider a strategy discussion" not in html
    assert 'govuk-tag--red">Missing now' not in html
    assert "Report missing" in html


def test_the_child_page_lists_enough_episodes_to_judge_repeat_missing():
    from missing_episodes import selectors

    assert selectors.REPEAT_THRESHOLD <= selectors.CHILD_PAGE_EPISODES


def _make_missing(make_child_in_care, worker, n: int, offset: int) -> None:
    for i in range(n):
        child = make_child_in_care(first_name=f"Child{offset + i}")
        services.report_missing(child=child, kind="M", started_at=hours_ago(1 + i), by=worker)


def test_board_query_count_does_not_grow_with_rows(client, worker, make_child_in_care, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signed_in(client, worker)
    _make_missing(make_child_in_care, worker, 3, 0)
    with CaptureQueriesContext(connection) as three:
        assert len(_board_rows(client.get(reverse("missing_board")))) == 3
    _make_missing(make_child_in_care, worker, 12, 3)
    with django_assert_max_num_queries(len(three.captured_queries)):
        assert len(_board_rows(client.get(reverse("missing_board")))) == 15


def test_board_lists_overdue_return_interviews(client, worker, child, make_child_in_care):
    late = services.report_missing(child=child, kind="M", started_at=hours_ago(200), by=worker)
    services.close_episode(episode=late, by=worker, version=late.version, ended_at=hours_ago(100), outcome="found")
    recent_child = make_child_in_care(first_name="Recent")
    recent = services.report_missing(child=recent_child, kind="M", started_at=hours_ago(20), by=worker)
    services.close_episode(
        episode=recent, by=worker, version=recent.version, ended_at=hours_ago(10), outcome="returned"
    )
    signed_in(client, worker)
    html = client.get(reverse("missing_board")).content.decode()
    table = re.search(r'id="overdue-return-interviews".*?</table>', html, re.S).group(0)
    assert reverse("episode_detail", args=[late.pk]) in table
    assert reverse("episode_detail", args=[recent.pk]) not in table
    assert "Overdue" in table
    assert child.display_name in table and child.la_child_id in table
    assert "Not yet" in table  # no interview offered
    late.refresh_from_db()
    back = timezone.localtime(late.ended_at)
    assert f"{back.strftime('%-d %b %Y %H:%M')} (4 days 4 hours ago)" in table
    assert f"Overdue</strong> {(back + timedelta(hours=72)).strftime('%-d %b %Y %H:%M')}" in table


def test_board_shows_when_an_overdue_return_interview_was_offered(client, worker, child):
    late = services.report_missing(child=child, kind="M", started_at=hours_ago(200), by=worker)
    services.close_episode(episode=late, by=worker, version=late.version, ended_at=hours_ago(100), outcome="found")
    offered = timezone.localtime(hours_ago(90)).replace(second=0, microsecond=0)
    services.record_return_interview(episode=late, by=worker, offered_at=offered)
    signed_in(client, worker)
    html = client.get(reverse("missing_board")).content.decode()
    table = re.search(r'id="overdue-return-interviews".*?</table>', html, re.S).group(0)
    assert offered.strftime("%-d %b %Y %H:%M") in table
    assert "Not yet" not in table


def test_duration_text():
    assert duration_text(timedelta(days=2, hours=4, minutes=5)) == "2 days 4 hours"
    assert duration_text(timedelta(hours=1, minutes=1)) == "1 hour 1 minute"
    assert duration_text(timedelta(minutes=45)) == "45 minutes"
    assert duration_text(timedelta(days=1)) == "1 day"


# --- One episode ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*CASE_STAFF, "data_officer"])
def test_episode_page_for_staff(client, make_user, episode, role):
    signed_in(client, make_user(role))
    response = client.get(reverse("episode_detail", args=[episode.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert episode.child.full_name in html
    can_edit = role != "data_officer"
    assert ("Record that they are back" in html) is can_edit
    assert "Download missing-person pack" in html


@pytest.mark.parametrize("role", ["advocate", "admin"])
def test_episode_page_out_of_reach_is_404(client, make_user, episode, role):
    signed_in(client, make_user(role))
    assert client.get(reverse("episode_detail", args=[episode.pk])).status_code == 404


def test_episode_of_another_authority_is_404_everywhere(client, outsider, episode):
    signed_in(client, outsider)
    for name in ("episode_detail", "episode_close", "episode_reclassify", "episode_add_update", "episode_edit"):
        assert client.get(reverse(name, args=[episode.pk])).status_code == 404, name


def test_data_officer_cannot_change_an_episode(client, make_user, episode):
    signed_in(client, make_user("data_officer"))
    for name in ("episode_close", "episode_reclassify", "episode_add_update", "episode_edit"):
        assert client.get(reverse(name, args=[episode.pk])).status_code == 403, name


def test_episode_page_shows_the_timeline_newest_first(client, worker, episode):
    services.add_update(episode=episode, by=worker, kind="sighting", occurred_at=hours_ago(5), summary="Seen in town")
    services.add_update(
        episode=episode,
        by=worker,
        kind="strategy_discussion",
        occurred_at=hours_ago(2),
        summary="Strategy meeting",
        attendees="Police, social worker",
        actions="Check the car wash",
    )
    signed_in(client, worker)
    html = client.get(reverse("episode_detail", args=[episode.pk])).content.decode()
    assert html.index("Strategy meeting") < html.index("Seen in town")
    assert "Police, social worker" in html and "Check the car wash" in html


def test_add_update_happy_path_and_strategy_discussion_needs_attendees(client, worker, episode):
    signed_in(client, worker)
    url = reverse("episode_add_update", args=[episode.pk])
    response = client.post(
        url, {"kind": "strategy_discussion", "summary": "Met", **dt_fields("occurred_at", hours_ago(1))}
    )
    assert response.status_code == 400
    assert "Enter who took part in the strategy discussion" in error_summary(response)
    response = client.post(
        url, {"kind": "sighting", "summary": "Seen at the park", **dt_fields("occurred_at", hours_ago(1))}
    )
    assert response.status_code == 302
    assert EpisodeUpdate.objects.get(episode=episode).summary == "Seen at the park"


# --- Close, reclassify, return interview, edit ----------------------------------------------------


def test_close_happy_path(client, worker, episode):
    signed_in(client, worker)
    response = client.post(
        reverse("episode_close", args=[episode.pk]),
        {
            "version": episode.version,
            "outcome": "found",
            "found_location": "Car wash",
            **dt_fields("ended_at", hours_ago(1)),
        },
        follow=True,
    )
    episode.refresh_from_db()
    assert episode.status == "closed"
    assert episode.found_location == "Car wash"
    assert "is recorded as back" in response.content.decode()
    assert "Record return interview" in response.content.decode()


def test_close_with_a_stale_version_changes_nothing(client, worker, episode):
    services.update_episode(episode=episode, by=worker, version=episode.version, police_reference="NEW")
    signed_in(client, worker)
    response = client.post(
        reverse("episode_close", args=[episode.pk]),
        {"version": episode.version, "outcome": "found", **dt_fields("ended_at", hours_ago(1))},
    )
    assert response.status_code == 409
    assert "Someone else changed this episode" in error_summary(response)
    episode.refresh_from_db()
    assert episode.status == "open"


def test_close_before_it_started_is_an_error(client, worker, episode):
    signed_in(client, worker)
    response = client.post(
        reverse("episode_close", args=[episode.pk]),
        {"version": episode.version, "outcome": "found", **dt_fields("ended_at", hours_ago(10))},
    )
    assert response.status_code == 400
    assert "must be the same as or after it started" in error_summary(response)


def test_closing_a_closed_episode_redirects_with_a_message(client, worker, closed_episode):
    signed_in(client, worker)
    response = client.get(reverse("episode_close", args=[closed_episode.pk]), follow=True)
    assert "This episode is already closed" in response.content.decode()


def test_reclassify_happy_path_goes_to_the_new_episode(client, worker, episode):
    signed_in(client, worker)
    response = client.post(
        reverse("episode_reclassify", args=[episode.pk]),
        {"version": episode.version, "kind": "A", **dt_fields("at", hours_ago(1))},
    )
    new = MissingEpisode.objects.get(status="open")
    assert new.kind == "A" and new.reclassified_from_id == episode.pk
    assert response.status_code == 302 and response.url == reverse("episode_detail", args=[new.pk])


def test_reclassify_with_a_stale_version_changes_nothing(client, worker, episode):
    signed_in(client, worker)
    response = client.post(
        reverse("episode_reclassify", args=[episode.pk]),
        {"version": episode.version + 1, "kind": "A", **dt_fields("at", hours_ago(1))},
    )
    assert response.status_code == 409
    assert MissingEpisode.objects.count() == 1


def test_return_interview_happy_path_then_stale(client, worker, closed_episode):
    signed_in(client, worker)
    url = reverse("episode_return_interview", args=[closed_episode.pk])
    assert client.get(url).status_code == 200
    data = {
        **dt_fields("offered_at", hours_ago(0.5)),
        "accepted": "yes",
        **dt_fields("completed_at", hours_ago(0.2)),
        "conducted_by": "Independent return service",
        "summary": "Went to a friend's house",
        "exploitation_disclosed": "no",
    }
    response = client.post(url, data, follow=True)
    interview = ReturnInterview.objects.get(episode=closed_episode)
    assert interview.accepted is True and interview.exploitation_disclosed is False
    assert "The return interview has been recorded" in response.content.decode()
    # A second writer who opened the form before the first save (no version then) is not stale,
    # but one who sends an old version is.
    response = client.post(url, {**data, "version": interview.version + 5})
    assert response.status_code == 409
    assert "Someone else changed this episode" in error_summary(response)


def test_return_interview_declined_needs_a_reason(client, worker, closed_episode):
    signed_in(client, worker)
    url = reverse("episode_return_interview", args=[closed_episode.pk])
    response = client.post(url, {**dt_fields("offered_at", hours_ago(0.5)), "accepted": "no"})
    assert response.status_code == 400
    assert "Enter why the child declined the return interview" in error_summary(response)
    assert not ReturnInterview.objects.filter(episode=closed_episode, accepted=False).exists()


def test_return_interview_for_an_open_episode_redirects(client, worker, episode):
    signed_in(client, worker)
    response = client.get(reverse("episode_return_interview", args=[episode.pk]), follow=True)
    assert "Close the episode before recording the return interview" in response.content.decode()


def test_episode_page_shows_overdue_return_interview(client, worker, child):
    e = services.report_missing(child=child, kind="M", started_at=hours_ago(200), by=worker)
    services.close_episode(episode=e, by=worker, version=e.version, ended_at=hours_ago(100), outcome="found")
    signed_in(client, worker)
    html = client.get(reverse("episode_detail", args=[e.pk])).content.decode()
    assert "Overdue" in html
    due = timezone.localtime(hours_ago(100) + timedelta(hours=72))
    assert f"Due by {due:%-d %B %Y %H:%M}" in html


def test_edit_happy_path_and_stale_version(client, worker, episode):
    signed_in(client, worker)
    url = reverse("episode_edit", args=[episode.pk])
    assert client.get(url).status_code == 200
    data = {
        "version": episode.version,
        **dt_fields("started_at", episode.started_at),
        "last_seen_location": "Station",
        "circumstances": "",
        "police_force": "",
        "police_reference": "REF-9",
        "police_risk_level": "medium",
    }
    assert client.post(url, data).status_code == 302
    episode.refresh_from_db()
    assert episode.police_reference == "REF-9" and episode.version == 2
    response = client.post(url, {**data, "police_reference": "OLD"})
    assert response.status_code == 409
    episode.refresh_from_db()
    assert episode.police_reference == "REF-9"


def test_repeat_missing_banner_on_the_episode_page(client, worker, child):
    for start, end in ((300, 290), (200, 190)):
        e = services.report_missing(child=child, kind="M", started_at=hours_ago(start), by=worker)
        services.close_episode(episode=e, by=worker, version=e.version, ended_at=hours_ago(end), outcome="found")
    current = services.report_missing(child=child, kind="M", started_at=hours_ago(3), by=worker)
    signed_in(client, worker)
    html = client.get(reverse("episode_detail", args=[current.pk])).content.decode()
    assert 'id="repeat-missing"' in html


def test_service_navigation_links_to_the_board(client, worker):
    signed_in(client, worker)
    html = client.get(reverse("missing_board")).content.decode()
    assert f'href="{reverse("missing_board")}"' in html and "Missing now" in html


def test_board_shows_the_newest_photo_through_the_photo_view(client, worker, episode, settings, tmp_path):
    from tests.missing_episodes.test_pack import png_upload

    settings.MEDIA_ROOT = str(tmp_path / "media")
    older = casework_services.add_photo(child=episode.child, by=worker, image=png_upload())
    photo = casework_services.add_photo(child=episode.child, by=worker, image=png_upload())
    signed_in(client, worker)
    html = client.get(reverse("missing_board")).content.decode()
    assert f'src="{reverse("child_photo", args=[episode.child.pk, photo.pk])}"' in html
    assert str(older.pk) not in html
    assert f'alt="Photo of {episode.child.full_name}"' in html
    assert "No photo" not in html


# --- The home page's summary -------------------------------------------------------------------------


def _summary(client, user) -> str:
    html = signed_in(client, user).get(reverse("home")).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html.split('id="missing-summary"')[1].split("</ul>")[0]))


def test_home_counts_the_children_missing_now_and_the_overdue_return_interviews(
    client, worker, outsider, make_child_in_care, episode
):
    back = make_child_in_care(first_name="Ardit")
    old = services.report_missing(child=back, kind="A", started_at=hours_ago(100), by=worker)
    services.close_episode(episode=old, by=worker, version=old.version, ended_at=hours_ago(90), outcome="returned")

    summary = _summary(client, worker)
    assert "1 child missing or away now" in summary
    assert "1 return interview overdue" in summary
    other = _summary(client, outsider)  # another authority's children are not counted
    assert "0 children missing or away now" in other and "No return interviews overdue" in other
