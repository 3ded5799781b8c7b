"""Missing episodes in the v1 API: input serializers (one per action) and the output representations.

The model stores "" for "no police grade"; the API shows and accepts null. Services do the validation
that needs the database (the entry-time rules); these serializers only turn JSON into typed values.
"""

import uuid

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.access import visible_children
from casework.api.fields import StrictCharField
from missing_episodes import selectors
from missing_episodes.models import EpisodeUpdate, Kind, MissingEpisode, Outcome, PoliceRiskLevel, ReturnInterview

DATETIME_INVALID = "Enter a date and time with its offset, such as 2025-03-01T22:30:00+00:00"
KIND_INVALID = "Select M (missing: whereabouts unknown) or A (away: whereabouts known)"
CHILD_NOT_FOUND = "There is no child record with this id that you can see"
CLOSE_OUTCOMES = [Outcome.FOUND, Outcome.RETURNED, Outcome.LEFT_CARE]
RETURN_INTERVIEW_OUTCOMES = {Outcome.FOUND, Outcome.RETURNED}


def _datetime(**kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(error_messages={"invalid": DATETIME_INVALID, "date": DATETIME_INVALID}, **kwargs)


def _kind(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=Kind.choices, error_messages={"invalid_choice": KIND_INVALID}, **kwargs)


def _version(*, required: bool) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        required=required,
        help_text="The version you last read. If someone has changed the record since, nothing changes (409).",
    )


@extend_schema_field({"type": "string", "enum": [*PoliceRiskLevel.values], "nullable": True})
class PoliceRiskLevelField(serializers.ChoiceField):
    """The police grade as told; null when not (yet) graded. Stored as "" in the model."""

    def __init__(self, **kwargs):
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("error_messages", {"invalid_choice": "Select high, medium, low or no_apparent_risk, or null"})
        super().__init__(choices=PoliceRiskLevel.choices, **kwargs)

    def validate_empty_values(self, data):
        if data is None:
            return (True, "")
        return super().validate_empty_values(data)

    def to_representation(self, value):
        return value or None


@extend_schema_field(OpenApiTypes.UUID)
class VisibleChildField(serializers.Field):
    """A child id the caller may see. Unknown and out-of-scope ids get the same message (never reveal a record)."""

    default_error_messages = {"not_found": CHILD_NOT_FOUND}

    def to_internal_value(self, data):
        try:
            child_id = uuid.UUID(str(data))
        except (TypeError, ValueError, AttributeError):
            self.fail("not_found")
        child = visible_children(self.context["request"].user).filter(pk=child_id).first()
        if child is None:
            self.fail("not_found")
        return child

    def to_representation(self, value):
        return str(value.pk)


# --- Output -----------------------------------------------------------------------------------------


class ReturnInterviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReturnInterview
        fields = [
            "id",
            "version",
            "offered_at",
            "accepted",
            "completed_at",
            "conducted_by",
            "declined_reason",
            "summary",
            "exploitation_disclosed",
            "updated_at",
        ]
        read_only_fields = fields


class EpisodeSerializer(serializers.ModelSerializer):
    child = serializers.UUIDField(source="child_id", read_only=True)
    police_risk_level = PoliceRiskLevelField(read_only=True)
    reclassified_from = serializers.UUIDField(source="reclassified_from_id", read_only=True, allow_null=True)
    reported_by = serializers.UUIDField(source="reported_by_id", read_only=True)
    outcome = serializers.SerializerMethodField()
    alerts = serializers.SerializerMethodField()
    return_interview = serializers.SerializerMethodField()
    return_interview_due_at = serializers.SerializerMethodField()
    repeat_missing = serializers.SerializerMethodField(
        help_text="The child has started 3 or more episodes in the last 30 days (consider a strategy discussion)"
    )

    class Meta:
        model = MissingEpisode
        fields = [
            "id",
            "version",
            "child",
            "kind",
            "status",
            "started_at",
            "ended_at",
            "last_seen_location",
            "circumstances",
            "reported_to_police_at",
            "police_force",
            "police_reference",
            "police_risk_level",
            "risk_level",
            "alerts",
            "return_interview",
            # extras beyond the v1 contract
            "outcome",
            "found_location",
            "closing_notes",
            "reclassified_from",
            "return_interview_due_at",
            "repeat_missing",
            "host_authority_notified_at",
            "home_office_notified_at",
            "reported_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "enum": [*Outcome.values], "nullable": True})
    def get_outcome(self, episode: MissingEpisode) -> str | None:
        return episode.outcome or None

    @extend_schema_field({"type": "array", "items": {"type": "string", "format": "uuid"}})
    def get_alerts(self, episode: MissingEpisode) -> list[str]:
        if not hasattr(episode, "alerts"):
            return []  # the Alert model arrives with the escalation issue
        return [str(alert.pk) for alert in episode.alerts.all()]  # .all(): uses the list's prefetch

    @extend_schema_field(ReturnInterviewSerializer(allow_null=True))
    def get_return_interview(self, episode: MissingEpisode) -> dict | None:
        try:
            interview = episode.return_interview
        except ObjectDoesNotExist:
            return None
        return ReturnInterviewSerializer(interview, context=self.context).data

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_return_interview_due_at(self, episode: MissingEpisode) -> str | None:
        """72 hours after the child was found or returned; none for reclassified or left-care closures."""
        if episode.outcome not in RETURN_INTERVIEW_OUTCOMES:
            return None
        return serializers.DateTimeField().to_representation(selectors.return_interview_due_at(episode))

    def get_repeat_missing(self, episode: MissingEpisode) -> bool:
        repeat_child_ids = self.context.get("repeat_child_ids")
        if repeat_child_ids is not None:
            return episode.child_id in repeat_child_ids
        return selectors.is_repeat_missing(episode.child)


class EpisodeUpdateSerializer(serializers.ModelSerializer):
    recorded_by = serializers.UUIDField(source="recorded_by_id", read_only=True)

    class Meta:
        model = EpisodeUpdate
        fields = ["id", "kind", "occurred_at", "summary", "attendees", "actions", "recorded_by", "created_at"]
        read_only_fields = fields


# --- Input ------------------------------------------------------------------------------------------


class EpisodeDetailsInput(serializers.Serializer):
    """The descriptive fields shared by report and update."""

    last_seen_location = StrictCharField(max_length=300, required=False, allow_blank=True)
    circumstances = StrictCharField(required=False, allow_blank=True)
    reported_to_police_at = _datetime(required=False, allow_null=True)
    police_force = StrictCharField(max_length=100, required=False, allow_blank=True)
    police_reference = StrictCharField(max_length=50, required=False, allow_blank=True)
    police_risk_level = PoliceRiskLevelField(required=False)
    host_authority_notified_at = _datetime(required=False, allow_null=True)
    home_office_notified_at = _datetime(required=False, allow_null=True)


class EpisodeReportInput(EpisodeDetailsInput):
    child = VisibleChildField()
    kind = _kind()
    started_at = _datetime(help_text="The later of leaving the placement and last seen by a responsible adult")


class EpisodePatchInput(EpisodeDetailsInput):
    started_at = _datetime(required=False)
    version = _version(required=True)

    # Fields that exist on an episode but change only through an action (or never). Sending the current
    # value is harmless (a client may PATCH back what it read); sending another one is a 400, not ignored.
    CHANGED_ELSEWHERE = {
        "kind": "Use POST /reclassify/ to switch between missing (M) and away (A)",
        "child": "An episode cannot be moved to another child",
        "status": "Use POST /close/ to close an episode",
    }

    def validate(self, attrs):
        episode = self.context["episode"]
        current = {"kind": episode.kind, "child": str(episode.child_id), "status": episode.status}
        errors = {
            name: [message]
            for name, message in self.CHANGED_ELSEWHERE.items()
            if name in self.initial_data and str(self.initial_data[name]) != current[name]
        }
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class EpisodeCloseInput(serializers.Serializer):
    ended_at = _datetime(help_text="When the child was found (M) or returned to placement (A)")
    outcome = serializers.ChoiceField(
        choices=[(o.value, o.label) for o in CLOSE_OUTCOMES],
        error_messages={"invalid_choice": "Select found, returned or left_care"},
    )
    found_location = StrictCharField(max_length=300, required=False, allow_blank=True, default="")
    notes = StrictCharField(required=False, allow_blank=True, default="")
    version = _version(required=False)


class EpisodeReclassifyInput(serializers.Serializer):
    kind = _kind(help_text="The other kind: M when the whereabouts become unknown, A when located but not back")
    at = _datetime(help_text="When the whereabouts became unknown (A → M) or known (M → A)")
    version = _version(required=False)


class ReturnInterviewInput(serializers.Serializer):
    """PUT replaces the whole record: a field left out is cleared."""

    offered_at = _datetime(required=False, allow_null=True, default=None)
    accepted = serializers.BooleanField(required=False, allow_null=True, default=None)
    completed_at = _datetime(required=False, allow_null=True, default=None)
    conducted_by = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    declined_reason = StrictCharField(required=False, allow_blank=True, default="")
    summary = StrictCharField(required=False, allow_blank=True, default="")
    exploitation_disclosed = serializers.BooleanField(required=False, allow_null=True, default=None)
    version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="The return interview's version you last read (not the episode's); stale → 409",
    )


class EpisodeUpdateInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=EpisodeUpdate.Kind.choices,
        error_messages={"invalid_choice": "Select sighting, police_update, strategy_discussion or note"},
    )
    occurred_at = _datetime()
    summary = StrictCharField()
    attendees = StrictCharField(required=False, allow_blank=True, default="")
    actions = StrictCharField(required=False, allow_blank=True, default="")


class EpisodeListQuery(serializers.Serializer):
    child = serializers.UUIDField(required=False, error_messages={"invalid": "Enter a child id (a UUID)"})
    status = serializers.ChoiceField(
        choices=["open", "closed"], required=False, error_messages={"invalid_choice": "Use open or closed"}
    )
    kind = _kind(required=False)
