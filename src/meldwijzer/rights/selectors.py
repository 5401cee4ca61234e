"""Reading the copies given and the client's statements of a case that `cases.selectors.case_get`
allowed (which logged the read with its part and refused anyone else)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from meldwijzer.cases.models import Case
from meldwijzer.cases.selectors import current_entries
from meldwijzer.rights import eligibility
from meldwijzer.rights.models import ClientStatement, CopyGiven


def copies_given(case: Case) -> QuerySet[CopyGiven]:
    """Every copy given of this case, newest first."""
    return CopyGiven.objects.filter(case=case).select_related(
        "recipient", "child", "given_by", "organisation"
    )


def statements(case: Case) -> QuerySet[ClientStatement]:
    """Every statement of the client in this case, oldest first."""
    return ClientStatement.objects.filter(case=case).select_related(
        "given_by", "recorded_by", "organisation"
    )


def case_section_records(case: Case) -> tuple[list[ClientStatement], list[CopyGiven]]:
    """The statements and the copies given, for the case page: first whether there are any, in
    one query, and only then each that exists — most cases have neither."""
    has_statements, has_copies = (
        Case.objects.filter(pk=case.pk)
        .values_list(
            Exists(ClientStatement.objects.filter(case=OuterRef("pk"))),
            Exists(CopyGiven.objects.filter(case=OuterRef("pk"))),
        )
        .get()
    )
    return (
        list(statements(case)) if has_statements else [],
        list(copies_given(case)) if has_copies else [],
    )


def safety_reasons(case: Case) -> list[str]:
    """Why a copy of this case needs a written safety weighing (`eligibility.safety_reasons`)."""
    return eligibility.safety_reasons(list(current_entries(case)))
