"""Shared consultation summaries in a known state, built through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases import services, sharing
from meldwijzer.cases.models import Case, Entry
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy.models import AccessGrant
from tests.factories import MembershipFactory, OrganisationFactory


def officer(organisation: Organisation | None = None, name: str = "") -> User:
    """An aandachtsfunctionaris of `organisation` (a new one by default)."""
    if organisation is None:
        organisation = OrganisationFactory(name=name) if name else OrganisationFactory()
    return MembershipFactory(role=Role.MELDCODE_OFFICER, organisation=organisation).user


def consultation(actor: Actor, case: Case, advice: str = "Bespreek het met de ouders.") -> Entry:
    return services.case_record_entry(
        actor=actor,
        case=case,
        expected_version=case.version,
        kind="consultation",
        data={
            "date": timezone.localdate().isoformat(),
            "consulted": "aandachtsfunctionaris",
            "consulted_name": "Aandachtsfunctionaris Elders",
            "advice": advice,
        },
    )


def shared_summary(
    actor: Actor, entry: Entry, grantee: User | None = None, days: int = 14
) -> AccessGrant:
    """Share `entry` with `grantee` (a new aandachtsfunctionaris elsewhere) on consent."""
    grantee = grantee or officer()
    return sharing.consultation_share(
        actor=actor,
        case=entry.case,
        entry_id=entry.pk,
        email=grantee.email,
        until=timezone.localdate() + datetime.timedelta(days=days),
        ground_kind="toestemming",
        given_by="moeder (met gezag)",
    )
