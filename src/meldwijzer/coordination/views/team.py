"""The team: invitations with what to expect of each professional, leaving, the family and network, the next contact, agreements, and the "wie doet wat" overview for the family."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meldwijzer.audit.models import Action
from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination import agreements, team, team_selectors
from meldwijzer.coordination.models import (
    Agreement,
    AgreementState,
    FileParts,
    MemberState,
    PartyKind,
    TeamMember,
)
from meldwijzer.coordination.overview import NavItem, Section, file_context
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import ConflictError, CoordinationError, FamilyMemberData
from meldwijzer.coordination.team_forms import (
    AgreementChangeForm,
    AgreementForm,
    FamilyMemberEditForm,
    FamilyMemberForm,
    InviteForm,
    NextContactForm,
)
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import selectors as privacy_selectors

TEMPLATES = "coordination/team/"


def _may_lead(access: FileAccess) -> bool:
    return access.may_lead


def _may_write(access: FileAccess) -> bool:
    return access.may_write


# --- The hooks the shared pages call --------------------------------------------------------------


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    """On the file's overview: the team in short, overdue agreements flagged, the next contact."""
    if not access.sees(FileParts.TEAM):
        return []
    today = timezone.localdate()
    members = team_selectors.team_list(access.file)
    overdue = [a for a in team_selectors.agreement_list(access) if a.is_overdue(today)]
    return [
        Section(
            TEMPLATES + "_section.html",
            {
                "file": access.file,
                "access": access,
                "active": [m for m in members if m.state == MemberState.ACTIVE],
                "invited": [m for m in members if m.state == MemberState.INVITED],
                "overdue": overdue,
                "today": today,
            },
        )
    ]


def worklist(actor: Actor) -> list[Section]:
    """Invitations waiting for the actor, and files with overdue agreements (theirs, or any, for
    the casusregisseur)."""
    if not actor.can(Permission.CASE_WORK):
        return []
    invitations = team_selectors.invitation_list(actor=actor)
    overdue = team_selectors.overdue_agreements(actor=actor)
    if not invitations and not overdue:
        return []
    return [Section(TEMPLATES + "_worklist.html", {"invitations": invitations, "overdue": overdue})]


def file_nav(access: FileAccess) -> list[NavItem]:
    if not access.sees(FileParts.TEAM):
        return []
    items = [
        NavItem("Team", "coordination:team", frozenset({"team", "team_invite"})),
        NavItem("Wie doet wat", "coordination:who_does_what"),
        NavItem(
            "Afspraken",
            "coordination:agreements",
            frozenset({"agreements", "agreement_add", "agreement_edit"}),
        ),
    ]
    if access.sees(FileParts.FAMILY):
        items.insert(
            1,
            NavItem(
                "Gezin en netwerk",
                "coordination:family",
                frozenset({"family", "family_add", "family_edit"}),
            ),
        )
    return items


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    return []


# --- Invitations ----------------------------------------------------------------------------------


@actor_required(Permission.CASE_WORK)
def invitation_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    invitations = team_selectors.invitation_list(actor=actor)
    return render(request, TEMPLATES + "invitations.html", {"invitations": invitations})


@require_POST
@actor_required(Permission.CASE_WORK)
def invitation_accept_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = current_actor(request)
    member = team_selectors.invitation_get(actor=actor, invitation_id=invitation_id)
    try:
        team.invitation_accept(actor=actor, member=member)
    except CoordinationError as error:
        messages.error(request, str(error))
        return redirect("coordination:invitations")
    messages.success(request, f"U doet mee in het team van {member.file.reference}.")
    return redirect("coordination:detail", file_id=member.file_id)


@require_POST
@actor_required(Permission.CASE_WORK)
def invitation_decline_view(request: HttpRequest, invitation_id: int) -> HttpResponse:
    actor = current_actor(request)
    member = team_selectors.invitation_get(actor=actor, invitation_id=invitation_id)
    try:
        team.invitation_decline(actor=actor, member=member)
    except CoordinationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"U hebt de uitnodiging voor {member.file.reference} afgeslagen. De casusregisseur "
            "ziet dat in het team.",
        )
    return redirect("coordination:invitations")


# --- The team -------------------------------------------------------------------------------------


@actor_required(Permission.CASE_WORK)
def team_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = team_selectors.file_for(actor=actor, file_id=file_id)
    members = team_selectors.team_list(access.file, current=False)
    return render(
        request,
        TEMPLATES + "team.html",
        file_context(
            access,
            active=[m for m in members if m.state == MemberState.ACTIVE],
            invited=[m for m in members if m.state == MemberState.INVITED],
            former=[m for m in members if m.state in (MemberState.LEFT, MemberState.DECLINED)],
        ),
    )


def _invite_organisation(access: FileAccess, form: InviteForm) -> Any:
    """The organisation the invited professional acts for: the leading one when they work
    there, else their own."""
    user = form.cleaned_data["email"]
    member_actor = actor_for_user(user=user, organisation_id=access.file.lead_organisation_id)
    return member_actor.organisation if member_actor is not None else None


@actor_required(Permission.CASE_WORK)
def team_invite_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    access = team_selectors.file_for(
        actor=actor,
        file_id=file_id,
        action=Action.CREATE if posted else Action.READ,
        need=_may_lead,
    )
    file = access.file
    grounds = list(
        privacy_selectors.sharing_grounds(
            organisation=file.lead_organisation,
            client_pseudonym=file.client_pseudonym,
            in_force=True,
        )
    )
    form = InviteForm(request.POST or None, grounds=grounds)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            values = form.cleaned_data
            organisation = _invite_organisation(access, form)
            new_ground = None
            if values["ground_kind"] and form.chosen_ground() is None:
                new_ground = team.NewGround(
                    kind=values["ground_kind"],
                    given_by=values["given_by"],
                    reasoning=values["reasoning"],
                    checks=tuple(values["checks"]),
                    valid_until=values["consent_until"],
                )
            try:
                if organisation is None:
                    raise CoordinationError("Deze persoon werkt niet (meer) als professional.")
                member = team.invitation_send(
                    actor=actor,
                    access=access,
                    user=values["email"],
                    organisation=organisation,
                    role_description=values["role_description"],
                    phone=values["phone"],
                    ground=form.chosen_ground(),
                    parts=values["parts"],
                    until=values["until"],
                    new_ground=new_ground,
                )
            except CoordinationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"{member.user.get_full_name() or member.user.username} is uitgenodigd. "
                    "Pas als de uitnodiging is aangenomen, ziet deze professional het dossier.",
                )
                return redirect("coordination:team", file_id=file.pk)
    return render(
        request,
        TEMPLATES + "invite.html",
        file_context(access, form=form, grounds=grounds),
        status=status,
    )


@require_POST
@actor_required(Permission.CASE_WORK)
def team_member_end_view(request: HttpRequest, file_id: int, team_member_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = team_selectors.file_for(
        actor=actor, file_id=file_id, action=Action.UPDATE, need=_may_write
    )
    member = team_selectors.team_member_to_end(
        actor=actor, access=access, team_member_id=team_member_id
    )
    own = member.user_id == actor.user.pk
    try:
        team.membership_end(actor=actor, access=access, member=member)
    except CoordinationError as error:
        messages.error(request, str(error))
        return redirect("coordination:team", file_id=file_id)
    if own:
        messages.success(request, "U doet niet meer mee in dit team; u ziet het dossier niet meer.")
        return redirect("coordination:list")
    messages.success(
        request,
        f"De deelname van {member.user.get_full_name() or member.user.username} is beëindigd.",
    )
    return redirect("coordination:team", file_id=file_id)


@require_POST
@actor_required(Permission.CASE_WORK)
def team_consent_withdraw_view(
    request: HttpRequest, file_id: int, team_member_id: int
) -> HttpResponse:
    actor = current_actor(request)
    access = team_selectors.file_for(
        actor=actor, file_id=file_id, action=Action.UPDATE, need=_may_lead
    )
    member = team_selectors.team_member_get(
        actor=actor, access=access, team_member_id=team_member_id
    )
    try:
        team.member_consent_withdraw(
            actor=actor, access=access, member=member, note=request.POST.get("note", "")[:300]
        )
    except CoordinationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "De intrekking van de toestemming is vastgelegd. Wie op die toestemming meedeed, "
            "ziet het dossier niet meer.",
        )
    return redirect("coordination:team", file_id=file_id)


# --- The family and network -----------------------------------------------------------------------


@actor_required(Permission.CASE_WORK)
def family_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = team_selectors.file_for(actor=actor, file_id=file_id, part=FileParts.FAMILY)
    return render(
        request,
        TEMPLATES + "family.html",
        file_context(
            access,
            family=team_selectors.family_list(access.file),
            may_keep=team_selectors.may_keep_family(access),
        ),
    )


def _family_data(form: FamilyMemberForm) -> FamilyMemberData:
    values = form.cleaned_data
    return FamilyMemberData(
        role=values["role"],
        name=values["name"],
        relation=values["relation"],
        date_of_birth=values["date_of_birth"],
        phone=values["phone"],
    )


@actor_required(Permission.CASE_WORK)
def family_add_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    access = team_selectors.file_for(
        actor=actor,
        file_id=file_id,
        part=FileParts.FAMILY,
        action=Action.CREATE if posted else Action.READ,
        need=team_selectors.may_keep_family,
    )
    form = FamilyMemberForm(request.POST or None)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                added = team.family_member_create(
                    actor=actor, access=access, member=_family_data(form)
                )
            except CoordinationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{added.name} is toegevoegd.")
                return redirect("coordination:family", file_id=file_id)
    return render(
        request,
        TEMPLATES + "family_form.html",
        file_context(access, form=form, family_member=None),
        status=status,
    )


@actor_required(Permission.CASE_WORK)
def family_edit_view(request: HttpRequest, file_id: int, family_member_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    action = Action.UPDATE if posted else Action.READ
    access = team_selectors.file_for(
        actor=actor,
        file_id=file_id,
        part=FileParts.FAMILY,
        action=action,
        need=team_selectors.may_keep_family,
    )
    person = team_selectors.family_member_get(
        actor=actor, access=access, family_member_id=family_member_id, action=action
    )
    initial = {
        "role": person.role,
        "name": person.name,
        "relation": person.relation,
        "date_of_birth": person.date_of_birth,
        "phone": person.phone,
        "version": team.family_member_version(person),
    }
    form = FamilyMemberEditForm(request.POST or None, initial=initial)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                team.family_member_update(
                    actor=actor,
                    access=access,
                    family_member=person,
                    member=_family_data(form),
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as error:
                form.add_error(None, str(error))
                status = 409
            except CoordinationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "De gegevens zijn gewijzigd.")
                return redirect("coordination:family", file_id=file_id)
    return render(
        request,
        TEMPLATES + "family_form.html",
        file_context(access, form=form, family_member=person),
        status=status,
    )


# --- The next contact -----------------------------------------------------------------------------


@actor_required(Permission.CASE_WORK)
def next_contact_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    access = team_selectors.file_for(
        actor=actor,
        file_id=file_id,
        action=Action.UPDATE if posted else Action.READ,
        need=_may_lead,
    )
    file = access.file
    form = NextContactForm(
        request.POST or None,
        initial={"next_contact": file.next_contact, "version": file.version},
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            try:
                team.next_contact_set(
                    actor=actor,
                    access=access,
                    next_contact=form.cleaned_data["next_contact"],
                    expected_version=form.cleaned_data["version"],
                )
            except ConflictError as error:
                form.add_error(None, str(error))
                status = 409
            except CoordinationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Het volgende contact met het gezin is vastgelegd.")
                return redirect("coordination:who_does_what", file_id=file_id)
    return render(
        request, TEMPLATES + "next_contact.html", file_context(access, form=form), status=status
    )


# --- Agreements -----------------------------------------------------------------------------------


@actor_required(Permission.CASE_WORK)
def agreement_list_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = team_selectors.file_for(actor=actor, file_id=file_id)
    today = timezone.localdate()
    rows = team_selectors.agreement_list(access)
    return render(
        request,
        TEMPLATES + "agreements.html",
        file_context(
            access,
            open_agreements=[a for a in rows if a.state == AgreementState.OPEN],
            closed_agreements=[a for a in rows if a.state != AgreementState.OPEN],
            overdue={a.pk for a in rows if a.is_overdue(today)},
        ),
    )


@actor_required(Permission.CASE_WORK)
def agreement_add_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    access = team_selectors.file_for(
        actor=actor,
        file_id=file_id,
        action=Action.CREATE if posted else Action.READ,
        need=_may_write,
    )
    members = team_selectors.team_list(access.file)
    form = AgreementForm(request.POST or None, team=members)
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            values = form.cleaned_data
            try:
                agreements.agreement_create(
                    actor=actor,
                    access=access,
                    what=values["what"],
                    party=values["party"],
                    due_date=values["due_date"],
                    owner=form.owner_user() if values["party"] == PartyKind.PROFESSIONAL else None,
                    owner_name=values["owner_name"],
                    in_safety_plan=values["in_safety_plan"],
                )
            except CoordinationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "De afspraak is vastgelegd.")
                return redirect("coordination:agreements", file_id=file_id)
    return render(
        request, TEMPLATES + "agreement_form.html", file_context(access, form=form), status=status
    )


@actor_required(Permission.CASE_WORK)
def agreement_edit_view(request: HttpRequest, file_id: int, agreement_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    action = Action.UPDATE if posted else Action.READ
    access = team_selectors.file_for(actor=actor, file_id=file_id, action=action, need=_may_write)
    agreement = team_selectors.agreement_get(
        actor=actor, access=access, agreement_id=agreement_id, action=action
    )
    form = AgreementChangeForm(
        request.POST or None,
        initial={
            "state": agreement.state,
            "due_date": agreement.due_date,
            "version": agreements.agreement_version(agreement),
        },
    )
    status = 200
    if posted:
        status = 400
        if form.is_valid():
            values = form.cleaned_data
            try:
                agreements.agreement_update(
                    actor=actor,
                    access=access,
                    agreement=agreement,
                    state=values["state"],
                    due_date=values["due_date"],
                    expected_version=values["version"],
                )
            except ConflictError as error:
                form.add_error(None, str(error))
                status = 409
            except CoordinationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "De afspraak is gewijzigd.")
                return redirect("coordination:agreements", file_id=file_id)
    return render(
        request,
        TEMPLATES + "agreement_edit.html",
        file_context(access, form=form, agreement=agreement),
        status=status,
    )


# --- Wie doet wat ---------------------------------------------------------------------------------


def _who_does_what(access: FileAccess) -> dict[str, Any]:
    """Every professional with their role and agreements, the family's and network's
    agreements, the next contact. Three queries, whatever the size of the team."""
    members = [m for m in team_selectors.team_list(access.file) if m.state == MemberState.ACTIVE]
    rows = team_selectors.agreement_list(access)
    current = [a for a in rows if a.state == AgreementState.OPEN]
    by_owner: dict[int, list[Agreement]] = defaultdict(list)
    family: list[Agreement] = []
    for agreement in current:
        if agreement.owner_id is not None:
            by_owner[agreement.owner_id].append(agreement)
        else:
            family.append(agreement)
    coordinator: TeamMember | None = next(
        (m for m in members if m.user_id == access.file.coordinator_id), None
    )
    professionals = [
        (member, by_owner.get(member.user_id, []))
        for member in members
        if member is not coordinator
    ]
    return {
        "coordinator": coordinator,
        "contact_phone": (coordinator.phone if coordinator else "")
        or access.file.coordinator.phone,
        "coordinator_agreements": by_owner.get(access.file.coordinator_id, []),
        "professionals": professionals,
        "family_agreements": family,
        "today": timezone.localdate(),
    }


@actor_required(Permission.CASE_WORK)
def who_does_what_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = team_selectors.file_for(actor=actor, file_id=file_id)
    return render(
        request,
        TEMPLATES + "who_does_what.html",
        file_context(access, **_who_does_what(access)),
    )


@actor_required(Permission.CASE_WORK)
def who_does_what_print_view(request: HttpRequest, file_id: int) -> HttpResponse:
    """The overview for the family, in plain Dutch, with one contact point: the casusregisseur.
    Printing is logged as such."""
    actor = current_actor(request)
    access = team_selectors.file_for(actor=actor, file_id=file_id, action=Action.PRINT)
    context = _who_does_what(access)
    context["back"] = reverse("coordination:who_does_what", kwargs={"file_id": file_id})
    return render(
        request,
        TEMPLATES + "who_does_what_print.html",
        {"file": access.file, "access": access, **context},
    )
