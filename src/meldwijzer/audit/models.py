"""Access log rows: append-only and hash-chained, one chain per organisation.

Each row carries an HMAC over its own fields and the previous row's hash in its chain, so a
changed, removed or inserted row breaks the chain. A row belongs to the chain of the organisation
it was written for (`chain` is that organisation's id), or to chain 0 when there is none (platform
beheer, failed logins): organisations append side by side instead of one after another. Each
chain's head row records its last sequence number and hash, so cutting rows off the end is
detected too. Rows never hold case content: only references and fixed labels.
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
    FOLLOWUP = "nazorg", "Nazorg: de veiligheid volgen na afsluiten"
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
    DATALAB_IMPORT = "datalab-levering", "levering aan het datalab (pseudoniem)"
    DATALAB_EXPORT = "datalab-uitvoer", "uitvoer van het datalab (beveiligde cijfers)"
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
    SHARING_GROUND = "grondslag", "grondslag voor delen"
    ACCESS_GRANT = "gedeelde_toegang", "gedeelde toegang"
    SHARED_WITH_ME = "gedeelde_gegevens", "met mij gedeelde gegevens"
    RETENTION = "bewaartermijn", "bewaartermijn"
    LEGAL_HOLD = "bewaarplicht", "bewaarplicht op een dossier"
    INCOMING_REPORT = "melding", "melding bij Veilig Thuis"
    INCOMING_REPORTS = "meldingen", "lijst van binnengekomen meldingen"
    COORDINATION_FILE = "regiedossier", "regiedossier"
    COORDINATION_FILES = "regiedossiers", "lijst van regiedossiers"
    MATCH_SIGNAL = "samenloop", "signaal van samenloop"
    CONFERENCE = "overleg", "overleg"
    CONFERENCE_ITEM = "overlegpunt", "casus in een overleg"
    FOLLOWUP_PLAN = "vervolgplan", "vervolgplan na afsluiten"
    FOLLOWUP_PLANS = "vervolgplannen", "lijst van vervolgplannen"
    FOLLOWUP_CALENDAR = "vervolgagenda", "agenda-abonnement voor vervolgcontacten"
    MELDCODE_REGISTRY = "meldcoderegister", "meldcode, aandachtsfunctionarissen en trainingen"
    KNOWLEDGE = "kennistekst", "kennistekst bij de meldcode"
    WORRY = "gedeelde_zorg", "gedeelde zorg (zonder persoonsgegevens)"
    WORRIES = "gedeelde_zorgen", "lijst van gedeelde zorgen"
    SELF_CHECK = "zelftoets", "zelftoets"
    CLIENT_COPY = "afschrift", "afschrift voor de cliënt"
    CLIENT_STATEMENT = "eigen_verklaring", "eigen verklaring van de cliënt"

    @property
    def is_about_client(self) -> bool:
        return self in CLIENT_SUBJECTS


# Subjects that are a client's data: a row about one of them names the client (`client_id`, the
# case's client pseudonym). Only a refused attempt at an id that does not exist has no client.
CLIENT_SUBJECTS = frozenset(
    {
        Subject.CASE,
        Subject.PERSON,
        Subject.ENTRY,
        Subject.INSTRUMENT_RESULT,
        Subject.SHARING_GROUND,
        Subject.ACCESS_GRANT,
        Subject.INCOMING_REPORT,
        Subject.COORDINATION_FILE,
        Subject.MATCH_SIGNAL,
        Subject.CONFERENCE_ITEM,
        Subject.FOLLOWUP_PLAN,
        Subject.CLIENT_COPY,
        Subject.CLIENT_STATEMENT,
        Subject.LEGAL_HOLD,
    }
)


class AppendOnlyError(Exception):
    """The access log cannot be changed or deleted."""


class AccessLogQuerySet(models.QuerySet["AccessLogEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Het toegangslogboek kan niet worden verwijderd.")


# The chain of rows written without an organisation; before there was a chain per organisation,
# the only chain (its head is the old single head row).
NO_ORGANISATION_CHAIN = 0


class AccessLogEntry(models.Model):
    chain = models.BigIntegerField("keten")
    """The organisation's id, or `NO_ORGANISATION_CHAIN`."""
    sequence = models.BigIntegerField("volgnummer in de keten")
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
    ground = models.CharField(
        "grondslag",
        max_length=40,
        blank=True,
        db_default="",
        help_text="Waarop een deling van cliëntgegevens buiten de eigen organisatie rust: de soort "
        "grondslag en haar nummer (‘toestemming:12’).",
    )
    purpose = models.CharField("doel", max_length=20, choices=Purpose.choices)
    outcome = models.CharField("uitkomst", max_length=10, choices=AccessOutcome.choices)
    ip_address = models.GenericIPAddressField("IP-adres", null=True)
    previous_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"], name="audit_accesslogentry_chain_sequence"
            )
        ]
        indexes = [
            models.Index(fields=["occurred_at", "id"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["organisation", "occurred_at"]),
            models.Index(fields=["user", "occurred_at"]),
            models.Index(fields=["client_id", "occurred_at"]),
        ]
        verbose_name = "regel in het toegangslogboek"
        verbose_name_plural = "toegangslogboek"

    def __str__(self) -> str:
        return f"{self.chain}/{self.sequence}: {self.username} {self.action} {self.subject_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Het toegangslogboek kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Het toegangslogboek kan niet worden verwijderd.")


class AccessLogHead(models.Model):
    """One row per chain holding its last sequence number and hash, with its own HMAC. Appending
    to a chain locks its head, so the rows of one chain are written one after another."""

    chain = models.BigIntegerField(unique=True)
    sequence = models.BigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default="")
    mac = models.CharField(max_length=64, default="")

    def __str__(self) -> str:
        return f"kop van keten {self.chain} bij regel {self.sequence}"


class AnchorQuerySet(models.QuerySet["AccessLogAnchor"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Een anker van het toegangslogboek kan niet worden gewijzigd.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Een anker van het toegangslogboek kan niet worden verwijderd.")


class AccessLogAnchor(models.Model):
    """Where a chain starts again after its oldest months were pruned (`meldwijzer audit prune`):
    the sequence number and hash of the last row removed from it, signed under the log key with
    the moment from which rows were kept. Verification starts the chain here instead of at its
    first row, so the first row kept must point at this hash. Written in the same transaction as
    the removal; never changed or deleted. A chain pruned twice has two; the latest counts."""

    chain = models.BigIntegerField("keten")
    sequence = models.BigIntegerField("laatste verwijderde regel")
    entry_hash = models.CharField("hash van die regel", max_length=64)
    kept_from = models.DateTimeField("regels bewaard vanaf")
    created_at = models.DateTimeField("opgeschoond op")
    mac = models.CharField(max_length=64)

    objects = AnchorQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["chain", "sequence"], name="audit_anchor_chain_sequence"
            )
        ]
        verbose_name = "anker van een opgeschoonde keten"
        verbose_name_plural = "ankers van opgeschoonde ketens"

    def __str__(self) -> str:
        return f"anker van keten {self.chain} bij regel {self.sequence}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Een anker van het toegangslogboek kan niet worden gewijzigd.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Een anker van het toegangslogboek kan niet worden verwijderd.")
