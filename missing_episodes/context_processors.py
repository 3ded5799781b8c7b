from django.urls import reverse

from casework.access import Permission, has_permission
from missing_episodes.alerts.selectors import unacknowledged_count


def alerts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not has_permission(user, Permission.ALERT_ACK):
        return {}
    return {"alert_count": unacknowledged_count(user), "alerts_url": reverse("alerts")}
