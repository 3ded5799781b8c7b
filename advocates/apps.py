from django.apps import AppConfig


class AdvocatesConfig(AppConfig):
    name = "advocates"
    verbose_name = "Advocates"

    def ready(self) -> None:
        from advocates import home, selectors
        from casework.home import HOME_SECTION_PROVIDERS
        from missing_episodes.alerts import recipients

        recipients.extra_recipient_providers.append(selectors.active_advocates)
        HOME_SECTION_PROVIDERS.append(home.caseload_section)

        from advocates import demo
        from casework import hooks

        hooks.demo_seeded.append(demo.seed_allocations)

        from advocates import page_sections
        from casework.child_page import CHILD_PAGE_SECTION_PROVIDERS

        CHILD_PAGE_SECTION_PROVIDERS.append(page_sections.child_section)
