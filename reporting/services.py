"""Running returns: queue a run, generate its files in a Celery task with progress, validate, record."""

import errno
import logging
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from casework.access import Permission, has_permission
from casework.audit import log_access
from reporting.csvfiles import staged_directory
from reporting.generators import GENERATORS
from reporting.models import ReturnKind, ReturnRun, RunStatus

logger = logging.getLogger(__name__)
# Queued by name: services never import the tasks that call them (reporting.tasks.generate_return).
GENERATE_TASK = "reporting.tasks.generate_return"
FIRST_YEAR = 2015
DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
DISK_FULL_MESSAGE = (
    "The disk is full: the return could not be written. Nothing was kept; try again when space has been freed."
)


def run_directory(run: ReturnRun) -> Path:
    return Path(settings.MEDIA_ROOT) / "returns" / str(run.pk)


def _save(run: ReturnRun, by=None) -> None:
    if by is not None:
        run._history_user = by
    run.save()


@transaction.atomic
def request_return(*, kind: str, year: int, by) -> ReturnRun:
    """Queue a run for the caller's authority; the work happens in a Celery task (reports queue)."""
    if not has_permission(by, Permission.RETURN_RUN):
        raise PermissionDenied("Your role cannot run returns")
    errors = {}
    if kind not in ReturnKind.values:
        errors["kind"] = ["Choose ssda903, annex_a_list8 or trafficking_missing_summary"]
    elif kind not in GENERATORS:
        errors["kind"] = ["This return is not available yet"]
    this_year = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= this_year:
        errors["year"] = [f"Enter a collection year between {FIRST_YEAR} and {this_year}"]
    if errors:
        raise ValidationError(errors)
    run = ReturnRun(organisation=by.organisation, kind=kind, year=year, requested_by=by)
    _save(run, by)
    transaction.on_commit(lambda: _queue(run.pk))
    return run


def _queue(run_id) -> None:
    try:
        current_app.send_task(GENERATE_TASK, args=[str(run_id)], retry=False)
    except Exception:  # noqa: BLE001 - the run stays queued; the sweeper picks it up
        logger.warning("Could not queue return run %s", run_id)


def set_progress(run: ReturnRun, percent: int) -> None:
    # Progress is a display hint, excluded from history; a plain update avoids a history row per tick.
    ReturnRun.objects.filter(pk=run.pk).update(progress=max(0, min(100, percent)))


def generate(run_id) -> ReturnRun:
    """Build the run's files, validate them and record the outcome. Safe to call again (idempotent)."""
    run = ReturnRun.objects.select_related("organisation", "requested_by").get(pk=run_id)
    if run.status == RunStatus.DONE:
        return run
    run.status, run.started_at, run.error = RunStatus.RUNNING, timezone.now(), ""
    _save(run)
    set_progress(run, 1)
    try:
        with staged_directory(run_directory(run)) as scratch:
            counts, problems = GENERATORS[run.kind](
                organisation=run.organisation,
                year=run.year,
                directory=scratch,
                progress=lambda pct: set_progress(run, pct),
            )
            validation = _validate(run, scratch, problems)
    except OSError as exc:
        # staged_directory has already removed the partial files: nothing half-written can be listed or downloaded.
        logger.error("Return run %s could not write its files: %s", run.pk, exc.strerror or type(exc).__name__)
        if exc.errno in DISK_FULL:
            return _fail(run, DISK_FULL_MESSAGE)
        return _fail(run, f"The files could not be written: {exc.strerror or exc}. Nothing was kept; try again.")
    except Exception as exc:
        logger.exception("Return run %s failed", run.pk)
        return _fail(run, f"The return could not be generated ({type(exc).__name__}). Nothing was kept.")
    run.files = [{"name": name, "rows": rows} for name, rows in counts.items()]
    run.validation = validation
    run.status, run.progress, run.finished_at = RunStatus.DONE, 100, timezone.now()
    _save(run)
    log_access(user=run.requested_by, obj=run, action="return_generated", detail=f"{run.kind} {run.year}")
    return run


def _fail(run: ReturnRun, message: str) -> ReturnRun:
    run.status, run.error, run.finished_at = RunStatus.FAILED, message, timezone.now()
    run.files = []
    _save(run)
    return run


def _validate(run: ReturnRun, directory: Path, problems: list[dict]) -> dict:
    issues = list(problems)
    result = {"errors": len(issues), "warnings": 0, "issues": issues, "validator": "not run"}
    if run.kind != ReturnKind.SSDA903:
        result["validator"] = "not applicable"
        return result
    from reporting import validation

    try:
        outcome = validation.validate_903(directory, year=run.year, la_ons_code=run.organisation.ons_code)
    except validation.ValidatorUnavailable as exc:
        result["validator"] = f"unavailable: {exc}"
        return result
    result["validator"] = "csc-validator-be-903"
    for issue in outcome.issues:
        issues.append(
            {
                "child": issue.child,
                "rule": issue.rule,
                "field": ", ".join(issue.fields),
                "description": issue.description,
            }
        )
    result["errors"] = len(issues)
    result["warnings"] = outcome.warnings
    result["failed_rules"] = outcome.failed_rules
    return result


def open_file(run: ReturnRun, name: str, *, by):
    """The file of a finished run, logged in the access log; FileNotFoundError if there is none."""
    if run.status != RunStatus.DONE or name not in {f["name"] for f in run.files}:
        raise FileNotFoundError(name)
    path = run_directory(run) / name
    handle = open(path, "rb")  # noqa: SIM115 - streamed and closed by the response
    log_access(user=by, obj=run, action="return_downloaded", detail=name)
    return handle
