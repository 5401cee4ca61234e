"""The table of the shared cache on PostgreSQL (`settings.CACHE_TABLE`, docs/adr/0039).

Made by a migration rather than by `createcachetable`, so that every database `meldwijzer
migrate` prepares has it, whatever cache the process that migrates is configured with. On SQLite
the table is made too but stays empty: the cache is files there."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# `settings.CACHE_TABLE`; written out, so that this migration means the same whatever settings say.
TABLE = "meldwijzer_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create, drop, elidable=False)]
