"""Alerts: one row per alert, one row per delivery (recipient × channel × purpose), one per acknowledgement.

The rows are written in the same transaction as the episode or status change that caused them, so a
broker outage delays delivery but loses nothing; a delivery row is sent at most once.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.models import Child


class AlertLevel(models.TextChoices):
    HIGH = "high", "High"
    STANDARD = "standard", "Standard"


class AlertStatus(models.TextChoices):
    OPEN = "open", "Waiting for acknowledgement"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class AlertReason(models.TextChoices):
    MISSING_HIGH_RISK = "missing_high_risk", "A trafficked or unaccompanied child is missing"
    MISSING = "missing", "A child is missing"
    RISK_RAISED = "risk_raised", "The risk level of a missing child was raised to high"
    RETURN_INTERVIEW_OVERDUE = "return_interview_overdue", "A return interview is overdue"


class Alert(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="alerts")
    episode = models.ForeignKey("missing_episodes.MissingEpisode", on_delete=models.PROTECT, related_name="alerts")
    level = models.CharField(max_length=10, choices=AlertLevel.choices)
    reason = models.CharField(max_length=32, choices=AlertReason.choices)
    status = models.CharField(max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    escalation_level = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["episode", "reason"], name="one_alert_per_episode_reason")]
        indexes = [
            models.Index(fields=["status", "next_escalation_at"]),
            models.Index(fields=["status", "next_reminder_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} alert {self.pk}"


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the service"
    EMAIL = "email", "Email"


class Purpose(models.TextChoices):
    ALERT = "alert", "Alert"
    ESCALATION = "escalation", "Escalation"
    REMINDER = "reminder", "Reminder"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="alert_deliveries"
    )
    email = models.EmailField(blank=True, help_text="For addresses that are not users (host authority, out of hours)")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=12, choices=Purpose.choices, default=Purpose.ALERT)
    sequence = models.PositiveSmallIntegerField(default=0, help_text="Reminder number; 0 otherwise")
    escalation_level = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "user", "channel", "purpose", "sequence"],
                condition=Q(user__isnull=False),
                name="one_delivery_per_user",
            ),
            models.UniqueConstraint(
                fields=["alert", "email", "channel", "purpose", "sequence"],
                condition=Q(user__isnull=True),
                name="one_delivery_per_address",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.channel} {self.purpose} {self.pk}"

    @property
    def address(self) -> str:
        return self.user.email if self.user_id else self.email


class Acknowledgement(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="acknowledgements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField()
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["acknowledged_at"]
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="one_acknowledgement_per_person")]

    def __str__(self) -> str:
        return f"Acknowledgement of {self.alert_id} by {self.user_id}"
