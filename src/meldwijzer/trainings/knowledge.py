"""Knowledge per meldcode step and beroepsgroep, and the signals per target group, as data.

The texts ship as Markdown files with a YAML front matter in `knowledge/`; a file's path is its
key:

- `stap-<n>/algemeen.md`: what step n asks of every professional, what to record, tips, the
  official documents and the local contacts (one per step, all five required);
- `stap-<n>/<beroepsgroep>.md`: what differs for one beroepsgroep (`Profession`), shown below the
  general text; a beroepsgroep without a file reads the general text only;
- `doelgroep/<naam>.md`: signals at a specific target group (elder abuse, exploitation, honour
  related violence...), with the signal categories (`cases.entries.CATEGORIES`) that link to it.

Each file has a `titel`, a `stand` (the date as of which the text is right) and a `bron`. A shipped
file is version 0 of its text; a redacteur writes newer versions (`knowledge_versions`). Like the
guidance of the dossier (`cases.guidance`), the files are checked when loaded and at start-up
(`TrainingsConfig.ready`): a broken file fails with its name and the field at fault.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from meldwijzer.organisations.models import Profession

KNOWLEDGE_DIR = Path(__file__).resolve().parent / "knowledge"

STEP_NUMBERS = (1, 2, 3, 4, 5)
GENERAL = Profession.GENERAL.value
"""The name of a step's general text: the beroepsgroep 'algemeen' reads it alone."""
TARGET_GROUP = "doelgroep"

TITLE_MAX = 200
SOURCE_MAX = 500
BODY_MAX = 20000
"""Size limits of a text, the same for the shipped files and the redacteur's versions."""

FIELDS = ("titel", "stand", "bron")
TARGET_GROUP_FIELDS = (*FIELDS, "categorieen")


class KnowledgeError(ValueError):
    """A knowledge file is invalid; the message names the file and the field."""


@dataclass(frozen=True)
class ShippedText:
    """One text as shipped: version 0."""

    key: str
    title: str
    as_of: datetime.date
    source: str
    body: str
    categories: tuple[str, ...] = ()
    """For a target-group text: the signal categories that link to it."""


def step_group(number: int) -> str:
    return f"stap-{number}"


def step_key(number: int, profession: str = GENERAL) -> str:
    return f"{step_group(number)}/{profession}"


def target_group_key(name: str) -> str:
    return f"{TARGET_GROUP}/{name}"


def _front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise KnowledgeError(f"{source}: het bestand begint niet met '---' (de kop met gegevens)")
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise KnowledgeError(f"{source}: de kop met gegevens sluit niet af met '---'") from None
    try:
        head = yaml.safe_load("\n".join(lines[1:end]))
    except (yaml.YAMLError, ValueError) as error:  # ValueError: an impossible date
        raise KnowledgeError(f"{source}: de kop is geen geldige YAML ({error})") from error
    if not isinstance(head, dict):
        raise KnowledgeError(f"{source}: de kop bevat geen gegevens (titel, stand, bron)")
    return head, "\n".join(lines[end + 1 :]).strip()


def _line(head: dict[str, Any], field: str, source: str, limit: int) -> str:
    value = head.get(field)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeError(f"{source}: '{field}' moet een (niet-lege) tekst zijn")
    value = " ".join(value.split())
    if len(value) > limit:
        raise KnowledgeError(f"{source}: '{field}' is langer dan {limit} tekens")
    return value


def _categories(head: dict[str, Any], source: str) -> tuple[str, ...]:
    from meldwijzer.cases.entries import CATEGORIES

    value = head.get("categorieen", [])
    known = {code for code, _ in CATEGORIES}
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise KnowledgeError(f"{source}: 'categorieen' moet een lijst van soorten signaal zijn")
    unknown = [code for code in value if code not in known]
    if unknown:
        raise KnowledgeError(f"{source}: onbekende soort signaal 'categorieen.{unknown[0]}'")
    return tuple(value)


def _name_check(group: str, name: str, source: str) -> None:
    if group == TARGET_GROUP:
        if not name.replace("_", "").isalnum() or not name.islower():
            raise KnowledgeError(
                f"{source}: de naam van een doelgroep is kleine letters zonder spaties"
            )
        return
    if group not in {step_group(n) for n in STEP_NUMBERS}:
        raise KnowledgeError(f"{source}: onbekende map '{group}' (stap-1 … stap-5 of doelgroep)")
    if name not in Profession.values:
        raise KnowledgeError(f"{source}: onbekende beroepsgroep '{name}'")


def load_file(path: Path, directory: Path) -> ShippedText:
    """Read and check one file."""
    relative = path.relative_to(directory)
    source = relative.as_posix()
    if len(relative.parts) != 2:
        raise KnowledgeError(f"{source}: een tekst staat in een map per stap of in 'doelgroep'")
    group, name = relative.parts[0], relative.stem
    _name_check(group, name, source)
    try:
        text = path.read_text(encoding="utf-8")
    except ValueError as error:
        raise KnowledgeError(f"{source}: geen geldige UTF-8-tekst") from error
    head, body = _front_matter(text, source)
    allowed = TARGET_GROUP_FIELDS if group == TARGET_GROUP else FIELDS
    unknown = sorted(str(field) for field in head if field not in allowed)
    if unknown:
        raise KnowledgeError(f"{source}: onbekend veld '{unknown[0]}'")
    as_of = head.get("stand")
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
        raise KnowledgeError(f"{source}: 'stand' moet een datum zijn (jjjj-mm-dd)")
    if not body:
        raise KnowledgeError(f"{source}: de tekst onder de kop ontbreekt")
    if len(body) > BODY_MAX:
        raise KnowledgeError(f"{source}: de tekst is langer dan {BODY_MAX} tekens")
    return ShippedText(
        key=f"{group}/{name}",
        title=_line(head, "titel", source, TITLE_MAX),
        as_of=as_of,
        source=_line(head, "bron", source, SOURCE_MAX),
        body=body,
        categories=_categories(head, source) if group == TARGET_GROUP else (),
    )


@cache
def shipped(directory: Path = KNOWLEDGE_DIR) -> dict[str, ShippedText]:
    """Every shipped text by key: the steps in order, then the target groups by name."""
    if not directory.is_dir():
        raise KnowledgeError(f"{directory.name}: de map met kennisteksten bestaat niet")
    texts = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file() and path.suffix == ".md":
            text = load_file(path, directory)
            texts[text.key] = text
    for number in STEP_NUMBERS:
        if step_key(number) not in texts:
            raise KnowledgeError(
                f"{step_key(number)}.md: de algemene tekst van stap {number} ontbreekt"
            )
    linked: dict[str, str] = {}
    for text in texts.values():
        for category in text.categories:
            if category in linked:
                raise KnowledgeError(
                    f"{text.key}.md: soort signaal '{category}' hoort al bij {linked[category]}.md"
                )
            linked[category] = text.key
    return texts


def load_all(directory: Path | None = None) -> dict[str, ShippedText]:
    """Every knowledge file, read again (the start-up check)."""
    shipped.cache_clear()
    return shipped(directory or KNOWLEDGE_DIR)


def step_keys(number: int, profession: str) -> list[str]:
    """The texts of a step for a beroepsgroep: the general one, and its own where it has one."""
    keys = [step_key(number)]
    if profession != GENERAL and step_key(number, profession) in shipped():
        keys.append(step_key(number, profession))
    return keys


def target_group_keys() -> list[str]:
    return [key for key in shipped() if key.startswith(f"{TARGET_GROUP}/")]


def category_guides() -> dict[str, str]:
    """Signal category → the key of the target-group text about it."""
    return {category: text.key for text in shipped().values() for category in text.categories}
