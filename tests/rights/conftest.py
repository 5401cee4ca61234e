from __future__ import annotations

import pytest

from meldwijzer.cases.models import Case
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.rights.builders import family_case


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def actor(professional):
    return actor_for_user(user=professional)


@pytest.fixture
def case(actor) -> Case:
    return family_case(actor)
