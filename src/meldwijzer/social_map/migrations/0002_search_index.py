"""Full-text search on each database's own terms.

PostgreSQL: a GIN index on `Service.search_vector` (Dutch `tsvector`, filled by the service
functions). SQLite: an FTS5 virtual table with one row per service (rowid = service id), kept in
sync by the same service functions; `unicode61` with `remove_diacritics 2` folds accents and case.
"""

from django.db import migrations

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE social_map_service_fts USING fts5("
    "name, names, body, terms, tokenize = 'unicode61 remove_diacritics 2')"
)
SQLITE_DROP = "DROP TABLE IF EXISTS social_map_service_fts"
POSTGRES_CREATE = (
    "CREATE INDEX social_map_service_search_gin ON social_map_service USING gin (search_vector)"
)
POSTGRES_DROP = "DROP INDEX IF EXISTS social_map_service_search_gin"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("social_map", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
