"""Follow-up plans as files the retention job can destroy (registered in `apps.py`).

A plan is its own file (`nazorg`), held by the organisation that closed the file it follows:
destroyed once it has ended and its period has passed, with its planned contacts, reminders,
contacts, decisions, alerts and signals. When the case or coordination file it follows is
destroyed, its plans go with it — and a plan still running, or changed after the cut-off, keeps
that file. A signal that names a destroyed case as the new dossier goes with that case; a contact
that re-opened it loses only the link.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Q, QuerySet

from meldwijzer.followups.models import (
    Alert,
    FollowupContact,
    FollowupPlan,
    FollowupSignal,
    PlanDecision,
    PlannedContact,
    PlanState,
    Reminder,
)
from meldwijzer.privacy.models import FileKind, ResourceKind
from meldwijzer.privacy.retention_sources import (
    FileQuery,
    RetainedFile,
    RetentionPart,
    RetentionSource,
    rows_destroy,
)

PLAN_MODELS = (
    FollowupPlan, PlannedContact, Reminder, FollowupContact, PlanDecision, Alert, FollowupSignal,
)  # fmt: skip


def _plans_destroy(plans: QuerySet[FollowupPlan], counts: Counter[str]) -> None:
    ids = list(plans.values_list("pk", flat=True))
    if not ids:
        return
    rows_destroy(Reminder.objects.filter(planned__plan_id__in=ids), counts)
    rows_destroy(Alert.objects.filter(plan_id__in=ids), counts)
    rows_destroy(PlanDecision.objects.filter(plan_id__in=ids), counts)
    rows_destroy(FollowupContact.objects.filter(plan_id__in=ids), counts)
    rows_destroy(PlannedContact.objects.filter(plan_id__in=ids), counts)
    rows_destroy(FollowupSignal.objects.filter(plan_id__in=ids), counts)
    rows_destroy(FollowupPlan.objects.filter(pk__in=ids), counts)


# The plan as its own file.

_FIELDS = (
    "pk", "reference", "owner_organisation_id", "client_pseudonym", "state", "updated_at",
    "ended_at",
)  # fmt: skip


def _retained(plan: FollowupPlan) -> RetainedFile:
    moments = [plan.updated_at, plan.ended_at]
    return RetainedFile(
        resource_kind=ResourceKind.FOLLOWUP_PLAN,
        file_kind=FileKind.FOLLOW_UP,
        file_id=plan.pk,
        reference=plan.reference,
        organisation_id=plan.owner_organisation_id,
        client_pseudonym=plan.client_pseudonym,
        last_change=max(moment for moment in moments if moment is not None),
        closed=plan.state == PlanState.ENDED,
    )


FILES = FileQuery(
    rows=lambda: FollowupPlan.objects.only(*_FIELDS),
    closed=Q(state=PlanState.ENDED),
    organisation="owner_organisation_id",
    moments=("updated_at", "ended_at"),
    retained=_retained,
)


def _get(plan_id: int) -> RetainedFile | None:
    plan = FollowupPlan.objects.select_for_update().only(*_FIELDS).filter(pk=plan_id).first()
    return _retained(plan) if plan is not None else None


def _destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    _plans_destroy(FollowupPlan.objects.filter(pk=file.file_id), counts)
    return counts


SOURCE = RetentionSource(
    resource_kind=ResourceKind.FOLLOWUP_PLAN,
    file_kind=FileKind.FOLLOW_UP,
    files=FILES,
    get=_get,
    destroy=_destroy,
    holds_pseudonym=lambda pseudonym: FollowupPlan.objects.filter(
        client_pseudonym=pseudonym
    ).exists(),
    models=PLAN_MODELS,
)


# Of the file a plan follows.


def _following(file: RetainedFile) -> QuerySet[FollowupPlan]:
    if file.resource_kind == ResourceKind.CASE:
        return FollowupPlan.objects.filter(case_id=file.file_id)
    return FollowupPlan.objects.filter(file_id=file.file_id)


def _keeps(file: RetainedFile, cutoff: datetime.datetime) -> bool:
    return (
        _following(file)
        .filter(Q(state=PlanState.ACTIVE) | Q(updated_at__gte=cutoff) | Q(ended_at__gte=cutoff))
        .exists()
    )


def _plan_ids(file: RetainedFile) -> dict[str, list[int]]:
    return {ResourceKind.FOLLOWUP_PLAN: list(_following(file).values_list("pk", flat=True))}


def _case_destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    FollowupContact.objects.filter(reopened_case_id=file.file_id).update(reopened_case=None)
    rows_destroy(FollowupSignal.objects.filter(case_id=file.file_id), counts)
    _plans_destroy(_following(file), counts)
    return counts


def _file_destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    FollowupContact.objects.filter(reopened_file_id=file.file_id).update(reopened_file=None)
    _plans_destroy(_following(file), counts)
    return counts


CASE_PART = RetentionPart(
    resource_kind=ResourceKind.CASE,
    keeps=_keeps,
    destroy=_case_destroy,
    models=PLAN_MODELS,
    detaches=("followups.FollowupContact.reopened_case",),
    resource_ids=_plan_ids,
)
FILE_PART = RetentionPart(
    resource_kind=ResourceKind.COORDINATION_FILE,
    keeps=_keeps,
    destroy=_file_destroy,
    models=PLAN_MODELS,
    detaches=("followups.FollowupContact.reopened_file",),
    resource_ids=_plan_ids,
)
