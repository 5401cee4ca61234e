"""'Wie heeft deze gegevens ingezien': the access history of a case's client, for the responsible
professional (`selectors.case_access_history`).

The case page and the case's own access-history page show the same table. Its rows are read with
only the columns it shows and prepared once here (`access_rows`), every cell a finished string, so
the template only prints them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose
from meldwijzer.cases import selectors
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.templatetags.meldwijzer import subject_label
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.templatetags.roles import role_label

# How many rows the case page shows; the rest is on the case's own access-history page.
SHOWN_ON_CASE_PAGE = 20
PAGE_SIZE = 50

# The columns the table shows, with the name of the organisation acted for.
SHOWN_COLUMNS = (
    "occurred_at",
    "username",
    "role",
    "organisation__name",
    "purpose",
    "action",
    "subject_type",
    "part",
    "outcome",
    "found_by_case_number",
)

# Worked out once; a value without a label is shown as it is stored.
_ACTION_LABELS = {str(action.value): capfirst(str(action.label)) for action in Action}
_PURPOSE_LABELS = {str(purpose.value): str(purpose.label) for purpose in Purpose}


@dataclass(frozen=True, slots=True)
class AccessRow:
    """One row of the table as it is shown."""

    when: str
    """Local time, as 'j-n-Y H:i'."""
    username: str
    role: str
    """The role's Dutch name; empty for a row without a role."""
    organisation: str
    purpose: str
    what: str
    """What was done with what, and which part: 'Ingezien: casus (dossier)'."""
    found_by_case_number: bool
    denied: bool


def access_row(values: dict[str, Any]) -> AccessRow:
    """The shown row for one row's `SHOWN_COLUMNS`."""
    moment = timezone.localtime(values["occurred_at"])
    done = _ACTION_LABELS.get(values["action"]) or capfirst(values["action"])
    what = f"{done}: {subject_label(values['subject_type'])}"
    if values["part"]:
        what += f" ({values['part']})"
    return AccessRow(
        when=f"{moment.day}-{moment.month}-{moment.year:04d} {moment:%H:%M}",
        username=values["username"] or "–",
        role=role_label(values["role"]) if values["role"] else "",
        organisation="–" if values["organisation__name"] is None else values["organisation__name"],
        purpose=_PURPOSE_LABELS.get(values["purpose"], values["purpose"]),
        what=what,
        found_by_case_number=bool(values["found_by_case_number"]),
        denied=values["outcome"] == AccessOutcome.DENIED,
    )


def access_rows(rows: Iterable[dict[str, Any]]) -> list[AccessRow]:
    return [access_row(values) for values in rows]


def access_history_context(rows: QuerySet[AccessLogEntry] | None) -> dict[str, Any]:
    """The latest rows for the case page (`selectors.case_page_get` gives them to the responsible
    professional only; others see no section). One query for the rows, whatever their number."""
    if rows is None:
        return {}
    shown = access_rows(rows.values(*SHOWN_COLUMNS)[: SHOWN_ON_CASE_PAGE + 1])
    return {
        "access_history": shown[:SHOWN_ON_CASE_PAGE],
        "access_history_more": len(shown) > SHOWN_ON_CASE_PAGE,
    }


@actor_required(Permission.CASE_WORK)
def access_history_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case, rows = selectors.case_access_history_get(actor=actor, case_id=case_id)
    page = Paginator(rows.values(*SHOWN_COLUMNS), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "cases/access_history.html",
        {"case": case, "page": page, "rows": access_rows(page)},
    )
