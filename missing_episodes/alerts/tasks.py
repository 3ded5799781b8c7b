"""Celery adapters: take ids, call one service, own retries. Running any of them twice changes nothing."""

from celery import shared_task

from missing_episodes.alerts import deliveries
from missing_episodes.alerts import services as alert_services


@shared_task(
    bind=True,
    name="missing_episodes.alerts.tasks.send_delivery",
    acks_late=True,
    max_retries=12,
    autoretry_for=(Exception,),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
)
def send_delivery(self, delivery_id: str) -> str:
    try:
        return deliveries.send_delivery(delivery_id)
    except Exception as exc:
        deliveries.record_failure(delivery_id, exc)
        raise


@shared_task(name="missing_episodes.alerts.tasks.sweep", acks_late=True, ignore_result=True)
def sweep() -> dict:
    return alert_services.sweep()
