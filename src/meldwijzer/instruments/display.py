"""How results read on the pages: the outcome with its reasons in words, the answers per section,
and several results side by side. Only formatting; the outcome itself is stored with the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from meldwijzer.instruments.format import YES, Instrument
from meldwijzer.instruments.models import InstrumentResult
from meldwijzer.instruments.profiles import PROFILES
from meldwijzer.instruments.scoring import is_answered
from meldwijzer.instruments.selectors import definition_instrument

LEVEL_LABELS = {"urgent": "Dringend", "attention": "Aandacht", "info": "Ter informatie"}


def _reason(
    reason: dict[str, Any], instrument: Instrument, answers: dict[str, Any]
) -> dict[str, Any]:
    items = instrument.items
    return {
        "text": reason.get("text", ""),
        "answers": [
            {
                "question": items[item_id].text if item_id in items else item_id,
                "answer": (
                    items[item_id].answer_label(answers.get(item_id))
                    if item_id in items
                    else str(answers.get(item_id))
                ),
            }
            for item_id in reason.get("items", [])
        ],
    }


def _suggestions(
    entries: list[dict[str, Any]], instrument: Instrument, answers: dict[str, Any]
) -> list[dict[str, Any]]:
    return [
        {
            **entry,
            "level_label": LEVEL_LABELS.get(entry.get("level", ""), ""),
            "reasons": [_reason(r, instrument, answers) for r in entry.get("reasons", [])],
            "profile": PROFILES.get(entry["code"]),
        }
        for entry in entries
    ]


def outcome_view(result: InstrumentResult) -> dict[str, Any]:
    """The stored outcome of a result, with every reason spelled out in questions and answers."""
    instrument = definition_instrument(result.definition)
    outcome, answers = result.outcome, result.answers
    return {
        "instrument": instrument,
        "scores": [
            {**s, "percent": round(100 * s["value"] / s["highest"]) if s["highest"] else 0}
            for s in outcome.get("scores", [])
        ],
        "flags": _suggestions(outcome.get("flags", []), instrument, answers),
        "profiles": _suggestions(outcome.get("profiles", []), instrument, answers),
        "violence": _suggestions(outcome.get("violence", []), instrument, answers),
        "recommendations": [
            {
                "text": rec["text"],
                "reasons": [_reason(r, instrument, answers) for r in rec.get("reasons", [])],
            }
            for rec in outcome.get("recommendations", [])
        ],
        "note": outcome.get("note", ""),
        "sections": answers_by_section(instrument, answers),
    }


def answers_by_section(instrument: Instrument, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Each section with its answered questions; 'ja' answers are marked present."""
    sections = []
    for section in instrument.sections:
        rows = [
            {
                "item": item,
                "answer": item.answer_label(answers.get(item.id)),
                "answered": is_answered(answers.get(item.id)),
                "present": answers.get(item.id) == YES,
            }
            for item in section.items
        ]
        sections.append(
            {
                "section": section,
                "rows": rows,
                "present": [row for row in rows if row["present"]],
            }
        )
    return sections


@dataclass
class Comparison:
    results: list[InstrumentResult]
    scores: list[dict[str, Any]] = field(default_factory=list)
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)


def comparison(results: list[InstrumentResult]) -> Comparison:
    """Results of one instrument side by side, oldest first: scores, suggestions, then every
    question. Questions come from the newest version; questions only older versions had follow."""
    compared = Comparison(results=results)
    score_rows: dict[str, dict[str, Any]] = {}
    for index, result in enumerate(results):
        for s in result.outcome.get("scores", []):
            row = score_rows.setdefault(
                s["id"], {"label": s["label"], "cells": [None] * len(results)}
            )
            row["cells"][index] = s
    compared.scores = list(score_rows.values())
    for kind, label in (
        ("flags", "Markeringen"),
        ("profiles", "Gezinsprofielen"),
        ("violence", "Vormen van geweld"),
    ):
        rows: dict[str, dict[str, Any]] = {}
        for index, result in enumerate(results):
            for entry in result.outcome.get(kind, []):
                row = rows.setdefault(
                    entry["code"], {"label": entry["label"], "cells": [False] * len(results)}
                )
                row["cells"][index] = True
        if rows:
            compared.suggestions.append({"label": label, "rows": list(rows.values())})
    instruments = [definition_instrument(result.definition) for result in results]
    newest = instruments[-1]
    seen: set[str] = set()
    for section in newest.sections:
        compared.sections.append(
            {
                "title": section.title,
                "rows": [
                    _question_row(item.id, item.text, results, instruments)
                    for item in section.items
                ],
            }
        )
        seen |= {item.id for item in section.items}
    older = [
        item
        for instrument in instruments
        for item in instrument.items.values()
        if item.id not in seen
    ]
    if older:
        unique = list({item.id: item for item in older}.values())
        compared.sections.append(
            {
                "title": "Vragen uit eerdere versies",
                "rows": [_question_row(i.id, i.text, results, instruments) for i in unique],
            }
        )
    return compared


def _question_row(
    item_id: str, text: str, results: list[InstrumentResult], instruments: list[Instrument]
) -> dict[str, Any]:
    cells = []
    for result, instrument in zip(results, instruments, strict=True):
        item = instrument.items.get(item_id)
        value = result.answers.get(item_id)
        cells.append("—" if item is None else item.answer_label(value))
    changed = len(set(cells)) > 1
    return {"text": text, "cells": cells, "changed": changed}
