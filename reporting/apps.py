from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self) -> None:
        from casework.access import Permission
        from casework.navigation import NAV_ENTRIES, NavEntry

        NAV_ENTRIES.append(NavEntry("Returns", "returns", Permission.RETURN_RUN))
        NAV_ENTRIES.append(NavEntry("Dashboards", "dashboards", Permission.DASHBOARD_VIEW))
