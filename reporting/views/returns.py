"""GOV.UK pages for the statutory returns: ask for one, watch it run, read its validation, download its files.

Runs are loaded through ``reporting.selectors`` (another authority's run, or any run for a role that cannot
run returns, does not exist: 404); the generation itself happens in a Celery task (``reporting.services``).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from casework.access import Permission, has_permission, visible_children
from reporting import selectors, services
from reporting.downloads import file_response
from reporting.forms.returns import ReturnRequestForm, year_label
from reporting.models import ReturnRun, RunStatus

RUNS_PER_PAGE = 20
# How often a run in progress is checked on, by its page and by the list (static/app/auto-refresh.js).
RUN_REFRESH_SECONDS = 2
LIST_REFRESH_SECONDS = 5
IN_PROGRESS = (RunStatus.QUEUED, RunStatus.RUNNING)
STATUS_COLOURS = {
    RunStatus.QUEUED: "grey",
    RunStatus.RUNNING: "blue",
    RunStatus.DONE: "green",
    RunStatus.FAILED: "red",
}


def _require(user, perm: Permission) -> None:
    if not has_permission(user, perm):
        raise PermissionDenied


def _run_or_404(user, run_id) -> ReturnRun:
    try:
        return selectors.run_for(user, run_id)
    except ReturnRun.DoesNotExist as exc:
        raise Http404 from exc


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _status(run: ReturnRun) -> dict:
    return {"text": run.get_status_display(), "colour": STATUS_COLOURS.get(run.status, "grey")}


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def returns(request):
    _require(request.user, Permission.RETURN_RUN)
    form = ReturnRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.request_return(
                kind=form.cleaned_data["kind"], year=form.cleaned_data["year"], by=request.user
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return redirect("return_detail", run_id=run.pk)
    page = Paginator(selectors.runs_visible_to(request.user), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    runs = [
        {
            "run": run,
            "href": reverse("return_detail", args=[run.pk]),
            "kind": run.get_kind_display(),
            "year": year_label(run.year),
            "requested_by": _person(run.requested_by),
            "status": _status(run),
        }
        for run in page.object_list
    ]
    context = {
        "form": form,
        "runs": runs,
        "page_obj": page,
        # The list keeps itself up to date while a run on it is still going.
        "refresh": any(run.status in IN_PROGRESS for run in page.object_list),
        "refresh_seconds": LIST_REFRESH_SECONDS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "reporting/returns.html", context, status=status)


def validator_status(validation: dict) -> str:
    validator = str(validation.get("validator") or "not run")
    if validator == "csc-validator-be-903":
        text = "Checked with the community SSDA903 validator (csc-validator-be-903)."
        failed = validation.get("failed_rules") or []
        if failed:
            text += f" The validator could not check these rules: {', '.join(str(r) for r in failed)}."
        return text
    if validator.startswith("unavailable"):
        reason = validator.partition(":")[2].strip()
        return "The validator was not available, so the files were not checked" + (f": {reason}" if reason else ".")
    if validator == "not applicable":
        return "There is no validator for this return. Only problems found while building it are listed."
    return "The files were not checked by the validator."


def issues_by_child(validation: dict, run: ReturnRun, user) -> list[dict]:
    """Issues grouped per child (table-level issues first), each child linked to their record if the user can
    open it. The validator upper-cases every cell, so Child IDs are matched in any case."""
    groups: dict[str, dict] = {}
    for issue in validation.get("issues") or []:
        child = issue.get("child")
        key = str(child).upper() if child else ""
        group = groups.setdefault(key, {"child": str(child) if child else "", "issues": []})
        group["issues"].append(
            {
                "rule": issue.get("rule", ""),
                "field": issue.get("field", ""),
                "description": issue.get("description", ""),
            }
        )
    children = selectors.children_by_la_id(run.organisation, groups.keys(), visible=visible_children(user))
    for key, group in groups.items():
        child = children.get(key)
        group["href"] = reverse("child_detail", args=[child.pk]) if child else None
        if child:
            group["child"] = child.la_child_id
    return [groups[key] for key in sorted(groups)]


@require_safe
@login_required
def return_detail(request, run_id):
    run = _run_or_404(request.user, run_id)
    finished = run.status in (RunStatus.DONE, RunStatus.FAILED)
    context = {
        "run": run,
        "kind": run.get_kind_display(),
        "year": year_label(run.year),
        "requested_by": _person(run.requested_by),
        "status": _status(run),
        "refresh": not finished,
        "refresh_seconds": RUN_REFRESH_SECONDS,
    }
    if run.status == RunStatus.DONE:
        validation = run.validation or {}
        context["files"] = [
            {"name": f["name"], "rows": f.get("rows", 0), "href": reverse("return_file", args=[run.pk, f["name"]])}
            for f in run.files or []
        ]
        context["validation"] = {
            "errors": validation.get("errors", 0),
            "warnings": validation.get("warnings", 0),
            "status": validator_status(validation),
            "groups": issues_by_child(validation, run, request.user),
        }
    return render(request, "reporting/return_detail.html", context)


@require_safe
@login_required
def return_file(request, run_id, name):
    run = _run_or_404(request.user, run_id)
    try:
        return file_response(run, name, by=request.user)
    except FileNotFoundError as exc:
        raise Http404 from exc
