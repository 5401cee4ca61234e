"""Match signals: two organisations registered the same person. 'Samenloop' lists the actor's
signals — only who the other professional is and how to reach them, and whether the family has a
casusregisseur — and lets them mark one as seen. The worklist shows the unseen ones; a case page
and a file's overview point to them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination import matching
from meldwijzer.coordination.overview import NavItem, Section
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

LIST = "coordination:match_list"


@actor_required(Permission.CASE_WORK)
def match_list_view(request: HttpRequest) -> HttpResponse:
    notices = matching.signals_for(actor=current_actor(request))
    return render(
        request,
        "coordination/matching/match_list.html",
        {
            "unseen": [notice for notice in notices if not notice.seen],
            "seen": [notice for notice in notices if notice.seen],
            "years": matching.SIGNAL_YEARS,
        },
    )


@actor_required(Permission.CASE_WORK)
@require_POST
def match_seen_view(request: HttpRequest, signal_id: int) -> HttpResponse:
    matching.signal_mark_seen(actor=current_actor(request), signal_id=signal_id)
    messages.success(request, "Het signaal staat nu bij ‘Gezien’.")
    return redirect(LIST)


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    if not access.is_coordinator or not matching.has_signals_for(
        actor=actor, client_pseudonym=access.file.client_pseudonym
    ):
        return []
    return [Section("coordination/matching/_file_section.html", {"url": reverse(LIST)})]


def worklist(actor: Actor) -> list[Section]:
    unseen = matching.unseen_count(actor=actor)
    if not unseen:
        return []
    return [
        Section("coordination/matching/_worklist.html", {"unseen": unseen, "url": reverse(LIST)})
    ]


def file_nav(access: FileAccess) -> list[NavItem]:
    return []


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    if not matching.has_signals_for(actor=actor, client_pseudonym=case.client_pseudonym):
        return []
    return [CaseAction("Samenloop: ook een andere organisatie is betrokken", reverse(LIST))]
