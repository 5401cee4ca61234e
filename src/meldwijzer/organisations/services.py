"""Changes to organisations and the people who work for them (functioneel en platformbeheer).

Each function is one transaction and writes its access log row inside it.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import User
from meldwijzer.accounts.services import (
    AccountError,
    api_tokens_revoke_for_user,
    enrolment_code_issue,
    enrolment_code_new,
    sessions_end_for_user,
)
from meldwijzer.organisations import events
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import (
    ApiKeyRole,
    Membership,
    Municipality,
    Organisation,
    Profession,
)
from meldwijzer.organisations.roles import API_KEY_ROLES, Permission, Role


def _require(actor: Actor, permission: Permission) -> None:
    if not actor.can(permission):
        raise AccountError("Dit mag u niet met uw huidige rol.")


def _person_create(*, username: str, first_name: str, last_name: str, email: str) -> User:
    if User.objects.filter(username__iexact=username).exists():
        raise AccountError("Deze gebruikersnaam is al in gebruik.")
    # A random password nobody knows: the newcomer sets their own through the e-mailed link.
    return User.objects.create_user(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password=secrets.token_urlsafe(32),
    )


def _profession(code: str) -> str:
    if code and code not in Profession.values:
        raise AccountError("Onbekende beroepsgroep.")
    return code


@transaction.atomic
def member_create(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: Role,
    profession: str = "",
) -> tuple[User, str]:
    """Add a person to the actor's organisation. They set a password through the e-mailed link
    and an authenticator at their first login, with the one-time enrolment code returned here
    (to be shown to the beheerder once)."""
    _require(actor, Permission.MEMBERS_MANAGE)
    if role == Role.PLATFORM_ADMIN:
        raise AccountError("Platformbeheerders worden door de platformbeheerder aangemaakt.")
    user = _person_create(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    Membership.objects.create(
        user=user, organisation=actor.organisation, role=role, profession=_profession(profession)
    )
    events.member_added(actor=actor, user=user)
    return user, enrolment_code_new(user=user, created_by=actor.user)


@transaction.atomic
def organisation_admin_create(
    *,
    actor: Actor,
    organisation: Organisation,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
) -> tuple[User, str]:
    """Give an organisation a functioneel beheerder (platformbeheer), typically its first one:
    from then on the organisation manages its own people. Returns the new account and its
    one-time enrolment code."""
    _require(actor, Permission.ORGANISATIONS_MANAGE)
    if not organisation.is_active:
        raise AccountError("Deze organisatie is niet actief.")
    user = _person_create(
        username=username, first_name=first_name, last_name=last_name, email=email
    )
    Membership.objects.create(user=user, organisation=organisation, role=Role.FUNCTIONAL_ADMIN)
    events.organisation_admin_added(actor=actor, user=user, organisation=organisation)
    return user, enrolment_code_new(user=user, created_by=actor.user)


@transaction.atomic
def member_role_set(
    *, actor: Actor, user: User, roles: set[Role], profession: str | None = None
) -> None:
    """Give `user` exactly `roles` in the actor's organisation; an empty set ends membership,
    and with it their API keys for this organisation. `profession`, when given, is their
    beroepsgroep in this organisation (all their roles)."""
    _require(actor, Permission.MEMBERS_MANAGE)
    if Role.PLATFORM_ADMIN in roles:
        raise AccountError("De rol platformbeheerder kan hier niet worden toegekend.")
    if user == actor.user and Role.FUNCTIONAL_ADMIN not in roles:
        raise AccountError("U kunt uw eigen beheerrol niet intrekken.")
    current = Membership.objects.filter(user=user, organisation=actor.organisation)
    for membership in current:
        keep = membership.role in roles
        if membership.role != Role.PLATFORM_ADMIN and (
            membership.is_active != keep or membership.suspended
        ):
            membership.is_active = keep
            membership.suspended = False
            membership.save(update_fields=["is_active", "suspended"])
    if profession is None:
        profession = next((m.profession for m in current if m.profession), "")
    else:
        current.update(profession=_profession(profession))
    existing = {m.role for m in current}
    for role in roles - existing:
        Membership.objects.create(
            user=user,
            organisation=actor.organisation,
            role=role,
            profession=_profession(profession),
        )
    if not current.filter(is_active=True).exists():
        # Given a role again later, a key of the old membership must not come back to life.
        api_tokens_revoke_for_user(user=user, organisation_id=actor.organisation.pk)
    sessions_end_for_user(user=user)
    events.member_roles_changed(actor=actor, user=user)


@transaction.atomic
def member_deactivate(*, actor: Actor, user: User) -> None:
    """End the person's roles in the actor's organisation, all their sessions, and their API keys
    for this organisation. Without roles elsewhere, the account itself is switched off and every
    API key it has is revoked, so reactivating it brings none back. Keys for an organisation the
    person still works for are that organisation's business."""
    _require(actor, Permission.MEMBERS_MANAGE)
    if user == actor.user:
        raise AccountError("U kunt uw eigen account niet uitschakelen.")
    # As in member_role_set: the platform role is not managed here. The roles switched off now
    # are marked, so that reactivation gives back exactly these and no role removed earlier.
    Membership.objects.filter(user=user, organisation=actor.organisation, is_active=True).exclude(
        role=Role.PLATFORM_ADMIN
    ).update(is_active=False, suspended=True)
    if Membership.objects.filter(user=user, is_active=True).exists():
        api_tokens_revoke_for_user(user=user, organisation_id=actor.organisation.pk)
    else:
        user.is_active = False
        user.save(update_fields=["is_active"])
        api_tokens_revoke_for_user(user=user)
    sessions_end_for_user(user=user)
    events.member_deactivated(actor=actor, user=user)


@transaction.atomic
def member_reactivate(*, actor: Actor, user: User) -> None:
    _require(actor, Permission.MEMBERS_MANAGE)
    # Only the roles the deactivation switched off come back. A platform role that was switched
    # off stays off: it is never handed out here.
    Membership.objects.filter(user=user, organisation=actor.organisation, suspended=True).exclude(
        role=Role.PLATFORM_ADMIN
    ).update(is_active=True, suspended=False)
    user.is_active = True
    user.save(update_fields=["is_active"])
    events.member_reactivated(actor=actor, user=user)


def _refuse_platform_admin(user: User) -> None:
    if Membership.objects.filter(user=user, role=Role.PLATFORM_ADMIN, is_active=True).exists():
        raise AccountError(
            "De authenticator van een platformbeheerder kan hier niet worden gereset."
        )


@transaction.atomic
def member_mfa_reset(*, actor: Actor, user: User) -> str:
    """Remove the person's authenticator, end their sessions and revoke their API keys. They set
    up a new authenticator at their next login, with the one-time enrolment code returned here;
    the password alone is not enough."""
    _require(actor, Permission.MEMBERS_MANAGE)
    _refuse_platform_admin(user)
    TOTPDevice.objects.filter(user=user).delete()
    api_tokens_revoke_for_user(user=user)
    sessions_end_for_user(user=user)
    events.member_second_factor_reset(actor=actor, user=user)
    return enrolment_code_new(user=user, created_by=actor.user)


@transaction.atomic
def member_enrolment_code_issue(*, actor: Actor, user: User) -> str:
    """A new enrolment code for someone of the actor's organisation who has no authenticator
    yet (the earlier code expired or got lost); the earlier one stops working."""
    _require(actor, Permission.MEMBERS_MANAGE)
    _refuse_platform_admin(user)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise AccountError(
            "Deze persoon heeft al een authenticator. Is die kwijt? Reset hem dan; daarbij "
            "krijgt u een nieuwe activeringscode."
        )
    return enrolment_code_issue(
        user=user, actor=actor, role=actor.role_for(Permission.MEMBERS_MANAGE)
    )


@transaction.atomic
def organisation_api_key_roles_set(*, actor: Actor, roles: set[Role]) -> None:
    """Choose exactly which roles of the actor's organisation may make and use personal API keys.

    A role switched off stops its existing keys at their next request; they are not revoked, so
    switching the role on again lets them work until they expire. One access-log row per role
    switched on or off.
    """
    _require(actor, Permission.API_KEYS_MANAGE)
    if not roles <= API_KEY_ROLES:
        raise AccountError("Platformbeheerders kunnen geen API-sleutels krijgen.")
    # One change at a time per organisation, so two beheerders never miss each other's change.
    Organisation.objects.select_for_update().filter(pk=actor.organisation.pk).first()
    wanted = {Role(role).value for role in roles}
    current = set(
        ApiKeyRole.objects.filter(organisation=actor.organisation).values_list("role", flat=True)
    )
    switched_on = sorted(wanted - current)
    switched_off = sorted(current - wanted)
    for role in switched_on:
        ApiKeyRole.objects.create(organisation=actor.organisation, role=role)
    ApiKeyRole.objects.filter(organisation=actor.organisation, role__in=switched_off).delete()
    for role, on in [(r, True) for r in switched_on] + [(r, False) for r in switched_off]:
        events.api_key_role_switched(actor=actor, role=role, on=on)


# --- Organisations (platformbeheer) --------------------------------------------------------------


@transaction.atomic
def organisation_save(
    *, actor: Actor, organisation: Organisation, works_in: list[Municipality]
) -> Organisation:
    _require(actor, Permission.ORGANISATIONS_MANAGE)
    adding = organisation._state.adding
    organisation.full_clean()
    organisation.save()
    organisation.works_in.set(works_in)
    events.organisation_saved(actor=actor, organisation=organisation, created=adding)
    return organisation
