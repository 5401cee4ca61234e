"""Files in a known state for the retention tests: closed just past or just within the default
period of 20 years, built through the services while travelling in time."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy.retention_job import years_before
from tests.cases.builders import reported_case
from tests.coordination.builders import actor_of
from tests.factories import MembershipFactory, OrganisationFactory

NOW = timezone.now()
PAST_PERIOD = years_before(NOW, 20) - datetime.timedelta(days=1)
WITHIN_PERIOD = years_before(NOW, 20) + datetime.timedelta(days=1)


def member(role: Role = Role.PROFESSIONAL, organisation=None) -> Actor:
    organisation = organisation or OrganisationFactory()
    return actor_of(MembershipFactory(role=role, organisation=organisation).user)


def closed_case(actor: Actor, at: datetime.datetime) -> Case:
    """A case reported and closed at `at` (its last change)."""
    with time_machine.travel(at, tick=False):
        case = reported_case(actor)
        case.refresh_from_db()
        case_services.case_close(
            actor=actor, case=case, expected_version=case.version, reason="Leerling verhuisd."
        )
        case.refresh_from_db()
    return case
