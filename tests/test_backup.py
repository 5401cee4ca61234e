"""`meldwijzer backup` and `restore` on the configured engine: a backup made while another thread
writes restores into a fresh database with the same rows, checksums and a whole access log; a
backup of another engine, a changed backup, one made by newer code and a target that holds data
are refused, and nothing changes."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection, connections

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.core import backup
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.audit.test_chains import write
from tests.cases.builders import signals_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Path:
    """A data directory of the test's own, with one uploaded meldcode document."""
    settings.DATA_DIR = tmp_path / "gegevens"
    (settings.DATA_DIR / "meldcodes").mkdir(parents=True)
    (settings.DATA_DIR / "meldcodes" / "meldcode.pdf").write_bytes(b"%PDF-1.4 meldcode")
    return settings.DATA_DIR


@pytest.fixture
def world(organisation, other_organisation, make_member, data_dir) -> Organisation:
    """Two cases with people and entries, and access-log rows in three chains."""
    for owner in (organisation, other_organisation):
        actor = actor_for_user(user=make_member(Role.PROFESSIONAL, owner), organisation_id=owner.pk)
        signals_case(actor)
    write(organisation, 3)
    return organisation


def source() -> backup.Database:
    return backup.Database.from_django(connection.settings_dict)


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[backup.Database]:
    """An empty database of the configured engine to restore into."""
    if connection.vendor != "postgresql":
        path = tmp_path / "doel" / "meldwijzer.sqlite3"
        path.parent.mkdir()
        yield backup.Database(engine="sqlite", settings={**source().settings, "NAME": str(path)})
        return
    import psycopg

    name = f"{source().name}_doel_{secrets.token_hex(4)}"[:63]
    admin = backup.Database(engine="postgresql", settings={**source().settings, "NAME": "postgres"})
    with closing(psycopg.connect(**backup._postgres_params(admin), autocommit=True)) as server:
        server.execute(f'CREATE DATABASE "{name}"')
        yield backup.Database(engine="postgresql", settings={**source().settings, "NAME": name})
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_backup(tmp_path: Path) -> Path:
    return backup.backup_make(
        database=source(),
        to=tmp_path / "back-ups",
        data_dir=Path(django_settings.DATA_DIR),
        checkpoint_file=Path(django_settings.AUDIT_CHECKPOINT_FILE),
    )


def tables_in(database: backup.Database) -> int:
    return backup._target_tables(database)


def refused(made: Path, target: backup.Database, tmp_path: Path, **options: bool) -> str:
    with pytest.raises(backup.BackupRefused) as refusal:
        backup.restore_run(source=made, database=target, data_dir=tmp_path / "leeg", **options)
    assert not (tmp_path / "leeg").exists()
    return str(refusal.value)


def restore_command(
    made: Path, target: backup.Database, data_dir: Path
) -> subprocess.CompletedProcess:
    """`meldwijzer restore` as an operator runs it: its own process, configured for the target,
    with the same keys."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "meldwijzer.conf.settings",
        "MELDWIJZER_DATA_DIR": str(data_dir),
        "MELDWIJZER_SECRET_KEY": django_settings.SECRET_KEY,
        "MELDWIJZER_AUDIT_KEY": django_settings.AUDIT_HMAC_KEY,
        "MELDWIJZER_PSEUDONYM_KEY": django_settings.PSEUDONYM_KEY,
        "MELDWIJZER_DATALAB_KEY": django_settings.DATALAB_KEY,
        "MELDWIJZER_AUDIT_CHECKPOINT_FILE": str(data_dir.parent / "controlepunten-doel.jsonl"),
    }
    env.pop("DATABASE_URL", None)
    if target.engine == "postgresql":
        params = backup._postgres_params(target)
        host = f"{params.get('host', '')}:{params.get('port', 5432)}"
        login = ":".join(filter(None, (params.get("user"), params.get("password"))))
        env["DATABASE_URL"] = f"postgres://{login}@{host}/{target.name}"
    command = [sys.executable, "-m", "meldwijzer.cli", "restore", str(made)]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


def test_a_backup_made_while_another_thread_writes_restores_whole(
    world, fresh, tmp_path, monkeypatch
):
    """The writer commits rows between the copy and the checksums: a backup whose checksums do
    not come from the same snapshot as its dump, or a restore that loses a row or breaks a chain,
    is not 'in orde'."""
    go, wrote, stop = threading.Event(), threading.Event(), threading.Event()
    written = []

    def writer() -> None:
        try:
            while not stop.is_set():
                if go.wait(0.05):
                    try:
                        write(world, 1)
                        written.append(1)
                    except OperationalError:  # SQLite in memory: the copy holds the table
                        continue
                    if len(written) >= 5:
                        wrote.set()
        finally:
            connections.close_all()

    state = backup.database_state

    def state_after_more_writes(*args, **kwargs):
        go.set()
        assert wrote.wait(30), "the writer did not write during the backup"
        return state(*args, **kwargs)

    monkeypatch.setattr(backup, "database_state", state_after_more_writes)
    thread = threading.Thread(target=writer)
    thread.start()
    try:
        made = make_backup(tmp_path)
    finally:
        stop.set()
        thread.join(30)
    monkeypatch.setattr(backup, "database_state", state)

    manifest = json.loads((made / backup.MANIFEST).read_text())
    assert AccessLogEntry.objects.count() > manifest["tables"]["audit_accesslogentry"]["rows"]
    assert manifest["files"] == {
        "meldcodes/meldcode.pdf": backup._sha256_file(made / "bestanden/meldcodes/meldcode.pdf")
    }
    restored_dir = Path(fresh.name).parent if fresh.engine == "sqlite" else tmp_path / "doel"
    done = restore_command(made, fresh, restored_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "In orde" in done.stdout
    assert (restored_dir / "meldcodes" / "meldcode.pdf").read_bytes() == b"%PDF-1.4 meldcode"
    restored = {
        name: {"rows": table.rows, "sha256": table.sha256}
        for name, table in backup._target_state(fresh).items()
    }
    assert restored == manifest["tables"]
    assert manifest["tables"]["cases_entry"]["rows"] >= 2


def test_without_pg_dump_the_backup_says_so_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    target = backup.Database(engine="postgresql", settings={"NAME": "meldwijzer"})
    with pytest.raises(backup.BackupRefused, match="pg_dump is niet gevonden"):
        backup.backup_make(
            database=target, to=tmp_path / "back-ups", data_dir=tmp_path, checkpoint_file=tmp_path
        )
    assert list((tmp_path / "back-ups").iterdir()) == []


def test_a_backup_of_the_other_engine_is_refused(world, fresh, tmp_path):
    made = make_backup(tmp_path)
    other = "postgresql" if fresh.engine == "sqlite" else "sqlite"
    target = backup.Database(engine=other, settings={"NAME": str(tmp_path / "ander")})
    assert "dezelfde soort" in refused(made, target, tmp_path)
    assert not (tmp_path / "ander").exists()


def test_a_changed_or_incomplete_backup_is_refused(world, fresh, tmp_path):
    made = make_backup(tmp_path)
    manifest_path = made / backup.MANIFEST
    dump = made / json.loads(manifest_path.read_text())["dump"]["file"]
    content = bytearray(dump.read_bytes())
    content[len(content) // 2] ^= 0xFF
    dump.write_bytes(bytes(content))
    assert "controlesom van database" in refused(made, fresh, tmp_path)

    manifest = json.loads(manifest_path.read_text())
    manifest["dump"]["sha256"] = backup._sha256_file(dump)
    manifest_path.write_text(json.dumps(manifest))
    assert "handtekening van het manifest" in refused(made, fresh, tmp_path)
    assert tables_in(fresh) == 0


def test_a_backup_from_newer_code_is_refused(world, fresh, tmp_path):
    made = make_backup(tmp_path)
    manifest_path = made / backup.MANIFEST
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"]["cases"] = "9999_from_the_future"
    manifest["signature"] = backup._signature(manifest)
    manifest_path.write_text(json.dumps(manifest))
    assert "cases.9999_from_the_future" in refused(made, fresh, tmp_path)
    assert tables_in(fresh) == 0


def test_a_target_that_holds_data_is_refused_unless_forced(world, fresh, tmp_path):
    made = make_backup(tmp_path)
    if fresh.engine == "sqlite":
        with closing(backup._sqlite_connect(fresh.name)) as target:
            target.execute("CREATE TABLE eigen (id integer primary key)")
            target.execute("INSERT INTO eigen VALUES (1)")
            target.commit()
    else:
        with closing(backup._postgres_connect(fresh, autocommit=True)) as target:
            target.execute("CREATE TABLE eigen (id integer primary key)")
            target.execute("INSERT INTO eigen VALUES (1)")
    assert "niet leeg" in refused(made, fresh, tmp_path)
    assert set(backup._target_state(fresh)) == {"eigen"}

    result = backup.restore_run(source=made, database=fresh, data_dir=tmp_path / "leeg", force=True)
    assert result.ok, result.problems
    assert "eigen" not in backup._target_state(fresh)


def test_no_backup_reaches_outside_through_a_link_or_a_signed_name(world, fresh, tmp_path):
    """A link in the data directory is not followed into the backup (it could point at a key
    file), and even a manifest signed with the key cannot name a file outside the backup or the
    data directory."""
    secret = tmp_path / "sleutel.txt"
    secret.write_text("geheime sleutel")
    (Path(django_settings.DATA_DIR) / "meldcodes" / "link.pdf").symlink_to(secret)
    made = make_backup(tmp_path)
    manifest_path = made / backup.MANIFEST
    manifest = json.loads(manifest_path.read_text())
    assert list(manifest["files"]) == ["meldcodes/meldcode.pdf"]
    # A link where a restored file goes is taken: restoring would write wherever it points.
    landing = tmp_path / "doelmap"
    (landing / "meldcodes").mkdir(parents=True)
    (landing / "meldcodes" / "meldcode.pdf").symlink_to(tmp_path / "elders.txt")
    with pytest.raises(backup.BackupRefused, match="staan al"):
        backup.restore_run(source=made, database=fresh, data_dir=landing)
    assert not (tmp_path / "elders.txt").exists() and tables_in(fresh) == 0

    (made / "buiten.txt").write_text("overschrijft")
    manifest["files"]["../buiten.txt"] = backup._sha256_file(made / "buiten.txt")
    manifest["signature"] = backup._signature(manifest)
    manifest_path.write_text(json.dumps(manifest))
    assert "buiten de back-up" in refused(made, fresh, tmp_path)
    assert not (tmp_path / "buiten.txt").exists() and tables_in(fresh) == 0
