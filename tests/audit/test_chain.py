"""The access log cannot be changed quietly: the database refuses it, and the chain shows it."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import Client

from meldwijzer.audit.models import (
    AccessLogEntry,
    AccessLogHead,
    Action,
    AppendOnlyError,
    Purpose,
    Subject,
)
from meldwijzer.audit.services import access_log_record
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.organisations.roles import Role
from tests.conftest import login_with_mfa

pytestmark = pytest.mark.django_db

TABLE = "audit_accesslogentry"
TRIGGER = "audit_accesslogentry_no_update_delete"
ROWS = 5


@pytest.fixture
def log(make_member, organisation) -> list[AccessLogEntry]:
    user = make_member()
    for number in range(ROWS):
        access_log_record(
            actor=None,
            user=user,
            organisation=organisation,
            action=Action.READ,
            subject=Subject.PAGE,
            subject_id=str(number),
            purpose=Purpose.CARE,
        )
    return list(AccessLogEntry.objects.order_by("sequence"))


@contextmanager
def trigger_disabled() -> Iterator[None]:
    """On PostgreSQL, switch the append-only trigger off for a deliberate tamper test."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # Run the deferred foreign key checks of this test's inserts first: PostgreSQL does not
        # alter a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def tamper(sql: str, params: list[object]) -> None:
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        assert cursor.rowcount == 1


@pytest.fixture
def chain(organisation) -> str:
    """How verify names the chain the `log` rows are in."""
    return f"de keten van {organisation.name} (organisatie {organisation.pk})"


def _problems() -> str:
    result = audit_chain_verify()
    assert not result.ok
    return " | ".join(result.problems)


def test_intact_log_verifies(log):
    result = audit_chain_verify()
    assert result.ok, result.problems
    assert result.rows_checked == ROWS


def test_empty_log_verifies(db):
    result = audit_chain_verify()
    assert result.ok
    assert result.rows_checked == 0


def test_rows_are_chained(log):
    assert log[0].previous_hash == "0" * 64
    for earlier, later in itertools.pairwise(log):
        assert later.previous_hash == earlier.entry_hash
        assert later.sequence == earlier.sequence + 1
    head = AccessLogHead.objects.get()
    assert (head.sequence, head.entry_hash) == (log[-1].sequence, log[-1].entry_hash)


@pytest.mark.parametrize(
    ("sql", "value"),
    [
        ("UPDATE audit_accesslogentry SET outcome = %s WHERE sequence = %s", "denied"),
        ("UPDATE audit_accesslogentry SET username = %s WHERE sequence = %s", "iemand-anders"),
        ("UPDATE audit_accesslogentry SET subject_id = %s WHERE sequence = %s", "99"),
        ("UPDATE audit_accesslogentry SET ip_address = %s WHERE sequence = %s", "192.0.2.99"),
        ("UPDATE audit_accesslogentry SET role = %s WHERE sequence = %s", "platform_admin"),
    ],
)
def test_a_changed_row_is_detected(log, chain, sql, value):
    tamper(sql, [value, 3])
    assert f"Regel 3 in {chain}: inhoud is gewijzigd" in _problems()


def test_a_changed_time_is_detected(log, chain):
    tamper(
        "UPDATE audit_accesslogentry SET occurred_at = %s WHERE sequence = %s",
        [log[1].occurred_at.replace(year=2020), 2],
    )
    assert f"Regel 2 in {chain}: inhoud is gewijzigd" in _problems()


def test_a_row_rewritten_with_a_fresh_unkeyed_hash_is_detected(log, chain):
    forged = hashlib.sha256(b"vervalst").hexdigest()
    tamper(
        "UPDATE audit_accesslogentry SET part = %s, entry_hash = %s WHERE sequence = %s",
        ["vervalst", forged, 3],
    )
    problems = _problems()
    assert f"Regel 3 in {chain}: inhoud is gewijzigd" in problems
    assert f"Regel 4 in {chain}: verwijst niet naar de vorige regel" in problems


def test_a_deleted_row_in_the_middle_is_detected(log, chain):
    tamper("DELETE FROM audit_accesslogentry WHERE sequence = %s", [3])
    problems = _problems()
    assert f"Regel(s) 3–3 in {chain} ontbreken" in problems
    assert f"Regel 4 in {chain}: verwijst niet naar de vorige regel" in problems


def test_a_deleted_last_row_is_detected(log):
    tamper("DELETE FROM audit_accesslogentry WHERE sequence = %s", [ROWS])
    assert f"hoort te lopen tot regel {ROWS}" in _problems()


def test_a_deleted_tail_with_a_rewound_head_is_detected(log, chain, organisation):
    tamper("DELETE FROM audit_accesslogentry WHERE sequence = %s", [ROWS])
    AccessLogHead.objects.filter(chain=organisation.pk).update(
        sequence=ROWS - 1, entry_hash=log[ROWS - 2].entry_hash
    )
    assert f"Het kopregister van {chain} is gewijzigd" in _problems()


def test_a_missing_head_is_detected(log, chain):
    AccessLogHead.objects.all().delete()
    assert f"Het kopregister van {chain} ontbreekt" in _problems()


def test_rows_appended_after_tampering_do_not_hide_it(log, chain, make_member):
    tamper("UPDATE audit_accesslogentry SET outcome = %s WHERE sequence = %s", ["denied", 2])
    access_log_record(actor=None, user=make_member(), action=Action.LOGIN, subject=Subject.SESSION)
    assert f"Regel 2 in {chain}: inhoud is gewijzigd" in _problems()


# --- The guards that refuse changes ------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_accesslogentry SET outcome = 'denied' WHERE sequence = 2",
        "DELETE FROM audit_accesslogentry WHERE sequence = 2",
        "DELETE FROM audit_accesslogentry WHERE sequence = 5",  # the last row
    ],
)
def test_postgresql_refuses_update_and_delete(log, sql):
    with (
        pytest.raises(DatabaseError, match="alleen-toevoegen"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert audit_chain_verify().ok
    assert AccessLogEntry.objects.count() == ROWS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL trigger")
def test_the_postgresql_trigger_is_installed_and_enabled(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgenabled FROM pg_trigger "
            "WHERE tgname = %s AND NOT tgisinternal",
            [TRIGGER],
        )
        enabled = dict(cursor.fetchall())
    # Present and enabled on the table, and on each of its monthly partitions (ADR 0040).
    assert enabled.pop(TABLE) == "O"
    assert set(enabled.values()) == {"O"}


def test_saving_an_existing_row_is_refused(log):
    entry = log[1]
    entry.outcome = "denied"
    with pytest.raises(AppendOnlyError):
        entry.save()
    assert AccessLogEntry.objects.get(pk=entry.pk).outcome == "allowed"


def test_deleting_a_row_is_refused(log):
    with pytest.raises(AppendOnlyError):
        log[1].delete()
    assert AccessLogEntry.objects.count() == ROWS


def test_queryset_update_and_delete_are_refused(log):
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(sequence=2).update(outcome="denied")
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.filter(sequence=2).delete()
    with pytest.raises(AppendOnlyError):
        AccessLogEntry.objects.all().delete()
    assert AccessLogEntry.objects.count() == ROWS
    assert audit_chain_verify().ok


def test_bulk_update_is_refused(log):
    log[1].outcome = "denied"
    with pytest.raises(AppendOnlyError), transaction.atomic():
        AccessLogEntry.objects.bulk_update([log[1]], ["outcome"])
    assert audit_chain_verify().ok


# --- The command ------------------------------------------------------------------------------


def test_verify_command_reports_an_intact_log(log, capsys):
    call_command("audit_verify")
    assert (
        f"Toegangslogboek in orde: {ROWS} regels gecontroleerd, in 1 keten(s)."
        in capsys.readouterr().out
    )


def test_verify_command_fails_on_tampering(log, chain, capsys):
    tamper("UPDATE audit_accesslogentry SET role = %s WHERE sequence = %s", ["platform_admin", 2])
    with pytest.raises(CommandError, match="NIET in orde"):
        call_command("audit_verify")
    assert f"Regel 2 in {chain}: inhoud is gewijzigd" in capsys.readouterr().err


def test_verify_command_fails_on_a_deleted_row(log):
    tamper("DELETE FROM audit_accesslogentry WHERE sequence = %s", [2])
    with pytest.raises(CommandError):
        call_command("audit_verify")


@pytest.mark.parametrize(
    ("remote_addr", "stored"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8::1", "2001:db8::1"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
        ("fe80::1%eth0", "fe80::1"),
    ],
)
def test_rows_from_any_client_address_still_verify(make_member, organisation, remote_addr, stored):
    user = make_member(Role.PROFESSIONAL, organisation)
    login_with_mfa(Client(REMOTE_ADDR=remote_addr), user)
    entry = AccessLogEntry.objects.get(action=Action.LOGIN)
    assert entry.ip_address == stored
    result = audit_chain_verify()
    assert result.ok, result.problems
