import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "p" * 60 + "Q1!x",
    "DATABASE_URL": os.environ["DATABASE_URL"],
    "CELERY_BROKER_URL": os.environ["CELERY_BROKER_URL"],
    "EMAIL_URL": "smtp+tls://alerts:secret@smtp.example.gov.uk:587",
    "SITE_URL": "https://cmfc.example.gov.uk",
    "ALLOWED_HOSTS": "cmfc.example.gov.uk",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
}
# What production is started with by someone who has read only part of the README.
REQUIRED = ["SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "SITE_URL", "ALLOWED_HOSTS"]


def manage(*args, **env_overrides):
    # Nothing of the test run's own settings leaks in: the child process sees only what the test gives it.
    names = set(PRODUCTION) | {
        "EMAIL_BACKEND",
        "NOTIFY_API_KEY",
        "NOTIFY_TEMPLATE_ID",
        "DEMO",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }
    env = {k: v for k, v in os.environ.items() if k not in names}
    env.update({k: v for k, v in env_overrides.items() if v is not None})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("name", REQUIRED)
def test_production_refuses_to_start_without_each_required_setting_and_names_it(name):
    result = manage("check", **{**PRODUCTION, name: None})
    assert result.returncode != 0
    assert "The service cannot start with DEBUG off" in result.stderr
    assert f"  - {name} is not set: " in result.stderr
    # Only the missing one is named, with what it is for.
    assert sum(f"  - {other} " in result.stderr for other in REQUIRED) == 1


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("SECRET_KEY", "change-me", "is too short or a placeholder"),
        ("DATABASE_URL", "sqlite:///db.sqlite3", "is not a PostgreSQL address (sqlite://)"),
        ("CELERY_BROKER_URL", "filesystem://", "is not a Redis address (filesystem://)"),
        ("EMAIL_URL", "consolemail://", "is unusable: consolemail:// never sends an email"),
        ("SITE_URL", "cmfc.example.gov.uk", "is not an http(s) address"),
        ("ALLOWED_HOSTS", "*", "is '*', which answers any host name"),
    ],
)
def test_production_refuses_a_setting_it_cannot_use(name, value, why):
    result = manage("check", **{**PRODUCTION, name: value})
    assert result.returncode != 0
    assert f"  - {name} {why}" in result.stderr


def test_notify_needs_its_key_and_template_and_local_mail_is_for_the_demo_only():
    notify = "missing_episodes.alerts.notify_backend.NotifyEmailBackend"
    result = manage("check", **{**PRODUCTION, "EMAIL_URL": None, "EMAIL_BACKEND": notify})
    assert result.returncode != 0
    assert "  - NOTIFY_API_KEY is not set" in result.stderr and "  - NOTIFY_TEMPLATE_ID is not set" in result.stderr
    assert "EMAIL_URL" not in result.stderr
    # The demo (`make run`) keeps its emails as files: allowed with DEMO=true, and only then.
    mailbox = {**PRODUCTION, "EMAIL_URL": None, "EMAIL_BACKEND": "config.demo_mail.MailboxBackend"}
    assert manage("check", **mailbox).returncode != 0
    assert manage("check", **mailbox, DEMO="true").returncode == 0


def test_every_problem_is_listed_at_once():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    for name in REQUIRED:
        assert f"  - {name} is not set: " in result.stderr


def test_debug_is_off_unless_set(settings):
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_postgresql_sessions_price_random_reads_as_ssd():
    # Without it the planner reads every child to join them to a few hundred alerts (decision 0006).
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_a_planner_cost_that_is_not_a_number_stops_start_up_with_a_clear_message():
    result = manage("check", DEBUG="true", PG_RANDOM_PAGE_COST="fast", DATABASE_URL="postgres://u@127.0.0.1:1/x")
    assert result.returncode != 0
    assert "PG_RANDOM_PAGE_COST must be a number such as 1.1, or empty: 'fast'" in result.stderr


def test_gunicorn_workers_load_the_views_and_freeze_start_up_objects_out_of_the_collectors_reach():
    import gc
    import runpy

    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert "%(U)s" in conf["access_log_format"] and "%(q)s" not in conf["access_log_format"]
    try:
        conf["post_worker_init"](None)
        assert gc.get_freeze_count() > 10_000
        assert "casework.views.children" in sys.modules
    finally:
        gc.unfreeze()


def test_a_test_process_removes_its_throwaway_var_directory_when_it_exits():
    env = {k: v for k, v in os.environ.items() if k != "VAR_DIR"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    code = (
        "import pytest, os; from django.conf import settings; print(settings.VAR_DIR, os.path.isdir(settings.VAR_DIR))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    path, existed = result.stdout.split()
    assert Path(path).name.startswith("cmfc-test-") and existed == "True"
    assert not Path(path).exists()
