"""Real processes for integration tests: a Celery worker against the test database and Redis."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def test_database_url() -> str:
    """DATABASE_URL pointing at the test database pytest-django created (so workers see test data)."""
    s = connection.settings_dict
    user = s["USER"] or "postgres"
    return f"postgres://{user}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


def free_port() -> int:
    """A TCP port on loopback that nothing is listening on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of this test process, for a child process that must see the same world.

    A child process is not under pytest, so it starts as production does (DEBUG off unless a test says otherwise)
    and must be given everything production needs (config/required_settings.py): the host is the test's, and
    mail goes where the test sends it (EMAIL_URL or EMAIL_BACKEND in ``extra``), otherwise to the demo's mailbox
    under the test's var/."""
    from django.conf import settings

    env = dict(os.environ)
    env["DATABASE_URL"] = test_database_url()
    env["CONN_MAX_AGE"] = "0"
    env["SECRET_KEY"] = settings.SECRET_KEY
    env["VAR_DIR"] = str(settings.VAR_DIR)
    env["SECURE_SSL_REDIRECT"] = "false"
    env["SECURE_COOKIES"] = "false"
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SITE_URL", "http://127.0.0.1")
    env.update(extra)
    if not (env.get("EMAIL_URL") or env.get("EMAIL_BACKEND")):
        env.update(DEMO="true", EMAIL_BACKEND="config.demo_mail.MailboxBackend")
    return env


def production_env(**extra: str) -> dict[str, str]:
    """worker_env with DEBUG off stated, for a process whose point is to run as production does."""
    return worker_env(DEBUG="false", **extra)


def start_celery_worker(
    env: dict[str, str], *, queues: str | None = None, concurrency: int = 1, log_path: Path | None = None
) -> subprocess.Popen:
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL  # noqa: SIM115 - closed once the child has it
    proc = subprocess.Popen(
        [
            str(VENV_BIN / "celery"),
            "-A",
            "config",
            "worker",
            *(["-Q", queues] if queues else []),  # default: every queue in settings.CELERY_TASK_QUEUES
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    if log_path:
        log.close()  # the worker writes through its own copy of the descriptor
    return proc


def stop_process(proc: subprocess.Popen, timeout: float = 10) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_for(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {what}")
