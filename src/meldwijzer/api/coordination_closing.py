"""Closing a coordination file with agreements on following the family's safety, under
/api/v1/coordination/files/<id>/close/. Same rule as the page: only the casusregisseur of an open
file; to anyone else the operation answers 'not found' (logged). The agreements are those of a
meldcode dossier closing after afweging 5 = ja (`api.cases.FollowupAgreementSerializer`); an
agreement the service refuses comes back per field (400), a change by someone else in between
as 409, and the file stays open.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import FOLLOWUP_FIELDS, FollowupAgreementSerializer, MethodFirstMixin
from meldwijzer.api.coordination_team import (
    CoordinationConflict,
    CoordinationRefused,
    FileDetailSerializer,
)
from meldwijzer.api.permissions import request_actor
from meldwijzer.api.schema import errors
from meldwijzer.audit.models import Action
from meldwijzer.cases.services import CaseInputError
from meldwijzer.coordination import closing, selectors
from meldwijzer.coordination.rules import FileAccess, file_access
from meldwijzer.coordination.services import ConflictError, CoordinationError


class FileCloseSerializer(FollowupAgreementSerializer):
    version = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="De versie van het dossier die u hebt gelezen."
    )


def _may_lead(access: FileAccess) -> bool:
    return access.may_lead


class FileCloseView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FileCloseSerializer,
        responses={200: FileDetailSerializer, **errors(409)},
        summary="Het regiedossier afsluiten met afspraken over het volgen van de veiligheid "
        "(alleen de casusregisseur)",
        description="Verplicht: `follower_id` met `organisation_id` (wie volgt), `how` en "
        "`until`; `ground_id` als die professional voor een andere organisatie werkt. Er begint "
        "een vervolgplan. Met de `version` van het dossier die u las; anders 409.",
    )
    def post(self, request: Request, file_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.file_get(
            actor=actor, file_id=file_id, action=Action.UPDATE, need=_may_lead
        )
        payload = FileCloseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            file = closing.file_close(
                actor=actor,
                access=access,
                expected_version=payload.validated_data["version"],
                followup=payload.agreement(),
            )
        except CaseInputError as error:
            raise serializers.ValidationError(
                {FOLLOWUP_FIELDS.get(name, name): msgs for name, msgs in error.errors.items()}
            ) from error
        except ConflictError as error:
            raise CoordinationConflict(str(error)) from error
        except CoordinationError as error:
            raise CoordinationRefused(str(error)) from error
        closed = file_access(actor, file, access.member, access.grant)
        file.parts = sorted(closed.parts)  # type: ignore[attr-defined]
        file.is_coordinator = closed.is_coordinator  # type: ignore[attr-defined]
        return Response(FileDetailSerializer(file).data)


urlpatterns = [
    path(
        "coordination/files/<int:file_id>/close/",
        FileCloseView.as_view(),
        name="coordination-file-close",
    ),
]
