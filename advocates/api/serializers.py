from rest_framework import serializers

from advocates.models import AdvocateAllocation, AllocationRole, ContactKind, ContactRecord
from casework.api.fields import StrictCharField


class AllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdvocateAllocation
        fields = [
            "id",
            "child",
            "advocate",
            "role",
            "referral_date",
            "start_date",
            "end_date",
            "consent_noted",
            "version",
        ]
        read_only_fields = fields


class AllocationCreateSerializer(serializers.Serializer):
    child = serializers.UUIDField()
    advocate = serializers.UUIDField()
    role = serializers.ChoiceField(choices=AllocationRole.values)
    start_date = serializers.DateField()
    referral_date = serializers.DateField(required=False, allow_null=True)
    consent_noted = serializers.BooleanField(required=False, default=False)


class AllocationUpdateSerializer(serializers.Serializer):
    end_date = serializers.DateField(help_text="The allocation ends (and the advocate's access with it) on this day")
    version = serializers.IntegerField(required=False)


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContactRecord
        fields = ["id", "allocation", "occurred_at", "kind", "summary", "duration_minutes", "recorded_by", "created_at"]
        read_only_fields = fields


class ContactCreateSerializer(serializers.Serializer):
    allocation = serializers.UUIDField()
    occurred_at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=ContactKind.values)
    summary = StrictCharField(max_length=10000)
    duration_minutes = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=1440)
