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
    "ALLOWED_HOSTS": "cmfc.example.gov.uk",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
}


def manage(*args, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


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
