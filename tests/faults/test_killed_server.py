"""SIGKILL of the real server in the middle of a stream of acknowledged writes: after a restart
every acknowledged write is there, nothing is half-written, the database is sound and the access
log's chain verifies. The 1000-write version is `benchmarks/faults.py`."""

from __future__ import annotations

import random

import pytest

from meldwijzer.accounts.services import api_token_create
from meldwijzer.cases import services
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.factories import allow_api_keys_for
from tests.faults.killed_server import kill_and_restart, survival_problems

pytestmark = pytest.mark.django_db(transaction=True)

WRITES = 150


def test_every_acknowledged_write_survives_a_sigkill(shared_database, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    allow_api_keys_for(user)
    actor = actor_for_user(user=user)
    _, token = api_token_create(actor=actor, name="stroom")
    case = services.case_open(actor=actor, title="Stroom", profession="onderwijs", client="kind")
    kill_after = random.randint(WRITES * 3 // 10, WRITES * 7 // 10)

    run = kill_and_restart(
        data_dir=shared_database.data_dir, environment=shared_database.server_env, token=token,
        case_id=case.pk, version=case.version, writes=WRITES, kill_after=kill_after,
    )  # fmt: skip

    assert not run.stream.refused, run.stream.refused
    assert len(run.stream.acknowledged) >= kill_after
    assert run.stream.unanswered, "the server was not killed in the middle of the stream"
    problems = survival_problems(
        case_id=case.pk, first_version=case.version, stream=run.stream,
        last_facts="Na de herstart", checkpoints=run.checkpoints,
    )  # fmt: skip
    assert problems == [], f"killed after {kill_after} acknowledgements"
