"""Instrument-result entries written before the dossier read them on their own get the outcome as
codes.

The case page and the report to Veilig Thuis now read an instrument's result from its dossier
entry only (the `cases` app does not know the instruments app). An entry written earlier holds the
instrument's title, version and the summary text; this adds what the result itself already stored
in the same transaction: the instrument's key and kind, the digest of the definition version, and
the outcome's scores, markings, family profiles and forms of violence as codes with their labels,
and the note. Only these keys are added, taken from the immutable result; nothing the professional
saw or wrote in the entry changes, so no correcting entry is made (a correction would show a
change by someone who changed nothing). The kind is read here from the stored definition text,
with the labels as they are today, so this migration does not depend on later code.
"""

import yaml
from django.db import migrations

BATCH = 500
KIND_LABELS = {
    "screening": "Screeningshulpmiddel",
    "risk_assessment": "Risicotaxatie-instrument",
}


def _kind_label(source_text):
    try:
        raw = yaml.safe_load(source_text)
    except yaml.YAMLError:
        return ""
    if not isinstance(raw, dict):
        return ""
    if raw.get("format_example"):
        return "Voorbeeld van het formaat (geen gevalideerd instrument)"
    kind = str(raw.get("kind", ""))
    label = KIND_LABELS.get(kind, kind)
    return f"{label}, gevalideerd" if raw.get("validated") else f"{label}, niet gevalideerd"


def _codes(items):
    return [{"code": item["code"], "label": item["label"]} for item in items or []]


def add_outcome_codes(apps, schema_editor):
    Entry = apps.get_model("cases", "Entry")
    InstrumentResult = apps.get_model("instruments", "InstrumentResult")
    results = (
        InstrumentResult.objects.exclude(entry__data__has_key="outcome")
        .select_related("entry", "definition")
        .order_by("pk")
    )
    kinds = {}
    changed = []
    for result in results.iterator(chunk_size=BATCH):
        definition = result.definition
        if definition.pk not in kinds:
            kinds[definition.pk] = _kind_label(definition.source_text)
        outcome = result.outcome or {}
        entry = result.entry
        entry.data = {
            **entry.data,
            "instrument_key": result.key,
            "instrument_kind": kinds[definition.pk],
            "definition_digest": result.digest,
            "outcome": {
                "scores": [
                    {k: s[k] for k in ("id", "label", "value", "highest", "band", "band_label")}
                    for s in outcome.get("scores", [])
                ],
                "flags": _codes(outcome.get("flags")),
                "profiles": _codes(outcome.get("profiles")),
                "violence": _codes(outcome.get("violence")),
                "note": str(outcome.get("note", "")),
            },
        }
        changed.append(entry)
        if len(changed) == BATCH:
            Entry.objects.bulk_update(changed, ["data"])
            changed = []
    if changed:
        Entry.objects.bulk_update(changed, ["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("instruments", "0002_definition_based_on"),
        ("cases", "0005_case_client_pseudonym"),
    ]

    operations = [
        migrations.RunPython(add_outcome_codes, migrations.RunPython.noop),
    ]
