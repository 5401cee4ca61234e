"""The client's rights on their file: copies given to them and their own statements.

Under the AVG (art. 15) and the WGBO (art. 7:456) a client may have a copy of their file; a
`CopyGiven` row records each copy handed over — to whom (which person of the case, in which
relation), how they were identified, why, by whom, when, and the SHA-256 of both files (PDF and
JSON). The files themselves are produced for download at that moment and never stored.

Under the WGBO (art. 7:454 lid 2) the client may add their own statement to the file
(`ClientStatement`): append-only, never edited or deleted; a newer one may follow. It is part of
every later copy, not of the report to Veilig Thuis. Both go with the case when retention
destroys it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meldwijzer.cases.models import ImmutableModel


class Relation(models.TextChoices):
    """Who receives a copy, seen from the person the file is about."""

    CLIENT = "client", "De cliënt zelf (volwassen)"
    PARENT = "ouder", "Een ouder met gezag van het kind"
    CHILD = "kind", "Het kind of de jongere zelf"


class IdentityDocument(models.TextChoices):
    PASSPORT = "paspoort", "Paspoort"
    ID_CARD = "id_kaart", "Identiteitskaart"
    DRIVING_LICENCE = "rijbewijs", "Rijbewijs"
    RESIDENCE = "verblijf", "Verblijfsdocument"


class CopyGiven(ImmutableModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="copies_given", verbose_name="casus"
    )
    reference = models.CharField("kenmerk van het afschrift", max_length=32, unique=True)
    recipient = models.ForeignKey(
        "cases.Person", on_delete=models.CASCADE, related_name="+", verbose_name="ontvanger"
    )
    relation = models.CharField("relatie", max_length=8, choices=Relation.choices)
    child = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="over het kind",
    )
    child_consent = models.TextField(
        "toestemming van het kind (16 jaar of ouder)",
        blank=True,
        max_length=1000,
        help_text="Alleen als een ouder een afschrift krijgt over een kind van 16 of 17.",
    )
    identified = models.BooleanField("identiteitsbewijs gecontroleerd")
    identity_document = models.CharField(
        "welk identiteitsbewijs", max_length=10, choices=IdentityDocument.choices
    )
    reason = models.TextField("reden of verzoek", max_length=2000)
    safety_weighed = models.TextField(
        "afweging veiligheid",
        blank=True,
        max_length=2000,
        help_text="Waarom het afschrift niemand in gevaar brengt, als het gezin niet is ingelicht.",
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField("gegeven op")
    sha256_pdf = models.CharField("SHA-256 van de PDF", max_length=64)
    sha256_json = models.CharField("SHA-256 van het JSON-bestand", max_length=64)

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = "afschrift voor de cliënt"
        verbose_name_plural = "afschriften voor de cliënt"

    def __str__(self) -> str:
        return f"Afschrift {self.reference} ({self.given_at:%d-%m-%Y})"


class ClientStatement(ImmutableModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="client_statements"
    )
    given_by = models.ForeignKey(
        "cases.Person",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="gegeven door",
    )
    given_on = models.DateField("gegeven op")
    text = models.TextField("verklaring", max_length=10000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("vastgelegd op")

    class Meta:
        ordering = ["given_on", "recorded_at", "pk"]
        verbose_name = "eigen verklaring van de cliënt"
        verbose_name_plural = "eigen verklaringen van de cliënt"

    def __str__(self) -> str:
        return f"Eigen verklaring ({self.given_on:%d-%m-%Y})"
