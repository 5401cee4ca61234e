"""Grounds for sharing, access grants and retention: what lets data leave one organisation, and how
long it stays.

A *sharing ground* is the recorded reason why a client's data may be shared beyond the
organisation that holds it: the client's consent (what, with whom, for which purpose, until
when), a conflict of duties (with the reasoning the law asks for), or the meldrecht (to Veilig
Thuis only). Grounds are never edited or deleted; consent is withdrawn by recording when and by
whom.

An *access grant* opens one file of another organisation — a resource named by kind and id, as
this app sits below the apps that own the files — to one person acting for one organisation, on
one ground, for a limited time. The app that owns the file checks for an active grant in its
selectors, next to its own rule for its own organisation; sharing is data, not a wider rule.

A *retention override* is an organisation's own retention period for one kind of file; the
defaults with their legal basis are data in `retention.yaml`.

A *legal hold* (bewaarplicht) keeps one file — named by kind and id, as a grant names it — from
being destroyed when its retention period has passed, for as long as the hold is not lifted: a
court case, a complaint, an inquiry by the inspectorate. It is placed and lifted with a reason,
and never deleted.
"""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """Grounds and grants are not edited or deleted: withdraw or revoke them instead."""


class ResourceKind(models.TextChoices):
    """The kinds of file a grant can open. The owning app resolves the id."""

    CONSULTATION_SUMMARY = "consultatieverslag", "Verslag van een collegiale consultatie"
    COORDINATION_FILE = "regiedossier", "Regiedossier van een gezin"
    FOLLOWUP_PLAN = "vervolgplan", "Vervolgplan na afsluiten"
    CASE = "meldcodedossier", "Meldcodedossier"
    INCOMING_REPORT = "melding", "Melding bij Veilig Thuis"


class GroundKind(models.TextChoices):
    CONSENT = "toestemming", "Toestemming van de cliënt of ouders"
    CONFLICT_OF_DUTIES = "conflict_van_plichten", "Conflict van plichten"
    MELDRECHT = "meldrecht", "Meldrecht (alleen naar Veilig Thuis)"


# The five questions a conflict of duties must answer with yes before anything is shared without
# consent (the meldcode's and the KNMG's reasoning); the service refuses a ground that skips one.
CONFLICT_CHECKS = [
    ("toestemming_gevraagd", "Ik heb toestemming gevraagd, of kon dat niet doen zonder gevaar"),
    ("ernstig_nadeel", "Zonder delen blijft het kind of de cliënt in ernstig gevaar"),
    ("geen_andere_weg", "Er is geen andere weg om dat gevaar af te wenden"),
    ("delen_helpt", "Het delen kan het gevaar waarschijnlijk afwenden of beperken"),
    ("minimaal", "Ik deel niet meer dan daarvoor nodig is"),
]


class SharingGround(models.Model):
    """Why one organisation may share a client's data with someone outside it."""

    client_pseudonym = models.CharField("cliëntpseudoniem", max_length=24, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organisatie die deelt",
    )
    kind = models.CharField("grondslag", max_length=24, choices=GroundKind.choices)
    what = models.CharField("welke gegevens", max_length=300)
    with_whom = models.CharField("met wie", max_length=300)
    purpose = models.CharField("met welk doel", max_length=300)
    given_by = models.CharField(
        "toestemming gegeven door", max_length=120, blank=True, help_text="Alleen bij toestemming."
    )
    reasoning = models.TextField("onderbouwing", blank=True, max_length=5000)
    checks = models.JSONField("afgewogen punten (conflict van plichten)", default=list)
    valid_until = models.DateField("geldig tot en met", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("vastgelegd op")
    withdrawn_at = models.DateTimeField("ingetrokken op", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.CharField("reden van intrekken", max_length=300, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "client_pseudonym"])]
        verbose_name = "grondslag voor delen"
        verbose_name_plural = "grondslagen voor delen"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.client_pseudonym})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Een grondslag wordt niet gewijzigd; leg een nieuwe vast.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Een grondslag wordt niet verwijderd; trek haar in.")

    @property
    def in_force(self) -> bool:
        """Not withdrawn, and not past its end date."""
        return self.withdrawn_at is None and (
            self.valid_until is None or self.valid_until >= timezone.localdate()
        )


class AccessGrant(models.Model):
    """Read access to one file of another organisation, for one person acting for one
    organisation, on one ground, from `starts_at` until `ends_at` unless revoked earlier."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="access_grants",
        verbose_name="gedeeld met",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="access_grants",
        verbose_name="namens organisatie",
    )
    resource_kind = models.CharField("soort gegeven", max_length=24, choices=ResourceKind.choices)
    resource_id = models.PositiveBigIntegerField("kenmerk van het gegeven")
    client_pseudonym = models.CharField("cliëntpseudoniem", max_length=24)
    ground = models.ForeignKey(
        SharingGround, on_delete=models.PROTECT, related_name="grants", verbose_name="grondslag"
    )
    parts = models.JSONField(
        "onderdelen",
        default=list,
        blank=True,
        help_text="Welke onderdelen van het gegeven de grondslag opent; leeg is het hele gegeven.",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_by_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField("vanaf")
    ends_at = models.DateTimeField("tot")
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "organisation", "resource_kind", "resource_id"]),
            models.Index(fields=["resource_kind", "resource_id"]),
        ]
        verbose_name = "gedeelde toegang"
        verbose_name_plural = "gedeelde toegang"

    def __str__(self) -> str:
        return f"{self.get_resource_kind_display()} {self.resource_id} → {self.user}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Gedeelde toegang wordt niet gewijzigd; trek haar in.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Gedeelde toegang wordt niet verwijderd; trek haar in.")

    @property
    def until(self) -> datetime.date:
        """The last day of access (a grant ends at the end of that day, local time)."""
        return (timezone.localtime(self.ends_at) - datetime.timedelta(microseconds=1)).date()


class FileKind(models.TextChoices):
    """The kinds of file with a retention period (`retention.yaml` has exactly these)."""

    MELDCODE_DOSSIER = "meldcodedossier", "Meldcodedossier"
    CONSULTATION_SUMMARY = "consultatieverslag", "Verslag van een collegiale consultatie"
    COORDINATION_FILE = "regiedossier", "Coördinatie- of regiedossier"
    FOLLOW_UP = "nazorg", "Nazorg en monitoring"
    INCOMING_REPORT = "melding", "Melding bij Veilig Thuis"
    ACCESS_LOG = "toegangslogboek", "Toegangslogboek"


class RetentionOverride(models.Model):
    """An organisation's own retention period for one kind of file, where its regime differs
    from the default in `retention.yaml`; the legal basis is required."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="retention_overrides"
    )
    file_kind = models.CharField("soort dossier", max_length=24, choices=FileKind.choices)
    years = models.PositiveSmallIntegerField("bewaartermijn (jaren)")
    basis = models.CharField("wettelijke grondslag", max_length=300)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField("vastgesteld op")

    class Meta:
        ordering = ["organisation__name", "file_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "file_kind"], name="retention_override_unique_kind"
            )
        ]
        verbose_name = "eigen bewaartermijn"
        verbose_name_plural = "eigen bewaartermijnen"

    def __str__(self) -> str:
        return f"{self.get_file_kind_display()} bij {self.organisation}: {self.years} jaar"


class LegalHold(models.Model):
    """One file that the retention job must keep, whatever its period, until the hold is lifted.
    Placed and lifted with a reason by someone of the organisation that owns the file; a hold is
    never edited otherwise, nor deleted (`services.legal_hold_place`, `legal_hold_lift`)."""

    resource_kind = models.CharField("soort dossier", max_length=24, choices=ResourceKind.choices)
    resource_id = models.PositiveBigIntegerField("kenmerk van het dossier")
    client_pseudonym = models.CharField("cliëntpseudoniem", max_length=24)
    reference = models.CharField("dossierkenmerk", max_length=20)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="legal_holds",
        verbose_name="organisatie van het dossier",
    )
    reason = models.CharField("reden", max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField("geplaatst op")
    lifted_at = models.DateTimeField("opgeheven op", null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lift_reason = models.CharField("reden van opheffen", max_length=300, blank=True)

    class Meta:
        ordering = ["-placed_at", "-pk"]
        indexes = [models.Index(fields=["resource_kind", "resource_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["resource_kind", "resource_id"],
                condition=models.Q(lifted_at__isnull=True),
                name="legal_hold_one_active_per_file",
            )
        ]
        verbose_name = "bewaarplicht"
        verbose_name_plural = "bewaarplichten"

    def __str__(self) -> str:
        return f"Bewaarplicht op {self.get_resource_kind_display()} {self.reference}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Een bewaarplicht wordt niet gewijzigd; hef haar op.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Een bewaarplicht wordt niet verwijderd; hef haar op.")

    @property
    def active(self) -> bool:
        return self.lifted_at is None
