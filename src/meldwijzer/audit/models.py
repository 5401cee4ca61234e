"""Access log rows: append-only and hash-chained.

Each row carries an HMAC over its own fields and the previous row's hash, so a changed, removed or
inserted row breaks the chain. The head row records the last sequence number and hash, so cutting
rows off the end is detected too. Rows never hold case content: only references and fixed labels.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "aangemaakt"
    READ = "read", "ingezien"
    UPDATE = "update", "gewijzigd"
    DELETE = "delete", "verwijderd"
    PRINT = "print", "afgedrukt"
    EXPORT = "export", "geëxporteerd"
    SEARCH = "search", "gezocht"
    LOGIN = "login", "ingelogd"
    LOGOUT = "logout", "uitgelogd"


class Purpose(models.TextChoices):
    CARE = "zorgverlening", "Zorgverlening en meldcode"
    CONSULTATION = "consultatie", "Collegiale consultatie"
    COORDINATION = "regie", "Casusregie"
    POLICY = "beleid", "Beleid en verantwoording (geaggregeerd)"
    ADMINISTRATION = "beheer", "Functioneel beheer"
    SUPERVISION = "toezicht", "Toezicht op het toegangslogboek"
    SECURITY = "beveiliging", "Inloggen en beveiliging"


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", "toegestaan"
    DENIED = "denied", "geweigerd"


class Subject(models.TextChoices):
    """What a row is about. The values are the words rows have always carried, so older rows keep
    their meaning; the column stays a plain string (`subject_type`)."""

    CASE = "casus", "casus"
    CASES = "casussen", "lijst van casussen"
    PERSON = "betrokkene", "betrokkene"
    ENTRY = "dossierregel", "dossierregel"
    INSTRUMENT_RESULT = "instrumentuitkomst", "uitkomst van een instrument"
    INSTRUMENT = "instrument", "instrument"
    INSTRUMENTS = "instrumenten", "lijst van instrumenten"
    USER = "gebruiker", "gebruiker"
    USERS = "gebruikers", "lijst van gebruikers"
    ORGANISATION = "organisatie", "organisatie"
    AGGREGATES = "aggregaten", "geaggregeerde cijfers"
    API_KEY = "api-sleutel", "API-sleutel"
    API_KEYS = "api-sleutels", "lijst van API-sleutels"
    SESSION = "sessie", "sessie"
    ACCESS_LOG = "toegangslogboek", "toegangslogboek"
    PAGE = "pagina", "pagina"
    API = "api", "API"
    SOCIAL_MAP = "sociale_kaart", "sociale kaart"
    SOCIAL_MAP_PROVIDERS = "sociale_kaart_aanbieders", "aanbieders in de sociale kaart"
    SOCIAL_MAP_PROVIDER = "sociale_kaart_aanbieder", "aanbieder in de sociale kaart"
    SOCIAL_MAP_SERVICE = "sociale_kaart_dienst", "dienst in de sociale kaart"
    SOCIAL_MAP_LOCATION = "sociale_kaart_locatie", "locatie in de sociale kaart"
    SOCIAL_MAP_IMPORT = "sociale_kaart_import", "import in de sociale kaart"
    SOCIAL_MAP_EXPORT = "sociale_kaart_export", "export van de sociale kaart"

    @property
    def is_about_client(self) -> bool:
        return self in CLIENT_SUBJECTS


# Subjects that are a client's data: a row about one of them names the client (`client_id`, the
# case's client pseudonym). Only a refused attempt at an id that does not exist has no client.
CLIENT_SUBJECTS = frozenset(
    {Subject.CASE, Subject.PERSON, Subject.ENTRY, Subject.INSTRUMENT_RESULT}
)


class AppendOnlyError(Exception):
    """The access log cannot be changed or deleted."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Het toegangslogboek kan niet worden verwijderd.")


class AccessLogEntry(models.Model):
    sequence = models.BigIntegerField("volgnummer", unique=True)
    occurred_at = models.DateTimeField("tijdstip (UTC)")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="gebruiker",
    )
    username = models.CharField("gebruikersnaam", max_length=150)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name="namens organisatie",
    )
    role = models.CharField("rol", max_length=30, blank=True)
    action = models.CharField("handeling", max_length=10, choices=Action.choices)
    subject_type = models.CharField("soort gegeven", max_length=40)
    subject_id = models.CharField("kenmerk", max_length=64, blank=True)
    client_id = models.CharField("cliëntkenmerk", max_length=64, blank=True)
    part = models.CharField("onderdeel", max_length=40, blank=True)
    purpose = models.CharField("doel", max_length=20, choices=Purpose.choices)
    outcome = models.CharField("uitkomst", max_length=10, choices=AccessOutcome.choices)
    ip_address = models.GenericIPAddressField("IP-adres", null=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["organisation", "occurred_at"]),
            models.Index(fields=["user", "occurred_at"]),
        ]
        verbose_name = "regel in het toegangslogboek"
        verbose_name_plural = "toegangslogboek"

    def __str__(self) -> str:
        return f"{self.sequence}: {self.username} {self.action} {self.subject_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Het toegangslogboek kan niet worden verwijderd.")


class AccessLogHead(models.Model):
    """The single row that holds the chain's last sequence number and hash, with its own HMAC."""

    sequence = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="")
    mac = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"kop bij regel {self.sequence}"
