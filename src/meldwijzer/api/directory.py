"""API v1 for the sociale kaart, shaped as Open Referral HSDS 3.0.

`/directory/organizations/` and `/directory/services/` page like HSDS's own API (`page`,
`per_page`; `total_items`, `total_pages`, `page_number`, `size`, `first_page`, `last_page`,
`empty`, `contents`) and return HSDS objects. They are readable without logging in: anonymous
callers get the public view (no contact persons, no referral details, no confidential
locations); with a token or a verified session the professional view adds contact persons and
referral details. Confidential addresses are never in the API. Anonymous callers are limited per
address (`core.rate_limits`, 429 with Retry-After), logged-in callers per person. Search and
filters are the same as on the web page (`selectors.service_search`).
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.errors import ApiError
from meldwijzer.api.views import query_filters
from meldwijzer.core.rate_limits import AnonymousApiThrottle, TooManyRequests
from meldwijzer.organisations.roles import Permission
from meldwijzer.social_map import hsds, selectors, taxonomies
from meldwijzer.social_map.forms import clean_postcode
from meldwijzer.social_map.models import FINDABLE_STATUSES, Provider, Service

MAX_PAGE = 10_000


class PostcodeOutsideRegion(ApiError):
    """A well-formed postcode outside the region this sociale kaart covers."""

    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "postcode_buiten_gebied"
    default_detail = "Deze postcode ligt buiten het gebied van deze sociale kaart."


def _codes(taxonomy_id: str) -> list[str]:
    return list(taxonomies.taxonomy(taxonomy_id).terms)


class PagingSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, max_value=MAX_PAGE, required=False, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)


class ServiceFilterSerializer(PagingSerializer):
    q = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Zoektekst."
    )
    postcode = serializers.CharField(
        max_length=10,
        required=False,
        allow_blank=True,
        default="",
        help_text="Postcode (vier cijfers genoeg; 8302 AB kan ook): afstand, en alleen hulp voor "
        "die postcode. Een postcode buiten het gebied van de sociale kaart geeft de fout "
        "postcode_buiten_gebied, behalve met area=alle.",
    )
    violence = serializers.ChoiceField(choices=_codes(taxonomies.VIOLENCE), required=False)
    target_group = serializers.ChoiceField(choices=_codes(taxonomies.TARGET_GROUPS), required=False)
    help_type = serializers.ChoiceField(choices=_codes(taxonomies.HELP_TYPES), required=False)
    language = serializers.ChoiceField(choices=_codes(taxonomies.LANGUAGES), required=False)
    area = serializers.ChoiceField(
        choices=[("postcode", "Alleen hulp voor de postcode"), ("alle", "Alle hulp")],
        required=False,
        default="postcode",
    )
    organization_id = serializers.UUIDField(required=False)

    def validate_postcode(self, value: str) -> str:
        try:
            return clean_postcode(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class OrganizationFilterSerializer(PagingSerializer):
    q = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Deel van de naam."
    )


def _audience(request: Request) -> hsds.Audience:
    """Professionals (token or verified session) see contact persons; nobody sees confidential
    locations through the API."""
    actor = getattr(request._request, "actor", None)
    if actor is not None and actor.can(Permission.DIRECTORY_VIEW):
        return hsds.PROFESSIONAL
    return hsds.PUBLIC


def hsds_page(contents: list[dict[str, Any]], total: int, page: int, size: int) -> dict[str, Any]:
    pages = (total + size - 1) // size
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page,
        "size": size,
        "first_page": page == 1,
        "last_page": page >= pages,
        "empty": not contents,
        "contents": contents,
    }


HSDS_PAGE = OpenApiTypes.OBJECT


class PublicApiView(APIView):
    """Readable without logging in; anonymous callers are limited per address as well (the 429
    is in every operation's documented answers, `api.schema`)."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonymousApiThrottle, *APIView.throttle_classes]

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        raise TooManyRequests(wait)


def _service_json(
    service: Service, *, audience: hsds.Audience, distance_km: float | None = None
) -> dict[str, Any]:
    data = hsds.service_object(service, audience=audience)
    data["organization"] = hsds.organization_summary(service.provider)
    if distance_km is not None:
        data["distance_km"] = round(distance_km, 1)
    return data


class DirectoryServiceListView(PublicApiView):
    @extend_schema(
        operation_id="directory_services_list",
        parameters=[ServiceFilterSerializer],
        responses=HSDS_PAGE,
        summary="Diensten in de sociale kaart (HSDS 3.0), met zoeken, filters en afstand",
    )
    def get(self, request: Request) -> Response:
        filters = query_filters(request, ServiceFilterSerializer)
        criteria = selectors.Criteria(
            text=filters["q"],
            postcode=filters["postcode"],
            violence=(filters["violence"],) if filters.get("violence") else (),
            target_groups=(filters["target_group"],) if filters.get("target_group") else (),
            help_types=(filters["help_type"],) if filters.get("help_type") else (),
            language=filters.get("language", ""),
            area=selectors.AREA_ALL if filters["area"] == "alle" else selectors.AREA_POSTCODE,
            provider_uid=str(filters["organization_id"]) if "organization_id" in filters else "",
        )
        origin = criteria.origin
        if origin is not None and criteria.area != selectors.AREA_ALL:
            outside = selectors.directory_region().outside(origin)
            if outside:
                raise PostcodeOutsideRegion(outside)
        page, size = filters["page"], filters["per_page"]
        results = selectors.service_search(
            criteria,
            offset=(page - 1) * size,
            limit=size,
            prefetch=hsds.service_prefetches(),
        )
        audience = _audience(request)
        contents = [
            _service_json(hit.service, audience=audience, distance_km=hit.distance_km)
            for hit in results.hits
        ]
        return Response(hsds_page(contents, results.total, page, size))


class DirectoryServiceDetailView(PublicApiView):
    @extend_schema(
        operation_id="directory_services_retrieve",
        parameters=[OpenApiParameter("service_uid", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses=OpenApiTypes.OBJECT,
        summary="Eén dienst, volledig (HSDS 3.0)",
    )
    def get(self, request: Request, service_uid: Any) -> Response:
        service = selectors.service_findable_by_uid(service_uid)
        if service is None:
            raise Http404
        return Response(_service_json(service, audience=_audience(request)))


def _providers(q: str) -> QuerySet[Provider]:
    queryset = Provider.objects.order_by("name", "pk")
    return queryset.filter(name__icontains=q) if q else queryset


class DirectoryOrganizationListView(PublicApiView):
    @extend_schema(
        operation_id="directory_organizations_list",
        parameters=[OrganizationFilterSerializer],
        responses=HSDS_PAGE,
        summary="Aanbieders in de sociale kaart (HSDS 3.0 organizations)",
    )
    def get(self, request: Request) -> Response:
        filters = query_filters(request, OrganizationFilterSerializer)
        page, size = filters["page"], filters["per_page"]
        queryset = _providers(filters["q"])
        total = queryset.count()
        providers = list(queryset[(page - 1) * size : page * size])
        contents = [hsds.organization_summary(provider) for provider in providers]
        return Response(hsds_page(contents, total, page, size))


class DirectoryOrganizationDetailView(PublicApiView):
    @extend_schema(
        operation_id="directory_organizations_retrieve",
        parameters=[OpenApiParameter("organization_uid", OpenApiTypes.UUID, OpenApiParameter.PATH)],
        responses=OpenApiTypes.OBJECT,
        summary="Eén aanbieder met haar diensten en locaties (HSDS 3.0)",
    )
    def get(self, request: Request, organization_uid: Any) -> Response:
        provider = Provider.objects.filter(uid=organization_uid).first()
        if provider is None:
            raise Http404
        audience = _audience(request)
        snapshot = hsds.Snapshot.read(audience=audience, provider_pk=provider.pk)
        data = hsds.organization_object(snapshot.providers[0], audience=audience)
        data["services"] = [
            service
            for service in data.get("services", [])
            if service["status"] in FINDABLE_STATUSES
        ]
        return Response(data)
