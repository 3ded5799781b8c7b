from django.apps import AppConfig


class MissingEpisodesConfig(AppConfig):
    name = "missing_episodes"
    verbose_name = "Missing episodes"

    def ready(self) -> None:
        from casework import hooks
        from missing_episodes import demo, services
        from missing_episodes.alerts import rules as escalation

        hooks.care_ended.append(services.close_for_care_ended)
        hooks.child_changed.append(escalation.child_changed)
        hooks.demo_seeded.append(demo.seed_episodes)

        from casework.access import Permission
        from casework.navigation import NAV_ENTRIES, NavEntry

        NAV_ENTRIES.append(NavEntry("Missing now", "missing_board", Permission.BOARD_VIEW))
        NAV_ENTRIES.append(NavEntry("Alerts", "alerts", Permission.ALERT_ACK))

        from casework.child_page import CHILD_PAGE_SECTION_PROVIDERS
        from casework.home import HOME_SECTION_PROVIDERS
        from missing_episodes import page_sections

        HOME_SECTION_PROVIDERS.append(page_sections.home_section)
        CHILD_PAGE_SECTION_PROVIDERS.append(page_sections.child_section)
