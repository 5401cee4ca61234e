"""The sociale kaart: who offers which help where, modelled on Open Referral HSDS 3.0.

The tables follow HSDS's own tables, so an import or export is a direct mapping (see
`docs/social-map.md`): a `Provider` is an HSDS organization, a `Service` a service, a `Location`
a location with its address, `ServiceLocation` a service_at_location. Contacts, phones, languages,
schedules and service areas hang off them through nullable links, as in the HSDS tabular format.

A provider is not a Meldwijzer member organisation, but it may be *owned* by one: that
organisation's functioneel beheerder keeps its records up to date. Providers without an owner
(e.g. outside the region) are kept by the platformbeheerder. Every provider and service carries
the date it was last verified; `ChangeRecord` (HSDS metadata) keeps every change, append-only.

Contacts are for professionals only. A location marked confidential (a shelter's address) is
never shown or exported publicly, and never used to compute a distance.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Collection
from typing import Any, NoReturn

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models


class Provider(models.Model):
    """An organisation that offers help (HSDS: organization)."""

    uid = models.UUIDField("HSDS-id", default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("naam", max_length=200)
    alternate_name = models.CharField("andere naam", max_length=200, blank=True)
    description = models.TextField("omschrijving", max_length=4000)
    email = models.EmailField("e-mailadres", blank=True)
    website = models.URLField("website", max_length=400, blank=True)
    sector = models.CharField("sector", max_length=30, blank=True)
    owner = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directory_providers",
        verbose_name="eigenaar (organisatie die de gegevens bijhoudt)",
        help_text="Leeg: de platformbeheerder houdt de gegevens bij.",
    )
    verified_on = models.DateField("laatst gecontroleerd", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "aanbieder"
        verbose_name_plural = "aanbieders"

    def __str__(self) -> str:
        return self.name


# The Netherlands with its coast and islands in WGS84 degrees (latitude, then longitude): a Dutch
# address whose position lies outside it, while the swapped position lies inside, has its
# latitude and longitude swapped.
NETHERLANDS = ((50.7, 53.6), (3.3, 7.3))


def _degrees(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return f"{value:g}"


def _inside(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def position_problems(
    latitude: float | None, longitude: float | None, *, dutch_address: bool
) -> dict[str, str]:
    """What is wrong with a position in WGS84 degrees, per field (empty: nothing).

    A latitude lies from -90 to 90, a longitude from -180 to 180; NaN and Infinity are no
    numbers. Swapped values are named where they can be recognised: a latitude beyond 90 that
    would be a longitude, or, for a Dutch address, a position outside the Netherlands that lies
    inside it once swapped."""
    problems: dict[str, str] = {}
    for name, label, value, limit in (
        ("latitude", "breedtegraad", latitude, 90),
        ("longitude", "lengtegraad", longitude, 180),
    ):
        if value is None:
            continue
        if not math.isfinite(value):
            problems[name] = f"{_degrees(value)} is geen getal; een {label} is een getal"
        elif not -limit <= value <= limit:
            problems[name] = f"{_degrees(value)} ligt niet tussen -{limit} en {limit}"
    if latitude is None or longitude is None:
        return problems
    if "latitude" in problems and "longitude" not in problems:
        if -180 <= latitude <= 180 and -90 <= longitude <= 90:
            problems["latitude"] += "; breedte- en lengtegraad lijken verwisseld"
    elif (
        not problems
        and dutch_address
        and not (_inside(latitude, NETHERLANDS[0]) and _inside(longitude, NETHERLANDS[1]))
        and (_inside(longitude, NETHERLANDS[0]) and _inside(latitude, NETHERLANDS[1]))
    ):
        problems["latitude"] = (
            f"breedte- en lengtegraad lijken verwisseld: breedtegraad {_degrees(latitude)} met "
            f"lengtegraad {_degrees(longitude)} ligt buiten Nederland, andersom erin"
        )
    return problems


class LocationType(models.TextChoices):
    PHYSICAL = "physical", "Bezoekadres"
    POSTAL = "postal", "Postadres"
    VIRTUAL = "virtual", "Online of telefonisch"


class Location(models.Model):
    """Where a provider works (HSDS: location, with one address)."""

    uid = models.UUIDField("HSDS-id", default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="locations"
    )
    location_type = models.CharField(
        "soort locatie", max_length=10, choices=LocationType.choices, default=LocationType.PHYSICAL
    )
    name = models.CharField("naam", max_length=200, blank=True)
    alternate_name = models.CharField("andere naam", max_length=200, blank=True)
    description = models.TextField("omschrijving", max_length=2000, blank=True)
    transportation = models.TextField("bereikbaarheid", max_length=1000, blank=True)
    url = models.URLField("website", max_length=400, blank=True)
    latitude = models.FloatField("breedtegraad", null=True, blank=True)
    longitude = models.FloatField("lengtegraad", null=True, blank=True)
    confidential = models.BooleanField(
        "geheim adres",
        default=False,
        help_text="Bijvoorbeeld een opvanglocatie: het adres wordt nooit openbaar getoond of "
        "geëxporteerd, en er wordt geen afstand tot deze locatie berekend.",
    )
    # The address (HSDS address). One per location; its own HSDS id.
    address_uid = models.UUIDField(default=uuid.uuid4, editable=False)
    attention = models.CharField("ter attentie van", max_length=200, blank=True)
    address_1 = models.CharField("straat en huisnummer", max_length=200, blank=True)
    address_2 = models.CharField("adresregel 2", max_length=200, blank=True)
    postal_code = models.CharField("postcode", max_length=20, blank=True)
    city = models.CharField("plaats", max_length=100, blank=True)
    region = models.CharField("regio", max_length=100, blank=True)
    state_province = models.CharField("provincie", max_length=100, blank=True)
    country = models.CharField("land", max_length=2, blank=True, default="NL")
    address_type = models.CharField(
        "soort adres", max_length=10, choices=LocationType.choices, blank=True
    )
    # Derived from a Dutch postal code, for distances: the PC4 area and its centroid (RD New, m).
    pc4 = models.CharField(max_length=4, blank=True, db_index=True)
    x_rd = models.FloatField(null=True, blank=True)
    y_rd = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["name", "city"]
        verbose_name = "locatie"
        verbose_name_plural = "locaties"

    def __str__(self) -> str:
        return self.name or self.city or str(self.uid)

    @property
    def has_address(self) -> bool:
        return bool(self.address_1 or self.postal_code or self.city)

    @property
    def dutch_address(self) -> bool:
        return self.country in ("", "NL")

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """The fields' own checks, and a position that exists (see `position_problems`) unless
        both coordinates are left out of the check (a form without them)."""
        errors: dict[str, Any] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skipped = set(exclude or ())
        if not {"latitude", "longitude"} <= skipped:
            problems = position_problems(
                self.latitude, self.longitude, dutch_address=self.dutch_address
            )
            for name, message in problems.items():
                if name not in errors and name not in skipped:
                    errors[name] = [ValidationError(message, code="position")]
        if errors:
            raise ValidationError(errors)


class ServiceStatus(models.TextChoices):
    ACTIVE = "active", "Actief"
    TEMPORARILY_CLOSED = "temporarily closed", "Tijdelijk gesloten"
    INACTIVE = "inactive", "Niet actief"
    DEFUNCT = "defunct", "Opgeheven"


# Services that residents and professionals can find.
FINDABLE_STATUSES = (ServiceStatus.ACTIVE, ServiceStatus.TEMPORARILY_CLOSED)


class Access(models.TextChoices):
    DIRECT = "direct", "Zelf aanmelden"
    REFERRAL = "verwijzing", "Met verwijzing"
    BOTH = "beide", "Zelf aanmelden of met verwijzing"


class Service(models.Model):
    """One kind of help a provider offers (HSDS: service)."""

    uid = models.UUIDField("HSDS-id", default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    name = models.CharField("naam", max_length=200)
    alternate_name = models.CharField("andere naam", max_length=200, blank=True)
    description = models.TextField("wat biedt de dienst?", max_length=4000, blank=True)
    url = models.URLField("website", max_length=400, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    status = models.CharField(
        "status", max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE
    )
    eligibility_description = models.TextField("voor wie?", max_length=2000, blank=True)
    minimum_age = models.PositiveSmallIntegerField("vanaf leeftijd", null=True, blank=True)
    maximum_age = models.PositiveSmallIntegerField("tot en met leeftijd", null=True, blank=True)
    access = models.CharField("toegang", max_length=12, choices=Access.choices, blank=True)
    application_process = models.TextField("hoe kom je binnen?", max_length=2000, blank=True)
    wait_time = models.CharField("wachttijd", max_length=200, blank=True)
    fees_description = models.TextField("kosten", max_length=1000, blank=True)
    interpretation_services = models.TextField("tolken en vertaling", max_length=1000, blank=True)
    alert = models.TextField("let op", max_length=1000, blank=True)
    referral_details = models.TextField(
        "verwijzen (alleen voor professionals)",
        max_length=2000,
        blank=True,
        help_text="Hoe meldt een professional iemand aan: formulier, toestemming, wat mee te sturen.",
    )
    verified_on = models.DateField("laatst gecontroleerd", null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assurer_email = models.EmailField("gecontroleerd door (e-mail)", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # PostgreSQL full-text search (Dutch), kept up to date by `services.search_index_update`.
    # On SQLite the FTS5 table `social_map_service_fts` plays this part and this stays empty.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["status"])]
        verbose_name = "dienst"
        verbose_name_plural = "diensten"

    def __str__(self) -> str:
        return self.name


class FullTextField(models.TextField):
    """The FTS5 column named after its table, which takes a full-text query: `__match`."""


@FullTextField.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class ServiceText(models.Model):
    """A service's entry in the SQLite full-text index: the FTS5 table made by migration 0002
    (there is none on PostgreSQL, which uses `Service.search_vector`). Read-only here: written
    by `services.search_index_update`. `rank` is FTS5's BM25 with the column weights set in
    migration 0003 (lower is better)."""

    service = models.OneToOneField(
        Service,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="text_index",
    )
    document = FullTextField(db_column="social_map_service_fts")
    rank = models.FloatField(db_column="rank")

    class Meta:
        managed = False
        db_table = "social_map_service_fts"

    def __str__(self) -> str:
        return f"index van dienst {self.pk}"


class ServiceTerm(models.Model):
    """A service tagged with a term of one of the taxonomies (see `taxonomies.py`)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="terms")
    taxonomy = models.CharField(max_length=40)
    code = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service", "taxonomy", "code"], name="social_map_term_unique"
            )
        ]
        indexes = [models.Index(fields=["taxonomy", "code", "service"])]

    def __str__(self) -> str:
        return f"{self.taxonomy}:{self.code}"


class AreaKind(models.TextChoices):
    NATIONAL = "landelijk", "Heel Nederland"
    PROVINCE = "provincie", "Provincie"
    MUNICIPALITY = "gemeente", "Gemeente"
    POSTCODE = "pc4", "Postcodegebied"
    OTHER = "overig", "Anders omschreven"


class ServiceArea(models.Model):
    """Where a service is available (HSDS: service_area). `kind` and `code` drive the search;
    a service without areas is available everywhere."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=10, choices=AreaKind.choices)
    code = models.CharField(max_length=100, blank=True)
    name = models.CharField(max_length=400, blank=True)
    description = models.TextField(max_length=2000, blank=True)
    extent = models.TextField(max_length=4000, blank=True)
    extent_type = models.CharField(max_length=20, blank=True)
    uri = models.URLField(max_length=400, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "code", "service"])]

    def __str__(self) -> str:
        return self.name or f"{self.kind}:{self.code}"


class ServiceLocation(models.Model):
    """A service offered at a location (HSDS: service_at_location)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_locations")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_locations"
    )
    description = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="social_map_sal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.service} @ {self.location}"


class Contact(models.Model):
    """A contact person, for professionals only (HSDS: contact). The provider's
    aandachtsfunctionaris is a contact with `meldcode_officer` set."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    service_location = models.ForeignKey(
        ServiceLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="contacts"
    )
    name = models.CharField("naam", max_length=200, blank=True)
    title = models.CharField("functie", max_length=200, blank=True)
    department = models.CharField("afdeling", max_length=200, blank=True)
    email = models.EmailField("e-mailadres", blank=True)
    meldcode_officer = models.BooleanField("aandachtsfunctionaris", default=False)

    class Meta:
        ordering = ["-meldcode_officer", "name"]

    def __str__(self) -> str:
        return self.name or self.title or str(self.uid)


class Phone(models.Model):
    """A phone number (HSDS: phone); linked to whatever it belongs to."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    provider = models.ForeignKey(
        Provider, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    service_location = models.ForeignKey(
        ServiceLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField("telefoonnummer", max_length=50)
    extension = models.PositiveIntegerField(null=True, blank=True)
    type = models.CharField(max_length=20, blank=True)
    description = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.number


class Language(models.Model):
    """A language in which help is offered (HSDS: language)."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    phone = models.ForeignKey(
        Phone, on_delete=models.CASCADE, null=True, blank=True, related_name="languages"
    )
    code = models.CharField(max_length=10, blank=True, db_index=True)
    name = models.CharField(max_length=100, blank=True)
    note = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or self.code


class Schedule(models.Model):
    """Opening hours (HSDS: schedule): a description, and optionally a weekly rule."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    service_location = models.ForeignKey(
        ServiceLocation, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    description = models.TextField("openingstijden", max_length=2000, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, blank=True)
    interval = models.PositiveSmallIntegerField(null=True, blank=True)
    byday = models.CharField(max_length=40, blank=True)
    opens_at = models.TimeField(null=True, blank=True)
    closes_at = models.TimeField(null=True, blank=True)
    attending_type = models.CharField(max_length=400, blank=True)
    notes = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.description or str(self.uid)


class ChangeAction(models.TextChoices):
    CREATE = "create", "aangemaakt"
    UPDATE = "update", "gewijzigd"
    DELETE = "delete", "verwijderd"
    VERIFY = "verify", "gecontroleerd"
    IMPORT = "import", "geïmporteerd"


class ChangeRecord(models.Model):
    """One change to a record of the sociale kaart (HSDS: metadata). Never changed or deleted."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resource_type = models.CharField(max_length=40)
    resource_uid = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=40)
    field_name = models.CharField(max_length=100, blank=True)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    updated_by = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    occurred_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.action} {self.field_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Wijzigingsregels worden niet aangepast.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("Wijzigingsregels worden niet verwijderd.")


class MapVersion(models.Model):
    """The version of the sociale kaart as a whole: one row, moved on by every change (an edit, a
    verification, an import) in the same transaction as the change. Exports are cached per
    version (`selectors.public_export`), and an import checks that the version it planned
    against is still current before it writes (`hsds_import`)."""

    number = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "versie van de sociale kaart"

    def __str__(self) -> str:
        return f"versie {self.number}"


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Bezig"
    DONE = "done", "Klaar"
    FAILED = "failed", "Mislukt"


class ImportJob(models.Model):
    """One HSDS import, run outside the request that started it (see `import_jobs`). Holds its
    progress while it runs and its report when it is done. At most one runs at a time."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField("bestand", max_length=100)
    trial = models.BooleanField("alleen controleren", default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    step = models.CharField("stap", max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The import's report (`hsds_import.ImportReport.as_data`), once it has one.
    report = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=models.Q(status="running"),
                name="social_map_one_import_at_a_time",
            )
        ]
        verbose_name = "import"
        verbose_name_plural = "imports"

    def __str__(self) -> str:
        return f"import {self.source} ({self.get_status_display()})"

    @property
    def running(self) -> bool:
        return self.status == ImportStatus.RUNNING
