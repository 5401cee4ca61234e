"""One chain per organisation: organisations append side by side, and verify still finds a
changed, deleted, inserted, moved or cut-off row in any chain, and a wiped chain or log."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import QuerySet
from django.utils import timezone

from meldwijzer.audit import chain as audit_chain
from meldwijzer.audit.checkpoints import (
    ChainHead,
    Checkpoint,
    CheckpointRefused,
    audit_checkpoint_create,
    checkpoints_read,
)
from meldwijzer.audit.models import AccessLogEntry, AccessLogHead, Action, Purpose
from meldwijzer.audit.selectors import access_log_list
from meldwijzer.audit.services import access_log_chain_lock, access_log_record
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.audit.test_chain import tamper, trigger_disabled

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="writers in parallel: PostgreSQL"
)


def write(organisation: Organisation | None, count: int = 1) -> None:
    for number in range(count):
        access_log_record(
            actor=None, organisation=organisation, username="medewerker", action=Action.READ,
            subject_type="dossier", subject_id=str(number), purpose=Purpose.CARE,
        )  # fmt: skip


def label(organisation: Organisation | None) -> str:
    if organisation is None:
        return "de keten zonder organisatie"
    return f"de keten van {organisation.name} (organisatie {organisation.pk})"


def problems() -> str:
    result = audit_chain_verify()
    assert not result.ok
    return " | ".join(result.problems)


def checkpoint_file() -> Path:
    return Path(django_settings.AUDIT_CHECKPOINT_FILE)


@pytest.fixture
def three_chains(organisation, other_organisation) -> tuple[Organisation, Organisation]:
    """Chain 0 with 2 rows, the organisation's with 3, the other organisation's with 4."""
    write(organisation, 1)
    write(None, 1)
    write(other_organisation, 4)
    write(organisation, 2)
    write(None, 1)
    return organisation, other_organisation


def where(organisation: Organisation | None, sequence: int) -> list[object]:
    return [organisation.pk if organisation else 0, sequence]


# --- Writing ----------------------------------------------------------------------------------


def test_each_organisation_appends_to_its_own_chain(three_chains):
    organisation, other = three_chains
    rows = AccessLogEntry.objects.order_by("id").values_list("chain", "sequence")
    assert list(rows) == [
        (organisation.pk, 1),
        (0, 1),
        *[(other.pk, number) for number in (1, 2, 3, 4)],
        (organisation.pk, 2),
        (organisation.pk, 3),
        (0, 2),
    ]
    heads = dict(AccessLogHead.objects.values_list("chain", "sequence"))
    assert heads == {0: 2, organisation.pk: 3, other.pk: 4}
    result = audit_chain_verify()
    assert result.ok, result.problems
    assert (result.rows_checked, result.chains_checked) == (9, 3)


def test_chain_0_is_hashed_as_the_single_chain_was_and_other_chains_include_their_id(
    three_chains,
):
    """Rows written before there were chains per organisation keep their hashes; a row of an
    organisation's chain is bound to that chain."""
    organisation, _ = three_chains

    def without_chain(row: AccessLogEntry) -> str:
        values = {name: getattr(row, name) for name in audit_chain.CHAINED_FIELDS}
        values["occurred_at"] = row.occurred_at.isoformat()
        message = row.previous_hash + json.dumps(values, sort_keys=True, separators=(",", ":"))
        key = django_settings.AUDIT_HMAC_KEY.encode()
        return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()

    chain_0 = AccessLogEntry.objects.filter(chain=0).first()
    assert chain_0.entry_hash == without_chain(chain_0)
    own = AccessLogEntry.objects.filter(chain=organisation.pk).first()
    assert own.entry_hash != without_chain(own)
    head_0 = AccessLogHead.objects.get(chain=0)
    key = django_settings.AUDIT_HMAC_KEY.encode()
    old_mac = hmac.new(
        key, f"head|{head_0.sequence}|{head_0.entry_hash}".encode(), hashlib.sha256
    ).hexdigest()
    assert head_0.mac == old_mac


def test_the_first_head_of_a_new_chain_made_meanwhile_by_another_transaction_is_used(
    organisation, monkeypatch
):
    """Two transactions start the same chain: the second misses the head the first has just
    committed, its insert of a second head fails on the unique chain, and it takes the first's."""
    write(organisation, 1)
    original_first = QuerySet.first
    missed: list[bool] = []

    def first_missing_the_head_once(self: QuerySet) -> object:
        if self.model is AccessLogHead and not missed:
            missed.append(True)
            return None
        return original_first(self)

    monkeypatch.setattr(QuerySet, "first", first_missing_the_head_once)
    write(organisation, 1)
    assert missed == [True]
    assert list(AccessLogHead.objects.values_list("chain", "sequence")) == [(organisation.pk, 2)]
    assert audit_chain_verify().ok


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_transactions_starting_the_same_chain_at_once_both_write(organisation, monkeypatch):
    """On PostgreSQL the second insert of the head waits for the first transaction, then fails on
    the unique chain; the second writer then locks the first's head and appends after it."""
    refused: list[IntegrityError] = []
    create = AccessLogHead.objects.create

    def create_watched(**kwargs: object) -> AccessLogHead:
        try:
            return create(**kwargs)
        except IntegrityError as error:
            refused.append(error)
            raise

    monkeypatch.setattr("meldwijzer.audit.services.AccessLogHead.objects.create", create_watched)
    first_wrote, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                write(organisation)
                first_wrote.set()
                release.wait(10)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_wrote.wait(10)
            write(organisation)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_wrote.wait(10)
    threading.Event().wait(0.5)  # the second writer is now waiting on the first's head
    release.set()
    for thread in threads:
        thread.join(20)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert len(refused) == 1
    rows = AccessLogEntry.objects.values_list("chain", "sequence").order_by("sequence")
    assert list(rows) == [(organisation.pk, 1), (organisation.pk, 2)]
    assert audit_chain_verify().ok


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_organisations_write_at_the_same_time_without_waiting_for_each_other(
    organisation, other_organisation
):
    """Each writer holds its own chain's head until it commits: a transaction of one
    organisation that stays open does not hold up the other organisation."""
    rows_each = 25
    write(organisation)  # both chains exist already: their heads are there to be locked
    write(other_organisation)
    holding, other_done = threading.Event(), threading.Event()
    failures: list[BaseException] = []
    finished_meanwhile: list[bool] = []

    def slow_organisation() -> None:
        try:
            with transaction.atomic():
                write(organisation)
                holding.set()
                # Still holding its head: the other organisation must finish meanwhile.
                finished_meanwhile.append(other_done.wait(10))
            write(organisation, rows_each - 1)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    def other_writer() -> None:
        try:
            holding.wait(20)
            for _ in range(rows_each):
                with transaction.atomic():
                    write(other_organisation)
            other_done.set()
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=slow_organisation), threading.Thread(target=other_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert finished_meanwhile == [True]
    for owner in (organisation, other_organisation):
        sequences = AccessLogEntry.objects.filter(chain=owner.pk).values_list("sequence", flat=True)
        assert sorted(sequences) == list(range(1, rows_each + 2))
    result = audit_chain_verify()
    assert result.ok, result.problems
    assert result.chains_checked == 2


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_many_writers_in_parallel_keep_every_chain_whole(organisation, other_organisation):
    failures: list[BaseException] = []

    def writer(owner: Organisation | None) -> None:
        try:
            write(owner, 15)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    owners = [organisation, organisation, other_organisation, other_organisation, None, None]
    threads = [threading.Thread(target=writer, args=(owner,)) for owner in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    heads = dict(AccessLogHead.objects.values_list("chain", "sequence"))
    assert heads == {0: 30, organisation.pk: 30, other_organisation.pk: 30}
    result = audit_chain_verify()
    assert result.ok, result.problems


# --- Tampering in one chain is found there ---------------------------------------------------


def test_a_changed_row_is_named_with_its_chain(three_chains):
    _, other = three_chains
    tamper(
        "UPDATE audit_accesslogentry SET outcome = %s WHERE chain = %s AND sequence = %s",
        ["denied", *where(other, 2)],
    )
    found = audit_chain_verify().problems
    assert found == [f"Regel 2 in {label(other)}: inhoud is gewijzigd."]


def test_a_changed_row_in_chain_0_is_found(three_chains):
    tamper(
        "UPDATE audit_accesslogentry SET username = %s WHERE chain = %s AND sequence = %s",
        ["iemand", *where(None, 1)],
    )
    assert f"Regel 1 in {label(None)}: inhoud is gewijzigd." in problems()


def test_a_deleted_row_in_one_chain_is_found(three_chains):
    _, other = three_chains
    tamper("DELETE FROM audit_accesslogentry WHERE chain = %s AND sequence = %s", where(other, 2))
    found = problems()
    assert f"Regel(s) 2–2 in {label(other)} ontbreken" in found
    assert f"Regel 3 in {label(other)}: verwijst niet naar de vorige regel" in found


def test_a_row_cut_off_the_end_of_one_chain_is_found(three_chains):
    organisation, _ = three_chains
    tamper(
        "DELETE FROM audit_accesslogentry WHERE chain = %s AND sequence = %s",
        where(organisation, 3),
    )
    assert problems() == (
        f"De keten van {organisation.name} (organisatie {organisation.pk}) eindigt bij regel 2, "
        "maar hoort te lopen tot regel 3: regels aan het eind zijn verwijderd of vervangen."
    )


def test_a_row_inserted_into_one_chain_is_found(three_chains):
    _, other = three_chains
    last = AccessLogEntry.objects.get(chain=other.pk, sequence=4)
    forged = hashlib.sha256(b"ingevoegd").hexdigest()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslogentry (chain, sequence, occurred_at, username, role,"
            " action, subject_type, subject_id, client_id, part, purpose, outcome,"
            " organisation_id, previous_hash, entry_hash)"
            " VALUES (%s, 5, %s, 'iemand', '', 'read', 'dossier', '9', '', '', 'zorgverlening',"
            " 'allowed', %s, %s, %s)",
            [other.pk, timezone.now(), other.pk, last.entry_hash, forged],
        )
    found = problems()
    assert f"Regel 5 in {label(other)}: inhoud is gewijzigd" in found
    assert "eindigt bij regel 5, maar hoort te lopen tot regel 4" in found


def test_a_row_moved_to_another_chain_is_found(three_chains):
    organisation, other = three_chains
    tamper(
        "UPDATE audit_accesslogentry SET chain = %s, sequence = 5 WHERE chain = %s AND sequence = %s",
        [other.pk, *where(organisation, 3)],
    )
    found = problems()
    assert f"Regel 5 in {label(other)} hoort in {label(organisation)}: ze is verplaatst." in found
    assert f"Regel 5 in {label(other)}: inhoud is gewijzigd" in found
    assert (
        f"De keten van {organisation.name} (organisatie {organisation.pk}) eindigt bij regel 2"
        in found
    )


def test_a_row_moved_with_a_matching_organisation_still_breaks_its_hash(three_chains):
    """Moving a row and changing its organisation along with it: the organisation is hashed."""
    organisation, other = three_chains
    tamper(
        "UPDATE audit_accesslogentry SET chain = %s, organisation_id = %s, sequence = 5"
        " WHERE chain = %s AND sequence = %s",
        [other.pk, other.pk, *where(organisation, 3)],
    )
    found = problems()
    assert "verplaatst" not in found
    assert f"Regel 5 in {label(other)}: inhoud is gewijzigd" in found


def test_a_missing_head_of_one_chain_is_found(three_chains):
    _, other = three_chains
    AccessLogHead.objects.filter(chain=other.pk).delete()
    assert problems() == f"Het kopregister van {label(other)} ontbreekt."


def test_a_head_copied_onto_another_chain_is_found(three_chains):
    """A head is signed with its chain: another chain's valid head does not fit."""
    organisation, other = three_chains
    values = AccessLogHead.objects.values("sequence", "entry_hash", "mac").get(chain=other.pk)
    AccessLogHead.objects.filter(chain=organisation.pk).update(**values)
    assert f"Het kopregister van {label(organisation)} is gewijzigd." in problems()


# --- Checkpoints of several chains ------------------------------------------------------------


def test_a_checkpoint_records_every_chains_head(three_chains, capsys):
    organisation, other = three_chains
    call_command("audit_checkpoint")
    assert "Controlepunt geschreven: 3 keten(s), samen 9 regels" in capsys.readouterr().out
    (checkpoint,) = checkpoints_read(checkpoint_file()).checkpoints
    heads = {head.chain: head.sequence for head in checkpoint.heads}
    assert heads == {0: 2, organisation.pk: 3, other.pk: 4}
    write(other, 1)  # one chain moved: again every chain's head
    (again,) = audit_checkpoint_create()
    assert {head.chain: head.sequence for head in again.heads} == {**heads, other.pk: 5}
    assert audit_checkpoint_create() == []


def test_the_application_checkpoint_records_the_other_chains_too(
    three_chains, django_capture_on_commit_callbacks, settings
):
    organisation, other = three_chains
    settings.AUDIT_CHECKPOINT_EVERY = 5
    with django_capture_on_commit_callbacks(execute=True):
        write(other, 1)  # the other organisation's fifth row
    (checkpoint,) = checkpoints_read(checkpoint_file()).checkpoints
    fifth = AccessLogEntry.objects.get(chain=other.pk, sequence=5)
    assert ChainHead(other.pk, 5, fifth.entry_hash) in checkpoint.heads
    assert {head.chain: head.sequence for head in checkpoint.heads} == {
        0: 2,
        organisation.pk: 3,
        other.pk: 5,
    }


def test_many_chains_are_written_in_lines_that_fit_syslog(three_chains, monkeypatch):
    monkeypatch.setattr("meldwijzer.audit.checkpoints.HEADS_PER_LINE", 2)
    written = audit_checkpoint_create()
    assert [len(checkpoint.heads) for checkpoint in written] == [2, 1]
    assert len({checkpoint.at for checkpoint in written}) == 1
    read = checkpoints_read(checkpoint_file())
    assert read.problems == [] and len(read.checkpoints) == 2
    result = audit_chain_verify()
    assert result.ok, result.problems


def test_a_wiped_chain_is_found_by_its_checkpoint(three_chains):
    _, other = three_chains
    audit_checkpoint_create()
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE chain = %s", [other.pk])
        cursor.execute("DELETE FROM audit_accessloghead WHERE chain = %s", [other.pk])
    found = problems()
    assert f"De keten van {other.name} (organisatie {other.pk}) is leeg" in found
    assert "telde ze toen al 4 regels: de keten is gewist." in found
    with pytest.raises(CommandError, match="Geen controlepunt geschreven"):
        call_command("audit_checkpoint")


def test_a_chain_cut_back_to_an_old_head_is_found_by_its_checkpoint(three_chains):
    organisation, _ = three_chains
    old_head = AccessLogHead.objects.values("sequence", "entry_hash", "mac").get(
        chain=organisation.pk
    )
    write(organisation, 2)
    audit_checkpoint_create()
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM audit_accesslogentry WHERE chain = %s AND sequence > 3", [organisation.pk]
        )
    AccessLogHead.objects.filter(chain=organisation.pk).update(**old_head)
    assert problems() == (
        f"De keten van {organisation.name} (organisatie {organisation.pk}) eindigt bij regel 3, "
        f"maar volgens het controlepunt van {checkpoints_read(checkpoint_file()).checkpoints[0].when}"
        " liep ze toen al tot regel 5: regels aan het eind zijn verwijderd."
    )
    with pytest.raises(CheckpointRefused, match="regels zijn verwijderd"):
        audit_checkpoint_create()


def test_a_wiped_log_of_several_chains_is_found(three_chains):
    audit_checkpoint_create()
    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry")
        cursor.execute("DELETE FROM audit_accessloghead")
    assert problems().startswith("Het logboek is leeg")
    assert "telde het toen al 9 regels: het logboek is gewist." in problems()


def _old_line(sequence: int, entry_hash: str) -> str:
    """A checkpoint line as written before there were chains per organisation."""
    at = timezone.now().isoformat()
    key = django_settings.AUDIT_HMAC_KEY.encode()
    mac = hmac.new(
        key, f"checkpoint|{sequence}|{entry_hash}|{at}".encode(), hashlib.sha256
    ).hexdigest()
    return json.dumps(
        {
            "controlepunt": "meldwijzer-toegangslogboek",
            "sequence": sequence,
            "entry_hash": entry_hash,
            "at": at,
            "mac": mac,
        }
    )


def test_a_checkpoint_line_from_before_chains_describes_chain_0(three_chains):
    second = AccessLogEntry.objects.get(chain=0, sequence=2)
    checkpoint_file().parent.mkdir(parents=True, exist_ok=True)
    checkpoint_file().write_text(_old_line(2, second.entry_hash) + "\n")
    (old,) = checkpoints_read(checkpoint_file()).checkpoints
    assert old.single and old.heads == (ChainHead(0, 2, second.entry_hash),)
    result = audit_chain_verify()
    assert result.ok, result.problems
    assert audit_checkpoint_create()  # accepted as the start of the new checkpoints

    with trigger_disabled(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslogentry WHERE chain = 0")
        cursor.execute("DELETE FROM audit_accessloghead WHERE chain = 0")
    assert "De keten zonder organisatie is leeg" in problems()


def test_a_forged_old_checkpoint_line_is_refused(three_chains):
    second = AccessLogEntry.objects.get(chain=0, sequence=2)
    line = json.loads(_old_line(2, second.entry_hash))
    line["sequence"] = 7
    checkpoint_file().parent.mkdir(parents=True, exist_ok=True)
    checkpoint_file().write_text(json.dumps(line) + "\n")
    assert "de handtekening van het controlepunt" in problems()


def test_a_new_checkpoint_line_cannot_be_read_as_an_old_one(three_chains):
    """The signed messages of the two kinds of line differ, so one cannot pass for the other."""
    head = ChainHead(0, 2, AccessLogEntry.objects.get(chain=0, sequence=2).entry_hash)
    signed = Checkpoint.sign([head], timezone.now())
    assert not Checkpoint((head,), signed.at, signed.mac, single=True).valid


# --- Upgrading: the rows of the one chain there was keep verifying -----------------------------


@pytest.mark.django_db(transaction=True)
def test_rows_and_head_from_before_become_chain_0_and_keep_verifying(organisation):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("audit")
    executor.migrate([("audit", "0002_append_only_trigger")])
    try:
        key = django_settings.AUDIT_HMAC_KEY.encode()
        previous = audit_chain.GENESIS
        with connection.cursor() as cursor:
            for sequence in (1, 2, 3):
                fields = {
                    "sequence": sequence, "occurred_at": timezone.now(), "user_id": None,
                    "username": "oud", "organisation_id": organisation.pk, "role": "",
                    "action": "read", "subject_type": "dossier", "subject_id": str(sequence),
                    "client_id": "", "part": "", "purpose": "zorgverlening",
                    "outcome": "allowed", "ip_address": None,
                }  # fmt: skip
                values = {**fields, "occurred_at": fields["occurred_at"].isoformat()}
                message = previous + json.dumps(values, sort_keys=True, separators=(",", ":"))
                digest = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
                columns = ", ".join(fields)
                cursor.execute(
                    f"INSERT INTO audit_accesslogentry ({columns}, previous_hash, entry_hash)"  # noqa: S608
                    f" VALUES ({', '.join(['%s'] * (len(fields) + 2))})",
                    [*fields.values(), previous, digest],
                )
                previous = digest
            mac = hmac.new(key, f"head|3|{previous}".encode(), hashlib.sha256).hexdigest()
            cursor.execute(
                "INSERT INTO audit_accessloghead (id, sequence, entry_hash, mac)"
                " VALUES (1, 3, %s, %s)",
                [previous, mac],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)

    assert list(AccessLogHead.objects.values_list("pk", "chain", "sequence")) == [(1, 0, 3)]
    assert set(AccessLogEntry.objects.values_list("chain", flat=True)) == {0}
    result = audit_chain_verify()
    assert result.ok, result.problems
    write(organisation, 1)  # the organisation's own chain starts now
    write(None, 1)  # chain 0 goes on where the one chain was
    assert sorted(AccessLogEntry.objects.values_list("chain", "sequence")) == [
        (0, 1), (0, 2), (0, 3), (0, 4), (organisation.pk, 1),
    ]  # fmt: skip
    result = audit_chain_verify()
    assert result.ok, result.problems


def test_the_log_is_listed_by_time_not_by_sequence_number(three_chains, make_member):
    organisation, _ = three_chains
    admin = make_member(Role.PLATFORM_ADMIN, organisation)
    listed = access_log_list(actor=actor_for_user(user=admin), subject_type="dossier")
    ids = list(AccessLogEntry.objects.filter(subject_type="dossier").values_list("id", flat=True))
    assert [entry.id for entry in listed] == sorted(ids, reverse=True)


def test_a_chain_locked_before_its_first_row_leaves_a_log_that_verifies(db):
    """The failed-login bound locks chain 0 even when no row has been written there yet."""
    with transaction.atomic():
        access_log_chain_lock()
    assert list(AccessLogHead.objects.values_list("chain", "sequence", "mac")) == [(0, 0, "")]
    result = audit_chain_verify()
    assert result.ok, result.problems
    assert audit_checkpoint_create() == []
    write(None, 1)
    assert audit_chain_verify().ok
