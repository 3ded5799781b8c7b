"""Who works in the service: organisations (local authorities and advocacy services), teams and staff."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    class Kind(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        ADVOCACY_SERVICE = "advocacy_service", "Advocacy service"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    la_code = models.CharField(
        "DfE LA code",
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^\d{3}$", "Enter the 3-digit DfE local authority code, like 202")],
    )
    ons_code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^[EWSN]\d{8}$", "Enter the 9-character ONS code, like E09000007")],
    )
    designated_contact_email = models.EmailField(
        blank=True, help_text="Told when a child placed in this authority's area goes missing."
    )
    out_of_hours_email = models.EmailField(
        blank=True, help_text="Level 3 escalation when nobody accountable acknowledges a high-risk alert."
    )
    alert_ack_timeout_minutes = models.PositiveIntegerField(default=30)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_local_authority(self) -> bool:
        return self.kind == self.Kind.LOCAL_AUTHORITY

    def clean(self) -> None:
        if self.is_local_authority and not (self.la_code and self.ons_code):
            raise ValidationError("A local authority needs its DfE LA code and its ONS code")


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_name")]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    SERVICE_MANAGER = "service_manager", "Service manager"
    MISSING_COORDINATOR = "missing_coordinator", "Missing coordinator"
    ADVOCATE = "advocate", "Independent child trafficking guardian"
    DATA_OFFICER = "data_officer", "Data officer"
    ADMIN = "admin", "Administrator"


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="members", null=True, blank=True)
    role = models.CharField(max_length=32, choices=Role.choices)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    REQUIRED_FIELDS = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        if self.team_id and self.organisation_id and self.team.organisation_id != self.organisation_id:
            raise ValidationError({"team": "Choose a team in the user's own organisation"})
        if self.role == Role.ADVOCATE and self.organisation and self.organisation.is_local_authority:
            raise ValidationError({"organisation": "Advocates belong to an advocacy service, not the authority"})
