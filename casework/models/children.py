"""A child in care: identity, description, trafficking (NRM) and UASC status, and what feeds the
missing-person pack (photos, phone numbers, social media, associates and places of concern)."""

import uuid

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Upper
from simple_history.models import HistoricalRecords

from casework import codes
from casework.models.organisations import Organisation, Team


class Child(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="children")
    la_child_id = models.CharField(
        "Child ID",
        max_length=20,
        validators=[RegexValidator(codes.LA_CHILD_ID_PATTERN, "Child ID must be up to 20 letters and numbers only")],
        help_text="The authority's permanent ID for this child (the 903 CHILD). Letters and numbers only.",
    )
    first_name = models.CharField(max_length=200)
    last_name = models.CharField(max_length=200)
    preferred_name = models.CharField(max_length=200, blank=True)
    sex = models.CharField(max_length=1, choices=codes.Sex.choices)
    date_of_birth = models.DateField()
    dob_estimated = models.BooleanField("Date of birth is estimated", default=False)
    ethnicity = models.CharField(max_length=4, choices=codes.choices(codes.ETHNIC))
    is_mother = models.BooleanField(null=True, blank=True)
    first_child_date_of_birth = models.DateField(null=True, blank=True)
    upn = models.CharField(
        "Unique pupil number",
        max_length=13,
        blank=True,
        validators=[RegexValidator(codes.UPN_PATTERN, "Enter a 13-character UPN, or UN1 to UN5 if it is not known")],
    )
    nationality = models.CharField(max_length=100, blank=True)
    first_language = models.CharField(max_length=100, blank=True)
    other_languages = models.CharField(max_length=200, blank=True)
    interpreter_required = models.BooleanField(default=False)

    # Physical description (for the missing-person pack).
    height = models.CharField(max_length=50, blank=True)
    build = models.CharField(max_length=100, blank=True)
    hair = models.CharField(max_length=100, blank=True)
    eyes = models.CharField(max_length=100, blank=True)
    distinguishing_marks = models.TextField(blank=True)
    clothing_notes = models.TextField(blank=True)

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="children")
    allocated_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_children"
    )
    restricted = models.BooleanField(default=False)

    # Trafficking and the National Referral Mechanism.
    trafficking_status = models.CharField(
        max_length=16, choices=codes.TraffickingStatus.choices, default=codes.TraffickingStatus.NONE
    )
    exploitation_types = models.JSONField(default=list, blank=True)
    nrm_referral_date = models.DateField("NRM referral date", null=True, blank=True)
    nrm_first_responder = models.CharField("First responder organisation", max_length=200, blank=True)
    nrm_reference = models.CharField("NRM reference", max_length=50, blank=True)
    reasonable_grounds = models.CharField(max_length=16, choices=codes.NrmDecision.choices, blank=True)
    reasonable_grounds_date = models.DateField(null=True, blank=True)
    conclusive_grounds = models.CharField(max_length=16, choices=codes.NrmDecision.choices, blank=True)
    conclusive_grounds_date = models.DateField(null=True, blank=True)

    # Unaccompanied asylum-seeking child.
    is_uasc = models.BooleanField("Unaccompanied asylum-seeking child", default=False)
    arrival_date = models.DateField(null=True, blank=True)
    asylum_claim_date = models.DateField(null=True, blank=True)
    home_office_reference = models.CharField(max_length=50, blank=True)
    immigration_status = models.CharField(max_length=32, choices=codes.ImmigrationStatus.choices, blank=True)
    age_disputed = models.BooleanField(default=False)
    uasc_ceased_date = models.DateField("Date UASC status ceased", null=True, blank=True)

    # Search support, maintained by the services: normalised names and spelling-tolerant keys.
    search_names = models.TextField(blank=True, editable=False)
    name_keys = models.TextField(blank=True, editable=False)

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_names", "name_keys"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint("organisation", Upper("la_child_id"), name="unique_la_child_id_any_case"),
        ]
        indexes = [
            models.Index(fields=["organisation", "trafficking_status", "is_uasc"]),
            # Search by Child ID in any case, next to the trigram indexes on the names (selectors.search_children).
            models.Index(Upper("la_child_id"), name="child_la_child_id_any_case"),
        ]

    def __str__(self) -> str:
        return self.la_child_id

    @property
    def full_name(self) -> str:
        return full_name_of(self.first_name, self.last_name)

    @property
    def display_name(self) -> str:
        return display_name_of(self.first_name, self.last_name, self.preferred_name)

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in (self.first_name, self.last_name) if part).upper()

    @property
    def is_trafficked(self) -> bool:
        return is_trafficked_status(self.trafficking_status)

    @property
    def is_current_uasc(self) -> bool:
        return is_current_uasc_status(self.is_uasc, self.uasc_ceased_date)


# The rules behind Child's properties, for lists read as values rather than Child objects (the board).


def full_name_of(first_name: str, last_name: str) -> str:
    return f"{first_name} {last_name}".strip()


def display_name_of(first_name: str, last_name: str, preferred_name: str) -> str:
    """The full name, and the preferred name in brackets when it is not the first name."""
    name = full_name_of(first_name, last_name)
    if preferred_name and preferred_name != first_name:
        return f"{name} ({preferred_name})"
    return name


def is_trafficked_status(trafficking_status: str) -> bool:
    return trafficking_status in (codes.TraffickingStatus.SUSPECTED, codes.TraffickingStatus.IDENTIFIED)


def is_current_uasc_status(is_uasc: bool, uasc_ceased_date) -> bool:
    return is_uasc and uasc_ceased_date is None


class ChildPart(models.Model):
    """Something recorded about one child; its scope is the child's."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.pk}"


class Alias(ChildPart):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=codes.AliasKind.choices, default=codes.AliasKind.ALIAS)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return self.name


def photo_path(instance: "Photo", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"photos/{instance.child_id}/{uuid.uuid4()}.{suffix}"


class Photo(ChildPart):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to=photo_path)
    taken_on = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]


class PhoneNumber(ChildPart):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="phone_numbers")
    number = models.CharField(max_length=40)
    notes = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()


class SocialMediaAccount(ChildPart):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="social_media")
    platform = models.CharField(max_length=50)
    handle = models.CharField(max_length=200)
    history = HistoricalRecords()


class KnownAssociate(ChildPart):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="associates")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()


class PlaceOfConcern(ChildPart):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="places_of_concern")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "places of concern"


class AgeAssessment(ChildPart):
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="age_assessments")
    assessed_on = models.DateField()
    assessed_date_of_birth = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=200)
    merton_compliant = models.BooleanField(default=True)
    assessed_by = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assessed_on"]


class AccessGrant(ChildPart):
    """Explicit access to a restricted record for someone who is not allocated to it."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=200)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="unique_access_grant")]
