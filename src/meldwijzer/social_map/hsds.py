"""Open Referral HSDS 3.0: the official schemas, validation with Dutch messages, and the export.

The schemas in `hsds_schema/` are the official HSDS 3.0 schemas (CC BY-SA 4.0, see
`hsds_schema/LICENSE.txt`): one per table, plus the compiled (fully nested) organization, service
and service_at_location schemas, stored gzipped. Everything Meldwijzer exports is validated
against them before it leaves, and every file it imports is validated against them first.

What an export holds depends on its audience. The *public* one (anyone may download it; the API
gives the same to anonymous callers) leaves out contact persons, referral details, the change
history and every confidential location — with its address, phones, opening hours and the
service_at_location rows that point at it. The *professional* view (the API with a token or
session) adds contact persons and referral details, still without confidential locations. The
*full* export (platformbeheer) holds everything, and marks confidential locations and referral
details with Meldwijzer's own attribute taxonomy so that a re-import keeps them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import uuid
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.db.models import Prefetch, QuerySet
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from meldwijzer.core.spreadsheets import formula_safe
from meldwijzer.social_map import taxonomies
from meldwijzer.social_map.models import (
    AreaKind,
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
    position_problems,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "hsds_schema"

# Meldwijzer's own attribute taxonomy, for what HSDS has no field for.
MARKERS_TAXONOMY_UID = uuid.UUID("e54950c5-5842-491d-8562-d684f854bb28")
MARKER_CONFIDENTIAL = "geheim_adres"
MARKER_REFERRAL = "verwijzen"
MARKER_OFFICER = "aandachtsfunctionaris"
MARKERS = {
    MARKER_CONFIDENTIAL: "Geheim adres: nooit openbaar tonen of exporteren",
    MARKER_REFERRAL: "Verwijzen: informatie voor professionals",
    MARKER_OFFICER: "Aandachtsfunctionaris (meldcode) van de organisatie",
}

# The tables of the tabular format that Meldwijzer reads and writes, in HSDS's own order.
TABLES = {
    "organizations.csv": "organization",
    "services.csv": "service",
    "attributes.csv": "attribute",
    "service_at_location.csv": "service_at_location",
    "locations.csv": "location",
    "phones.csv": "phone",
    "contacts.csv": "contact",
    "addresses.csv": "address",
    "schedules.csv": "schedule",
    "service_areas.csv": "service_area",
    "languages.csv": "language",
    "taxonomy_terms.csv": "taxonomy_term",
    "metadata.csv": "metadata",
    "taxonomies.csv": "taxonomy",
}


# --- Schemas and validation -------------------------------------------------------------------


@cache
def entity_schema(name: str) -> dict[str, Any]:
    """The official schema of one HSDS table (e.g. 'service')."""
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def compiled_schema(name: str) -> dict[str, Any]:
    """The official compiled (fully nested) schema: organization, service, service_at_location."""
    with gzip.open(SCHEMA_DIR / "compiled" / f"{name}.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


@cache
def _registry() -> Registry:
    resources = [
        (path.name, DRAFT202012.create_resource(json.loads(path.read_text("utf-8"))))
        for path in SCHEMA_DIR.glob("*.json")
    ]
    return Registry().with_resources(resources)


@cache
def validator(name: str, *, compiled: bool = False) -> Draft202012Validator:
    schema = compiled_schema(name) if compiled else entity_schema(name)
    return Draft202012Validator(schema, registry=_registry(), format_checker=FormatChecker())


@cache
def csv_columns(name: str) -> tuple[str, ...]:
    """The columns of a table: the schema's properties that are not nested arrays or objects."""
    return tuple(
        key
        for key, spec in entity_schema(name)["properties"].items()
        if spec.get("type") not in ("array", None) and "$ref" not in spec
    )


@dataclass(frozen=True)
class Problem:
    """One thing wrong, and where: file, record, field."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


_TYPES = {
    "string": "tekst",
    "number": "een getal",
    "integer": "een geheel getal",
    "array": "een lijst",
    "object": "een object",
    "boolean": "ja of nee",
}


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut between words and marked with '…'."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def shown(value: Any, limit: int = 80) -> str:
    """A value as a message quotes it: text between quotes, shortened between words; a list or
    an object by what it is, not by everything in it."""
    if isinstance(value, dict):
        return "een object"
    if isinstance(value, list):
        return "een lijst"
    if isinstance(value, str):
        return repr(shorten(value, limit))
    return shorten(repr(value), limit)


def dutch_message(error: ValidationError) -> str:
    """A jsonschema error in plain Dutch."""
    kind = error.validator
    value = error.instance
    if kind == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else "?"
        return f"het verplichte veld '{missing}' ontbreekt"
    if kind == "type":
        wanted = error.validator_value
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        return f"moet {' of '.join(_TYPES.get(n, n) for n in names)} zijn, niet {shown(value)}"
    if kind == "enum":
        options = ", ".join(str(option) for option in error.validator_value)
        return f"{shown(value)} is geen toegestane waarde (toegestaan: {options})"
    if kind == "format":
        formats = {"uuid": "een UUID", "email": "een e-mailadres", "date": "een datum (jjjj-mm-dd)"}
        wanted = formats.get(str(error.validator_value), str(error.validator_value))
        return f"{shown(value)} is geen geldige waarde: verwacht {wanted}"
    return f"{shown(value)} is ongeldig (regel '{kind}' van het schema)"


def _path(parts: Iterable[Any]) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def validate(obj: Any, name: str, where: str, *, compiled: bool = False) -> list[Problem]:
    """Every way `obj` breaks the official schema `name`, with the field's path."""
    problems = []
    for error in sorted(
        validator(name, compiled=compiled).iter_errors(obj), key=lambda e: list(e.absolute_path)
    ):
        field = _path(error.absolute_path)
        problems.append(Problem(f"{where}, veld {field}" if field else where, dutch_message(error)))
    return problems


def validate_row(row: dict[str, Any], name: str, where: str) -> list[Problem]:
    """A row of the tabular format: the table's schema plus the columns tabular files require."""
    problems = validate(row, name, where)
    for column in entity_schema(name).get("tabular_required") or []:
        if row.get(column) in (None, ""):
            problems.append(Problem(f"{where}, veld {column}", "dit veld is verplicht in CSV"))
    return problems


# --- Export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who an export or API answer is for, and so what it may hold."""

    name: str
    contacts: bool
    """Contact persons and referral details (for professionals)."""
    confidential: bool
    """Confidential locations, with their address."""
    history: bool
    """The change history (HSDS metadata) and who checked a service."""


PUBLIC = Audience("openbaar", contacts=False, confidential=False, history=False)
PROFESSIONAL = Audience("professional", contacts=True, confidential=False, history=False)
FULL = Audience("volledig", contacts=True, confidential=True, history=True)


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values: HSDS treats an absent field as unknown."""
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _term(taxonomy_uid: uuid.UUID, code: str, name: str, description: str) -> dict[str, Any]:
    return _clean(
        {
            "id": str(uuid.uuid5(taxonomy_uid, code)),
            "code": code,
            "name": name,
            "description": description,
            "taxonomy_id": str(taxonomy_uid),
        }
    )


def _taxonomy_detail(taxonomy_uid: uuid.UUID) -> dict[str, Any]:
    if taxonomy_uid == MARKERS_TAXONOMY_UID:
        return {
            "id": str(MARKERS_TAXONOMY_UID),
            "name": "Meldwijzer-kenmerken",
            "description": "Kenmerken die HSDS zelf niet kent (geheim adres, verwijsinformatie).",
            "version": "1",
        }
    found = next(t for t in taxonomies.taxonomies().values() if t.uid == taxonomy_uid)
    return {
        "id": str(found.uid),
        "name": found.name,
        "description": found.description,
        "version": found.version,
    }


def _attribute(
    link_entity: str, link_id: uuid.UUID, taxonomy_uid: uuid.UUID, code: str, value: str = ""
) -> dict[str, Any]:
    """An attribute: the link to one term, with a stable id."""
    if taxonomy_uid == MARKERS_TAXONOMY_UID:
        name, description = MARKERS[code], MARKERS[code]
    else:
        found = next(t for t in taxonomies.taxonomies().values() if t.uid == taxonomy_uid)
        name, description = found.terms[code].name, found.terms[code].description
    term = _term(taxonomy_uid, code, name, description)
    term["taxonomy_detail"] = _taxonomy_detail(taxonomy_uid)
    return _clean(
        {
            "id": str(uuid.uuid5(link_id, f"{taxonomy_uid}:{code}")),
            "link_id": str(link_id),
            "link_type": "meldwijzer",
            "link_entity": link_entity,
            "taxonomy_term_id": term["id"],
            "value": value,
            "taxonomy_term": term,
        }
    )


def service_prefetches(
    service_locations: QuerySet[ServiceLocation] | None = None,
) -> list[str | Prefetch[Any]]:
    """What `service_object` reads of a service, so a list of services is read in a fixed number
    of queries, however many it holds."""
    if service_locations is None:
        service_locations = (
            ServiceLocation.objects.select_related("location")
            .prefetch_related(
                "contacts__phones__languages",
                "phones__languages",
                "schedules",
                "location__contacts__phones__languages",
                "location__languages",
                "location__phones__languages",
                "location__schedules",
            )
            .order_by("pk")
        )
    phones = Phone.objects.prefetch_related("languages").order_by("pk")
    return [
        "terms",
        "areas",
        Prefetch("phones", queryset=phones),
        Prefetch("schedules", queryset=Schedule.objects.order_by("pk")),
        Prefetch("languages", queryset=Language.objects.order_by("pk")),
        Prefetch("contacts", queryset=Contact.objects.prefetch_related(Prefetch("phones", queryset=phones))),
        Prefetch("service_locations", queryset=service_locations),
    ]  # fmt: skip


@dataclass
class Snapshot:
    """Everything one export holds, read in a fixed number of queries."""

    providers: list[Provider]
    audience: Audience

    @classmethod
    def read(cls, *, audience: Audience, provider_pk: int | None = None) -> Snapshot:
        locations = Location.objects.order_by("pk")
        service_locations = (
            ServiceLocation.objects.select_related("location")
            .prefetch_related("contacts__phones", "phones__languages", "schedules")
            .order_by("pk")
        )
        if not audience.confidential:
            locations = locations.filter(confidential=False)
            service_locations = service_locations.filter(location__confidential=False)
        phones = Phone.objects.prefetch_related("languages").order_by("pk")
        providers = Provider.objects.order_by("name", "pk").prefetch_related(
            Prefetch("locations", queryset=locations.prefetch_related("phones", "schedules", "languages")),
            Prefetch("phones", queryset=phones),
            Prefetch("contacts", queryset=Contact.objects.prefetch_related(Prefetch("phones", queryset=phones))),
            Prefetch(
                "services",
                queryset=Service.objects.order_by("name", "pk").prefetch_related(
                    *service_prefetches(service_locations)
                ),
            ),
        )  # fmt: skip
        if provider_pk is not None:
            providers = providers.filter(pk=provider_pk)
        return cls(providers=list(providers), audience=audience)

    def metadata_for(self, uids: list[uuid.UUID]) -> dict[uuid.UUID, list[ChangeRecord]]:
        found: dict[uuid.UUID, list[ChangeRecord]] = defaultdict(list)
        if not self.audience.history:
            return found
        for record in ChangeRecord.objects.filter(resource_uid__in=uids).order_by(
            "created_at", "pk"
        ):
            if record.resource_uid is not None:
                found[record.resource_uid].append(record)
        return found


def _phone(phone: Phone) -> dict[str, Any]:
    return _clean(
        {
            "id": str(phone.uid),
            "number": phone.number,
            "extension": phone.extension,
            "type": phone.type,
            "description": phone.description,
            "languages": [_language(language) for language in phone.languages.all()],
        }
    )


def _language(language: Language) -> dict[str, Any]:
    return _clean(
        {
            "id": str(language.uid),
            "name": language.name,
            "code": language.code,
            "note": language.note,
        }
    )


def _schedule(schedule: Schedule) -> dict[str, Any]:
    return _clean(
        {
            "id": str(schedule.uid),
            "valid_from": _text(schedule.valid_from),
            "valid_to": _text(schedule.valid_to),
            "freq": schedule.freq,
            "interval": schedule.interval,
            "byday": schedule.byday,
            "description": schedule.description,
            "opens_at": _text(schedule.opens_at),
            "closes_at": _text(schedule.closes_at),
            "attending_type": schedule.attending_type,
            "notes": schedule.notes,
        }
    )


def _contact(contact: Contact) -> dict[str, Any]:
    attributes = []
    if contact.meldcode_officer:
        attributes.append(_attribute("contact", contact.uid, MARKERS_TAXONOMY_UID, MARKER_OFFICER))
    return _clean(
        {
            "id": str(contact.uid),
            "name": contact.name,
            "title": contact.title,
            "department": contact.department,
            "email": contact.email,
            "phones": [_phone(phone) for phone in contact.phones.all()],
            "attributes": attributes,
        }
    )


def _metadata(record: ChangeRecord) -> dict[str, Any]:
    return {
        "id": str(record.uid),
        "resource_id": str(record.resource_uid),
        "resource_type": record.resource_type,
        "last_action_date": record.occurred_on.isoformat(),
        "last_action_type": record.action,
        "field_name": record.field_name,
        "previous_value": record.previous_value,
        "replacement_value": record.replacement_value,
        "updated_by": record.updated_by,
    }


def _address(location: Location) -> dict[str, Any] | None:
    required = (location.address_1, location.city, location.postal_code, location.state_province)
    if not all(required):
        return None
    return _clean(
        {
            "id": str(location.address_uid),
            "attention": location.attention,
            "address_1": location.address_1,
            "address_2": location.address_2,
            "city": location.city,
            "region": location.region,
            "state_province": location.state_province,
            "postal_code": location.postal_code,
            "country": location.country or "NL",
            "address_type": location.address_type or location.location_type,
        }
    )


def location_object(location: Location, *, audience: Audience, meta: Any = None) -> dict[str, Any]:
    attributes = []
    if location.confidential:
        attributes.append(
            _attribute("location", location.uid, MARKERS_TAXONOMY_UID, MARKER_CONFIDENTIAL)
        )
    address = _address(location)
    contacts = list(location.contacts.all()) if audience.contacts else []
    return _clean(
        {
            "id": str(location.uid),
            "location_type": location.location_type,
            "url": location.url,
            "name": location.name,
            "alternate_name": location.alternate_name,
            "description": location.description,
            "transportation": location.transportation,
            # A position that does not exist (stored before positions were checked) is left out.
            **(
                {}
                if position_problems(location.latitude, location.longitude, dutch_address=False)
                else {"latitude": location.latitude, "longitude": location.longitude}
            ),
            "languages": [_language(language) for language in location.languages.all()],
            "addresses": [address] if address else [],
            "contacts": [_contact(contact) for contact in contacts],
            "phones": [_phone(phone) for phone in location.phones.all()],
            "schedules": [_schedule(schedule) for schedule in location.schedules.all()],
            "attributes": attributes,
            "metadata": [_metadata(r) for r in (meta or {}).get(location.uid, [])],
        }
    )


def _service_area(area: ServiceArea) -> dict[str, Any]:
    """A structured area (country, province, municipality, PC4) travels as 'kind:code' text."""
    structured = area.kind != AreaKind.OTHER
    return _clean(
        {
            "id": str(area.uid),
            "name": area.name,
            "description": area.description,
            "extent": f"{area.kind}:{area.code}" if structured else area.extent,
            "extent_type": "text" if structured else area.extent_type,
            "uri": area.uri,
        }
    )


def service_attributes(service: Service, *, audience: Audience) -> list[dict[str, Any]]:
    attributes = []
    by_id = taxonomies.taxonomies()
    for term in service.terms.all():
        taxonomy = by_id.get(term.taxonomy)
        if taxonomy is not None and term.code in taxonomy.terms:
            attributes.append(_attribute("service", service.uid, taxonomy.uid, term.code))
    if service.referral_details and audience.contacts:
        attributes.append(
            _attribute(
                "service",
                service.uid,
                MARKERS_TAXONOMY_UID,
                MARKER_REFERRAL,
                service.referral_details,
            )
        )
    return attributes


def service_object(service: Service, *, audience: Audience, meta: Any = None) -> dict[str, Any]:
    """One service as HSDS, with what `audience` may see."""
    service_locations = [
        sl
        for sl in service.service_locations.all()
        if audience.confidential or not sl.location.confidential
    ]
    return _clean(
        {
            "id": str(service.uid),
            "organization_id": str(service.provider.uid),
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "interpretation_services": service.interpretation_services,
            "application_process": service.application_process,
            "fees_description": service.fees_description,
            "wait_time": service.wait_time,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": _text(service.verified_on),
            "assurer_email": service.assurer_email if audience.history else "",
            "alert": service.alert,
            "last_modified": service.updated_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "phones": [_phone(phone) for phone in service.phones.all()],
            "schedules": [_schedule(schedule) for schedule in service.schedules.all()],
            "service_areas": [_service_area(area) for area in service.areas.all()],
            "service_at_locations": [
                _clean(
                    {
                        "id": str(sl.uid),
                        "service_id": str(service.uid),
                        "location_id": str(sl.location.uid),
                        "description": sl.description,
                        "contacts": [_contact(c) for c in sl.contacts.all()] if audience.contacts else [],
                        "phones": [_phone(phone) for phone in sl.phones.all()],
                        "schedules": [_schedule(schedule) for schedule in sl.schedules.all()],
                        "location": location_object(sl.location, audience=audience),
                    }
                )
                for sl in service_locations
            ],
            "languages": [_language(language) for language in service.languages.all()],
            "contacts": [_contact(contact) for contact in service.contacts.all()] if audience.contacts else [],
            "attributes": service_attributes(service, audience=audience),
            "metadata": [_metadata(r) for r in (meta or {}).get(service.uid, [])],
        }
    )  # fmt: skip


def organization_summary(provider: Provider) -> dict[str, Any]:
    """A provider's own fields, as HSDS lists and nests organizations."""
    return _clean(
        {
            "id": str(provider.uid),
            "name": provider.name,
            "alternate_name": provider.alternate_name,
            "description": provider.description,
            "email": provider.email,
            "website": provider.website,
        }
    )


def organization_object(
    provider: Provider, *, audience: Audience, meta: Any = None
) -> dict[str, Any]:
    """One provider as a fully nested HSDS organization."""
    contacts = list(provider.contacts.all()) if audience.contacts else []
    return _clean(
        {
            **organization_summary(provider),
            "contacts": [_contact(contact) for contact in contacts],
            "phones": [_phone(phone) for phone in provider.phones.all()],
            "locations": [location_object(loc, audience=audience, meta=meta) for loc in provider.locations.all()],
            "attributes": (
                [_attribute("organization", provider.uid, taxonomies.taxonomy(taxonomies.SECTORS).uid, provider.sector)]
                if provider.sector in taxonomies.taxonomy(taxonomies.SECTORS).terms
                else []
            ),
            "metadata": [_metadata(r) for r in (meta or {}).get(provider.uid, [])],
            "services": [service_object(service, audience=audience, meta=meta) for service in provider.services.all()],
        }
    )  # fmt: skip


def export_organizations(*, audience: Audience) -> list[dict[str, Any]]:
    """Every provider as a fully nested HSDS organization."""
    snapshot = Snapshot.read(audience=audience)
    uids = [p.uid for p in snapshot.providers]
    for provider in snapshot.providers:
        uids += [s.uid for s in provider.services.all()] + [
            loc.uid for loc in provider.locations.all()
        ]
    meta = snapshot.metadata_for(uids)
    return [organization_object(p, audience=audience, meta=meta) for p in snapshot.providers]


def export_json(*, audience: Audience) -> bytes:
    organizations = export_organizations(audience=audience)
    problems = [
        problem
        for index, organization in enumerate(organizations, start=1)
        for problem in validate(organization, "organization", f"organisatie {index}", compiled=True)
    ]
    if problems:  # pragma: no cover - the export is built to the schema; this guards changes
        raise ValueError("; ".join(str(p) for p in problems[:10]))
    return dumps(organizations)


def dumps(document: Any) -> bytes:
    """Strict JSON: NaN and Infinity, which JSON does not have, raise instead of going out."""
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False).encode("utf-8")


# --- Tabular (CSV) export ---------------------------------------------------------------------


def _rows_from(organizations: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Flatten nested organizations into HSDS tables (rows keyed by id; a row that appears under
    several parents, like a shared phone, gets all its links)."""
    tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in TABLES}

    def put(table: str, obj: dict[str, Any], links: dict[str, str]) -> None:
        row = {key: value for key, value in obj.items() if key in csv_columns(TABLES[table])}
        for key, value in links.items():
            if key in csv_columns(TABLES[table]):
                row.setdefault(key, value)
        existing = tables[table].setdefault(row["id"], {})
        for key, value in row.items():
            if value is not None and existing.get(key) in (None, ""):
                existing[key] = value

    def phones(items: list[dict[str, Any]], links: dict[str, str]) -> None:
        for phone in items:
            put("phones.csv", phone, links)
            for language in phone.get("languages", []):
                put("languages.csv", language, {"phone_id": phone["id"]})

    def contacts(items: list[dict[str, Any]], links: dict[str, str]) -> None:
        for contact in items:
            put("contacts.csv", contact, links)
            phones(contact.get("phones", []), {"contact_id": contact["id"]})
            attributes(contact.get("attributes", []))

    def attributes(items: list[dict[str, Any]]) -> None:
        for attribute in items:
            put("attributes.csv", attribute, {})
            term = attribute["taxonomy_term"]
            put("taxonomy_terms.csv", term, {})
            put("taxonomies.csv", term["taxonomy_detail"], {})

    def metadata(items: list[dict[str, Any]]) -> None:
        for record in items:
            put("metadata.csv", record, {})

    def location(loc: dict[str, Any], organization_id: str | None) -> None:
        put("locations.csv", loc, {"organization_id": organization_id} if organization_id else {})
        links = {"location_id": loc["id"]}
        for address in loc.get("addresses", []):
            put("addresses.csv", address, links)
        contacts(loc.get("contacts", []), links)
        phones(loc.get("phones", []), links)
        for schedule in loc.get("schedules", []):
            put("schedules.csv", schedule, links)
        for language in loc.get("languages", []):
            put("languages.csv", language, links)
        attributes(loc.get("attributes", []))
        metadata(loc.get("metadata", []))

    for organization in organizations:
        put("organizations.csv", organization, {})
        org_links = {"organization_id": organization["id"]}
        contacts(organization.get("contacts", []), org_links)
        phones(organization.get("phones", []), org_links)
        attributes(organization.get("attributes", []))
        metadata(organization.get("metadata", []))
        for loc in organization.get("locations", []):
            location(loc, organization["id"])
        for service in organization.get("services", []):
            put("services.csv", service, org_links)
            links = {"service_id": service["id"]}
            phones(service.get("phones", []), links)
            contacts(service.get("contacts", []), links)
            for schedule in service.get("schedules", []):
                put("schedules.csv", schedule, links)
            for area in service.get("service_areas", []):
                put("service_areas.csv", area, links)
            for language in service.get("languages", []):
                put("languages.csv", language, links)
            for sal in service.get("service_at_locations", []):
                put("service_at_location.csv", sal, links)
                sal_links = {"service_at_location_id": sal["id"]}
                contacts(sal.get("contacts", []), sal_links)
                phones(sal.get("phones", []), sal_links)
                for schedule in sal.get("schedules", []):
                    put("schedules.csv", schedule, sal_links)
                if "location" in sal:
                    location(sal["location"], None)
            attributes(service.get("attributes", []))
            metadata(service.get("metadata", []))
    return tables


def export_tables(*, audience: Audience) -> dict[str, list[dict[str, Any]]]:
    tables = _rows_from(export_organizations(audience=audience))
    return {name: list(rows.values()) for name, rows in tables.items()}


def validate_tables(tables: dict[str, list[dict[str, Any]]]) -> list[Problem]:
    problems = []
    for name, rows in tables.items():
        for index, row in enumerate(rows, start=2):  # row 1 is the header
            problems += validate_row(row, TABLES[name], f"{name}, regel {index}")
    return problems


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value} is geen getal")  # JSON and HSDS have no NaN or Infinity
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def datapackage(tables: Iterable[str]) -> dict[str, Any]:
    """A Frictionless data package descriptor for the CSV files."""
    resources = []
    for name in tables:
        schema = entity_schema(TABLES[name])
        fields = []
        for column in csv_columns(TABLES[name]):
            spec = schema["properties"][column]
            fields.append(
                _clean(
                    {
                        "name": column,
                        "type": spec.get("datapackage_type") or spec.get("type", "string"),
                        "format": spec.get("format") if spec.get("format") in ("email", "uri", "uuid") else None,
                        "description": spec.get("description"),
                    }
                )
            )  # fmt: skip
        resources.append(
            {
                "name": TABLES[name],
                "path": name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": "id"},
            }
        )
    return {
        "name": "meldwijzer-sociale-kaart",
        "title": "Sociale kaart (Open Referral HSDS 3.0)",
        "profile": "tabular-data-package",
        "licenses": [{"name": "CC-BY-SA-4.0", "title": "HSDS: Creative Commons BY-SA 4.0"}],
        "resources": resources,
    }


def export_csv_zip(*, audience: Audience) -> bytes:
    tables = export_tables(audience=audience)
    problems = validate_tables(tables)
    if problems:  # pragma: no cover - the export is built to the schema; this guards changes
        raise ValueError("; ".join(str(p) for p in problems[:10]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            columns = csv_columns(TABLES[name])
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow(columns)
            for row in rows:
                writer.writerow([formula_safe(_cell(row.get(column))) for column in columns])
            archive.writestr(name, text.getvalue())
        archive.writestr(
            "datapackage.json", json.dumps(datapackage(tables), ensure_ascii=False, indent=2)
        )
    return buffer.getvalue()


class TooLarge(Exception):
    """A table unpacks to more than it may."""


class _Bounded(io.RawIOBase):
    """A member of a zip, read in pieces and stopped once it unpacks to more than `limit`."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        super().__init__()
        self.stream, self.limit, self.count = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.stream.read(len(buffer))
        self.count += len(data)
        if self.count > self.limit:
            raise TooLarge
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.stream.close()
        super().close()


@contextmanager
def table_reader(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int
) -> Iterator[csv.DictReader[str]]:
    """The rows of one CSV member, read as they are needed; reading raises `TooLarge` past
    `limit` unpacked bytes, whatever the zip says the member holds."""
    raw = io.BufferedReader(_Bounded(archive.open(info), limit))
    with io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as stream:
        yield csv.DictReader(stream)


def iter_rows(
    archive: zipfile.ZipFile, *, limit: int = 20 * 1024 * 1024
) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """The known CSV tables of a zip, by file name (folders inside the zip are ignored); each
    table at most `limit` bytes unpacked."""
    for info in archive.infolist():
        name = info.filename.rsplit("/", 1)[-1]
        if name in TABLES and not info.is_dir():
            with table_reader(archive, info, limit=limit) as rows:
                yield name, list(rows)
