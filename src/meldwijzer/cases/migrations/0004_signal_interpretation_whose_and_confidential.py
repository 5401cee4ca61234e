"""Signals recorded before whose interpretation it is was asked get that answer explicitly.

Until now the report withheld the interpreter's name only when it was spelled exactly like a
confidential source's name, so "Fatima Bouzid" as interpreter of the confidential source "Fatima
Bouzid (buurvrouw)" reached the report. Names are not compared any more: each name carries its
own mark. For the signals already in dossiers the interpreter stays as written (someone else,
`ander`), and is marked confidential whenever the signal's source was confidential — we cannot
tell whether it is the same person, so the name stays in the dossier and out of every report.
Only these two keys are added; what the professional wrote is not changed.
"""

from django.db import migrations

BATCH = 500


def mark_interpreters(apps, schema_editor):
    Entry = apps.get_model("cases", "Entry")
    signals = Entry.objects.filter(kind="signal").exclude(data__has_key="interpretation_of")
    changed = []
    for entry in signals.only("pk", "data").iterator(chunk_size=BATCH):
        data = dict(entry.data)
        interpreted = bool(data.get("interpretation"))
        data["interpretation_of"] = "ander" if interpreted else ""
        data["interpretation_by_confidential"] = interpreted and bool(
            data.get("source_confidential")
        )
        entry.data = data
        changed.append(entry)
        if len(changed) == BATCH:
            Entry.objects.bulk_update(changed, ["data"])
            changed = []
    if changed:
        Entry.objects.bulk_update(changed, ["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_persons_identified_client"),
    ]

    operations = [
        migrations.RunPython(mark_interpreters, migrations.RunPython.noop),
    ]
