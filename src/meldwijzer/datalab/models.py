"""The datalab's records: pseudonymised reports and cases that partners share with a region.

A *datalab* belongs to the organisation whose policy advisers steer on it (a municipality); its
region is that organisation's municipality. Partners (Veilig Thuis, the police, a wijkteam, the
platform itself) are *sources*; each delivers files that are *imported* all or nothing. A *record*
is one report with its case, never a name, a BSN, a full date of birth or a full postcode: persons
appear only as research pseudonyms made with the region's key (which the datalab never holds),
with the id of that key beside them, so records of two sources link on the same person.

Records are kept as delivered; nothing on a page, in an export or through the API is ever a
record — only aggregates after disclosure control (`disclosure`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meldwijzer.organisations.models import Organisation


class ReportKind(models.TextChoices):
    """CBS's kinds of report, by what Veilig Thuis knew of the people involved."""

    FIRST = "eerste", "Eerste melding"
    REPEAT = "her", "Hermelding"
    FOLLOW_UP = "vervolg", "Vervolgmelding"


class ReporterRole(models.TextChoices):
    PROFESSIONAL = "beroepskracht", "Beroepskracht"
    CITIZEN = "burger", "Burger (familie, buren, kennissen)"
    SELF = "betrokkene", "Betrokkene zelf"
    ANONYMOUS = "anoniem", "Anoniem"


class ReporterSector(models.TextChoices):
    POLICE = "politie", "Politie"
    HEALTH = "gezondheidszorg", "Gezondheidszorg"
    EDUCATION = "onderwijs", "Onderwijs"
    CHILDCARE = "kinderopvang", "Kinderopvang"
    YOUTH = "jeugdhulp", "Jeugdhulp"
    SOCIAL = "wijkteam", "Wijkteam en maatschappelijke ondersteuning"
    JUSTICE = "justitie", "Justitie en reclassering"
    OTHER = "overig", "Overige beroepskrachten"
    NONE = "geen", "Geen (niet beroepsmatig)"


class ViolenceKind(models.TextChoices):
    """The main kind of a report, as CBS groups Veilig Thuis's reports."""

    CHILD_ABUSE = "kindermishandeling", "Kindermishandeling"
    PARTNER = "partnergeweld", "(Ex-)partnergeweld"
    ELDER = "ouderenmishandeling", "Ouderenmishandeling"
    OTHER_DOMESTIC = "ander_huiselijk_geweld", "Ander huiselijk geweld"
    OTHER_PROBLEMS = "andere_problematiek", "Andere problematiek"


class ViolenceForm(models.TextChoices):
    """Forms of violence; one report may name several."""

    PHYSICAL = "lichamelijk", "Lichamelijke mishandeling"
    EMOTIONAL = "emotioneel", "Emotionele mishandeling"
    PHYSICAL_NEGLECT = "lichamelijke_verwaarlozing", "Lichamelijke verwaarlozing"
    EMOTIONAL_NEGLECT = "emotionele_verwaarlozing", "Emotionele verwaarlozing"
    SEXUAL = "seksueel", "Seksueel geweld of misbruik"
    WITNESS = "getuige", "Getuige van huiselijk geweld"
    HONOUR = "eergerelateerd", "Eergerelateerd geweld"
    EXPLOITATION = "uitbuiting", "Uitbuiting of mensenhandel"
    FINANCIAL = "financieel", "Financiële uitbuiting"
    COERCIVE = "dwingende_controle", "Dwingende controle of stalking"
    OTHER = "overig", "Overig of niet gespecificeerd"


class PersonRole(models.TextChoices):
    VICTIM = "slachtoffer", "Slachtoffer"
    PERPETRATOR = "pleger", "Pleger"
    OTHER = "betrokkene", "Andere betrokkene"


class Outcome(models.TextChoices):
    ADVICE = "advies", "Advies"
    TRANSFER = "overdracht", "Overdracht aan lokaal team of hulpverlening"
    SAFETY = "veiligheid_en_vervolg", "Voorwaarden en vervolg door Veilig Thuis"
    INVESTIGATION = "onderzoek", "Onderzoek door Veilig Thuis"
    CLOSED = "afgesloten", "Afgesloten zonder vervolg"


class SourceKind(models.TextChoices):
    VEILIG_THUIS = "veilig_thuis", "Veilig Thuis"
    PARTNER = "partner", "Partnerorganisatie"
    PLATFORM = "platform", "Meldwijzer (eigen dossiers)"


class Source(models.Model):
    """A partner that shares records with one datalab."""

    datalab = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="datalab_sources"
    )
    name = models.CharField("naam", max_length=200)
    kind = models.CharField("soort", max_length=20, choices=SourceKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["datalab", "name"], name="datalab_source_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class ImportState(models.TextChoices):
    RUNNING = "bezig", "Bezig"
    DONE = "geslaagd", "Geslaagd"
    FAILED = "mislukt", "Mislukt, niets opgeslagen"


class Import(models.Model):
    """One file a source delivered: all its rows are stored, or none."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="imports")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    filename = models.CharField("bestandsnaam", max_length=255)
    file_format = models.CharField("bestandsvorm", max_length=4)
    sha256 = models.CharField(max_length=64)
    key_id = models.CharField("sleutel-id", max_length=12, blank=True)
    state = models.CharField(
        max_length=10, choices=ImportState.choices, default=ImportState.RUNNING
    )
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    records_added = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    """Row-numbered Dutch messages: [{"rij": 12, "kolom": "pc4", "melding": "..."}]."""
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source}: {self.filename}"


class Record(models.Model):
    """One report with what followed, as a source delivered it (pseudonymised)."""

    datalab = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="records")
    imported = models.ForeignKey(Import, on_delete=models.PROTECT, related_name="records")
    reference = models.CharField("kenmerk bij de bron", max_length=64)
    reported_on = models.DateField("meldingsdatum")
    pc4 = models.CharField("postcode (PC4)", max_length=4, blank=True)
    reporter_role = models.CharField(max_length=20, choices=ReporterRole.choices)
    reporter_sector = models.CharField(max_length=20, choices=ReporterSector.choices)
    report_kind = models.CharField(max_length=10, choices=ReportKind.choices)
    report_kind_derived = models.BooleanField(
        default=False, help_text="Afgeleid uit eerdere meldingen, niet door de bron geleverd."
    )
    violence_kind = models.CharField(max_length=30, choices=ViolenceKind.choices)
    case_started_on = models.DateField(null=True, blank=True)
    first_action_on = models.DateField(null=True, blank=True)
    case_ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    key_id = models.CharField("sleutel-id", max_length=12, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "reference"], name="datalab_record_unique")
        ]
        indexes = [models.Index(fields=["datalab", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.reference}"


class RecordForm(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="forms")
    form = models.CharField(max_length=30, choices=ViolenceForm.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "form"], name="datalab_record_form_unique")
        ]

    def __str__(self) -> str:
        return self.form


class RecordPerson(models.Model):
    """A person in a record, as a research pseudonym and an age band only."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="persons")
    pseudonym = models.CharField(max_length=40, db_index=True)
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    age_band = models.CharField("leeftijdsklasse", max_length=5, blank=True)

    def __str__(self) -> str:
        return f"{self.pseudonym} ({self.role})"
