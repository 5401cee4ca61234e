"""API v1 endpoints for the foundation: who am I, organisations, people, the access log.

Each endpoint reads through the same selectors as the web pages, so the same access rules and
access log apply.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from meldwijzer.api.permissions import request_actor
from meldwijzer.api.serializers import (
    AccessLogEntrySerializer,
    AccessLogFilterSerializer,
    MemberSerializer,
    MeSerializer,
    OrganisationFilterSerializer,
    OrganisationSerializer,
)
from meldwijzer.audit.selectors import access_log_list
from meldwijzer.organisations import selectors as organisation_selectors


class RootView(APIView):
    @extend_schema(exclude=True)
    def get(self, request: Request) -> Response:
        names = [
            "me",
            "organisation-list",
            "member-list",
            "access-log",
            "case-list",
            "instrument-list",
            "directory-organization-list",
            "directory-service-list",
            "schema",
        ]
        return Response({name: reverse(f"api:{name}", request=request) for name in names})


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="Wie ben ik en namens welke organisatie")
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        data = {
            "username": actor.user.username,
            "name": str(actor.user),
            "organisation": actor.organisation,
            "roles": sorted(actor.roles),
            "permissions": sorted(actor.permissions),
        }
        return Response(MeSerializer(data).data)


def query_filters(request: Request, serializer_class: type[serializers.Serializer]) -> dict:
    """The validated query parameters of `request`; invalid ones raise a 400 in the error format."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


@extend_schema_view(get=extend_schema(parameters=[OrganisationFilterSerializer]))
class OrganisationListView(generics.ListAPIView):
    serializer_class = OrganisationSerializer

    def get_queryset(self):
        filters = query_filters(self.request, OrganisationFilterSerializer)
        queryset = organisation_selectors.organisation_list(actor=request_actor(self.request))
        return queryset.filter(sector=filters["sector"]) if "sector" in filters else queryset


class OrganisationDetailView(generics.RetrieveAPIView):
    serializer_class = OrganisationSerializer
    lookup_url_kwarg = "organisation_id"

    def get_queryset(self):
        return organisation_selectors.organisation_list(actor=request_actor(self.request))


class MemberListView(generics.ListAPIView):
    serializer_class = MemberSerializer

    def get_queryset(self):
        return organisation_selectors.member_list(actor=request_actor(self.request))


class MemberDetailView(generics.RetrieveAPIView):
    serializer_class = MemberSerializer

    def get_object(self):
        return organisation_selectors.member_get(
            actor=request_actor(self.request), user_id=self.kwargs["user_id"]
        )


@extend_schema_view(get=extend_schema(parameters=[AccessLogFilterSerializer]))
class AccessLogView(generics.ListAPIView):
    serializer_class = AccessLogEntrySerializer

    def get_queryset(self):
        filters = query_filters(self.request, AccessLogFilterSerializer)
        return access_log_list(actor=request_actor(self.request), **filters)
