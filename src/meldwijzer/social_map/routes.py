"""The routekaart: from a situation to a route, with the rules as data (`routes.yaml`).

A professional describes the situation — forms of violence, target group, family profiles (the
Verwey-Jonker profiles, as suggested by an instrument or chosen by hand), urgency, the meldcode
step and a postcode. Every rule whose conditions hold adds to the route: whom to consult, which
kinds of help fit and why, notes, and how urgently Veilig Thuis must be involved (the most urgent
level of the rules that hold). For each kind of help the sociale kaart is searched near the
postcode, and each service found says why it fits. The route guides; the professional decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from meldwijzer.cases.workflow import STEP_INFO, Phase
from meldwijzer.social_map import selectors, taxonomies
from meldwijzer.social_map.models import Contact

RULES_FILE = Path(__file__).resolve().parent / "routes.yaml"
CONDITIONS = ("violence", "target_groups", "profiles", "urgency", "steps")
CANDIDATES = 30
SERVICES_PER_HELP_TYPE = 3


class RouteRulesError(ValueError):
    """The route rules are invalid; the message names the file, the rule and the problem."""


@dataclass(frozen=True)
class Consult:
    """Someone to consult. `anonymous`: outside Veilig Thuis and the professional's own
    organisation, so the meldrecht does not cover sharing with them (see `Reminder`)."""

    id: str
    title: str
    text: str
    phone: str = ""
    officer: bool = False
    anonymous: bool = False


@dataclass(frozen=True)
class Reminder:
    title: str
    text: str


@dataclass(frozen=True)
class Urgency:
    """A choice for 'onveiligheid'. `alone`: it cannot be combined with another choice."""

    code: str
    label: str
    help: str
    alone: bool = False


@dataclass(frozen=True)
class Level:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Rule:
    id: str
    when: dict[str, frozenset[str]]
    why: str
    note: str
    consult: tuple[str, ...]
    help: tuple[str, ...]
    avoid: tuple[str, ...]
    veilig_thuis: str

    def applies(self, situation: Situation) -> bool:
        given = {
            "violence": situation.violence,
            "target_groups": situation.target_groups,
            "profiles": situation.profiles,
            "urgency": situation.urgency,
            "steps": {situation.step} if situation.step else set(),
        }
        return all(codes & set(given[key]) for key, codes in self.when.items())


@dataclass(frozen=True)
class RuleSet:
    version: str
    profiles: dict[str, str]
    urgency: dict[str, Urgency]
    """Acute and structural unsafety can hold together; an `alone` choice stands by itself."""
    levels: list[Level]
    consult: dict[str, Consult]
    anonymous_reminder: Reminder
    """Shown with every consult entry outside the meldrecht (Wmo 2015 art. 5.2.6)."""
    rules: list[Rule]
    specialised: frozenset[str]
    """Forms of violence whose specialised help fits only situations that name them."""

    def level(self, level_id: str) -> Level:
        return next(level for level in self.levels if level.id == level_id)

    def urgency_conflict(self, codes: frozenset[str]) -> str:
        """Why these urgency codes cannot be chosen together ('' when they can)."""
        chosen = [urgency for code, urgency in self.urgency.items() if code in codes]
        alone = next((urgency for urgency in chosen if urgency.alone), None)
        if alone is None or len(chosen) == 1:
            return ""
        others = [urgency.label.lower() for urgency in chosen if urgency is not alone]
        return f"U kunt ‘{alone.label}’ niet samen met {_joined(others)} kiezen. Kies het een of het ander."


def _joined(parts: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'; labels after the first start in lower case ('Acute
    onveiligheid en structurele onveiligheid'), abbreviations stay as they are."""
    parts = [parts[0], *(_lower_first(part) for part in parts[1:])] if parts else []
    return " en ".join([", ".join(parts[:-1]), parts[-1]]) if len(parts) > 1 else "".join(parts)


def _lower_first(label: str) -> str:
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _require(condition: bool, where: str, problem: str) -> None:
    if not condition:
        raise RouteRulesError(f"{where}: {problem}")


def _codes(value: Any, where: str) -> tuple[str, ...]:
    _require(
        isinstance(value, list) and all(isinstance(v, str) for v in value),
        where,
        "verwacht een lijst met codes",
    )
    return tuple(value)


def build_rules(raw: Any, source: str = RULES_FILE.name) -> RuleSet:
    """Validate the rules file and turn it into a RuleSet."""
    _require(isinstance(raw, dict), source, "het bestand bevat geen regels")
    for key in (
        "version", "profiles", "urgency", "veilig_thuis", "consult", "anonymous_reminder", "rules"
    ):  # fmt: skip
        _require(bool(raw.get(key)), source, f"'{key}' ontbreekt")
    for key in ("profiles", "urgency", "veilig_thuis", "consult", "anonymous_reminder"):
        _require(
            isinstance(raw[key], dict), source, f"'{key}' moet codes met een omschrijving zijn"
        )
    profiles = {str(code): str(label) for code, label in raw["profiles"].items()}
    urgency = {}
    for code, body in raw["urgency"].items():
        _require(
            isinstance(body, dict) and bool(body.get("label")),
            source,
            f"urgentie '{code}': 'label' ontbreekt",
        )
        urgency[str(code)] = Urgency(
            str(code), str(body["label"]), str(body.get("help", "")), bool(body.get("alone"))
        )
    levels = []
    for code, body in raw["veilig_thuis"].items():
        _require(
            isinstance(body, dict) and bool(body.get("title")) and bool(body.get("text")),
            source,
            f"Veilig Thuis-niveau '{code}': 'title' en 'text' zijn nodig",
        )
        levels.append(Level(str(code), str(body["title"]), str(body["text"])))
    consult = {}
    for code, body in raw["consult"].items():
        _require(
            isinstance(body, dict) and bool(body.get("title")),
            source,
            f"raadplegen '{code}': 'title' ontbreekt",
        )
        _require(
            isinstance(body.get("anonymous"), bool),
            source,
            f"raadplegen '{code}': zeg met 'anonymous: true' of 'false' of het meldrecht het "
            "delen dekt",
        )
        consult[str(code)] = Consult(
            str(code),
            str(body["title"]),
            str(body.get("text", "")),
            str(body.get("phone", "")),
            bool(body.get("officer")),
            body["anonymous"],
        )
    reminder = raw["anonymous_reminder"]
    _require(
        bool(reminder.get("title")) and bool(reminder.get("text")),
        source,
        "'anonymous_reminder': 'title' en 'text' zijn nodig",
    )
    known = {
        "violence": set(taxonomies.taxonomy(taxonomies.VIOLENCE).terms),
        "target_groups": set(taxonomies.taxonomy(taxonomies.TARGET_GROUPS).terms),
        "profiles": set(profiles),
        "urgency": set(urgency),
        "steps": set(Phase.values),
    }
    help_types = set(taxonomies.taxonomy(taxonomies.HELP_TYPES).terms)
    specialised = _codes(raw.get("specialised", []), f"{source}, specialised")
    unknown_forms = sorted(set(specialised) - known["violence"])
    _require(
        not unknown_forms,
        source,
        f"onbekende vorm(en) van geweld bij specialised: {', '.join(unknown_forms)}",
    )
    level_ids = {level.id for level in levels}
    _require(isinstance(raw["rules"], list), source, "'rules' moet een lijst zijn")
    rules, seen = [], set()
    for index, body in enumerate(raw["rules"], start=1):
        _require(isinstance(body, dict), source, f"regel {index} is geen definitie")
        rule_id = str(body.get("id") or "")
        where = f"{source}, regel '{rule_id or index}'"
        _require(bool(rule_id), where, "'id' ontbreekt")
        _require(rule_id not in seen, where, "dit id komt twee keer voor")
        seen.add(rule_id)
        _require(bool(body.get("why")), where, "'why' ontbreekt: elke regel zegt waarom")
        when = body.get("when") or {}
        _require(isinstance(when, dict), where, "'when' moet voorwaarden bevatten")
        conditions = {}
        for key, value in when.items():
            _require(
                key in CONDITIONS,
                where,
                f"onbekende voorwaarde '{key}' (kies uit {', '.join(CONDITIONS)})",
            )
            codes = _codes(value, f"{where}, {key}")
            unknown = sorted(set(codes) - known[key])
            _require(not unknown, where, f"onbekende code(s) bij {key}: {', '.join(unknown)}")
            conditions[key] = frozenset(codes)
        consults = _codes(body.get("consult", []), f"{where}, consult")
        unknown = sorted(set(consults) - set(consult))
        _require(not unknown, where, f"onbekend wie te raadplegen: {', '.join(unknown)}")
        helps = _codes(body.get("help", []), f"{where}, help")
        avoid = _codes(body.get("avoid", []), f"{where}, avoid")
        unknown = sorted((set(helps) | set(avoid)) - help_types)
        _require(not unknown, where, f"onbekende soort hulp: {', '.join(unknown)}")
        level = str(body.get("veilig_thuis") or "")
        _require(not level or level in level_ids, where, f"onbekend Veilig Thuis-niveau '{level}'")
        rules.append(
            Rule(
                rule_id,
                conditions,
                str(body["why"]).strip(),
                str(body.get("note") or "").strip(),
                consults,
                helps,
                avoid,
                level,
            )
        )
    return RuleSet(
        str(raw["version"]), profiles, urgency, levels, consult,
        Reminder(str(reminder["title"]), str(reminder["text"]).strip()), rules,
        frozenset(specialised),
    )  # fmt: skip


def load_rules(path: Path) -> RuleSet:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as error:
        raise RouteRulesError(f"{path.name}: geen geldige YAML ({error})") from error
    return build_rules(raw, path.name)


@cache
def rules() -> RuleSet:
    return load_rules(RULES_FILE)


# --- Building a route ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    violence: frozenset[str] = frozenset()
    target_groups: frozenset[str] = frozenset()
    profiles: frozenset[str] = frozenset()
    urgency: frozenset[str] = frozenset()
    """Acuut and/or structureel, or geen; empty when not known."""
    step: str = ""
    postcode: str = ""


@dataclass
class ServiceFit:
    hit: selectors.Hit
    reasons: list[str]


@dataclass
class HelpNeed:
    code: str
    label: str
    reasons: list[str]
    services: list[ServiceFit] = field(default_factory=list)


@dataclass
class ConsultAdvice:
    consult: Consult
    reasons: list[str]
    officer: Contact | None = None
    reminder: Reminder | None = None
    """What the meldrecht does not cover, for everyone but Veilig Thuis and the own officer."""


@dataclass
class Route:
    situation: Situation
    step_label: str
    step_guidance: str
    level: Level
    level_reasons: list[str]
    consult: list[ConsultAdvice]
    help: list[HelpNeed]
    notes: list[str]
    applied: list[Rule]
    summary: list[tuple[str, str]] = field(default_factory=list)
    """The situation in words: (what, as chosen), for the top of the route."""


def _fit(hit: selectors.Hit, situation: Situation, label: str) -> ServiceFit:
    """Why a service fits: what it offers, for whom, near where."""
    service = hit.service
    codes = {(term.taxonomy, term.code) for term in service.terms.all()}
    reasons = [f"biedt {label.lower()}"]
    groups = taxonomies.taxonomy(taxonomies.TARGET_GROUPS)
    violence = taxonomies.taxonomy(taxonomies.VIOLENCE)
    reasons += [
        f"voor {groups.label(code).lower()}"
        for code in sorted(situation.target_groups)
        if (taxonomies.TARGET_GROUPS, code) in codes
    ]
    reasons += [
        f"bij {violence.label(code).lower()}"
        for code in sorted(situation.violence)
        if (taxonomies.VIOLENCE, code) in codes
    ]
    if hit.distance_km is not None:
        reasons.append(f"op {hit.distance_km:.0f} km" if hit.distance_km >= 1 else "dichtbij")
    elif situation.postcode:
        reasons.append("telefonisch, online of op een adres dat niet openbaar is")
    return ServiceFit(hit, reasons)


def _score(hit: selectors.Hit, situation: Situation) -> tuple[int, float]:
    codes = {(term.taxonomy, term.code) for term in hit.service.terms.all()}
    matches = sum((taxonomies.TARGET_GROUPS, code) in codes for code in situation.target_groups)
    matches += sum((taxonomies.VIOLENCE, code) in codes for code in situation.violence)
    distance = hit.distance_km if hit.distance_km is not None else 10_000.0
    return (-matches, distance)


def _fits(hit: selectors.Hit, situation: Situation, avoid: set[str]) -> bool:
    """Not a kind of help the rules advise against, and not help meant only for a specialised
    form of violence the situation does not name (sexual-violence care for neglect)."""
    terms = [(term.taxonomy, term.code) for term in hit.service.terms.all()]
    if any(taxonomy == taxonomies.HELP_TYPES and code in avoid for taxonomy, code in terms):
        return False
    forms = {code for taxonomy, code in terms if taxonomy == taxonomies.VIOLENCE}
    only_specialised = bool(forms) and forms <= rules().specialised
    return not (situation.violence and only_specialised and not forms & situation.violence)


def _services(code: str, label: str, situation: Situation, avoid: set[str]) -> list[ServiceFit]:
    criteria = selectors.Criteria(
        postcode=situation.postcode, help_types=(code,), sort=selectors.SORT_DISTANCE
    )
    hits = [
        hit
        for hit in selectors.service_search(criteria, limit=CANDIDATES).hits
        if _fits(hit, situation, avoid)
    ]
    hits.sort(key=lambda hit: _score(hit, situation))
    return [_fit(hit, situation, label) for hit in hits[:SERVICES_PER_HELP_TYPE]]


def situation_summary(situation: Situation) -> list[tuple[str, str]]:
    """The situation as the professional chose it, in words; every urgency that holds."""
    ruleset = rules()
    rows = []
    for label, taxonomy_id, codes in (
        ("Vorm(en) van geweld", taxonomies.VIOLENCE, situation.violence),
        ("Doelgroep", taxonomies.TARGET_GROUPS, situation.target_groups),
    ):
        if codes:
            terms = taxonomies.taxonomy(taxonomy_id)
            rows.append((label, _joined([terms.label(code) for code in sorted(codes)])))
    if situation.profiles:
        names = [name for code, name in ruleset.profiles.items() if code in situation.profiles]
        rows.append(("Gezinsprofiel(en)", _joined(names)))
    if situation.urgency:
        urgency = [u.label for code, u in ruleset.urgency.items() if code in situation.urgency]
        rows.append(("Onveiligheid", _joined(urgency)))
    if situation.step in Phase.values:
        rows.append(("Stap in de meldcode", str(Phase(situation.step).label)))
    if situation.postcode:
        rows.append(("Postcode", situation.postcode))
    return rows


def route_build(situation: Situation, *, officer: Contact | None = None) -> Route:
    """The route for `situation`. `officer`: the professional's own aandachtsfunctionaris."""
    ruleset = rules()
    applied = [rule for rule in ruleset.rules if rule.applies(situation)]
    order = [level.id for level in ruleset.levels]
    level_id = min(
        (rule.veilig_thuis for rule in applied if rule.veilig_thuis),
        key=order.index,
        default=order[-1],
    )
    consults: dict[str, ConsultAdvice] = {}
    needs: dict[str, HelpNeed] = {}
    help_labels = taxonomies.taxonomy(taxonomies.HELP_TYPES)
    for rule in applied:
        for consult_id in rule.consult:
            consult = ruleset.consult[consult_id]
            reminder = ruleset.anonymous_reminder if consult.anonymous else None
            advice = consults.setdefault(consult_id, ConsultAdvice(consult, [], reminder=reminder))
            advice.reasons.append(rule.why)
            if advice.consult.officer:
                advice.officer = officer
        for code in rule.help:
            need = needs.setdefault(code, HelpNeed(code, help_labels.label(code), []))
            need.reasons.append(rule.why)
    avoid = {code for rule in applied for code in rule.avoid}
    for code in avoid:
        needs.pop(code, None)
    for need in needs.values():
        need.services = _services(need.code, need.label, situation, avoid)
    info = STEP_INFO.get(situation.step)
    step_label = Phase(situation.step).label if situation.step in Phase.values else ""
    return Route(
        situation=situation,
        step_label=step_label,
        step_guidance=info.guidance if info else "",
        level=ruleset.level(level_id),
        level_reasons=[rule.why for rule in applied if rule.veilig_thuis == level_id],
        consult=list(consults.values()),
        help=list(needs.values()),
        notes=[rule.note for rule in applied if rule.note],
        applied=applied,
        summary=situation_summary(situation),
    )
