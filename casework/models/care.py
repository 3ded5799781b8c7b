"""Care history: the three timelines the 903 Episodes file is derived from.

An ``end_date`` is the day the record ended, which is also the next record's ``start_date`` (as the
903's DEC and DECOM): a record may start on the day the previous one ended.
"""

import uuid

from django.db import models
from simple_history.models import HistoricalRecords

from casework import codes
from casework.models.children import Child
from casework.models.organisations import Organisation


class CareRecord(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["start_date"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} from {self.start_date:%d/%m/%Y}"


class PeriodOfCare(CareRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="periods_of_care")
    category_of_need = models.CharField(max_length=2, choices=codes.choices(codes.CIN))
    home_postcode = models.CharField(max_length=10, blank=True)
    reason_ceased = models.CharField(max_length=3, choices=codes.choices(codes.REC), blank=True)
    history = HistoricalRecords()

    class Meta(CareRecord.Meta):
        verbose_name_plural = "periods of care"


class LegalStatus(CareRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="legal_statuses")
    code = models.CharField(max_length=2, choices=codes.choices(codes.LEGAL_STATUS))
    history = HistoricalRecords()

    class Meta(CareRecord.Meta):
        verbose_name_plural = "legal statuses"


class Placement(CareRecord):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="placements")
    place = models.CharField(max_length=3, choices=codes.choices(codes.PLACE))
    provider = models.CharField(max_length=3, choices=codes.choices(codes.PLACE_PROVIDER), blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    urn = models.CharField("URN", max_length=8, blank=True)
    carer_reference = models.CharField(max_length=50, blank=True)
    reason_for_change = models.CharField(max_length=6, choices=codes.choices(codes.REASON_PLACE_CHANGE), blank=True)
    address = models.CharField(max_length=300, blank=True)
    carer_name = models.CharField(max_length=200, blank=True)
    carer_phone = models.CharField(max_length=40, blank=True)
    host_authority = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="hosted_placements"
    )
    out_of_area = models.BooleanField(default=False)
    history = HistoricalRecords()
