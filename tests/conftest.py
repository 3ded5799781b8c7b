import pytest
from django.conf import settings

from tests.factories import OrganisationFactory, TeamFactory, UserFactory


def pytest_configure(config):
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        raise pytest.UsageError(
            "The suite runs on PostgreSQL. Use `make test`, or set DATABASE_URL to a PostgreSQL database."
        )


@pytest.fixture
def authority(db):
    return OrganisationFactory()


@pytest.fixture
def other_authority(db):
    return OrganisationFactory()


@pytest.fixture
def team(authority):
    return TeamFactory(organisation=authority)


@pytest.fixture
def make_user(db, authority, team):
    """Build a user of a role in the default authority (and team), or anywhere given."""

    def make(role: str, **kwargs):
        kwargs.setdefault("organisation", authority)
        if role in ("social_worker", "team_manager") and "team" not in kwargs:
            kwargs["team"] = team
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 (a free port) that collects what arrives: see tests/support/smtp.py."""
    from tests.support.smtp import SMTPServer

    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def celery_worker(transactional_db, smtp_server, tmp_path):
    """A real Celery worker process (concurrency 2) on the test database and Redis, sending mail to smtp_server.

    Ready when yielded (it has run a task); stopped afterwards. Its log is ``tmp_path / "worker.log"``.
    """
    from casework.tasks import heartbeat
    from tests.support.processes import start_celery_worker, stop_process, worker_env

    log_path = tmp_path / "worker.log"
    proc = start_celery_worker(worker_env(EMAIL_URL=smtp_server.url), concurrency=2, log_path=log_path)
    try:
        heartbeat.delay().get(timeout=30)
        yield proc
    finally:
        stop_process(proc)
