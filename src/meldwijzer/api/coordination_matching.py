"""Match signals, under /api/v1/coordination/: list my signals, mark one as seen. Same rules as the
pages (`coordination.matching`), same access log: a signal belongs to its two professionals; for
everyone else it does not exist (404). A signal says only who the other professional is, how to
reach them and whether the family has a casusregisseur — never what either of them recorded."""

from __future__ import annotations

from django.urls import URLPattern, path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.coordination import matching


class MatchSignalSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="signal.pk")
    my_record_kind = serializers.CharField(
        source="mine.kind", default="", help_text="casus of regiedossier"
    )
    my_record_reference = serializers.CharField(
        source="mine.reference", default="", help_text="Het kenmerk van uw eigen casus of dossier."
    )
    other_name = serializers.SerializerMethodField()
    other_organisation = serializers.CharField(source="other_organisation.name")
    other_phone = serializers.CharField(source="other.phone")
    other_email = serializers.CharField(source="other.email")
    coordinator_exists = serializers.SerializerMethodField(
        help_text="Of het gezin in Meldwijzer een casusregisseur heeft."
    )
    coordinator = serializers.CharField(help_text="Wie, en bij welke organisatie; anders leeg.")
    seen = serializers.BooleanField(help_text="Of u het signaal als gezien hebt gemarkeerd.")
    created_at = serializers.DateTimeField(source="signal.created_at")
    expires_at = serializers.DateTimeField(source="signal.expires_at")

    def get_other_name(self, notice: matching.Notice) -> str:
        return notice.other.get_full_name() or notice.other.get_username()

    def get_coordinator_exists(self, notice: matching.Notice) -> bool:
        return bool(notice.coordinator)


class MatchSignalListView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: MatchSignalSerializer(many=True)},
        summary="Samenloop: mijn signalen dat een andere organisatie dezelfde persoon vastlegde",
        description="Alleen lopende signalen (ze vervallen twee jaar nadat ze ontstonden). "
        "Elk signaal noemt alleen de andere professional, de organisatie, telefoon en e-mail, en "
        "of het gezin een casusregisseur heeft; nooit inhoud.",
    )
    def get(self, request: Request) -> Response:
        notices = matching.signals_for(actor=request_actor(request))
        return Response(MatchSignalSerializer(notices, many=True).data)


class MatchSignalSeenView(MethodFirstMixin, APIView):
    @extend_schema(
        request=None,
        responses={200: MatchSignalSerializer},
        summary="Een signaal van samenloop als gezien markeren",
        description="Alleen een van de twee professionals van het signaal; voor ieder ander "
        "bestaat het niet (404).",
    )
    def post(self, request: Request, signal_id: int) -> Response:
        actor = request_actor(request)
        signal = matching.signal_mark_seen(actor=actor, signal_id=signal_id)
        notice = matching.signal_notice(actor=actor, signal=signal)
        return Response(MatchSignalSerializer(notice).data)


urlpatterns: list[URLPattern] = [
    path(
        "coordination/match-signals/",
        MatchSignalListView.as_view(),
        name="coordination-match-signals",
    ),
    path(
        "coordination/match-signals/<int:signal_id>/seen/",
        MatchSignalSeenView.as_view(),
        name="coordination-match-signal-seen",
    ),
]
