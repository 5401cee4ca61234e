"""Scoring an instrument: from answers to an outcome, with the reason for every part of it.

Pure functions, no database: `score(instrument, answers)` adds up each score's item points, places
each total in its band, applies the rules, and collects what the bands and rules produce: markings
(flags), suggested family profiles, suggested forms of violence and recommendation texts. Every
suggestion carries its reasons (the band or rule and the answers behind it), so the professional
sees why. Points are never negative, so answering 'ja' can only raise a score.

The outcome supports the professional's judgement; it never decides. `JUDGEMENT_NOTE` says so
on every outcome.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from meldwijzer.cases.entries import CATEGORIES
from meldwijzer.instruments.format import (
    AllOf,
    AnswerCondition,
    AnyOf,
    Condition,
    CountCondition,
    Instrument,
    Not,
    Outputs,
    Score,
    ScoreCondition,
)
from meldwijzer.instruments.profiles import profile_label

ENGINE_VERSION = 1
JUDGEMENT_NOTE = (
    "Deze uitkomst is een hulpmiddel bij uw eigen professionele afweging, geen besluit en geen "
    "diagnose. Weeg haar mee met wat u zelf van het gezin weet, met de contra-indicaties en met "
    "het advies uit de collegiale consultatie. U beslist zelf."
)
VIOLENCE_LABELS = dict(CATEGORIES)
LEVEL_ORDER = {"urgent": 0, "attention": 1, "info": 2}

Answers = dict[str, Any]


@dataclass(frozen=True)
class Reason:
    text: str
    items: tuple[str, ...] = ()
    scores: tuple[str, ...] = ()
    rule: str = ""


@dataclass
class Suggestion:
    code: str
    label: str
    text: str = ""
    level: str = ""
    reasons: list[Reason] = field(default_factory=list)


@dataclass
class Recommendation:
    text: str
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreResult:
    id: str
    label: str
    value: int
    highest: int
    band: str
    band_label: str
    items: tuple[str, ...]
    """The items that added points."""


@dataclass
class InstrumentOutcome:
    complete: bool
    answered: int
    total: int
    missing: list[str]
    scores: list[ScoreResult]
    flags: list[Suggestion]
    profiles: list[Suggestion]
    violence: list[Suggestion]
    recommendations: list[Recommendation]
    note: str = JUDGEMENT_NOTE
    engine: int = ENGINE_VERSION

    def as_data(self) -> dict[str, Any]:
        """Plain JSON-ready data, as stored with a result."""
        return asdict(self)


def is_answered(value: Any) -> bool:
    return value is not None and value != ""


def _total(score: Score, instrument: Instrument, answers: Answers) -> tuple[int, tuple[str, ...]]:
    items = instrument.items
    points = {item_id: items[item_id].points_for(answers.get(item_id)) for item_id in score.items}
    return sum(points.values()), tuple(item_id for item_id, p in points.items() if p > 0)


def _holds(
    condition: Condition,
    instrument: Instrument,
    answers: Answers,
    totals: dict[str, int],
    bands: dict[str, str],
) -> tuple[bool, tuple[str, ...], tuple[str, ...]]:
    """Whether the condition holds, with the items and scores that made it hold."""
    if isinstance(condition, AnswerCondition):
        value = answers.get(condition.item)
        if not is_answered(value):
            return False, (), ()
        holds = True
        if condition.equals:
            holds = value in condition.equals
        if condition.at_least is not None:
            holds = holds and isinstance(value, int) and value >= condition.at_least
        if condition.at_most is not None:
            holds = holds and isinstance(value, int) and value <= condition.at_most
        return holds, (condition.item,) if holds else (), ()
    if isinstance(condition, ScoreCondition):
        total = totals[condition.score]
        holds = (
            (condition.at_least is None or total >= condition.at_least)
            and (condition.at_most is None or total <= condition.at_most)
            and (not condition.bands or bands[condition.score] in condition.bands)
            and (not condition.above_score or total > totals[condition.above_score])
        )
        scores = (
            (condition.score, condition.above_score)
            if condition.above_score
            else (condition.score,)
        )
        return holds, (), scores if holds else ()
    if isinstance(condition, CountCondition):
        items = instrument.items
        matching = tuple(
            item_id
            for item_id in condition.items
            if is_answered(answers.get(item_id))
            and (
                (condition.value and str(answers[item_id]) == condition.value)
                or (
                    condition.colour
                    and items[item_id].colour_of(answers[item_id]) == condition.colour
                )
            )
        )
        holds = len(matching) >= condition.at_least and (
            condition.at_most is None or len(matching) <= condition.at_most
        )
        return holds, matching if holds else (), ()
    if isinstance(condition, Not):
        holds, _, _ = _holds(condition.condition, instrument, answers, totals, bands)
        return not holds, (), ()
    parts = [_holds(part, instrument, answers, totals, bands) for part in condition.conditions]
    if isinstance(condition, AllOf):
        holds = all(part[0] for part in parts)
        used = parts if holds else []
    else:
        assert isinstance(condition, AnyOf)
        used = [part for part in parts if part[0]]
        holds = bool(used)
    used_items = tuple(dict.fromkeys(i for part in used for i in part[1]))
    used_scores = tuple(dict.fromkeys(s for part in used for s in part[2]))
    return holds, used_items, used_scores


class _Collector:
    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self.flags: dict[str, Suggestion] = {}
        self.profiles: dict[str, Suggestion] = {}
        self.violence: dict[str, Suggestion] = {}
        self.recommendations: list[Recommendation] = []

    def add(self, outputs: Outputs, reason: Reason) -> None:
        for code in outputs.flags:
            flag = self.instrument.flags[code]
            self.flags.setdefault(
                code, Suggestion(code, flag.label, text=flag.text, level=flag.level)
            ).reasons.append(reason)
        for code in outputs.profiles:
            self.profiles.setdefault(code, Suggestion(code, profile_label(code))).reasons.append(
                reason
            )
        for code in outputs.violence:
            self.violence.setdefault(
                code, Suggestion(code, VIOLENCE_LABELS.get(code, code))
            ).reasons.append(reason)
        if outputs.recommendation:
            self.recommendations.append(Recommendation(outputs.recommendation, [reason]))


def score(instrument: Instrument, answers: Answers) -> InstrumentOutcome:
    """The outcome of `answers` (item id → answer) on `instrument`; unknown ids are ignored."""
    items = instrument.items
    collector = _Collector(instrument)
    totals: dict[str, int] = {}
    bands: dict[str, str] = {}
    results: list[ScoreResult] = []
    for definition in instrument.scores:
        total, contributing = _total(definition, instrument, answers)
        band = next(band for band in definition.bands if band.contains(total))
        totals[definition.id], bands[definition.id] = total, band.code
        results.append(
            ScoreResult(
                id=definition.id,
                label=definition.label,
                value=total,
                highest=definition.highest,
                band=band.code,
                band_label=band.label,
                items=contributing,
            )
        )
        if band.outputs:
            reason = Reason(
                text=f"{definition.label}: {total} van de {definition.highest} punten, "
                f"dat valt in ‘{band.label}’.",
                items=contributing,
                scores=(definition.id,),
            )
            collector.add(band.outputs, reason)
    for rule in instrument.rules:
        holds, used_items, used_scores = _holds(rule.when, instrument, answers, totals, bands)
        if holds:
            collector.add(
                rule.outputs,
                Reason(text=rule.explanation, items=used_items, scores=used_scores, rule=rule.id),
            )
    missing = [
        item.id
        for item in items.values()
        if item.required and not is_answered(answers.get(item.id))
    ]
    return InstrumentOutcome(
        complete=not missing,
        answered=sum(1 for item_id in items if is_answered(answers.get(item_id))),
        total=len(items),
        missing=missing,
        scores=results,
        flags=sorted(collector.flags.values(), key=lambda flag: LEVEL_ORDER.get(flag.level, 9)),
        profiles=list(collector.profiles.values()),
        violence=list(collector.violence.values()),
        recommendations=collector.recommendations,
    )
