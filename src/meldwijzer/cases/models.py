"""Cases, the people involved, and the dossier's entries.

Entries are never edited: a correction is a new entry that points at the one it corrects, and
both stay visible. People involved follow the same rule (a new version replaces the old one).
Every change of phase is a `PhaseChange` row. Concurrent edits are caught with `Case.version`.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from meldwijzer.cases.workflow import Phase, PhaseRules, phase_rules
from meldwijzer.privacy.pseudonyms import client_pseudonym_new


class ImmutableError(Exception):
    """Dossier entries cannot be changed or deleted; record a correction instead."""


class ImmutableModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("update_fields") is not None:
            raise ImmutableError("Dossierregels worden niet gewijzigd; leg een correctie vast.")
        # A new object that carries the key of an existing row must not overwrite it.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("Dossierregels worden niet verwijderd; leg een correctie vast.")


class Outcome(models.TextChoices):
    CLOSE = "close", "Afsluiten zonder zorg (of met hulp in het gewone werk)"
    CLOSE_FOLLOWUP = "close_followup", "Afsluiten met afspraken over het volgen van de veiligheid"
    HELP = "help", "Hulp bieden of organiseren, met evaluatie"
    REPORT = "report", "Melden bij Veilig Thuis"
    REPORT_AND_HELP = "report_and_help", "Melden bij Veilig Thuis en hulp blijven bieden"


class ClientKind(models.TextChoices):
    """Whom the professional's concern is about; an adult client makes the kindcheck necessary."""

    CHILD = "kind", "Een kind of jongere (tot 18 jaar)"
    ADULT = "volwassene", "Een volwassene (ouder, cliënt of patiënt)"


class Case(models.Model):
    reference = models.CharField("kenmerk", max_length=20, unique=True)
    title = models.CharField(
        "korte omschrijving",
        max_length=120,
        help_text="Zonder namen, bijvoorbeeld ‘Zorgen over leerling groep 5’.",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="cases"
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="responsible_cases",
        verbose_name="verantwoordelijke professional",
    )
    profession = models.CharField("beroepsgroep (afwegingskader)", max_length=40)
    client = models.CharField(
        "over wie gaat de zorg",
        max_length=12,
        choices=ClientKind.choices,
        default=ClientKind.CHILD,
        help_text="Bij een volwassen cliënt is de kindcheck nodig.",
    )
    phase = models.CharField("fase", max_length=12, choices=Phase.choices, default=Phase.SIGNALS)
    phase_entered_at = models.DateTimeField()
    outcome = models.CharField("besluit", max_length=20, choices=Outcome.choices, blank=True)
    review_date = models.DateField("evaluatiedatum", null=True, blank=True)
    identity_key = models.CharField(max_length=64, blank=True, db_index=True)
    identity_key_id = models.CharField(
        "sleutel van de identiteitssleutel",
        max_length=16,
        blank=True,
        help_text="Welke pseudoniemsleutel de identiteitssleutel maakte; alleen sleutels met "
        "hetzelfde id worden vergeleken.",
    )
    client_pseudonym = models.CharField(
        "cliëntpseudoniem",
        max_length=24,
        unique=True,
        default=client_pseudonym_new,
        editable=False,
        help_text="Noemt de cliënt van deze casus in het toegangslogboek, zonder naam.",
    )
    version = models.PositiveIntegerField(default=1)
    opened_at = models.DateTimeField()
    reopened_at = models.DateTimeField(
        "heropend op", null=True, blank=True, help_text="Start van de laatste nieuwe meldcoderonde."
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_rounds",
        verbose_name="voortgekomen uit",
        help_text="Het eerdere dossier over dit gezin, als deze casus begon bij een zorg in de "
        "nazorg daarvan.",
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["organisation", "phase"])]
        verbose_name = "casus"
        verbose_name_plural = "casussen"

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"

    @property
    def needs_child_check(self) -> bool:
        return self.client == ClientKind.ADULT

    @property
    def workflow(self) -> PhaseRules:
        """What the case's phase allows and offers, from the table in `cases.workflow`; pages and
        templates ask this (`case.workflow.may_decide`) instead of comparing phases."""
        return phase_rules(self.phase)


class PersonKind(models.TextChoices):
    CHILD = "child", "Kind"
    CLIENT = "client", "Cliënt (volwassene)"
    PARENT = "parent", "Ouder"
    CARER = "carer", "Verzorger"
    OTHER = "other", "Andere betrokkene"


# The people a report to Veilig Thuis is about (the others are parents, carers, others involved).
REPORT_SUBJECTS = (PersonKind.CHILD, PersonKind.CLIENT)


class Authority(models.TextChoices):
    YES = "ja", "Heeft gezag"
    NO = "nee", "Heeft geen gezag"
    UNKNOWN = "onbekend", "Gezag onbekend"


class Gender(models.TextChoices):
    FEMALE = "v", "Vrouw of meisje"
    MALE = "m", "Man of jongen"
    OTHER = "x", "Anders"


class Person(ImmutableModel):
    """Someone involved in a case, with what a report to Veilig Thuis needs to identify and reach
    them. Only people with access to the case see these details; the BSN is shown masked except
    in the report and on an explicit, logged request. A change is a new row that replaces the
    previous one."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="persons")
    kind = models.CharField("soort", max_length=10, choices=PersonKind.choices)
    name = models.CharField("naam", max_length=200)
    date_of_birth = models.DateField("geboortedatum", null=True, blank=True)
    age = models.PositiveSmallIntegerField(
        "leeftijd (als geboortedatum onbekend)", null=True, blank=True
    )
    gender = models.CharField("geslacht", max_length=1, choices=Gender.choices, blank=True)
    bsn = models.CharField("BSN", max_length=9, blank=True)
    street_address = models.CharField("straat en huisnummer", max_length=200, blank=True)
    postcode = models.CharField("postcode", max_length=7, blank=True)
    place = models.CharField("woonplaats", max_length=100, blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    email = models.EmailField("e-mail", blank=True)
    reach = models.CharField("bereikbaarheid, taal of tolk", max_length=500, blank=True)
    relation = models.CharField("relatie tot het kind of de cliënt", max_length=120, blank=True)
    authority = models.CharField(
        "ouderlijk gezag", max_length=8, choices=Authority.choices, blank=True
    )
    identity_key = models.CharField(max_length=64, blank=True, db_index=True)
    identity_key_id = models.CharField(
        "sleutel van de identiteitssleutel",
        max_length=16,
        blank=True,
        help_text="Welke pseudoniemsleutel de identiteitssleutel maakte; alleen sleutels met "
        "hetzelfde id worden vergeleken.",
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"

    @property
    def is_identified(self) -> bool:
        """Enough for Veilig Thuis to find this person: a name with a BSN, a date of birth or an
        address."""
        address = bool(self.street_address and (self.postcode or self.place))
        return bool(self.name.strip()) and bool(self.bsn or self.date_of_birth or address)

    @property
    def bsn_masked(self) -> str:
        return f"•••••{self.bsn[-4:]}" if self.bsn else ""


class EntryKind(models.TextChoices):
    SIGNAL = "signal", "Signaal"
    COUNTER_SIGNAL = "counter_signal", "Contra-indicatie"
    CHILD_CHECK = "child_check", "Kindcheck"
    CONSULTATION = "consultation", "Collegiale consultatie"
    CONSULTATION_REQUEST = "consultation_request", "Vraag om consultatie"
    CONVERSATION = "conversation", "Gesprek"
    CONVERSATION_SKIPPED = "conversation_skipped", "Gesprek overgeslagen"
    INSTRUMENT_RESULT = "instrument_result", "Uitkomst instrument"
    WEIGHING = "weighing", "Afweging"
    DECISION = "decision", "Besluit"
    REPORT = "report", "Melding bij Veilig Thuis"
    REPORT_FEEDBACK = "report_feedback", "Terugkoppeling van Veilig Thuis"
    STAFF_ROUTE = "staff_route", "Route bij misbruik door een medewerker"
    NOTE = "note", "Notitie"


class Entry(ImmutableModel):
    """One fact in the dossier, typed by `kind`; its fields are in `data` (see `cases.entries`)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField("soort", max_length=24, choices=EntryKind.choices)
    phase = models.CharField("fase", max_length=12, choices=Phase.choices)
    data = models.JSONField(default=dict)
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "kind"])]
        verbose_name = "dossierregel"
        verbose_name_plural = "dossierregels"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%d-%m-%Y})"


class PhaseChange(ImmutableModel):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="phase_changes")
    source = models.CharField("van", max_length=12, choices=Phase.choices, blank=True)
    target = models.CharField("naar", max_length=12, choices=Phase.choices)
    reason = models.TextField("reden", max_length=5000, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.source or '–'} → {self.target}"


class ReferenceCounter(models.Model):
    """The last case number given out in a year. `services._reference` raises it by one under the
    row's lock, so cases opened at the same moment never get the same number."""

    year = models.PositiveSmallIntegerField("jaar", unique=True)
    last = models.PositiveIntegerField("laatste nummer", default=0)

    class Meta:
        verbose_name = "teller casusnummers"
        verbose_name_plural = "tellers casusnummers"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReportPdf(models.Model):
    """The report to Veilig Thuis laid out as PDF, kept for one version of its case on one day
    (the ages and the report's date follow the day): laid out after the change that made the
    version (in the background) or by the first download, and served to every download of that
    version that day (`report_pdf.case_report_pdf`; ADRs 0037, 0041). Older versions are removed
    when a newer one is kept; it goes with the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="report_pdfs")
    version = models.PositiveIntegerField("versie van de casus")
    day = models.DateField("dag")
    pdf = models.BinaryField("pdf")
    created_at = models.DateTimeField("gemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "melding als pdf"
        verbose_name_plural = "meldingen als pdf"
        constraints = [
            models.UniqueConstraint(fields=["case", "version", "day"], name="report_pdf_unique")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} v{self.version} {self.day}"
