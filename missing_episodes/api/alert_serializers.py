from rest_framework import serializers

from casework.api.fields import StrictCharField
from missing_episodes.alerts.selectors import recipients_of
from missing_episodes.models import Alert, AlertLevel, AlertStatus


class RecipientSerializer(serializers.Serializer):
    user = serializers.UUIDField(source="user_id", allow_null=True)
    email = serializers.CharField(
        help_text="For recipients that are addresses, not users (host authority, out of hours)"
    )
    channel = serializers.ChoiceField(choices=["in_app", "email"])
    escalation_level = serializers.IntegerField()
    notified_at = serializers.DateTimeField(allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class AlertSerializer(serializers.ModelSerializer):
    recipients = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "id",
            "child",
            "episode",
            "level",
            "reason",
            "status",
            "escalation_level",
            "created_at",
            "resolved_at",
            "recipients",
        ]
        read_only_fields = fields

    def get_recipients(self, alert) -> list[dict]:
        return RecipientSerializer(recipients_of(alert), many=True).data


class AlertFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AlertStatus.values, required=False)
    level = serializers.ChoiceField(choices=AlertLevel.values, required=False)
    child = serializers.UUIDField(required=False)


class AcknowledgeSerializer(serializers.Serializer):
    note = StrictCharField(required=False, allow_blank=True, max_length=2000)
