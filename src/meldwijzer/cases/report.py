"""The report to Veilig Thuis (melding): what a professional hands over when they report.

`case_report` gathers the dossier into one plain structure that the print page, the PDF, the JSON
download and the API all render. It holds only the latest version of each entry (with a note when
it was corrected), and it never holds the name of a person the professional marked confidential —
the source of a signal, or whoever an interpretation is from: the meldrecht lets the reporter's
sources stay unknown to the family, so the name stays in the dossier and the report says only
that the reporter knows it. An interpretation of the source points at the source and shares its
mark; names are never compared. Reading it is access-logged as a print or an export.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.cases import guidance
from meldwijzer.cases.display import URGENCY_LABELS
from meldwijzer.cases.entries import (
    CONSULTED,
    FEEDBACK_ACTIONS,
    INTERPRETATION_BY_OTHER,
    INTERPRETATION_BY_RECORDER,
    INTERPRETATION_BY_SOURCE,
    NOT_INFORMED_REASONS,
    REFLECTION,
    REPORT_CHANNELS,
    SIGNAL_CATEGORIES,
    SKIP_REASONS,
    SOURCES,
)
from meldwijzer.cases.frameworks import framework_for
from meldwijzer.cases.models import (
    Authority,
    Case,
    Entry,
    EntryKind,
    Outcome,
    Person,
    PersonKind,
)
from meldwijzer.cases.selectors import case_dossier, case_get
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.actor import Actor

SCHEMA_VERSION = "2.1"
WITHHELD = "vertrouwelijke bron (naam bij melder bekend)"
WITHHELD_PERSON = "vertrouwelijk (naam bij melder bekend)"
REPORT_ACTIONS = (Action.PRINT, Action.EXPORT)

_CATEGORY = dict(SIGNAL_CATEGORIES)
_CHANNEL = dict(REPORT_CHANNELS)
_NOT_INFORMED = dict(NOT_INFORMED_REASONS)
_FEEDBACK = dict(FEEDBACK_ACTIONS)
_SOURCE = dict(SOURCES)
_SKIP_REASON = dict(SKIP_REASONS)
_CONSULTED = dict(CONSULTED)
_REFLECTION = dict(REFLECTION)
_HAS_CHILDREN = {"ja": "Ja", "nee": "Nee", "onbekend": "Weet de melder (nog) niet"}
_PERSON_ORDER = [
    PersonKind.CHILD,
    PersonKind.CLIENT,
    PersonKind.PARENT,
    PersonKind.CARER,
    PersonKind.OTHER,
]


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _age(person: Person, today: datetime.date) -> int | None:
    born = person.date_of_birth
    if born is None:
        return person.age
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _author(entry: Entry) -> str:
    return str(entry.author)


def _meta(entry: Entry) -> dict[str, Any]:
    """When and by whom an entry was recorded, and whether it replaces an earlier version."""
    corrected = entry.corrects_id is not None
    return {
        "recorded_at": entry.created_at,
        "recorded_by": _author(entry),
        "corrected": corrected,
        "correction_note": (
            f"Gecorrigeerd op {timezone.localtime(entry.created_at):%d-%m-%Y}; "
            "de eerdere versie staat in het dossier."
            if corrected
            else ""
        ),
    }


def _person(person: Person, today: datetime.date) -> dict[str, Any]:
    """Everything Veilig Thuis needs to identify and reach someone. The report is where the BSN
    is needed, so it stands here in full."""
    return {
        "kind": person.kind,
        "kind_label": person.get_kind_display(),
        "name": person.name,
        "date_of_birth": person.date_of_birth,
        "age": _age(person, today),
        "gender": person.gender,
        "gender_label": person.get_gender_display() if person.gender else "",
        "bsn": person.bsn,
        "street_address": person.street_address,
        "postcode": person.postcode,
        "place": person.place,
        "phone": person.phone,
        "email": person.email,
        "reach": person.reach,
        "relation": person.relation,
        "authority": person.authority,
        "authority_label": Authority(person.authority).label if person.authority else "",
        "identified": person.is_identified,
    }


def _interpreter(entry: Entry) -> str:
    """Whose interpretation a signal holds, as the report may name them. The interpretation of
    the source is the source, with the source's confidentiality; someone else carries their own
    mark. Signals recorded before whose it is was asked are treated as someone else, confidential
    when the source was (the data migration marks them so)."""
    data = entry.data
    whose = data.get("interpretation_of") or INTERPRETATION_BY_OTHER
    if whose == INTERPRETATION_BY_RECORDER:
        return f"{_author(entry)}, die het signaal vastlegde"
    if whose == INTERPRETATION_BY_SOURCE:
        if data.get("source_confidential"):
            return WITHHELD
        source = data.get("source_name") or _SOURCE.get(data.get("source", ""), "").lower()
        return f"de bron ({source})" if source else "de bron"
    confidential = data.get("interpretation_by_confidential")
    if confidential is None:
        confidential = data.get("source_confidential")
    return WITHHELD_PERSON if confidential else str(data.get("interpretation_by") or "")


def _signal(entry: Entry) -> dict[str, Any]:
    data = entry.data
    confidential = bool(data.get("source_confidential"))
    source_name = str(data.get("source_name") or "")
    if confidential:
        source_name = WITHHELD
    interpreted = bool(data.get("interpretation"))
    return {
        "date": _date(data.get("date")),
        "category": data.get("category", ""),
        "category_label": _CATEGORY.get(data.get("category", ""), ""),
        "source": data.get("source", ""),
        "source_label": _SOURCE.get(data.get("source", ""), ""),
        "source_name": source_name,
        "source_confidential": confidential,
        "facts": data.get("facts", ""),
        "interpretation": data.get("interpretation", ""),
        "interpretation_of": (data.get("interpretation_of") or INTERPRETATION_BY_OTHER)
        if interpreted
        else "",
        "interpretation_by": _interpreter(entry) if interpreted else "",
        **_meta(entry),
    }


def _counter_signal(entry: Entry) -> dict[str, Any]:
    data = entry.data
    return {
        "date": _date(data.get("date")),
        "source": data.get("source", ""),
        "source_label": _SOURCE.get(data.get("source", ""), ""),
        "facts": data.get("facts", ""),
        **_meta(entry),
    }


def _child_check(entry: Entry) -> dict[str, Any]:
    data = entry.data
    return {
        "has_children": data.get("has_children", ""),
        "has_children_label": _HAS_CHILDREN.get(data.get("has_children", ""), ""),
        "number": data.get("number"),
        "ages": data.get("ages", ""),
        "pregnant": bool(data.get("pregnant")),
        "shared_care": data.get("shared_care", ""),
        **_meta(entry),
    }


def _consultation(entry: Entry) -> dict[str, Any]:
    data = entry.data
    anonymous = bool(data.get("anonymous"))
    anonymous_vt = anonymous and data.get("consulted") == "veilig_thuis"
    return {
        "date": _date(data.get("date")),
        "consulted": data.get("consulted", ""),
        "consulted_label": _CONSULTED.get(data.get("consulted", ""), ""),
        "consulted_name": data.get("consulted_name", ""),
        "consultant_name": data.get("consultant_name", ""),
        "anonymous": anonymous,
        "note": (
            "Anoniem advies van Veilig Thuis: Veilig Thuis heeft daarbij geen "
            "persoonsgegevens vastgelegd."
            if anonymous_vt
            else "Advies zonder namen van de cliënt."
            if anonymous
            else ""
        ),
        "advice": data.get("advice", ""),
        **_meta(entry),
    }


def _conversation(entry: Entry) -> dict[str, Any]:
    data = entry.data
    return {
        "date": _date(data.get("date")),
        "participants": data.get("participants", ""),
        "discussed": data.get("said", ""),
        "reaction": data.get("reaction", ""),
        "agreements": data.get("agreements", ""),
        "reflection": [_REFLECTION.get(item, item) for item in data.get("reflection", [])],
        **_meta(entry),
    }


def _skipped(entry: Entry) -> dict[str, Any]:
    data = entry.data
    return {
        "reason": data.get("reason", ""),
        "reason_label": _SKIP_REASON.get(data.get("reason", ""), ""),
        "explanation": data.get("explanation", ""),
        **_meta(entry),
    }


def _instrument(entry: Entry) -> dict[str, Any]:
    """A screening or risk instrument's result, as its dossier entry holds it: the instrument in
    the version used, and its outcome as codes with their labels."""
    data = entry.data
    outcome = data.get("outcome") or {}
    return {
        "key": data.get("instrument_key", ""),
        "title": data.get("instrument", ""),
        "version": data.get("instrument_version", ""),
        "digest": data.get("definition_digest", ""),
        "kind_label": data.get("instrument_kind", ""),
        "date": timezone.localdate(entry.created_at),
        "recorded_by": _author(entry),
        "scores": [
            {key: score[key] for key in ("label", "value", "highest", "band", "band_label")}
            for score in outcome.get("scores", [])
        ],
        "flags": [flag["label"] for flag in outcome.get("flags", [])],
        "profiles": [{"code": p["code"], "label": p["label"]} for p in outcome.get("profiles", [])],
        "violence": [{"code": v["code"], "label": v["label"]} for v in outcome.get("violence", [])],
        "note": outcome.get("note", ""),
    }


def _report_act(entry: Entry) -> dict[str, Any]:
    data = entry.data
    return {
        "date": _date(data.get("date")),
        "time": data.get("time", ""),
        "channel": data.get("channel", ""),
        "channel_label": _CHANNEL.get(data.get("channel", ""), ""),
        "veilig_thuis": data.get("veilig_thuis", ""),
        "contact": data.get("contact", ""),
        "vt_reference": data.get("vt_reference", ""),
        "informed": data.get("informed") == "ja",
        "not_informed_reason": data.get("not_informed_reason", ""),
        "not_informed_reason_label": _NOT_INFORMED.get(data.get("not_informed_reason", ""), ""),
        "not_informed_explanation": data.get("not_informed_explanation", ""),
        "reporter_unknown": bool(data.get("reporter_unknown")),
        **_meta(entry),
    }


def _feedback(entry: Entry) -> dict[str, Any]:
    data = entry.data
    return {
        "date": _date(data.get("date")),
        "action": data.get("action", ""),
        "action_label": _FEEDBACK.get(data.get("action", ""), ""),
        "vt_reference": data.get("vt_reference", ""),
        "contact": data.get("contact", ""),
        "asked_of_me": data.get("asked_of_me", ""),
        "text": data.get("text", ""),
        **_meta(entry),
    }


def _decision(entry: Entry) -> dict[str, Any]:
    data = entry.data
    outcome = str(data.get("outcome", ""))
    indicated = str(data.get("indicated", ""))
    follows = bool(data.get("follows_framework"))
    return {
        "date": timezone.localdate(entry.created_at),
        "decided_by": _author(entry),
        "outcome": outcome,
        "outcome_label": str(Outcome(outcome).label) if outcome in Outcome.values else outcome,
        "indicated": indicated,
        "indicated_label": guidance.indicated(indicated) or indicated,
        "follows_framework": follows,
        # The professional's own reasoning is part of the report, whatever the kader indicated.
        "justification": data.get("justification", ""),
        "agreements": data.get("agreements", ""),
        "review_date": _date(data.get("review_date")),
        "fast_path": bool(data.get("fast_path")),
        "missing": list(data.get("missing", [])),
        "unidentified_reason": data.get("unidentified_reason", ""),
    }


def case_report(*, actor: Actor, case_id: int, action: Action) -> dict[str, Any]:
    """The melding for Veilig Thuis of one case, as plain data; logged as a print or export."""
    if action not in REPORT_ACTIONS:
        raise ValueError("Een melding wordt afgedrukt of geëxporteerd.")
    case = case_get(actor=actor, case_id=case_id, part="melding", action=action)
    return report_for(case)


def report_for(case: Case) -> dict[str, Any]:
    """The melding of a case the caller already read through `case_get` (which logged it)."""
    dossier = case_dossier(case)
    current = dossier.by_kind
    today = timezone.localdate()
    framework = framework_for(case.profession)
    reporter = case.responsible
    organisation = case.organisation

    def entries(kind: str) -> list[Entry]:
        return current.get(kind, [])

    persons = sorted(
        dossier.persons,
        key=lambda p: (_PERSON_ORDER.index(PersonKind(p.kind)), p.name.casefold()),
    )

    weighing: dict[str, Entry] = {}
    for entry in entries(EntryKind.WEIGHING):
        weighing[entry.data["question"]] = entry  # the latest answer per afweging wins
    answers = [
        {
            "question": question.id,
            "question_text": question.text,
            "answer": weighing[question.id].data["answer"],
            "answer_label": "Ja" if weighing[question.id].data["answer"] == "ja" else "Nee",
            "reasoning": weighing[question.id].data.get("reasoning", ""),
            "framework_version": weighing[question.id].data.get("framework_version", ""),
            "date": timezone.localdate(weighing[question.id].created_at),
            "answered_by": _author(weighing[question.id]),
        }
        for question in framework.questions.values()
        if question.id in weighing
    ]

    decisions = [_decision(entry) for entry in entries(EntryKind.DECISION)]
    reported = case.outcome in (Outcome.REPORT, Outcome.REPORT_AND_HELP)
    acts = [_report_act(entry) for entry in entries(EntryKind.REPORT)]
    urgency = sorted(dossier.urgency & set(URGENCY_LABELS))

    return {
        "schema_version": SCHEMA_VERSION,
        "generated_at": timezone.now(),
        "status": {
            "phase": case.phase,
            "phase_label": str(Phase(case.phase).label),
            "decided_to_report": reported,
        },
        "reporter": {
            "name": str(reporter),
            "organisation": organisation.name,
            "sector": organisation.sector,
            "sector_label": organisation.get_sector_display(),
            "place": organisation.place,
            "phone": reporter.phone or None,
            "email": reporter.email or None,
        },
        "date": acts[-1]["date"] if acts and acts[-1]["date"] else today,
        "case": {
            "reference": case.reference,
            "title": case.title,
            "profession": framework.id,
            "profession_label": framework.title,
            "client": case.client,
            "client_label": case.get_client_display(),
            "needs_child_check": case.needs_child_check,
            "opened_at": case.opened_at,
        },
        "urgency": [{"code": code, "label": URGENCY_LABELS[code]} for code in urgency],
        "report": acts[-1] if acts else None,
        "feedback": [_feedback(entry) for entry in entries(EntryKind.REPORT_FEEDBACK)],
        "identified": any(
            person.is_identified
            for person in persons
            if person.kind in (PersonKind.CHILD, PersonKind.CLIENT)
        ),
        "persons": [_person(person, today) for person in persons],
        "signals": [_signal(entry) for entry in entries(EntryKind.SIGNAL)],
        "counter_signals": [_counter_signal(e) for e in entries(EntryKind.COUNTER_SIGNAL)],
        "child_check": [_child_check(entry) for entry in entries(EntryKind.CHILD_CHECK)],
        "consultations": [_consultation(entry) for entry in entries(EntryKind.CONSULTATION)],
        "conversation": {
            "held": [_conversation(entry) for entry in entries(EntryKind.CONVERSATION)],
            "skipped": [_skipped(entry) for entry in entries(EntryKind.CONVERSATION_SKIPPED)],
        },
        "instruments": [_instrument(entry) for entry in entries(EntryKind.INSTRUMENT_RESULT)],
        "weighing": {
            "framework": framework.id,
            "framework_title": framework.title,
            "framework_version": framework.version,
            "answers": answers,
            "indicated": dossier.walk.outcome,
            "indicated_label": guidance.indicated(dossier.walk.outcome),
        },
        "decision": decisions[-1] if decisions else None,
        "help_in_place": [
            {
                "date": decision["date"],
                "outcome_label": decision["outcome_label"],
                "agreements": decision["agreements"],
                "review_date": decision["review_date"],
            }
            for decision in decisions
            if decision["agreements"]
        ],
    }
