"""Reading and checking instrument definitions (YAML or JSON) before anything uses them.

A definition is checked in three passes and every problem found is reported, each with the file,
the place in the file (which question, score, band or rule) and what is wrong, in Dutch:

1. the text itself: size, encoding, YAML syntax; anchors/aliases and duplicate keys are refused;
2. the structure, against the JSON Schema in `instrument.schema.json`;
3. the meaning: unknown or duplicate ids, references to questions, scores, bands and markings that
   do not exist, bands with gaps or overlaps, unknown family profiles or forms of violence, rules
   that produce nothing.

Only a definition without problems becomes an `Instrument`. Shipped definitions live in
`definitions/*.yaml`; organisations upload their own (see `instruments.services`).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import yaml

from meldwijzer.cases.entries import CATEGORIES
from meldwijzer.instruments.format import (
    NO,
    SCORED_TYPES,
    UNKNOWN,
    YES,
    AllOf,
    AnswerCondition,
    AnyOf,
    Band,
    Condition,
    CountCondition,
    Flag,
    Instrument,
    Item,
    Not,
    Option,
    Outputs,
    Rule,
    ScalePoint,
    Score,
    ScoreCondition,
    Section,
)
from meldwijzer.instruments.profiles import PROFILES

DEFINITION_DIR = Path(__file__).resolve().parent / "definitions"
SCHEMA_PATH = Path(__file__).resolve().parent / "instrument.schema.json"
MAX_SOURCE_BYTES = 256 * 1024
MAX_CONDITION_DEPTH = 8
DEFAULT_PHASES = ("stap_1", "stap_4")
VIOLENCE_CODES = {code for code, _ in CATEGORIES}


class Problem(NamedTuple):
    location: str
    message: str
    path: tuple[str, ...] = ()
    """Where an editor shows the problem: ("title",), ("description",),
    ("question", item, "text" | "help"), ("score", score), ("band", score, code, "label" | "min" |
    "max"); empty when the problem has no field of its own."""


class InstrumentDefinitionError(ValueError):
    """A definition that cannot be used; `problems` lists everything that is wrong with it."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(f"{self.source}: {p.location}: {p.message}" for p in self.problems)

    def lines(self) -> list[str]:
        return [f"{p.location}: {p.message}" for p in self.problems]


# --- 1. Text and YAML ---------------------------------------------------------------------------


class _StrictError(yaml.constructor.ConstructorError):
    """A YAML feature the loader refuses; its message is already in Dutch."""


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML without anchors/aliases (no 'billion laughs') and without duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _StrictError(
                None,
                None,
                "verwijzingen (anchors en aliassen) zijn niet toegestaan",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the constructor reports it
                continue
            if duplicate:
                raise _StrictError(
                    None, None, f"de naam {key!r} komt twee keer voor", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)


_YAML_HINTS = {
    "mapping values are not allowed here": "hier mag geen ‘naam: waarde’ staan; controleer "
    "het inspringen, en zet tekst met een dubbele punt tussen aanhalingstekens",
    "found character '\\t' that cannot start any token": "een tab-teken; spring in met spaties",
    "could not find expected ':'": "een dubbele punt ontbreekt",
    "found unexpected end of stream": "het bestand houdt onverwacht op (een aanhalingsteken of "
    "haakje is niet gesloten?)",
    "did not find expected key": "het inspringen klopt niet",
    "expected <block end>, but found": "het inspringen klopt niet",
    "found undefined alias": "verwijzingen (anchors en aliassen) zijn niet toegestaan",
    "found unhashable key": "een naam moet tekst zijn, geen lijst of blok",
}


def _yaml_problem(error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    where = f"regel {mark.line + 1}, kolom {mark.column + 1}" if mark is not None else "bestand"
    problem = str(getattr(error, "problem", "") or "")
    if isinstance(error, _StrictError):
        return Problem(where, problem)
    hint = next((hint for text, hint in _YAML_HINTS.items() if text in problem), "")
    return Problem(
        where, hint or "dit is geen leesbare YAML of JSON" + (f" ({problem})" if problem else "")
    )


def _parse_text(text: str) -> Any:
    if len(text.encode("utf-8", "surrogatepass")) > MAX_SOURCE_BYTES:
        raise _Refused([Problem("bestand", "het bestand is groter dan 256 kB")])
    if "\x00" in text:
        raise _Refused([Problem("bestand", "het bestand bevat binaire tekens")])
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        raise _Refused([_yaml_problem(error)]) from error
    except RecursionError as error:
        raise _Refused([Problem("bestand", "het bestand is te diep genest")]) from error
    except (ValueError, TypeError, OverflowError) as error:
        # e.g. a date such as 2024-13-45 that YAML cannot read
        raise _Refused([Problem("bestand", "een waarde kan niet worden gelezen")]) from error


class _Refused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems


def _non_string_keys(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, child in value.items():
            if not isinstance(key, str):
                yield (*path, key)
            else:
                yield from _non_string_keys(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _non_string_keys(child, (*path, index))


def _surrogates(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Texts with a lone surrogate (written as an escape such as "\\ud800"): no database can
    store them."""
    if isinstance(value, str):
        bad = next((c for c in value if "\ud800" <= c <= "\udfff"), None)
        if bad is not None:
            yield path, f"U+{ord(bad):04X}"
    elif isinstance(value, dict):
        for key, child in value.items():
            yield from _surrogates(key, path)
            yield from _surrogates(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _surrogates(child, (*path, index))


# --- 2. Structure (JSON Schema) -------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of the format (also useful in an editor)."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


@cache
def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    return cls(schema())


_TYPE_NAMES = {
    "string": "tekst",
    "integer": "een geheel getal",
    "number": "een getal",
    "boolean": "true of false",
    "array": "een lijst",
    "object": "een blok met velden",
    "null": "leeg",
}
_NAME_PATTERN = "^[a-z][a-z0-9_]{0,39}$"


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _schema_message(error: jsonschema.ValidationError) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "required":
        missing = [key for key in value if isinstance(instance, dict) and key not in instance]
        return "verplicht veld ontbreekt: " + ", ".join(f"'{key}'" for key in missing)
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(str(key) for key in instance if key not in known)
        return (
            "onbekend veld " + ", ".join(f"'{key}'" for key in extra) + " (controleer de spelling)"
        )
    if kind == "type":
        wanted = value if isinstance(value, list) else [value]
        message = "moet " + " of ".join(_TYPE_NAMES.get(str(t), str(t)) for t in wanted) + " zijn"
        if "string" in wanted and isinstance(instance, int | float | bool):
            message += '; zet de waarde tussen aanhalingstekens, bijvoorbeeld "1.0"'
        return message
    if kind == "enum":
        return f"{instance!r} is niet toegestaan; kies uit: " + ", ".join(str(v) for v in value)
    if kind == "const":
        return f"moet {value!r} zijn"
    if kind == "pattern":
        if value == _NAME_PATTERN:
            return (
                f"{instance!r} is geen geldige naam: gebruik kleine letters, cijfers en _, "
                "beginnend met een letter (hoogstens 40 tekens)"
            )
        return f'{instance!r} is geen geldig versienummer; gebruik bijvoorbeeld "1.0"'
    if kind == "minLength":
        return "mag niet leeg zijn"
    if kind == "maxLength":
        return f"is te lang (hoogstens {value} tekens)"
    if kind == "minItems":
        return f"de lijst moet minstens {_plural(value, 'element', 'elementen')} bevatten"
    if kind == "maxItems":
        return f"de lijst mag hoogstens {_plural(value, 'element', 'elementen')} bevatten"
    if kind == "minimum":
        return f"moet minstens {value} zijn"
    if kind == "maximum":
        return f"mag hoogstens {value} zijn"
    if kind == "uniqueItems":
        return "de lijst bevat een waarde twee keer"
    if kind == "minProperties":
        return "mag niet leeg zijn"
    if kind == "maxProperties":
        return f"bevat te veel elementen (hoogstens {value})"
    return "ongeldige waarde"


_CONTAINERS = {"sections": "onderdeel", "scores": "score", "rules": "regel"}
_CHILDREN = {"items": "vraag", "bands": "band", "options": "keuze"}


def _schema_location(raw: Any, path: Iterable[Any]) -> str:
    """Where a schema error is, named by the ids in the file: "vraag 'x', veld 'weight'"."""
    node, location = raw, "algemeen"
    rest: list[str] = []
    parts = list(path)
    index = 0
    while index < len(parts):
        key = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        children = node.get(key) if isinstance(node, dict) else None
        if node is raw and key == "flags" and isinstance(children, dict) and following is not None:
            location, node, rest = f"markering '{following}'", children.get(following), []
            index += 2
            continue
        label = _CONTAINERS.get(key) or _CHILDREN.get(key)
        if label and isinstance(children, list) and isinstance(following, int):
            child = children[following] if following < len(children) else None
            if isinstance(child, dict):
                ident = child.get({"bands": "code", "options": "value"}.get(key, "id"))
                name = (
                    f"{label} '{ident}'" if isinstance(ident, str) else f"{label} {following + 1}"
                )
                if key in _CHILDREN and location.startswith(("score", "vraag")):
                    name = f"{location}, {name}"
                location, node, rest = name, child, []
                index += 2
                continue
        rest.append(str(key + 1) if isinstance(key, int) else str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
        index += 1
    if rest and location == "algemeen":
        return f"veld '{'.'.join(rest)}'"
    if rest:
        return f"{location}, veld '{'.'.join(rest)}'"
    return location


def _schema_path(raw: Any, path: Iterable[Any]) -> tuple[str, ...]:
    """The editor field of a schema error (see `Problem.path`), if it has one."""
    parts = list(path)
    try:
        if parts in (["title"], ["description"]):
            return (parts[0],)
        if len(parts) == 5 and parts[0] == "sections" and parts[2] == "items":
            item = raw["sections"][parts[1]]["items"][parts[3]]
            if parts[4] in ("text", "help"):
                return ("question", str(item["id"]), parts[4])
        if len(parts) == 5 and parts[0] == "scores" and parts[2] == "bands":
            score = raw["scores"][parts[1]]
            band = score["bands"][parts[3]]
            if parts[4] in ("label", "min", "max"):
                return ("band", str(score["id"]), str(band["code"]), parts[4])
    except (KeyError, IndexError, TypeError):
        pass
    return ()


def _schema_problems(raw: Any) -> list[Problem]:
    problems = []
    errors = sorted(_validator().iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        problems.append(
            Problem(
                _schema_location(raw, error.absolute_path),
                _schema_message(error),
                _schema_path(raw, error.absolute_path),
            )
        )
    return problems


# --- 3. Meaning ---------------------------------------------------------------------------------

_TYPE_KEYS: dict[str, set[str]] = {
    "yes_no": {"weight", "unknown", "colour"},
    "scale": {"weight", "min", "max", "labels"},
    "choice": {"options"},
    "text": set(),
    "date": set(),
}
_TYPED_KEYS = set().union(*_TYPE_KEYS.values())
_TYPE_NAMES_NL = {
    "yes_no": "ja/nee-vraag",
    "scale": "schaalvraag",
    "choice": "keuzevraag",
    "text": "tekstvraag",
    "date": "datumvraag",
}


class _Builder:
    """Turns a structurally valid definition into an Instrument, collecting every problem."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.problems: list[Problem] = []
        self.items: dict[str, Item] = {}
        self.sections: dict[str, Section] = {}
        self.scores: dict[str, Score] = {}
        self.flags: dict[str, Flag] = {}

    def problem(self, location: str, message: str, path: tuple[str, ...] = ()) -> None:
        self.problems.append(Problem(location, message, path))

    # Items and sections

    def build_item(self, raw: dict[str, Any], section: str) -> Item:
        item_id, kind = raw["id"], raw["type"]
        where = f"vraag '{item_id}'"
        for key in sorted((_TYPED_KEYS - _TYPE_KEYS[kind]) & set(raw)):
            self.problem(where, f"veld '{key}' hoort niet bij een {_TYPE_NAMES_NL[kind]}")
        minimum, maximum = 0, 0
        points: tuple[ScalePoint, ...] = ()
        options: tuple[Option, ...] = ()
        if kind == "scale":
            if "min" not in raw or "max" not in raw:
                self.problem(where, "een schaalvraag heeft 'min' en 'max'")
            else:
                minimum, maximum = int(raw["min"]), int(raw["max"])
                if maximum <= minimum:
                    self.problem(where, f"'max' ({maximum}) moet groter zijn dan 'min' ({minimum})")
            seen: set[int] = set()
            for label in raw.get("labels", []):
                value = int(label["value"])
                if value in seen:
                    self.problem(where, f"schaalwaarde {value} heeft twee labels")
                elif not minimum <= value <= maximum:
                    self.problem(
                        where, f"label voor {value} valt buiten de schaal {minimum}–{maximum}"
                    )
                seen.add(value)
            points = tuple(
                ScalePoint(int(label["value"]), label["label"]) for label in raw.get("labels", [])
            )
        if kind == "choice":
            if "options" not in raw:
                self.problem(where, "een keuzevraag heeft 'options'")
            values = [option["value"] for option in raw.get("options", [])]
            for value in sorted({v for v in values if values.count(v) > 1}):
                self.problem(where, f"keuze '{value}' komt twee keer voor")
            options = tuple(
                Option(
                    value=option["value"],
                    label=option["label"],
                    score=int(option.get("score", 0)),
                    colour=option.get("colour", ""),
                )
                for option in raw.get("options", [])
            )
        return Item(
            id=item_id,
            type=kind,
            text=raw["text"],
            help=raw.get("help", ""),
            required=bool(raw.get("required", kind in SCORED_TYPES)),
            weight=int(raw.get("weight", 1)),
            unknown=bool(raw.get("unknown", True)),
            colour=raw.get("colour", ""),
            minimum=minimum,
            maximum=maximum,
            points=points,
            options=options,
            section=section,
        )

    def build_sections(self) -> tuple[Section, ...]:
        sections = []
        for raw in self.raw["sections"]:
            where = f"onderdeel '{raw['id']}'"
            if raw["id"] in self.sections:
                self.problem(where, "deze naam is al gebruikt voor een ander onderdeel")
            items = []
            for raw_item in raw["items"]:
                if raw_item["id"] in self.items:
                    self.problem(f"vraag '{raw_item['id']}'", "deze naam is al gebruikt voor een "
                                 "andere vraag")  # fmt: skip
                item = self.build_item(raw_item, raw["id"])
                self.items.setdefault(item.id, item)
                items.append(item)
            section = Section(raw["id"], raw["title"], raw.get("intro", ""), tuple(items))
            self.sections.setdefault(section.id, section)
            sections.append(section)
        return tuple(sections)

    # Outputs

    def build_outputs(self, raw: dict[str, Any], where: str) -> Outputs:
        for code in raw.get("flags", []):
            if code not in self.flags:
                self.problem(where, f"markering '{code}' staat niet onder 'flags'")
        for code in raw.get("profiles", []):
            if code not in PROFILES:
                self.problem(
                    where, f"onbekend gezinsprofiel '{code}'; kies uit: " + ", ".join(PROFILES)
                )
        for code in raw.get("violence", []):
            if code not in VIOLENCE_CODES:
                self.problem(
                    where,
                    f"onbekende vorm van geweld '{code}'; kies uit: "
                    + ", ".join(code for code, _ in CATEGORIES),
                )
        return Outputs(
            flags=tuple(raw.get("flags", [])),
            profiles=tuple(raw.get("profiles", [])),
            violence=tuple(raw.get("violence", [])),
            recommendation=raw.get("recommendation", ""),
        )

    # Scores and bands

    def score_items(self, raw: dict[str, Any], where: str) -> tuple[str, ...]:
        if ("items" in raw) == ("sections" in raw):
            self.problem(where, "geef 'items' óf 'sections' op waarvan de punten worden opgeteld")
            return ()
        if "sections" in raw:
            ids = []
            for section_id in raw["sections"]:
                if section_id not in self.sections:
                    self.problem(where, f"onderdeel '{section_id}' bestaat niet")
                    continue
                ids += [i.id for i in self.sections[section_id].items if i.scored]
        else:
            ids = []
            for item_id in raw["items"]:
                item = self.items.get(item_id)
                if item is None:
                    self.problem(where, f"vraag '{item_id}' bestaat niet")
                elif not item.scored:
                    self.problem(
                        where,
                        f"vraag '{item_id}' is een {_TYPE_NAMES_NL[item.type]} en telt niet mee",
                    )
                else:
                    ids.append(item_id)
        for item_id in sorted({i for i in ids if ids.count(i) > 1}):
            self.problem(where, f"vraag '{item_id}' telt twee keer mee")
        if not ids and not any(p.location == where for p in self.problems):
            self.problem(
                where, "deze score telt geen enkele vraag met punten", ("score", raw["id"])
            )
        return tuple(dict.fromkeys(ids))

    def check_bands(self, bands: list[Band], highest: int, where: str, score_id: str) -> None:
        """Bands must cover 0…highest exactly once each: no gaps, no overlaps.

        Each problem names the field an editor shows it at: where two bands meet, the lower
        band's 'max' (the value a beheerder moves to close a gap or an overlap)."""

        def at(band: Band, field: str) -> tuple[str, ...]:
            return ("band", score_id, band.code, field)

        codes = [band.code for band in bands]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            self.problem(where, f"band '{code}' komt twee keer voor", ("score", score_id))
        for band in bands:
            if (
                band.minimum is not None
                and band.maximum is not None
                and band.minimum > band.maximum
            ):
                self.problem(
                    f"{where}, band '{band.code}'",
                    f"'min' ({band.minimum}) is groter dan 'max' ({band.maximum})",
                    at(band, "max"),
                )
                return
        without_min = [band for band in bands[1:] if band.minimum is None]
        if without_min:
            self.problem(
                where, "alleen de eerste (laagste) band mag zonder 'min'", at(without_min[0], "min")
            )
            return
        lows = [float("-inf") if band.minimum is None else band.minimum for band in bands]
        if lows != sorted(lows):
            self.problem(
                where,
                "zet de banden op volgorde, van de laagste naar de hoogste score",
                ("score", score_id),
            )
            return
        first, last = bands[0], bands[-1]
        if first.minimum is not None and first.minimum > 0:
            self.problem(
                where,
                f"scores van 0 tot en met {first.minimum - 1} vallen in geen enkele band "
                f"(de eerste band '{first.code}' begint bij {first.minimum})",
                at(first, "min"),
            )
        for lower, upper in itertools.pairwise(bands):
            assert upper.minimum is not None
            if lower.maximum is None:
                self.problem(
                    where,
                    f"band '{lower.code}' heeft geen 'max' en overlapt daardoor met "
                    f"band '{upper.code}'",
                    at(lower, "max"),
                )
            elif upper.minimum <= lower.maximum:
                top = lower.maximum if upper.maximum is None else min(lower.maximum, upper.maximum)
                both = (
                    f"score {top}" if top == upper.minimum else f"{upper.minimum} tot en met {top}"
                )
                self.problem(
                    where,
                    f"banden '{lower.code}' en '{upper.code}' overlappen: {both} valt in allebei",
                    at(lower, "max"),
                )
            elif upper.minimum > lower.maximum + 1:
                gap = (
                    str(lower.maximum + 1)
                    if upper.minimum == lower.maximum + 2
                    else f"{lower.maximum + 1} tot en met {upper.minimum - 1}"
                )
                self.problem(
                    where,
                    f"tussen band '{lower.code}' en '{upper.code}' zit een gat: "
                    f"score {gap} valt in geen enkele band",
                    at(lower, "max"),
                )
        for band in bands:
            if band.minimum is not None and band.minimum > highest:
                self.problem(
                    where,
                    f"band '{band.code}' is onbereikbaar: de hoogst mogelijke score is {highest}",
                    at(band, "min"),
                )
            elif band.maximum is not None and band.maximum < 0:
                self.problem(
                    where,
                    f"band '{band.code}' is onbereikbaar: een score is nooit lager dan 0",
                    at(band, "max"),
                )
        if last.maximum is not None and last.maximum < highest:
            self.problem(
                where,
                f"de hoogst mogelijke score is {highest}, maar de laatste band "
                f"'{last.code}' houdt op bij {last.maximum}; laat 'max' weg of maak hem hoger",
                at(last, "max"),
            )

    def build_scores(self) -> tuple[Score, ...]:
        scores = []
        for raw in self.raw.get("scores", []):
            where = f"score '{raw['id']}'"
            if raw["id"] in self.scores:
                self.problem(where, "deze naam is al gebruikt voor een andere score")
            items = self.score_items(raw, where)
            highest = sum(self.items[item_id].max_points() for item_id in items)
            bands = [
                Band(
                    code=band["code"],
                    label=band["label"],
                    minimum=band.get("min"),
                    maximum=band.get("max"),
                    outputs=self.build_outputs(band, f"{where}, band '{band['code']}'"),
                )
                for band in raw["bands"]
            ]
            self.check_bands(bands, highest, where, raw["id"])
            score = Score(
                id=raw["id"],
                label=raw["label"],
                description=raw.get("description", ""),
                items=items,
                bands=tuple(bands),
                highest=highest,
            )
            self.scores.setdefault(score.id, score)
            scores.append(score)
        return tuple(scores)

    # Rules and conditions

    def _answer_value(self, item: Item, value: Any, where: str) -> Any:
        allowed: list[Any]
        if item.type == "yes_no":
            allowed = [YES, NO, UNKNOWN] if item.unknown else [YES, NO]
        elif item.type == "choice":
            allowed = [option.value for option in item.options]
        elif item.type == "scale":
            allowed = list(range(item.minimum, item.maximum + 1))
        else:
            self.problem(where, f"op een {_TYPE_NAMES_NL[item.type]} ('{item.id}') kan geen "
                         "voorwaarde worden gesteld")  # fmt: skip
            return value
        if value not in allowed:
            self.problem(
                where,
                f"{value!r} is geen mogelijk antwoord op vraag '{item.id}'; mogelijk: "
                + ", ".join(str(v) for v in allowed),
            )
        return value

    def build_condition(self, raw: dict[str, Any], where: str, depth: int = 0) -> Condition | None:
        if depth > MAX_CONDITION_DEPTH:
            self.problem(where, f"voorwaarden zijn dieper genest dan {MAX_CONDITION_DEPTH} niveaus")
            return None
        keys = set(raw)
        for combinator in ("all", "any", "not"):
            if combinator in keys:
                if len(keys) > 1:
                    self.problem(
                        where,
                        f"'{combinator}' staat in een voorwaarde alleen; verplaats "
                        + ", ".join(f"'{k}'" for k in sorted(keys - {combinator}))
                        + " naar een eigen voorwaarde",
                    )
                    return None
                if combinator == "not":
                    inner = self.build_condition(raw["not"], where, depth + 1)
                    return Not(inner) if inner is not None else None
                parts = [self.build_condition(part, where, depth + 1) for part in raw[combinator]]
                if any(part is None for part in parts):
                    return None
                built = tuple(p for p in parts if p is not None)
                return AllOf(built) if combinator == "all" else AnyOf(built)
        if "item" in keys:
            return self._item_condition(raw, where)
        if "score" in keys:
            return self._score_condition(raw, where)
        if "section" in keys or "items" in keys:
            return self._count_condition(raw, where)
        self.problem(
            where,
            "een voorwaarde begint met 'item', 'score', 'section', 'items', 'all', 'any' of 'not'",
        )
        return None

    def _extra_keys(self, raw: dict[str, Any], allowed: set[str], where: str, kind: str) -> bool:
        extra = sorted(set(raw) - allowed)
        if extra:
            self.problem(
                where,
                f"in een voorwaarde op {kind} horen geen velden "
                + ", ".join(f"'{k}'" for k in extra),
            )
        return not extra

    def _item_condition(self, raw: dict[str, Any], where: str) -> Condition | None:
        if not self._extra_keys(
            raw, {"item", "is", "in", "at_least", "at_most"}, where, "een vraag"
        ):
            return None
        item = self.items.get(raw["item"])
        if item is None:
            self.problem(where, f"vraag '{raw['item']}' bestaat niet")
            return None
        has_value = "is" in raw or "in" in raw
        has_range = "at_least" in raw or "at_most" in raw
        if ("is" in raw and "in" in raw) or has_value == has_range:
            self.problem(
                where, f"geef bij vraag '{item.id}' óf 'is', óf 'in', óf 'at_least'/'at_most'"
            )
            return None
        if has_range and item.type != "scale":
            self.problem(
                where, f"'at_least'/'at_most' kan alleen bij een schaalvraag ('{item.id}')"
            )
            return None
        values = [raw["is"]] if "is" in raw else list(raw.get("in", []))
        equals = tuple(self._answer_value(item, value, where) for value in values)
        return AnswerCondition(
            item=item.id, equals=equals, at_least=raw.get("at_least"), at_most=raw.get("at_most")
        )

    def _score_condition(self, raw: dict[str, Any], where: str) -> Condition | None:
        allowed = {"score", "at_least", "at_most", "band", "bands", "above_score"}
        if not self._extra_keys(raw, allowed, where, "een score"):
            return None
        score = self.scores.get(raw["score"])
        if score is None:
            self.problem(where, f"score '{raw['score']}' bestaat niet")
            return None
        if len(set(raw) - {"score"}) == 0:
            self.problem(where, f"zeg wat er voor score '{score.id}' moet gelden "
                         "('band', 'bands', 'at_least', 'at_most' of 'above_score')")  # fmt: skip
            return None
        if "band" in raw and "bands" in raw:
            self.problem(where, "gebruik 'band' of 'bands', niet allebei")
            return None
        bands = [raw["band"]] if "band" in raw else list(raw.get("bands", []))
        known = {band.code for band in score.bands}
        for code in bands:
            if code not in known:
                self.problem(where, f"score '{score.id}' heeft geen band '{code}'")
        other = raw.get("above_score", "")
        if other and other not in self.scores:
            self.problem(where, f"score '{other}' bestaat niet (of komt pas later in het bestand)")
        return ScoreCondition(
            score=score.id,
            at_least=raw.get("at_least"),
            at_most=raw.get("at_most"),
            bands=tuple(bands),
            above_score=other,
        )

    def _count_condition(self, raw: dict[str, Any], where: str) -> Condition | None:
        allowed = {"section", "items", "value", "colour", "at_least", "at_most"}
        if not self._extra_keys(raw, allowed, where, "een telling"):
            return None
        if "section" in raw and "items" in raw:
            self.problem(where, "tel óf een 'section', óf 'items', niet allebei")
            return None
        if ("value" in raw) == ("colour" in raw):
            self.problem(where, "zeg wat er geteld wordt: een antwoord ('value') óf een kleur "
                         "('colour')")  # fmt: skip
            return None
        if "section" in raw:
            if raw["section"] not in self.sections:
                self.problem(where, f"onderdeel '{raw['section']}' bestaat niet")
                return None
            items = tuple(self.sections[raw["section"]].items)
        else:
            missing = [i for i in raw["items"] if i not in self.items]
            for item_id in missing:
                self.problem(where, f"vraag '{item_id}' bestaat niet")
            if missing:
                return None
            items = tuple(self.items[i] for i in raw["items"])
        if "colour" in raw:
            colours = {item.colour for item in items} | {
                option.colour for item in items for option in item.options
            }
            if raw["colour"] not in colours:
                self.problem(where, f"geen van deze vragen kan de kleur '{raw['colour']}' krijgen")
        else:
            possible = {str(value) for item in items for value, _ in item.choices()}
            if raw["value"] not in possible:
                self.problem(
                    where, f"geen van deze vragen kan het antwoord '{raw['value']}' krijgen"
                )
        at_least = raw.get("at_least", 1)
        if at_least < 0 or at_least > len(items):
            self.problem(where, f"'at_least' moet tussen 0 en {len(items)} liggen")
        return CountCondition(
            items=tuple(item.id for item in items),
            value=raw.get("value", ""),
            colour=raw.get("colour", ""),
            at_least=at_least,
            at_most=raw.get("at_most"),
        )

    def build_rules(self) -> tuple[Rule, ...]:
        rules, seen = [], set()
        for raw in self.raw.get("rules", []):
            where = f"regel '{raw['id']}'"
            if raw["id"] in seen:
                self.problem(where, "deze naam is al gebruikt voor een andere regel")
            seen.add(raw["id"])
            condition = self.build_condition(raw["when"], where)
            outputs = self.build_outputs(raw, where)
            if not outputs:
                self.problem(where, "deze regel levert niets op: geef 'flags', 'profiles', "
                             "'violence' of 'recommendation'")  # fmt: skip
            if condition is not None:
                rules.append(Rule(raw["id"], condition, raw["explanation"], outputs))
        return tuple(rules)

    def build(self, source_text: str) -> Instrument:
        raw = self.raw
        if raw.get("format_example") and raw.get("validated"):
            self.problem(
                "algemeen", "een voorbeeld van het formaat kan niet 'validated: true' zijn"
            )
        self.flags = {
            code: Flag(code, body["label"], body.get("text", ""), body.get("level", "attention"))
            for code, body in raw.get("flags", {}).items()
        }
        sections = self.build_sections()
        scores = self.build_scores()
        rules = self.build_rules()
        if self.problems:
            raise _Refused(self.problems)
        return Instrument(
            key=raw["key"],
            version=raw["version"],
            title=raw["title"],
            kind=raw["kind"],
            validated=raw["validated"],
            format_example=bool(raw.get("format_example", False)),
            source=raw["source"],
            licence=raw["licence"],
            intended_users=tuple(raw["intended_users"]),
            description=raw["description"],
            notice=raw.get("notice", ""),
            phases=tuple(raw.get("phases", DEFAULT_PHASES)),
            sections=sections,
            flags=self.flags,
            scores=scores,
            rules=rules,
            source_text=source_text,
            digest=digest(source_text),
        )


# --- Entry points -------------------------------------------------------------------------------


def digest(source_text: str) -> str:
    return hashlib.sha256(source_text.encode("utf-8", "surrogatepass")).hexdigest()


def parse_definition(text: str, source: str) -> Instrument:
    """Check a definition's text and build the instrument, or raise InstrumentDefinitionError
    listing every problem."""
    try:
        raw = _parse_text(text)
        keys = list(_non_string_keys(raw))
        if keys:
            raise _Refused(
                [
                    Problem(
                        _schema_location(raw, path[:-1]),
                        f"de naam {path[-1]!r} moet tekst zijn, bijvoorbeeld tussen aanhalingstekens",
                    )
                    for path in keys
                ]
            )
        if raw is None:
            raise _Refused([Problem("bestand", "het bestand is leeg")])
        broken = list(_surrogates(raw))
        if broken:
            raise _Refused(
                [
                    Problem(
                        _schema_location(raw, path),
                        f"bevat een teken dat niet kan worden opgeslagen ({code})",
                        _schema_path(raw, path),
                    )
                    for path, code in broken
                ]
            )
        problems = _schema_problems(raw)
        if problems:
            raise _Refused(problems)
        return _Builder(raw).build(text)
    except _Refused as refused:
        raise InstrumentDefinitionError(source, refused.problems) from None
    except RecursionError:
        raise InstrumentDefinitionError(
            source, [Problem("bestand", "het bestand is te diep genest")]
        ) from None


def definition_data(text: str, source: str) -> dict[str, Any]:
    """The plain data of a definition's text (read as strictly as `parse_definition` does), for
    building a changed version of it. Raises InstrumentDefinitionError if it cannot be read."""
    try:
        raw = _parse_text(text)
    except _Refused as refused:
        raise InstrumentDefinitionError(source, refused.problems) from None
    if not isinstance(raw, dict):
        raise InstrumentDefinitionError(source, [Problem("bestand", "dit is geen definitie")])
    return raw


def parse_upload(data: bytes, source: str) -> Instrument:
    """A definition from an uploaded file: UTF-8 (with or without BOM) text."""
    if len(data) > MAX_SOURCE_BYTES:
        raise InstrumentDefinitionError(
            source, [Problem("bestand", "het bestand is groter dan 256 kB")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentDefinitionError(
            source, [Problem("bestand", "het bestand is geen UTF-8-tekst (sla het op als UTF-8)")]
        ) from None
    return parse_definition(text, source)


def load_file(path: Path) -> Instrument:
    return parse_definition(path.read_text(encoding="utf-8"), path.name)


@cache
def shipped_instruments() -> dict[str, Instrument]:
    """The instruments that come with Meldwijzer, by key. A broken file stops the start-up."""
    instruments: dict[str, Instrument] = {}
    for path in sorted(DEFINITION_DIR.glob("*.yaml")):
        instrument = load_file(path)
        if instrument.key in instruments:
            raise InstrumentDefinitionError(
                path.name, [Problem("algemeen", f"sleutel '{instrument.key}' is al in gebruik")]
            )
        instruments[instrument.key] = instrument
    return instruments
