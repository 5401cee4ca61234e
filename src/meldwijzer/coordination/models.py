"""Casusregie after a report: the family's coordination file and everything the team keeps in it.

A *report* made in a meldcode dossier arrives in Veilig Thuis' *inbox* as a frozen copy of what was
reported (`IncomingReport`), shared on the meldrecht; the reporter's dossier is never opened to
Veilig Thuis. Whoever leads then opens a *coordination file* (regiedossier) for the family: linked
to the reports it came from, never merged with a dossier.

A file has a *team* of professionals from several organisations (`TeamMember`), each with what the
family and the others may expect of them, and exactly one *casusregisseur* at any time: the file's
`coordinator` column, which cannot be empty and cannot hold two people. Handing the file or the
regie over is a *hand-over* (`Handover`) that the receiver accepts; both see it.

In the file the team keeps *agreements* (who does what by when), the *safety plan* as numbered
revisions that are never changed, and *contact notes* that always answer the safety question.
Team members of other organisations read the file on an access grant (`privacy.AccessGrant`) that
rests on a recorded ground; the grant's parts say what they may see.

*Match signals* tell two professionals of different organisations that they registered the same
person (the identity key), with nothing of the content. *Case conferences* discuss files with
consent on record or pseudonymised.
"""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Q

from meldwijzer.privacy.pseudonyms import client_pseudonym_new


class AppendOnlyError(Exception):
    """Safety-plan revisions, contact notes and hand-overs are history: they are not changed."""


class AppendOnlyModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Dit is vastgelegde geschiedenis; leg een nieuwe versie vast.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Dit is vastgelegde geschiedenis en wordt niet verwijderd.")


class FileParts(models.TextChoices):
    """What a team member of another organisation may see of a file; the grant lists them."""

    TEAM = "team", "Team, afspraken en volgend contact"
    FAMILY = "gezin", "Namen en contactgegevens van het gezin"
    SAFETY_PLAN = "veiligheidsplan", "Veiligheidsplan"
    CONTACTS = "contacten", "Contactnotities"


# What every team member sees: who does what. The other parts rest on the ground.
BASE_PARTS = frozenset({FileParts.TEAM})


class IncomingReport(models.Model):
    """A report to Veilig Thuis made in Meldwijzer: a frozen copy of what the reporter handed over
    (`content`, the structure of `cases.report.case_report`), in the inbox of one Veilig Thuis
    organisation, on the reporter's meldrecht (`ground`)."""

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="meldcodedossier",
        help_text="Leeg wanneer het dossier van de melder na zijn bewaartermijn is vernietigd; "
        "de kopie is van Veilig Thuis en heeft haar eigen termijn.",
    )
    client_pseudonym = models.CharField("cliëntpseudoniem van het dossier", max_length=24)
    from_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField("verstuurd op")
    to_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="incoming_reports",
        verbose_name="Veilig Thuis",
    )
    ground = models.ForeignKey(
        "privacy.SharingGround",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="grondslag",
    )
    content = models.JSONField("inhoud van de melding")
    received_at = models.DateTimeField("ontvangst bevestigd op", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.ForeignKey(
        "CoordinationFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="regiedossier",
    )

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "binnengekomen melding"
        verbose_name_plural = "binnengekomen meldingen"

    def __str__(self) -> str:
        return f"Melding {self.pk} van {self.from_organisation}"


class FileState(models.TextChoices):
    OPEN = "open", "Lopend"
    CLOSED = "gesloten", "Afgesloten"


class CoordinationFile(models.Model):
    """The family's coordination file (regiedossier), held by the leading organisation."""

    reference = models.CharField("kenmerk", max_length=20, unique=True)
    title = models.CharField(
        "korte omschrijving",
        max_length=120,
        help_text="Zonder namen, bijvoorbeeld ‘Gezin met twee kinderen, Emmeloord’.",
    )
    lead_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="coordination_files",
        verbose_name="organisatie die de regie heeft",
    )
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="coordinated_files",
        verbose_name="casusregisseur",
    )
    """Exactly one casusregisseur: one column that is never empty. Changed only by an accepted
    hand-over (`services.handover_accept`)."""
    state = models.CharField("stand", max_length=10, choices=FileState.choices, default="open")
    client_pseudonym = models.CharField(
        "cliëntpseudoniem",
        max_length=24,
        unique=True,
        default=client_pseudonym_new,
        editable=False,
    )
    next_contact = models.DateField("volgend contact met het gezin", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("geopend op")
    closed_at = models.DateTimeField("afgesloten op", null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [models.Index(fields=["lead_organisation", "state"])]
        verbose_name = "regiedossier"
        verbose_name_plural = "regiedossiers"

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"


class FamilyRole(models.TextChoices):
    CHILD = "kind", "Kind"
    PARENT = "ouder", "Ouder of verzorger"
    ADULT = "volwassene", "Andere volwassene in het gezin"
    NETWORK = "netwerk", "Iemand uit het netwerk"


class FamilyMember(models.Model):
    """A member of the family or its informal network, as the file knows them."""

    file = models.ForeignKey(CoordinationFile, on_delete=models.PROTECT, related_name="family")
    role = models.CharField("rol", max_length=12, choices=FamilyRole.choices)
    name = models.CharField("naam", max_length=200)
    relation = models.CharField("relatie", max_length=120, blank=True)
    date_of_birth = models.DateField("geboortedatum", null=True, blank=True)
    phone = models.CharField("telefoon", max_length=30, blank=True)
    identity_key = models.CharField(max_length=64, blank=True, db_index=True)
    identity_key_id = models.CharField(max_length=16, blank=True)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["role", "name", "pk"]
        verbose_name = "gezinslid of netwerklid"
        verbose_name_plural = "gezin en netwerk"

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"


class MemberState(models.TextChoices):
    INVITED = "uitgenodigd", "Uitgenodigd"
    ACTIVE = "actief", "Doet mee"
    DECLINED = "afgeslagen", "Uitnodiging afgeslagen"
    LEFT = "vertrokken", "Niet meer betrokken"


class TeamMember(models.Model):
    """A professional in the file's team, for one organisation, with what to expect of them."""

    file = models.ForeignKey(CoordinationFile, on_delete=models.PROTECT, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    role_description = models.CharField(
        "wat u van mij kunt verwachten",
        max_length=500,
        help_text="In gewone woorden, voor het gezin en de andere professionals.",
    )
    phone = models.CharField("telefoon", max_length=30, blank=True)
    state = models.CharField(
        "stand", max_length=12, choices=MemberState.choices, default=MemberState.INVITED
    )
    grant = models.ForeignKey(
        "privacy.AccessGrant",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Wat deze professional van het dossier mag zien (leden van de organisatie "
        "met de regie hebben geen toegang op grond van een deling nodig).",
    )
    ground = models.ForeignKey(
        "privacy.SharingGround",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="grondslag",
        help_text="Voor een professional van een andere organisatie: waarop de deling rust. "
        "Bij een uitnodiging wordt de deling gemaakt als de professional aanneemt.",
    )
    parts = models.JSONField(
        "onderdelen",
        default=list,
        blank=True,
        help_text="Welke onderdelen de grondslag opent (zie FileParts); het team altijd.",
    )
    until = models.DateField("gedeeld tot en met", null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["file", "user"],
                condition=Q(state__in=["uitgenodigd", "actief"]),
                name="team_member_once_per_file",
            )
        ]
        verbose_name = "teamlid"
        verbose_name_plural = "team"

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class HandoverState(models.TextChoices):
    PROPOSED = "voorgesteld", "Wacht op antwoord"
    ACCEPTED = "aanvaard", "Aanvaard"
    DECLINED = "afgeslagen", "Afgeslagen"
    WITHDRAWN = "ingetrokken", "Ingetrokken"


class Handover(models.Model):
    """Handing the regie to someone else — in the same organisation, or to another (Veilig Thuis
    to the wijkteam): proposed by the casusregisseur, in force once the receiver accepts."""

    file = models.ForeignKey(CoordinationFile, on_delete=models.PROTECT, related_name="handovers")
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    from_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    to_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField("toelichting voor wie het overneemt", max_length=2000)
    ground = models.ForeignKey(
        "privacy.SharingGround",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="grondslag",
        help_text="Bij een overdracht aan een andere organisatie: waarop het delen van het "
        "regiedossier met die organisatie rust.",
    )
    state = models.CharField(
        "stand", max_length=12, choices=HandoverState.choices, default=HandoverState.PROPOSED
    )
    proposed_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_note = models.CharField("toelichting bij het antwoord", max_length=500, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["file"],
                condition=Q(state="voorgesteld"),
                name="handover_one_open_per_file",
            )
        ]
        verbose_name = "overdracht van de regie"
        verbose_name_plural = "overdrachten van de regie"

    def __str__(self) -> str:
        return f"{self.file} → {self.to_user}"


class PartyKind(models.TextChoices):
    PROFESSIONAL = "professional", "Professional"
    FAMILY = "gezin", "Gezin"
    NETWORK = "netwerk", "Netwerk"


class AgreementState(models.TextChoices):
    OPEN = "open", "Loopt"
    DONE = "gedaan", "Gedaan"
    NOT_DONE = "niet_gedaan", "Niet gelukt"
    CANCELLED = "vervallen", "Vervallen"


class Agreement(models.Model):
    """Who does what by when: a professional of the team, someone of the family or the network."""

    file = models.ForeignKey(CoordinationFile, on_delete=models.PROTECT, related_name="agreements")
    what = models.CharField("wat", max_length=500)
    party = models.CharField("wie (soort)", max_length=12, choices=PartyKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="professional",
    )
    owner_name = models.CharField(
        "naam (gezin of netwerk)", max_length=200, blank=True, help_text="Bij het gezin of netwerk."
    )
    due_date = models.DateField("uiterlijk op")
    state = models.CharField(
        "stand", max_length=12, choices=AgreementState.choices, default=AgreementState.OPEN
    )
    in_safety_plan = models.BooleanField("hoort bij het veiligheidsplan", default=False)
    conference_item = models.ForeignKey(
        "ConferenceItem",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name="afgesproken in overleg",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["state", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(party="professional", owner__isnull=False)
                | (~Q(party="professional") & ~Q(owner_name="")),
                name="agreement_has_owner",
            )
        ]
        verbose_name = "afspraak"
        verbose_name_plural = "afspraken"

    def __str__(self) -> str:
        return self.what

    def is_overdue(self, today: datetime.date) -> bool:
        return self.state == AgreementState.OPEN and self.due_date < today


class SafetyPlanRevision(AppendOnlyModel):
    """One version of the file's safety plan. The plan is never edited: a change is the next
    number, and (file, number) is unique, so two people saving at once cannot both be number n+1
    — the second gets a conflict, never a silent overwrite.

    `content` holds the plan in the structure of Signs of Safety (see `safety_plan.py`): worries,
    goals with each party's 0–10 score, agreements, network, what to do when it goes wrong."""

    file = models.ForeignKey(
        CoordinationFile, on_delete=models.PROTECT, related_name="safety_plan_revisions"
    )
    number = models.PositiveIntegerField("versie")
    content = models.JSONField()
    review_date = models.DateField("evalueren op")
    change_note = models.CharField("wat is er veranderd", max_length=300, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["file", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="safety_plan_number_unique")
        ]
        verbose_name = "versie van het veiligheidsplan"
        verbose_name_plural = "versies van het veiligheidsplan"

    def __str__(self) -> str:
        return f"Veiligheidsplan {self.file.reference} versie {self.number}"


class PlanKept(models.TextChoices):
    YES = "ja", "Ja, het plan wordt nagekomen"
    PARTLY = "deels", "Deels"
    NO = "nee", "Nee"
    NO_PLAN = "geen_plan", "Er is nog geen veiligheidsplan"


class SafetyAnswer(models.TextChoices):
    SAFE = "veilig", "Veilig genoeg"
    UNSAFE = "onveilig", "Niet veilig"


class ContactNote(AppendOnlyModel):
    """A contact with the family, always with the safety question answered. 'Niet veilig'
    alerts the casusregisseur until they acknowledge it."""

    file = models.ForeignKey(CoordinationFile, on_delete=models.PROTECT, related_name="contacts")
    contact_date = models.DateField("datum van het contact")
    with_whom = models.CharField("met wie", max_length=200)
    summary = models.TextField("wat is er besproken", max_length=5000)
    plan_kept = models.CharField(
        "wordt het veiligheidsplan nagekomen?", max_length=10, choices=PlanKept.choices
    )
    new_worries = models.TextField("nieuwe zorgen", max_length=5000, blank=True)
    safety = models.CharField("is het veilig?", max_length=10, choices=SafetyAnswer.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-contact_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(safety__in=["veilig", "onveilig"])
                & Q(plan_kept__in=["ja", "deels", "nee", "geen_plan"]),
                name="contact_note_answers_safety",
            )
        ]
        verbose_name = "contactnotitie"
        verbose_name_plural = "contactnotities"

    def __str__(self) -> str:
        return f"Contact {self.contact_date:%d-%m-%Y}"


class UnsafeAcknowledgement(AppendOnlyModel):
    """The casusregisseur saw a 'niet veilig' contact note and what they did about it."""

    note = models.OneToOneField(ContactNote, on_delete=models.PROTECT, related_name="acknowledged")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField("wat is er gedaan", max_length=500)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Gezien: {self.note}"


class MatchSignal(models.Model):
    """Two organisations registered the same person (the same identity key, made with the same
    key): each professional is told of the other — name, organisation, contact, whether a
    casusregisseur exists — never of the content. A signal expires two years after it was made."""

    identity_key = models.CharField(max_length=64, db_index=True)
    identity_key_id = models.CharField(max_length=16)
    first_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    first_client_pseudonym = models.CharField(max_length=24)
    second_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    second_organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    second_client_pseudonym = models.CharField(max_length=24)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    first_seen_at = models.DateTimeField(null=True, blank=True)
    second_seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_client_pseudonym", "second_client_pseudonym"],
                name="match_signal_once_per_pair",
            )
        ]
        verbose_name = "signaal van samenloop"
        verbose_name_plural = "signalen van samenloop"

    def __str__(self) -> str:
        return f"Samenloop {self.first_organisation} – {self.second_organisation}"


class ConferenceKind(models.TextChoices):
    INTERVENTION = "interventieoverleg", "Interventieoverleg"
    SIGNALS = "signaaloverleg", "Signaaloverleg (trends, maandelijks)"


class Conference(models.Model):
    """A case conference: an interventieoverleg on files, or the monthly signaaloverleg on
    trends (no files; its figures come from the datalab)."""

    kind = models.CharField("soort", max_length=20, choices=ConferenceKind.choices)
    title = models.CharField("titel", max_length=200)
    starts_at = models.DateTimeField("datum en tijd")
    place = models.CharField("plaats of verbinding", max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="voorzitter",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="organiserende organisatie",
    )
    notes = models.TextField("verslag (zonder namen)", max_length=5000, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = "overleg"
        verbose_name_plural = "overleggen"

    def __str__(self) -> str:
        return self.title


class ConferenceParticipant(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.PROTECT, related_name="participants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "user", "organisation"], name="participant_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class Presentation(models.TextChoices):
    CONSENT = "toestemming", "Met toestemming van het gezin (met namen)"
    PSEUDONYMISED = "gepseudonimiseerd", "Zonder namen (gepseudonimiseerd)"


class ConferenceItem(models.Model):
    """One file on a conference's agenda: presented with the family's consent on record, or
    pseudonymised (no names, exact dates or addresses; ages in bands)."""

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="items")
    file = models.ForeignKey(CoordinationFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField("volgorde")
    question = models.CharField("vraag aan het overleg", max_length=500)
    presentation = models.CharField("presentatie", max_length=20, choices=Presentation.choices)
    ground = models.ForeignKey(
        "privacy.SharingGround",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="De toestemming, bij een presentatie met namen.",
    )
    summary = models.TextField("samenvatting voor het overleg", max_length=5000)
    decisions = models.TextField("besluiten", max_length=5000, blank=True)

    class Meta:
        ordering = ["conference", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(presentation="gepseudonimiseerd") | Q(ground__isnull=False),
                name="conference_item_consent_has_ground",
            )
        ]

    def __str__(self) -> str:
        return f"{self.conference}: punt {self.position}"


class InvolvementConfirmation(AppendOnlyModel):
    """A participant confirmed being involved with the family of a pseudonymised item, and may
    then see who it is (the reveal is access-logged)."""

    item = models.ForeignKey(ConferenceItem, on_delete=models.PROTECT, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    statement = models.CharField("hoe bent u betrokken", max_length=300)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "user"], name="involvement_once_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.user} betrokken bij {self.item}"
