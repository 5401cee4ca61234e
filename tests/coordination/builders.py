"""Coordination files in a known state, built through the services: a leading organisation with
its casusregisseur, a colleague in the team, a team member of another organisation on a consent
grant, and a stranger of a third organisation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.coordination import services
from meldwijzer.coordination.models import CoordinationFile, FileParts, TeamMember
from meldwijzer.coordination.services import FamilyMemberData
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind
from tests.factories import MembershipFactory, OrganisationFactory


def actor_of(user: User) -> Actor:
    actor = actor_for_user(user=user)
    assert actor is not None
    return actor


def coordinator(organisation: Organisation | None = None) -> User:
    """A casusregisseur (a new wijkteam by default)."""
    if organisation is None:
        organisation = OrganisationFactory(sector=Sector.SOCIAL_SUPPORT)
    return MembershipFactory(role=Role.CASE_COORDINATOR, organisation=organisation).user


def professional(organisation: Organisation | None = None, **org_fields: object) -> User:
    if organisation is None:
        organisation = OrganisationFactory(**org_fields)
    return MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation).user


def file_open(
    by: User,
    title: str = "Gezin met twee kinderen",
    family: Iterable[FamilyMemberData] = (
        FamilyMemberData("kind", "Kind Testgezin", "zoon", datetime.date(2016, 5, 1)),
        FamilyMemberData("ouder", "Ouder Testgezin", "moeder", phone="06 0000 0000"),
    ),
) -> CoordinationFile:
    return services.file_open(actor=actor_of(by), title=title, family=list(family))


def consent(by: User, file: CoordinationFile, with_whom: str = "het team") -> object:
    return privacy_services.sharing_ground_record(
        actor=actor_of(by),
        client_pseudonym=file.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="gegevens in het regiedossier",
        with_whom=with_whom,
        purpose="samenwerken aan veiligheid",
        given_by="moeder",
        valid_until=timezone.localdate() + datetime.timedelta(days=180),
    )


def add_member(
    file: CoordinationFile,
    user: User,
    parts: Iterable[str] = (),
    role_description: str = "Ik zie het kind elke dag.",
) -> TeamMember:
    """Add `user` to the team, as the file's casusregisseur; someone of another organisation on a
    consent grant for `parts` (the team is always included)."""
    lead = actor_of(file.coordinator)
    member = actor_of(user)
    other = member.organisation.pk != file.lead_organisation_id
    return services.team_member_add(
        actor=lead,
        file=file,
        user=user,
        organisation=member.organisation,
        role_description=role_description,
        ground=consent(file.coordinator, file) if other else None,  # type: ignore[arg-type]
        parts=parts,
        until=timezone.localdate() + datetime.timedelta(days=90) if other else None,
    )


@dataclass
class Team:
    """One file and the people around it, for access tests: `own` scope is the leading
    organisation, `team` a member of another organisation, `foreign` a third organisation."""

    file: CoordinationFile
    coordinator: User
    colleague_in_team: User
    colleague_outside: User
    partner: User
    partner_parts: tuple[str, ...]
    stranger: User


def team(partner_parts: tuple[str, ...] = (FileParts.SAFETY_PLAN,)) -> Team:
    lead = coordinator()
    organisation = actor_of(lead).organisation
    file = file_open(lead)
    colleague_in_team = professional(organisation)
    add_member(file, colleague_in_team)
    partner = professional(sector=Sector.EDUCATION)
    add_member(file, partner, parts=partner_parts)
    return Team(
        file=file,
        coordinator=lead,
        colleague_in_team=colleague_in_team,
        colleague_outside=professional(organisation),
        partner=partner,
        partner_parts=partner_parts,
        stranger=professional(sector=Sector.CHILDCARE),
    )
