"""Reports and hand-overs in a known state, built through the services (inbox tests and the
coordination access table)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases.models import Case
from meldwijzer.coordination import handover, inbox
from meldwijzer.coordination.models import CoordinationFile, Handover, IncomingReport
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy.models import GroundKind
from tests.cases.builders import reported_case
from tests.coordination.builders import actor_of
from tests.factories import MembershipFactory, OrganisationFactory


def veilig_thuis(name: str = "Veilig Thuis Testregio") -> Organisation:
    return OrganisationFactory(name=name, sector=Sector.VEILIG_THUIS)


def member(organisation: Organisation, role: Role = Role.PROFESSIONAL) -> User:
    return MembershipFactory(role=role, organisation=organisation).user


def reporter(organisation: Organisation | None = None) -> User:
    """A teacher of a school (a new one by default)."""
    return member(organisation or OrganisationFactory(sector=Sector.EDUCATION))


def case_to_report(by: User, title: str = "Zorgen over leerling") -> Case:
    """A case of `by` decided to report (with a child and a confidential source)."""
    return reported_case(actor_of(by), title)


def send(by: User, to: Organisation, case: Case | None = None) -> IncomingReport:
    case = case or case_to_report(by)
    case.refresh_from_db()
    return inbox.report_send(
        actor=actor_of(by), case=case, expected_version=case.version, veilig_thuis=to, informed="ja"
    )


def consent_ground(valid_days: int = 120) -> handover.GroundData:
    return handover.GroundData(
        kind=GroundKind.CONSENT,
        given_by="moeder (met gezag)",
        valid_until=timezone.localdate() + datetime.timedelta(days=valid_days),
    )


def propose(
    file: CoordinationFile, to: User, to_organisation: Organisation, ground: bool = True
) -> Handover:
    """The file's casusregisseur offers the regie to `to` (with a consent ground when `to` works
    for another organisation and `ground`)."""
    actor = actor_of(file.coordinator)
    other = to_organisation.pk != file.lead_organisation_id
    return handover.handover_propose(
        actor=actor,
        access=file_access_for(actor, file),
        to_user=to,
        to_organisation=to_organisation,
        note="Moeder werkt goed mee; de school volgt Sem.",
        ground=consent_ground() if other and ground else None,
    )
