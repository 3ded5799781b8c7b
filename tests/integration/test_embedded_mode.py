"""The embedded default of `make run`: SQLite and the filesystem broker, no services at all."""

import os
import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.support.processes import ROOT, stop_process, wait_for

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
    }
    env.update({"VAR_DIR": str(tmp_path / "var"), "DEBUG": "true", "DEMO_PASSWORD": ""})
    return env


def run(env, *args, timeout=180):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=True
    )


def test_migrate_seed_and_serve_on_sqlite(embedded_env, tmp_path):
    run(embedded_env, "manage.py", "migrate", "--noinput")
    seeded = run(embedded_env, "manage.py", "seed_demo").stdout
    assert "social.worker" in seeded
    assert "Demo password" in seeded
    assert (tmp_path / "var" / "db.sqlite3").exists()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def sign_in_page():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/sign-in/", timeout=2) as r:
                    return r.status == 200 and "Sign in" in r.read().decode()
            except OSError:
                return False

        wait_for(sign_in_page, timeout=60, what="the sign-in page on the embedded server")
    finally:
        stop_process(server)


def test_a_task_is_delivered_to_a_worker_on_the_filesystem_broker(embedded_env):
    run(embedded_env, "manage.py", "migrate", "--noinput")
    worker = subprocess.Popen(
        [str(ROOT / ".venv/bin/celery"), "-A", "config", "worker", "--concurrency", "1", "--loglevel", "INFO"],
        cwd=ROOT,
        env=embedded_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        script = (
            "import django; django.setup(); from casework.tasks import heartbeat; "
            "print(heartbeat.delay().get(timeout=60))"
        )
        out = run(embedded_env, "-c", script, timeout=120).stdout
        assert "'ok': True" in out
        assert "'database': 'sqlite'" in out
    finally:
        stop_process(worker)
