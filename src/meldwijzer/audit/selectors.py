"""Reading the access log: the whole log for platform beheer, one organisation's for its beheerder."""

from __future__ import annotations

from django.db.models import QuerySet

from meldwijzer.audit.models import AccessLogEntry, Action, Purpose
from meldwijzer.audit.services import access_denied, access_log_record
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission


def access_log_list(
    *, actor: Actor, subject_type: str = "", subject_id: str = "", username: str = ""
) -> QuerySet[AccessLogEntry]:
    if actor.can(Permission.AUDIT_VIEW_ALL):
        permission = Permission.AUDIT_VIEW_ALL
        queryset = AccessLogEntry.objects.all()
    elif actor.can(Permission.AUDIT_VIEW_ORGANISATION):
        permission = Permission.AUDIT_VIEW_ORGANISATION
        queryset = AccessLogEntry.objects.filter(organisation=actor.organisation)
    else:
        access_denied(actor=actor, action=Action.READ, subject_type="toegangslogboek")
    if subject_type:
        queryset = queryset.filter(subject_type=subject_type)
    if subject_id:
        queryset = queryset.filter(subject_id=subject_id)
    if username:
        queryset = queryset.filter(username__iexact=username)
    access_log_record(
        actor=actor,
        action=Action.SEARCH if (subject_type or subject_id or username) else Action.READ,
        subject_type="toegangslogboek",
        role=actor.role_for(permission),
        purpose=Purpose.SUPERVISION,
    )
    return queryset.select_related("organisation").order_by("-occurred_at", "-id")
