from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.audit.forms import AccessLogFilterForm
from meldwijzer.audit.selectors import access_log_list
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.roles import Permission


@actor_required()
def access_log_view(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = access_log_list(actor=current_actor(request), **filters)
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    return render(request, "audit/access_log.html", {"form": form, "page": page})


@actor_required(Permission.AUDIT_VIEW_ALL)
def verify_view(request: HttpRequest) -> HttpResponse:
    return render(request, "audit/verify.html", {"result": audit_chain_verify()})
