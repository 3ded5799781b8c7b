"""The Notify backend turns Django email messages into Notify calls (the Notify client is third-party:
its network call is replaced by a recorder standing in for the GOV.UK service)."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

from missing_episodes.alerts.notify_backend import NotifyEmailBackend


class RecordingNotifyClient:
    def __init__(self, fail=False):
        self.calls, self.fail = [], fail

    def send_email_notification(self, **kwargs):
        if self.fail:
            raise RuntimeError("Notify is down")
        self.calls.append(kwargs)
        return {"id": "x"}


def test_each_recipient_gets_one_notify_email_with_subject_and_body(settings):
    settings.NOTIFY_TEMPLATE_ID = "template-123"
    client = RecordingNotifyClient()
    message = EmailMessage(
        "High risk: child missing (SO, NB000001)",
        "Open the alert: https://x/alerts/1/",
        to=["a@example.org", "b@example.org"],
        headers={"Message-ID": "<delivery-1@cmfc>"},
    )
    assert NotifyEmailBackend(client=client).send_messages([message]) == 1
    assert [c["email_address"] for c in client.calls] == ["a@example.org", "b@example.org"]
    assert client.calls[0]["template_id"] == "template-123"
    assert client.calls[0]["personalisation"] == {"subject": message.subject, "body": message.body}
    assert client.calls[0]["reference"] == "<delivery-1@cmfc>"


def test_failures_propagate_so_the_task_retries(settings):
    settings.NOTIFY_TEMPLATE_ID = "t"
    message = EmailMessage("s", "b", to=["a@example.org"])
    with pytest.raises(RuntimeError):
        NotifyEmailBackend(client=RecordingNotifyClient(fail=True)).send_messages([message])


def test_missing_configuration_is_explained(settings):
    settings.NOTIFY_API_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_API_KEY"):
        NotifyEmailBackend()
