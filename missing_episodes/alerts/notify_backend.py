"""An optional Django email backend that sends through GOV.UK Notify.

Set ``EMAIL_BACKEND=missing_episodes.alerts.notify_backend.NotifyEmailBackend`` with ``NOTIFY_API_KEY`` and
``NOTIFY_TEMPLATE_ID``: a Notify email template whose subject is ``((subject))`` and body ``((body))``.
Alerts carry only initials, the Child ID, the risk and a link, so the generic template is enough.
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, client=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.template_id = getattr(settings, "NOTIFY_TEMPLATE_ID", "")
        if client is None:
            api_key = getattr(settings, "NOTIFY_API_KEY", "")
            if not (api_key and self.template_id):
                raise ImproperlyConfigured("Set NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID to send email through Notify")
            from notifications_python_client.notifications import NotificationsAPIClient

            client = NotificationsAPIClient(api_key)
        self.client = client

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            for address in message.recipients():
                try:
                    self.client.send_email_notification(
                        email_address=address,
                        template_id=self.template_id,
                        personalisation={"subject": message.subject, "body": message.body},
                        reference=message.extra_headers.get("Message-ID", "")[:100] or None,
                    )
                except Exception:
                    if not self.fail_silently:
                        raise
                    continue
            sent += 1
        return sent
