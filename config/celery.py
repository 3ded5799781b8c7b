"""The Celery application. Its configuration (broker, beat schedule) lives in config/settings.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("children_missing_from_care")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Alerts are a package inside missing_episodes, with their own tasks module.
app.autodiscover_tasks(["missing_episodes.alerts"])
