"""Sections other apps add to a child's page (missing episodes, advocates), without casework importing them.

Providers are ``(request, child) -> HomeSection | None`` and run in registration order.
"""

from casework.home import HomeSection

CHILD_PAGE_SECTION_PROVIDERS: list = []


def child_page_sections(request, child) -> list[HomeSection]:
    sections = (provider(request, child) for provider in CHILD_PAGE_SECTION_PROVIDERS)
    return [section for section in sections if section is not None]
