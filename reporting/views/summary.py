"""The trafficked and unaccompanied children who went missing summary page (domain.md §7), and its CSV.

For the roles that may see the dashboards (Permission.DASHBOARD_VIEW), over the user's own authority only.
Every view of the figures and every download is written to the access log against the authority.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from casework.access import Permission, has_permission
from casework.audit import log_access
from reporting import trafficking_summary
from reporting.forms.returns import DateRangeForm

TEMPLATE = "reporting/trafficking_missing_summary.html"
HEAD = ["Group", "Children", "Children who went missing", "Missing episodes", "Still missing"]


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _form(request):
    """The date-range form (bound when the request gives any dates) and the summary, or None if invalid."""
    user = request.user
    if not has_permission(user, Permission.DASHBOARD_VIEW):
        raise PermissionDenied
    form = DateRangeForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    date_from, date_to = form.period()
    summary = trafficking_summary.summary_for(
        organisation_id=user.organisation_id, date_from=date_from, date_to=date_to
    )
    return form, summary


def _log(user, action: str, summary) -> None:
    if user.organisation is not None:
        detail = f"trafficking_missing_summary {summary.date_from:%Y-%m-%d} to {summary.date_to:%Y-%m-%d}"
        log_access(user=user, obj=user.organisation, action=action, detail=detail)


@require_safe
@login_required
def trafficking_missing_summary(request):
    form, summary = _form(request)
    if summary is None:
        return render(request, TEMPLATE, {"form": form}, status=400)
    _log(request.user, "report_viewed", summary)
    query = urlencode(
        {
            f"{name}_{part}": getattr(day, part)
            for name, day in (("date_from", summary.date_from), ("date_to", summary.date_to))
            for part in ("day", "month", "year")
        }
    )
    context = {
        "form": form,
        "period": f"{_date(summary.date_from)} to {_date(summary.date_to)}",
        "empty": summary.empty,
        "head": HEAD,
        "rows": [[g.label, g.children, g.went_missing, g.episodes, g.still_missing] for g in summary.groups],
        "download_href": f"{reverse('trafficking_missing_summary_csv')}?{query}",
    }
    return render(request, TEMPLATE, context)


@require_safe
@login_required
def trafficking_missing_summary_csv(request):
    form, summary = _form(request)
    if summary is None:
        return render(request, TEMPLATE, {"form": form}, status=400)
    _log(request.user, "report_downloaded", summary)
    name = f"trafficking_missing_summary_{summary.date_from:%Y-%m-%d}_to_{summary.date_to:%Y-%m-%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    trafficking_summary.write_csv(response, summary)
    return response
