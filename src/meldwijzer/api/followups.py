"""Follow-up plans after closing, under /api/v1/followups/. Same rules as the pages
(`followups.rules`), same access log: every plan is read through `followups.selectors.plan_get`
(a plan out of reach is 'not found', logged), every write goes through one service of
`followups.services`, with the same plain data (`ContactData`, `PlanChange`) the pages pass.

- `week/`: my own planned contacts up to the end of this week, overdue ones first, in pages;
- `plans/`: the plans I follow or closed (`?state=beeindigd` for the ended ones), in pages;
- `plans/<id>/`: one plan with its planned contacts, contacts held and decisions;
- `plans/<id>/contacts/` (POST): record a contact as held, with the safety status;
- `plans/<id>/change/`, `plans/<id>/planned/<id>/move/`, `plans/<id>/end/` (POST): change the
  plan, move one planned contact, decide its end — each with its reason;
- `alerts/`, `alerts/<id>/acknowledge/`: 'niet veilig' for the last casusregisseur.

A change that carries `version` is refused with 409 when someone else changed the plan since it
was read; input the service refuses is answered per field, in Dutch, and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meldwijzer.api.cases import MethodFirstMixin
from meldwijzer.api.errors import ApiError
from meldwijzer.api.pagination import ShownPageMixin
from meldwijzer.api.permissions import request_actor
from meldwijzer.audit.models import Action, Purpose, Subject
from meldwijzer.core import events as door_events
from meldwijzer.followups import events, selectors, services
from meldwijzer.followups.models import (
    Alert,
    ContactMode,
    DecisionKind,
    FollowupContact,
    FollowupPlan,
    PlanDecision,
    PlannedContact,
    PlanState,
    Safety,
)
from meldwijzer.followups.rules import PlanAccess
from meldwijzer.followups.schedules import Level
from meldwijzer.followups.services import ContactData, PlanChange
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

MAX_ID = 2**31 - 1
"""Ids in a body are bounded: a larger number is a Dutch 400, not a database error."""

# --- Errors ---------------------------------------------------------------------------------------


class FollowupRefused(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "niet_mogelijk"
    default_detail = "Deze wijziging is niet mogelijk."


class FollowupConflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    error_code = "gelijktijdige_wijziging"
    default_detail = "Iemand anders heeft dit vervolgplan intussen gewijzigd."


def _change(action: Any, *, logged: tuple[Action, str] | None = None, **kwargs: Any) -> Any:
    """Call a service: a concurrent change is 409, refused input 400 per field, any other refusal
    400 — all in Dutch, and nothing changed (each service is one transaction). A refusal of the
    rules on a plan (`logged`: the change's action and part) is logged as refused."""
    try:
        return action(**kwargs)
    except services.ConflictError as error:
        raise FollowupConflict(str(error)) from error
    except services.FollowupInputError as error:
        raise serializers.ValidationError(error.errors) from error
    except services.FollowupError as error:
        if logged is not None:
            events.plan_change_refused(
                actor=kwargs["actor"], plan=kwargs["access"].plan, action=logged[0], part=logged[1]
            )
        raise FollowupRefused(str(error)) from error


def _case_worker(request: Request) -> Actor:
    """The lists are for professionals who work on cases; anyone else is refused (403), logged
    with what they asked for."""
    actor = request_actor(request)
    if not actor.can(Permission.CASE_WORK):
        door_events.request_refused(
            actor=actor,
            subject=Subject.FOLLOWUP_PLANS,
            subject_id=request.path[:64],
            purpose=Purpose.FOLLOWUP,
        )
    return actor


# --- Serializers ----------------------------------------------------------------------------------


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username) if user is not None else ""


def _source_reference(plan: FollowupPlan) -> str:
    if plan.case is not None:
        return str(plan.case.reference)
    return str(plan.file.reference) if plan.file is not None else ""


class FollowupPlannedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    level = serializers.ChoiceField(choices=Level.choices)
    due_on = serializers.DateField()
    scheduled_on = serializers.DateField()
    moved_reason = serializers.CharField()


class FollowupWeekRowSerializer(serializers.Serializer):
    planned = FollowupPlannedSerializer()
    overdue_days = serializers.IntegerField(help_text="0 wanneer het contact nog niet te laat is.")
    plan_id = serializers.IntegerField(source="plan.pk")
    plan_reference = serializers.CharField(source="plan.reference")


class FollowupPlanSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    source_kind = serializers.CharField()
    source_reference = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=PlanState.choices)
    schedule = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    follower = serializers.SerializerMethodField()
    follower_organisation = serializers.CharField(source="follower_organisation.name")
    owner_organisation = serializers.CharField(source="owner_organisation.name")
    next_due_on = serializers.SerializerMethodField()

    def get_source_reference(self, plan: FollowupPlan) -> str:
        return _source_reference(plan)

    def get_follower(self, plan: FollowupPlan) -> str:
        return _name(plan.follower)

    def get_next_due_on(self, plan: FollowupPlan) -> str | None:
        upcoming = getattr(plan, "open_planned", None)
        return upcoming[0].due_on.isoformat() if upcoming else None


class FollowupContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    planned_id = serializers.IntegerField(allow_null=True)
    held_on = serializers.DateField()
    mode = serializers.ChoiceField(choices=ContactMode.choices)
    summary = serializers.CharField()
    safety = serializers.ChoiceField(choices=Safety.choices)
    safety_note = serializers.CharField()
    recorded_by = serializers.SerializerMethodField()
    recorded_organisation = serializers.CharField(source="recorded_organisation.name")
    recorded_at = serializers.DateTimeField()

    def get_recorded_by(self, contact: FollowupContact) -> str:
        return _name(contact.recorded_by)


class FollowupDecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DecisionKind.choices)
    note = serializers.CharField()
    changes = serializers.JSONField()
    decided_by = serializers.SerializerMethodField()
    decided_organisation = serializers.CharField(source="decided_organisation.name")
    decided_at = serializers.DateTimeField()

    def get_decided_by(self, decision: PlanDecision) -> str:
        return _name(decision.decided_by)


class FollowupPlanDetailSerializer(FollowupPlanSummarySerializer):
    how = serializers.CharField()
    version = serializers.IntegerField(help_text="Geef mee bij een wijziging.")
    family = serializers.ListField(child=serializers.CharField())
    may_record = serializers.BooleanField()
    may_manage = serializers.BooleanField()
    planned = FollowupPlannedSerializer(many=True, help_text="De contacten die nog open staan.")
    contacts = FollowupContactSerializer(many=True)
    decisions = FollowupDecisionSerializer(many=True)


class FollowupContactCreateSerializer(serializers.Serializer):
    held_on = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages={"invalid": "Geef de datum van het contact als JJJJ-MM-DD."},
    )
    mode = serializers.ChoiceField(
        choices=ContactMode.choices,
        required=False,
        error_messages={"invalid_choice": "Kies hoe het contact was."},
    )
    summary = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, trim_whitespace=False
    )
    safety = serializers.ChoiceField(
        choices=Safety.choices,
        required=False,
        error_messages={
            "invalid_choice": "Geef aan hoe veilig het is: veilig, zorgen of niet veilig."
        },
    )
    safety_note = serializers.CharField(
        required=False, allow_blank=True, max_length=4000, trim_whitespace=False
    )
    planned_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Het geplande contact dat hiermee is gehouden; leeg voor een extra contact.",
        error_messages={"invalid": "Kies een gepland contact van dit plan."},
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="De versie van het plan die u las; bij een nieuwere versie volgt 409.",
        error_messages={"invalid": "Geef de versie van het plan als getal."},
    )


class FollowupPlanChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        error_messages={
            "required": "Geef de versie van het plan die u las.",
            "invalid": "Geef de versie van het plan als getal.",
        }
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    follower_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    organisation_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    ground_id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_ID
    )
    schedule = serializers.CharField(required=False, allow_null=True, max_length=40)
    how = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=4000)


class FollowupPlannedMoveSerializer(serializers.Serializer):
    due_on = serializers.DateField(
        required=False,
        allow_null=True,
        error_messages={"invalid": "Geef de nieuwe dag als JJJJ-MM-DD."},
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class FollowupPlanEndSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        error_messages={
            "required": "Geef de versie van het plan die u las.",
            "invalid": "Geef de versie van het plan als getal.",
        }
    )
    kind = serializers.ChoiceField(
        choices=[
            (DecisionKind.COMPLETED.value, DecisionKind.COMPLETED.label),
            (DecisionKind.EXTENDED.value, DecisionKind.EXTENDED.label),
            (DecisionKind.REOPENED.value, DecisionKind.REOPENED.label),
        ],
        error_messages={
            "required": "Kies: afronden, verlengen of heropenen.",
            "invalid_choice": "Kies: afronden, verlengen of heropenen.",
        },
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    extend_until = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Alleen bij verlengen: de nieuwe einddatum.",
        error_messages={"invalid": "Geef de nieuwe einddatum als JJJJ-MM-DD."},
    )


class FollowupAlertSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan_reference = serializers.CharField(source="plan.reference")
    source_reference = serializers.SerializerMethodField()
    held_on = serializers.DateField(
        source="contact.held_on",
        allow_null=True,
        help_text="De dag van het contact 'niet veilig'; leeg als het besluit 'heropend' was.",
    )
    decided_on = serializers.DateTimeField(source="decision.decided_at", allow_null=True)
    follower = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    acknowledgement = serializers.CharField()

    def get_source_reference(self, alert: Alert) -> str:
        return _source_reference(alert.plan)

    def get_follower(self, alert: Alert) -> str:
        return _name(alert.plan.follower)


class FollowupAlertAcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Wat de casusregisseur heeft gedaan."
    )


# --- Views ----------------------------------------------------------------------------------------


def _detail(access: PlanAccess) -> dict[str, Any]:
    plan = access.plan
    planned = PlannedContact.objects.filter(
        plan=plan, cancelled_at__isnull=True, contact__isnull=True
    ).order_by("due_on", "pk")
    plan.open_planned = list(planned)  # type: ignore[attr-defined]
    body = dict(FollowupPlanSummarySerializer(plan).data)
    body.update(
        how=plan.how,
        version=plan.version,
        family=selectors.family_names(plan),
        may_record=access.may_record,
        may_manage=access.may_manage,
        planned=FollowupPlannedSerializer(plan.open_planned, many=True).data,  # type: ignore[attr-defined]
        contacts=FollowupContactSerializer(
            FollowupContact.objects.filter(plan=plan).select_related(
                "recorded_by", "recorded_organisation"
            ),
            many=True,
        ).data,
        decisions=FollowupDecisionSerializer(
            PlanDecision.objects.filter(plan=plan).select_related(
                "decided_by", "decided_organisation"
            ),
            many=True,
        ).data,
    )
    return body


def _plan_body(actor: Actor, plan_id: int) -> dict[str, Any]:
    """The plan after a change, read again (and logged) as its detail."""
    return _detail(selectors.plan_get(actor=actor, plan_id=plan_id))


@extend_schema_view(
    get=extend_schema(
        summary="Mijn vervolgcontacten tot en met deze week, te late eerst",
        description="Alleen de plannen die u (nog) mag inzien: is de gedeelde toegang van een "
        "andere organisatie beëindigd, dan valt het plan weg. In pagina's (`page`, `page_size`).",
    )
)
class FollowupWeekView(MethodFirstMixin, ShownPageMixin, generics.ListAPIView):
    serializer_class = FollowupWeekRowSerializer

    def get_queryset(self) -> QuerySet[PlannedContact]:
        return selectors.week_contacts(actor=_case_worker(self.request))

    def page_shown(self, rows: list[Any]) -> list[Any]:
        return selectors.week_shown(actor=request_actor(self.request), planned=rows)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=PlanState.values,
                required=False,
                description="`lopend` (standaard) of `beeindigd`.",
            )
        ],
        summary="De vervolgplannen die ik volg of afsloot",
        description="In pagina's (`page`, `page_size`).",
    )
)
class FollowupPlanListView(MethodFirstMixin, ShownPageMixin, generics.ListAPIView):
    serializer_class = FollowupPlanSummarySerializer

    def get_queryset(self) -> QuerySet[FollowupPlan]:
        actor = _case_worker(self.request)
        state = self.request.query_params.get("state") or PlanState.ACTIVE
        if state not in PlanState.values:
            raise serializers.ValidationError({"state": ["Kies lopend of beeindigd."]})
        return selectors.my_plans_queryset(actor=actor, state=state)

    def page_shown(self, rows: list[Any]) -> list[Any]:
        return selectors.plans_shown(actor=request_actor(self.request), plans=rows)


class FollowupPlanView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: FollowupPlanDetailSerializer},
        summary="Eén vervolgplan: geplande contacten, gehouden contacten en besluiten",
        description="Voor wie het gezin volgt (bij een andere organisatie: zolang de gedeelde "
        "toegang geldt) en de organisatie die afsloot; voor ieder ander 404.",
    )
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(_plan_body(request_actor(request), plan_id))


class FollowupPlanContactsView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FollowupContactCreateSerializer,
        responses={201: FollowupContactSerializer},
        summary="Een vervolgcontact vastleggen, met de veiligheid",
        description="Alleen wie het gezin volgt, zolang het plan loopt. `zorgen` haalt het "
        "volgende contact naar voren; `onveilig` opent de meldcode opnieuw, beëindigt het plan "
        "als ‘heropend’ en waarschuwt de laatste casusregisseur.",
    )
    def post(self, request: Request, plan_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.plan_get(actor=actor, plan_id=plan_id, part="contact")
        payload = FollowupContactCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        contact = _change(
            services.contact_record,
            logged=(Action.CREATE, "contact"),
            actor=actor,
            access=access,
            expected_version=values.get("version"),
            data=ContactData(
                held_on=values.get("held_on"),
                mode=values.get("mode", ""),
                summary=values.get("summary", ""),
                safety=values.get("safety", ""),
                safety_note=values.get("safety_note", ""),
                planned_id=values.get("planned_id"),
            ),
        )
        return Response(FollowupContactSerializer(contact).data, status=status.HTTP_201_CREATED)


class FollowupPlanChangeView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FollowupPlanChangeSerializer,
        responses={200: FollowupPlanDetailSerializer},
        summary="Het plan wijzigen: wie volgt, het schema of de afspraken, met de reden",
        description="Velden die u weglaat blijven zoals ze zijn. Een ander schema plant de "
        "contacten na vandaag opnieuw. Wie volgt voor een andere organisatie: `ground_id` van "
        "de grondslag (alleen de organisatie die afsloot).",
    )
    def post(self, request: Request, plan_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.plan_get(actor=actor, plan_id=plan_id)
        payload = FollowupPlanChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        _change(
            services.plan_change,
            logged=(Action.UPDATE, "plan"),
            actor=actor,
            access=access,
            expected_version=values["version"],
            change=PlanChange(
                note=values.get("note", ""),
                follower_id=values.get("follower_id"),
                organisation_id=values.get("organisation_id"),
                ground_id=values.get("ground_id"),
                schedule=values.get("schedule"),
                how=values.get("how"),
            ),
        )
        return Response(_plan_body(actor, plan_id))


class FollowupPlannedMoveView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FollowupPlannedMoveSerializer,
        responses={200: FollowupPlannedSerializer},
        summary="Eén gepland contact naar een andere dag verschuiven, met de reden",
    )
    def post(self, request: Request, plan_id: int, planned_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.plan_get(actor=actor, plan_id=plan_id, part="contact")
        payload = FollowupPlannedMoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        planned = _change(
            services.planned_move,
            logged=(Action.UPDATE, "contact"),
            actor=actor,
            access=access,
            planned_id=planned_id,
            due_on=values.get("due_on"),
            reason=values.get("reason", ""),
        )
        return Response(FollowupPlannedSerializer(planned).data)


class FollowupPlanEndView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FollowupPlanEndSerializer,
        responses={200: FollowupPlanDetailSerializer},
        summary="Het einde van het plan besluiten: afronden, verlengen of heropenen",
        description="`verlengd` vraagt `extend_until`; `heropend` opent de meldcode opnieuw.",
    )
    def post(self, request: Request, plan_id: int) -> Response:
        actor = request_actor(request)
        access = selectors.plan_get(actor=actor, plan_id=plan_id, part="besluit")
        payload = FollowupPlanEndSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        values = payload.validated_data
        _change(
            services.plan_end,
            logged=(Action.UPDATE, "besluit"),
            actor=actor,
            access=access,
            expected_version=values["version"],
            kind=values["kind"],
            note=values.get("note", ""),
            extend_until=values.get("extend_until"),
        )
        return Response(_plan_body(actor, plan_id))


class FollowupAlertListView(MethodFirstMixin, APIView):
    @extend_schema(
        responses={200: FollowupAlertSerializer(many=True)},
        summary="Meldingen ‘niet veilig’ uit de nazorg die op mij wachten",
        description="Zonder de inhoud van het contact: het plan, de dag en wie het gezin volgt.",
    )
    def get(self, request: Request) -> Response:
        actor = _case_worker(request)
        alerts = selectors.alerts_open(actor)
        events.plans_listed(actor=actor, plans=[alert.plan for alert in alerts], part="melding")
        return Response(FollowupAlertSerializer(alerts, many=True).data)


class FollowupAlertAcknowledgeView(MethodFirstMixin, APIView):
    @extend_schema(
        request=FollowupAlertAcknowledgeSerializer,
        responses={200: FollowupAlertSerializer},
        summary="Een melding ‘niet veilig’ bevestigen, met wat er is gedaan",
        description="Alleen wie de melding kreeg, zolang ze open staat; anders 404.",
    )
    def post(self, request: Request, alert_id: int) -> Response:
        actor = request_actor(request)
        selectors.alert_get(actor=actor, alert_id=alert_id)  # someone else's: 404, logged
        payload = FollowupAlertAcknowledgeSerializer(data=request.data)
        note = payload.validated_data.get("note", "") if payload.is_valid() else ""
        alert = _change(services.alert_acknowledge, actor=actor, alert_id=alert_id, note=note)
        return Response(FollowupAlertSerializer(alert).data)


urlpatterns: list[URLPattern] = [
    path("followups/week/", FollowupWeekView.as_view(), name="followup-week"),
    path("followups/plans/", FollowupPlanListView.as_view(), name="followup-plans"),
    path("followups/plans/<int:plan_id>/", FollowupPlanView.as_view(), name="followup-plan"),
    path(
        "followups/plans/<int:plan_id>/contacts/",
        FollowupPlanContactsView.as_view(),
        name="followup-plan-contacts",
    ),
    path(
        "followups/plans/<int:plan_id>/change/",
        FollowupPlanChangeView.as_view(),
        name="followup-plan-change",
    ),
    path(
        "followups/plans/<int:plan_id>/planned/<int:planned_id>/move/",
        FollowupPlannedMoveView.as_view(),
        name="followup-planned-move",
    ),
    path(
        "followups/plans/<int:plan_id>/end/",
        FollowupPlanEndView.as_view(),
        name="followup-plan-end",
    ),
    path("followups/alerts/", FollowupAlertListView.as_view(), name="followup-alerts"),
    path(
        "followups/alerts/<int:alert_id>/acknowledge/",
        FollowupAlertAcknowledgeView.as_view(),
        name="followup-alert-acknowledge",
    ),
]
