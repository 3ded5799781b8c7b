"""A task really travels through Redis to a real Celery worker process and back."""

import pytest

from casework.tasks import heartbeat
from tests.support.processes import start_celery_worker, stop_process, worker_env

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_a_task_goes_through_redis_to_a_real_worker_and_returns(settings, tmp_path):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    worker = start_celery_worker(worker_env(), log_path=tmp_path / "worker.log")
    try:
        result = heartbeat.delay()
        assert result.get(timeout=60) == {"ok": True, "database": "postgresql"}
    finally:
        stop_process(worker)
