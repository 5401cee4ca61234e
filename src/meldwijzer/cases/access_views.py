"""'Wie heeft deze gegevens ingezien': the access history of a case's client, for the responsible
professional (`selectors.case_access_history`)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.cases import rules, selectors
from meldwijzer.cases.models import Case
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

# How many rows the case page shows; the rest is on the case's own access-history page.
SHOWN_ON_CASE_PAGE = 20
PAGE_SIZE = 50


def access_history_context(actor: Actor, case: Case) -> dict[str, Any]:
    """The latest rows for the case page, for the responsible professional only (others see no
    section, and nothing is logged for them). One query for the rows, whatever their number."""
    if not rules.can_see_access_history(actor, case):
        return {}
    rows = list(selectors.case_access_history(actor=actor, case=case)[: SHOWN_ON_CASE_PAGE + 1])
    return {
        "access_history": rows[:SHOWN_ON_CASE_PAGE],
        "access_history_more": len(rows) > SHOWN_ON_CASE_PAGE,
    }


@actor_required(Permission.CASE_WORK)
def access_history_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case, rows = selectors.case_access_history_get(actor=actor, case_id=case_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "cases/access_history.html", {"case": case, "page": page})
