"""The SQLite full-text index as a (read-only, unmanaged) model, so searches can join it, and its
ranking: BM25 with weights per column (name 10, other names 4, descriptions 1, terms 2.5)."""

import django.db.models.deletion
from django.db import migrations, models

import meldwijzer.social_map.models

RANK = "INSERT INTO social_map_service_fts (social_map_service_fts, rank) VALUES ('rank', %s)"


def set_rank(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(RANK, params=["bm25(10.0, 4.0, 1.0, 2.5)"])


class Migration(migrations.Migration):
    dependencies = [("social_map", "0002_search_index")]

    operations = [
        migrations.CreateModel(
            name="ServiceText",
            fields=[
                (
                    "service",
                    models.OneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="text_index",
                        serialize=False,
                        to="social_map.service",
                    ),
                ),
                (
                    "document",
                    meldwijzer.social_map.models.FullTextField(db_column="social_map_service_fts"),
                ),
                ("rank", models.FloatField(db_column="rank")),
            ],
            options={"db_table": "social_map_service_fts", "managed": False},
        ),
        migrations.RunPython(set_rank, migrations.RunPython.noop),
    ]
