"""Pruning the access log after its term (`meldwijzer audit prune`): months older than the term go
(on PostgreSQL their partitions), every chain is anchored so what remains still verifies and
tampering is still found, the pruning is logged, and the term is respected (ADR 0040).

Rows are written in the past by travelling in time; the pruning runs today. Runs on SQLite and,
with DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from meldwijzer.audit.checkpoints import audit_checkpoint_create
from meldwijzer.audit.models import AccessLogAnchor, AccessLogEntry, Action, Purpose, Subject
from meldwijzer.audit.partitions import Month, existing_months, is_partitioned
from meldwijzer.audit.verification import audit_chain_verify, audit_month_verify
from meldwijzer.privacy import access_log_retention, retention
from meldwijzer.privacy.events import PRUNE_USERNAME
from meldwijzer.privacy.models import FileKind, RetentionOverride
from meldwijzer.privacy.retention_job import years_before
from tests.audit.builders import page_read, page_reads_in
from tests.audit.test_chain import tamper

pytestmark = pytest.mark.django_db


def _before(month: Month) -> Month:
    return Month.of(month.start - dt.timedelta(days=1))


class Log:
    """A log of two organisations over six years: the kinderopvang only wrote long ago."""

    def __init__(self, organisation, other_organisation, make_member) -> None:
        now = timezone.now()
        self.keep_from = Month.of(years_before(now, 5))  # the month in which the term began
        self.old = [_before(_before(self.keep_from)), _before(self.keep_from)]
        self.organisation, self.other = organisation, other_organisation
        school, opvang = make_member(), make_member()
        for month in self.old:
            page_reads_in(month, organisation, school)
            page_reads_in(month, other_organisation, opvang)
        page_reads_in(self.keep_from, organisation, school)
        page_reads_in(Month.of(years_before(now, 1)), organisation, school)
        page_read(organisation, school, 99)  # today
        self.total = AccessLogEntry.objects.count()
        assert audit_chain_verify().ok
        audit_checkpoint_create()  # as cron does; the pruning checks the log against it

    def chain(self, organisation) -> str:
        return f"de keten van {organisation.name} (organisatie {organisation.pk})"


@pytest.fixture
def log(organisation, other_organisation, make_member) -> Log:
    return Log(organisation, other_organisation, make_member)


def _first_kept(organisation) -> AccessLogEntry:
    return AccessLogEntry.objects.filter(organisation=organisation).order_by("sequence").first()


def test_months_older_than_the_term_go_and_the_rest_verifies(log, capsys):
    call_command("audit_prune")

    out = capsys.readouterr().out
    assert f"bewaard vanaf {log.keep_from}" in out
    assert f"{log.old[0]}: 4 regel(s) verwijderd" in out
    assert "Opgeschoond: 8 regel(s) in 2 maand(en); 2 keten(s)" in out
    assert not AccessLogEntry.objects.filter(occurred_at__lt=log.keep_from.start).exists()
    assert AccessLogEntry.objects.filter(occurred_at__gte=log.keep_from.start).count() == (
        log.total - 8 + 1  # and the row that logs the pruning
    )
    anchors = {anchor.chain: anchor.sequence for anchor in AccessLogAnchor.objects.all()}
    assert anchors == {log.organisation.pk: 4, log.other.pk: 4}
    assert _first_kept(log.organisation).sequence == 5

    result = audit_chain_verify()
    assert result.ok, result.problems
    assert any("2 keten(s) zijn opgeschoond" in note for note in result.notes)
    assert audit_month_verify(log.keep_from).ok  # anchored on the pruned row's hash
    # The kinderopvang's chain is empty now, its head at the anchor; the next checkpoint holds.
    assert audit_checkpoint_create()


def test_the_pruning_is_logged_as_retention_logs_a_destruction(log):
    call_command("audit_prune")
    row = AccessLogEntry.objects.get(username=PRUNE_USERNAME)
    assert (row.action, row.subject_type, row.organisation_id) == (
        Action.DELETE, Subject.ACCESS_LOG, None,
    )  # fmt: skip
    assert row.subject_id == f"{log.old[0]} t/m {log.old[1]}"
    assert row.part == "bewaartermijn verstreken: 5 jaar"
    assert row.ground == "bewaartabel 2026-12-01"
    assert row.purpose == Purpose.ADMINISTRATION


@pytest.mark.parametrize(
    ("sql", "found"),
    [
        ("UPDATE audit_accesslogentry SET subject_id = 'x' WHERE chain = %s AND sequence = 6",
         "Regel 6 in {chain}: inhoud is gewijzigd."),
        ("DELETE FROM audit_accesslogentry WHERE chain = %s AND sequence = 5",
         "Regel(s) 5–5 in {chain} ontbreken (verwijderd)."),
        ("UPDATE audit_accessloganchor SET entry_hash = repeat('0', 64) WHERE chain = %s",
         "Het anker van {chain} bij regel 4 is gewijzigd."),
        ("DELETE FROM audit_accessloganchor WHERE chain = %s",
         "Regel(s) 1–4 in {chain} ontbreken (verwijderd)."),
    ],
)  # fmt: skip
def test_tampering_after_pruning_is_found(log, sql, found):
    call_command("audit_prune")
    assert audit_chain_verify().ok
    tamper(sql, [log.organisation.pk])
    problems = audit_chain_verify().problems
    assert found.format(chain=log.chain(log.organisation)) in problems


def test_a_dry_run_changes_nothing(log, capsys):
    call_command("audit_prune", "--dry-run")
    out = capsys.readouterr().out
    assert f"{log.old[1]}: 4 regel(s) zou worden verwijderd" in out
    assert "Proefdraai: 8 regel(s) in 2 maand(en)" in out
    assert AccessLogEntry.objects.count() == log.total
    assert not AccessLogAnchor.objects.exists()


def test_the_month_in_which_the_term_began_and_later_ones_stay(log):
    call_command("audit_prune")
    kept = AccessLogEntry.objects.filter(occurred_at__lt=log.keep_from.end).order_by("occurred_at")
    assert Month.of(kept.first().occurred_at) == log.keep_from
    call_command("audit_prune")  # again: nothing more is due
    assert AccessLogAnchor.objects.count() == 2


def test_an_organisations_longer_term_keeps_every_month_of_it(log, make_member):
    RetentionOverride.objects.create(
        organisation=log.other,
        file_kind=FileKind.ACCESS_LOG,
        years=7,
        basis="Eigen beleid: 7 jaar",
        set_by=make_member(),
        set_at=timezone.now(),
    )
    run = access_log_retention.access_log_prune()
    assert run.term.years == 7 and run.plan.months == []
    assert AccessLogEntry.objects.count() == log.total


def test_a_term_below_five_years_is_refused(log, monkeypatch):
    table = retention.default_retention()
    short = dataclasses.replace(table.periods[FileKind.ACCESS_LOG], years=4)
    monkeypatch.setattr(
        access_log_retention,
        "default_retention",
        lambda: dataclasses.replace(table, periods={**table.periods, FileKind.ACCESS_LOG: short}),
    )
    with pytest.raises(CommandError, match="is 4 jaar; NEN 7513 vraagt ten minste 5 jaar"):
        call_command("audit_prune")
    assert AccessLogEntry.objects.count() == log.total


def test_a_month_that_is_not_in_order_is_not_pruned(log):
    tamper(
        "UPDATE audit_accesslogentry SET subject_id = 'x' WHERE chain = %s AND sequence = 2",
        [log.organisation.pk],
    )
    with pytest.raises(CommandError, match=f"{log.old[0]} is niet in orde en blijft bewaard"):
        call_command("audit_prune")
    assert AccessLogEntry.objects.count() == log.total
    assert not AccessLogAnchor.objects.exists()


def test_a_log_that_no_longer_matches_its_checkpoints_is_not_pruned(log):
    tamper(
        "DELETE FROM audit_accesslogentry WHERE chain = %s AND sequence = 9",
        [log.organisation.pk],
    )  # the last row, today's: the head and checkpoint no longer match
    with pytest.raises(CommandError, match="past niet bij zijn controlepunten"):
        call_command("audit_prune")
    assert not AccessLogAnchor.objects.exists()


def test_nothing_older_than_the_term_is_nothing_to_do(organisation, make_member, capsys):
    page_read(organisation, make_member(), 1)
    call_command("audit_prune")
    assert "geen maanden ouder dan de bewaartermijn" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions exist on PostgreSQL")
def test_on_postgresql_the_months_partitions_are_dropped(log):
    assert is_partitioned()
    call_command("audit_prune")
    with connection.cursor() as cursor:
        months = existing_months(cursor)
        cursor.execute("SELECT count(*) FROM audit_accesslogentry_default")
        in_default = cursor.fetchone()[0]
    assert not set(log.old) & months  # the old rows were in DEFAULT; they got a month, then went
    assert in_default == 4  # the month the term began and a year ago: no partition made yet
    assert audit_chain_verify().ok
