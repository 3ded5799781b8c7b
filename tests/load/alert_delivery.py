"""After the load test: were the alerts of the episodes reported during it all delivered, and how quickly?

Run by ``scripts/loadtest.sh`` once locust has stopped, while the Celery worker is still running::

    DJANGO_SETTINGS_MODULE=config.settings python -m tests.load.alert_delivery SINCE_ISO_TIME

Waits (up to ``LOADTEST_DRAIN_SECONDS``, 120) for the alert emails created since SINCE to leave the queue,
then prints how many alerts and emails there were and the time from each alert being raised to its email
being sent. Exits non-zero if any email is still pending or failed: an alert lost under load is a failure.
"""

import os
import sys
import time
from datetime import datetime

import django

django.setup()

from missing_episodes.models import Alert, Channel, Delivery, DeliveryStatus, Purpose  # noqa: E402

DRAIN_SECONDS = float(os.environ.get("LOADTEST_DRAIN_SECONDS", "120"))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(q * len(ordered) + 0.999999) - 1, 0)]


def main(since: datetime) -> int:
    emails = Delivery.objects.filter(alert__created_at__gte=since, channel=Channel.EMAIL, purpose=Purpose.ALERT)
    deadline = time.monotonic() + DRAIN_SECONDS
    while emails.filter(status=DeliveryStatus.PENDING).exists() and time.monotonic() < deadline:
        time.sleep(1)
    alerts = Alert.objects.filter(created_at__gte=since).count()
    sent = list(emails.filter(status=DeliveryStatus.SENT).values_list("alert__created_at", "notified_at"))
    pending = emails.filter(status=DeliveryStatus.PENDING).count()
    failed = emails.filter(status=DeliveryStatus.FAILED).count()
    delays = [(notified - raised).total_seconds() for raised, notified in sent]
    print(
        f"Alerts raised during the run: {alerts}; alert emails sent: {len(sent)}, pending: {pending}, failed: {failed}."
    )
    if delays:
        print(
            "From an alert being raised to its email being sent: "
            f"median {_percentile(delays, 0.5):.1f} s, p95 {_percentile(delays, 0.95):.1f} s, max {max(delays):.1f} s."
        )
    return 1 if pending or failed else 0


if __name__ == "__main__":
    sys.exit(main(datetime.fromisoformat(sys.argv[1])))
