"""What missing episodes add to the home page and the child's page."""

from django.utils import timezone

from casework.access import Permission, child_sections, has_permission
from casework.home import HomeSection
from missing_episodes import selectors


def home_section(request) -> HomeSection | None:
    user = request.user
    if not (has_permission(user, Permission.EPISODE_REPORT) or has_permission(user, Permission.BOARD_VIEW)):
        return None
    return HomeSection(
        "missing_episodes/_home.html",
        {
            "can_report": has_permission(user, Permission.EPISODE_REPORT),
            "can_see_board": has_permission(user, Permission.BOARD_VIEW),
            "missing_now": selectors.missing_now_count(user),
            "overdue_interviews": selectors.overdue_return_interviews_for(user).count(),
        },
    )


def child_section(request, child) -> HomeSection | None:
    if "missing" not in child_sections(request.user):
        return None
    episodes = selectors.recent_episodes_of(child)
    return HomeSection(
        "missing_episodes/_child_section.html",
        {
            "child": child,
            "episodes": episodes,
            "open_episode": next((e for e in episodes if e.is_open), None),
            "can_report": has_permission(request.user, Permission.EPISODE_REPORT),
            "repeat_missing": selectors.repeat_missing_among(episodes, now=timezone.now()),
        },
    )
