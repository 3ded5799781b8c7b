from django.apps import AppConfig


class MissingEpisodesConfig(AppConfig):
    name = "missing_episodes"
    verbose_name = "Missing episodes"

    def ready(self) -> None:
        from casework import hooks
        from missing_episodes import escalation, services

        hooks.care_ended.append(services.close_for_care_ended)
        hooks.child_changed.append(escalation.child_changed)
