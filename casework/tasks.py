from celery import shared_task
from django.db import connection


@shared_task(name="casework.tasks.heartbeat")
def heartbeat() -> dict:
    """A trivial health task: proves a worker can take a task and reach the database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        (one,) = cursor.fetchone()
    return {"ok": one == 1, "database": connection.vendor}
