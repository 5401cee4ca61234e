"""Importing HSDS 3.0: a JSON file (one or more organizations, services or service_at_locations,
nested or as a paged list, or the tabular JSON form) or a zip with the CSV files.

The import runs in three passes, and writes only if all of them find nothing wrong:

1. *Schema*: every object or CSV row is validated against the official schema.
2. *Tables*: nested objects are flattened into HSDS's tables, keyed by id; an id that appears in
   several places (the same phone under an organization and a service) is merged, and a
   contradiction between them is an error. References must point at something in the file or
   already in the sociale kaart.
3. *Records*: each row becomes a Meldwijzer record and is checked as one (lengths, e-mail, dates).

Every problem is reported with where it is (file, record, field), in Dutch. Every part or field
of HSDS that the sociale kaart does not hold (funding, programs, tax and legal fields, logo, fees,
schedule fields, attributes of other taxonomies, fields of no HSDS version, …; see `HELD`) is
listed as not taken over; that is not an error. The import adds and updates records by their HSDS
id; it never deletes. All or nothing: the passes read the sociale kaart but write nothing, and
only when none found an error one short transaction writes everything at once (a trial run
writes nothing); see `hsds_import` and ADR 0019. Large files are imported as a job
(`import_jobs`).

Before any of that, the file itself is checked (ADR 0013): what a zip unpacks to is limited and
its tables are read row by row; JSON may not nest deeper than HSDS does; a file that is HSDS 2.0,
Open Referral UK, another layout, a lone or semicolon-separated CSV or not UTF-8 gets one message
that says so. A position that does not exist is not taken over.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import math
import time
import uuid
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Model

from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission
from meldwijzer.social_map import events, hsds, taxonomies
from meldwijzer.social_map.hsds import TABLES, Problem
from meldwijzer.social_map.models import (
    AreaKind,
    ChangeAction,
    ChangeRecord,
    Contact,
    Language,
    Location,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceArea,
    ServiceLocation,
    ServiceTerm,
    position_problems,
)
from meldwijzer.social_map.selectors import map_version
from meldwijzer.social_map.services import (
    LOCATION_FIELDS,
    PROVIDER_FIELDS,
    SERVICE_FIELDS,
    change_rows,
    derive_position,
    field_values,
    map_version_claim,
    search_index_update,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# What a zip may unpack to, so that a small file cannot fill the memory (a zip bomb): each table
# at most as much as a JSON file may be, all tables together 50 MB, and no table of more than
# 1 MB packed more than 100 times smaller than it unpacks (CSV packs 5 to 20 times; a crafted
# file of zeros or repeated rows packs 1000 times).
MAX_TABLE_BYTES = MAX_UPLOAD_BYTES
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_PACKING_RATIO = 100
SMALL_TABLE_BYTES = 1024 * 1024
MAX_ZIP_MEMBERS = 200
# How deep lists and objects may nest in JSON. HSDS's deepest path (organization, services,
# service_at_locations, location, contacts, attributes, taxonomy_term, taxonomy_detail) is about
# 15 levels; far deeper input would exhaust Python's recursion while it is read or checked.
MAX_JSON_DEPTH = 40
M = TypeVar("M", bound=Model)

NAMES = {
    "organization": "organisatie",
    "service": "dienst",
    "location": "locatie",
    "service_at_location": "dienst op locatie",
    "contact": "contactpersoon",
    "phone": "telefoonnummer",
    "address": "adres",
    "schedule": "openingstijden",
    "service_area": "werkgebied",
    "language": "taal",
    "attribute": "kenmerk",
    "taxonomy_term": "taxonomieterm",
    "taxonomy": "taxonomie",
    "metadata": "wijziging",
}

# Nested parts per kind: (child kind, link on the child pointing at the parent) or, for a
# single nested object, (child kind, link on the parent pointing at the child).
CHILDREN: dict[str, dict[str, tuple[str, str]]] = {
    "organization": {
        "contacts": ("contact", "organization_id"),
        "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "contacts": ("contact", "service_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "location": {
        "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
        "languages": ("language", "location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}
PARENT_OBJECTS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id")},
    "service_at_location": {
        "service": ("service", "service_id"),
        "location": ("location", "location_id"),
    },
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
}
# Kinds that can carry metadata, and attributes (HSDS names them as link_entity).
LINKABLE = {"organization", "service", "location"}
WITH_ATTRIBUTES = {*LINKABLE, "contact"}
# Links a row may have, per kind (the tabular format's foreign keys).
LINKS = {
    "service": ("organization_id",),
    "location": ("organization_id",),
    "service_at_location": ("service_id", "location_id"),
    "contact": ("organization_id", "service_id", "service_at_location_id", "location_id"),
    "phone": (
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
    ),
    "address": ("location_id",),
    "schedule": ("service_id", "location_id", "service_at_location_id"),
    "service_area": ("service_id",),
    "language": ("service_id", "location_id", "phone_id"),
}
# The fields the sociale kaart holds, per kind, with links and the nested parts it reads. Any
# other field with a value (tax and legal fields, logo, uri, parent organisation, external
# identifiers, fees, accreditations, schedule fields beyond these, fields of later HSDS versions
# or of no version at all) is reported as not taken over. Taxonomy terms and taxonomies only
# identify a term, so their fields are not reported.
HELD: dict[str, frozenset[str]] = {
    "organization": frozenset(
        {
            "id", "name", "alternate_name", "description", "email", "website",
            "contacts", "phones", "locations", "services", "attributes", "metadata",
        }
    ),
    "service": frozenset(
        {
            "id", "organization_id", "name", "alternate_name", "description", "url", "email",
            "status", "interpretation_services", "application_process", "fees_description",
            "wait_time", "eligibility_description", "minimum_age", "maximum_age",
            "assured_date", "assurer_email", "alert", "last_modified", "organization",
            "phones", "schedules", "service_areas", "service_at_locations", "languages",
            "contacts", "attributes", "metadata",
        }
    ),
    "location": frozenset(
        {
            "id", "organization_id", "location_type", "url", "name", "alternate_name",
            "description", "transportation", "latitude", "longitude", "languages",
            "addresses", "contacts", "phones", "schedules", "attributes", "metadata",
        }
    ),
    "service_at_location": frozenset(
        {
            "id", "service_id", "location_id", "description", "service", "location",
            "contacts", "phones", "schedules",
        }
    ),
    "contact": frozenset(
        {"id", *LINKS["contact"], "name", "title", "department", "email", "phones", "attributes"}
    ),
    "phone": frozenset(
        {"id", *LINKS["phone"], "number", "extension", "type", "description", "languages"}
    ),
    "address": frozenset(
        {
            "id", "location_id", "attention", "address_1", "address_2", "city", "region",
            "state_province", "postal_code", "country", "address_type",
        }
    ),
    "schedule": frozenset(
        {
            "id", *LINKS["schedule"], "valid_from", "valid_to", "freq", "interval", "byday",
            "opens_at", "closes_at", "description", "attending_type", "notes",
        }
    ),
    "service_area": frozenset(
        {"id", "service_id", "name", "description", "extent", "extent_type", "uri"}
    ),
    "language": frozenset({"id", *LINKS["language"], "name", "code", "note"}),
    "attribute": frozenset(
        {
            "id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value",
            "taxonomy_term",
        }
    ),
    "metadata": frozenset(
        {
            "id", "resource_id", "resource_type", "last_action_date", "last_action_type",
            "field_name", "previous_value", "replacement_value", "updated_by",
        }
    ),
}  # fmt: skip
# Names HSDS 2.0 (and Open Referral UK, which builds on it) uses and HSDS 3.0 does not: a file
# with them is recognised as the older layout instead of failing record by record.
HSDS2_NAMES = frozenset(
    {
        "physical_address", "physical_addresses", "postal_address", "postal_addresses",
        "regular_schedule", "regular_schedules", "holiday_schedule", "holiday_schedules",
        "accessibility_for_disabilities", "eligibility", "eligibilitys", "fundings",
        "payment_accepted", "payments_accepted", "service_taxonomy", "service_taxonomys",
        "services_taxonomy", "link_taxonomy", "reviews",
    }
)  # fmt: skip
HSDS2_TABLES = frozenset(
    {
        "physical_addresses.csv", "postal_addresses.csv", "regular_schedules.csv",
        "holiday_schedules.csv", "accessibility_for_disabilities.csv", "eligibility.csv",
        "payments_accepted.csv", "services_taxonomy.csv", "service_taxonomy.csv",
        "services_at_location.csv", "taxonomy.csv",
    }
)  # fmt: skip
HSDS3_ONLY_TABLES = frozenset(
    {"addresses.csv", "schedules.csv", "attributes.csv", "taxonomy_terms.csv", "taxonomies.csv"}
)
TARGET_OF_LINK = {
    "organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "contact_id": "contact",
    "phone_id": "phone",
}


@dataclass
class ImportReport:
    """What an import found and did. `errors` non-empty means nothing was written."""

    source: str
    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    trial: bool = False
    written: bool = False
    # How long the write transaction lasted (for the benchmark and the job's record).
    write_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, where: str, message: str) -> None:
        self.errors.append(Problem(where, message))

    def notice(self, where: str, message: str) -> None:
        self.notices.append(Problem(where, message))

    def summary(self) -> list[str]:
        lines = []
        for kind in NAMES:
            created, updated = self.created[kind], self.updated[kind]
            if created or updated:
                lines.append(f"{NAMES[kind]}: {created} nieuw, {updated} bijgewerkt")
        return lines

    def as_data(self, limit: int = 1000) -> dict[str, Any]:
        """The report as JSON data, with at most `limit` errors and notices (and their counts)."""
        return {
            "source": self.source,
            "errors": [[p.where, p.message] for p in self.errors[:limit]],
            "error_count": len(self.errors),
            "notices": [[p.where, p.message] for p in self.notices[:limit]],
            "notice_count": len(self.notices),
            "created": dict(self.created),
            "updated": dict(self.updated),
            "trial": self.trial,
            "written": self.written,
            "write_seconds": round(self.write_seconds, 3),
        }


@dataclass
class Row:
    kind: str
    data: dict[str, Any]
    where: str


# --- Reading the file ------------------------------------------------------------------------


def _detect(obj: dict[str, Any]) -> str:
    if "location" in obj and ("service" in obj or "service_id" in obj):
        return "service_at_location"
    if "status" in obj and "name" in obj:
        return "service"
    if "location_type" in obj:
        return "location"
    if "taxonomy_detail" in obj or "taxonomy_id" in obj or "parent_id" in obj:
        return "taxonomy_term"
    if "openapi_url" in obj or "profile" in obj:
        return "meta"
    if set(obj) <= {"id", "name", "description", "uri", "version", "metadata"} and "version" in obj:
        return "taxonomy"
    return "organization"


COMPILED = {"organization", "service", "service_at_location"}


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB".replace(".", ",").replace(",0 MB", " MB")


def _base(info: zipfile.ZipInfo) -> str:
    return info.filename.rsplit("/", 1)[-1]


def _unpack_limit(info: zipfile.ZipInfo) -> int:
    """The most a table may unpack to for the size it is packed in (see MAX_PACKING_RATIO)."""
    return max(SMALL_TABLE_BYTES, MAX_PACKING_RATIO * info.compress_size)


def _depth(document: Any) -> int:
    """How deep lists and objects nest (1 for a flat object), counted without recursion and
    given up past MAX_JSON_DEPTH."""
    if not isinstance(document, dict | list):
        return 0
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            break
        children = value.values() if isinstance(value, dict) else value
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _keys(document: Any) -> set[str]:
    """Every key of every object in the document."""
    found: set[str] = set()
    stack = [document] if isinstance(document, dict | list) else []
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            found.update(str(key) for key in value)
        children = value.values() if isinstance(value, dict) else value
        stack.extend(child for child in children if isinstance(child, dict | list))
    return found


def _foreign_layout(document: Any, items: list[tuple[str, Any]]) -> str | None:
    """Why the file is not HSDS 3.0 at all, if it recognisably is not: one message instead of
    one per record."""
    if (
        isinstance(document, dict)
        and isinstance(document.get("content"), list)
        and {"totalElements", "totalPages"} & set(document)
    ):
        return (
            "dit is een pagina uit een Open Referral UK-API ('content', 'totalElements'), "
            "niet HSDS 3.0. Meldwijzer leest alleen HSDS 3.0; zet het bestand eerst om"
        )
    older = sorted(_keys(document) & HSDS2_NAMES)
    if older:
        return (
            f"dit lijkt HSDS 2.0 of Open Referral UK, niet HSDS 3.0: het bestand gebruikt "
            f"{', '.join(older[:4])}, die HSDS 3.0 niet kent. Meldwijzer leest alleen HSDS 3.0; "
            "zet het bestand eerst om"
        )
    objects = [item for _, item in items if isinstance(item, dict) and _detect(item) != "meta"]
    if objects and not any("id" in item for item in objects):
        fields = ", ".join(sorted({str(key) for item in objects[:100] for key in item}))
        return (
            f"dit is geen HSDS 3.0: geen van de {len(objects)} objecten heeft een 'id' "
            f"(gevonden velden: {hsds.shorten(fields, 120) or 'geen'})"
        )
    return None


def _looks_like_csv(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    return not first.startswith(("{", "[")) and any(mark in first for mark in (",", ";", "\t"))


def _parse_json(source: str, data: bytes, report: ImportReport) -> tuple[bool, Any]:
    """(True, the document), or (False, None) with one error that says what the file is."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        report.error(source, "het bestand is opgeslagen als UTF-16; sla het op als UTF-8")
        return False, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        report.error(
            source,
            f"het bestand is niet opgeslagen als UTF-8: regel {line} bevat een teken in een "
            "andere tekenset (bijvoorbeeld Windows-1252). Meldwijzer leest JSON in UTF-8 of een "
            "zip-bestand met CSV-tabellen in UTF-8",
        )
        return False, None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        if _looks_like_csv(text):
            report.error(
                source,
                "dit lijkt één los CSV-bestand; Meldwijzer leest de CSV-tabellen samen in één "
                "zip-bestand (organizations.csv, services.csv, …) of HSDS-JSON",
            )
        else:
            report.error(
                source,
                f"geen geldige JSON: {error.msg} (regel {error.lineno}, kolom {error.colno})",
            )
        return False, None
    except RecursionError:
        document = None
        deep = True
    except ValueError:  # a number of thousands of digits, which Python will not read
        report.error(source, "geen geldige JSON: het bestand bevat een getal dat te lang is")
        return False, None
    else:
        deep = _depth(document) > MAX_JSON_DEPTH
    if deep:
        report.error(
            source,
            f"het bestand is dieper genest dan {MAX_JSON_DEPTH} niveaus; HSDS komt niet verder "
            "dan ongeveer 15, dus dit is geen HSDS",
        )
        return False, None
    return True, document


class _Reader:
    """Turns a file into rows per kind, reporting schema problems and what is not taken over."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.rows: dict[str, dict[str, Row]] = {kind: {} for kind in NAMES}
        self.unheld: Counter[tuple[str, str]] = Counter()

    def note_unheld(self, kind: str, key: str, value: Any) -> None:
        """Count a field with a value that the sociale kaart does not hold, to report it."""
        held = HELD.get(kind)
        if held is None or key in held or value in (None, "", [], {}):
            return
        self.unheld[(kind, key)] += len(value) if isinstance(value, list) else 1

    # Tables ----------------------------------------------------------------------------------

    def add(self, kind: str, data: dict[str, Any], where: str) -> str | None:
        """Merge one flat row into its table; returns its id."""
        flat = {
            key: _canonical(value) if key == "id" or key.endswith("_id") else value
            for key, value in data.items()
            if not isinstance(value, list | dict)
        }
        row_id = flat.get("id")
        if not isinstance(row_id, str) or not row_id:
            return None
        existing = self.rows[kind].get(row_id)
        if existing is None:
            self.rows[kind][row_id] = Row(kind, flat, where)
            for key, value in flat.items():
                self.note_unheld(kind, key, value)
            return row_id
        for key, value in flat.items():
            if value in (None, ""):
                continue
            old = existing.data.get(key)
            if old in (None, ""):
                existing.data[key] = value
            elif old != value:
                self.report.error(
                    where,
                    f"{NAMES[kind]} {row_id} komt ook voor bij {existing.where}, met een andere "
                    f"waarde voor '{key}' ({hsds.shown(old)} en {hsds.shown(value)})",
                )
        return row_id

    # Nested JSON -------------------------------------------------------------------------------

    def walk(
        self, kind: str, obj: dict[str, Any], source: str, path: str, links: dict[str, str]
    ) -> str | None:
        """Add `obj` and everything nested in it; `path` is where it sits in the file."""
        where = f"{source}, {path}" if path else source
        data = dict(obj)
        for key, value in links.items():
            data.setdefault(key, value)
        for key, (child_kind, link) in PARENT_OBJECTS.get(kind, {}).items():
            child = obj.get(key)
            if isinstance(child, dict):
                child_id = self.walk(child_kind, child, source, _sub(path, key), {})
                if child_id:
                    data.setdefault(link, child_id)
        row_id = self.add(kind, data, where)
        if row_id is None:
            return None
        for key, value in obj.items():
            here = _sub(path, key)
            if key in CHILDREN.get(kind, {}):
                child_kind, link = CHILDREN[kind][key]
                for index, child in enumerate(value or []):
                    if isinstance(child, dict):
                        self.walk(child_kind, child, source, f"{here}[{index}]", {link: row_id})
            elif key == "attributes" and kind in WITH_ATTRIBUTES:
                for index, child in enumerate(value or []):
                    if isinstance(child, dict):
                        self.walk(
                            "attribute",
                            child,
                            source,
                            f"{here}[{index}]",
                            {"link_id": row_id, "link_entity": kind},
                        )
            elif key == "metadata" and kind in LINKABLE:
                for index, child in enumerate(value or []):
                    if isinstance(child, dict):
                        self.walk(
                            "metadata",
                            child,
                            source,
                            f"{here}[{index}]",
                            {"resource_id": row_id, "resource_type": kind},
                        )
            elif isinstance(value, list | dict) and key not in PARENT_OBJECTS.get(kind, {}):
                self.note_unheld(kind, key, value)
        return row_id

    def read_json(self, source: str, document: Any) -> None:
        if isinstance(document, dict) and any(str(key).endswith(".csv") for key in document):
            tables = {}
            for name, rows in document.items():
                if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                    self.report.error(f"{source}, {name}", "moet een lijst met regels zijn")
                    continue
                tables[str(name)] = rows
            self.read_tables(source, tables, typed=True)
            return
        if isinstance(document, dict) and isinstance(document.get("contents"), list):
            items = [(f"contents[{i}]", item) for i, item in enumerate(document["contents"])]
        elif isinstance(document, list):
            items = [(f"[{i}]", item) for i, item in enumerate(document)]
        elif isinstance(document, dict):
            items = [("", document)]
        else:
            self.report.error(source, "het bestand bevat geen HSDS-object of lijst van objecten")
            return
        foreign = _foreign_layout(document, items)
        if foreign:
            self.report.error(source, foreign)
            return
        for path, item in items:
            where = f"{source}, {path}" if path else source
            if not isinstance(item, dict):
                self.report.error(where, "moet een object zijn")
                continue
            kind = _detect(item)
            if kind == "meta":
                self.report.notice(
                    where, "informatie over een HSDS-API; geen gegevens om te importeren"
                )
                continue
            problems = hsds.validate(item, kind, where, compiled=kind in COMPILED)
            if problems:
                self.report.errors += problems
                continue
            if kind in ("taxonomy", "taxonomy_term"):
                self.report.notice(
                    where,
                    f"een losse {NAMES[kind]}: de taxonomieën van de sociale kaart staan vast; "
                    "alleen kenmerken bij diensten met termen daaruit worden overgenomen",
                )
                continue
            self.walk(kind, item, source, path, {})

    # Tabular ---------------------------------------------------------------------------------

    def read_tables(
        self, source: str, tables: dict[str, list[dict[str, Any]]], *, typed: bool
    ) -> None:
        """The tabular JSON form (`typed`: numbered from 1, not from a header)."""
        for name, rows in tables.items():
            if name == "datapackage.json":
                continue
            if name not in TABLES:
                self.report.notice(
                    f"{source}, {name}",
                    f"niet overgenomen ({len(rows)} regel(s)): geen onderdeel van de sociale kaart",
                )
                continue
            self.read_table(source, name, rows, typed=typed)

    def read_table(
        self, source: str, name: str, rows: Iterable[dict[str, Any]], *, typed: bool
    ) -> None:
        """The rows of one known table, as they come (`typed`: the tabular JSON form)."""
        kind = TABLES[name]
        for index, raw in enumerate(rows, start=1 if typed else 2):
            where = f"{source}, {name}, regel {index}"
            row, problems = _typed_row(raw, kind, where)
            problems += hsds.validate_row(row, kind, where)
            if problems:
                self.report.errors += problems
                continue
            self.add(kind, row, where)

    def read_zip(self, source: str, data: bytes) -> None:
        """A zip with the CSV tables. What it unpacks to is limited (MAX_TABLE_BYTES,
        MAX_UNPACKED_BYTES, MAX_PACKING_RATIO), checked on what the zip says before anything is
        unpacked and again while each table is read, row by row."""
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, EOFError, OSError, ValueError):
            self.report.error(source, "dit is geen geldig zip-bestand")
            return
        with archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            if len(members) > MAX_ZIP_MEMBERS:
                self.report.error(
                    source,
                    f"het zip-bestand bevat {len(members)} bestanden; een HSDS-pakket heeft er "
                    f"hoogstens enkele tientallen (de grens is {MAX_ZIP_MEMBERS})",
                )
                return
            names = {_base(info) for info in members}
            older = sorted(names & HSDS2_TABLES)
            if older and not names & HSDS3_ONLY_TABLES:
                self.report.error(
                    source,
                    f"dit lijkt HSDS 2.0, niet HSDS 3.0: het zip-bestand bevat "
                    f"{', '.join(older[:4])}, die HSDS 3.0 niet kent. Meldwijzer leest alleen "
                    "HSDS 3.0; zet het bestand eerst om",
                )
                return
            if not names & set(TABLES):
                self.report.error(
                    source,
                    "het zip-bestand bevat geen HSDS-tabellen (organizations.csv, services.csv, …)",
                )
                return
            for name in sorted(names - set(TABLES) - {"datapackage.json"}):
                if name.endswith(".csv"):
                    self.report.notice(
                        f"{source}, {name}", "niet overgenomen: geen onderdeel van de sociale kaart"
                    )
            tables = [info for info in members if _base(info) in TABLES]
            refusal = _unpacking_refusal(tables)
            if refusal:
                self.report.error(source, refusal)
                return
            budget = MAX_UNPACKED_BYTES
            for info in tables:
                if not self.read_member(source, archive, info, budget):
                    return
                budget -= info.file_size  # zipfile reads no more than this; checked above

    def read_member(
        self, source: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int
    ) -> bool:
        """One table of the zip, streamed; False (with one error naming it) if it cannot be
        read."""
        name = _base(info)
        where = f"{source}, {name}"
        limit = min(MAX_TABLE_BYTES, budget, _unpack_limit(info))
        rows = None
        try:
            with hsds.table_reader(archive, info, limit=limit) as rows:
                if self.header_ok(where, name, rows.fieldnames):
                    self.read_table(source, name, rows, typed=False)
        except hsds.TooLarge:
            self.report.error(
                where,
                f"pakt uit tot meer dan {_megabytes(limit)}, meer dan het zip-bestand zegt of "
                "dan mag; het is niet verder uitgepakt",
            )
            return False
        except UnicodeDecodeError:
            line = rows.line_num + 1 if rows is not None else 1
            self.report.error(
                where,
                f"het bestand is niet opgeslagen als UTF-8 (rond regel {line} staat een teken in "
                "een andere tekenset, bijvoorbeeld Windows-1252). Sla het op in UTF-8, bijvoorbeeld "
                "in Excel als 'CSV UTF-8'",
            )
            return False
        except csv.Error as error:
            line = rows.line_num if rows is not None else 1
            self.report.error(f"{where}, regel {line}", _csv_problem(error))
            return False
        except RuntimeError:  # zipfile: the member needs a password
            self.report.error(
                where, "is met een wachtwoord beveiligd; pak het zonder wachtwoord in"
            )
            return False
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error):
            self.report.error(
                where,
                "kon niet worden uitgepakt: het zip-bestand is beschadigd of gebruikt een "
                "inpakmethode die Meldwijzer niet kent (gebruik gewoon 'zip')",
            )
            return False
        return True

    def header_ok(self, where: str, name: str, header: Sequence[str] | None) -> bool:
        """Whether the first line of a table is a header this table can be read with; if not,
        one error for the whole file (not one for every row)."""
        if not header:
            return False  # an empty file: nothing to read
        kind = TABLES[name]
        schema = hsds.entity_schema(kind)
        columns = set(schema["properties"])
        found = [str(column) for column in header]
        for separator, label in ((";", "puntkomma's (;)"), ("\t", "tabs")):
            parts = {part.strip() for column in found for part in column.split(separator)}
            if any(separator in column for column in found) and len(parts & columns) > len(
                set(found) & columns
            ):
                self.report.error(
                    where,
                    f"de kolommen zijn gescheiden door {label} in plaats van komma's. Excel met "
                    "Nederlandse instellingen zet altijd puntkomma's, ook bij 'CSV UTF-8'. Sla de "
                    "tabel op met LibreOffice Calc ('Tekst CSV', veldscheidingsteken komma, "
                    "tekenset UTF-8) of download hem uit Google Spreadsheets als CSV",
                )
                return False
        if not set(found) & columns:
            self.report.error(
                where,
                f"geen van de kolommen is een HSDS 3.0-kolom van {name} (gevonden: "
                f"{hsds.shorten(', '.join(found), 120)})",
            )
            return False
        wanted = [*schema.get("required", []), *(schema.get("tabular_required") or [])]
        missing = [column for column in wanted if column not in found]
        if missing:
            self.report.error(
                where,
                f"de verplichte kolom{'men' if len(missing) > 1 else ''} "
                f"{', '.join(missing)} ontbre{'ken' if len(missing) > 1 else 'ekt'}",
            )
            return False
        return True


def _unpacking_refusal(tables: list[zipfile.ZipInfo]) -> str | None:
    """Why the tables may not be unpacked, judged on what the zip says they hold."""
    total = 0
    for info in tables:
        name = _base(info)
        if info.file_size > _unpack_limit(info):
            ratio = info.file_size // max(info.compress_size, 1)
            return (
                f"{name} pakt uit tot {_megabytes(info.file_size)}, {ratio} keer zo groot als "
                "ingepakt; zo sterk pakt een CSV-bestand niet in (dit lijkt een zip-bom), dus het "
                "wordt niet uitgepakt"
            )
        if info.file_size > MAX_TABLE_BYTES:
            return (
                f"{name} pakt uit tot {_megabytes(info.file_size)}; een tabel mag hoogstens "
                f"{_megabytes(MAX_TABLE_BYTES)} zijn"
            )
        total += info.file_size
    if total > MAX_UNPACKED_BYTES:
        return (
            f"de tabellen pakken samen uit tot {_megabytes(total)}; samen mogen ze hoogstens "
            f"{_megabytes(MAX_UNPACKED_BYTES)} zijn"
        )
    return None


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "NUL" in text:
        return "de regel bevat een NUL-teken: dit is geen tekstbestand in UTF-8"
    if "field larger than field limit" in text:
        return f"een veld is langer dan {csv.field_size_limit()} tekens"
    return "deze regel is geen geldige CSV (controleer de aanhalingstekens)"


def _typed_row(raw: dict[str, Any], kind: str, where: str) -> tuple[dict[str, Any], list[Problem]]:
    """A row of a table with its values as the schema types them. Tables hold text, so a number
    in a text column is read as text; an empty cell is absent, except in a required text column
    (HSDS metadata requires 'previous_value', which is often empty). A column HSDS does not
    define is kept as it is, to be reported as not taken over."""
    schema = hsds.entity_schema(kind)
    properties, required = schema["properties"], set(schema.get("required") or [])
    row: dict[str, Any] = {}
    problems = []
    for key, value in raw.items():
        if key is None:
            problems.append(Problem(where, "deze regel heeft meer waarden dan er kolommen zijn"))
            continue
        spec = properties.get(key)
        if value in (None, ""):
            if (
                spec is not None
                and value == ""
                and key in required
                and spec.get("type") == "string"
            ):
                row[key] = ""
            continue
        if spec is None:
            row[key] = value
        elif spec.get("type") == "string" and isinstance(value, int | float):
            row[key] = str(value)
        elif spec.get("type") == "number" and isinstance(value, int | float):
            row[key] = value
        elif spec.get("type") == "number":
            try:
                number = float(value)
            except (TypeError, ValueError):
                problems.append(
                    Problem(f"{where}, veld {key}", f"{hsds.shown(value)} is geen getal")
                )
                continue
            if not math.isfinite(number):
                problems.append(
                    Problem(f"{where}, veld {key}", f"{hsds.shown(value)} is geen getal")
                )
                continue
            row[key] = int(number) if number.is_integer() else number
        else:
            row[key] = value
    return row, problems


# --- From rows to records ------------------------------------------------------------------------


def _sub(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _canonical(value: Any) -> Any:
    """A UUID in its usual lower-case form, so references match however they are written."""
    found = _uuid(value) if isinstance(value, str) else None
    return str(found) if found is not None else value


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None


def _date(value: Any, where: str, report: ImportReport) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        report.error(where, f"{value!r} is geen datum (jjjj-mm-dd)")
        return None


def _time(value: Any, where: str, report: ImportReport) -> datetime.time | None:
    if value in (None, ""):
        return None
    try:
        return datetime.time.fromisoformat(str(value))
    except ValueError:
        report.error(where, f"{value!r} is geen tijd (uu:mm of uu:mm:ss)")
        return None


def _whole(value: Any, where: str, report: ImportReport, maximum: int = 2**31 - 1) -> int | None:
    if value in (None, ""):
        return None
    if (isinstance(value, float) and not value.is_integer()) or not 0 <= float(value) <= maximum:
        report.error(where, f"{value!r} moet een geheel getal van 0 tot {maximum} zijn")
        return None
    return int(value)


def _s(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


# The models an import writes, in an order in which every link points at a record before it.
MODELS: dict[str, type[Model]] = {
    "organization": Provider,
    "location": Location,
    "service": Service,
    "service_at_location": ServiceLocation,
    "contact": Contact,
    "phone": Phone,
    "language": Language,
    "schedule": Schedule,
    "service_area": ServiceArea,
}
# Kept by Meldwijzer itself: never written by an import's update.
NOT_UPDATED = {"uid", "created_at", "search_vector", "verified_by"}
BATCH = 500


def _batches(ids: Iterable[str], size: int = BATCH) -> Iterator[list[uuid.UUID]]:
    """The valid UUIDs among `ids`, in lists short enough for one query each."""
    valid = sorted({found for value in ids if (found := _uuid(value)) is not None})
    for start in range(0, len(valid), size):
        yield valid[start : start + size]


class Progress(Protocol):
    """Told how far an import is; an import job shows it to the person who started it."""

    def step(self, text: str, total: int = 0) -> None: ...

    def advance(self, count: int) -> None: ...


class _Silent:
    def step(self, text: str, total: int = 0) -> None:
        pass

    def advance(self, count: int) -> None:
        pass


def _key(record: Model) -> tuple[str, int]:
    """A record's identity in a plan: its primary key, or the object for a new one."""
    return ("pk", record.pk) if record.pk is not None else ("new", id(record))


# Writing a plan: one statement per table, executed for all its rows at once. Django's
# `bulk_update` builds a CASE expression per field and row (over a minute for the 12,000 rows of
# a 7 MB file) and `bulk_create` converts every value inside the transaction (4 s); here the
# values are converted before it, and only ids are filled in while it lasts.


def _new_ids(model: type[Model], count: int) -> list[int]:
    """`count` unused primary keys for `model`, inside the write transaction."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the transaction holds the only write lock (BEGIN IMMEDIATE), so nobody else
        # can take these ids; AUTOINCREMENT's counter follows explicit ids.
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT MAX({quote(column)}) FROM {quote(table)}), 0))",
            [table],
        )
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


class _Rows:
    """The new (`adding`) or changed records of one table, as the database takes them. Values are
    converted when the rows are made; `write` fills in the ids — a new record's own, and links
    to records that were new when they were planned — and writes them all."""

    def __init__(self, model: type[Model], records: Sequence[Model], *, adding: bool) -> None:
        self.model, self.records, self.adding = model, list(records), adding
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if adding or not (f.primary_key or f.name in NOT_UPDATED)
        ]
        self.ids = [i for i, f in enumerate(self.fields) if f.is_relation or f.primary_key]
        self.values = [
            [
                None
                if i in self.ids
                else f.get_db_prep_save(f.pre_save(record, adding), connection)
                for i, f in enumerate(self.fields)
            ]
            for record in self.records
        ]

    def _id(self, record: Model, f: Any) -> Any:
        if f.is_relation and f.is_cached(record):
            linked = f.get_cached_value(record)
            return linked.pk if linked is not None else None
        return getattr(record, f.attname)

    def write(self) -> None:
        if not self.records:
            return
        if self.adding:
            for record, pk in zip(
                self.records, _new_ids(self.model, len(self.records)), strict=True
            ):
                record.pk = pk
        for record, row in zip(self.records, self.values, strict=True):
            for i in self.ids:
                row[i] = self._id(record, self.fields[i])
        quote = connection.ops.quote_name
        table, columns = quote(self.model._meta.db_table), [quote(f.column) for f in self.fields]
        if self.adding:
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
            rows = self.values
        else:
            assignments = ", ".join(f"{column} = %s" for column in columns)
            sql = f"UPDATE {table} SET {assignments} WHERE {quote(self.model._meta.pk.column)} = %s"  # noqa: S608
            rows = [
                [*row, record.pk] for record, row in zip(self.records, self.values, strict=True)
            ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        for record in self.records:
            record._state.adding, record._state.db = False, connection.alias


@dataclass
class _Plan:
    """What an import will write: new and changed records, change records, taxonomy terms.

    Made by `_Writer` without writing anything; `prepare` turns it into rows, still outside the
    write transaction; `apply` writes them, so that transaction lasts as long as the writing
    itself, not as long as the checking."""

    new: dict[type[Model], dict[int, Model]] = field(default_factory=dict)
    changed: dict[type[Model], dict[int, Model]] = field(default_factory=dict)
    changes: list[ChangeRecord] = field(default_factory=list)
    terms: dict[tuple[str, int], tuple[Service, set[tuple[str, str]]]] = field(default_factory=dict)
    services: dict[tuple[str, int], Service] = field(default_factory=dict)
    tables: list[_Rows] = field(default_factory=list)

    def save(self, record: Model) -> None:
        if record.pk is None:
            self.new.setdefault(type(record), {})[id(record)] = record
        else:
            self.changed.setdefault(type(record), {})[record.pk] = record
        if isinstance(record, Service):
            self.services[_key(record)] = record

    def prepare(self) -> None:
        for model in MODELS.values():
            self.tables.append(_Rows(model, list(self.new.get(model, {}).values()), adding=True))
            self.tables.append(
                _Rows(model, list(self.changed.get(model, {}).values()), adding=False)
            )
        terms = [
            ServiceTerm(service=service, taxonomy=taxonomy, code=code)
            for service, wanted in self.terms.values()
            for taxonomy, code in sorted(wanted)
        ]
        self.tables.append(_Rows(ServiceTerm, terms, adding=True))
        self.tables.append(_Rows(ChangeRecord, self.changes, adding=True))

    def apply(self) -> list[int]:
        """Write the prepared rows, inside the caller's transaction; returns the services whose
        search text may have changed."""
        for table in self.tables:
            if table.model is ServiceTerm and self.terms:
                existing = [service.pk for service, _ in self.terms.values() if service.pk]
                ServiceTerm.objects.filter(service__in=existing).delete()
            table.write()
        # A provider's names are part of its services' search text.
        providers = [record.pk for record in self.changed.get(Provider, {}).values()]
        return sorted(
            {service.pk for service in self.services.values()}
            | set(Service.objects.filter(provider__in=providers).values_list("pk", flat=True))
        )


class _Writer:
    """Turns the rows into records and checks them as records: a `_Plan`. Reads the sociale
    kaart (in a fixed number of queries per kind, not one per row) and writes nothing."""

    def __init__(
        self,
        reader: _Reader,
        report: ImportReport,
        actor: Actor,
        owner: Organisation | None,
        progress: Progress | None = None,
    ) -> None:
        self.rows = reader.rows
        self.report = report
        self.actor = actor
        self.owner = owner
        self.progress = progress or _Silent()
        self.records: dict[str, dict[str, Model]] = {kind: {} for kind in NAMES}
        # Rows that were refused with an error of their own: what hangs off them says so,
        # instead of claiming that they are not in the file.
        self.refused: dict[str, set[str]] = {kind: set() for kind in NAMES}
        self.plan = _Plan()
        self.known: dict[type[Model], dict[str, Model]] = {}
        self.known_changes: set[str] = set()
        self.pairs: dict[tuple[tuple[str, int], tuple[str, int]], ServiceLocation] = {}

    # Helpers -----------------------------------------------------------------------------------

    def load(self) -> None:
        """Read, per kind, the records of the sociale kaart that the file names (by their own id,
        by a link or as the subject of an attribute)."""
        wanted: dict[str, set[str]] = {kind: set(self.rows[kind]) for kind in MODELS}
        for rows in self.rows.values():
            for row in rows.values():
                for link, target in TARGET_OF_LINK.items():
                    if row.data.get(link) not in (None, ""):
                        wanted[target].add(str(row.data[link]))
        for row in self.rows["attribute"].values():
            entity = _s(row.data, "link_entity")
            if entity in wanted and row.data.get("link_id") not in (None, ""):
                wanted[entity].add(str(row.data["link_id"]))
        for kind, model in MODELS.items():
            queryset = model._default_manager.all()
            if model in (Location, Service):
                queryset = queryset.select_related("provider")
            self.known[model] = {
                str(record.uid): record  # type: ignore[attr-defined]
                for batch in _batches(wanted[kind])
                for record in queryset.filter(uid__in=batch)
            }
        self.known_changes = {
            str(uid)
            for batch in _batches(set(self.rows["metadata"]))
            for uid in ChangeRecord.objects.filter(uid__in=batch).values_list("uid", flat=True)
        }
        services = {record.pk: record for record in self.known[Service].values()}
        for pair in ServiceLocation.objects.filter(service__in=list(services)).select_related(
            "location"
        ):
            location = self.known[Location].get(str(pair.location.uid), pair.location)
            record = self.known[ServiceLocation].get(str(pair.uid), pair)
            assert isinstance(record, ServiceLocation)
            self.pairs[(_key(services[pair.service_id]), _key(location))] = record

    def existing(self, model: type[M], row_id: str) -> M | None:
        found = self.known[model].get(str(_canonical(row_id)))
        return found if isinstance(found, model) else None

    def lookup(self, kind: str, row_id: Any, model: type[M]) -> M | None:
        """The record a link points at: from this import, or already in the sociale kaart."""
        if row_id in (None, ""):
            return None
        found = self.records[kind].get(str(row_id))
        if isinstance(found, model):
            return found
        return self.existing(model, row_id)

    def in_reach(self, kind: str, row_id: Any) -> bool:
        """The platformbeheerder may link to anything; a functioneel beheerder only to records
        of this import (which passed the ownership checks)."""
        return self.actor.can(Permission.DIRECTORY_MANAGE) or str(row_id) in self.records[kind]

    def check(self, record: Model, row: Row, exclude: list[str] | None = None) -> bool:
        # Links are set from records found above, so they are not looked up again (a query each,
        # and a new record's link has no id before it is written).
        links = [f.name for f in record._meta.concrete_fields if f.is_relation]
        try:
            record.full_clean(
                exclude=[*(exclude or []), *links],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = row.where if name == "__all__" else f"{row.where}, veld {name}"
                self.report.error(where, " ".join(str(m) for m in messages))
            self.refuse(row)
            return False
        return True

    def refuse(self, row: Row, where: str | None = None, message: str | None = None) -> None:
        """Mark `row` as refused, with its error (if not already reported)."""
        if message is not None:
            self.report.error(where or row.where, message)
        self.refused[row.kind].add(str(row.data.get("id")))

    def is_refused(self, kind: str, row_id: Any) -> bool:
        return row_id not in (None, "") and str(row_id) in self.refused[kind]

    def named(self, kind: str, row_id: Any) -> str:
        """'organisatie 'Naam' (id)', or without the name if the file gives none."""
        row = self.rows[kind].get(str(row_id))
        name = _s(row.data, "name") if row is not None else ""
        return (
            f"{NAMES[kind]} {hsds.shown(name, 60)} ({row_id})"
            if name
            else f"{NAMES[kind]} {row_id}"
        )

    def follow_refused(self, row: Row, kind: str, row_id: Any) -> None:
        """`row` hangs off a refused row: not taken over, and said once, as a notice (the
        refused row's own error stops the import)."""
        parent = self.rows[kind].get(str(row_id))
        self.report.notice(
            row.where,
            f"niet overgenomen: hoort bij {self.named(kind, row_id)}, die om de fout bij "
            f"{parent.where if parent else 'die regel'} niet wordt overgenomen",
        )
        self.refused[row.kind].add(str(row.data.get("id")))

    def count(self, kind: str, created: bool) -> None:
        (self.report.created if created else self.report.updated)[kind] += 1

    # Providers ---------------------------------------------------------------------------------

    def providers(self) -> None:
        managing = self.actor.can(Permission.DIRECTORY_MANAGE)
        for row_id, row in self.rows["organization"].items():
            data = row.data
            provider = self.existing(Provider, row_id)
            created = provider is None
            before = None
            if provider is None:
                provider = Provider(
                    uid=row_id, owner=self.owner if managing else self.actor.organisation
                )
            else:
                assert isinstance(provider, Provider)
                if not managing and provider.owner_id != self.actor.organisation.pk:
                    self.refuse(
                        row,
                        message=f"aanbieder '{provider.name}' wordt bijgehouden door een andere organisatie; u kunt deze niet bijwerken",
                    )
                    continue
                before = field_values(provider, PROVIDER_FIELDS)
            for key in ("name", "alternate_name", "description", "email", "website"):
                setattr(provider, key, _s(data, key))
            if self.check(provider, row):
                self.plan.save(provider)
                self.plan.changes += change_rows(
                    self.actor,
                    "organization",
                    provider,
                    before,
                    field_values(provider, PROVIDER_FIELDS),
                    ChangeAction.IMPORT,
                )
                self.records["organization"][row_id] = provider
                self.count("organization", created)  # fmt: skip

    # Locations ---------------------------------------------------------------------------------

    def locations(self) -> None:
        addresses: dict[str, list[Row]] = {}
        for row in self.rows["address"].values():
            addresses.setdefault(_s(row.data, "location_id"), []).append(row)
        for row_id, row in self.rows["location"].items():
            data = row.data
            provider = self.lookup("organization", data.get("organization_id"), Provider)
            if provider is None and self.is_refused("organization", data.get("organization_id")):
                self.follow_refused(row, "organization", data["organization_id"])
                continue
            if data.get("organization_id") and provider is None:
                if not self.actor.can(Permission.DIRECTORY_MANAGE):
                    self.refuse(
                        row,
                        message=f"locatie hoort bij organisatie {data['organization_id']}, die niet in het bestand of de sociale kaart staat",
                    )
                    continue
                self.report.notice(
                    row.where,
                    f"organisatie {data['organization_id']} staat niet in het bestand of de sociale kaart; die koppeling wordt niet overgenomen",
                )
            location = self.existing(Location, row_id)
            created = location is None
            before = None
            if location is None:
                location = Location(uid=row_id)
            else:
                assert isinstance(location, Location)
                before = field_values(location, LOCATION_FIELDS)
            if created and provider is None and not self.actor.can(Permission.DIRECTORY_MANAGE):
                self.refuse(row, message=self._without_organization(row_id))
                continue
            if not self._may_change(provider if created else location.provider, row):
                continue
            if provider is not None or created:
                location.provider = provider
            for key in (
                "location_type",
                "url",
                "name",
                "alternate_name",
                "description",
                "transportation",
            ):
                setattr(location, key, _s(data, key))
            location.latitude = data.get("latitude")
            location.longitude = data.get("longitude")
            found = addresses.get(row_id, [])
            if len(found) > 1:
                self.report.notice(
                    row.where, f"{len(found)} adressen; alleen het eerste wordt overgenomen"
                )
            if found:
                address = found[0].data
                location.address_uid = uuid.UUID(address["id"])
                for key in (
                    "attention",
                    "address_1",
                    "address_2",
                    "city",
                    "region",
                    "state_province",
                    "postal_code",
                    "country",
                    "address_type",
                ):
                    setattr(location, key, _s(address, key))
            derive_position(location)
            if not self._position(location, row):
                continue
            if self.check(location, row):
                self.plan.save(location)
                self.plan.changes += change_rows(
                    self.actor,
                    "location",
                    location,
                    before,
                    field_values(location, LOCATION_FIELDS),
                    ChangeAction.IMPORT,
                )
                self.records["location"][row_id] = location
                self.count("location", created)  # fmt: skip
        for location_id, rows in addresses.items():
            if location_id not in self.rows["location"]:
                for row in rows:
                    self.report.notice(
                        row.where, "adres zonder locatie in het bestand; niet overgenomen"
                    )

    def _position(self, location: Location, row: Row) -> bool:
        """A position that is no number stops the import; one that does not exist (out of
        range, or recognisably swapped) is not taken over, with a notice: the location is kept
        without it (the official HSDS examples carry latitude 100)."""
        latitude, longitude = location.latitude, location.longitude
        problems = position_problems(latitude, longitude, dutch_address=location.dutch_address)
        if not problems:
            return True
        for name, message in problems.items():
            value = latitude if name == "latitude" else longitude
            if value is not None and not math.isfinite(value):
                self.refuse(row, f"{row.where}, veld {name}", message)
        if self.is_refused("location", row.data.get("id")):
            return False
        found = "; ".join(f"{name}: {message}" for name, message in problems.items())
        self.report.notice(row.where, f"positie niet overgenomen ({found})")
        location.latitude = location.longitude = None
        return True

    def _without_organization(self, row_id: str) -> str:
        """Why a functioneel beheerder cannot import a location that names no organization."""
        services = [
            self.named("service", sal.data.get("service_id"))
            for sal in self.rows["service_at_location"].values()
            if sal.data.get("location_id") == row_id
        ]
        where = (
            f"staat in het bestand alleen bij service_at_locations (van {', '.join(services[:3])})"
            " en "
            if services
            else ""
        )
        return (
            f"deze locatie {where}heeft geen organization_id, dus geen aanbieder. U kunt alleen "
            "locaties importeren van aanbieders die uw organisatie bijhoudt: geef de locatie de "
            "organization_id van die aanbieder"
        )

    def _may_change(self, provider: Provider | None, row: Row) -> bool:
        if self.actor.can(Permission.DIRECTORY_MANAGE):
            return True
        if provider is None:
            self.refuse(
                row,
                message="dit hoort bij geen aanbieder; alleen platformbeheer kan het bijwerken",
            )
            return False
        if provider.owner_id != self.actor.organisation.pk:
            self.refuse(
                row,
                message=f"dit hoort bij aanbieder '{provider.name}', die uw organisatie niet bijhoudt",
            )
            return False
        return True

    # Services ----------------------------------------------------------------------------------

    def services(self) -> None:
        for row_id, row in self.rows["service"].items():
            data = row.data
            provider = self.lookup("organization", data.get("organization_id"), Provider)
            if provider is None and self.is_refused("organization", data.get("organization_id")):
                self.follow_refused(row, "organization", data["organization_id"])
                continue
            if provider is None:
                self.refuse(
                    row,
                    message=f"de dienst hoort bij organisatie {data.get('organization_id') or '(geen)'}, die niet in het bestand of de sociale kaart staat",
                )
                continue
            service = self.existing(Service, row_id)
            created = service is None
            before = None
            if service is None:
                service = Service(uid=row_id)
            else:
                assert isinstance(service, Service)
                before = field_values(service, SERVICE_FIELDS)
                if not self._may_change(service.provider, row):
                    continue
            if not self._may_change(provider, row):
                continue
            service.provider = provider
            for key in (
                "name",
                "alternate_name",
                "description",
                "url",
                "email",
                "status",
                "interpretation_services",
                "application_process",
                "fees_description",
                "wait_time",
                "eligibility_description",
                "assurer_email",
                "alert",
            ):
                setattr(service, key, _s(data, key))
            service.minimum_age = _whole(
                data.get("minimum_age"), f"{row.where}, veld minimum_age", self.report, 150
            )
            service.maximum_age = _whole(
                data.get("maximum_age"), f"{row.where}, veld maximum_age", self.report, 150
            )
            service.verified_on = _date(
                data.get("assured_date"), f"{row.where}, veld assured_date", self.report
            )
            if self.check(service, row, exclude=["search_vector"]):
                self.plan.save(service)
                self.plan.changes += change_rows(
                    self.actor,
                    "service",
                    service,
                    before,
                    field_values(service, SERVICE_FIELDS),
                    ChangeAction.IMPORT,
                )
                self.records["service"][row_id] = service
                self.count("service", created)  # fmt: skip

    def service_locations(self) -> None:
        for row_id, row in self.rows["service_at_location"].items():
            service = self.lookup("service", row.data.get("service_id"), Service)
            location = self.lookup("location", row.data.get("location_id"), Location)
            refused = [
                (kind, row.data.get(f"{kind}_id"))
                for kind, record in (("service", service), ("location", location))
                if record is None and self.is_refused(kind, row.data.get(f"{kind}_id"))
            ]
            if refused:
                self.follow_refused(row, *refused[0])
                continue
            if service is None or location is None:
                missing = "dienst" if service is None else "locatie"
                self.refuse(
                    row,
                    message=f"de {missing} waar dit naar verwijst staat niet in het bestand of de sociale kaart",
                )
                continue
            pair = (_key(service), _key(location))
            record = self.existing(ServiceLocation, row_id) or self.pairs.get(pair)
            created = record is None
            record = record or ServiceLocation(uid=row_id)
            assert isinstance(record, ServiceLocation)
            other = self.pairs.get(pair)
            if other is not None and _key(other) != _key(record):
                self.report.error(
                    row.where,
                    f"deze dienst staat op deze locatie al in de sociale kaart, met id {other.uid}",
                )
                continue
            if not created and record.pk is not None:
                self.pairs.pop((("pk", record.service_id), ("pk", record.location_id)), None)
            record.service, record.location = service, location
            record.description = _s(row.data, "description")
            if self.check(record, row):
                self.plan.save(record)
                self.pairs[pair] = record
                self.records["service_at_location"][row_id] = record
                self.count("service_at_location", created)  # fmt: skip

    # Things that hang off others ----------------------------------------------------------------

    def _links(self, row: Row, kind: str) -> dict[str, Model] | None:
        """The records this row is linked to; unknown links are dropped with a notice."""
        found: dict[str, Model] = {}
        refused: tuple[str, Any] | None = None
        models = {
            "organization": Provider,
            "service": Service,
            "location": Location,
            "service_at_location": ServiceLocation,
            "contact": Contact,
            "phone": Phone,
        }
        for link in LINKS[kind]:
            value = row.data.get(link)
            if value in (None, ""):
                continue
            target = TARGET_OF_LINK[link]
            record = self.lookup(target, value, models[target])
            if record is None and self.is_refused(target, value):
                refused = (target, value)
                continue
            if record is not None and not self.in_reach(target, value):
                self.report.error(
                    row.where,
                    f"{link} {value}: u kunt alleen koppelen aan gegevens uit hetzelfde bestand",
                )
                continue
            if record is None:
                self.report.notice(
                    row.where,
                    f"{link} {value} verwijst naar een {NAMES[target]} die niet in het bestand of de sociale kaart staat; die koppeling vervalt",
                )
                continue
            found[target] = record
        if refused is not None:
            self.follow_refused(row, *refused)
            return None
        if not found:
            self.report.notice(row.where, f"{NAMES[kind]} hoort nergens bij; niet overgenomen")
            return None
        return found  # fmt: skip

    def _attach(self, record: Model, links: dict[str, Model]) -> None:
        fields = {
            "organization": "provider",
            "service": "service",
            "location": "location",
            "service_at_location": "service_location",
            "contact": "contact",
            "phone": "phone",
        }
        for target, linked in links.items():
            name = fields[target]
            if any(f.name == name for f in record._meta.get_fields()):
                setattr(record, name, linked)
            if isinstance(linked, Service):
                self.plan.services[_key(linked)] = linked  # fmt: skip

    def simple(self, kind: str, model: type[Model], fill: Any) -> None:
        for row_id, row in self.rows[kind].items():
            links = self._links(row, kind)
            if links is None:
                continue
            record = self.existing(model, row_id)
            created = record is None
            record = record or model(uid=row_id)
            self._attach(record, links)
            fill(record, row)
            if self.check(record, row):
                self.plan.save(record)
                self.records[kind][row_id] = record
                self.count(kind, created)

    def contacts(self) -> None:
        def fill(contact: Contact, row: Row) -> None:
            for key in ("name", "title", "department", "email"):
                setattr(contact, key, _s(row.data, key))

        self.simple("contact", Contact, fill)

    def phones(self) -> None:
        def fill(phone: Phone, row: Row) -> None:
            phone.number = _s(row.data, "number")
            phone.extension = _whole(
                row.data.get("extension"), f"{row.where}, veld extension", self.report
            )
            phone.type = _s(row.data, "type")
            phone.description = _s(row.data, "description")

        self.simple("phone", Phone, fill)

    def languages(self) -> None:
        def fill(language: Language, row: Row) -> None:
            for key in ("name", "code", "note"):
                setattr(language, key, _s(row.data, key))

        self.simple("language", Language, fill)

    def schedules(self) -> None:
        def fill(schedule: Schedule, row: Row) -> None:
            data, where = row.data, row.where
            schedule.valid_from = _date(
                data.get("valid_from"), f"{where}, veld valid_from", self.report
            )
            schedule.valid_to = _date(data.get("valid_to"), f"{where}, veld valid_to", self.report)
            schedule.opens_at = _time(data.get("opens_at"), f"{where}, veld opens_at", self.report)
            schedule.closes_at = _time(
                data.get("closes_at"), f"{where}, veld closes_at", self.report
            )
            schedule.interval = _whole(
                data.get("interval"), f"{where}, veld interval", self.report, 32767
            )
            for key in ("freq", "byday", "description", "attending_type", "notes"):
                setattr(schedule, key, _s(data, key))

        self.simple("schedule", Schedule, fill)

    def service_areas(self) -> None:
        def fill(area: ServiceArea, row: Row) -> None:
            for key in ("name", "description", "extent", "extent_type", "uri"):
                setattr(area, key, _s(row.data, key))
            area.kind, area.code = AreaKind.OTHER, ""
            kind, _, code = area.extent.partition(":")
            if area.extent_type == "text" and kind in AreaKind.values and kind != AreaKind.OTHER:
                area.kind, area.code = kind, code

        self.simple("service_area", ServiceArea, fill)

    # Attributes and metadata ------------------------------------------------------------------

    def _term(self, row: Row) -> tuple[str, str] | None:
        """(taxonomy id or 'markers', code) for an attribute, if it is one the sociale kaart knows."""
        term_id = _uuid(row.data.get("taxonomy_term_id"))
        known = taxonomies.term_by_uid()
        if term_id is not None and term_id in known:
            taxonomy, term = known[term_id]
            return taxonomy.id, term.code
        for code in hsds.MARKERS:
            if term_id == uuid.uuid5(hsds.MARKERS_TAXONOMY_UID, code):
                return "markers", code
        term_row = self.rows["taxonomy_term"].get(str(row.data.get("taxonomy_term_id")))
        if term_row is not None:
            taxonomy_uid = _uuid(term_row.data.get("taxonomy_id"))
            code = _s(term_row.data, "code")
            for taxonomy in taxonomies.taxonomies().values():
                if taxonomy.uid == taxonomy_uid and code in taxonomy.terms:
                    return taxonomy.id, code
        return None

    def attributes(self) -> None:
        terms: dict[tuple[str, int], tuple[Service, set[tuple[str, str]]]] = {}
        for row in self.rows["attribute"].values():
            entity, link = _s(row.data, "link_entity"), row.data.get("link_id")
            found = self._term(row)
            if found is None:
                self.report.notice(
                    row.where,
                    "kenmerk met een taxonomie die de sociale kaart niet kent; niet overgenomen",
                )
                continue
            taxonomy_id, code = found
            target = {
                "organization": ("organization", Provider),
                "service": ("service", Service),
                "location": ("location", Location),
                "contact": ("contact", Contact),
            }.get(entity)
            record = self.lookup(target[0], link, target[1]) if target else None
            if record is None and target and self.is_refused(target[0], link):
                self.follow_refused(row, target[0], link)
                continue
            if record is not None and target and not self.in_reach(target[0], link):
                self.report.error(
                    row.where,
                    "u kunt alleen kenmerken toevoegen aan gegevens uit hetzelfde bestand",
                )
                continue
            if record is None:
                self.report.notice(
                    row.where,
                    f"kenmerk bij {entity or '?'} {link}, dat niet in het bestand of de sociale kaart staat; niet overgenomen",
                )
                continue
            if isinstance(record, Location) and (taxonomy_id, code) == (
                "markers",
                hsds.MARKER_CONFIDENTIAL,
            ):
                if not record.confidential:
                    record.confidential = True
                    self.plan.save(record)
            elif isinstance(record, Contact) and (taxonomy_id, code) == (
                "markers",
                hsds.MARKER_OFFICER,
            ):
                if not record.meldcode_officer:
                    record.meldcode_officer = True
                    self.plan.save(record)
            elif isinstance(record, Service) and (taxonomy_id, code) == (
                "markers",
                hsds.MARKER_REFERRAL,
            ):
                record.referral_details = _s(row.data, "value")[:2000]
                self.plan.save(record)
            elif isinstance(record, Service) and taxonomy_id in taxonomies.SERVICE_TAXONOMIES:
                terms.setdefault(_key(record), (record, set()))[1].add((taxonomy_id, code))
            elif isinstance(record, Provider) and taxonomy_id == taxonomies.SECTORS:
                record.sector = code
                self.plan.save(record)
            else:
                self.report.notice(
                    row.where, "kenmerk past niet bij dit soort gegevens; niet overgenomen"
                )
        for key, (service, wanted) in terms.items():
            self.plan.terms[key] = (service, wanted)
            self.plan.services[key] = service  # fmt: skip

    def metadata(self) -> None:
        for row_id, row in self.rows["metadata"].items():
            if str(_canonical(row_id)) in self.known_changes:
                continue
            data = row.data
            resource = _s(data, "resource_id")
            refused = [kind for kind in LINKABLE if self.is_refused(kind, resource)]
            if refused:
                self.follow_refused(row, refused[0], resource)
                continue
            if not self.actor.can(Permission.DIRECTORY_MANAGE) and not any(
                resource in self.records[kind] for kind in LINKABLE
            ):
                self.report.notice(
                    row.where, "wijziging bij gegevens buiten dit bestand; niet overgenomen"
                )
                continue
            record = ChangeRecord(
                uid=row_id,
                resource_type=_s(data, "resource_type")[:40],
                resource_uid=_uuid(data.get("resource_id")),
                action=_s(data, "last_action_type")[:40],
                field_name=_s(data, "field_name")[:100],
                previous_value=_s(data, "previous_value"),
                replacement_value=_s(data, "replacement_value"),
                updated_by=_s(data, "updated_by")[:200],
                occurred_on=_date(
                    data.get("last_action_date"), f"{row.where}, veld last_action_date", self.report
                )
                or datetime.date.today(),  # noqa: DTZ011
            )
            if self.check(record, row, exclude=["user"]):
                self.plan.changes.append(record)
                self.count("metadata", True)  # fmt: skip

    def run(self) -> _Plan:
        """Check every row against the sociale kaart and plan what to write."""
        self.load()
        for kind, plan_kind in (
            ("organization", self.providers),
            ("location", self.locations),
            ("service", self.services),
            ("service_at_location", self.service_locations),
            ("contact", self.contacts),
            ("phone", self.phones),
            ("language", self.languages),
            ("schedule", self.schedules),
            ("service_area", self.service_areas),
            ("attribute", self.attributes),
            ("metadata", self.metadata),
        ):
            plan_kind()
            self.progress.advance(len(self.rows[kind]))
        return self.plan


# --- Entry point ---------------------------------------------------------------------------------


def read(source: str, data: bytes, report: ImportReport) -> _Reader:
    reader = _Reader(report)
    if len(data) > MAX_UPLOAD_BYTES:
        report.error(source, "het bestand is groter dan 20 MB")
    elif data[:2] == b"PK":
        reader.read_zip(source, data)
    else:
        parsed, document = _parse_json(source, data, report)
        if parsed:
            reader.read_json(source, document)
    order = list(NAMES)
    for (kind, key), number in sorted(
        reader.unheld.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
    ):
        report.notice(
            f"{source}, {NAMES[kind]}",
            f"'{key}' niet overgenomen ({number}×): de sociale kaart houdt dit niet bij",
        )
    return reader  # fmt: skip


# How often an import plans again when the sociale kaart changed while it was planning.
PLAN_ATTEMPTS = 3
STEP_READ = "Het bestand wordt gelezen en gecontroleerd"
STEP_PLAN = "De gegevens worden vergeleken met de sociale kaart"
STEP_WRITE = "De gegevens worden opgeslagen"


def hsds_import(
    *,
    actor: Actor,
    source: str,
    data: bytes,
    owner: Organisation | None = None,
    trial: bool = False,
    progress: Progress | None = None,
    on_written: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import an HSDS file; all or nothing. Returns the report (errors mean nothing changed).

    Reading, checking and planning hold no transaction, so everyone else keeps working while a
    large file is checked; only writing the plan does, with bulk statements. The plan is made
    against one version of the sociale kaart: if someone changed the map meanwhile, the import
    plans again (and gives up with a clear error after `PLAN_ATTEMPTS`). `on_written` runs inside
    the write transaction, after everything is written (an import job records its end there)."""
    progress = progress or _Silent()
    report = ImportReport(source=source, trial=trial)
    if not (actor.can(Permission.DIRECTORY_MANAGE) or actor.can(Permission.DIRECTORY_EDIT_OWN)):
        report.error(source, "u mag geen gegevens in de sociale kaart importeren")
        return report
    progress.step(STEP_READ)
    reader = read(source, data, report)
    if report.errors:
        return report
    if not any(reader.rows[kind] for kind in ("organization", "service", "location")):
        report.notice(
            source,
            "het bestand bevat geen organisaties, diensten of locaties; er is niets geïmporteerd",
        )
        return report
    notices_from_reading = list(report.notices)
    for _ in range(PLAN_ATTEMPTS):
        report.notices = list(notices_from_reading)
        report.created.clear()
        report.updated.clear()
        progress.step(STEP_PLAN, total=sum(len(rows) for rows in reader.rows.values()))
        version = map_version().number
        plan = _Writer(reader, report, actor, owner, progress).run()
        if report.errors or trial:
            return report
        plan.prepare()
        progress.step(STEP_WRITE)
        started = time.perf_counter()
        with transaction.atomic():
            if map_version_claim(expected=version):
                search_index_update(plan.apply())
                events.imported(
                    actor=actor,
                    created=sum(report.created.values()),
                    updated=sum(report.updated.values()),
                )
                report.written = True
                report.write_seconds = time.perf_counter() - started
                if on_written is not None:
                    on_written(report)
        if report.written:
            report.write_seconds = time.perf_counter() - started
            return report
    report.error(
        source,
        "de sociale kaart werd tijdens het importeren steeds door anderen gewijzigd; er is niets "
        "geïmporteerd. Probeer het later opnieuw.",
    )
    return report  # fmt: skip
