"""Reading the access log: the whole log for platform beheer, one organisation's for its beheerder,
and everything about one client for whoever is allowed to show it (`client_access_list`)."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from meldwijzer.audit import events
from meldwijzer.audit.models import AccessLogEntry, Subject
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
        events.access_log_refused(actor=actor)
    if subject_type:
        queryset = queryset.filter(subject_type=subject_type)
    if subject_id:
        queryset = queryset.filter(subject_id=subject_id)
    if username:
        queryset = queryset.filter(username__iexact=username)
    events.access_log_read(
        actor=actor,
        role=actor.role_for(permission),
        filtered=bool(subject_type or subject_id or username),
    )
    return queryset.select_related("organisation").order_by("-occurred_at", "-id")


def client_access_list(
    *,
    client_pseudonym: str,
    case_id: int | None = None,
    since: datetime.datetime | None = None,
) -> QuerySet[AccessLogEntry]:
    """Every row about one client: who looked at (or was refused) their data, when, for which
    organisation in which role, why, what and which part — newest first.

    This is a query, not an access check: its callers decide who may see it and log that
    (`cases.selectors.case_access_history`, the `audit_client` command).

    Rows written before each row named its client carry no pseudonym. Given the case's id (and
    when it was opened, `since`), those are found too: rows about the case itself
    (`subject_type="casus"`, `subject_id=<case id>`) without a client, and refusals of a person,
    entry or result in the case, which named the case's id as the client. Each row says how it
    was found: `found_by_case_number` is true for those older rows."""
    by_pseudonym = Q(client_id=client_pseudonym)
    matches = by_pseudonym
    if case_id is not None:
        older = Q(client_id="", subject_type=Subject.CASE, subject_id=str(case_id)) | Q(
            client_id=str(case_id)
        )
        if since is not None:
            older &= Q(occurred_at__gte=since)
        matches |= older
    return (
        AccessLogEntry.objects.filter(matches)
        .annotate(
            found_by_case_number=ExpressionWrapper(~by_pseudonym, output_field=BooleanField())
        )
        .select_related("organisation")
        .order_by("-occurred_at", "-id")
    )
