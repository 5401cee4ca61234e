"""Backing up and restoring the whole database, while the server runs.

A backup is a directory with the database (SQLite: a copy made with SQLite's online backup API;
PostgreSQL: `pg_dump --format=custom`), the data directory's files that belong to the data
(`settings.BACKUP_DATA_DIRS`, e.g. uploaded meldcode documents), a copy of the access log's
checkpoint file, and `manifest.json`. The manifest says what the backup holds: the engine, the
Meldwijzer version, the last migration per app, when it was made, the number of rows and a
checksum of the content of every table, the heads of the access log's chains, and the SHA-256 of
every file; it is signed with the access log's key (`settings.AUDIT_HMAC_KEY`).

The checksums are computed from exactly the data in the dump: on SQLite from the copy itself; on
PostgreSQL in one REPEATABLE READ transaction whose snapshot `pg_dump --snapshot` shares.

A restore goes into an empty database of the same engine only, and first checks the signature,
every file's SHA-256 and that this version of the code knows the backup's migrations; a refusal
changes nothing. Afterwards it recomputes the counts and checksums in the restored database and
compares them with the manifest; the caller adds the access log's own verification. The keys are
never part of a backup (ADR 0014): the restored data is readable only with the keys it was
written with, which come from the key store (docs/backup.md).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db.migrations.loader import MigrationLoader

MANIFEST = "manifest.json"
SQLITE_DUMP = "database.sqlite3"
POSTGRES_DUMP = "database.pgdump"
CHECKPOINTS_COPY = "controlepunten.jsonl"
FILES_DIR = "bestanden"
FORMAT = 1


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead; the message is Dutch and says why."""


@dataclass(frozen=True)
class Database:
    """Where a backup is read from or restored into: the engine and Django's connection
    settings (`NAME`, and for PostgreSQL `USER`, `PASSWORD`, `HOST`, `PORT`)."""

    engine: str
    settings: dict[str, Any]

    @classmethod
    def from_django(cls, settings_dict: dict[str, Any]) -> Database:
        engine = "postgresql" if "postgresql" in settings_dict["ENGINE"] else "sqlite"
        return cls(engine=engine, settings=dict(settings_dict))

    @property
    def name(self) -> str:
        return str(self.settings["NAME"])


@dataclass
class TableState:
    rows: int
    sha256: str


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chain_report: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def meldwijzer_version() -> str:
    try:
        return version("meldwijzer")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree without install
        return "onbekend"


# --- Reading a database: tables, rows, checksums -------------------------------------------------


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _canonical(value: Any) -> Any:
    """A value as JSON can write it, the same way every time on the same engine."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)  # Decimal, UUID, and what the driver gives as text


def _row_bytes(row: Sequence[Any]) -> bytes:
    text = json.dumps(list(row), default=_canonical, sort_keys=True, ensure_ascii=False)
    return text.encode() + b"\n"


def _sqlite_tables(cursor: Any) -> list[tuple[str, list[str]]]:
    """Every table with the expressions its rows are ordered by (SQLite compares text
    byte by byte everywhere)."""
    cursor.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    tables = []
    for (name,) in cursor.fetchall():
        cursor.execute(f"PRAGMA table_info({_quoted(name)})")
        columns = cursor.fetchall()
        keys = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
        tables.append((name, [_quoted(key) for key in keys or [c[1] for c in columns]]))
    return tables


# Every table with the expressions its rows are ordered by: text in the "C" collation, so the
# order is the same on a machine with another locale.
_POSTGRES_TABLES = """
SELECT c.relname,
  (SELECT array_agg(
            quote_ident(a.attname)
            || CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END
            ORDER BY array_position(i.indkey::int2[], a.attnum))
     FROM pg_index i
     JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey::int2[])
    WHERE i.indrelid = c.oid AND i.indisprimary),
  (SELECT array_agg(
            quote_ident(a.attname)
            || CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END
            ORDER BY a.attnum)
     FROM pg_attribute a
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition  -- a partition's rows are counted in its parent
ORDER BY c.relname
"""


def _postgres_tables(cursor: Any) -> list[tuple[str, list[str]]]:
    cursor.execute(_POSTGRES_TABLES)
    return [(name, list(keys or columns)) for name, keys, columns in cursor.fetchall()]


def _rows(connection: Any, engine: str, table: str, order: list[str]) -> Iterator[Sequence[Any]]:
    query = f"SELECT * FROM {_quoted(table)} ORDER BY {', '.join(order)}"  # noqa: S608
    if engine == "postgresql":
        # A server-side cursor: a large table is read in batches, not into memory at once.
        with connection.cursor(name=f"backup_{table}"[:60]) as cursor:
            cursor.itersize = 5000
            cursor.execute(query)
            yield from cursor
        return
    cursor = connection.execute(query)
    while batch := cursor.fetchmany(5000):
        yield from batch


def database_state(connection: Any, engine: str) -> dict[str, TableState]:
    """The number of rows and the SHA-256 of the content of every table, rows ordered by their
    primary key (a table without one: by all its columns)."""
    with closing(connection.cursor()) as cursor:
        tables = _postgres_tables(cursor) if engine == "postgresql" else _sqlite_tables(cursor)
    state = {}
    for table, order in tables:
        digest, count = hashlib.sha256(), 0
        for row in _rows(connection, engine, table, order):
            digest.update(_row_bytes(row))
            count += 1
        state[table] = TableState(rows=count, sha256=digest.hexdigest())
    return state


def _one_query(connection: Any, query: str) -> list[Sequence[Any]]:
    with closing(connection.cursor()) as cursor:
        cursor.execute(query)
        return list(cursor.fetchall())


def _migrations(connection: Any) -> dict[str, str]:
    """The last migration applied per app."""
    rows = _one_query(connection, "SELECT app, name FROM django_migrations ORDER BY id")
    return {str(row[0]): str(row[1]) for row in rows}


def _chain_heads(connection: Any) -> list[dict[str, Any]]:
    rows = _one_query(
        connection, "SELECT chain, sequence, entry_hash FROM audit_accessloghead ORDER BY chain"
    )
    return [{"chain": c, "sequence": s, "entry_hash": h} for c, s, h in rows]


# --- Connections --------------------------------------------------------------------------------


def _sqlite_connect(name: str) -> sqlite3.Connection:
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)


def _postgres_params(database: Database) -> dict[str, str]:
    given = database.settings
    params = {
        "dbname": given.get("NAME") or "",
        "user": given.get("USER") or "",
        "password": given.get("PASSWORD") or "",
        "host": given.get("HOST") or "",
        "port": str(given.get("PORT") or ""),
    }
    return {key: value for key, value in params.items() if value}


def _postgres_connect(database: Database, **options: Any) -> Any:
    import psycopg
    from psycopg.conninfo import make_conninfo

    conninfo = make_conninfo(**_postgres_params(database), options="-c TimeZone=UTC")
    try:
        return psycopg.connect(conninfo, **options)
    except psycopg.OperationalError as error:
        raise BackupRefused(f"De database {database.name} is niet bereikbaar: {error}") from None


def _postgres_env(database: Database) -> dict[str, str]:
    names = {"dbname": "PGDATABASE", "user": "PGUSER", "password": "PGPASSWORD"}
    names |= {"host": "PGHOST", "port": "PGPORT"}
    params = _postgres_params(database)
    return {**os.environ, **{names[key]: value for key, value in params.items()}}


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupRefused(
            f"Het programma {name} is niet gevonden. Installeer de PostgreSQL-clientprogramma's "
            "(bijvoorbeeld het pakket postgresql-client, dezelfde hoofdversie als de server) en "
            "probeer het opnieuw."
        )
    return found


def _run(command: list[str], database: Database, what: str) -> None:
    done = subprocess.run(  # noqa: S603 - fixed program, arguments without a shell
        command, env=_postgres_env(database), capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise BackupRefused(f"{what} is mislukt: {done.stderr.strip() or done.returncode}")


# --- Files ---------------------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _data_files(data_dir: Path) -> Iterable[Path]:
    for directory in settings.BACKUP_DATA_DIRS:
        root = data_dir / directory
        if root.is_dir():
            # A link could point anywhere on the server (a key file): only files themselves.
            yield from sorted(
                path for path in root.rglob("*") if path.is_file() and not path.is_symlink()
            )


def _private_dir(parent: Path, name: str) -> Path:
    """A new directory only the Meldwijzer user can read; a second backup in the same second
    gets a number."""
    parent.mkdir(parents=True, exist_ok=True)
    for number in range(1, 100):
        path = parent / (name if number == 1 else f"{name}-{number}")
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return path
    raise BackupRefused(f"In {parent} staan al te veel back-ups met de naam {name}.")


def _signature(manifest: dict[str, Any]) -> str:
    body = {key: value for key, value in manifest.items() if key != "signature"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    return hmac.new(settings.AUDIT_HMAC_KEY.encode(), text, hashlib.sha256).hexdigest()


# --- Backup --------------------------------------------------------------------------------------


def _sqlite_dump(database: Database, target: Path) -> dict[str, TableState]:
    """Copy the database with SQLite's online backup API in one step: one read transaction, so
    the copy is consistent while others write (WAL), and the checksums come from the copy."""
    with (
        closing(_sqlite_connect(database.name)) as source,
        closing(_sqlite_connect(str(target))) as copy,
    ):
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
        return database_state(copy, "sqlite")


def _sqlite_facts(path: Path) -> tuple[dict[str, str], list[dict[str, Any]]]:
    with closing(_sqlite_connect(str(path))) as copy:
        return _migrations(copy), _chain_heads(copy)


def _postgres_dump(
    database: Database, target: Path
) -> tuple[dict[str, TableState], dict[str, str], list[dict[str, Any]]]:
    """pg_dump and the checksums read the same snapshot: this transaction exports it and stays
    open until both are done."""
    pg_dump = _postgres_tool("pg_dump")
    with closing(_postgres_connect(database)) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        command = [pg_dump, "--format=custom", f"--snapshot={snapshot}", "--no-owner"]
        _run([*command, f"--file={target}", database.name], database, "pg_dump")
        state = database_state(connection, "postgresql")
        facts = _migrations(connection), _chain_heads(connection)
        connection.rollback()
    return state, *facts


def backup_make(*, database: Database, to: Path, data_dir: Path, checkpoint_file: Path) -> Path:
    """Make a backup in a new directory under `to`; its path. A backup that fails leaves
    nothing behind."""
    started = datetime.datetime.now(tz=datetime.UTC)
    try:
        target = _private_dir(to, f"meldwijzer-{started:%Y%m%d-%H%M%S}")
    except OSError as error:
        raise BackupRefused(f"De map {to} kan niet worden gemaakt ({error.strerror}).") from None
    try:
        _backup_write(
            database=database,
            target=target,
            started=started,
            data_dir=data_dir,
            checkpoint_file=checkpoint_file,
        )
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target


def _backup_write(
    *,
    database: Database,
    target: Path,
    started: datetime.datetime,
    data_dir: Path,
    checkpoint_file: Path,
) -> None:
    # The checkpoint file first: every checkpoint in the copy was written after its rows
    # committed, so they are all in the snapshot taken next.
    has_checkpoints = checkpoint_file.is_file()
    if has_checkpoints:
        shutil.copyfile(checkpoint_file, target / CHECKPOINTS_COPY)
    if database.engine == "sqlite":
        dump = target / SQLITE_DUMP
        state = _sqlite_dump(database, dump)
        migrations, heads = _sqlite_facts(dump)
    else:
        dump = target / POSTGRES_DUMP
        state, migrations, heads = _postgres_dump(database, dump)
    files = {}
    for path in _data_files(data_dir):
        relative = path.relative_to(data_dir)
        copy = target / FILES_DIR / relative
        copy.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        shutil.copyfile(path, copy)
        files[str(relative)] = _sha256_file(copy)
    manifest = {
        "format": FORMAT,
        "engine": database.engine,
        "meldwijzer_version": meldwijzer_version(),
        "created_at": started.isoformat(timespec="seconds"),
        "migrations": migrations,
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in state.items()},
        "access_log_heads": heads,
        "dump": {"file": dump.name, "sha256": _sha256_file(dump), "bytes": dump.stat().st_size},
        "checkpoints": _sha256_file(target / CHECKPOINTS_COPY) if has_checkpoints else None,
        "files": files,
    }
    manifest["signature"] = _signature(manifest)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    for path in target.rglob("*"):
        path.chmod(0o700 if path.is_dir() else 0o600)


# --- Restore -------------------------------------------------------------------------------------


def manifest_read(source: Path) -> dict[str, Any]:
    """The backup's manifest, once its signature and every file's checksum hold."""
    path = source / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupRefused(
            f"{source} is geen back-up van Meldwijzer: {MANIFEST} ontbreekt."
        ) from None
    except (OSError, ValueError, UnicodeDecodeError):
        raise BackupRefused(f"{path} is onleesbaar: de back-up is beschadigd.") from None
    if not isinstance(manifest, dict) or not hmac.compare_digest(
        str(manifest.get("signature", "")), _signature(manifest)
    ):
        raise BackupRefused(
            "De handtekening van het manifest klopt niet: het manifest is gewijzigd, of de "
            "sleutel van het toegangslogboek (MELDWIJZER_AUDIT_KEY) is een andere dan die waarmee "
            "de back-up is gemaakt."
        )
    _names_check(manifest)
    expected = {manifest["dump"]["file"]: manifest["dump"]["sha256"]}
    if manifest["checkpoints"]:
        expected[CHECKPOINTS_COPY] = manifest["checkpoints"]
    expected |= {f"{FILES_DIR}/{name}": digest for name, digest in manifest["files"].items()}
    for name, digest in expected.items():
        file = source / name
        if not file.is_file():
            raise BackupRefused(f"De back-up is onvolledig: {name} ontbreekt.")
        if not hmac.compare_digest(_sha256_file(file), digest):
            raise BackupRefused(
                f"De back-up is beschadigd of gewijzigd: de controlesom van {name} klopt niet "
                "met het manifest."
            )
    return manifest


def _names_check(manifest: dict[str, Any]) -> None:
    """Every file the manifest names stays inside the backup and the data directory: the dump
    is one of the two dump files, and the data files are relative paths without `..`. A
    signature proves only that someone with the key wrote the manifest."""
    names = [str(name) for name in manifest["files"]]
    outside = [
        name
        for name in names
        if not name or PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts
        or "\\" in name
    ]  # fmt: skip
    if manifest["dump"]["file"] not in (SQLITE_DUMP, POSTGRES_DUMP) or outside:
        raise BackupRefused(
            "De back-up noemt een bestand buiten de back-up of de gegevensmap "
            f"({(outside or [manifest['dump']['file']])[0]}); deze back-up wordt niet teruggezet."
        )


def _migrations_check(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup made by newer code; the notes say which apps still need `migrate`."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [
        f"{app}.{name}"
        for app, name in sorted(manifest["migrations"].items())
        if (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupRefused(
            f"De back-up is gemaakt met een nieuwere versie van Meldwijzer "
            f"({manifest['meldwijzer_version']}) dan deze ({meldwijzer_version()}): de migratie(s) "
            f"{', '.join(unknown)} kent deze versie niet. Zet de back-up terug met dezelfde of "
            "een nieuwere versie."
        )
    behind = sorted(
        app for app, name in loader.graph.leaf_nodes() if manifest["migrations"].get(app) != name
    )
    return (
        [f"De back-up loopt achter op deze versie ({', '.join(behind)}): voer daarna "
         "`meldwijzer migrate` uit."]
        if behind
        else []
    )  # fmt: skip


def _target_tables(database: Database) -> int:
    if database.engine == "sqlite":
        if not Path(database.name).exists() and not database.name.startswith("file:"):
            return 0
        with closing(_sqlite_connect(database.name)) as connection:
            return len(_sqlite_tables(connection.cursor()))
    with closing(_postgres_connect(database)) as connection:
        return len(_postgres_tables(connection.cursor()))


def _sqlite_restore(source: Path, database: Database) -> None:
    with (
        closing(_sqlite_connect(str(source))) as backup,
        closing(_sqlite_connect(database.name)) as target,
    ):
        backup.backup(target)
        target.execute("PRAGMA journal_mode=WAL")


def _postgres_restore(source: Path, database: Database, *, clear: bool) -> None:
    pg_restore = _postgres_tool("pg_restore")
    if clear:
        with closing(_postgres_connect(database, autocommit=True)) as connection:
            connection.execute("DROP SCHEMA public CASCADE")
            connection.execute("CREATE SCHEMA public")
    command = [pg_restore, "--no-owner", "--exit-on-error", "--single-transaction"]
    _run([*command, f"--dbname={database.name}", str(source)], database, "pg_restore")


def _target_state(database: Database) -> dict[str, TableState]:
    if database.engine == "sqlite":
        with closing(_sqlite_connect(database.name)) as connection:
            return database_state(connection, "sqlite")
    with closing(_postgres_connect(database)) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return database_state(connection, "postgresql")


def _compare(result: RestoreResult, restored: dict[str, TableState]) -> None:
    expected = result.manifest["tables"]
    for name in sorted(expected.keys() | restored.keys()):
        if name not in restored:
            result.problems.append(f"Tabel {name} ontbreekt na het terugzetten.")
        elif name not in expected:
            result.problems.append(f"Tabel {name} staat niet in het manifest.")
        elif restored[name].rows != expected[name]["rows"]:
            result.problems.append(
                f"Tabel {name}: {restored[name].rows} rijen, volgens het manifest "
                f"{expected[name]['rows']}."
            )
        elif restored[name].sha256 != expected[name]["sha256"]:
            result.problems.append(f"Tabel {name}: de inhoud wijkt af van het manifest.")
    result.tables = len(restored)
    result.rows = sum(state.rows for state in restored.values())


def restore_run(
    *,
    source: Path,
    database: Database,
    data_dir: Path,
    force: bool = False,
    chain_check: Callable[[Path | None], tuple[str, list[str], list[str]]] | None = None,
) -> RestoreResult:
    """Restore the backup in `source` into `database` and the data directory, then compare.

    Everything that could refuse is checked before anything is written. `chain_check` verifies
    the access log in the restored database (with the backup's copy of the checkpoints, when
    there is one) and gives what it checked, its problems and its notes."""
    manifest = manifest_read(source)
    if manifest["engine"] != database.engine:
        raise BackupRefused(
            f"Deze back-up is van {manifest['engine']}, maar Meldwijzer is ingesteld op "
            f"{database.engine}. Terugzetten kan alleen in een database van dezelfde soort."
        )
    notes = _migrations_check(manifest)
    tables = _target_tables(database)
    if tables and not force:
        raise BackupRefused(
            f"De database {database.name} is niet leeg ({tables} tabellen). Zet een back-up terug "
            "in een nieuwe, lege database, of gebruik --force om alles in deze database te "
            "vervangen."
        )
    # A link counts as taken too: copying onto it would write wherever it points.
    occupied = [
        name
        for name in manifest["files"]
        if (data_dir / name).exists() or (data_dir / name).is_symlink()
    ]
    if occupied and not force:
        raise BackupRefused(
            f"In {data_dir} staan al {len(occupied)} bestand(en) die de back-up zou "
            f"overschrijven, zoals {occupied[0]}. Gebruik een lege gegevensmap of --force."
        )
    dump = source / manifest["dump"]["file"]
    if database.engine == "sqlite":
        _sqlite_restore(dump, database)
    else:
        _postgres_restore(dump, database, clear=bool(tables))
    for name, digest in manifest["files"].items():
        target = data_dir / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if target.is_symlink():  # only with --force: replace the link, not what it points at
            target.unlink()
        shutil.copyfile(source / FILES_DIR / name, target)
        if _sha256_file(target) != digest:  # pragma: no cover - a failing disk
            raise BackupRefused(f"{target} is na het kopiëren niet gelijk aan de back-up.")
    result = RestoreResult(manifest=manifest, files=len(manifest["files"]), notes=notes)
    _compare(result, _target_state(database))
    if chain_check is not None:
        checkpoints = source / CHECKPOINTS_COPY if manifest["checkpoints"] else None
        result.chain_report, problems, chain_notes = chain_check(checkpoints)
        result.problems += [f"Toegangslogboek: {problem}" for problem in problems]
        result.notes += chain_notes
    return result


def restore_summary(result: RestoreResult, *, seconds: float) -> str:
    manifest = result.manifest
    heads = manifest["access_log_heads"]
    lines = [
        f"Back-up van {manifest['created_at']} ({manifest['engine']}, Meldwijzer "
        f"{manifest['meldwijzer_version']}) teruggezet in {seconds:.1f} s.",
        f"Tabellen: {result.tables}, rijen: {result.rows}, bestanden: {result.files}.",
        f"Toegangslogboek: {len(heads)} ketens, {sum(h['sequence'] for h in heads)} regels "
        "volgens het manifest.",
    ]
    if result.chain_report:
        lines.append(f"Controle van het toegangslogboek: {result.chain_report}")
    if result.ok:
        lines.append(
            "In orde: aantallen en controlesommen van elke tabel gelijk aan het manifest; het "
            "toegangslogboek is onveranderd."
        )
    else:
        lines.append(f"NIET IN ORDE ({len(result.problems)} afwijking(en)):")
        lines += [f"  - {problem}" for problem in result.problems]
    lines += [f"Let op: {note}" for note in result.notes]
    return "\n".join(lines)


def backup_summary(target: Path, *, seconds: float) -> str:
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    rows = sum(table["rows"] for table in manifest["tables"].values())
    heads = manifest["access_log_heads"]
    return "\n".join(
        [
            f"Back-up gemaakt in {target} ({seconds:.1f} s).",
            f"Database: {manifest['engine']}, {len(manifest['tables'])} tabellen, {rows} rijen, "
            f"{manifest['dump']['bytes']} bytes.",
            f"Bestanden: {len(manifest['files'])}. Toegangslogboek: {len(heads)} ketens, "
            f"{sum(h['sequence'] for h in heads)} regels.",
            "De sleutels zitten niet in de back-up; bewaar ze apart (docs/backup.md).",
        ]
    )


def timed(action: Callable[[], Any]) -> tuple[Any, float]:
    started = time.monotonic()
    return action(), time.monotonic() - started
