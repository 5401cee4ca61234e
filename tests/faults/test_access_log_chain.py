"""The access log's chains stay single lines while many writers log at once: writers for one
organisation wait for each other at the chain's head, writers for other organisations append to
their own chains beside them, and verification passes afterwards."""

from __future__ import annotations

from collections import Counter

import pytest

from meldwijzer.audit import chain
from meldwijzer.audit.models import AccessLogEntry, Action, Subject
from meldwijzer.audit.services import access_log_record, access_log_record_each
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.faults.conftest import all_at_once

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 12
ROWS_EACH = 10


def test_concurrent_writers_never_fork_a_chain(
    shared_database, make_member, organisation, other_organisation
):
    """Eight writers share one organisation, two another, two log without one (failed logins);
    half of the organisations' writers log a list page's rows at once."""
    actors = [actor_for_user(user=make_member(Role.PROFESSIONAL, organisation)) for _ in range(8)]
    actors += [
        actor_for_user(user=make_member(Role.PROFESSIONAL, other_organisation)) for _ in range(2)
    ]

    def write(number: int) -> int:
        for row in range(ROWS_EACH):
            if number >= len(actors):
                access_log_record(
                    actor=None, username=f"onbekend-{number}", action=Action.LOGIN,
                    subject=Subject.SESSION,
                )  # fmt: skip
            elif number % 2:
                access_log_record_each(
                    actor=actors[number], action=Action.READ, subject=Subject.CASE,
                    rows=[(f"{number}-{row}-{i}", f"cl-{number}") for i in range(2)],
                )  # fmt: skip
            else:
                access_log_record(
                    actor=actors[number], action=Action.READ, subject=Subject.CASE,
                    subject_id=f"{number}-{row}", client_id=f"cl-{number}",
                )  # fmt: skip
        return number

    outcome = all_at_once(WRITERS, write)

    assert not outcome.errors, {repr(e) for e in outcome.errors}
    rows = list(AccessLogEntry.objects.values("chain", "sequence", "previous_hash", "entry_hash"))
    per_chain = Counter(row["chain"] for row in rows)
    assert per_chain == {organisation.pk: 120, other_organisation.pk: 30, 0: 20}
    for chain_id in per_chain:
        own = sorted((r for r in rows if r["chain"] == chain_id), key=lambda r: r["sequence"])
        # One line: numbered 1..n, each row's predecessor the row before it, none shared.
        assert [r["sequence"] for r in own] == list(range(1, len(own) + 1))
        assert own[0]["previous_hash"] == chain.GENESIS
        assert [r["previous_hash"] for r in own[1:]] == [r["entry_hash"] for r in own[:-1]]
        assert len({r["previous_hash"] for r in own}) == len(own)
    result = audit_chain_verify()
    assert result.ok, result.problems
    assert result.rows_checked == len(rows)
