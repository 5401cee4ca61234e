"""Stored instrument definitions, which organisation offers which instrument, drafts and results.

A definition version is stored once with its exact source text and its SHA-256 digest, and never
changed: a result points at the definition it was made with, so it can always be shown and
checked against the version that produced it, also after a newer version has been loaded. Shipped
definitions are stored the first time they are used; an organisation's own definitions when they
are uploaded, or when the functioneel beheerder adjusts an instrument on the beheer page (then
`based_on` names the shipped or uploaded version the adjustment starts from). The digest is for
machines (the API, verification), never shown on a page.

A result is part of the case's dossier: it is written together with an `Entry` of kind
`instrument_result` in the case's history, and like every dossier row it is never edited. A new
assessment is a new result. A draft ("save halfway") is not part of the dossier until it is
finished; finishing it turns it into a result and removes the draft.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from meldwijzer.cases.models import ImmutableModel
from meldwijzer.cases.workflow import Phase


class InstrumentDefinition(ImmutableModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instrument_definitions",
        help_text="Leeg bij een instrument dat met Meldwijzer wordt meegeleverd.",
    )
    key = models.CharField("sleutel", max_length=40)
    version = models.CharField("versie", max_length=20)
    title = models.CharField("naam", max_length=300)
    source_text = models.TextField("definitie (bronbestand)")
    digest = models.CharField("SHA-256 van de definitie", max_length=64)
    filename = models.CharField("bestandsnaam", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Bij een versie die op de beheerpagina is aangepast: de meegeleverde of geladen "
        "versie waarvan de aanpassing uitgaat. Leeg bij een geladen bestand.",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["key", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key", "version"],
                condition=Q(organisation__isnull=False),
                name="instrument_version_once_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["key", "digest"],
                condition=Q(organisation__isnull=True),
                name="instrument_shipped_definition_once",
            ),
        ]
        verbose_name = "instrumentdefinitie"
        verbose_name_plural = "instrumentdefinities"

    def __str__(self) -> str:
        return f"{self.title} (versie {self.version})"

    @property
    def shipped(self) -> bool:
        return self.organisation_id is None


class OrganisationInstrument(models.Model):
    """Whether an organisation offers an instrument (by key) to its professionals.

    Without a row, a shipped instrument is on (a format example is off); an uploaded one gets a
    row when it is uploaded.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    key = models.CharField("sleutel", max_length=40)
    enabled = models.BooleanField("ingeschakeld")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"], name="instrument_setting_once_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}: {'aan' if self.enabled else 'uit'}"


class InstrumentDraft(models.Model):
    """Answers saved halfway by one professional, for one instrument in one case."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="instrument_drafts"
    )
    definition = models.ForeignKey(
        InstrumentDefinition, on_delete=models.PROTECT, related_name="drafts"
    )
    key = models.CharField("sleutel", max_length=40)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "author", "key"], name="instrument_draft_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"Concept {self.key} ({self.updated_at:%d-%m-%Y})"


class InstrumentResult(ImmutableModel):
    """A finished instrument in a case: the answers, the outcome, and the exact definition."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="instrument_results"
    )
    entry = models.OneToOneField(
        "cases.Entry", on_delete=models.PROTECT, related_name="instrument_result"
    )
    definition = models.ForeignKey(
        InstrumentDefinition, on_delete=models.PROTECT, related_name="results"
    )
    key = models.CharField("sleutel", max_length=40)
    version = models.CharField("versie", max_length=20)
    digest = models.CharField("SHA-256 van de gebruikte definitie", max_length=64)
    answers = models.JSONField()
    outcome = models.JSONField()
    phase = models.CharField("fase", max_length=12, choices=Phase.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["case", "key"])]
        verbose_name = "uitkomst van een instrument"
        verbose_name_plural = "uitkomsten van instrumenten"

    def __str__(self) -> str:
        return f"{self.key} {self.version} ({self.created_at:%d-%m-%Y})"
