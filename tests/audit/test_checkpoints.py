"""A wiped or cut access log is noticed: signed checkpoints of the head, kept outside the database,
are compared with the database by `audit verify`."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.urls import reverse

from meldwijzer.audit.checkpoints import (
    ChainHead,
    CheckpointRefused,
    audit_checkpoint_create,
    checkpoints_read,
)
from meldwijzer.audit.models import AccessLogEntry, AccessLogHead, Action, Purpose
from meldwijzer.audit.services import access_log_record
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.organisations.roles import Role
from tests.audit.test_chain import trigger_disabled

pytestmark = pytest.mark.django_db


@pytest.fixture
def append(make_member, organisation):
    user = make_member()

    def write(count: int) -> None:
        for number in range(count):
            access_log_record(
                actor=None, user=user, organisation=organisation, action=Action.READ,
                subject_type="dossier", subject_id=str(number), purpose=Purpose.CARE,
            )  # fmt: skip

    return write


def checkpoint_file() -> Path:
    return Path(django_settings.AUDIT_CHECKPOINT_FILE)


def wipe(*, head: bool = True) -> None:
    """What someone with write access to the database can do: delete every row (and the head)."""
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry")
        if head:
            cursor.execute("DELETE FROM audit_accessloghead")


def problems() -> str:
    result = audit_chain_verify()
    assert not result.ok
    return " | ".join(result.problems)


# --- Written by the application and on demand ------------------------------------------------


def test_the_application_writes_a_checkpoint_every_n_rows_after_commit(
    append, organisation, django_capture_on_commit_callbacks, caplog, settings
):
    settings.AUDIT_CHECKPOINT_EVERY = 3
    with (
        caplog.at_level(logging.INFO, logger="meldwijzer.audit.checkpoints"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        append(7)
    read = checkpoints_read(checkpoint_file())
    assert read.problems == []
    rows = dict(AccessLogEntry.objects.values_list("sequence", "entry_hash"))
    assert [c.heads for c in read.checkpoints] == [
        (ChainHead(organisation.pk, 3, rows[3]),),
        (ChainHead(organisation.pk, 6, rows[6]),),
    ]
    assert all(checkpoint.valid for checkpoint in read.checkpoints)
    logged = [r.getMessage() for r in caplog.records if r.name == "meldwijzer.audit.checkpoints"]
    assert len(logged) == 2 and read.checkpoints[1].line() in logged[1]


def test_a_row_that_is_rolled_back_leaves_no_checkpoint(
    append, django_capture_on_commit_callbacks, settings
):
    settings.AUDIT_CHECKPOINT_EVERY = 1
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        append(1)
        raise RuntimeError("de handeling mislukt")
    assert callbacks == []
    assert not checkpoint_file().exists()


def test_the_command_writes_a_checkpoint_and_skips_when_nothing_is_new(append, capsys):
    append(4)
    call_command("audit_checkpoint")
    assert "Controlepunt geschreven: 1 keten(s), samen 4 regels" in capsys.readouterr().out
    call_command("audit_checkpoint")
    assert "niets geschreven" in capsys.readouterr().out
    append(1)
    call_command("audit_checkpoint")
    sequences = [c.heads[0].sequence for c in checkpoints_read(checkpoint_file()).checkpoints]
    assert sequences == [4, 5]


def test_an_empty_log_needs_no_checkpoint(db, capsys):
    call_command("audit_checkpoint")
    assert "niets geschreven" in capsys.readouterr().out
    assert not checkpoint_file().exists()


# --- What verify finds --------------------------------------------------------------------------


def test_an_intact_log_verifies_against_its_checkpoints(append):
    append(3)
    audit_checkpoint_create()
    append(2)
    result = audit_chain_verify()
    assert result.ok, result.problems
    assert (result.checkpoints_checked, result.latest_checkpoint.rows) == (1, 3)


def test_without_checkpoints_the_log_verifies_with_a_note(append):
    append(2)
    result = audit_chain_verify()
    assert result.ok
    assert "nog geen controlepunten" in result.notes[0]


@pytest.mark.parametrize("head", [True, False], ids=["met kopregister", "zonder kopregister"])
def test_a_wiped_log_is_not_in_order(append, head):
    append(5)
    audit_checkpoint_create()
    wipe(head=head)
    assert AccessLogEntry.objects.count() == 0
    found = problems()
    if head:
        assert "Het logboek is leeg" in found and "het logboek is gewist" in found
    assert "5 regels" in found or "regel 5" in found


def test_the_verify_command_reports_a_wiped_log_and_fails(append, capsys):
    append(5)
    audit_checkpoint_create()
    wipe()
    with pytest.raises(CommandError, match="NIET in orde"):
        call_command("audit_verify")
    assert "het logboek is gewist" in capsys.readouterr().err


def test_a_log_cut_back_to_an_old_head_is_not_in_order(append, organisation):
    """The head's signature cannot tell an old head from the current one; the checkpoint can."""
    append(3)
    old_head = AccessLogHead.objects.values("sequence", "entry_hash", "mac").get()
    append(2)
    audit_checkpoint_create()
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE sequence > 3")
    AccessLogHead.objects.filter(chain=organisation.pk).update(**old_head)
    assert "liep ze toen al tot regel 5: regels aan het eind zijn verwijderd" in problems()


def test_a_log_rebuilt_from_scratch_differs_at_the_checkpointed_row(append):
    append(4)
    audit_checkpoint_create()
    wipe()
    append(6)  # a fresh, internally valid chain with other rows
    assert "Regel 4 in de keten van Basisschool Eigen" in problems()
    assert "is niet meer de regel die het controlepunt" in problems()


def test_a_checkpoint_without_a_valid_signature_is_a_problem(append):
    append(2)
    (checkpoint,) = audit_checkpoint_create()
    forged = json.loads(checkpoint.line())
    forged["heads"][0][1] = 99
    with checkpoint_file().open("a") as handle:
        handle.write(json.dumps(forged) + "\n")
        handle.write('{"controlepunt":"meldwijzer-toegangslogboek","sequence":\n')
    found = problems()
    assert "regel 2: de handtekening van het controlepunt" in found
    assert "regel 3: dit controlepunt is onleesbaar" in found
    with pytest.raises(CheckpointRefused):
        audit_checkpoint_create()


def test_checkpoints_copied_from_syslog_can_be_compared(append, tmp_path, capsys):
    append(3)
    (checkpoint,) = audit_checkpoint_create()
    checkpoint_file().unlink()  # the local file is gone too
    wipe()
    copy = tmp_path / "syslog.txt"
    copy.write_text(
        "Dec  2 10:00:00 server sshd[1]: iets anders\n"
        f"Dec  2 10:00:01 server meldwijzer[2]: Controlepunt toegangslogboek {checkpoint.line()}\n"
    )
    assert audit_chain_verify().ok  # without any checkpoint a wipe cannot be seen
    result = audit_chain_verify([copy])
    assert not result.ok
    assert "het logboek is gewist" in " ".join(result.problems)
    with pytest.raises(CommandError):
        call_command("audit_verify", "--controlepunten", str(copy))


def test_a_named_checkpoint_file_must_exist(append, tmp_path):
    append(1)
    result = audit_chain_verify([tmp_path / "bestaat-niet.jsonl"])
    assert not result.ok
    assert "bestaat niet" in result.problems[0]


def test_the_command_refuses_to_sign_a_cut_log(append):
    append(5)
    audit_checkpoint_create()
    wipe()
    append(2)
    with pytest.raises(CommandError, match="Geen controlepunt geschreven"):
        call_command("audit_checkpoint")
    assert [c.rows for c in checkpoints_read(checkpoint_file()).checkpoints] == [5]


def test_the_verify_page_shows_a_wiped_log(append, verified, make_member, organisation):
    admin = make_member(Role.PLATFORM_ADMIN, organisation)
    append(4)
    audit_checkpoint_create()
    wipe()
    page = verified(admin).get(reverse("audit:verify")).content.decode()
    assert "Niet in orde" in page
    assert "het logboek is gewist" in page
