"""Independent child trafficking guardians (advocates): allocations to children and contact records."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from casework.models import Child


class AllocationRole(models.TextChoices):
    DIRECT_WORKER = "direct_worker", "Direct worker"
    REGIONAL_PRACTICE_COORDINATOR = "regional_practice_coordinator", "Regional practice coordinator"


class AdvocateAllocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="advocate_allocations")
    advocate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="allocations")
    role = models.CharField(max_length=32, choices=AllocationRole.choices)
    referral_date = models.DateField(null=True, blank=True)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Access ends on this day")
    consent_noted = models.BooleanField(default=False)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="allocation_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["advocate", "end_date"])]

    def __str__(self) -> str:
        return f"{self.get_role_display()} allocation {self.pk}"


class ContactKind(models.TextChoices):
    VISIT = "visit", "Visit"
    CALL = "call", "Phone or video call"
    MEETING = "meeting", "Meeting"
    COURT = "court", "Court"
    HOME_OFFICE = "home_office", "Home Office"
    NRM = "nrm", "NRM"
    OTHER = "other", "Other"


class ContactRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    allocation = models.ForeignKey(AdvocateAllocation, on_delete=models.PROTECT, related_name="contacts")
    occurred_at = models.DateTimeField()
    kind = models.CharField(max_length=16, choices=ContactKind.choices)
    summary = models.TextField()
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.occurred_at:%d/%m/%Y %H:%M}"
