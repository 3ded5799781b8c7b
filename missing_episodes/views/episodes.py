"""GOV.UK pages for missing episodes: report a child missing, the live board, one episode and what follows.

Each view loads through a scoped selector (outside the user's scope an episode does not exist: 404),
checks the permission (403), validates a form, calls one service and redirects with a success banner.
Its only ``try`` turns a service's ValidationError, StaleVersion or StateConflict into what the user sees.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from casework import audit
from casework import selectors as child_selectors
from casework.access import Permission, child_sections, has_permission
from casework.exceptions import StaleVersion, StateConflict
from casework.models import Child
from missing_episodes import pack, selectors, services
from missing_episodes.alerts import selectors as alert_selectors
from missing_episodes.alerts import services as alert_services
from missing_episodes.alerts.forms import RiskLevelForm
from missing_episodes.forms.episodes import (
    AddUpdateForm,
    ChildSearchForm,
    CloseEpisodeForm,
    EditEpisodeForm,
    ReclassifyForm,
    ReportMissingForm,
    ReturnInterviewForm,
)
from missing_episodes.models import Kind, MissingEpisode, Outcome, ReturnInterview
from missing_episodes.views.common import (
    apply_errors,
    duration_text,
    episode_or_404,
    interview_of,
    render_form,
    require,
    reverse_or_none,
)

STALE_MESSAGE = (
    "Someone else changed this episode since you opened this page. Nothing was saved. "
    "Open the episode again to see their changes, then make yours."
)
SEARCH_LIMIT = 20


# --- Report a child missing -----------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def report(request):
    require(request.user, Permission.EPISODE_REPORT)
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
                apply_errors(form, error)
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


# --- One episode ----------------------------------------------------------------------------------


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
    episode = episode_or_404(request.user, episode_id)
    require(request.user, Permission.CHILD_VIEW)
    now = timezone.now()
    interview = interview_of(episode)
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
        "child_url": reverse_or_none("child_detail", episode.child_id),
        "alerts": alert_selectors.with_recipients(alert_selectors.alerts_for(request.user).filter(episode=episode)),
        "can_set_risk": has_permission(request.user, Permission.RISK_LOWER) and episode.is_open,
    }
    return render(request, "missing_episodes/episode.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def set_risk(request, episode_id):
    """Managers grade the authority's risk; lowering a high grade needs a reason (kept in history)."""
    episode = episode_or_404(request.user, episode_id)
    require(request.user, Permission.RISK_LOWER)
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
    episode = episode_or_404(request.user, episode_id)
    require(request.user, Permission.EPISODE_EDIT)
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
            apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return render_form(request, episode, form, template="close.html", status=409)
        except StateConflict as conflict:
            return _closed_conflict(request, episode, conflict.message)
        else:
            messages.success(request, f"{episode.child.full_name} is recorded as back. Their return interview is due")
            return redirect("episode_detail", episode_id=episode.pk)
    return render_form(request, episode, form, template="close.html", status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def reclassify(request, episode_id):
    episode = episode_or_404(request.user, episode_id)
    require(request.user, Permission.EPISODE_EDIT)
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
            apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return render_form(request, episode, form, template="reclassify.html", status=409)
        except StateConflict as conflict:
            return _closed_conflict(request, episode, conflict.message)
        else:
            state = "missing" if new.kind == Kind.MISSING else "away"
            messages.success(request, f"{episode.child.full_name} is now recorded as {state}")
            return redirect("episode_detail", episode_id=new.pk)
    return render_form(request, episode, form, template="reclassify.html", status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def add_update(request, episode_id):
    episode = episode_or_404(request.user, episode_id)
    require(request.user, Permission.EPISODE_EDIT)
    form = AddUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_update(episode=episode, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The update has been added to the timeline")
            return redirect("episode_detail", episode_id=episode.pk)
    return render_form(request, episode, form, template="add_update.html", status=400 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def return_interview(request, episode_id):
    episode = episode_or_404(request.user, episode_id)
    require(request.user, Permission.EPISODE_EDIT)
    if episode.is_open:
        return _closed_conflict(request, episode, "Close the episode before recording the return interview.")
    interview = interview_of(episode)
    form = ReturnInterviewForm(request.POST or None, initial=ReturnInterviewForm.initial_for(interview))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_return_interview(
                episode=episode, by=request.user, version=form.cleaned_data["version"], **form.service_fields()
            )
        except ValidationError as error:
            apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return render_form(request, episode, form, template="return_interview.html", status=409)
        else:
            messages.success(request, "The return interview has been recorded")
            return redirect("episode_detail", episode_id=episode.pk)
    context = {"due_at": selectors.return_interview_due_at(episode)}
    return render_form(
        request, episode, form, template="return_interview.html", status=400 if form.errors else 200, **context
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def edit(request, episode_id):
    episode = episode_or_404(request.user, episode_id)
    require(request.user, Permission.EPISODE_EDIT)
    form = EditEpisodeForm(request.POST or None, initial=EditEpisodeForm.initial_for(episode))
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"]
        try:
            services.update_episode(episode=episode, by=request.user, version=version, **form.changed_fields(episode))
        except ValidationError as error:
            apply_errors(form, error)
        except StaleVersion:
            form.add_error(None, STALE_MESSAGE)
            return render_form(request, episode, form, template="edit.html", status=409)
        else:
            messages.success(request, "The episode's details have been changed")
            return redirect("episode_detail", episode_id=episode.pk)
    return render_form(request, episode, form, template="edit.html", status=400 if form.errors else 200)


# --- The missing-person pack ----------------------------------------------------------------------


@require_safe
@login_required
def episode_pack(request, episode_id):
    episode = episode_or_404(request.user, episode_id)
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
