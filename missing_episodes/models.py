"""Missing (M) and away (A) episodes, their timeline of updates, and return interviews."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from casework.models import Child


class Kind(models.TextChoices):
    MISSING = "M", "Missing (whereabouts unknown)"
    AWAY = "A", "Away from placement without authorisation (whereabouts known)"


class RiskLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class PoliceRiskLevel(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NO_APPARENT_RISK = "no_apparent_risk", "No apparent risk"


class Status(models.TextChoices):
    OPEN = "open", "Missing now"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    FOUND = "found", "Found"
    RETURNED = "returned", "Returned to placement"
    LEFT_CARE = "left_care", "Left care while missing"
    RECLASSIFIED = "reclassified", "Reclassified as the other kind"


class MissingEpisode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="missing_episodes")
    kind = models.CharField(max_length=1, choices=Kind.choices)
    started_at = models.DateTimeField(
        help_text="The later of leaving the placement and last seen by a responsible adult"
    )
    last_seen_location = models.CharField(max_length=300, blank=True)
    circumstances = models.TextField(blank=True)
    reported_to_police_at = models.DateTimeField(null=True, blank=True)
    police_force = models.CharField(max_length=100, blank=True)
    police_reference = models.CharField(max_length=50, blank=True)
    police_risk_level = models.CharField(max_length=20, choices=PoliceRiskLevel.choices, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    risk_level_reason = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    ended_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    found_location = models.CharField(max_length=300, blank=True)
    closing_notes = models.TextField(blank=True)
    reclassified_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reclassified_as"
    )
    host_authority_notified_at = models.DateTimeField(null=True, blank=True)
    home_office_notified_at = models.DateTimeField(null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(status="open"), name="one_open_episode_per_child"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="episode_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=(Q(status="open") & Q(ended_at__isnull=True))
                | (Q(status="closed") & Q(ended_at__isnull=False)),
                name="closed_episodes_have_an_end",
            ),
        ]
        indexes = [models.Index(fields=["status", "started_at"]), models.Index(fields=["child", "started_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_at:%d/%m/%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN


class EpisodeUpdate(models.Model):
    class Kind(models.TextChoices):
        SIGHTING = "sighting", "Sighting"
        POLICE_UPDATE = "police_update", "Police update"
        STRATEGY_DISCUSSION = "strategy_discussion", "Strategy discussion"
        NOTE = "note", "Note"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.ForeignKey(MissingEpisode, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    summary = models.TextField()
    attendees = models.TextField(blank=True, help_text="Strategy discussions: who took part")
    actions = models.TextField(blank=True, help_text="Strategy discussions: actions agreed")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%d/%m/%Y %H:%M}"


class ReturnInterview(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    episode = models.OneToOneField(MissingEpisode, on_delete=models.CASCADE, related_name="return_interview")
    offered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    conducted_by = models.CharField(max_length=200, blank=True)
    declined_reason = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    exploitation_disclosed = models.BooleanField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Return interview for {self.episode_id}"


from missing_episodes.alerts.models import (  # noqa: E402 - alerts refer to episodes by name
    Acknowledgement,
    Alert,
    AlertLevel,
    AlertReason,
    AlertStatus,
    Channel,
    Delivery,
    DeliveryStatus,
    Purpose,
)

__all__ = [
    "Acknowledgement",
    "Alert",
    "AlertLevel",
    "AlertReason",
    "AlertStatus",
    "Channel",
    "Delivery",
    "DeliveryStatus",
    "EpisodeUpdate",
    "Kind",
    "MissingEpisode",
    "Outcome",
    "PoliceRiskLevel",
    "Purpose",
    "ReturnInterview",
    "RiskLevel",
    "Status",
]
