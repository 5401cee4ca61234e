"""Adjusting an instrument without writing YAML: what a functioneel beheerder may change, how the
change becomes the data of a new version, and what changed.

An adjustment always starts from a *base*: the shipped definition, or the version the
organisation uploaded last. The beheerder may change the title and the introduction, each
question's text and help text, switch questions off, and change the names and limits of the
bands. Everything else — the answers a question allows, points, scores, rules, what the outcome
suggests — stays as in the base. `edit_definition_data` applies the change to the base's data;
the loader then checks the result exactly as it checks an uploaded file, so bands that leave a gap
or overlap are refused with the loader's own message (`services.instrument_edit_save`).

A question can be switched off when no rule names it: the scores that counted it then simply
reach a lower total, and the loader checks that the bands still fit. Switching a question off in a
later adjustment and on again is possible because each adjustment starts from the same base.

Pure functions, no database.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from meldwijzer.instruments.format import Instrument, Item, Score, Section

VERSION_MAX = 20
LOCKED_BY_RULE = "Kan niet uit: een regel van dit instrument gebruikt deze vraag."


@dataclass(frozen=True)
class QuestionEdit:
    text: str
    help: str
    enabled: bool = True


@dataclass(frozen=True)
class BandEdit:
    label: str
    minimum: int | None
    maximum: int | None


@dataclass(frozen=True)
class InstrumentEdit:
    """What the beheerder wants the new version to say. Anything left out (None, or a question
    or band not listed) stays as it is in the current version."""

    title: str | None = None
    description: str | None = None
    questions: Mapping[str, QuestionEdit] = field(default_factory=dict)
    bands: Mapping[str, Mapping[str, BandEdit]] = field(default_factory=dict)
    enabled: bool | None = None
    """Switch the instrument on or off for the professionals at the same time."""


@dataclass(frozen=True)
class EditorQuestion:
    item: Item
    """The question as the base has it (its type, answers and points)."""
    text: str
    help: str
    enabled: bool
    """Whether the current version asks it."""
    locked: str = ""
    """Why it cannot be switched off; empty when it can."""


@dataclass(frozen=True)
class EditorSection:
    section: Section
    questions: tuple[EditorQuestion, ...]


@dataclass(frozen=True)
class Editor:
    """An instrument as the editor shows it: the base's questions with the current version's
    texts, and the current version's bands."""

    key: str
    base: Instrument
    current: Instrument
    sections: tuple[EditorSection, ...]

    @property
    def scores(self) -> tuple[Score, ...]:
        return self.current.scores

    def questions(self) -> Iterator[EditorQuestion]:
        for section in self.sections:
            yield from section.questions


def _rule_items(condition: Any) -> Iterator[str]:
    """The question ids a rule's `when` names directly (by 'item' or in an 'items' list)."""
    if isinstance(condition, dict):
        if isinstance(condition.get("item"), str):
            yield condition["item"]
        if isinstance(condition.get("items"), list):
            yield from (str(i) for i in condition["items"])
        for key in ("all", "any"):
            for part in condition.get(key, []) if isinstance(condition.get(key), list) else []:
                yield from _rule_items(part)
        if "not" in condition:
            yield from _rule_items(condition["not"])


def rule_questions(base_data: Mapping[str, Any]) -> set[str]:
    """Questions that a rule of the base names: these cannot be switched off."""
    return {
        item
        for rule in base_data.get("rules", [])
        if isinstance(rule, dict)
        for item in _rule_items(rule.get("when"))
    }


def editor(key: str, base: Instrument, base_data: Mapping[str, Any], current: Instrument) -> Editor:
    locked = rule_questions(base_data)
    sections = []
    for section in base.sections:
        questions = []
        for item in section.items:
            now = current.items.get(item.id)
            questions.append(
                EditorQuestion(
                    item=item,
                    text=now.text if now else item.text,
                    help=now.help if now else item.help,
                    enabled=now is not None,
                    locked=LOCKED_BY_RULE if item.id in locked else "",
                )
            )
        sections.append(EditorSection(section, tuple(questions)))
    return Editor(key=key, base=base, current=current, sections=tuple(sections))


def resolved(editor: Editor, edit: InstrumentEdit) -> InstrumentEdit:
    """The edit with everything it leaves out filled in from the current version."""
    questions = {
        q.item.id: edit.questions.get(q.item.id, QuestionEdit(q.text, q.help, q.enabled))
        for q in editor.questions()
    }
    bands = {
        score.id: {
            band.code: edit.bands.get(score.id, {}).get(
                band.code, BandEdit(band.label, band.minimum, band.maximum)
            )
            for band in score.bands
        }
        for score in editor.scores
    }
    return InstrumentEdit(
        title=editor.current.title if edit.title is None else edit.title,
        description=editor.current.description if edit.description is None else edit.description,
        questions=questions,
        bands=bands,
        enabled=edit.enabled,
    )


def unknown_parts(editor: Editor, edit: InstrumentEdit) -> list[tuple[tuple[str, ...], str]]:
    """Questions, scores and bands the edit names that the instrument does not have."""
    problems: list[tuple[tuple[str, ...], str]] = []
    known = {q.item.id for q in editor.questions()}
    for item_id in edit.questions:
        if item_id not in known:
            problems.append((("question", item_id), "deze vraag bestaat niet in dit instrument"))
    scores = {score.id: score for score in editor.scores}
    for score_id, bands in edit.bands.items():
        score = scores.get(score_id)
        if score is None:
            problems.append((("score", score_id), "deze score bestaat niet in dit instrument"))
            continue
        codes = {band.code for band in score.bands}
        for code in bands:
            if code not in codes:
                problems.append((("band", score_id, code), "deze band bestaat niet in deze score"))
    return problems


def switch_problems(editor: Editor, edit: InstrumentEdit) -> list[tuple[tuple[str, ...], str]]:
    """Questions that may not be switched off, and parts that would be left without questions."""
    problems: list[tuple[tuple[str, ...], str]] = []
    for question in editor.questions():
        wanted = edit.questions.get(question.item.id)
        if wanted is not None and not wanted.enabled and question.locked:
            problems.append((("question", question.item.id, "enabled"), question.locked))
    for section in editor.sections:
        asked = [
            q
            for q in section.questions
            if (wanted := edit.questions.get(q.item.id)) is None or wanted.enabled
        ]
        if not asked:
            last = section.questions[-1].item.id
            problems.append(
                (
                    ("question", last, "enabled"),
                    f"‘{section.section.title}’ houdt minstens één vraag; zet niet alle vragen "
                    "van dit onderdeel uit",
                )
            )
    return problems


def edit_definition_data(
    base_data: Mapping[str, Any], edit: InstrumentEdit, *, version: str
) -> dict[str, Any]:
    """The data of the new version: the base with the (resolved) edit applied."""
    data = copy.deepcopy(dict(base_data))
    data["version"] = version
    if edit.title is not None:
        data["title"] = edit.title
    if edit.description is not None:
        data["description"] = edit.description
    off: set[str] = set()
    for section in data["sections"]:
        items = []
        for item in section["items"]:
            wanted = edit.questions.get(item["id"])
            if wanted is not None:
                if not wanted.enabled:
                    off.add(item["id"])
                    continue
                item["text"] = wanted.text
                if wanted.help:
                    item["help"] = wanted.help
                else:
                    item.pop("help", None)
            items.append(item)
        section["items"] = items
    for score in data.get("scores", []):
        if "items" in score:
            score["items"] = [item for item in score["items"] if item not in off]
        for band in score["bands"]:
            wanted_band = edit.bands.get(score["id"], {}).get(band["code"])
            if wanted_band is None:
                continue
            band["label"] = wanted_band.label
            for name, value in (("min", wanted_band.minimum), ("max", wanted_band.maximum)):
                if value is None:
                    band.pop(name, None)
                else:
                    band[name] = value
    return data


class _Dumper(yaml.SafeDumper):
    """Plain YAML without anchors, which the loader refuses."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def definition_text(data: Mapping[str, Any], *, note: str) -> str:
    """The new version as a definition file, with a comment saying where it came from."""
    comment = "".join(f"# {line}\n" for line in note.splitlines())
    body = yaml.dump(
        dict(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )
    return comment + body


def next_version(base_version: str, taken: set[str]) -> str:
    """The version number of an adjustment: the base's number with a counter, '2.0-1', '2.0-2'."""
    number = 1
    while True:
        suffix = f"-{number}"
        candidate = base_version[: VERSION_MAX - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        number += 1


def adjustment_note(*, organisation: str, base: Instrument, on: datetime.date) -> str:
    return (
        f"{base.title}, aangepast door {organisation} op {on:%d-%m-%Y} op de beheerpagina van "
        f"Meldwijzer,\nuitgaande van versie {base.version}."
    )


# --- What changed ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two versions, in words."""

    subject: str
    """What changed: 'Naam', 'Vraag ‘…’', 'Band ‘Laag’ van ‘Risicofactoren’'."""
    summary: str
    """How, in a few words: 'uitgezet', 'tekst gewijzigd', '0 tot en met 3 → 0 tot en met 4'."""
    before: str = ""
    after: str = ""


def _limits(minimum: int | None, maximum: int | None) -> str:
    if minimum is None and maximum is None:
        return "elke score"
    if minimum is None:
        return f"tot en met {maximum}"
    if maximum is None:
        return f"{minimum} of meer"
    if minimum == maximum:
        return f"precies {minimum}"
    return f"{minimum} tot en met {maximum}"


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def changes(old: Instrument, new: Instrument) -> list[Change]:
    """What is different in `new` compared with `old`, in the order of the form."""
    found: list[Change] = []
    if old.title != new.title:
        found.append(Change("Naam", "gewijzigd", old.title, new.title))
    if old.description != new.description:
        found.append(Change("Inleiding", "gewijzigd", old.description, new.description))
    new_items, old_items = new.items, old.items
    order = list(dict.fromkeys([*old_items, *new_items]))
    for item_id in order:
        before, after = old_items.get(item_id), new_items.get(item_id)
        if after is None and before is not None:
            found.append(Change(f"Vraag ‘{_short(before.text)}’", "uitgezet"))
            continue
        if before is None and after is not None:
            found.append(Change(f"Vraag ‘{_short(after.text)}’", "aangezet"))
            continue
        assert before is not None and after is not None
        if before.text != after.text:
            found.append(
                Change(f"Vraag ‘{_short(before.text)}’", "tekst gewijzigd", before.text, after.text)
            )
        if before.help != after.help:
            found.append(
                Change(
                    f"Vraag ‘{_short(after.text)}’",
                    "toelichting gewijzigd",
                    before.help or "(geen)",
                    after.help or "(geen)",
                )
            )
    old_scores = {score.id: score for score in old.scores}
    for score in new.scores:
        earlier = old_scores.get(score.id)
        if earlier is None:
            continue
        if earlier.highest != score.highest:
            found.append(
                Change(
                    f"Score ‘{score.label}’",
                    f"hoogst mogelijke score {earlier.highest} → {score.highest}",
                )
            )
        old_bands = {band.code: band for band in earlier.bands}
        for band in score.bands:
            was = old_bands.get(band.code)
            if was is None:
                continue
            parts = []
            if was.label != band.label:
                parts.append(f"naam ‘{was.label}’ → ‘{band.label}’")
            if (was.minimum, was.maximum) != (band.minimum, band.maximum):
                parts.append(
                    f"{_limits(was.minimum, was.maximum)} → {_limits(band.minimum, band.maximum)}"
                )
            if parts:
                found.append(Change(f"Band ‘{was.label}’ van ‘{score.label}’", "; ".join(parts)))
    return found
