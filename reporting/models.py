"""Runs of the statutory returns and management reports, and the files they produced."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from casework.models import Organisation


class ReturnKind(models.TextChoices):
    SSDA903 = "ssda903", "SSDA903 children looked after return"
    ANNEX_A_LIST8 = "annex_a_list8", "Ofsted Annex A, list 8 (children in care)"
    TRAFFICKING_MISSING_SUMMARY = (
        "trafficking_missing_summary",
        "Trafficked and unaccompanied children who went missing",
    )


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ReturnRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="return_runs")
    kind = models.CharField(max_length=32, choices=ReturnKind.choices)
    year = models.PositiveSmallIntegerField(
        help_text="The collection's end year: 2025 means 1 April 2024 to 31 March 2025"
    )
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    # Progress is written often while a run works; it is kept out of history (see reporting.services).
    progress = models.PositiveSmallIntegerField(default=0)
    files = models.JSONField(default=list, blank=True)  # [{"name": ..., "rows": ...}]
    validation = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["progress"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"
