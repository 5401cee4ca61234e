"""The access log by month: verifying one month on its own, and (on PostgreSQL) the monthly
partitions, which exist before rows arrive and keep the log append-only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.audit.partitions import Month, audit_partitions_ensure, is_partitioned
from meldwijzer.audit.verification import audit_chain_verify, audit_month_verify
from meldwijzer.core.backup import database_state
from tests.audit.builders import page_read, page_reads_in
from tests.audit.test_chain import tamper

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)
NOVEMBER, DECEMBER = Month(2026, 11), Month(2026, 12)


def _partition_of(sequence: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_accesslogentry WHERE sequence = %s",
            [sequence],
        )
        return cursor.fetchone()[0]


def test_a_tampered_row_is_reported_for_its_month_only(make_member, organisation, capsys):
    user = make_member()
    page_reads_in(NOVEMBER, organisation, user)
    page_reads_in(DECEMBER, organisation, user)
    assert audit_month_verify(NOVEMBER).ok and audit_month_verify(DECEMBER).ok
    tamper("UPDATE audit_accesslogentry SET subject_id = 'x' WHERE sequence = %s", [2])

    november, december = audit_month_verify(NOVEMBER), audit_month_verify(DECEMBER)
    assert november.problems == [
        f"Regel 2 in de keten van {organisation.name} (organisatie {organisation.pk}): "
        "inhoud is gewijzigd."
    ]
    assert december.ok and december.rows_checked == 2  # anchored on November's last hash
    with pytest.raises(CommandError, match="1 van 2 maand"):
        call_command("audit_verify", "--maand", "alle")
    out = capsys.readouterr().out
    assert "2026-11: 2 regels in 1 keten(s), NIET in orde:" in out
    assert "2026-11: Regel 2 in de keten" in out
    assert "2026-12: 2 regels in 1 keten(s), in orde." in out


def test_a_row_deleted_just_before_a_month_is_reported_for_both(make_member, organisation):
    user = make_member()
    page_reads_in(NOVEMBER, organisation, user)
    page_reads_in(DECEMBER, organisation, user)
    tamper("DELETE FROM audit_accesslogentry WHERE sequence = %s", [2])
    assert audit_month_verify(NOVEMBER).ok  # what is left of November is whole in itself
    assert "vlak voor deze maand, ontbreekt" in audit_month_verify(DECEMBER).problems[0]
    assert not audit_chain_verify().ok


def test_a_bad_month_is_refused_in_dutch():
    with pytest.raises(CommandError, match="geen maand; schrijf die als JJJJ-MM"):
        call_command("audit_verify", "--maand", "2026-13")


@only_postgresql
@pytest.mark.parametrize("sql", ["UPDATE {} SET username = 'x'", "DELETE FROM {}"])
def test_postgresql_refuses_update_and_delete_on_the_table_and_its_partitions(
    make_member, organisation, sql
):
    page_read(organisation, make_member(), 0)
    for table in ["audit_accesslogentry", _partition_of(1)]:
        with (
            pytest.raises(DatabaseError, match="alleen-toevoegen"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql.format(table))


@only_postgresql
def test_appending_in_a_new_month_works_without_and_with_the_daily_step(make_member, organisation):
    user = make_member()
    far = Month.of(dt.datetime.now(dt.UTC) + dt.timedelta(days=31 * 8))
    # Without the step: the row lands in the DEFAULT partition, and the log is whole.
    page_reads_in(far, organisation, user, rows=1)
    assert _partition_of(1) == "audit_accesslogentry_default"
    # The step creates the month and moves the row into it; appending goes on there.
    with time_machine.travel(far.start, tick=False):
        result = audit_partitions_ensure()
        assert far in result.created and result.moved_rows == 1
        assert audit_partitions_ensure().created == []  # idempotent
    assert _partition_of(1) == far.partition
    page_reads_in(far, organisation, user, rows=1)
    assert _partition_of(2) == far.partition
    verified = audit_chain_verify()
    assert verified.ok and verified.rows_checked == 2
    assert AccessLogEntry.objects.get(sequence=1).pk < AccessLogEntry.objects.get(sequence=2).pk


@only_postgresql
def test_the_partitions_command_says_what_it_made(capsys):
    call_command("audit_partitions")
    call_command("audit_partitions")
    assert "Alle maandpartities bestaan al" in capsys.readouterr().out


@only_postgresql
def test_a_backup_counts_the_partitioned_log_once(make_member, organisation):
    page_reads_in(DECEMBER, organisation, make_member())
    connection.ensure_connection()
    state = database_state(connection.connection, "postgresql")
    assert state["audit_accesslogentry"].rows == 2
    assert not [name for name in state if name.startswith("audit_accesslogentry_")]


@only_postgresql
def test_the_migration_keeps_every_row_and_back(make_member, organisation):
    page_reads_in(NOVEMBER, organisation, make_member())
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL alters no table with them
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0005_alter_accesslogentry_purpose")])
    assert AccessLogEntry.objects.count() == 2 and not is_partitioned()
    executor.loader.build_graph()
    executor.migrate([("audit", "0006_partition_by_month")])
    assert is_partitioned()
    assert _partition_of(2) == NOVEMBER.partition
    executor.loader.build_graph()
    executor.migrate([("audit", "0007_access_log_anchor")])  # verification reads the anchors
    page_read(organisation, make_member(), 9)
    assert AccessLogEntry.objects.order_by("-id").first().sequence == 3  # ids go on after
    verified = audit_chain_verify()
    assert verified.ok and verified.rows_checked == 3
