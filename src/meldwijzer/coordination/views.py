"""The coordination file's own pages: 'Mijn regiedossiers' and the file's overview. The areas
(inbox, team, agreements, safety plan, contacts, matching, conferences) have their own view
modules; every page of a file extends `coordination/file_base.html`, which shows the
casusregisseur with contact details at the top."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination import overview, selectors
from meldwijzer.coordination.models import FileState, MemberState
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission


def file_context(access: FileAccess, **extra: Any) -> dict[str, Any]:
    """What `file_base.html` needs on every page of a file: the file, the actor's access, and the
    casusregisseur with their team entry (phone, role) — in two queries."""
    file = access.file
    coordinator_member = (
        file.team.filter(user_id=file.coordinator_id, state=MemberState.ACTIVE)
        .select_related("organisation")
        .first()
    )
    return {"file": file, "access": access, "coordinator_member": coordinator_member, **extra}


@actor_required(Permission.CASE_WORK)
def file_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    closed = request.GET.get("stand") == FileState.CLOSED
    files = selectors.file_list(actor=actor, state=FileState.CLOSED if closed else FileState.OPEN)
    return render(
        request,
        "coordination/file_list.html",
        {"files": files, "closed": closed, **overview.worklist_context(actor)},
    )


@actor_required(Permission.CASE_WORK)
def file_detail_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.file_get(actor=actor, file_id=file_id)
    return render(
        request,
        "coordination/file_detail.html",
        file_context(access, sections=overview.sections(actor, access)),
    )


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """What coordination offers on a meldcode case page (registered in `apps.py`)."""
    return overview.case_actions(actor, case)
