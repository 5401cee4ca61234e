"""Load the municipalities (CBS 2021) that ship with the product."""

from django.db import migrations


def load(apps, schema_editor):
    from meldwijzer.organisations.reference import municipality_rows

    Municipality = apps.get_model("organisations", "Municipality")
    existing = set(Municipality.objects.values_list("name", flat=True))
    Municipality.objects.bulk_create(
        Municipality(name=row["gemeente"], province=row["provincie"], region=row["ggdregio"])
        for row in municipality_rows()
        if row["gemeente"] not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
