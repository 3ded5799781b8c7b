"""What each role sees first when they sign in."""

from dataclasses import dataclass, field

from casework.models import Role


@dataclass(frozen=True)
class HomePage:
    heading: str
    lead: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, url name)


HOME_PAGES: dict[str, HomePage] = {
    Role.SOCIAL_WORKER: HomePage(
        "Your children", "Find a child, record what has changed, and report a child missing at any hour."
    ),
    Role.TEAM_MANAGER: HomePage(
        "Your team", "See your team's children, who is missing now, and alerts waiting for someone to act."
    ),
    Role.SERVICE_MANAGER: HomePage(
        "Service overview",
        "Every child missing from care in your authority, escalations and statutory returns.",
    ),
    Role.MISSING_COORDINATOR: HomePage(
        "Missing children", "Children missing now, return interviews due and alerts across the authority."
    ),
    Role.ADVOCATE: HomePage(
        "Your caseload", "Children allocated to you, their NRM decisions, alerts and your contact records."
    ),
    Role.DATA_OFFICER: HomePage(
        "Statutory returns", "Generate and validate the SSDA903 return, Annex A and the trafficking summary."
    ),
    Role.ADMIN: HomePage(
        "Administration", "Manage organisations, teams and staff accounts. Case records are not edited here."
    ),
}


def home_page_for(user) -> HomePage:
    return HOME_PAGES.get(user.role, HomePage("Children missing from care", ""))


@dataclass(frozen=True)
class HomeSection:
    template: str
    context: dict


# Other apps add what belongs on a role's home page: (request) -> HomeSection | None, in order.
HOME_SECTION_PROVIDERS: list = []


def home_sections_for(request) -> list[HomeSection]:
    sections = (provider(request) for provider in HOME_SECTION_PROVIDERS)
    return [section for section in sections if section is not None]
