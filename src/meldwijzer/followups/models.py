"""Follow-up plans: keeping sight of a family's safety after its case or coordination file closed.

A plan (`FollowupPlan`) follows one closed file — a meldcode dossier or a coordination file — and
is held by one named professional (`follower`, acting for an organisation) on a schedule
(`schedules.yaml`). Its planned contacts (`PlannedContact`) carry the step-down level and the day
they are due; a contact that has been held (`FollowupContact`) records how it went and the safety
status against the safety plan. Contacts and decisions about the plan (`PlanDecision`: changed,
extended, completed, re-opened) are never edited or deleted, like coordination's history
(`coordination.models.AppendOnlyModel`): the plan's history is its rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from meldwijzer.coordination.models import AppendOnlyModel
from meldwijzer.followups.schedules import Level


class SourceKind(models.TextChoices):
    CASE = "casus", "Meldcodedossier"
    FILE = "regiedossier", "Regiedossier"


class PlanState(models.TextChoices):
    ACTIVE = "lopend", "Lopend"
    ENDED = "beeindigd", "Beëindigd"


class FollowupPlan(models.Model):
    """Who follows a family's safety after closing, how, until when, on which schedule."""

    reference = models.CharField("kenmerk", max_length=20, unique=True)
    source_kind = models.CharField("volgt", max_length=14, choices=SourceKind.choices)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_plans",
        verbose_name="meldcodedossier",
    )
    file = models.ForeignKey(
        "coordination.CoordinationFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followup_plans",
        verbose_name="regiedossier",
    )
    client_pseudonym = models.CharField(
        "cliëntpseudoniem",
        max_length=24,
        db_index=True,
        help_text="Dat van het dossier dat het plan volgt: het toegangslogboek noemt de cliënt.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="afgesloten door",
    )
    owner_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisatie die afsloot",
    )
    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="followup_plans",
        verbose_name="volgt de veiligheid",
    )
    follower_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="followup_plans",
        verbose_name="namens organisatie",
    )
    grant = models.ForeignKey(
        "privacy.AccessGrant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gedeelde toegang",
        help_text="Alleen wanneer wie volgt voor een andere organisatie werkt dan wie afsloot.",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="laatste casusregisseur",
        help_text="Krijgt bericht als het niet veilig is.",
    )
    schedule = models.CharField("schema", max_length=40)
    how = models.TextField("afspraken: hoe de veiligheid wordt gevolgd", max_length=4000)
    starts_on = models.DateField("start")
    ends_on = models.DateField("tot en met")
    state = models.CharField(
        "stand", max_length=10, choices=PlanState.choices, default=PlanState.ACTIVE
    )
    ended_at = models.DateTimeField("beëindigd op", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_on", "pk"]
        indexes = [
            models.Index(fields=["follower", "state"]),
            models.Index(fields=["follower_organisation", "state"]),
            models.Index(fields=["owner_organisation", "state"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(source_kind="casus", case__isnull=False, file__isnull=True)
                    | models.Q(source_kind="regiedossier", case__isnull=True, file__isnull=False)
                ),
                name="followup_plan_follows_one_file",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="followup_plan_ends_after_start",
            ),
        ]
        verbose_name = "vervolgplan"
        verbose_name_plural = "vervolgplannen"

    def __str__(self) -> str:
        return self.reference


class PlannedContact(models.Model):
    """One contact the plan expects, on a day, at a level. Moved (brought forward, or changed by
    the professional) with the reason; done once a contact is recorded for it."""

    plan = models.ForeignKey(FollowupPlan, on_delete=models.PROTECT, related_name="planned")
    number = models.PositiveSmallIntegerField("nummer")
    level = models.CharField("niveau", max_length=14, choices=Level.choices)
    due_on = models.DateField("gepland op")
    scheduled_on = models.DateField("volgens het schema op")
    moved_reason = models.CharField("waarom verplaatst", max_length=200, blank=True)
    cancelled_at = models.DateTimeField("vervallen op", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "number", "pk"]
        indexes = [models.Index(fields=["plan", "due_on"]), models.Index(fields=["due_on"])]
        verbose_name = "gepland contact"
        verbose_name_plural = "geplande contacten"

    def __str__(self) -> str:
        return f"{self.plan} #{self.number} {self.due_on:%d-%m-%Y}"


class Safety(models.TextChoices):
    """The safety status of a contact, against the safety plan."""

    SAFE = "veilig", "Veilig: de afspraken werken"
    WORRIES = "zorgen", "Zorgen: eerder opnieuw contact"
    UNSAFE = "onveilig", "Niet veilig: de meldcode opnieuw"


class ContactMode(models.TextChoices):
    HOME_VISIT = "huisbezoek", "Huisbezoek"
    CONSULT = "spreekuur", "Op het consultatiebureau of spreekuur"
    PHONE = "telefoon", "Telefonisch"
    VIDEO = "beeldbellen", "Beeldbellen"
    PARTNER = "partner", "Via een samenwerkingspartner (school, opvang)"
    OTHER = "anders", "Anders"


class FollowupContact(AppendOnlyModel):
    """A follow-up contact as held: how it went, and whether the family is safe."""

    plan = models.ForeignKey(FollowupPlan, on_delete=models.PROTECT, related_name="contacts")
    planned = models.OneToOneField(
        PlannedContact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact",
        verbose_name="gepland contact",
    )
    held_on = models.DateField("datum van het contact")
    mode = models.CharField("hoe", max_length=14, choices=ContactMode.choices)
    summary = models.TextField("hoe ging het", max_length=4000)
    safety = models.CharField("veiligheid", max_length=10, choices=Safety.choices)
    safety_note = models.TextField(
        "toelichting bij de veiligheid",
        max_length=4000,
        help_text="Naast de afspraken van het veiligheidsplan.",
    )
    reopened_case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="heropend of nieuw meldcodedossier",
    )
    reopened_file = models.ForeignKey(
        "coordination.CoordinationFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="heropend regiedossier",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(safety__in=["veilig", "zorgen", "onveilig"]),
                name="followup_contact_safety_answered",
            ),
        ]
        verbose_name = "vervolgcontact"
        verbose_name_plural = "vervolgcontacten"

    def __str__(self) -> str:
        return f"{self.plan} {self.held_on:%d-%m-%Y} ({self.get_safety_display()})"


class DecisionKind(models.TextChoices):
    CHANGED = "gewijzigd", "Plan aangepast"
    EXTENDED = "verlengd", "Verlengd"
    COMPLETED = "afgerond", "Afgerond: de veiligheid is duurzaam"
    REOPENED = "heropend", "Heropend: de meldcode opnieuw"


END_DECISIONS = (DecisionKind.COMPLETED, DecisionKind.EXTENDED, DecisionKind.REOPENED)


class PlanDecision(AppendOnlyModel):
    """A recorded decision about a plan: what changed and why; at its end, whether it is
    completed, extended or re-opened."""

    plan = models.ForeignKey(FollowupPlan, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField("besluit", max_length=10, choices=DecisionKind.choices)
    note = models.TextField("toelichting", max_length=4000)
    changes = models.JSONField("wijzigingen", default=dict, blank=True)
    contact = models.ForeignKey(
        FollowupContact, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = "besluit over een vervolgplan"
        verbose_name_plural = "besluiten over vervolgplannen"

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_kind_display()}"


class Alert(models.Model):
    """The meldcode opened again from follow-up — 'niet veilig' in a contact, or the decision
    'heropend' — for the last casusregisseur (or, without one, the professional who closed the
    file), until they acknowledge it with what they did."""

    plan = models.ForeignKey(FollowupPlan, on_delete=models.PROTECT, related_name="alerts")
    contact = models.OneToOneField(
        FollowupContact, on_delete=models.PROTECT, null=True, blank=True, related_name="alert"
    )
    decision = models.ForeignKey(
        "PlanDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement = models.CharField("wat is er gedaan", max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["to_user", "acknowledged_at"])]
        verbose_name = "melding niet veilig"
        verbose_name_plural = "meldingen niet veilig"

    def __str__(self) -> str:
        return f"{self.plan}: niet veilig"


class SignalKind(models.TextChoices):
    NEW_CASE = "nieuwe_casus", "Nieuwe casus of melding over dit gezin"


class FollowupSignal(models.Model):
    """A new meldcode dossier or report about someone in a family in follow-up, recognised by the
    keyed hash of their identity (never by name). Names the other dossier's organisation and
    date only; the plan's professional sees it until they mark it seen."""

    plan = models.ForeignKey(FollowupPlan, on_delete=models.PROTECT, related_name="signals")
    kind = models.CharField(
        "soort", max_length=14, choices=SignalKind.choices, default=SignalKind.NEW_CASE
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name="nieuwe casus"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    seen_at = models.DateTimeField(null=True, blank=True)
    seen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "case"], name="followup_signal_once_per_case")
        ]
        verbose_name = "signaal van een nieuwe casus"
        verbose_name_plural = "signalen van nieuwe casussen"

    def __str__(self) -> str:
        return f"{self.plan}: {self.get_kind_display()}"


class ReminderKind(models.TextChoices):
    DUE = "binnenkort", "Contact binnenkort"
    OVERDUE = "te_laat", "Contact te laat"


class Reminder(models.Model):
    """One e-mail reminder sent for one planned contact on the day it was due: the daily command
    sends each at most once (the unique key), so running it twice sends nothing twice; a contact
    moved to another day is reminded of again."""

    planned = models.ForeignKey(PlannedContact, on_delete=models.PROTECT, related_name="reminders")
    kind = models.CharField("soort", max_length=12, choices=ReminderKind.choices)
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("voor het contact gepland op")
    sent_on = models.DateField("verstuurd op")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["planned", "kind", "to_user", "due_on"], name="followup_reminder_once"
            )
        ]
        verbose_name = "herinnering"
        verbose_name_plural = "herinneringen"

    def __str__(self) -> str:
        return f"{self.planned}: {self.get_kind_display()}"


class CalendarFeed(models.Model):
    """A professional's private calendar address for their follow-up contacts. Only a hash of
    the secret is stored; a new address replaces the old one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "agenda-abonnement"
        verbose_name_plural = "agenda-abonnementen"

    def __str__(self) -> str:
        return f"agenda van {self.user}"
