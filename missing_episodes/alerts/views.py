"""GOV.UK pages for alerts: "My alerts", one alert with who acknowledged when, and acknowledging."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from casework.access import Permission, has_permission
from missing_episodes.alerts import selectors as alert_selectors
from missing_episodes.alerts import services as alert_services
from missing_episodes.alerts.forms import AcknowledgeForm
from missing_episodes.models import Alert, AlertStatus

PAGE_SIZE = 50


def _alert_or_404(user, alert_id) -> Alert:
    try:
        return alert_selectors.alert_for(user, alert_id)
    except Alert.DoesNotExist as exc:
        raise Http404 from exc


@require_safe
@login_required
def my_alerts(request):
    if not has_permission(request.user, Permission.ALERT_ACK):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in ("", *AlertStatus.values):
        status = ""
    alerts = alert_selectors.alert_list_for(request.user, status=status or None)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "alerts": page,
        "page_obj": page,
        "querystring": urlencode({"status": status}) if status else "",
        "status": status,
        "statuses": AlertStatus.choices,
    }
    return render(request, "missing_episodes/alerts/list.html", context)


@require_safe
@login_required
def alert_detail(request, alert_id):
    alert = _alert_or_404(request.user, alert_id)
    acked_by_me = any(a.user_id == request.user.pk for a in alert.acknowledgements.all())
    return render(
        request,
        "missing_episodes/alerts/detail.html",
        {
            "alert": alert,
            "recipients": alert_selectors.recipients_of(alert),
            "form": AcknowledgeForm(),
            "can_acknowledge": has_permission(request.user, Permission.ALERT_ACK) and not acked_by_me,
            "acknowledgements": alert.acknowledgements.all(),
        },
    )


@require_POST
@login_required
def acknowledge(request, alert_id):
    alert = _alert_or_404(request.user, alert_id)
    if not has_permission(request.user, Permission.ALERT_ACK):
        raise PermissionDenied
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "missing_episodes/alerts/detail.html",
            {
                "alert": alert,
                "recipients": alert_selectors.recipients_of(alert),
                "form": form,
                "can_acknowledge": True,
                "acknowledgements": alert.acknowledgements.all(),
            },
            status=400,
        )
    alert_services.acknowledge_alert(alert=alert, by=request.user, note=form.cleaned_data["note"])
    messages.success(request, "You have acknowledged this alert")
    return redirect("alert_detail", alert_id=alert.pk)
