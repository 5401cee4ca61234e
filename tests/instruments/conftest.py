"""People and a case to use instruments with: a professional with an open case (step 1), a
colleague, the aandachtsfunctionaris and the functioneel beheerder of the same organisation."""

from __future__ import annotations

import pytest

from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def actor(professional) -> Actor:
    return actor_for_user(user=professional)


@pytest.fixture
def case(actor) -> Case:
    return case_services.case_open(
        actor=actor, title="Zorgen na huisbezoek", profession="algemeen", client="kind"
    )


@pytest.fixture
def colleague(make_member, organisation) -> Actor:
    return actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))


@pytest.fixture
def officer(make_member, organisation) -> Actor:
    return actor_for_user(user=make_member(Role.MELDCODE_OFFICER, organisation))


@pytest.fixture
def admin(make_member, organisation) -> Actor:
    return actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, organisation))


@pytest.fixture
def stranger(make_member, other_organisation) -> Actor:
    return actor_for_user(user=make_member(Role.PROFESSIONAL, other_organisation))
