"""An instrument as the engine sees it, once its definition file has been loaded and checked.

An instrument has sections of items (questions), scores that add up item points and place the
total in one band (laag / verhoogd / hoog …), and rules that look at answers, scores and bands.
Bands and rules produce outputs: flags, suggested family profiles, suggested forms of violence and
recommendation texts. The file format is described in `docs/instrument-format.md`; the loader
(`instruments.loader`) builds these objects and refuses anything it cannot build safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

ItemType = Literal["yes_no", "scale", "choice", "text", "date"]
SCORED_TYPES = ("yes_no", "scale", "choice")

YES, NO, UNKNOWN = "ja", "nee", "onbekend"
YES_NO_LABELS = {YES: "Ja", NO: "Nee", UNKNOWN: "Weet ik (nog) niet"}

KIND_LABELS = {
    "screening": "Screeningshulpmiddel",
    "risk_assessment": "Risicotaxatie-instrument",
}
KIND_CHOICES = list(KIND_LABELS.items())
ITEM_TYPE_CHOICES = [
    ("yes_no", "Ja/nee"),
    ("scale", "Schaal"),
    ("choice", "Keuze"),
    ("text", "Tekst"),
    ("date", "Datum"),
]


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    score: int = 0
    colour: str = ""


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: str


@dataclass(frozen=True)
class Item:
    id: str
    type: ItemType
    text: str
    help: str = ""
    required: bool = True
    weight: int = 1
    """Points for 'ja' (yes/no) or per step (scale)."""
    unknown: bool = True
    """Yes/no items: 'weet ik (nog) niet' may be answered."""
    colour: str = ""
    """Yes/no items: the colour a 'ja' counts as, for colour rules."""
    minimum: int = 0
    maximum: int = 0
    points: tuple[ScalePoint, ...] = ()
    options: tuple[Option, ...] = ()
    section: str = ""

    @property
    def scored(self) -> bool:
        return self.type in SCORED_TYPES

    def choices(self) -> list[tuple[str, str]]:
        """The answers that may be given, as (value, label)."""
        if self.type == "yes_no":
            values = [YES, NO, UNKNOWN] if self.unknown else [YES, NO]
            return [(value, YES_NO_LABELS[value]) for value in values]
        if self.type == "choice":
            return [(option.value, option.label) for option in self.options]
        if self.type == "scale":
            labels = {point.value: point.label for point in self.points}
            return [
                (str(value), f"{value} – {labels[value]}" if value in labels else str(value))
                for value in range(self.minimum, self.maximum + 1)
            ]
        return []

    def points_for(self, answer: object) -> int:
        """What this answer adds to a score (never negative)."""
        if answer is None:
            return 0
        if self.type == "yes_no":
            return self.weight if answer == YES else 0
        if self.type == "scale" and isinstance(answer, int):
            return answer * self.weight
        if self.type == "choice":
            return next((o.score for o in self.options if o.value == answer), 0)
        return 0

    def max_points(self) -> int:
        if self.type == "yes_no":
            return self.weight
        if self.type == "scale":
            return self.maximum * self.weight
        if self.type == "choice":
            return max((option.score for option in self.options), default=0)
        return 0

    def colour_of(self, answer: object) -> str:
        if self.type == "yes_no":
            return self.colour if answer == YES else ""
        if self.type == "choice":
            return next((o.colour for o in self.options if o.value == answer), "")
        return ""

    def answer_label(self, answer: object) -> str:
        if answer is None or answer == "":
            return "Niet beantwoord"
        if self.type in ("text", "date"):
            return str(answer)
        return dict(self.choices()).get(str(answer), str(answer))


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    intro: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Outputs:
    flags: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()
    violence: tuple[str, ...] = ()
    recommendation: str = ""

    def __bool__(self) -> bool:
        return bool(self.flags or self.profiles or self.violence or self.recommendation)


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    minimum: int | None
    maximum: int | None
    outputs: Outputs = field(default_factory=Outputs)

    def contains(self, value: int) -> bool:
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )


@dataclass(frozen=True)
class Score:
    id: str
    label: str
    description: str
    items: tuple[str, ...]
    bands: tuple[Band, ...]
    highest: int
    """The highest total the items can reach (the lowest is always 0)."""


# --- Conditions (the `when` of a rule) -------------------------------------------------------------


@dataclass(frozen=True)
class AnswerCondition:
    item: str
    equals: tuple[str | int, ...] = ()
    at_least: int | None = None
    at_most: int | None = None


@dataclass(frozen=True)
class ScoreCondition:
    score: str
    at_least: int | None = None
    at_most: int | None = None
    bands: tuple[str, ...] = ()
    above_score: str = ""


@dataclass(frozen=True)
class CountCondition:
    """How many of a set of items have a given answer or colour ('any red in part X')."""

    items: tuple[str, ...]
    value: str = ""
    colour: str = ""
    at_least: int = 1
    at_most: int | None = None


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition = AnswerCondition | ScoreCondition | CountCondition | AllOf | AnyOf | Not


@dataclass(frozen=True)
class Rule:
    id: str
    when: Condition
    explanation: str
    outputs: Outputs


@dataclass(frozen=True)
class Flag:
    code: str
    label: str
    text: str
    level: str = "attention"


@dataclass(frozen=True)
class Instrument:
    key: str
    version: str
    title: str
    kind: str
    validated: bool
    format_example: bool
    source: str
    licence: str
    intended_users: tuple[str, ...]
    description: str
    notice: str
    phases: tuple[str, ...]
    sections: tuple[Section, ...]
    flags: dict[str, Flag]
    scores: tuple[Score, ...]
    rules: tuple[Rule, ...]
    source_text: str = field(repr=False, compare=False, default="")
    digest: str = ""
    """SHA-256 of the exact source text this instrument was built from."""

    @property
    def kind_label(self) -> str:
        if self.format_example:
            return "Voorbeeld van het formaat (geen gevalideerd instrument)"
        label = KIND_LABELS.get(self.kind, self.kind)
        return f"{label}, gevalideerd" if self.validated else f"{label}, niet gevalideerd"

    @cached_property
    def items(self) -> dict[str, Item]:
        return {item.id: item for section in self.sections for item in section.items}
