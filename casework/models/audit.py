"""The access log: who looked at which child's record, what, and when. Managers can read it."""

import uuid

from django.conf import settings
from django.db import models


class AccessLogEntry(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Generic target (a child id, a return run id ...), never personal data.
    object_type = models.CharField(max_length=64)
    object_id = models.UUIDField()
    action = models.CharField(max_length=64)
    detail = models.CharField(max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id", "-at"])]
        verbose_name_plural = "access log entries"

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.object_type} {self.object_id}"
