"""The meldcode in every organisation: its registry, knowledge, worries shared and self-checks.

- The **registry**: each organisation's meldcode (`MeldcodeAdoption`, every version kept), its
  aandachtsfunctionarissen with their qualification (`OfficerRegistration`), and the meldcode
  trainings each professional followed (`TrainingRecord`) with the interval after which a refresh
  is due; a reminder before expiry is sent once (`TrainingReminder`).
- **Knowledge** per step and beroepsgroep, and the signals per target group: shipped as data
  (`trainings/knowledge/`), changed by a redacteur as new versions (`KnowledgeVersion`), never
  edited in place.
- **Zorgen delen**: a worry described without identifying data (`Worry`) for the organisation's
  aandachtsfunctionaris or a regional consultation line, with its messages (`WorryMessage`).
- **Self-check**: the attempts at a short quiz (`SelfCheckAttempt`), private to the professional.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

DEFAULT_REFRESH_MONTHS = 12
"""A meldcode training is refreshed yearly unless the organisation records another interval."""


class MeldcodeAdoption(models.Model):
    """The meldcode an organisation adopted, with the date; a new version is a new row."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="meldcode_adoptions",
        verbose_name="organisatie",
    )
    title = models.CharField("naam van de meldcode", max_length=200)
    adopted_on = models.DateField("vastgesteld op")
    document = models.FileField("document", upload_to="meldcodes/", blank=True)
    document_name = models.CharField("bestandsnaam", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-adopted_on", "-id"]
        verbose_name = "vastgestelde meldcode"
        verbose_name_plural = "vastgestelde meldcodes"

    def __str__(self) -> str:
        return f"{self.title} ({self.adopted_on:%d-%m-%Y})"


class OfficerRegistration(models.Model):
    """An aandachtsfunctionaris of an organisation, with their qualification."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="officer_registrations",
        verbose_name="organisatie",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="officer_registrations",
        verbose_name="aandachtsfunctionaris",
    )
    training = models.CharField("opleiding tot aandachtsfunctionaris", max_length=200, blank=True)
    trained_on = models.DateField("opleiding afgerond op", null=True, blank=True)
    register = models.CharField("register", max_length=200, blank=True)
    register_number = models.CharField("registratienummer", max_length=50, blank=True)
    vog_on = models.DateField("datum VOG", null=True, blank=True)
    started_on = models.DateField("aandachtsfunctionaris sinds")
    ended_on = models.DateField("gestopt op", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "-started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(ended_on__isnull=True),
                name="officer_registration_one_current",
            )
        ]
        verbose_name = "aandachtsfunctionaris"
        verbose_name_plural = "aandachtsfunctionarissen"

    def __str__(self) -> str:
        return f"{self.user} bij {self.organisation}"


class TrainingKind(models.TextChoices):
    BASIC = "basis", "Basistraining meldcode"
    REFRESHER = "opfrissing", "Opfrisbijeenkomst meldcode"
    E_LEARNING = "e-learning", "E-learning meldcode"
    PROFESSION = "beroepsgroep", "Verdieping voor de eigen beroepsgroep"
    OFFICER = "aandachtsfunctionaris", "Opleiding aandachtsfunctionaris"


class TrainingRecord(models.Model):
    """A meldcode training one professional followed, recorded for the organisation."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="training_records",
        verbose_name="organisatie",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="training_records",
        verbose_name="medewerker",
    )
    kind = models.CharField("soort training", max_length=30, choices=TrainingKind.choices)
    completed_on = models.DateField("gevolgd op")
    provider = models.CharField("aanbieder", max_length=200)
    refresh_months = models.PositiveSmallIntegerField(
        "opfrissen na (maanden)",
        default=DEFAULT_REFRESH_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "user", "-completed_on", "-id"]
        indexes = [models.Index(fields=["organisation", "user", "-completed_on"])]
        verbose_name = "gevolgde training"
        verbose_name_plural = "gevolgde trainingen"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.user} ({self.completed_on:%d-%m-%Y})"

    @property
    def due_on(self) -> datetime.date:
        """The day a refresh is due: the same day of the month, `refresh_months` later."""
        return self.completed_on + relativedelta(months=self.refresh_months)


class TrainingReminder(models.Model):
    """A reminder about one training, sent once per kind ('binnenkort', 'verlopen')."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("soort herinnering", max_length=20)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "kind"], name="training_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.record}"


class KnowledgeVersion(models.Model):
    """A version of one knowledge text (`key`, e.g. 'stap-2/onderwijs' or 'doelgroep/ouderen'),
    written by a redacteur. The newest version of a key is shown; the shipped text
    (`trainings/knowledge/`) is version 0 and is never stored."""

    key = models.CharField("tekst", max_length=100)
    version = models.PositiveIntegerField("versie")
    title = models.CharField("titel", max_length=200)
    body = models.TextField("tekst (Markdown)", max_length=20000)
    as_of = models.DateField("stand")
    source = models.CharField("bron", max_length=500)
    note = models.CharField("wat is er veranderd?", max_length=500)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="knowledge_version_unique")
        ]
        verbose_name = "versie van een kennistekst"
        verbose_name_plural = "versies van kennisteksten"

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"


class WorryRecipient(models.TextChoices):
    OFFICER = "aandachtsfunctionaris", "De aandachtsfunctionaris van mijn organisatie"
    LINE = "consultatielijn", "De regionale consultatielijn"


class WorryState(models.TextChoices):
    OPEN = "open", "Wacht op antwoord"
    ANSWERED = "beantwoord", "Beantwoord"
    CLOSED = "gesloten", "Gesloten"


class Worry(models.Model):
    """A worry shared without identifying data, for advice ('zorgen delen')."""

    reference = models.CharField("kenmerk", max_length=20, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="worries",
        verbose_name="organisatie van de vrager",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="worries"
    )
    recipient = models.CharField("aan", max_length=30, choices=WorryRecipient.choices)
    line_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="worries_received",
        verbose_name="consultatielijn",
    )
    profession = models.CharField("beroepsgroep", max_length=40, blank=True)
    target_group = models.CharField("doelgroep", max_length=40, blank=True)
    question = models.TextField("uw zorg en uw vraag", max_length=3000)
    state = models.CharField(
        "stand", max_length=12, choices=WorryState.choices, default=WorryState.OPEN
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="casus die eruit volgde",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "gedeelde zorg"
        verbose_name_plural = "gedeelde zorgen"

    def __str__(self) -> str:
        return self.reference


class WorryMessage(models.Model):
    """A message in a worry's conversation: the answer, a follow-up question. Never edited."""

    worry = models.ForeignKey(Worry, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("bericht", max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.worry} {self.created_at:%d-%m-%Y %H:%M}"


class SelfCheckAttempt(models.Model):
    """One attempt at a self-check quiz; seen only by the professional who made it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="self_checks"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    profession = models.CharField("beroepsgroep", max_length=40)
    quiz_version = models.CharField("versie van de vragen", max_length=40)
    score = models.PositiveSmallIntegerField("goed")
    total = models.PositiveSmallIntegerField("vragen")
    answers = models.JSONField("antwoorden", default=dict)
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.score}/{self.total}"
