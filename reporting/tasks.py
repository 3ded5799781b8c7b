from celery import shared_task

from reporting import services


@shared_task(
    name="reporting.tasks.generate_return", acks_late=True, ignore_result=True, time_limit=3600, soft_time_limit=3300
)
def generate_return(run_id: str) -> str:
    return services.generate(run_id).status
