"""The Dutch taxonomies of the sociale kaart, as data: one YAML file per taxonomy in `taxonomies/`.

A taxonomy is a named list of terms (code, name, description). Services carry term codes (see
`models.ServiceTerm`); search filters, the routekaart rules and the HSDS export all speak in these
codes. Two taxonomies must match codes the product already uses: the forms of violence are the
signal categories of the meldcode dossier, the sectors are the organisations' sectors. Every file
is validated when loaded; a broken file fails with its name and the problem.

Each taxonomy has a fixed UUID; each term's HSDS id is derived from it (UUID version 5 of the
taxonomy UUID and the code), so exports keep the same ids without storing them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

TAXONOMY_DIR = Path(__file__).resolve().parent / "taxonomies"

VIOLENCE = "vormen_van_geweld"
TARGET_GROUPS = "doelgroepen"
HELP_TYPES = "soorten_hulp"
SECTORS = "sectoren"
LANGUAGES = "talen"
# The taxonomies a service is tagged with (languages and sector are stored elsewhere).
SERVICE_TAXONOMIES = (VIOLENCE, TARGET_GROUPS, HELP_TYPES)


class TaxonomyError(ValueError):
    """A taxonomy file is invalid; the message names the file and the problem."""


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str
    uid: uuid.UUID


@dataclass(frozen=True)
class Taxonomy:
    id: str
    uid: uuid.UUID
    name: str
    filter_label: str
    description: str
    version: str
    terms: dict[str, Term]

    def choices(self) -> list[tuple[str, str]]:
        return [(term.code, term.name) for term in self.terms.values()]

    def label(self, code: str) -> str:
        term = self.terms.get(code)
        return term.name if term else code


def _require(condition: bool, source: str, problem: str) -> None:
    if not condition:
        raise TaxonomyError(f"{source}: {problem}")


def build_taxonomy(raw: Any, source: str) -> Taxonomy:
    _require(isinstance(raw, dict), source, "het bestand bevat geen taxonomie")
    for key in ("id", "uuid", "name", "description", "version", "terms"):
        _require(bool(raw.get(key)), source, f"'{key}' ontbreekt")
    try:
        taxonomy_uid = uuid.UUID(str(raw["uuid"]))
    except ValueError as error:
        raise TaxonomyError(f"{source}: 'uuid' is geen geldige UUID") from error
    _require(isinstance(raw["terms"], list), source, "'terms' moet een lijst zijn")
    terms: dict[str, Term] = {}
    for index, body in enumerate(raw["terms"], start=1):
        where = f"term {index}"
        _require(isinstance(body, dict), source, f"{where} is geen definitie")
        for key in ("code", "name", "description"):
            _require(bool(body.get(key)), source, f"{where}: '{key}' ontbreekt")
        code = str(body["code"])
        _require(code not in terms, source, f"{where}: code '{code}' komt twee keer voor")
        terms[code] = Term(
            code=code,
            name=str(body["name"]),
            description=str(body["description"]),
            uid=uuid.uuid5(taxonomy_uid, code),
        )
    return Taxonomy(
        id=str(raw["id"]),
        uid=taxonomy_uid,
        name=str(raw["name"]),
        filter_label=str(raw.get("filter_label") or raw["name"]),
        description=str(raw["description"]),
        version=str(raw["version"]),
        terms=terms,
    )


def load_file(path: Path) -> Taxonomy:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as error:
        raise TaxonomyError(f"{path.name}: geen geldige YAML ({error})") from error
    taxonomy = build_taxonomy(raw, path.name)
    _require(
        taxonomy.id == path.stem,
        path.name,
        f"'id' is '{taxonomy.id}' maar moet gelijk zijn aan de bestandsnaam ('{path.stem}')",
    )
    return taxonomy


def _check_product_codes(loaded: dict[str, Taxonomy]) -> None:
    """The forms of violence and the sectors use the codes the rest of the product uses."""
    from meldwijzer.cases.entries import CATEGORIES
    from meldwijzer.organisations.models import Sector

    expected = {
        VIOLENCE: {code for code, _ in CATEGORIES},
        SECTORS: {str(code) for code in Sector.values},
    }
    for taxonomy_id, codes in expected.items():
        _require(taxonomy_id in loaded, f"{taxonomy_id}.yaml", "het bestand ontbreekt")
        found = set(loaded[taxonomy_id].terms)
        _require(
            found == codes,
            f"{taxonomy_id}.yaml",
            f"de codes moeten precies {', '.join(sorted(codes))} zijn "
            f"(nu: {', '.join(sorted(found))})",
        )
    for taxonomy_id in (TARGET_GROUPS, HELP_TYPES, LANGUAGES):
        _require(taxonomy_id in loaded, f"{taxonomy_id}.yaml", "het bestand ontbreekt")


@cache
def taxonomies() -> dict[str, Taxonomy]:
    """Every taxonomy in `taxonomies/`, by id."""
    loaded = {
        taxonomy.id: taxonomy
        for taxonomy in (load_file(path) for path in sorted(TAXONOMY_DIR.glob("*.yaml")))
    }
    _check_product_codes(loaded)
    uids = [taxonomy.uid for taxonomy in loaded.values()]
    _require(len(uids) == len(set(uids)), "taxonomies", "twee taxonomieën delen een uuid")
    return loaded


def taxonomy(taxonomy_id: str) -> Taxonomy:
    return taxonomies()[taxonomy_id]


@cache
def term_by_uid() -> dict[uuid.UUID, tuple[Taxonomy, Term]]:
    """Every term of every taxonomy by its HSDS id (for imports)."""
    return {term.uid: (tax, term) for tax in taxonomies().values() for term in tax.terms.values()}
