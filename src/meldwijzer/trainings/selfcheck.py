"""Self-checks: a short knowledge quiz about the meldcode, per beroepsgroep, with results that only
the professional who answered can see.

The questions are data (`selfchecks/*.yaml`): `algemeen.yaml` holds the questions for everyone,
and a beroepsgroep's file (`onderwijs.yaml`, `artsen.yaml`, …) adds a few of its own. Each file
says as of when it is right (`stand`), where its facts come from (`bron`) and its `versie`. A quiz
is the general questions followed by the beroepsgroep's; a beroepsgroep without a file gets the
general questions only. Files are validated when loaded and at start-up (`TrainingsConfig.ready`);
a broken file fails with its name and the field at fault.

An attempt (`SelfCheckAttempt`) keeps the beroepsgroep, the quiz version, the score and a copy of
each question as it was asked with the chosen and the right options, so a past attempt reads the
same after the questions change. Attempts are private: `attempt_get` gives an attempt to the
person who made it and to nobody else — not the aandachtsfunctionaris, not the beheerder, not the
platform —; anyone else gets 'not found' and a refused row in the access log. What leaves the
professional are raw totals per beroepsgroep (`selfcheck_figures`), which the datalab protects
before it shows them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from meldwijzer.audit.models import Action, Subject
from meldwijzer.organisations.models import Organisation, Profession
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_profession
from meldwijzer.trainings.events import trainings_event, trainings_refused
from meldwijzer.trainings.models import SelfCheckAttempt

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.organisations.models import Municipality

QUIZ_DIR = Path(__file__).resolve().parent / "selfchecks"
GENERAL = "algemeen"
"""The file with the questions for everyone; every quiz starts with them."""

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")
_OPTION_KEY = re.compile(r"^[a-z0-9]{1,10}$")
_FILE_FIELDS = {"beroepsgroep", "titel", "versie", "stand", "bron", "vragen"}
_QUESTION_FIELDS = {"id", "vraag", "opties", "goed", "uitleg"}
MIN_OPTIONS, MAX_OPTIONS = 2, 4


class SelfCheckError(ValueError):
    """A question file is invalid; the message names the file and the field."""


class SelfCheckInputError(ValueError):
    """Answers that cannot be scored: per question id the problem (`errors`), or a problem with
    the whole form (`message`). Nothing was stored."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


# ---------------------------------------------------------------------------------------------
# The questions as data


@dataclass(frozen=True)
class Option:
    key: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    options: tuple[Option, ...]
    right: tuple[str, ...]
    explanation: str

    @property
    def multiple(self) -> bool:
        """More than one option is right: the professional chooses all right ones."""
        return len(self.right) > 1

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(option.key for option in self.options)

    def label(self, key: str) -> str:
        return next((option.text for option in self.options if option.key == key), key)


@dataclass(frozen=True)
class QuizFile:
    """The questions of one file."""

    name: str
    profession: str
    title: str
    version: int
    stand: datetime.date
    bron: str
    questions: tuple[Question, ...]


def _text(value: Any, source: str, field: str) -> str:
    """A text is one paragraph, or a list of parts set one after the other."""
    if isinstance(value, list) and value and all(isinstance(part, str) for part in value):
        value = " ".join(part.strip() for part in value)
    if not isinstance(value, str) or not value.strip():
        raise SelfCheckError(f"{source}: '{field}' moet een (niet-lege) tekst zijn")
    return " ".join(value.split())


def _unknown(raw: dict[Any, Any], known: set[str], source: str, prefix: str = "") -> None:
    unknown = sorted(str(key) for key in raw if key not in known)
    if unknown:
        raise SelfCheckError(f"{source}: onbekend veld '{prefix}{unknown[0]}'")


def _options(raw: Any, source: str, field: str) -> tuple[Option, ...]:
    if not isinstance(raw, dict):
        raise SelfCheckError(f"{source}: '{field}' moet een lijst van opties zijn (sleutel: tekst)")
    if not MIN_OPTIONS <= len(raw) <= MAX_OPTIONS:
        raise SelfCheckError(
            f"{source}: '{field}' moet {MIN_OPTIONS} tot {MAX_OPTIONS} opties hebben, niet {len(raw)}"
        )
    options = []
    for key, text in raw.items():
        if not isinstance(key, str) or not _OPTION_KEY.match(key):
            raise SelfCheckError(
                f"{source}: '{field}.{key}' is geen geldige sleutel (kleine letters of cijfers)"
            )
        options.append(Option(key=key, text=_text(text, source, f"{field}.{key}")))
    texts = [option.text for option in options]
    double = next((text for text in texts if texts.count(text) > 1), None)
    if double is not None:
        raise SelfCheckError(f"{source}: '{field}' heeft twee keer dezelfde optie ('{double}')")
    return tuple(options)


def _right(raw: Any, options: tuple[Option, ...], source: str, field: str) -> tuple[str, ...]:
    right = [raw] if isinstance(raw, str) else raw
    if not isinstance(right, list) or not right:
        raise SelfCheckError(f"{source}: '{field}' moet het juiste antwoord noemen")
    keys = [option.key for option in options]
    for key in right:
        if not isinstance(key, str) or key not in keys:
            raise SelfCheckError(
                f"{source}: '{field}' noemt '{key}', maar dat is geen van de opties "
                f"({', '.join(keys)})"
            )
    if len(set(right)) != len(right):
        raise SelfCheckError(f"{source}: '{field}' noemt een optie twee keer")
    if len(right) == len(keys):
        raise SelfCheckError(f"{source}: '{field}': niet alle opties kunnen goed zijn")
    return tuple(key for key in keys if key in right)


def _question(raw: Any, source: str, field: str) -> Question:
    if not isinstance(raw, dict):
        raise SelfCheckError(f"{source}: '{field}' moet een vraag zijn (id, vraag, opties, …)")
    _unknown(raw, _QUESTION_FIELDS, source, f"{field}.")
    question_id = raw.get("id")
    if not isinstance(question_id, str) or not _ID.match(question_id):
        raise SelfCheckError(
            f"{source}: '{field}.id' moet een korte naam zijn (kleine letters, cijfers, streepjes)"
        )
    options = _options(raw.get("opties"), source, f"{field}.opties")
    return Question(
        id=question_id,
        text=_text(raw.get("vraag"), source, f"{field}.vraag"),
        options=options,
        right=_right(raw.get("goed"), options, source, f"{field}.goed"),
        explanation=_text(raw.get("uitleg"), source, f"{field}.uitleg"),
    )


def load_file(path: Path) -> QuizFile:
    """Read and check one question file; raise `SelfCheckError` naming the file and field."""
    source = path.name
    if not path.exists():
        raise SelfCheckError(f"{source}: het bestand bestaat niet")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as error:  # ValueError: bad encoding or date
        raise SelfCheckError(f"{source}: geen geldige YAML ({error})") from error
    if not isinstance(raw, dict):
        raise SelfCheckError(f"{source}: het bestand bevat geen vragen")
    _unknown(raw, _FILE_FIELDS, source)
    profession = raw.get("beroepsgroep")
    if profession != path.stem:
        raise SelfCheckError(
            f"{source}: 'beroepsgroep' moet '{path.stem}' zijn, de naam van het bestand"
        )
    if profession not in Profession.values:
        raise SelfCheckError(f"{source}: 'beroepsgroep' '{profession}' is geen beroepsgroep")
    version = raw.get("versie")
    if not isinstance(version, int) or isinstance(version, bool) or not 0 < version < 10000:
        raise SelfCheckError(f"{source}: 'versie' moet een heel getal zijn (1, 2, …)")
    stand = raw.get("stand")
    if not isinstance(stand, datetime.date) or isinstance(stand, datetime.datetime):
        raise SelfCheckError(f"{source}: 'stand' moet een datum zijn (jjjj-mm-dd)")
    items = raw.get("vragen")
    if not isinstance(items, list) or not items:
        raise SelfCheckError(f"{source}: 'vragen' ontbreekt of is geen lijst van vragen")
    questions: list[Question] = []
    for number, item in enumerate(items, start=1):
        question = _question(item, source, f"vragen[{number}]")
        if any(seen.id == question.id for seen in questions):
            raise SelfCheckError(
                f"{source}: 'vragen[{number}].id' '{question.id}' komt twee keer voor"
            )
        questions.append(question)
    return QuizFile(
        name=source,
        profession=profession,
        title=_text(raw.get("titel"), source, "titel"),
        version=version,
        stand=stand,
        bron=_text(raw.get("bron"), source, "bron"),
        questions=tuple(questions),
    )


@cache
def quiz_files(directory: Path = QUIZ_DIR) -> dict[str, QuizFile]:
    """Every question file, by beroepsgroep; the general file must be there, and no
    beroepsgroep's question may take an id of the general questions."""
    files = {path.stem: load_file(path) for path in sorted(directory.glob("*.yaml"))}
    general = files.get(GENERAL)
    if general is None:
        raise SelfCheckError(f"{GENERAL}.yaml: het bestand bestaat niet")
    general_ids = {question.id for question in general.questions}
    for name, quiz_file in files.items():
        if name == GENERAL:
            continue
        for number, question in enumerate(quiz_file.questions, start=1):
            if question.id in general_ids:
                raise SelfCheckError(
                    f"{quiz_file.name}: 'vragen[{number}].id' '{question.id}' is al een vraag "
                    f"in {GENERAL}.yaml"
                )
    return files


def load_all(directory: Path | None = None) -> dict[str, QuizFile]:
    """Every question file, read again (the start-up check)."""
    quiz_files.cache_clear()
    return quiz_files(directory or QUIZ_DIR)


@dataclass(frozen=True)
class Quiz:
    """What one beroepsgroep answers: the general questions, then its own."""

    profession: str
    parts: tuple[QuizFile, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(question for part in self.parts for question in part.questions)

    @property
    def version(self) -> str:
        """'algemeen:1+onderwijs:2': which version of each file was asked."""
        return "+".join(f"{part.profession}:{part.version}" for part in self.parts)

    @property
    def stand(self) -> datetime.date:
        return max(part.stand for part in self.parts)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(part.bron for part in self.parts))

    @property
    def own_questions(self) -> int:
        """How many questions the beroepsgroep has of its own."""
        return sum(len(part.questions) for part in self.parts[1:])


def profession_label(code: str) -> str:
    return str(Profession(code).label) if code in Profession.values else code


def quiz_for(profession: str) -> Quiz | None:
    """The quiz of a beroepsgroep, or None for a code that is no beroepsgroep."""
    if profession not in Profession.values:
        return None
    files = quiz_files()
    parts = [files[GENERAL]]
    if profession != GENERAL and profession in files:
        parts.append(files[profession])
    return Quiz(profession=profession, parts=tuple(parts))


def profession_choices() -> list[tuple[str, str, int]]:
    """Every beroepsgroep with its label and how many questions of its own it has."""
    files = quiz_files()
    return [
        (code, str(label), len(files[code].questions) if code in files and code != GENERAL else 0)
        for code, label in Profession.choices
    ]


def profession_default(*, actor: Actor) -> str:
    """The beroepsgroep the start page proposes: the actor's own, else their sector's, else the
    general one."""
    return actor_profession(actor=actor) or GENERAL


# ---------------------------------------------------------------------------------------------
# Scoring


@dataclass(frozen=True)
class Scored:
    score: int
    total: int
    answers: dict[str, Any]
    """What is stored with the attempt: each question as asked, with the chosen and the right
    options and whether the answer was right."""


NOT_ANSWERED = "Deze vraag is nog niet beantwoord."


def _numbers(numbers: list[int]) -> str:
    words = [str(number) for number in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} en {words[-1]}"


def score(quiz: Quiz, answers: Mapping[str, Sequence[str]]) -> Scored:
    """Score the answers to every question of the quiz (pure: no database). A question without
    an answer, with an option it does not have, or with several options where one is right is
    refused; the error names every such question by its number."""
    errors: dict[str, str] = {}
    unanswered: list[int] = []
    rows: list[dict[str, Any]] = []
    right_count = 0
    for number, question in enumerate(quiz.questions, start=1):
        chosen = list(dict.fromkeys(str(key) for key in answers.get(question.id, ())))
        if not chosen:
            errors[question.id] = NOT_ANSWERED
            unanswered.append(number)
            continue
        if any(key not in question.keys for key in chosen):
            errors[question.id] = "Kies een van de antwoorden bij deze vraag."
            continue
        if len(chosen) > 1 and not question.multiple:
            errors[question.id] = "Kies één antwoord."
            continue
        correct = set(chosen) == set(question.right)
        right_count += correct
        rows.append(
            {
                "id": question.id,
                "text": question.text,
                "options": [[option.key, option.text] for option in question.options],
                "right": list(question.right),
                "chosen": [key for key in question.keys if key in chosen],
                "correct": correct,
                "explanation": question.explanation,
            }
        )
    if errors:
        if unanswered:
            label = "Vraag" if len(unanswered) == 1 else "Vragen"
            verb = "is" if len(unanswered) == 1 else "zijn"
            message = f"{label} {_numbers(unanswered)} {verb} nog niet beantwoord."
        else:
            message = "Controleer uw antwoorden bij de gemarkeerde vragen."
        raise SelfCheckInputError(message, errors)
    return Scored(
        score=right_count,
        total=len(quiz.questions),
        answers={"quiz": quiz.version, "questions": rows},
    )


# ---------------------------------------------------------------------------------------------
# Reads and writes


def attempts_mine(*, actor: Actor) -> QuerySet[SelfCheckAttempt]:
    """The actor's own attempts, newest first (any organisation they made them for)."""
    return (
        SelfCheckAttempt.objects.filter(user=actor.user)
        .select_related("organisation")
        .defer("answers")
        .order_by("-taken_at", "-id")
    )


def attempt_get(*, actor: Actor, attempt_id: int) -> SelfCheckAttempt:
    """One attempt, for the person who made it only. Anyone else — a colleague, the
    aandachtsfunctionaris, the beheerder, the platform — gets 'not found', logged."""
    attempt = (
        SelfCheckAttempt.objects.filter(pk=attempt_id, user=actor.user)
        .select_related("organisation")
        .first()
    )
    if attempt is None:
        trainings_refused(actor=actor, subject=Subject.SELF_CHECK, subject_id=str(attempt_id))
    return attempt


def attempt_questions(attempt: SelfCheckAttempt) -> list[dict[str, Any]]:
    """The questions of an attempt as they were asked, with the chosen and the right options."""
    answers = attempt.answers if isinstance(attempt.answers, dict) else {}
    questions = answers.get("questions", [])
    return (
        [item for item in questions if isinstance(item, dict)]
        if isinstance(questions, list)
        else []
    )


def attempt_record(
    *,
    actor: Actor,
    profession: str,
    quiz_version: str,
    answers: Mapping[str, Sequence[str]],
) -> SelfCheckAttempt:
    """Score and keep one attempt, for the actor and the organisation they act for. The answers
    must be to the quiz version the professional was shown (`quiz_version`); otherwise, or with
    any question unanswered, `SelfCheckInputError` and nothing is stored."""
    if not actor.can(Permission.CASE_WORK):
        trainings_refused(actor=actor, subject=Subject.SELF_CHECK, action=Action.CREATE)
    quiz = quiz_for(profession)
    if quiz is None:
        raise SelfCheckInputError(
            "Kies uw beroepsgroep.", {"beroepsgroep": "Kies uw beroepsgroep."}
        )
    if quiz_version != quiz.version:
        raise SelfCheckInputError(
            "De vragen zijn intussen bijgewerkt. Beantwoord ze opnieuw; uw antwoorden zijn niet "
            "opgeslagen."
        )
    scored = score(quiz, answers)
    with transaction.atomic():
        attempt = SelfCheckAttempt.objects.create(
            user=actor.user,
            organisation=actor.organisation,
            profession=profession,
            quiz_version=quiz.version,
            score=scored.score,
            total=scored.total,
            answers=scored.answers,
        )
        trainings_event(
            actor=actor,
            action=Action.CREATE,
            subject=Subject.SELF_CHECK,
            subject_id=str(attempt.pk),
        )
    return attempt


# ---------------------------------------------------------------------------------------------
# Figures for the datalab


@dataclass(frozen=True)
class SelfCheckFigures:
    """Raw totals of one beroepsgroep's attempts, for the datalab to protect."""

    professionals: int
    attempts: int
    answers_right: int
    answers_total: int


def selfcheck_figures(*, municipality: Municipality) -> dict[str, SelfCheckFigures]:
    """Per beroepsgroep, the attempts by professionals of organisations working in the
    municipality: raw totals for the datalab, which protects them before they are shown.

    An organisation counts when it is seated in the municipality or works in it
    (`Organisation.works_in`); one query, each attempt counted once."""
    organisations = Organisation.objects.filter(
        Q(municipality=municipality) | Q(works_in=municipality)
    ).values("pk")
    rows = (
        SelfCheckAttempt.objects.filter(organisation__in=organisations)
        .values("profession")
        .annotate(
            professionals=Count("user", distinct=True),
            attempts=Count("id"),
            answers_right=Sum("score"),
            answers_total=Sum("total"),
        )
        .order_by("profession")
    )
    return {
        row["profession"]: SelfCheckFigures(
            professionals=row["professionals"],
            attempts=row["attempts"],
            answers_right=row["answers_right"] or 0,
            answers_total=row["answers_total"] or 0,
        )
        for row in rows
    }
