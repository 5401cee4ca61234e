"""Case conferences: the interventieoverleg with consent or pseudonymised items, and the
signaaloverleg (`coordination.conferences`). The pages list one's conferences, plan one, show it
to a participant (pseudonymised items without anything that identifies the family), put a file on
the agenda, confirm involvement, and record decisions that flow back into the file.

The hooks: `sections` shows a file's conference items with their decisions on the file's
overview; `worklist` the actor's coming conferences on 'Mijn regiedossiers'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from meldwijzer.audit.models import Action
from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination import conferences
from meldwijzer.coordination import selectors as file_selectors
from meldwijzer.coordination.conference_forms import (
    ConferenceForm,
    ConfirmForm,
    DecideForm,
    ItemForm,
)
from meldwijzer.coordination.conference_screening import ScreeningError
from meldwijzer.coordination.models import ConferenceKind, MemberState, PartyKind
from meldwijzer.coordination.overview import NavItem, Section
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.models import SharingGround

# --- Hooks ----------------------------------------------------------------------------------------


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    """On the file's overview: what conferences decided about this family, and the agreements
    they made (the agreements are in the file's agreements too)."""
    if not access.allowed:
        return []
    items = conferences.file_items(access=access)
    if not items:
        return []
    return [Section("coordination/conferences/_file_section.html", {"items": items})]


def worklist(actor: Actor) -> list[Section]:
    """On 'Mijn regiedossiers': the conferences the actor takes part in that are still to come,
    and the way to all conferences (and to planning one)."""
    if not actor.can(Permission.CASE_WORK):
        return []
    coming = conferences.conference_list(actor=actor, upcoming=True)
    return [
        Section(
            "coordination/conferences/_worklist.html",
            {"conferences": coming[:5], "may_plan": conferences.may_plan(actor)},
        )
    ]


def file_nav(access: FileAccess) -> list[NavItem]:
    return []


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    return []


# --- Pages ----------------------------------------------------------------------------------------


def _screening_errors(form: forms.Form, error: ScreeningError, names: dict[str, str]) -> None:
    """Put each refused text's message on its form field (`names` maps service to form names)."""
    for field, message in error.fields.items():
        form.add_error(names.get(field, field), message)


@actor_required(Permission.CASE_WORK)
def conference_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    rows = conferences.conference_list(actor=actor)
    return render(
        request,
        "coordination/conferences/list.html",
        {"conferences": rows, "may_plan": conferences.may_plan(actor)},
    )


@actor_required(Permission.CASE_WORK)
def conference_new_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    if not conferences.may_plan(actor):
        conferences.events.conference_plan_refused(actor=actor)
    form = ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conference = conferences.conference_create(
                actor=actor,
                kind=data["kind"],
                title=data["title"],
                starts_at=form.starts_at(),
                place=data["place"],
                participant_emails=form.emails(),
                chair_email=data["chair_email"],
                topics=data["topics"],
            )
        except ScreeningError as error:
            _screening_errors(form, error, {})
        except CoordinationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Het overleg is gepland.")
            return redirect("coordination:conference_detail", conference_id=conference.pk)
    return render(request, "coordination/conferences/new.html", {"form": form})


@actor_required(Permission.CASE_WORK)
def conference_detail_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = conferences.conference_get(actor=actor, conference_id=conference_id)
    conference = access.conference
    context: dict[str, Any] = {
        "conference": conference,
        "access": access,
        "participants": conferences.conference_participants(conference=conference),
        "may_add": access.has_agenda and actor.can(Permission.CASE_COORDINATE),
    }
    if conference.kind == ConferenceKind.SIGNALS:
        context["topics"] = conferences.signal_topics(conference)
        context["figures"] = conferences.signal_figures(
            conference=conference, organisation=conference.organisation
        )
    else:
        context["items"] = conferences.conference_items(actor=actor, access=access)
    return render(request, "coordination/conferences/detail.html", context)


@actor_required(Permission.CASE_WORK)
def conference_item_new_view(request: HttpRequest, conference_id: int) -> HttpResponse:
    actor = current_actor(request)
    action = Action.CREATE if request.method == "POST" else Action.READ
    access = conferences.conference_organiser_get(
        actor=actor, conference_id=conference_id, action=action
    )
    files = conferences.files_to_put_on(actor=actor)
    grounds: list[SharingGround] = [
        ground for file in files for ground in conferences.conference_grounds(file=file)
    ]
    form = ItemForm(request.POST or None, files=files, grounds=grounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conferences.conference_item_add(
                actor=actor,
                access=access,
                file_id=data["file"],
                question=data["question"],
                summary=data["summary"],
                presentation=data["presentation"],
                ground_id=data["ground"],
                consent_given_by=data["consent_given_by"],
                consent_until=data["consent_until"],
            )
        except ScreeningError as error:
            _screening_errors(form, error, {})
        except CoordinationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Het gezin staat op de agenda.")
            return redirect("coordination:conference_detail", conference_id=conference_id)
    return render(
        request,
        "coordination/conferences/item_new.html",
        {"conference": access.conference, "form": form, "files": files},
    )


@actor_required(Permission.CASE_WORK)
def conference_item_confirm_view(
    request: HttpRequest, conference_id: int, item_id: int
) -> HttpResponse:
    actor = current_actor(request)
    action = Action.CREATE if request.method == "POST" else Action.READ
    access = conferences.conference_get(
        actor=actor, conference_id=conference_id, action=action, part=conferences.PART_INVOLVEMENT
    )
    item = conferences.item_get(
        actor=actor, access=access, item_id=item_id, action=action, part="betrokkenheid"
    )
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conferences.involvement_confirm(
                actor=actor, access=access, item=item, statement=form.cleaned_data["statement"]
            )
        except CoordinationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Uw betrokkenheid is vastgelegd. U ziet nu wie het is.")
            url = reverse("coordination:conference_detail", kwargs={"conference_id": conference_id})
            return redirect(f"{url}#punt-{item.pk}")
    return render(
        request,
        "coordination/conferences/confirm.html",
        {"conference": access.conference, "item": item, "form": form},
    )


@actor_required(Permission.CASE_WORK)
def conference_item_decide_view(
    request: HttpRequest, conference_id: int, item_id: int
) -> HttpResponse:
    actor = current_actor(request)
    action = Action.UPDATE if request.method == "POST" else Action.READ
    access = conferences.conference_get(
        actor=actor, conference_id=conference_id, action=action, part=conferences.PART_DECISIONS
    )
    item = conferences.item_get(
        actor=actor,
        access=access,
        item_id=item_id,
        action=action,
        part=conferences.PART_DECISIONS,
        deciding=True,
    )
    # Agreements go into the file: offered (with the file's team to choose from) only to who may
    # write in it. A chair of another organisation does not see who is in the family's team.
    in_file = file_selectors.file_access_for(actor, item.file).may_write
    team = (
        [
            member.user
            for member in item.file.team.filter(state=MemberState.ACTIVE).select_related("user")
        ]
        if in_file
        else []
    )
    form = DecideForm(
        request.POST or None,
        team=team,
        with_agreement=in_file,
        initial={"decisions": item.decisions},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        agreements = []
        if data.get("agreement_what"):
            party = data["agreement_party"] or PartyKind.PROFESSIONAL
            agreements.append(
                conferences.AgreementData(
                    what=data["agreement_what"],
                    party=party,
                    due_date=data["agreement_due_date"],
                    owner=form.team.get(data["agreement_owner"] or 0),
                    owner_name=data["agreement_owner_name"],
                )
            )
        try:
            conferences.item_decide(
                actor=actor,
                access=access,
                item=item,
                decisions=data["decisions"],
                agreements=agreements,
            )
        except ScreeningError as error:
            _screening_errors(form, error, {"agreement_0": "agreement_what"})
        except CoordinationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "De besluiten zijn vastgelegd, ook in het regiedossier.")
            url = reverse("coordination:conference_detail", kwargs={"conference_id": conference_id})
            return redirect(f"{url}#punt-{item.pk}")
    return render(
        request,
        "coordination/conferences/decide.html",
        {"conference": access.conference, "item": item, "form": form, "in_file": in_file},
    )
