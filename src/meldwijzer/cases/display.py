"""How dossier entries read on the case page: labelled values, corrections, and the history.

Only formatting: the data comes from `cases.selectors.case_dossier`, the labels from the entry
forms in `cases.entries`, so a new field shows up without a template change.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from meldwijzer.cases import guidance
from meldwijzer.cases.entries import ENTRY_FORMS, INSTRUMENT_CODE_FIELDS, SIGNAL_CATEGORIES
from meldwijzer.cases.frameworks import framework_for
from meldwijzer.cases.models import Entry, EntryKind, Outcome, PhaseChange
from meldwijzer.cases.selectors import Dossier
from meldwijzer.cases.workflow import STEP_INFO, STEPS

_EXTRA_LABELS = {
    "question": "Afweging",
    "answer": "Antwoord",
    "reasoning": "Toelichting",
    "outcome": "Besluit",
    "indicated": "Wat het afwegingskader aangaf",
    "follows_framework": "Volgt het afwegingskader",
    "justification": "Onderbouwing",
    "agreements": "Afspraken",
    "review_date": "Evaluatiedatum",
    "instrument": "Instrument",
    "instrument_version": "Versie",
    "scores": "Uitkomst",
    "suggested_profiles": "Mogelijke gezinsprofielen",
    "suggested_violence": "Mogelijke vormen van geweld",
    "flags": "Markeringen",
    "kinds": "Soort onveiligheid",
    "urgency": "Onveiligheid",
    "missing": "Nog niet gedaan (direct gemeld)",
    "unidentified_reason": "Waarom niemand te identificeren is",
    "consultant_name": "Geregistreerde aandachtsfunctionaris",
}
_HIDDEN = {
    "framework",
    "framework_version",
    "source_confidential",
    "interpretation_by_confidential",
    "fast_path",
    "skipped_steps",
    "consultant_id",
}
# A name and the mark that keeps it out of reports: the page shows the name with a badge.
_CONFIDENTIAL_NAMES = {
    "source_name": ("source_confidential", "Vertrouwelijke bron"),
    "interpretation_by": ("interpretation_by_confidential", "Vertrouwelijk"),
}
URGENCY_LABELS = {"acuut": "Acute onveiligheid", "structureel": "Structurele onveiligheid"}


def fact_rows(entries: list[Entry]) -> list[dict[str, str]]:
    """Signals or counter-signals in short: date, kind and the facts, for beside a question."""
    kinds = dict(SIGNAL_CATEGORIES)
    return [
        {
            "date": date_text(str(entry.data.get("date", ""))),
            "kind": kinds.get(str(entry.data.get("category", "")), ""),
            "facts": str(entry.data.get("facts", "")),
        }
        for entry in entries
    ]


@dataclass
class Row:
    label: str
    value: str
    badge: str = ""


@dataclass
class EntryView:
    """One entry as the page shows it, its labels and times written out once (`dossier_view`)."""

    entry: Entry
    rows: list[Row]
    corrected_by: Entry | None = None
    confidential: bool = False
    label: str = ""
    at: str = ""  # dd-mm-jjjj uu:mm, local time
    author: str = ""
    corrects_at: str = ""
    corrected_at: str = ""
    corrected_author: str = ""

    @property
    def kind(self) -> str:
        return self.entry.kind


@dataclass
class HistoryItem:
    at: datetime.datetime
    entry: EntryView | None = None
    phase_change: PhaseChange | None = None


@dataclass
class DossierView:
    current: dict[str, list[EntryView]] = field(default_factory=dict)
    history: list[HistoryItem] = field(default_factory=list)


def moment_text(moment: datetime.datetime) -> str:
    """A stored moment as the reader writes it, in local time (dd-mm-jjjj uu:mm)."""
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M")


def author_text(user: AbstractUser) -> str:
    """Who wrote something: the full name, or the username when there is none."""
    return user.get_full_name() or user.username


def date_text(value: str) -> str:
    """An ISO date from an entry as the reader writes it (dd-mm-jjjj)."""
    try:
        return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
    except ValueError:
        return value


def _format(name: str, value: Any, choices: dict[str, str]) -> str:
    if isinstance(value, bool):
        return "Ja" if value else "Nee"
    if isinstance(value, list):
        return "; ".join(choices.get(str(item), str(item)) for item in value)
    if name in ("date", "review_date") and isinstance(value, str):
        return date_text(value)
    if value is None:
        return ""
    return choices.get(str(value), str(value))


def entry_rows(entry: Entry) -> list[Row]:
    """The entry's fields with their labels, empty values left out."""
    form_class = ENTRY_FORMS.get(entry.kind)
    labels: dict[str, str] = dict(_EXTRA_LABELS)
    choices: dict[str, dict[str, str]] = {}
    if form_class is not None:
        for name, form_field in form_class.base_fields.items():
            labels[name] = str(form_field.label)
            if hasattr(form_field, "choices"):
                choices[name] = {str(k): str(v) for k, v in form_field.choices}
    if entry.kind == "weighing":
        framework = framework_for(str(entry.data.get("framework", "")))
        question = framework.questions.get(str(entry.data.get("question")))
        choices["question"] = {question.id: question.text} if question else {}
        choices["answer"] = {"ja": "Ja", "nee": "Nee"}
        choices["kinds"] = URGENCY_LABELS
    if entry.kind == "decision":
        choices["outcome"] = dict(Outcome.choices)
        choices["indicated"] = guidance.indications().texts
        choices["urgency"] = URGENCY_LABELS
    hidden = _HIDDEN | set(INSTRUMENT_CODE_FIELDS) if entry.kind == "instrument_result" else _HIDDEN
    rows = []
    for name, value in entry.data.items():
        if name in hidden or value in ("", None, []):
            continue
        mark, badge = _CONFIDENTIAL_NAMES.get(name, ("", ""))
        if not entry.data.get(mark):
            badge = ""
        rows.append(Row(labels.get(name, name), _format(name, value, choices.get(name, {})), badge))
    return rows


def dossier_view(dossier: Dossier) -> DossierView:
    views: dict[int, EntryView] = {}
    by_pk = {entry.pk: entry for entry in dossier.entries}
    for entry in dossier.entries:
        corrected_by = dossier.corrections.get(entry.pk)
        corrects = by_pk.get(entry.corrects_id) if entry.corrects_id else None
        views[entry.pk] = EntryView(
            entry=entry,
            rows=entry_rows(entry),
            corrected_by=corrected_by,
            confidential=any(entry.data.get(mark) for mark, _ in _CONFIDENTIAL_NAMES.values()),
            label=entry.get_kind_display(),
            at=moment_text(entry.created_at),
            author=author_text(entry.author),
            corrects_at=moment_text(corrects.created_at) if corrects else "",
            corrected_at=moment_text(corrected_by.created_at) if corrected_by else "",
            corrected_author=author_text(corrected_by.author) if corrected_by else "",
        )
    current: dict[str, list[EntryView]] = {}
    for kind, entries in dossier.by_kind.items():
        current[kind] = [views[entry.pk] for entry in entries]
    history = [HistoryItem(at=view.entry.created_at, entry=view) for view in views.values()]
    history += [
        HistoryItem(at=change.created_at, phase_change=change) for change in dossier.phase_changes
    ]
    history.sort(key=lambda item: item.at)
    return DossierView(current=current, history=history)


@dataclass(frozen=True)
class InstrumentSummary:
    """The latest result of one instrument in a case, as its dossier entry holds it."""

    entry: Entry
    title: str
    scores: list[dict[str, Any]]
    profile_labels: list[str]
    violence_labels: list[str]

    @property
    def recorded_at(self) -> datetime.datetime:
        return self.entry.created_at


def instrument_outcomes(dossier: Dossier) -> list[InstrumentSummary]:
    """The latest result per instrument in the case, newest first, read from the entries."""
    latest: dict[str, Entry] = {}
    for entry in dossier.by_kind.get(EntryKind.INSTRUMENT_RESULT, []):
        latest[str(entry.data.get("instrument_key") or entry.data.get("instrument", ""))] = entry
    summaries = []
    for entry in sorted(latest.values(), key=lambda e: e.created_at, reverse=True):
        outcome = entry.data.get("outcome") or {}
        summaries.append(
            InstrumentSummary(
                entry=entry,
                title=str(entry.data.get("instrument", "")),
                scores=list(outcome.get("scores", [])),
                profile_labels=[str(p["label"]) for p in outcome.get("profiles", [])],
                violence_labels=[str(v["label"]) for v in outcome.get("violence", [])],
            )
        )
    return summaries


def step_indicator(phase: str, skipped: frozenset[int] = frozenset()) -> list[dict[str, Any]]:
    """Steps 1–5 with their state: done, skipped (reported at once before it was done), current
    or to come."""
    position = STEPS.index(phase) if phase in STEPS else len(STEPS)

    def state(index: int, number: int) -> str:
        if index < position:
            return "skipped" if number in skipped else "done"
        return "current" if index == position else "todo"

    return [
        {
            "number": STEP_INFO[step].number,
            "short": STEP_INFO[step].short,
            "state": state(index, STEP_INFO[step].number),
        }
        for index, step in enumerate(STEPS)
    ]


def skipped_steps(dossier: Dossier) -> frozenset[int]:
    """The steps whose requirements were still missing when the case was reported at once."""
    decisions = dossier.by_kind.get("decision", [])
    last = decisions[-1] if decisions else None
    if last is None or not last.data.get("fast_path"):
        return frozenset()
    return frozenset(int(number) for number in last.data.get("skipped_steps", []))
