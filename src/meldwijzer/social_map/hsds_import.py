"""Importing HSDS 3.0: a JSON file (one or more organizations, services or service_at_locations,
nested or as a paged list, or the tabular JSON form) or a zip with the CSV files.

The import runs in three passes, and writes only if all of them find nothing wrong:

1. *Schema*: every object or CSV row is validated against the official schema.
2. *Tables*: nested objects are flattened into HSDS's tables, keyed by id; an id that appears in
   several places (the same phone under an organization and a service) is merged, and a
   contradiction between them is an error. References must point at something in the file or
   already in the sociale kaart.
3. *Records*: each row becomes a Meldwijzer record and is checked as one (lengths, e-mail, dates).

Every problem is reported with where it is (file, record, field), in Dutch. Parts of HSDS that
the sociale kaart does not hold (funding, programs, accessibility, cost options, required
documents, attributes of other taxonomies, …) are listed as not taken over; that is not an error.
The import adds and updates records by their HSDS id; it never deletes. All or nothing: one
transaction, rolled back on any error (and always, for a trial run).
"""

from __future__ import annotations

import datetime
import io
import json
import math
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from meldwijzer.audit.models import Action, Purpose
from meldwijzer.audit.services import access_log_record
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission
from meldwijzer.social_map import hsds, taxonomies
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
)
from meldwijzer.social_map.services import (
    LOCATION_FIELDS,
    PROVIDER_FIELDS,
    SERVICE_FIELDS,
    derive_position,
    field_values,
    record_changes,
    search_index_update,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
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
TARGET_OF_LINK = {
    "organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "contact_id": "contact",
    "phone_id": "phone",
}


class ImportFailed(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("import failed")
        self.report = report


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


class _Reader:
    """Turns a file into rows per kind, reporting schema problems and what is not taken over."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.rows: dict[str, dict[str, Row]] = {kind: {} for kind in NAMES}
        self.skipped: Counter[str] = Counter()

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
                    f"waarde voor '{key}' ({old!r} en {value!r})",
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
            elif (
                value
                and isinstance(value, list | dict)
                and key not in PARENT_OBJECTS.get(kind, {})
                and key not in ("attributes", "metadata")
            ):
                self.skipped[key] += len(value) if isinstance(value, list) else 1
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
        """CSV tables (`typed`: the tabular JSON form, numbered from 1, not from the header)."""
        for name, rows in tables.items():
            if name == "datapackage.json":
                continue
            if name not in TABLES:
                self.report.notice(
                    f"{source}, {name}",
                    f"niet overgenomen ({len(rows)} regel(s)): geen onderdeel van de sociale kaart",
                )
                continue
            kind = TABLES[name]
            for index, raw in enumerate(rows, start=1 if typed else 2):
                where = f"{source}, {name}, regel {index}"
                row, problems = _typed_row(raw, kind, where)
                problems += hsds.validate_row(row, kind, where)
                if problems:
                    self.report.errors += problems
                    continue
                self.add(kind, row, where)  # fmt: skip

    def read_zip(self, source: str, data: bytes) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            self.report.error(source, "dit is geen geldig zip-bestand")
            return
        with archive:
            names = [
                info.filename.rsplit("/", 1)[-1] for info in archive.infolist() if not info.is_dir()
            ]
            if not any(name in TABLES for name in names):
                self.report.error(
                    source,
                    "het zip-bestand bevat geen HSDS-tabellen (organizations.csv, services.csv, …)",
                )
                return
            for name in sorted(set(names) - set(TABLES) - {"datapackage.json"}):
                if name.endswith(".csv"):
                    self.report.notice(
                        f"{source}, {name}", "niet overgenomen: geen onderdeel van de sociale kaart"
                    )
            tables = {}
            try:
                for name, rows in hsds.iter_rows(archive):
                    tables[name] = rows
            except (UnicodeDecodeError, ValueError) as error:
                self.report.error(
                    source, f"een CSV-bestand kon niet worden gelezen (gebruik UTF-8): {error}"
                )
                return
            self.read_tables(source, tables, typed=False)


def _typed_row(raw: dict[str, Any], kind: str, where: str) -> tuple[dict[str, Any], list[Problem]]:
    """A row of a table with its values as the schema types them. Tables hold text, so a number
    in a text column is read as text; an empty cell is absent, except in a required text column
    (HSDS metadata requires 'previous_value', which is often empty)."""
    schema = hsds.entity_schema(kind)
    properties, required = schema["properties"], set(schema.get("required") or [])
    row: dict[str, Any] = {}
    problems = []
    for key, value in raw.items():
        if key is None:
            problems.append(Problem(where, "deze regel heeft meer waarden dan er kolommen zijn"))
            continue
        spec = properties.get(key)
        if spec is None:
            continue  # a column HSDS does not define: ignored
        if value in (None, ""):
            if value == "" and key in required and spec.get("type") == "string":
                row[key] = ""
            continue
        if spec.get("type") == "string" and isinstance(value, int | float):
            row[key] = str(value)
        elif spec.get("type") == "number" and isinstance(value, int | float):
            row[key] = value
        elif spec.get("type") == "number":
            try:
                number = float(value)
            except (TypeError, ValueError):
                problems.append(Problem(f"{where}, veld {key}", f"{value!r} is geen getal"))
                continue
            if not math.isfinite(number):
                problems.append(Problem(f"{where}, veld {key}", f"{value!r} is geen getal"))
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


class _Writer:
    """Writes the rows as records, inside the caller's transaction."""

    def __init__(
        self,
        reader: _Reader,
        report: ImportReport,
        actor: Actor,
        owner: Organisation | None,
    ) -> None:
        self.rows = reader.rows
        self.report = report
        self.actor = actor
        self.owner = owner
        self.records: dict[str, dict[str, Model]] = {kind: {} for kind in NAMES}
        self.touched_services: set[int] = set()

    # Helpers -----------------------------------------------------------------------------------

    def existing(self, model: type[M], row_id: str) -> M | None:
        return model._default_manager.filter(uid=row_id).first()

    def lookup(self, kind: str, row_id: Any, model: type[M]) -> M | None:
        """The record a link points at: from this import, or already in the sociale kaart."""
        if row_id in (None, ""):
            return None
        found = self.records[kind].get(str(row_id))
        if isinstance(found, model):
            return found
        if _uuid(row_id) is not None:
            return model._default_manager.filter(uid=row_id).first()
        return None

    def in_reach(self, kind: str, row_id: Any) -> bool:
        """The platformbeheerder may link to anything; a functioneel beheerder only to records
        of this import (which passed the ownership checks)."""
        return self.actor.can(Permission.DIRECTORY_MANAGE) or str(row_id) in self.records[kind]

    def check(self, record: Model, row: Row, exclude: list[str] | None = None) -> bool:
        try:
            record.full_clean(exclude=exclude, validate_unique=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                where = row.where if name == "__all__" else f"{row.where}, veld {name}"
                self.report.error(where, " ".join(str(m) for m in messages))
            return False
        return True

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
                    self.report.error(
                        row.where,
                        f"aanbieder '{provider.name}' wordt bijgehouden door een andere organisatie; u kunt deze niet bijwerken",
                    )
                    continue
                before = field_values(provider, PROVIDER_FIELDS)
            for key in ("name", "alternate_name", "description", "email", "website"):
                setattr(provider, key, _s(data, key))
            if self.check(provider, row):
                provider.save()
                record_changes(
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
            if data.get("organization_id") and provider is None:
                if not self.actor.can(Permission.DIRECTORY_MANAGE):
                    self.report.error(
                        row.where,
                        f"locatie hoort bij organisatie {data['organization_id']}, die niet in het bestand of de sociale kaart staat",
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
            if self.check(location, row):
                location.save()
                record_changes(
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

    def _may_change(self, provider: Provider | None, row: Row) -> bool:
        if self.actor.can(Permission.DIRECTORY_MANAGE):
            return True
        if provider is None or provider.owner_id != self.actor.organisation.pk:
            self.report.error(
                row.where, "dit hoort bij een aanbieder die uw organisatie niet bijhoudt"
            )
            return False
        return True

    # Services ----------------------------------------------------------------------------------

    def services(self) -> None:
        for row_id, row in self.rows["service"].items():
            data = row.data
            provider = self.lookup("organization", data.get("organization_id"), Provider)
            if provider is None:
                self.report.error(
                    row.where,
                    f"de dienst hoort bij organisatie {data.get('organization_id') or '(geen)'}, die niet in het bestand of de sociale kaart staat",
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
                service.save()
                record_changes(
                    self.actor,
                    "service",
                    service,
                    before,
                    field_values(service, SERVICE_FIELDS),
                    ChangeAction.IMPORT,
                )
                self.records["service"][row_id] = service
                self.touched_services.add(service.pk)
                self.count("service", created)  # fmt: skip

    def service_locations(self) -> None:
        for row_id, row in self.rows["service_at_location"].items():
            service = self.lookup("service", row.data.get("service_id"), Service)
            location = self.lookup("location", row.data.get("location_id"), Location)
            if service is None or location is None:
                missing = "dienst" if service is None else "locatie"
                self.report.error(
                    row.where,
                    f"de {missing} waar dit naar verwijst staat niet in het bestand of de sociale kaart",
                )
                continue
            record = (
                self.existing(ServiceLocation, row_id)
                or ServiceLocation.objects.filter(service=service, location=location).first()
            )
            created = record is None
            record = record or ServiceLocation(uid=row_id)
            assert isinstance(record, ServiceLocation)
            record.service, record.location = service, location
            record.description = _s(row.data, "description")
            if self.check(record, row):
                record.save()
                self.records["service_at_location"][row_id] = record
                self.count("service_at_location", created)  # fmt: skip

    # Things that hang off others ----------------------------------------------------------------

    def _links(self, row: Row, kind: str) -> dict[str, Model] | None:
        """The records this row is linked to; unknown links are dropped with a notice."""
        found: dict[str, Model] = {}
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
                self.touched_services.add(linked.pk)  # fmt: skip

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
                record.save()
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
        terms: dict[Service, set[tuple[str, str]]] = {}
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
                    record.save(update_fields=["confidential"])
            elif isinstance(record, Contact) and (taxonomy_id, code) == (
                "markers",
                hsds.MARKER_OFFICER,
            ):
                if not record.meldcode_officer:
                    record.meldcode_officer = True
                    record.save(update_fields=["meldcode_officer"])
            elif isinstance(record, Service) and (taxonomy_id, code) == (
                "markers",
                hsds.MARKER_REFERRAL,
            ):
                record.referral_details = _s(row.data, "value")[:2000]
                record.save(update_fields=["referral_details"])
            elif isinstance(record, Service) and taxonomy_id in taxonomies.SERVICE_TAXONOMIES:
                terms.setdefault(record, set()).add((taxonomy_id, code))
            elif isinstance(record, Provider) and taxonomy_id == taxonomies.SECTORS:
                record.sector = code
                record.save(update_fields=["sector"])
            else:
                self.report.notice(
                    row.where, "kenmerk past niet bij dit soort gegevens; niet overgenomen"
                )
        for service, wanted in terms.items():
            ServiceTerm.objects.filter(service=service).delete()
            ServiceTerm.objects.bulk_create(
                ServiceTerm(service=service, taxonomy=t, code=c) for t, c in sorted(wanted)
            )
            self.touched_services.add(service.pk)  # fmt: skip

    def metadata(self) -> None:
        for row_id, row in self.rows["metadata"].items():
            if ChangeRecord.objects.filter(uid=row_id).exists():
                continue
            data = row.data
            resource = _s(data, "resource_id")
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
                record.save()
                self.count("metadata", True)  # fmt: skip

    def run(self) -> None:
        self.providers()
        self.locations()
        self.services()
        self.service_locations()
        self.contacts()
        self.phones()
        self.languages()
        self.schedules()
        self.service_areas()
        self.attributes()
        self.metadata()


# --- Entry point ---------------------------------------------------------------------------------


def read(source: str, data: bytes, report: ImportReport) -> _Reader:
    reader = _Reader(report)
    if len(data) > MAX_UPLOAD_BYTES:
        report.error(source, "het bestand is groter dan 20 MB")
    elif data[:4] == b"PK\x03\x04":
        reader.read_zip(source, data)
    else:
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            report.error(source, "het bestand is geen JSON in UTF-8 en geen zip-bestand met CSV")
            return reader
        except json.JSONDecodeError as error:
            report.error(
                source,
                f"geen geldige JSON: {error.msg} (regel {error.lineno}, kolom {error.colno})",
            )
            return reader
        reader.read_json(source, document)
    for key, number in sorted(reader.skipped.items()):
        report.notice(
            source, f"'{key}' niet overgenomen ({number}×): geen onderdeel van de sociale kaart"
        )
    return reader  # fmt: skip


def hsds_import(
    *,
    actor: Actor,
    source: str,
    data: bytes,
    owner: Organisation | None = None,
    trial: bool = False,
) -> ImportReport:
    """Import an HSDS file; all or nothing. Returns the report (errors mean nothing changed)."""
    report = ImportReport(source=source, trial=trial)
    if not (actor.can(Permission.DIRECTORY_MANAGE) or actor.can(Permission.DIRECTORY_EDIT_OWN)):
        report.error(source, "u mag geen gegevens in de sociale kaart importeren")
        return report
    reader = read(source, data, report)
    if report.errors:
        return report
    if not any(reader.rows[kind] for kind in ("organization", "service", "location")):
        report.notice(
            source,
            "het bestand bevat geen organisaties, diensten of locaties; er is niets geïmporteerd",
        )
        return report
    try:
        with transaction.atomic():
            writer = _Writer(reader, report, actor, owner)
            writer.run()
            if report.errors or trial:
                raise ImportFailed(report)
            search_index_update(writer.touched_services)
            access_log_record(
                actor=actor,
                action=Action.CREATE,
                subject_type="sociale_kaart_import",
                part=f"{sum(report.created.values())} nieuw, {sum(report.updated.values())} bijgewerkt"[
                    :40
                ],
                role=actor.role_for(
                    Permission.DIRECTORY_MANAGE
                    if actor.can(Permission.DIRECTORY_MANAGE)
                    else Permission.DIRECTORY_EDIT_OWN
                ),
                purpose=Purpose.ADMINISTRATION,
            )
    except ImportFailed:
        return report
    report.written = True
    return report  # fmt: skip
