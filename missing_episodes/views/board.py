"""The live board of children missing or away now, and the return interviews that are overdue."""

import uuid
from html import escape as esc

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from casework.access import Permission, has_permission
from casework.models.children import display_name_of, full_name_of, is_current_uasc_status, is_trafficked_status
from missing_episodes import selectors
from missing_episodes.alerts.selectors import alert_state
from missing_episodes.models import Kind, MissingEpisode, RiskLevel
from missing_episodes.views.common import duration_text, interview_of, require, reverse_or_none

BOARD_REFRESH_SECONDS = 60  # how often the board updates itself (static/app/auto-refresh.js)
_RISK_TAGS = {RiskLevel.HIGH: ("High", "red"), RiskLevel.MEDIUM: ("Medium", "yellow"), RiskLevel.LOW: ("Low", "grey")}
_UUID0 = uuid.UUID(int=0)
_UUID1 = uuid.UUID(int=1)


def _tag(text: str, colour: str) -> str:
    return f'<br><strong class="govuk-tag govuk-tag--{colour}">{esc(text)}</strong>'


def _board_row(episode: dict, alerts: list, *, now, episode_url: str, photo_url_template: str | None) -> str:
    """One row of the board as HTML, from a row of selectors.missing_board_for. Every value from the database
    goes through ``esc`` (html.escape, the same five characters Django's autoescape replaces); the rest is
    constant markup."""
    first, last, preferred = episode["child__first_name"], episode["child__last_name"], episode["child__preferred_name"]
    name = esc(full_name_of(first, last))
    if episode["latest_photo_id"] and photo_url_template:
        picture = photo_url_template.replace(str(_UUID0), str(episode["child_id"])).replace(
            str(_UUID1), str(episode["latest_photo_id"])
        )
        photo = f'<img src="{esc(picture)}" alt="Photo of {name}" width="60" class="app-thumbnail">'
    else:
        photo = '<span class="govuk-hint govuk-!-margin-0">No photo</span>'
    tags = []
    if is_trafficked_status(episode["child__trafficking_status"]):
        tags.append(_tag("Trafficked", "red"))
    if is_current_uasc_status(episode["child__is_uasc"], episode["child__uasc_ceased_date"]):
        tags.append(_tag("UASC", "purple"))
    recent = episode["recent_episodes"]
    if recent >= selectors.REPEAT_THRESHOLD:
        days = selectors.REPEAT_WINDOW.days
        tags.append(_tag(f"{recent} episodes in {days} days: consider a strategy discussion", "orange"))
    risk_text, risk_colour = _RISK_TAGS.get(episode["risk_level"], ("Low", "grey"))
    started_at = episode["started_at"]
    since = timezone.localtime(started_at, now.tzinfo).strftime("%-d %b %H:%M")
    team = f" · {esc(episode['team_name'])}" if episode["team_name"] else ""
    url = esc(episode_url.replace(str(_UUID0), str(episode["id"])))
    kind = "Missing" if episode["kind"] == Kind.MISSING else "Away"
    police = esc(episode["police_reference"] or "Not reported yet")
    shown_as = display_name_of(first, last, preferred)
    child_id = esc(episode["child__la_child_id"])
    return (
        f'<tr class="govuk-table__row" data-episode="{episode["id"]}">'
        f'<td class="govuk-table__cell">{photo}</td>'
        f'<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{esc(shown_as)}</a>'
        f'<br><span class="govuk-hint govuk-!-margin-0">{child_id}{team}</span>{"".join(tags)}</td>'
        f'<td class="govuk-table__cell">{kind}</td>'
        f'<td class="govuk-table__cell">{esc(duration_text(now - started_at))}<br>'
        f'<span class="govuk-hint govuk-!-margin-0">since {esc(since)}</span></td>'
        f'<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--{risk_colour}">{risk_text}</strong></td>'
        f'<td class="govuk-table__cell">{police}</td>'
        f'<td class="govuk-table__cell">{esc(alert_state(alerts))}</td>'
        "</tr>"
    )


def _local(when, now) -> str:
    """A date and time as the templates write it (``j M Y H:i``), in the board's time zone."""
    return timezone.localtime(when, now.tzinfo).strftime("%-d %b %Y %H:%M")


def _overdue_row(episode: MissingEpisode, *, now, episode_url: str) -> str:
    """One row of the board's overdue return interviews, escaped like ``_board_row``."""
    child = episode.child
    interview = interview_of(episode)
    offered = _local(interview.offered_at, now) if interview and interview.offered_at else "Not yet"
    url = esc(episode_url.replace(str(_UUID0), str(episode.pk)))
    back_for = esc(duration_text(now - episode.ended_at))
    return (
        '<tr class="govuk-table__row">'
        f'<td class="govuk-table__cell"><a class="govuk-link" href="{url}">{esc(child.display_name)}</a>'
        f'<br><span class="govuk-hint govuk-!-margin-0">{esc(child.la_child_id)}</span></td>'
        f'<td class="govuk-table__cell">{_local(episode.ended_at, now)} ({back_for} ago)</td>'
        '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--red">Overdue</strong> '
        f"{_local(selectors.return_interview_due_at(episode), now)}</td>"
        f'<td class="govuk-table__cell">{offered}</td>'
        "</tr>"
    )


@require_safe
@login_required
def board(request):
    require(request.user, Permission.BOARD_VIEW)
    now = timezone.localtime()
    episode_url = reverse("episode_detail", args=[_UUID0])
    photo_url_template = reverse_or_none("child_photo", _UUID0, _UUID1)
    alerts = selectors.board_alerts_for(request.user)
    rows = [
        # Safe: _board_row escapes every value it places.
        mark_safe(  # noqa: S308
            _board_row(
                e, alerts.get(e["id"], []), now=now, episode_url=episode_url, photo_url_template=photo_url_template
            )
        )
        for e in selectors.missing_board_for(request.user)
    ]
    overdue = [
        mark_safe(_overdue_row(e, now=now, episode_url=episode_url))  # noqa: S308 (escaped in _overdue_row)
        for e in selectors.board_overdue_interviews_for(request.user)[:200]
    ]
    context = {
        "rows": rows,
        "overdue": overdue,
        "can_report": has_permission(request.user, Permission.EPISODE_REPORT),
        "updated_at": now,
        "refresh_seconds": BOARD_REFRESH_SECONDS,
    }
    return render(request, "missing_episodes/board.html", context)
