"""The messages alerts send: the minimum a recipient needs (initials, Child ID, risk, a link)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from missing_episodes.models import Delivery, Purpose

SERVICE_NAME = "Children missing from care"


def message_for(delivery: Delivery) -> EmailMultiAlternatives:
    alert = delivery.alert
    child = alert.child
    prefix = {Purpose.ALERT: "", Purpose.ESCALATION: "Escalated: ", Purpose.REMINDER: "Reminder: "}[delivery.purpose]
    level = "High risk" if alert.level == "high" else "Alert"
    subject = f"{prefix}{level}: {alert.get_reason_display().lower()} ({child.initials}, {child.la_child_id})"
    context = {
        "alert": alert,
        "delivery": delivery,
        "initials": child.initials,
        "la_child_id": child.la_child_id,
        "risk": alert.episode.get_risk_level_display(),
        "kind": alert.episode.get_kind_display(),
        "link": f"{settings.SITE_URL}{reverse('alert_detail', args=[alert.pk])}",
        "service_name": SERVICE_NAME,
        "subject": subject,
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("missing_episodes/email/alert.txt", context),
        to=[delivery.address],
        headers={"Message-ID": f"<delivery-{delivery.pk}@children-missing-from-care>"},
    )
    message.attach_alternative(render_to_string("missing_episodes/email/alert.html", context), "text/html")
    return message
