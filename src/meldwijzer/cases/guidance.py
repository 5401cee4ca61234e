"""The guidance professionals read, as data: one YAML file per kind of text in `guidance/`.

- `stappen.yaml`: what to do in each step of the meldcode (the case page);
- `dossierregels.yaml`: the explanation above the form of each kind of dossier entry, and the
  meldrecht;
- `indicaties.yaml`: what each outcome of the afwegingskader indicates.

Each file says as of when its texts are right (`stand`, a date shown beside the texts) and where
they come from (`bron`). Like the kader (`cases.frameworks`), the files are validated when loaded
and at start-up (`CasesConfig.ready`); a broken file fails with its name and the field at fault.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

GUIDANCE_DIR = Path(__file__).resolve().parent / "guidance"


class GuidanceError(ValueError):
    """A guidance file is invalid; the message names the file and the field."""


@dataclass(frozen=True)
class Guidance:
    """The texts of one file, by key, with their date and source."""

    name: str
    stand: datetime.date
    bron: str
    texts: dict[str, str]
    extra: dict[str, str]


def _text(value: Any, source: str, field: str) -> str:
    """A text is one paragraph, or a list of parts set one after the other."""
    if isinstance(value, list) and value and all(isinstance(part, str) for part in value):
        value = " ".join(part.strip() for part in value)
    if not isinstance(value, str) or not value.strip():
        raise GuidanceError(f"{source}: '{field}' moet een (niet-lege) tekst zijn")
    return " ".join(value.split())


def load_file(
    path: Path, keys: set[str], *, complete: bool = True, extra: tuple[str, ...] = ()
) -> Guidance:
    """Read and check one file: `keys` are the texts it holds (all of them when `complete`),
    `extra` the other texts at the top of the file."""
    source = path.name
    if not path.exists():
        raise GuidanceError(f"{source}: het bestand bestaat niet")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as error:  # ValueError: bad encoding or date
        raise GuidanceError(f"{source}: geen geldige YAML ({error})") from error
    if not isinstance(raw, dict):
        raise GuidanceError(f"{source}: het bestand bevat geen teksten")
    stand = raw.get("stand")
    if not isinstance(stand, datetime.date) or isinstance(stand, datetime.datetime):
        raise GuidanceError(f"{source}: 'stand' moet een datum zijn (jjjj-mm-dd)")
    bron = _text(raw.get("bron"), source, "bron")
    texts = raw.get("teksten")
    if not isinstance(texts, dict):
        raise GuidanceError(f"{source}: 'teksten' ontbreekt of is geen lijst van teksten")
    unknown = sorted(str(key) for key in texts if key not in keys)
    if unknown:
        raise GuidanceError(f"{source}: onbekende tekst 'teksten.{unknown[0]}'")
    missing = sorted(keys - set(texts)) if complete else []
    if missing:
        raise GuidanceError(f"{source}: 'teksten.{missing[0]}' ontbreekt")
    return Guidance(
        name=source,
        stand=stand,
        bron=bron,
        texts={str(key): _text(value, source, f"teksten.{key}") for key, value in texts.items()},
        extra={name: _text(raw.get(name), source, name) for name in extra},
    )


@cache
def steps(directory: Path = GUIDANCE_DIR) -> Guidance:
    from meldwijzer.cases.workflow import STEPS

    return load_file(directory / "stappen.yaml", set(STEPS))


@cache
def entries(directory: Path = GUIDANCE_DIR) -> Guidance:
    from meldwijzer.cases.models import EntryKind

    return load_file(
        directory / "dossierregels.yaml",
        set(EntryKind.values),
        complete=False,
        extra=("meldrecht",),
    )


@cache
def indications(directory: Path = GUIDANCE_DIR) -> Guidance:
    from meldwijzer.cases.frameworks import OUTCOMES

    return load_file(directory / "indicaties.yaml", set(OUTCOMES))


LOADERS: tuple[Callable[..., Guidance], ...] = (steps, entries, indications)


def load_all(directory: Path | None = None) -> list[Guidance]:
    """Every guidance file, read again (the start-up check)."""
    for loader in LOADERS:
        loader.cache_clear()  # type: ignore[attr-defined]
    return [loader(directory or GUIDANCE_DIR) for loader in LOADERS]


def indicated(outcome: str | None) -> str:
    """What the kader's outcome indicates, in words ('' while there is none)."""
    return indications().texts.get(outcome or "", "")


def entry_intro(kind: str) -> str:
    return entries().texts.get(kind, "")


def meldrecht() -> str:
    return entries().extra["meldrecht"]
