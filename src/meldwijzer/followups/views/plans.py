"""One follow-up plan: its page, recording a contact, changing the plan, moving a contact,
deciding its end, and marking a signal seen.

Every page reaches the plan through `selectors.plan_get` (404 and a logged refusal for a plan out
of reach, or for a change the actor may not make) and changes it through one service; a service's
Dutch messages come back on the form's fields, and a change made by someone else in the meantime
(`ConflictError`) changes nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meldwijzer.cases import rules as case_rules
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.paging import page_number, query_without_page
from meldwijzer.followups import events, schedules, selectors, services
from meldwijzer.followups.forms import (
    ContactForm,
    PlanChangeForm,
    PlanEndForm,
    PlannedMoveForm,
    errors_apply,
    version_of,
)
from meldwijzer.followups.models import (
    DecisionKind,
    FollowupContact,
    FollowupPlan,
    PlannedContact,
    PlanState,
    Safety,
)
from meldwijzer.followups.rules import PlanAccess
from meldwijzer.followups.services import FollowupError, FollowupInputError
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Membership
from meldwijzer.organisations.roles import CLIENT_DATA_ROLES, Permission


def _plan_url(plan: FollowupPlan, anchor: str = "") -> str:
    url = reverse("followups:plan", kwargs={"plan_id": plan.pk})
    return f"{url}#{anchor}" if anchor else url


def _schedule_title(plan: FollowupPlan) -> str:
    available = schedules.schedules().schedules
    return available[plan.schedule].title if plan.schedule in available else plan.schedule


@actor_required(Permission.CASE_WORK)
def plan_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    state = request.GET.get("stand", PlanState.ACTIVE)
    if state not in PlanState.values:
        state = PlanState.ACTIVE
    page = selectors.my_plans_page(actor=actor, state=state, page=page_number(request))
    plans = list(page.object_list)
    names = selectors.family_names_for(plans)
    today = timezone.localdate()
    rows = []
    for plan in plans:
        upcoming = plan.open_planned[0] if plan.open_planned else None
        late = schedules.overdue_days(upcoming.due_on, today=today) if upcoming else 0
        rows.append({"plan": plan, "next": upcoming, "overdue_days": late, "names": names[plan.pk]})
    return render(
        request,
        "followups/plan_list.html",
        {
            "rows": rows,
            "state": state,
            "states": PlanState.choices,
            "page": page,
            "filters_query": query_without_page(request),
        },
    )


@actor_required(Permission.CASE_WORK)
def plan_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.plan_get(actor=actor, plan_id=plan_id)
    plan = access.plan
    details = selectors.plan_details(access)
    return render(
        request,
        "followups/plan.html",
        {
            "access": access,
            "plan": plan,
            "details": details,
            "names": selectors.family_names(plan),
            "schedule_title": _schedule_title(plan),
            "case_link": plan.case is not None and case_rules.can_read(actor, plan.case),
            "case_links": _readable_cases(actor, details.contacts),
            "today": timezone.localdate(),
        },
    )


def _readable_cases(actor: Actor, contacts: list[FollowupContact]) -> set[int]:
    """The re-opened or new dossiers the actor may open (a link), of the contacts shown."""
    return {
        contact.reopened_case.pk
        for contact in contacts
        if contact.reopened_case is not None and case_rules.can_read(actor, contact.reopened_case)
    }


def _version_conflict(form: Any, error: FollowupError) -> None:
    form.add_error(None, str(error))


@actor_required(Permission.CASE_WORK)
def contact_record_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.plan_get(
        actor=actor, plan_id=plan_id, part="contact", need=lambda a: a.may_record
    )
    plan = access.plan
    planned = selectors.open_planned(plan)
    form = ContactForm(request.POST or None, planned=planned)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contact = services.contact_record(
                    actor=actor,
                    access=access,
                    data=form.data_for_service(),
                    expected_version=version_of(form),
                )
            except FollowupInputError as error:
                errors_apply(form, error)
            except FollowupError as error:
                _version_conflict(form, error)
            else:
                messages.success(request, _contact_message(actor, contact))
                return redirect(_plan_url(plan, f"contact-{contact.pk}"))
        status = 400
    return render(
        request,
        "followups/contact_form.html",
        {
            "plan": plan,
            "form": form,
            "names": selectors.family_names(plan),
            "version": plan.version,
        },
        status=status,
    )


def _contact_message(actor: Actor, contact: FollowupContact) -> str:
    """What the professional is told after recording a contact: what it set in motion."""
    if contact.safety == Safety.SAFE:
        return "Het contact is vastgelegd. Het schema loopt gewoon door."
    if contact.safety == Safety.WORRIES:
        following = selectors.open_planned(contact.plan)
        when = f" naar {following[0].due_on:%d-%m-%Y}" if following else ""
        return (
            f"Het contact is vastgelegd. Vanwege de zorgen is het volgende contact vervroegd{when}."
        )
    contact = FollowupContact.objects.select_related(
        "reopened_case", "reopened_file", "alert__to_user", "plan__case"
    ).get(pk=contact.pk)
    parts = ["U gaf aan dat het niet veilig is. De meldcode gaat opnieuw open."]
    case = contact.reopened_case
    if case is not None and case.pk == contact.plan.case_id:
        parts.append(f"Meldcodedossier {case.reference} is heropend.")
    elif case is not None:
        parts.append(
            f"Er is een nieuw meldcodedossier {case.reference} geopend, als vervolg op "
            f"{contact.plan.case.reference if contact.plan.case else 'het oude dossier'}."
        )
    if contact.reopened_file is not None:
        parts.append(f"Regiedossier {contact.reopened_file.reference} is weer open.")
    alert = getattr(contact, "alert", None)
    if alert is not None:
        who = alert.to_user.get_full_name() or alert.to_user.username
        role = (
            "de casusregisseur"
            if alert.to_user_id == contact.plan.coordinator_id
            else ("die het dossier afsloot")
        )
        parts.append(f"{who} ({role}) heeft direct bericht gekregen.")
    parts.append("Het vervolgplan is beëindigd als 'heropend'.")
    return " ".join(parts)


def _followers(actor: Actor, plan: FollowupPlan) -> list[tuple[str, str]] | None:
    """Whom the closing organisation can name to follow: its own case workers (and whoever
    follows now). Someone of another organisation is named when closing, on a recorded ground;
    a follower of another organisation changes the rest of the plan, not who follows."""
    if actor.organisation.pk != plan.owner_organisation_id:
        return None
    members = (
        Membership.objects.filter(
            organisation=actor.organisation,
            is_active=True,
            user__is_active=True,
            role__in=CLIENT_DATA_ROLES,
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user_id")
    )
    choices: dict[str, str] = {
        f"{plan.follower_id}:{plan.follower_organisation_id}": (
            f"{plan.follower.get_full_name() or plan.follower.username} "
            f"({plan.follower_organisation})"
        )
    }
    for membership in members:
        key = f"{membership.user_id}:{membership.organisation_id}"
        choices.setdefault(key, membership.user.get_full_name() or membership.user.username)
    return list(choices.items())


@actor_required(Permission.CASE_WORK)
def plan_change_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.plan_get(actor=actor, plan_id=plan_id, need=lambda a: a.may_manage)
    plan = access.plan
    form = PlanChangeForm(
        request.POST or None,
        followers=_followers(actor, plan),
        initial={
            "follower": f"{plan.follower_id}:{plan.follower_organisation_id}",
            "schedule": plan.schedule,
            "how": plan.how,
        },
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services.plan_change(
                    actor=actor,
                    access=access,
                    expected_version=version_of(form),
                    change=form.change_for_service(),
                )
            except FollowupInputError as error:
                errors_apply(form, error)
            except FollowupError as error:
                _version_conflict(form, error)
            else:
                messages.success(request, "Het vervolgplan is aangepast.")
                return redirect(_plan_url(plan))
        return _render(request, "followups/plan_change.html", plan, form, status=400)
    return _render(request, "followups/plan_change.html", plan, form)


def _render(
    request: HttpRequest,
    template: str,
    plan: FollowupPlan,
    form: Any,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {"plan": plan, "form": form, "version": plan.version, **extra}
    return render(request, template, context, status=status)


@actor_required(Permission.CASE_WORK)
def planned_move_view(request: HttpRequest, plan_id: int, planned_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.plan_get(actor=actor, plan_id=plan_id, need=lambda a: a.may_manage)
    plan = access.plan
    planned = PlannedContact.objects.filter(
        pk=planned_id, plan=plan, cancelled_at__isnull=True, contact__isnull=True
    ).first()
    if planned is None:
        events.plan_refused(actor=actor, plan_id=plan.pk, plan=plan, part="contact")
    form = PlannedMoveForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.planned_move(
                    actor=actor,
                    access=access,
                    planned_id=planned.pk,
                    due_on=form.cleaned_data.get("due_on"),
                    reason=form.cleaned_data.get("reason") or "",
                    expected_version=version_of(form),
                )
            except FollowupInputError as error:
                errors_apply(form, error)
            except FollowupError as error:
                _version_conflict(form, error)
            else:
                messages.success(request, "Het contact is verplaatst.")
                return redirect(_plan_url(plan, "planning"))
        return _render(
            request, "followups/planned_move.html", plan, form, status=400, planned=planned
        )
    return _render(request, "followups/planned_move.html", plan, form, planned=planned)


END_MESSAGES = {
    DecisionKind.COMPLETED: "Het vervolgplan is afgerond.",
    DecisionKind.EXTENDED: "Het vervolgplan is verlengd; de nieuwe contacten staan in de planning.",
    DecisionKind.REOPENED: "Het vervolgplan is beëindigd en de meldcode gaat opnieuw open.",
}


@actor_required(Permission.CASE_WORK)
def plan_end_view(request: HttpRequest, plan_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.plan_get(actor=actor, plan_id=plan_id, need=lambda a: a.may_manage)
    plan = access.plan
    form = PlanEndForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                decision = services.plan_end(
                    actor=actor,
                    access=access,
                    expected_version=version_of(form),
                    kind=form.cleaned_data.get("kind") or "",
                    note=form.cleaned_data.get("note") or "",
                    extend_until=form.cleaned_data.get("extend_until"),
                )
            except FollowupInputError as error:
                errors_apply(form, error)
            except FollowupError as error:
                _version_conflict(form, error)
            else:
                message = END_MESSAGES.get(DecisionKind(decision.kind), "Vastgelegd.")
                if decision.changes.get("heropende_casus"):
                    message += f" Meldcodedossier {decision.changes['heropende_casus']}."
                messages.success(request, message)
                return redirect(_plan_url(plan))
        return _render(request, "followups/plan_end.html", plan, form, status=400)
    return _render(request, "followups/plan_end.html", plan, form)


@require_POST
@actor_required(Permission.CASE_WORK)
def signal_seen_view(request: HttpRequest, plan_id: int, signal_id: int) -> HttpResponse:
    actor = current_actor(request)
    access: PlanAccess = selectors.plan_get(actor=actor, plan_id=plan_id, part="signaal")
    try:
        services.signal_seen(actor=actor, access=access, signal_id=signal_id)
    except FollowupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Het signaal is als gezien gemarkeerd.")
    return redirect(_plan_url(access.plan, "signalen"))
