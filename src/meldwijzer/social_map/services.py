"""Changes to the sociale kaart: providers, their services and locations, and their verification.

Each function takes the actor, checks that they may change the provider (`rules.can_edit`), writes
its rows, one `ChangeRecord` per changed field (HSDS metadata) and an access log row, all in one
transaction. Every function that writes a service keeps the full-text index in step
(`search_index_update`), so search never sees a half-changed service. Every change moves the
map's version on (`map_version_bump`), in the same transaction: cached exports are per version,
and an import refuses to write over a map that changed after it was planned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.reference import postcode_areas
from meldwijzer.organisations.roles import Permission
from meldwijzer.social_map import events, rules, search, taxonomies
from meldwijzer.social_map.models import (
    AreaKind,
    ChangeAction,
    ChangeRecord,
    Contact,
    Language,
    Location,
    MapVersion,
    Phone,
    Provider,
    Schedule,
    Service,
    ServiceArea,
    ServiceLocation,
    ServiceTerm,
)


class DirectoryError(Exception):
    """A change that is not allowed; the message is shown to the person."""


@dataclass(frozen=True)
class AreaSpec:
    """A place a service is available: the whole country, a province, a municipality or a PC4."""

    kind: str
    code: str

    @property
    def label(self) -> str:
        if self.kind == AreaKind.NATIONAL:
            return "Heel Nederland"
        if self.kind == AreaKind.PROVINCE:
            return f"Provincie {self.code}"
        if self.kind == AreaKind.MUNICIPALITY:
            return f"Gemeente {self.code}"
        return f"Postcodegebied {self.code}"


@dataclass(frozen=True)
class ContactSpec:
    """A contact person as entered on a form; `pk` None for a new one."""

    pk: int | None
    name: str
    title: str
    email: str
    phone: str
    delete: bool = False


# --- Permission, change log and access log -------------------------------------------------------


def _require_edit(actor: Actor, provider: Provider) -> None:
    if not rules.can_edit(actor, provider):
        raise DirectoryError("U mag de gegevens van deze aanbieder niet wijzigen.")


def _who(actor: Actor) -> str:
    return actor.user.get_full_name() or actor.user.get_username()


def field_values(instance: Model, fields: Iterable[str]) -> dict[str, str]:
    values = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, Model):
            value = str(value)
        values[name] = "" if value is None else str(value)
    return values


def change_rows(
    actor: Actor | None,
    resource_type: str,
    instance: Provider | Service | Location,
    before: dict[str, str] | None,
    after: dict[str, str],
    action: str = "",
) -> list[ChangeRecord]:
    """One unsaved ChangeRecord per field whose value changed (all fields for a new record)."""
    today = timezone.localdate()
    rows = []
    for name, value in after.items():
        previous = (before or {}).get(name, "")
        if before is not None and previous == value:
            continue
        if before is None and value == "":
            continue
        rows.append(
            ChangeRecord(
                resource_type=resource_type,
                resource_uid=instance.uid,
                action=action or (ChangeAction.CREATE if before is None else ChangeAction.UPDATE),
                field_name=name,
                previous_value=previous,
                replacement_value=value,
                updated_by=_who(actor) if actor else "Meldwijzer",
                user=actor.user if actor else None,
                occurred_on=today,
            )
        )
    return rows


def record_changes(
    actor: Actor | None,
    resource_type: str,
    instance: Provider | Service | Location,
    before: dict[str, str] | None,
    after: dict[str, str],
    action: str = "",
) -> int:
    """Write one ChangeRecord per field whose value changed (all fields for a new record)."""
    rows = change_rows(actor, resource_type, instance, before, after, action)
    ChangeRecord.objects.bulk_create(rows)
    return len(rows)


# --- The map's version -----------------------------------------------------------------------

MAP_VERSION_PK = 1


def map_version_bump() -> None:
    """Move the sociale kaart's version on. Call it inside the transaction of every change; on
    PostgreSQL it also makes changes to the map wait for each other (the row stays locked until
    the transaction ends), as SQLite's single writer does anyway."""
    now = timezone.now()
    while not MapVersion.objects.filter(pk=MAP_VERSION_PK).update(
        number=F("number") + 1, changed_at=now
    ):
        _, created = MapVersion.objects.get_or_create(
            pk=MAP_VERSION_PK, defaults={"number": 1, "changed_at": now}
        )
        if created:
            return


def map_version_claim(*, expected: int) -> bool:
    """For an import, inside its write transaction: if the map is still at version `expected`
    (what the import was planned against), move it on and say yes; otherwise change nothing."""
    current = (
        MapVersion.objects.select_for_update()
        .filter(pk=MAP_VERSION_PK)
        .values_list("number", flat=True)
        .first()
    )
    if (current or 0) != expected:
        return False
    map_version_bump()
    return True


# --- Search index ------------------------------------------------------------------------------


def search_document(service: Service) -> search.Document:
    """The text of `service` that both indexes hold."""
    provider = service.provider
    return search.document(
        name=service.name,
        alternate_name=service.alternate_name,
        provider_name=provider.name,
        provider_alternate_name=provider.alternate_name,
        description=service.description,
        eligibility=service.eligibility_description,
        application=service.application_process,
        term_codes=[(term.taxonomy, term.code) for term in service.terms.all()],
    )


# The stored tsvector: name (A), other names (B), terms (C) and descriptions (D), each as folded
# words through PostgreSQL's Dutch configuration (see `search`).
POSTGRES_VECTOR_UPDATE = """
UPDATE social_map_service SET search_vector =
    setweight(to_tsvector('dutch', %s), 'A') || setweight(to_tsvector('dutch', %s), 'B')
    || setweight(to_tsvector('dutch', %s), 'C') || setweight(to_tsvector('dutch', %s), 'D')
WHERE id = %s
"""


def search_index_update(service_ids: Iterable[int]) -> None:
    """Bring the full-text index of these services up to date (or remove deleted ones)."""
    ids = sorted(set(service_ids))
    if not ids:
        return
    services = {
        service.pk: service
        for service in Service.objects.filter(pk__in=ids)
        .select_related("provider")
        .prefetch_related("terms")
    }
    if connection.vendor == "postgresql":
        rows: list[tuple[str, str, str, str, int]] = []
        for pk, service in services.items():
            doc = search_document(service)
            index = search.index_text
            rows.append((index(doc.name), index(doc.names), index(doc.terms), index(doc.body), pk))
        with connection.cursor() as cursor:
            cursor.executemany(POSTGRES_VECTOR_UPDATE, rows)
    elif connection.vendor == "sqlite":
        fts_rows: list[tuple[int, str, str, str, str]] = []
        for pk, service in services.items():
            doc = search_document(service)
            stems = search.stemmed_text
            fts_rows.append(
                (pk, stems(doc.name), stems(doc.names), stems(doc.body), stems(doc.terms))
            )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"DELETE FROM {search.FTS_TABLE} WHERE rowid = %s",  # noqa: S608
                [(pk,) for pk in ids],
            )
            cursor.executemany(
                f"INSERT INTO {search.FTS_TABLE} (rowid, name, names, body, terms) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                fts_rows,
            )


@transaction.atomic
def search_index_rebuild(batch: int = 500) -> int:
    """Index every service again (after a bulk load, or when the stemmer changed); returns the
    number of services indexed."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {search.FTS_TABLE}")  # noqa: S608
    ids = list(Service.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        search_index_update(ids[start : start + batch])
    return len(ids)


# --- Small synchronisations --------------------------------------------------------------------


PHONE_LINKS = ("provider", "service", "location", "contact", "service_location")


def _set_main_phone(number: str, **parent: Any) -> None:
    """The first phone of `parent` (not a contact's, unless `parent` is the contact): set,
    change or remove it. A phone that also belongs to something else (imported phones can) is
    only unlinked from `parent` when removed."""
    phone = Phone.objects.filter(**{"contact": None, **parent}).order_by("pk").first()
    number = number.strip()
    if phone is None and number:
        Phone.objects.create(number=number, type="voice", **parent)
    elif phone is not None and not number:
        for name, value in parent.items():
            if value is not None:
                setattr(phone, name, None)
        if any(getattr(phone, f"{name}_id") for name in PHONE_LINKS):
            phone.save()
        else:
            phone.delete()
    elif phone is not None and phone.number != number:
        phone.number = number
        phone.save(update_fields=["number"])


def main_phone(**parent: Any) -> str:
    phone = Phone.objects.filter(**{"contact": None, **parent}).order_by("pk").first()
    return phone.number if phone else ""


def _sync_terms(service: Service, terms: Mapping[str, Sequence[str]]) -> None:
    for taxonomy_id, codes in terms.items():
        known = taxonomies.taxonomy(taxonomy_id).terms
        wanted = {code for code in codes if code in known}
        current = set(service.terms.filter(taxonomy=taxonomy_id).values_list("code", flat=True))
        service.terms.filter(taxonomy=taxonomy_id, code__in=current - wanted).delete()
        ServiceTerm.objects.bulk_create(
            ServiceTerm(service=service, taxonomy=taxonomy_id, code=code)
            for code in sorted(wanted - current)
        )


def _sync_languages(service: Service, codes: Sequence[str]) -> None:
    known = taxonomies.taxonomy(taxonomies.LANGUAGES).terms
    wanted = {code for code in codes if code in known}
    current = set(service.languages.values_list("code", flat=True))
    service.languages.filter(code__in=current - wanted).delete()
    Language.objects.bulk_create(
        Language(service=service, code=code, name=known[code].name)
        for code in sorted(wanted - current)
    )


def _sync_areas(service: Service, areas: Sequence[AreaSpec]) -> None:
    """Set the structured areas; areas that were imported as free text stay."""
    wanted = {(area.kind, area.code): area for area in areas}
    structured = service.areas.exclude(kind=AreaKind.OTHER)
    current = {(area.kind, area.code): area for area in structured}
    for key, area in current.items():
        if key not in wanted:
            area.delete()
    ServiceArea.objects.bulk_create(
        ServiceArea(
            service=service,
            kind=spec.kind,
            code=spec.code,
            name=spec.label,
            extent_type="text",
            extent=f"{spec.kind}:{spec.code}",
        )
        for key, spec in wanted.items()
        if key not in current
    )


def _sync_locations(service: Service, locations: Sequence[Location]) -> None:
    for location in locations:
        if location.provider_id != service.provider_id:
            raise DirectoryError("Kies alleen locaties van deze aanbieder.")
    wanted = {location.pk for location in locations}
    service.service_locations.exclude(location_id__in=wanted).delete()
    existing = set(service.service_locations.values_list("location_id", flat=True))
    ServiceLocation.objects.bulk_create(
        ServiceLocation(service=service, location_id=pk) for pk in sorted(wanted - existing)
    )


def _set_hours(service: Service, hours: str) -> None:
    schedule = service.schedules.order_by("pk").first()
    hours = hours.strip()
    if schedule is None and hours:
        Schedule.objects.create(service=service, description=hours)
    elif schedule is not None and schedule.description != hours:
        if hours or schedule.opens_at or schedule.byday:
            schedule.description = hours
            schedule.save(update_fields=["description"])
        else:
            schedule.delete()


def _sync_contacts(contacts: Sequence[ContactSpec], **parent: Any) -> None:
    existing = {contact.pk: contact for contact in Contact.objects.filter(**parent)}
    for spec in contacts:
        contact = existing.get(spec.pk) if spec.pk else None
        if spec.pk and contact is None:
            raise DirectoryError("Deze contactpersoon hoort niet bij deze gegevens.")
        if spec.delete or not (spec.name or spec.title):
            if contact is not None:
                contact.delete()
            continue
        if contact is None:
            contact = Contact(**parent)
        contact.name, contact.title, contact.email = spec.name, spec.title, spec.email
        contact.save()
        _set_main_phone(spec.phone, contact=contact)


def _set_officer(provider: Provider, officer: ContactSpec | None) -> None:
    """The provider's aandachtsfunctionaris: one contact marked as such."""
    current = provider.contacts.filter(meldcode_officer=True).first()
    if officer is None or not officer.name:
        if current is not None:
            current.delete()
        return
    if current is None:
        current = Contact(provider=provider, meldcode_officer=True)
    current.name = officer.name
    current.title = officer.title or "Aandachtsfunctionaris"
    current.email = officer.email
    current.save()
    _set_main_phone(officer.phone, contact=current)


# --- Providers ---------------------------------------------------------------------------------

PROVIDER_FIELDS = ("name", "alternate_name", "description", "email", "website", "sector", "owner")


@transaction.atomic
def provider_save(
    *,
    actor: Actor,
    provider: Provider,
    phone: str = "",
    officer: ContactSpec | None = None,
    owner: Organisation | None = None,
) -> Provider:
    """Create or change a provider. A functioneel beheerder's new provider is owned by their own
    organisation; only the platformbeheerder chooses or changes the owner."""
    map_version_bump()
    adding = provider._state.adding
    if adding:
        if actor.can(Permission.DIRECTORY_MANAGE):
            provider.owner = owner
        elif actor.can(Permission.DIRECTORY_EDIT_OWN):
            provider.owner = actor.organisation
        else:
            raise DirectoryError("U mag geen aanbieders toevoegen.")
        before = None
    else:
        stored = Provider.objects.select_for_update().get(pk=provider.pk)
        _require_edit(actor, stored)
        before = field_values(stored, PROVIDER_FIELDS)
        provider.owner = owner if actor.can(Permission.DIRECTORY_MANAGE) else stored.owner
    provider.full_clean()
    provider.save()
    _set_main_phone(phone, provider=provider, location=None)
    _set_officer(provider, officer)
    record_changes(actor, "organization", provider, before, field_values(provider, PROVIDER_FIELDS))
    search_index_update(provider.services.values_list("pk", flat=True))
    events.provider_saved(actor=actor, provider=provider, created=adding)
    return provider


@transaction.atomic
def provider_verify(*, actor: Actor, provider: Provider) -> Provider:
    """The provider's details were checked and are still right."""
    _require_edit(actor, provider)
    map_version_bump()
    provider.verified_on = timezone.localdate()
    provider.verified_by = actor.user
    provider.save(update_fields=["verified_on", "verified_by", "updated_at"])
    record_changes(
        actor,
        "organization",
        provider,
        None,
        {"verified_on": provider.verified_on.isoformat()},
        ChangeAction.VERIFY,
    )
    events.provider_checked(actor=actor, provider=provider)
    return provider


# --- Locations ---------------------------------------------------------------------------------

LOCATION_FIELDS = (
    "name",
    "location_type",
    "description",
    "transportation",
    "address_1",
    "postal_code",
    "city",
    "confidential",
    "latitude",
    "longitude",
)


def derive_position(location: Location) -> None:
    """Fill the PC4 and its centroid from a Dutch postal code (used for distances)."""
    digits = "".join(ch for ch in location.postal_code if ch.isdigit())[:4]
    area = postcode_areas().get(digits) if location.country in ("", "NL") else None
    location.pc4 = area.postcode if area else ""
    location.x_rd = area.x_rd if area else None
    location.y_rd = area.y_rd if area else None
    if area is not None:
        location.country = "NL"
        location.state_province = location.state_province or area.province


@transaction.atomic
def location_save(*, actor: Actor, location: Location, phone: str = "") -> Location:
    provider = location.provider
    if provider is None:
        raise DirectoryError("Een locatie hoort bij een aanbieder.")
    _require_edit(actor, provider)
    map_version_bump()
    adding = location._state.adding
    before = None
    if not adding:
        stored = Location.objects.select_for_update().get(pk=location.pk)
        if stored.provider_id != provider.pk:
            raise DirectoryError("Een locatie verhuist niet naar een andere aanbieder.")
        before = field_values(stored, LOCATION_FIELDS)
    if location.has_address and not location.address_type:
        location.address_type = location.location_type
    derive_position(location)
    location.full_clean()
    location.save()
    _set_main_phone(phone, location=location)
    record_changes(actor, "location", location, before, field_values(location, LOCATION_FIELDS))
    events.location_saved(actor=actor, location=location, created=adding)
    return location


# --- Services ----------------------------------------------------------------------------------


def _tags(service: Service) -> dict[str, str]:
    """The service's terms, languages and areas as text, for the change log."""
    return {
        "terms": ", ".join(
            f"{taxonomy_id}:{code}"
            for taxonomy_id, code in service.terms.order_by("taxonomy", "code").values_list(
                "taxonomy", "code"
            )
        ),
        "languages": ", ".join(sorted(service.languages.values_list("code", flat=True))),
        "areas": ", ".join(
            sorted(f"{kind}:{code}" for kind, code in service.areas.values_list("kind", "code"))
        ),
    }


SERVICE_FIELDS = (
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "access",
    "application_process",
    "wait_time",
    "fees_description",
    "interpretation_services",
    "alert",
    "referral_details",
)


@transaction.atomic
def service_save(
    *,
    actor: Actor,
    service: Service,
    terms: Mapping[str, Sequence[str]],
    languages: Sequence[str] = (),
    areas: Sequence[AreaSpec] = (),
    locations: Sequence[Location] = (),
    phone: str = "",
    hours: str = "",
    contacts: Sequence[ContactSpec] = (),
) -> Service:
    """Create or change a service with everything that hangs off it. Saving counts as checking
    it: the service's 'last verified' date becomes today."""
    _require_edit(actor, service.provider)
    map_version_bump()
    adding = service._state.adding
    before = None
    if not adding:
        stored = Service.objects.select_for_update().get(pk=service.pk)
        if stored.provider_id != service.provider_id:
            raise DirectoryError("Een dienst verhuist niet naar een andere aanbieder.")
        before = {**field_values(stored, SERVICE_FIELDS), **_tags(stored)}
    if (
        service.minimum_age is not None
        and service.maximum_age is not None
        and service.minimum_age > service.maximum_age
    ):
        raise DirectoryError("De leeftijd 'vanaf' is hoger dan 'tot en met'.")
    service.verified_on = timezone.localdate()
    service.verified_by = actor.user
    service.full_clean(exclude=["search_vector"])
    service.save()
    _sync_terms(service, terms)
    _sync_languages(service, languages)
    _sync_areas(service, areas)
    _sync_locations(service, locations)
    _set_main_phone(phone, service=service, location=None)
    _set_hours(service, hours)
    _sync_contacts(contacts, service=service)
    after = {**field_values(service, SERVICE_FIELDS), **_tags(service)}
    record_changes(actor, "service", service, before, after)
    search_index_update([service.pk])
    events.service_saved(actor=actor, service=service, created=adding)
    return service


@transaction.atomic
def service_verify(*, actor: Actor, service: Service) -> Service:
    """The service's details were checked and are still right."""
    _require_edit(actor, service.provider)
    map_version_bump()
    service.verified_on = timezone.localdate()
    service.verified_by = actor.user
    service.save(update_fields=["verified_on", "verified_by", "updated_at"])
    record_changes(
        actor,
        "service",
        service,
        None,
        {"verified_on": service.verified_on.isoformat()},
        ChangeAction.VERIFY,
    )
    events.service_checked(actor=actor, service=service)
    return service


def export_logged(*, actor: Actor, part: str) -> None:
    """Record a full export (with contact persons and confidential addresses) in the access log."""
    events.exported_in_full(actor=actor, part=part)
