"""The afwegingskader as data: one YAML file per beroepsgroep in `frameworks/`, deriving from a
shared default.

A framework is a small decision graph: each weighing question has a `ja` and a `nee` answer that
leads either to the next question or to an indicated outcome with an explanation. The system
shows the path and the professionele norm; the professional decides (`cases.services.case_decide`).
Definitions are validated when loaded; a broken file fails with its name and the problem.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

FRAMEWORK_DIR = Path(__file__).resolve().parent / "frameworks"
DEFAULT_FRAMEWORK = "algemeen"
ANSWERS = ("ja", "nee")
OUTCOMES = {"close", "close_followup", "help", "report"}
PHASES = {"stap_4", "stap_5", "hulp"}
CLIENTS = {"volwassenen": "volwassene", "kinderen": "kind", "beide": ""}
"""Whom a beroepsgroep usually works with, and the client that follows for a new case ('' when
the professional chooses)."""


class FrameworkError(ValueError):
    """A framework file is invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class Answer:
    next: str | None
    outcome: str | None
    explanation: str
    review: str | None = None
    """For outcome 'help': the question to answer at the review date (afweging 5)."""


@dataclass(frozen=True)
class Kind:
    """One of the kinds a 'ja' must name, such as acute or structural unsafety in afweging 2."""

    id: str
    label: str
    help: str


@dataclass(frozen=True)
class Question:
    id: str
    phase: str
    text: str
    help: str
    answers: dict[str, Answer]
    kinds: dict[str, Kind] = field(default_factory=dict)
    """With a 'ja', the professional names one or more of these (none with a 'nee')."""


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    version: str
    professions: list[str]
    norm: str
    definitions: dict[str, str]
    rules: list[dict[str, str]]
    start: str
    questions: dict[str, Question]
    clients: str = "beide"
    child_check: str = ""
    """This beroepsgroep's own guidance for the kindcheck."""

    @property
    def default_client(self) -> str:
        return CLIENTS[self.clients]

    def walk(self, answers: dict[str, str]) -> Walk:
        """Follow the given answers from the start; stop at the first unanswered question."""
        path: list[tuple[Question, str]] = []
        current: str | None = self.start
        while current is not None:
            question = self.questions[current]
            answer = answers.get(current)
            if answer not in ANSWERS:
                return Walk(path=path, next_question=question)
            path.append((question, answer))
            chosen = question.answers[answer]
            if chosen.review is not None and chosen.review in answers:
                current = chosen.review  # the review after help has been answered: go on
                continue
            if chosen.outcome is not None:
                review = self.questions[chosen.review] if chosen.review else None
                return Walk(
                    path=path,
                    outcome=chosen.outcome,
                    explanation=chosen.explanation,
                    review_question=review,
                )
            current = chosen.next
        raise AssertionError("validated frameworks always end in an outcome")  # pragma: no cover


@dataclass(frozen=True)
class Walk:
    path: list[tuple[Question, str]] = field(default_factory=list)
    next_question: Question | None = None
    outcome: str | None = None
    explanation: str = ""
    review_question: Question | None = None


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _require(condition: bool, source: str, problem: str) -> None:
    if not condition:
        raise FrameworkError(f"{source}: {problem}")


def build_framework(raw: Any, source: str) -> Framework:
    """Validate a (merged) definition and turn it into a Framework."""
    _require(isinstance(raw, dict), source, "het bestand bevat geen definitie")
    for key in ("id", "title", "version", "start", "norm", "questions"):
        _require(bool(raw.get(key)), source, f"'{key}' ontbreekt")
    _require(isinstance(raw["start"], str), source, "'start' moet de naam van een vraag zijn")
    raw_questions = raw["questions"]
    _require(isinstance(raw_questions, dict), source, "'questions' moet een lijst van vragen zijn")
    questions: dict[str, Question] = {}
    for qid, body in raw_questions.items():
        _require(isinstance(qid, str), source, f"vraag {qid!r}: de naam moet tekst zijn")
        questions[qid] = _build_question(qid, body, source)
    _require(raw["start"] in questions, source, f"startvraag '{raw['start']}' bestaat niet")
    for question in questions.values():
        for name, answer in question.answers.items():
            for target in (answer.next, answer.review):
                _require(
                    target is None or target in questions,
                    source,
                    f"vraag '{question.id}', antwoord '{name}': vervolgvraag '{target}' "
                    "bestaat niet",
                )
    _check_graph(questions, raw["start"], source)
    professions = raw.get("professions") or []
    _require(isinstance(professions, list), source, "'professions' moet een lijst zijn")
    definitions = raw.get("definitions") or {}
    _require(isinstance(definitions, dict), source, "'definitions' moet begrippen met uitleg zijn")
    rules = raw.get("rules") or []
    _require(isinstance(rules, list), source, "'rules' moet een lijst zijn")
    for rule in rules:
        _require(
            isinstance(rule, dict) and bool(rule.get("title")) and bool(rule.get("text")),
            source,
            "elke regel in 'rules' heeft een 'title' en een 'text'",
        )
    clients = raw.get("clients", "beide")
    _require(
        isinstance(clients, str) and clients in CLIENTS,
        source,
        f"'clients' moet {', '.join(sorted(CLIENTS))} zijn, niet '{clients}'",
    )
    child_check = raw.get("child_check") or {}
    _require(
        isinstance(child_check, dict) and isinstance(child_check.get("text", ""), str),
        source,
        "'child_check' heeft een 'text' met de uitleg over de kindcheck",
    )
    return Framework(
        id=str(raw["id"]),
        title=str(raw["title"]),
        version=str(raw["version"]),
        professions=[str(p) for p in professions],
        norm=str(raw["norm"]),
        definitions={str(k): str(v) for k, v in definitions.items()},
        rules=[{"title": str(rule["title"]), "text": str(rule["text"])} for rule in rules],
        start=raw["start"],
        questions=questions,
        clients=clients,
        child_check=str(child_check.get("text", "")).strip(),
    )


def _build_question(qid: str, body: Any, source: str) -> Question:
    where = f"vraag '{qid}'"
    _require(isinstance(body, dict), source, f"{where} is geen definitie")
    for key in ("phase", "text", "answers"):
        _require(bool(body.get(key)), source, f"{where}: '{key}' ontbreekt")
    _require(
        isinstance(body["phase"], str) and body["phase"] in PHASES,
        source,
        f"{where}: onbekende fase '{body['phase']}'",
    )
    _require(
        isinstance(body["answers"], dict) and set(body["answers"]) == set(ANSWERS),
        source,
        f"{where}: precies de antwoorden 'ja' en 'nee' zijn nodig",
    )
    answers = {}
    for name, answer in body["answers"].items():
        here = f"{where}, antwoord '{name}'"
        _require(isinstance(answer, dict), source, f"{here} is geen definitie")
        has_next, has_outcome = "next" in answer, "outcome" in answer
        _require(has_next != has_outcome, source, f"{here}: geef 'next' óf 'outcome'")
        if has_next:
            _require(
                isinstance(answer["next"], str) and bool(answer["next"]),
                source,
                f"{here}: 'next' moet de naam van een vraag zijn",
            )
        if has_outcome:
            _require(
                isinstance(answer["outcome"], str) and answer["outcome"] in OUTCOMES,
                source,
                f"{here}: onbekende uitkomst '{answer['outcome']}'",
            )
        if "review" in answer:
            _require(
                answer.get("outcome") == "help",
                source,
                f"{here}: 'review' hoort alleen bij de uitkomst 'help'",
            )
            _require(
                isinstance(answer["review"], str) and bool(answer["review"]),
                source,
                f"{here}: 'review' moet de naam van een vraag zijn",
            )
        elif answer.get("outcome") == "help":
            _require(False, source, f"{here}: bij de uitkomst 'help' hoort een 'review'-vraag")
        answers[name] = Answer(
            next=answer.get("next"),
            outcome=answer.get("outcome"),
            explanation=str(answer.get("explanation", "")),
            review=answer.get("review"),
        )
    raw_kinds = body.get("kinds") or {}
    _require(isinstance(raw_kinds, dict), source, f"{where}: 'kinds' moet soorten met uitleg zijn")
    kinds = {}
    for kind_id, kind in raw_kinds.items():
        _require(
            isinstance(kind, dict) and bool(kind.get("label")),
            source,
            f"{where}, soort '{kind_id}': 'label' ontbreekt",
        )
        kinds[str(kind_id)] = Kind(str(kind_id), str(kind["label"]), str(kind.get("help", "")))
    return Question(
        id=qid,
        phase=body["phase"],
        text=str(body["text"]),
        help=str(body.get("help", "")),
        answers=answers,
        kinds=kinds,
    )


def _check_graph(questions: dict[str, Question], start: str, source: str) -> None:
    """No loops, and every question can be reached from the start."""
    done: set[str] = set()

    def visit(qid: str, trail: tuple[str, ...]) -> None:
        _require(qid not in trail, source, f"de vragen vormen een kringloop via '{qid}'")
        if qid in done:
            return
        for answer in questions[qid].answers.values():
            for target in (answer.next, answer.review):
                if target is not None:
                    visit(target, (*trail, qid))
        done.add(qid)

    visit(start, ())
    unreached = sorted(set(questions) - done)
    _require(
        not unreached, source, f"vraag {', '.join(unreached)} is vanaf de start niet bereikbaar"
    )


def load_file(path: Path, directory: Path = FRAMEWORK_DIR) -> Framework:
    framework = build_framework(_resolve(path.stem, directory, ()), path.name)
    _require(
        framework.id == path.stem,
        path.name,
        f"'id' is '{framework.id}' maar moet gelijk zijn aan de bestandsnaam ('{path.stem}')",
    )
    return framework


def _resolve(name: str, directory: Path, trail: tuple[str, ...]) -> dict[str, Any]:
    path = directory / f"{name}.yaml"
    if name in trail:
        raise FrameworkError(f"{path.name}: 'extends' vormt een kringloop")
    if not path.exists():
        raise FrameworkError(
            f"{trail[-1] if trail else name}.yaml: bestand '{path.name}' bestaat niet"
        )
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as error:  # ValueError: bad encoding or date
        raise FrameworkError(f"{path.name}: geen geldige YAML ({error})") from error
    if not isinstance(raw, dict):
        raise FrameworkError(f"{path.name}: het bestand bevat geen definitie")
    parent = raw.get("extends")
    if parent:
        if not isinstance(parent, str) or "/" in parent or "\\" in parent:
            raise FrameworkError(f"{path.name}: 'extends' moet de naam van een kader zijn")
        raw = _merge(_resolve(parent, directory, (*trail, name)), raw)
        raw.pop("extends", None)
    return raw


@cache
def frameworks() -> dict[str, Framework]:
    """Every framework in `frameworks/`, by id."""
    loaded = [load_file(path) for path in sorted(FRAMEWORK_DIR.glob("*.yaml"))]
    return {framework.id: framework for framework in loaded}


def framework_for(profession: str) -> Framework:
    available = frameworks()
    return available.get(profession) or available[DEFAULT_FRAMEWORK]


def profession_choices() -> list[tuple[str, str]]:
    return [(f.id, f.title) for f in sorted(frameworks().values(), key=lambda f: f.title)]
