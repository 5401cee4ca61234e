"""Functioneel beheer (people of one's own organisation) and platformbeheer (organisations)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meldwijzer.accounts.forms import code_field
from meldwijzer.accounts.models import User
from meldwijzer.accounts.selectors import enrolment_state
from meldwijzer.accounts.services import (
    AccountError,
    second_factor_confirm,
    second_factor_is_fresh,
)
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.paging import page_number, query_without_page
from meldwijzer.organisations import events, selectors, services
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.forms import (
    ApiKeyRolesForm,
    MemberCreateForm,
    MemberRolesForm,
    OrganisationForm,
    PersonForm,
)
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission, Role


def _send_invite(request: HttpRequest, user: User) -> None:
    """E-mail a newcomer the link to set their password (the password-reset mail)."""
    invite = PasswordResetForm({"email": user.email})
    if invite.is_valid():
        invite.save(
            request=request,
            use_https=request.is_secure(),
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            extra_email_context={"invited": "ja"},
        )


@actor_required(Permission.MEMBERS_MANAGE)
def member_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    search = request.GET.get("zoek", "").strip()[:100]
    page = selectors.member_list_page(actor=actor, search=search, page=page_number(request))
    return render(
        request,
        "organisations/member_list.html",
        {
            "members": page.object_list,
            "page": page,
            "search": search,
            "filters_query": query_without_page(request),
        },
    )


def _enrolment_code_page(
    request: HttpRequest, member: User, code: str, back: str, back_label: str
) -> HttpResponse:
    """Show a new enrolment code, once: it is the answer to the POST that made it and is stored
    nowhere but as a hash (the page is never cached, see `NoStoreMiddleware`)."""
    return render(
        request,
        "organisations/enrolment_code.html",
        {
            "member": member,
            "code": code,
            "hours": int(settings.ENROLMENT_CODE_LIFETIME.total_seconds() // 3600),
            "back": back,
            "back_label": back_label,
        },
    )


def _member_page(member: User) -> str:
    return reverse("organisations:member_detail", kwargs={"user_id": member.pk})


@actor_required(Permission.MEMBERS_MANAGE)
def member_create_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = MemberCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, code = services.member_create(actor=actor, **form.cleaned_data)
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            _send_invite(request, user)
            messages.success(
                request,
                f"{user} is toegevoegd en krijgt een e-mail om een wachtwoord in te stellen.",
            )
            return _enrolment_code_page(request, user, code, _member_page(user), str(user))
    return render(request, "organisations/member_form.html", {"form": form})


@actor_required(Permission.MEMBERS_MANAGE)
def member_detail_view(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = current_actor(request)
    member = selectors.member_get(actor=actor, user_id=user_id)
    memberships = selectors.memberships_in_organisation(actor=actor, user=member)
    active_roles = [m.role for m in memberships if m.is_active]
    profession = next((m.profession for m in memberships if m.profession), "")
    form = MemberRolesForm(
        request.POST or None, initial={"roles": active_roles, "profession": profession}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_role_set(
                actor=actor,
                user=member,
                roles={Role(r) for r in form.cleaned_data["roles"]},
                profession=form.cleaned_data["profession"],
            )
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "De rollen en de beroepsgroep zijn bijgewerkt.")
        return redirect("organisations:member_detail", user_id=member.pk)
    return render(
        request,
        "organisations/member_detail.html",
        {
            "member": member,
            "memberships": memberships,
            "form": form,
            "enrolment": enrolment_state(user=member),
        },
    )


def _member_action(
    request: HttpRequest, user_id: int, service: Callable[..., None], done: str
) -> HttpResponse:
    actor = current_actor(request)
    member = selectors.member_get(actor=actor, user_id=user_id)
    try:
        service(actor=actor, user=member)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("organisations:member_detail", user_id=member.pk)


@require_POST
@actor_required(Permission.MEMBERS_MANAGE)
def member_deactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _member_action(
        request, user_id, services.member_deactivate, "Het account is uitgeschakeld."
    )


@require_POST
@actor_required(Permission.MEMBERS_MANAGE)
def member_reactivate_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _member_action(
        request, user_id, services.member_reactivate, "Het account is weer actief."
    )


def _member_code_action(
    request: HttpRequest, user_id: int, service: Callable[..., str], done: str
) -> HttpResponse:
    actor = current_actor(request)
    member = selectors.member_get(actor=actor, user_id=user_id)
    try:
        code = service(actor=actor, user=member)
    except AccountError as error:
        messages.error(request, str(error))
        return redirect("organisations:member_detail", user_id=member.pk)
    messages.success(request, done)
    return _enrolment_code_page(request, member, code, _member_page(member), str(member))


@require_POST
@actor_required(Permission.MEMBERS_MANAGE)
def member_mfa_reset_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _member_code_action(
        request,
        user_id,
        services.member_mfa_reset,
        "De authenticator is verwijderd, de sessies zijn beëindigd en de API-sleutels "
        "ingetrokken. Bij de volgende login stelt deze persoon een nieuwe authenticator in, met "
        "de activeringscode hieronder.",
    )


@require_POST
@actor_required(Permission.MEMBERS_MANAGE)
def member_enrolment_code_view(request: HttpRequest, user_id: int) -> HttpResponse:
    return _member_code_action(
        request,
        user_id,
        services.member_enrolment_code_issue,
        "Er is een nieuwe activeringscode gemaakt; een eerdere werkt niet meer.",
    )


@actor_required(Permission.API_KEYS_MANAGE)
def api_keys_view(request: HttpRequest) -> HttpResponse:
    """Which roles of the organisation may make and use personal API keys. Switching a role on
    needs the code from the authenticator when the last one was given more than
    `SECOND_FACTOR_FRESH_FOR` ago; switching off never does."""
    actor = current_actor(request)
    allowed = selectors.api_key_roles_allowed(organisation=actor.organisation)
    form = ApiKeyRolesForm(
        request.POST if request.method == "POST" else None, initial={"roles": sorted(allowed)}
    )
    fresh = second_factor_is_fresh(request=request)
    if not fresh:
        form.fields["token"] = code_field()
        form.fields["token"].required = False
        form.fields["token"].help_text = "Nodig om een rol aan te zetten. " + str(
            form.fields["token"].help_text
        )
    if request.method == "POST" and form.is_valid():
        switching_on = {Role(role) for role in form.cleaned_data["roles"]} - allowed
        if switching_on and not fresh:
            code = form.cleaned_data.get("token", "")
            if not code or not second_factor_confirm(request=request, actor=actor, code=code):
                form.add_error(
                    "token",
                    "Vul de code uit uw authenticator-app in om API-sleutels aan te zetten."
                    if not code
                    else "Deze code klopt niet of is verlopen. Wacht op de volgende code.",
                )
                return _api_keys_page(request, actor, form, status=403)
        try:
            services.organisation_api_key_roles_set(
                actor=actor, roles={Role(role) for role in form.cleaned_data["roles"]}
            )
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "De instelling voor API-sleutels is opgeslagen.")
        return redirect("organisations:api_keys")
    return _api_keys_page(request, actor, form)


def _api_keys_page(
    request: HttpRequest, actor: Actor, form: ApiKeyRolesForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "organisations/api_keys.html",
        {
            "form": form,
            "active_tokens": selectors.api_key_count(actor=actor),
            "fresh_minutes": int(settings.SECOND_FACTOR_FRESH_FOR.total_seconds() // 60),
        },
        status=status,
    )


@actor_required(Permission.ORGANISATIONS_MANAGE)
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    return render(
        request,
        "organisations/organisation_list.html",
        {
            "organisations": selectors.organisation_list(actor=actor).prefetch_related(
                "api_key_roles"
            )
        },
    )


def _organisation(actor: Actor, organisation_id: int) -> Organisation:
    """The organisation to manage; an unknown one is 'not found' and logged as refused."""
    organisation = selectors.organisation_get(actor=actor, organisation_id=organisation_id)
    if organisation is None:
        events.organisation_refused(actor=actor, organisation_id=organisation_id)
    return organisation


@actor_required(Permission.ORGANISATIONS_MANAGE)
def organisation_form_view(
    request: HttpRequest, organisation_id: int | None = None
) -> HttpResponse:
    actor = current_actor(request)
    instance = None if organisation_id is None else _organisation(actor, organisation_id)
    form = OrganisationForm(request.POST or None, instance=instance or Organisation())
    admins = selectors.organisation_admins(actor=actor, organisation=instance) if instance else []
    api_key_roles = (
        selectors.api_key_roles_allowed(organisation=instance) if instance else frozenset()
    )
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_save(
            actor=actor,
            organisation=form.save(commit=False),
            works_in=list(form.cleaned_data["works_in"]),
        )
        messages.success(request, f"{organisation} is opgeslagen.")
        return redirect("organisations:organisation_list")
    return render(
        request,
        "organisations/organisation_form.html",
        {
            "form": form,
            "admins": admins,
            "api_key_roles": [role for role in Role if role in api_key_roles],
        },
    )


@actor_required(Permission.ORGANISATIONS_MANAGE)
def organisation_admin_create_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    actor = current_actor(request)
    organisation = _organisation(actor, organisation_id)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, code = services.organisation_admin_create(
                actor=actor, organisation=organisation, **form.cleaned_data
            )
        except AccountError as error:
            form.add_error(None, str(error))
        else:
            _send_invite(request, user)
            messages.success(
                request,
                f"{user} is functioneel beheerder van {organisation} en krijgt een e-mail om "
                "een wachtwoord in te stellen.",
            )
            back = reverse(
                "organisations:organisation_edit", kwargs={"organisation_id": organisation.pk}
            )
            return _enrolment_code_page(request, user, code, back, str(organisation))
    return render(
        request,
        "organisations/organisation_admin_form.html",
        {"form": form, "organisation": organisation},
    )
