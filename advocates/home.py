"""The advocate's home page: caseload, alerts and recent contacts."""

from casework.home import HomeSection
from casework.models import Role


def caseload_section(request) -> HomeSection | None:
    if request.user.role != Role.ADVOCATE:
        return None
    from advocates import selectors
    from missing_episodes.alerts.selectors import alert_list_for

    return HomeSection(
        "advocates/_home.html",
        {
            "caseload": selectors.caseload_for(request.user),
            "alerts": alert_list_for(request.user).exclude(status="resolved").order_by("-created_at")[:10],
            "contacts": selectors.recent_contacts_for(request.user),
        },
    )
