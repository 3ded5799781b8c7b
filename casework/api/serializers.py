from rest_framework import serializers

from casework.access import permissions_for
from casework.models import User


class MeSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    team = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "role",
            "organisation",
            "team",
            "permissions",
        ]

    def get_organisation(self, user) -> dict | None:
        org = user.organisation
        if org is None:
            return None
        return {
            "id": str(org.id),
            "name": org.name,
            "kind": org.kind,
            "la_code": org.la_code,
            "ons_code": org.ons_code,
        }

    def get_team(self, user) -> dict | None:
        return None if user.team is None else {"id": str(user.team.id), "name": user.team.name}

    def get_permissions(self, user) -> list[str]:
        return sorted(str(p) for p in permissions_for(user))


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=12,
        help_text="The authenticator app's current code: needed for roles that must use two-factor sign-in.",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
