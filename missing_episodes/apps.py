from django.apps import AppConfig


class MissingEpisodesConfig(AppConfig):
    name = "missing_episodes"
