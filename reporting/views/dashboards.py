"""The management dashboards page: filters (a GET form) and six panels, each a heading, an SVG chart and a
table with the same numbers. The numbers come from ``reporting.dashboards``; this module only lays them out.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe

from casework.access import Permission, has_permission
from casework.selectors import teams_for
from reporting import charts
from reporting.dashboards import Dashboards, Filters, dashboards_for
from reporting.forms.dashboards import DashboardFilterForm


def _date(day) -> str:
    return f"{day.day} {day:%B %Y}"


def _percent(share) -> str:
    return f"{share.percent}%"


def _minutes(value: float | None) -> str:
    if value is None:
        return "Not applicable"
    text = f"{value:g}"
    return f"{text} minute" if value == 1 else f"{text} minutes"


def _days(value: float | None) -> str:
    if value is None:
        return "Not applicable"
    text = f"{value:g}"
    return f"{text} day" if value == 1 else f"{text} days"


def _month_label(month, *, first: bool) -> str:
    """The month under its bar ("Jan"), with the year on a second line for January and the first month."""
    return f"{month:%b}\n{month:%Y}" if first or month.month == 1 else f"{month:%b}"


def _episodes_panel(data: Dashboards) -> dict:
    months = data.episodes.months
    chart = charts.vertical_bar_chart(
        chart_id="chart-episodes",
        title="Episodes starting each month, missing and away",
        description=(
            f"{data.episodes.missing} missing and {data.episodes.away} away episodes started between "
            f"{_date(data.filters.date_from)} and {_date(data.filters.date_to)}. The table below gives each month."
        ),
        categories=[_month_label(m.month, first=i == 0) for i, m in enumerate(months)],
        series=[
            charts.Series("Missing (M)", [m.missing for m in months], charts.DARK_BLUE),
            charts.Series("Away (A)", [m.away for m in months], charts.LIGHT_BLUE),
        ],
    )
    rows = [[f"{m.month:%B %Y}", m.missing, m.away, m.total] for m in months]
    rows.append(["Total", data.episodes.missing, data.episodes.away, data.episodes.total])
    return {
        "empty": data.episodes.total == 0,
        "chart": chart,
        "head": ["Month", "Missing (M)", "Away (A)", "Total"],
        "rows": rows,
    }


def _missing_now_panel(data: Dashboards) -> dict:
    now = data.missing_now
    chart = charts.horizontal_bar_chart(
        chart_id="chart-missing-now",
        title="Children missing or away now, by risk level",
        description=f"{now.total} children are missing or away now. The table below gives each risk level.",
        items=[(r.label, r.count) for r in now.by_risk],
        colour=charts.BLUE,
    )
    rows = [[r.label, r.count, r.trafficked, r.uasc] for r in now.by_risk]
    rows.append(["Total", now.total, now.trafficked, now.uasc])
    return {
        "empty": now.total == 0,
        "chart": chart,
        "head": ["Risk level", "Missing or away now", "Trafficked or suspected", "Unaccompanied (UASC)"],
        "rows": rows,
    }


def _repeat_panel(data: Dashboards) -> dict:
    repeat = data.repeat
    chart = charts.horizontal_bar_chart(
        chart_id="chart-repeat",
        title="Children missing most often (repeat missing)",
        description=(
            f"{repeat.count} children had 3 or more episodes within 30 days. "
            "The table below lists the children with the most episodes."
        ),
        items=[(c.la_child_id, c.episodes) for c in repeat.top],
        colour=charts.DARK_BLUE,
    )
    rows = [
        [
            format_html('<a class="govuk-link" href="{}">{}</a>', reverse("child_detail", args=[c.child_id]), c.name),
            c.la_child_id,
            c.episodes,
        ]
        for c in repeat.top
    ]
    return {
        "empty": repeat.count == 0,
        "count": repeat.count,
        "not_listed": repeat.not_listed,
        "chart": chart if repeat.top else "",
        "head": ["Child", "Child ID", "Episodes in the period"],
        "rows": rows,
    }


def _interviews_panel(data: Dashboards) -> dict:
    interviews = data.interviews
    chart = charts.horizontal_bar_chart(
        chart_id="chart-interviews",
        title="Return interviews after children came back",
        description=(
            f"{interviews.total} episodes ended with the child found or returned. "
            "The table below gives the number and percentage for each outcome."
        ),
        items=[(s.label, s.count) for s in interviews.rows],
        label_width=250,
    )
    rows = [[s.label, s.count, _percent(s)] for s in interviews.rows]
    rows.append(["Total", interviews.total, "100%" if interviews.total else "0%"])
    return {
        "empty": interviews.total == 0,
        "chart": chart,
        "head": ["Return interview", "Episodes", "Percentage"],
        "rows": rows,
    }


def _alerts_panel(data: Dashboards) -> dict:
    alerts = data.alerts
    chart = charts.horizontal_bar_chart(
        chart_id="chart-alerts",
        title="Time to the first acknowledgement of high alerts",
        description=(
            f"{alerts.total} high alerts were raised; {alerts.acknowledged} were acknowledged. "
            "The table below gives the number in each band."
        ),
        items=[(s.label, s.count) for s in alerts.bands],
        label_width=210,
    )
    return {
        "empty": alerts.total == 0,
        "chart": chart,
        "summary": [
            ["High alerts raised", alerts.total],
            ["Acknowledged", alerts.acknowledged],
            ["Median time to acknowledge", _minutes(alerts.median_minutes)],
            ["90th percentile (9 in 10 acknowledged within)", _minutes(alerts.p90_minutes)],
        ],
        "head": ["Time to first acknowledgement", "High alerts", "Percentage"],
        "rows": [[s.label, s.count, _percent(s)] for s in alerts.bands],
        "escalation_head": ["Highest escalation level reached", "High alerts", "Percentage"],
        "escalation_rows": [[s.label, s.count, _percent(s)] for s in alerts.escalation],
    }


def _nrm_panel(data: Dashboards) -> dict:
    nrm = data.nrm
    bands = [s.label for s in nrm.waiting_rg]
    chart = charts.vertical_bar_chart(
        chart_id="chart-nrm",
        title="Children waiting for an NRM decision, by time waited",
        description=(
            f"{nrm.waiting_rg_total} children are waiting for a reasonable grounds decision and "
            f"{nrm.waiting_cg_total} for a conclusive grounds decision. The table below gives each band."
        ),
        categories=bands,
        series=[
            charts.Series("Reasonable grounds", [s.count for s in nrm.waiting_rg], charts.DARK_BLUE),
            charts.Series("Conclusive grounds", [s.count for s in nrm.waiting_cg], charts.LIGHT_BLUE),
        ],
    )
    rows = [
        ["Reasonable grounds", *[s.count for s in nrm.waiting_rg], nrm.waiting_rg_total],
        ["Conclusive grounds (after a positive reasonable grounds decision)", *[s.count for s in nrm.waiting_cg]]
        + [nrm.waiting_cg_total],
    ]
    return {
        "empty": nrm.waiting_rg_total == 0 and nrm.waiting_cg_total == 0,
        "chart": chart,
        "head": ["Waiting for", *bands, "Total"],
        "rows": rows,
        "decisions_head": ["Decision", "Decisions in the period", "Median wait"],
        "decisions_rows": [
            ["Referral to reasonable grounds", nrm.decided_rg, _days(nrm.median_days_to_rg)],
            ["Reasonable grounds to conclusive grounds", nrm.decided_cg, _days(nrm.median_days_to_cg)],
        ],
    }


def _period(filters: Filters) -> str:
    team = filters.team.name if filters.team else "all teams"
    return f"{_date(filters.date_from)} to {_date(filters.date_to)}, {team}"


@require_safe
@login_required
def dashboards(request):
    user = request.user
    if not has_permission(user, Permission.DASHBOARD_VIEW):
        raise PermissionDenied
    form = DashboardFilterForm(request.GET or None, teams=teams_for(user))
    if form.is_bound and not form.is_valid():
        return render(request, "reporting/dashboards.html", {"form": form}, status=400)
    data = dashboards_for(user, form.filters())
    context = {
        "form": form,
        "period": _period(data.filters),
        "episodes": _episodes_panel(data),
        "missing_now": _missing_now_panel(data),
        "repeat": _repeat_panel(data),
        "interviews": _interviews_panel(data),
        "alerts": _alerts_panel(data),
        "nrm": _nrm_panel(data),
    }
    return render(request, "reporting/dashboards.html", context)
