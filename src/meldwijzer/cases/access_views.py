"""'Wie heeft deze gegevens ingezien': the access history of a case's client, for the responsible
professional (`selectors.case_access_history`)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import selectors
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission

# How many rows the case page shows; the rest is on the case's own access-history page.
SHOWN_ON_CASE_PAGE = 20
PAGE_SIZE = 50


def access_history_context(rows: QuerySet[AccessLogEntry] | None) -> dict[str, Any]:
    """The latest rows for the case page (`selectors.case_page_get` gives them to the responsible
    professional only; others see no section). One query for the rows, whatever their number."""
    if rows is None:
        return {}
    shown = list(rows[: SHOWN_ON_CASE_PAGE + 1])
    return {
        "access_history": shown[:SHOWN_ON_CASE_PAGE],
        "access_history_more": len(shown) > SHOWN_ON_CASE_PAGE,
    }


@actor_required(Permission.CASE_WORK)
def access_history_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case, rows = selectors.case_access_history_get(actor=actor, case_id=case_id)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "cases/access_history.html", {"case": case, "page": page})
