"""GOV.UK pages for missing episodes: report a child missing, the live board, one episode and what follows.

Each view loads through a scoped selector (outside the user's scope an episode does not exist: 404),
checks the permission (403), validates a form, calls one service and redirects with a success banner.
Its only ``try`` turns a service's ValidationError, StaleVersion or StateConflict into what the user sees.
"""

import uuid
from datetime import timedelta
from html import escape as esc

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from casework import audit
from casework import selectors as child_selectors
from casework.access import Permission, child_sections, has_permission
from casework.exceptions import StaleVersion, StateConflict
from casework.models import Child
from casework.models.children import display_name_of, full_name_of, is_current_uasc_status, is_trafficked_status
from missing_episodes import alert_selectors, alert_services, pack, selectors, services
from missing_episodes.alert_selectors import alert_state
from missing_episodes.forms import (
    AddUpdateForm,
    ChildSearchForm,
    CloseEpisodeForm,
    EditEpisodeForm,
    ReclassifyForm,
    ReportMissingForm,
    ReturnInterviewForm,
)
from missing_episodes.forms_alerts import RiskLevelForm
from missing_episodes.models import Kind, MissingEpisode, Outcome, ReturnInterview, RiskLevel

STALE_MESSAGE = (
    "Someone else changed this episode since you opened this page. Nothing was saved. "
    "Open the episode again to see their changes, then make yours."
)
SEARCH_LIMIT = 20


# --- Helpers --------------------------------------------------------------------------------------


def _require(user, perm: Permission) -> None:
    if not has_permission(user, perm):
        raise PermissionDenied


def _episode_or_404(user, episode_id) -> MissingEpisode:
    try:
        return selectors.episode_for(user, episode_id)
    except MissingEpisode.DoesNotExist as exc:
        raise Http404 from exc


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: by field where the form has it, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _reverse_or_none(name: str, *args) -> str | None:
    """A link to a page another part of the service provides, if it exists yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def duration_text(delta: timedelta) -> str:
    """ "2 days 4 hours", "5 hours 10 minutes", "45 minutes"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)

    def unit(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days:
        return unit(days, "day") + (f" {unit(hours, 'hour')}" if hours else "")
    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    return unit(minutes, "minute")


def _render_form(request, episode, form, *, template: str, status: int = 200, **extra):
    context = {"episode": episode, "child": episode.child, "form": form, **extra}
    return render(request, f"missing_episodes/{template}", context, status=status)


# --- Report a child missing -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report(request):
    _require(request.user, Permission.EPISODE_REPORT)
    children = child_selectors.children_visible_to(request.user)
    source = request.POST if request.method == "POST" else request.GET
    fixed_child = None
    child_id = source.get("child") if request.method == "GET" else request.POST.get("fixed_child")
    if child_id:
        try:
            fixed_child = children.get(pk=uuid.UUID(str(child_id)))
        except (ValueError, Child.DoesNotExist) as exc:
            raise Http404 from exc
    query = source.get("q", "").strip()
    search = ChildSearchForm({"q": query} if query else None)
    candidates = []
    if query:
        with child_selectors.name_search_plan():
            candidates = list(child_selectors.search_children(children, query)[:SEARCH_LIMIT])

    if request.method == "POST":
        form = ReportMissingForm(request.POST, children=children, candidates=candidates, fixed_child=fixed_child)
        if form.is_valid():
            fields = form.service_fields()
            try:
                episode = services.report_missing(by=request.user, **fields)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                state = "missing" if episode.kind == Kind.MISSING else "away"
                messages.success(request, f"{episode.child.full_name} is recorded as {state}. Alerts are being sent")
                return redirect("episode_detail", episode_id=episode.pk)
        status = 400
    else:
        form = ReportMissingForm(
            children=children, candidates=candidates, fixed_child=fixed_child, initial={"q": query}
        )
        status = 200
    context = {
        "form": form,
        "search": search,
        "query": query,
        "candidates": candidates,
        "fixed_child": fixed_child,
        "show_form": fixed_child is not None or bool(candidates),
    }
    return render(request, "missing_episodes/report.html", context, status=status)


# --- The live board -------------------------------------------------------------------------------
# The board may hold hundreds of rows and refreshes every minute, so each row is built here as a string
# with every value escaped (as a template would, at a fraction of the cost) and the template only places them.

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
    interview = _interview_of(episode)
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
    _require(request.user, Permission.BOARD_VIEW)
    now = timezone.localtime()
    episode_url = reverse("episode_detail", args=[_UUID0])
    photo_url_template = _reverse_or_none("child_photo", _UUID0, _UUID1)
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


# --- One episode ----------------------------------------------------------------------------------


def _interview_of(episode: MissingEpisode) -> ReturnInterview | None:
    try:
        return episode.return_interview
    except ReturnInterview.DoesNotExist:
        return None


def _interview_state(episode: MissingEpisode, interview: ReturnInterview | None, now) -> dict:
    due_at = selectors.return_interview_due_at(episode)
    needed = not episode.is_open and episode.outcome not in (Outcome.RECLASSIFIED, Outcome.LEFT_CARE)
    done = interview is not None and (interview.completed_at is not None or interview.accepted is False)
    return {
        "needed": needed,
        "due_at": due_at,
        "done": done,
        "overdue": needed and not done and due_at is not None and now > due_at,
    }


@require_safe
@login_required
def episode_detail(request, episode_id):
    episode = _episode_or_404(request.user, episode_id)
    _require(request.user, Permission.CHILD_VIEW)
    now = timezone.now()
    interview = _interview_of(episode)
    can_edit = has_permission(request.user, Permission.EPISODE_EDIT)
    try:
        replaced_by = episode.reclassified_as
    except MissingEpisode.DoesNotExist:
        replaced_by = None
    context = {
        "episode": episode,
        "child": episode.child,
        "updates": episode.updates.all(),
        "interview": interview,
        "interview_state": _interview_state(episode, interview, now),
        "missing_for": duration_text((episode.ended_at or now) - episode.started_at),
        "repeat": selectors.is_repeat_missing(episode.child, now=now),
        "repeat_threshold": selectors.REPEAT_THRESHOLD,
        "repeat_days": selectors.REPEAT_WINDOW.days,
        "replaced_by": replaced_by,
        "can_edit": can_edit,
        "can_download_pack": "pack_details" in child_sections(request.user),
        "child_url": _reverse_or_none("child_detail", episode.child_id),
        "alerts": alert_selectors.with_recipients(alert_selectors.alerts_for(request.user).filter(episode=episode)),
        "can_set_risk": has_permission(request.user, Permission.RISK_LOWER) and episode.is_open,
    }
    return render(request, "missing_episodes/episode.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def set_risk(request, episode_id):
    """Managers grade the authority's risk; lowering a high grade needs a reason (kept in history)."""
    episode = _episode_or_404(request.user, episode_id)
    _require(request.user, Permission.RISK_LOWER)
    form = RiskLevelForm(request.POST or None, initial={"version": episode.version, "risk_level": episode.risk_level})
    if request.method == "POST" and form.is_valid():
        try:
            alert_services.set_risk_level(
                episode=episode,
                by=request.user,
                level=form.cleaned_data["risk_level"],
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            for messages_ in exc.message_dict.values():
                for message in messages_:
                    form.add_error("reason" if "reason" in message.lower() else None, message)
        except StaleVersion as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Risk level changed")
            return redirect("episode_detail", episode_id=episode.pk)
    status = 400 if form.errors else 200
    return render(request, "missing_episodes/set_risk.html", {"form": form, "episode": episode}, status=status)


def _closed_conflict(request, episode, message: str):
    messages.info(request, message)
    return redirect("episode_detail", episode_id=episode.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def close(request, episode_id):
    episode = _episode_or_404(request.user, episode_id)
    _require(request.user, Permission.EPISODE_EDIT)
    if not episode.is_open:
        return _closed_conflict(request, episode, "This episode is already closed.")
    form = CloseEpisodeForm(request.POST or None, initial={"version": episode.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.close_episode(
                episode=episode,
                by=request.user,
                version=data["version"],
                ended_at=data["ended_at"],
                outcome=data["outcome"],
                found_location=data["found_location"],
                notes=data["notes"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return _render_form(request, episode, form, template="close.html", status=409)
        except StateConflict as conflict:
            return _closed_conflict(request, episode, conflict.message)
        else:
            messages.success(request, f"{episode.child.full_name} is recorded as back. Their return interview is due")
            return redirect("episode_detail", episode_id=episode.pk)
    return _render_form(request, episode, form, template="close.html", status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reclassify(request, episode_id):
    episode = _episode_or_404(request.user, episode_id)
    _require(request.user, Permission.EPISODE_EDIT)
    if not episode.is_open:
        return _closed_conflict(request, episode, "Only an open episode can be reclassified.")
    other = Kind.AWAY if episode.kind == Kind.MISSING else Kind.MISSING
    form = ReclassifyForm(request.POST or None, initial={"version": episode.version, "kind": other})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.reclassify(
                episode=episode, by=request.user, version=data["version"], kind=data["kind"], at=data["at"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return _render_form(request, episode, form, template="reclassify.html", status=409)
        except StateConflict as conflict:
            return _closed_conflict(request, episode, conflict.message)
        else:
            state = "missing" if new.kind == Kind.MISSING else "away"
            messages.success(request, f"{episode.child.full_name} is now recorded as {state}")
            return redirect("episode_detail", episode_id=new.pk)
    return _render_form(request, episode, form, template="reclassify.html", status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def add_update(request, episode_id):
    episode = _episode_or_404(request.user, episode_id)
    _require(request.user, Permission.EPISODE_EDIT)
    form = AddUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update(episode=episode, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The update has been added to the timeline")
            return redirect("episode_detail", episode_id=episode.pk)
    return _render_form(request, episode, form, template="add_update.html", status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def return_interview(request, episode_id):
    episode = _episode_or_404(request.user, episode_id)
    _require(request.user, Permission.EPISODE_EDIT)
    if episode.is_open:
        return _closed_conflict(request, episode, "Close the episode before recording the return interview.")
    interview = _interview_of(episode)
    form = ReturnInterviewForm(request.POST or None, initial=ReturnInterviewForm.initial_for(interview))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_return_interview(
                episode=episode, by=request.user, version=form.cleaned_data["version"], **form.service_fields()
            )
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return _render_form(request, episode, form, template="return_interview.html", status=409)
        else:
            messages.success(request, "The return interview has been recorded")
            return redirect("episode_detail", episode_id=episode.pk)
    context = {"due_at": selectors.return_interview_due_at(episode)}
    return _render_form(
        request, episode, form, template="return_interview.html", status=400 if form.errors else 200, **context
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request, episode_id):
    episode = _episode_or_404(request.user, episode_id)
    _require(request.user, Permission.EPISODE_EDIT)
    form = EditEpisodeForm(request.POST or None, initial=EditEpisodeForm.initial_for(episode))
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            services.update_episode(episode=episode, by=request.user, version=version, **form.changed_fields(episode))
        except ValidationError as error:
            _apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return _render_form(request, episode, form, template="edit.html", status=409)
        else:
            messages.success(request, "The episode's details have been changed")
            return redirect("episode_detail", episode_id=episode.pk)
    return _render_form(request, episode, form, template="edit.html", status=400 if form.errors else 200)


# --- The missing-person pack ----------------------------------------------------------------------


@require_safe
@login_required
def episode_pack(request, episode_id):
    episode = _episode_or_404(request.user, episode_id)
    if "pack_details" not in child_sections(request.user):
        raise PermissionDenied
    try:
        child = child_selectors.child_for(request.user, episode.child_id)
    except Child.DoesNotExist as exc:
        raise Http404 from exc
    previous = selectors.episodes_visible_to(request.user, child=child).exclude(pk=episode.pk).order_by("-started_at")
    pdf = pack.render_pack(child=child, episode=episode, previous_episodes=list(previous[:20]), by=request.user)
    audit.log_access(user=request.user, obj=child, action="missing_person_pack", detail=f"episode {episode.pk}")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="missing-person-pack-{child.la_child_id}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
