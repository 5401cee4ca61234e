from __future__ import annotations

from rest_framework import serializers

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.organisations.models import Membership, Organisation, Sector


class OrganisationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name")
    sector_label = serializers.CharField(source="get_sector_display")

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "sector",
            "sector_label",
            "municipality",
            "postcode",
            "place",
            "is_active",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display")

    class Meta:
        model = Membership
        fields = ["role", "role_label", "is_active"]


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "is_active"]


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()
    organisation = OrganisationSerializer()
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())


class AccessLogEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessLogEntry
        fields = [
            "chain",
            "sequence",
            "occurred_at",
            "username",
            "organisation",
            "role",
            "action",
            "subject_type",
            "subject_id",
            "client_id",
            "part",
            "purpose",
            "outcome",
        ]


# --- Query parameters (validated like any other input: bad values give a 400, never a 500) -------


class OrganisationFilterSerializer(serializers.Serializer):
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)


class AccessLogFilterSerializer(serializers.Serializer):
    subject_type = serializers.CharField(required=False, max_length=40)
    subject_id = serializers.CharField(required=False, max_length=64)
    username = serializers.CharField(required=False, max_length=150)
