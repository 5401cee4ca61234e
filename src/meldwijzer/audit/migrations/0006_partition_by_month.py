"""On PostgreSQL the access log becomes a table partitioned by month of `occurred_at` (ADR 0040).

PostgreSQL requires every unique index of a partitioned table to include the partition key, so at
SQL level the primary key becomes `(id, occurred_at)`, and the uniqueness of `(chain, sequence)`
and of `entry_hash` becomes `(chain, sequence, occurred_at)` and `(entry_hash, occurred_at)`.
Django's model is unchanged and still treats `id` as the primary key: `id` stays an identity
column drawn from one sequence, so it is unique across partitions. A second row with the same
chain and sequence cannot be written by the application (the chain's head row is locked for every
append, ADR 0020) and, if written by hand, is found by verification as a row out of place.

The rows are copied into the new table (INSERT, never UPDATE or DELETE), the old table is
dropped, the other indexes and foreign keys are made again under their own names on the
partitioned table, and the append-only trigger of 0002 is made on it (PostgreSQL puts it on every
partition). Partitions exist for every month from the oldest row to three months ahead, and a
DEFAULT partition catches anything else. On SQLite nothing happens.
"""

from django.db import migrations
from django.utils import timezone

from meldwijzer.audit import partitions

TABLE = partitions.TABLE
OLD = f"{TABLE}_unpartitioned"
# The unique constraints Django made, as the partitioned table has them.
UNIQUE = {
    "pkey": f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id, occurred_at)',
    "chain_sequence": f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_chain_sequence" '
    "UNIQUE (chain, sequence, occurred_at)",
    "entry_hash": f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_entry_hash_key" '
    "UNIQUE (entry_hash, occurred_at)",
}
TRIGGER = f"""
CREATE TRIGGER audit_accesslogentry_no_update_delete
    BEFORE UPDATE OR DELETE ON "{TABLE}"
    FOR EACH ROW EXECUTE FUNCTION audit_accesslogentry_append_only()
"""


def _definitions(cursor):
    """The non-unique indexes and the foreign keys of the table, as SQL that makes them again."""
    cursor.execute(
        "SELECT indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = %s AND NOT x.indisunique",
        [TABLE],
    )
    indexes = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [TABLE],
    )
    foreign_keys = [
        f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{name}" {definition}'
        for name, definition in cursor.fetchall()
    ]
    return indexes, foreign_keys


def _rebuild(cursor, *, partitioned):
    """Copy the access log into a new table, partitioned by month or plain, in its place."""
    indexes, foreign_keys = _definitions(cursor)
    cursor.execute(f'ALTER TABLE "{TABLE}" RENAME TO "{OLD}"')
    cursor.execute(f'ALTER SEQUENCE IF EXISTS "{TABLE}_id_seq" RENAME TO "{OLD}_id_seq"')
    # Index names are unique in the schema: free them for the new table.
    cursor.execute(
        "SELECT c.relname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
        "WHERE x.indrelid = %s::regclass",
        [OLD],
    )
    for number, (name,) in enumerate(cursor.fetchall()):
        cursor.execute(f'ALTER INDEX "{name}" RENAME TO "{OLD}_index_{number}"')
    how = " PARTITION BY RANGE (occurred_at)" if partitioned else ""
    cursor.execute(
        f'CREATE TABLE "{TABLE}" (LIKE "{OLD}" INCLUDING DEFAULTS INCLUDING IDENTITY){how}'
    )
    if partitioned:
        cursor.execute(f'SELECT min(occurred_at) FROM "{OLD}"')  # noqa: S608
        oldest = cursor.fetchone()[0]
        now = timezone.now()
        first = partitions.Month.of(oldest or now)
        last = partitions.Month.of(now)
        for _ in range(partitions.MONTHS_AHEAD):
            last = last.next()
        for month in partitions.months_between(first, last):
            partitions._create_month(cursor, month)
        cursor.execute(
            f'CREATE TABLE "{partitions.DEFAULT_PARTITION}" PARTITION OF "{TABLE}" DEFAULT'
        )
    cursor.execute(f'INSERT INTO "{TABLE}" SELECT * FROM "{OLD}"')  # noqa: S608
    cursor.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{OLD}"')  # noqa: S608
    next_id = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('\"{TABLE}\"', 'id'), %s, false)", [next_id]
    )
    cursor.execute(f'DROP TABLE "{OLD}"')
    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{TABLE}"'])
    sequence = cursor.fetchone()[0]
    if sequence and sequence != f"public.{TABLE}_id_seq":
        cursor.execute(f'ALTER SEQUENCE {sequence} RENAME TO "{TABLE}_id_seq"')
    if partitioned:
        statements = UNIQUE.values()
    else:
        statements = [
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_pkey" PRIMARY KEY (id)',
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_chain_sequence" '
            "UNIQUE (chain, sequence)",
            f'ALTER TABLE "{TABLE}" ADD CONSTRAINT "{TABLE}_entry_hash_key" UNIQUE (entry_hash)',
        ]
    for statement in [*statements, *indexes, *foreign_keys, TRIGGER]:
        cursor.execute(statement)


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_alter_accesslogentry_purpose")]
    operations = [migrations.RunPython(partition, unpartition)]
