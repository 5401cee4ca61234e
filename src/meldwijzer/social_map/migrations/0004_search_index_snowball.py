"""Index every service again: both databases now stem with the Snowball Dutch stemmer, and the
PostgreSQL vector no longer holds a second copy stemmed differently."""

from django.db import migrations


def reindex(apps, schema_editor):
    # A new database has nothing to index; an existing one is indexed with today's code, which
    # works on the tables as they are at this migration.
    if not apps.get_model("social_map", "Service").objects.exists():
        return
    from meldwijzer.social_map.services import search_index_rebuild

    search_index_rebuild()


class Migration(migrations.Migration):
    dependencies = [("social_map", "0003_service_text")]
    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
