"""Reads of organisations and memberships, with the access rules applied.

Views and API endpoints read organisations and people only through these functions.
"""

from __future__ import annotations

from django.core.paginator import Page
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from meldwijzer.accounts.models import ApiToken, User
from meldwijzer.core.paging import page_of
from meldwijzer.organisations import events
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import (
    SECTOR_PROFESSION,
    ApiKeyRole,
    Membership,
    Organisation,
    Sector,
)
from meldwijzer.organisations.roles import API_KEY_ROLES, Permission, Role


def actor_for_user(*, user: User, organisation_id: int | None = None) -> Actor | None:
    """The actor for `user` on behalf of `organisation_id`, or else their home organisation:
    the one where their oldest active role is. One query, read once per request."""
    keys_allowed = ApiKeyRole.objects.filter(
        organisation=OuterRef("organisation"), role=OuterRef("role")
    )
    memberships = list(
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .annotate(api_keys_allowed=Exists(keys_allowed))
        .order_by("created_at", "pk")
    )
    if not memberships:
        return None
    if organisation_id not in {m.organisation_id for m in memberships}:
        organisation_id = memberships[0].organisation_id
    chosen = [m for m in memberships if m.organisation_id == organisation_id]
    return Actor(
        user=user,
        organisation=chosen[0].organisation,
        roles=frozenset(m.role for m in chosen),
        api_key_roles=frozenset(
            m.role for m in chosen if m.api_keys_allowed and m.role in API_KEY_ROLES
        ),
    )


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    """The organisations a person may act on behalf of."""
    return Organisation.objects.filter(
        is_active=True, memberships__user=user, memberships__is_active=True
    ).distinct()


def organisation_list(*, actor: Actor) -> QuerySet[Organisation]:
    """The organisations in the region: names and sectors are not client data."""
    queryset = Organisation.objects.select_related("municipality").order_by("name")
    if not actor.can(Permission.ORGANISATIONS_MANAGE):
        queryset = queryset.filter(is_active=True)
    return queryset


def organisation_get(*, actor: Actor, organisation_id: int) -> Organisation | None:
    return organisation_list(actor=actor).filter(pk=organisation_id).first()


def organisation_admins(*, actor: Actor, organisation: Organisation) -> QuerySet[User]:
    """The active functioneel beheerders of an organisation (platformbeheer)."""
    if not actor.can(Permission.ORGANISATIONS_MANAGE):
        events.organisation_refused(actor=actor)
    return User.objects.filter(
        is_active=True,
        memberships__organisation=organisation,
        memberships__role=Role.FUNCTIONAL_ADMIN,
        memberships__is_active=True,
    ).order_by("last_name", "first_name")


def organisation_counts_by_sector(*, actor: Actor) -> list[dict[str, object]]:
    """Aggregates for policy advisers: active organisations and people per sector."""
    if not actor.can(Permission.AGGREGATES_VIEW):
        events.aggregates_refused(actor=actor)
    rows = (
        Organisation.objects.filter(is_active=True)
        .values("sector")
        .annotate(
            organisations=Count("id", distinct=True),
            people=Count("memberships__user", filter=Q(memberships__is_active=True), distinct=True),
        )
        .order_by("sector")
    )
    return [{**row, "sector_label": Sector(row["sector"]).label} for row in rows]


def member_list(*, actor: Actor, search: str = "") -> QuerySet[User]:
    """The people of the actor's organisation, for its functioneel beheerder, by name; with
    `search`, those whose name or username contains it (in the database)."""
    if not actor.can(Permission.MEMBERS_MANAGE):
        events.member_list_refused(actor=actor)
    members = User.objects.filter(
        Exists(Membership.objects.filter(user=OuterRef("pk"), organisation=actor.organisation))
    )
    for word in search.replace("\x00", " ").split():
        members = members.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
        )
    return members.order_by("last_name", "first_name", "username", "pk")


MEMBER_PAGE_SIZE = 50


def member_list_page(
    *, actor: Actor, search: str = "", page: str | int | None = None
) -> Page[User]:
    """One page (50 people) of `member_list`, with their memberships, counted in the database."""
    members = member_list(actor=actor, search=search).prefetch_related("memberships")
    return page_of(members, page, MEMBER_PAGE_SIZE)


def member_get(*, actor: Actor, user_id: int) -> User:
    """One person of the actor's organisation; anyone else is 'not found' (and logged as denied)."""
    user = None
    if actor.can(Permission.MEMBERS_MANAGE):
        user = member_list(actor=actor).filter(pk=user_id).first()
    if user is None:
        events.member_refused(actor=actor, user_id=user_id)
    return user


def memberships_in_organisation(*, actor: Actor, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, organisation=actor.organisation).order_by("role")


def actor_profession(*, actor: Actor) -> str:
    """The actor's beroepsgroep in the organisation they act for: their own if recorded, else
    the one most people in the organisation's sector belong to, else '' (they choose)."""
    own = (
        Membership.objects.filter(user=actor.user, organisation=actor.organisation, is_active=True)
        .exclude(profession="")
        .values_list("profession", flat=True)
        .first()
    )
    return own or SECTOR_PROFESSION.get(actor.organisation.sector, "")


def api_key_roles_allowed(*, organisation: Organisation) -> frozenset[Role]:
    """The roles whose holders may make and use personal API keys for `organisation`: only the
    ones its functioneel beheerder switched on, and never the platform role."""
    switched_on = ApiKeyRole.objects.filter(organisation=organisation).values_list(
        "role", flat=True
    )
    return frozenset(Role(role) for role in switched_on) & API_KEY_ROLES


def actor_api_key_roles(*, actor: Actor) -> frozenset[str]:
    """The actor's roles in which they may hold and use API keys for their organisation; empty
    when the organisation allows none of them."""
    if not actor.organisation.is_active:
        return frozenset()
    return actor.roles & api_key_roles_allowed(organisation=actor.organisation)


def api_key_count(*, actor: Actor) -> int:
    """How many unrevoked, unexpired API keys people hold for the actor's organisation, so its
    functioneel beheerder sees what switching a role off affects. Counts only, no names."""
    if not actor.can(Permission.API_KEYS_MANAGE):
        events.api_key_count_refused(actor=actor)
    return ApiToken.objects.filter(
        organisation=actor.organisation, revoked_at=None, expires_at__gt=timezone.now()
    ).count()
