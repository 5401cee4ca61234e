"""Case conferences: the interventieoverleg on families' files, and the monthly signaaloverleg on
trends.

An *interventieoverleg* brings professionals of several organisations together (the
*participants*) under a *chair*, around an agenda of files (*items*). Each item is presented in
one of two ways:

- **with consent**: the family agreed that its situation is discussed in the conference — a
  consent ground of the leading organisation, in force, whose purpose names the conference
  ('overleg'). Participants then see the family's names; each such read is logged with the
  consent as its ground. When the consent is withdrawn or expires, the item falls back to the
  pseudonymised presentation at once.
- **pseudonymised**: participants see the family only as roles and age bands
  (`conference_screening.family_view`), and the question, summary and decisions are screened so
  that they hold no names, exact dates, addresses, BSNs or phone numbers. A participant who is
  involved with the family may confirm that with a statement (`InvolvementConfirmation`); from
  then on they see who it is, and every such read is logged with the client pseudonym.

Who may do what:

- *Plan* a conference: a casusregisseur or an aandachtsfunctionaris; they choose the chair (a
  colleague, themselves by default) and the participants; the organiser's organisation is theirs.
- *See* a conference: its participants, each for the organisation they take part for. Anyone else
  gets 'not found', logged.
- *Put a file on the agenda*: a participant who is that file's casusregisseur — only files the
  organiser leads reach the agenda, never another organisation's.
- *Record decisions*: the chair, or the casusregisseur of the item's file when taking part.
  Agreements made in the conference are created in the file (`agreements.agreement_create` with
  the item), so they need someone who may write in the file.

A *signaaloverleg* has no files: its agenda is a list of topics (kept, one per line, in the
conference's `notes`, screened like any pseudonymised text), and a place for figures from the
datalab (`signal_figures`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch, QuerySet
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.coordination import events
from meldwijzer.coordination import selectors as file_selectors
from meldwijzer.coordination.agreements import agreement_create
from meldwijzer.coordination.conference_screening import (
    PseudonymousMember,
    ScreeningError,
    family_view,
    fields_screen,
)
from meldwijzer.coordination.models import (
    Agreement,
    Conference,
    ConferenceItem,
    ConferenceKind,
    ConferenceParticipant,
    CoordinationFile,
    FamilyMember,
    InvolvementConfirmation,
    PartyKind,
    Presentation,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.coordination.team_selectors import owner_names_for
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Membership, Organisation
from meldwijzer.organisations.roles import ROLE_PERMISSIONS, Permission
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind, SharingGround

__all__ = ["ScreeningError"]

# The word a consent ground's purpose must hold to cover discussing the family in a conference.
CONFERENCE_PURPOSE_WORD = "overleg"
CONFERENCE_PURPOSE = "Bespreken in een interventieoverleg met de betrokken organisaties"

PART_CONFERENCE = "overleg"
PART_PSEUDONYMISED = "gepseudonimiseerd"
PART_IDENTITY = "identiteit"
PART_INVOLVEMENT = "betrokkenheid"
PART_AGENDA = "agenda"
PART_DECISIONS = "besluiten"

CASE_WORK_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Permission.CASE_WORK in perms
)


# --- Rules ----------------------------------------------------------------------------------------


def may_plan(actor: Actor) -> bool:
    """Planning a conference: a casusregisseur or an aandachtsfunctionaris."""
    return actor.can(Permission.CASE_COORDINATE) or actor.can(Permission.CASE_OVERSEE)


@dataclass(frozen=True)
class ConferenceAccess:
    """What one actor holds in one conference: their participation, and so whether they chair."""

    conference: Conference
    participant: ConferenceParticipant | None
    user_id: int

    @property
    def allowed(self) -> bool:
        return self.participant is not None

    @property
    def is_chair(self) -> bool:
        return (
            self.participant is not None
            and self.conference.chair_id == self.user_id
            and self.participant.organisation_id == self.conference.organisation_id
        )

    @property
    def has_agenda(self) -> bool:
        return self.conference.kind == ConferenceKind.INTERVENTION


def conference_access(actor: Actor, conference: Conference) -> ConferenceAccess:
    participant = None
    if actor.can(Permission.CASE_WORK):
        participant = ConferenceParticipant.objects.filter(
            conference=conference, user=actor.user, organisation=actor.organisation
        ).first()
    return ConferenceAccess(conference, participant, actor.user.pk)


def consent_covers(ground: SharingGround | None, file: CoordinationFile) -> bool:
    """Whether `ground` lets `file`'s family be discussed with names: the leading organisation's
    consent for this client, in force, for a purpose that names the conference."""
    return (
        ground is not None
        and ground.kind == GroundKind.CONSENT
        and ground.organisation_id == file.lead_organisation_id
        and ground.client_pseudonym == file.client_pseudonym
        and ground.in_force
        and CONFERENCE_PURPOSE_WORD in ground.purpose.casefold()
    )


def may_decide(actor: Actor, access: ConferenceAccess, item: ConferenceItem) -> bool:
    """The chair, or the casusregisseur of the item's file when taking part."""
    if not access.allowed:
        return False
    return access.is_chair or (
        item.file.coordinator_id == actor.user.pk
        and item.file.lead_organisation_id == actor.organisation.pk
    )


# --- Reading --------------------------------------------------------------------------------------


def _conferences_of(actor: Actor) -> QuerySet[Conference]:
    """Filtered through a subquery, so that counting participants counts them all."""
    taking_part = ConferenceParticipant.objects.filter(
        user=actor.user, organisation=actor.organisation
    ).values("conference_id")
    return Conference.objects.filter(pk__in=taking_part)


def conference_list(*, actor: Actor, upcoming: bool = False) -> list[Conference]:
    """The conferences the actor takes part in, latest first, with the number of items and
    participants: three queries whatever their number (the log row, the chain head, the list)."""
    if not actor.can(Permission.CASE_WORK):
        events.conference_list_refused(actor=actor)
    conferences = _conferences_of(actor)
    if upcoming:
        conferences = conferences.filter(
            starts_at__gte=timezone.now() - datetime.timedelta(hours=12)
        ).order_by("starts_at", "pk")
    rows: list[Conference] = list(
        conferences.select_related("chair", "organisation").annotate(
            item_count=Count("items", distinct=True),
            participant_count=Count("participants", distinct=True),
            organisation_count=Count("participants__organisation", distinct=True),
        )
    )
    events.conference_list_read(actor=actor)
    return rows


def _conference_access(actor: Actor, conference_id: int) -> ConferenceAccess | None:
    conference = (
        Conference.objects.select_related("chair", "organisation").filter(pk=conference_id).first()
    )
    return conference_access(actor, conference) if conference is not None else None


def conference_get(
    *,
    actor: Actor,
    conference_id: int,
    action: Action = Action.READ,
    part: str = PART_CONFERENCE,
) -> ConferenceAccess:
    """A conference the actor takes part in, logged; anything else is 'not found' and logged."""
    access = _conference_access(actor, conference_id)
    if access is None or not access.allowed:
        events.conference_refused(
            actor=actor, conference_id=conference_id, action=action, part=part
        )
    events.conference_event(actor=actor, conference=access.conference, action=action, part=part)
    return access


def conference_organiser_get(
    *, actor: Actor, conference_id: int, action: Action = Action.UPDATE, part: str = PART_AGENDA
) -> ConferenceAccess:
    """A conference whose agenda the actor may add to — a participant who may lead files, of an
    interventieoverleg — logged; else 'not found', logged."""
    access = _conference_access(actor, conference_id)
    if (
        access is None
        or not access.allowed
        or not access.has_agenda
        or not actor.can(Permission.CASE_COORDINATE)
    ):
        events.conference_refused(
            actor=actor, conference_id=conference_id, action=action, part=part
        )
    events.conference_event(actor=actor, conference=access.conference, action=action, part=part)
    return access


def item_get(
    *,
    actor: Actor,
    access: ConferenceAccess,
    item_id: int,
    action: Action = Action.READ,
    part: str = PART_PSEUDONYMISED,
    deciding: bool = False,
) -> ConferenceItem:
    """An item of a conference the actor takes part in (`access`); with `deciding`, only for who
    may record its decisions. Anything else is 'not found', logged with the item's client."""
    item = (
        ConferenceItem.objects.select_related("file", "ground", "conference")
        .filter(pk=item_id)
        .first()
    )
    if item is None or item.conference_id != access.conference.pk or not access.allowed:
        events.item_refused(actor=actor, item_id=item_id, item=item, action=action, part=part)
    if deciding and not may_decide(actor, access, item):
        events.item_refused(actor=actor, item_id=item_id, item=item, action=action, part=part)
    return item


def files_to_put_on(*, actor: Actor) -> list[CoordinationFile]:
    """The open files the actor is casusregisseur of, for the agenda form."""
    if not actor.can(Permission.CASE_COORDINATE):
        return []
    return list(
        CoordinationFile.objects.filter(
            coordinator=actor.user, lead_organisation=actor.organisation, state="open"
        ).order_by("reference")
    )


def conference_grounds(*, file: CoordinationFile) -> list[SharingGround]:
    """The consent grounds in force that cover discussing `file`'s family in a conference."""
    grounds = SharingGround.objects.filter(
        organisation_id=file.lead_organisation_id,
        client_pseudonym=file.client_pseudonym,
        kind=GroundKind.CONSENT,
        purpose__icontains=CONFERENCE_PURPOSE_WORD,
    )
    return [ground for ground in grounds if consent_covers(ground, file)]


@dataclass(frozen=True)
class NamedMember:
    """A family member as an item with consent, or a confirmed participant, sees them."""

    name: str
    role: str
    date_of_birth: datetime.date | None


@dataclass(frozen=True)
class AgreementView:
    what: str
    party: str
    owner: str
    """Who keeps it, by name: only with the identity (empty otherwise)."""
    due_date: datetime.date | None


@dataclass
class ItemView:
    """One item as one participant sees it. Without `identified`, nothing in it names the
    family: not the file's reference or title, not a name, date of birth or phone number."""

    item: ConferenceItem
    identified: bool
    basis: str
    """'toestemming' or 'betrokkenheid' when identified."""
    family: list[PseudonymousMember]
    named: list[NamedMember] = field(default_factory=list)
    reference: str = ""
    title: str = ""
    file_id: int | None = None
    agreements: list[AgreementView] = field(default_factory=list)
    confirmed: bool = False
    confirmers: list[str] = field(default_factory=list)
    may_confirm: bool = False
    may_decide: bool = False


def _agreement_view(agreement: Agreement, identified: bool) -> AgreementView:
    """Without the identity, only what was agreed and the kind of party: the name of a family
    member would identify the family, and so could the teacher's or the doctor's."""
    if not identified:
        return AgreementView(agreement.what, agreement.get_party_display(), "", None)
    if agreement.party == PartyKind.PROFESSIONAL and agreement.owner is not None:
        owner = agreement.owner.get_full_name() or agreement.owner.get_username()
    else:
        owner = agreement.owner_name
    return AgreementView(agreement.what, agreement.get_party_display(), owner, agreement.due_date)


def conference_items(*, actor: Actor, access: ConferenceAccess) -> list[ItemView]:
    """The agenda as the actor sees it, each item read logged with the client pseudonym: with
    the identity on the consent or the actor's confirmed involvement, pseudonymised otherwise.
    Queries do not grow with the number of items (the log rows aside: one per item)."""
    conference = access.conference
    day = timezone.localdate(conference.starts_at)
    items = list(
        ConferenceItem.objects.filter(conference=conference)
        .select_related("file", "ground")
        .prefetch_related(
            Prefetch("file__family", queryset=FamilyMember.objects.order_by("pk")),
            Prefetch(
                "agreements",
                queryset=Agreement.objects.select_related("owner").order_by("due_date", "pk"),
            ),
            Prefetch(
                "confirmations",
                queryset=InvolvementConfirmation.objects.select_related(
                    "user", "organisation"
                ).order_by("pk"),
            ),
        )
    )
    views = []
    for item in items:
        file = item.file
        mine = next((c for c in item.confirmations.all() if c.user_id == actor.user.pk), None)
        consent = item.presentation == Presentation.CONSENT and consent_covers(item.ground, file)
        identified = consent or mine is not None
        ground = (
            f"{GroundKind.CONSENT}:{item.ground_id}"
            if consent
            else f"{PART_INVOLVEMENT}:{mine.pk}"
            if mine is not None
            else ""
        )
        family = list(file.family.all())
        view = ItemView(
            item=item,
            identified=identified,
            basis=("toestemming" if consent else PART_INVOLVEMENT) if identified else "",
            family=family_view(family, day),
            agreements=[_agreement_view(a, identified) for a in item.agreements.all()],
            confirmed=mine is not None,
            # Who confirmed says who is involved (the school, the doctor): with the identity only.
            confirmers=[
                f"{c.user.get_full_name() or c.user.get_username()} ({c.organisation.name})"
                for c in item.confirmations.all()
            ]
            if identified
            else [],
            may_confirm=(
                access.allowed and item.presentation == Presentation.PSEUDONYMISED and mine is None
            ),
            may_decide=may_decide(actor, access, item),
        )
        if identified:
            view.named = [
                NamedMember(m.name, m.get_role_display(), m.date_of_birth) for m in family
            ]
            view.reference, view.title, view.file_id = file.reference, file.title, file.pk
        events.item_event(
            actor=actor,
            item=item,
            action=Action.READ,
            part=PART_IDENTITY if identified else PART_PSEUDONYMISED,
            ground=ground,
        )
        views.append(view)
    return views


def conference_participants(*, conference: Conference) -> list[ConferenceParticipant]:
    return list(
        conference.participants.select_related("user", "organisation").order_by(
            "organisation__name", "user__last_name", "pk"
        )
    )


def signal_topics(conference: Conference) -> list[str]:
    """The topics on a signaaloverleg's agenda, one per line of its notes."""
    return [line.strip() for line in conference.notes.splitlines() if line.strip()]


@dataclass(frozen=True)
class SignalFigure:
    """One figure for the signaaloverleg: a label, a value and its source (datalab)."""

    label: str
    value: str
    source: str


def signal_figures(*, conference: Conference, organisation: Organisation) -> list[SignalFigure]:
    """The figures a signaaloverleg discusses: trends in reports for the organiser's region, from
    the datalab — aggregates with disclosure control only, never a single family.

    The datalab registers itself as the source (`signal_figures_source_register`); without one
    the page shows a marked, empty place for the figures."""
    figures: list[SignalFigure] = []
    for source in _SIGNAL_FIGURE_SOURCES:
        figures.extend(source(conference=conference, organisation=organisation))
    return figures


SignalFigureSource = Callable[..., list[SignalFigure]]
_SIGNAL_FIGURE_SOURCES: list[SignalFigureSource] = []


def signal_figures_source_register(source: SignalFigureSource) -> None:
    """Add a source of figures for the signaaloverleg (the datalab, from its `ready`)."""
    if source not in _SIGNAL_FIGURE_SOURCES:
        _SIGNAL_FIGURE_SOURCES.append(source)


def file_items(*, access: FileAccess) -> list[ConferenceItem]:
    """The conference items about one file, newest conference first, with their agreements (for
    the file's overview; the caller has logged the read of the file). The family's names in them
    only for who sees the family (`team_selectors.owner_names_for`)."""
    items = list(
        ConferenceItem.objects.filter(file=access.file)
        .select_related("conference")
        .prefetch_related(
            Prefetch("agreements", queryset=Agreement.objects.select_related("owner"))
        )
        .order_by("-conference__starts_at", "-pk")
    )
    for item in items:
        owner_names_for(access, list(item.agreements.all()))
    return items


# --- Writing --------------------------------------------------------------------------------------


def professional_by_email(email: str) -> tuple[User, Organisation] | None:
    """The active professional with this e-mail address, for their home organisation when they
    do case work there, else for the first active organisation (by name) where they do."""
    email = email.strip()
    if not email:
        return None
    memberships = list(
        Membership.objects.filter(
            user__email__iexact=email,
            user__is_active=True,
            role__in=CASE_WORK_ROLES,
            is_active=True,
            organisation__is_active=True,
        )
        .select_related("user", "organisation")
        .order_by("organisation__name", "pk")
    )
    if not memberships:
        return None
    user = memberships[0].user
    home = actor_for_user(user=user)
    if home is not None and home.can(Permission.CASE_WORK):
        return user, home.organisation
    return user, memberships[0].organisation


def _required(value: str, message: str, limit: int, label: str) -> str:
    value = value.strip()
    if not value:
        raise CoordinationError(message)
    if len(value) > limit:
        raise CoordinationError(f"Houd {label} korter dan {limit} tekens.")
    return value


PLANNED_BACK = datetime.timedelta(days=365)
PLANNED_AHEAD = datetime.timedelta(days=2 * 365)
"""A conference is recorded at most a year after it was held and planned at most two years
ahead (the pages and the API alike)."""


@transaction.atomic
def conference_create(
    *,
    actor: Actor,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    place: str = "",
    participant_emails: Sequence[str] = (),
    chair_email: str = "",
    topics: str = "",
) -> Conference:
    """Plan a conference of the actor's organisation. The actor and the chair take part; so does
    every professional named by e-mail, for their organisation. A signaaloverleg gets its topics
    (screened: no names, dates, addresses, BSNs or phone numbers)."""
    if not may_plan(actor):
        raise CoordinationError(
            "Alleen een casusregisseur of aandachtsfunctionaris plant een overleg."
        )
    if kind not in ConferenceKind.values:
        raise CoordinationError("Kies de soort overleg: interventieoverleg of signaaloverleg.")
    title = _required(title, "Geef het overleg een titel, zonder namen.", 200, "de titel")
    now = timezone.now()
    if starts_at < now - PLANNED_BACK:
        raise CoordinationError("Deze datum ligt meer dan een jaar terug.")
    if starts_at > now + PLANNED_AHEAD:
        raise CoordinationError("Deze datum ligt meer dan twee jaar vooruit.")
    place = place.strip()
    if len(place) > 200:
        raise CoordinationError("Houd de plaats korter dan 200 tekens.")
    notes = ""
    if kind == ConferenceKind.SIGNALS:
        fields_screen({"topics": topics})
        notes = "\n".join(line.strip() for line in topics.splitlines() if line.strip())
        if len(notes) > 5000:
            raise CoordinationError("Houd de onderwerpen korter dan 5000 tekens.")
    chair = actor.user
    if chair_email.strip():
        found = Membership.objects.filter(
            user__email__iexact=chair_email.strip(),
            user__is_active=True,
            organisation=actor.organisation,
            role__in=CASE_WORK_ROLES,
            is_active=True,
        ).first()
        if found is None:
            raise CoordinationError(
                "De voorzitter moet een collega van uw organisatie zijn. Geen collega gevonden "
                f"met e-mailadres {chair_email.strip()}."
            )
        chair = found.user
    people: list[tuple[User, Organisation]] = [(actor.user, actor.organisation)]
    if chair != actor.user:
        people.append((chair, actor.organisation))
    unknown = []
    for email in participant_emails:
        if not email.strip():
            continue
        found_person = professional_by_email(email)
        if found_person is None:
            unknown.append(email.strip())
        elif found_person not in people:
            people.append(found_person)
    if unknown:
        raise CoordinationError(
            "Geen professional op Meldwijzer gevonden met e-mailadres: " + ", ".join(unknown) + "."
        )
    conference = Conference.objects.create(
        kind=kind,
        title=title,
        starts_at=starts_at,
        place=place,
        chair=chair,
        organisation=actor.organisation,
        notes=notes,
        created_at=timezone.now(),
    )
    ConferenceParticipant.objects.bulk_create(
        ConferenceParticipant(conference=conference, user=user, organisation=organisation)
        for user, organisation in people
    )
    events.conference_event(
        actor=actor, conference=conference, action=Action.CREATE, part=PART_CONFERENCE
    )
    return conference


@transaction.atomic
def conference_item_add(
    *,
    actor: Actor,
    access: ConferenceAccess,
    file_id: int | None,
    question: str,
    summary: str,
    presentation: str,
    ground_id: int | None = None,
    consent_given_by: str = "",
    consent_until: datetime.date | None = None,
) -> ConferenceItem:
    """Put a file the actor leads on the agenda of an interventieoverleg they take part in: with
    the family's consent for the conference on record, or pseudonymised. The consent is a ground
    already recorded (`ground_id`), or recorded now for this purpose (`consent_given_by`, until
    `consent_until`). The question and summary never hold what identifies the family
    (`conference_screening`): with consent the page shows the names itself."""
    conference = access.conference
    if not access.allowed or not access.has_agenda:
        raise CoordinationError("Op de agenda van een signaaloverleg staan geen gezinnen.")
    file = CoordinationFile.objects.filter(pk=file_id).first() if file_id else None
    if file is None or not file_selectors.file_access_for(actor, file).may_lead:
        raise CoordinationError(
            "Kies een regiedossier waarvan u de casusregisseur bent; alleen die kunt u agenderen."
        )
    if conference.items.filter(file=file).exists():
        raise CoordinationError("Dit gezin staat al op de agenda van dit overleg.")
    question = _required(question, "Vul de vraag aan het overleg in.", 500, "de vraag")
    summary = _required(summary, "Vul een korte samenvatting in.", 5000, "de samenvatting")
    if presentation not in Presentation.values:
        raise CoordinationError("Kies: met toestemming van het gezin of zonder namen.")
    fields_screen({"question": question, "summary": summary}, file.family.all())
    ground = None
    if presentation == Presentation.CONSENT and not ground_id and consent_given_by.strip():
        try:
            ground = privacy_services.sharing_ground_record(
                actor=actor,
                client_pseudonym=file.client_pseudonym,
                kind=GroundKind.CONSENT,
                what="Namen en leeftijden van het gezin en de zorgen",
                with_whom=f"De deelnemers aan ‘{conference.title}’"[:300],
                purpose=CONFERENCE_PURPOSE,
                given_by=consent_given_by,
                valid_until=consent_until,
            )
        except privacy_services.SharingError as error:
            raise CoordinationError(str(error)) from error
    elif presentation == Presentation.CONSENT and ground_id:
        ground = SharingGround.objects.filter(pk=ground_id).first()
    if presentation == Presentation.CONSENT and not consent_covers(ground, file):
        raise CoordinationError(
            "Voor een bespreking met namen is toestemming van het gezin nodig die nu geldt en die "
            "over het overleg gaat (het doel noemt het overleg). Kies die toestemming, vul in wie "
            "haar gaf, of bespreek het gezin zonder namen."
        )
    position = (conference.items.aggregate(last=Max("position"))["last"] or 0) + 1
    item = ConferenceItem.objects.create(
        conference=conference,
        file=file,
        position=position,
        question=question,
        presentation=presentation,
        ground=ground,
        summary=summary,
    )
    events.item_event(actor=actor, item=item, action=Action.CREATE, part=PART_AGENDA)
    return item


@transaction.atomic
def involvement_confirm(
    *, actor: Actor, access: ConferenceAccess, item: ConferenceItem, statement: str
) -> InvolvementConfirmation:
    """A participant confirms being involved with the family of a pseudonymised item, saying
    how; from then on they see who it is (each read logged)."""
    if not access.allowed or item.conference_id != access.conference.pk:
        raise CoordinationError("U neemt geen deel aan dit overleg.")
    if item.presentation != Presentation.PSEUDONYMISED:
        raise CoordinationError("Dit gezin wordt al met toestemming en met namen besproken.")
    statement = _required(
        statement,
        "Beschrijf hoe u bij dit gezin betrokken bent.",
        300,
        "de beschrijving",
    )
    try:
        with transaction.atomic():
            confirmation = InvolvementConfirmation.objects.create(
                item=item,
                user=actor.user,
                organisation=actor.organisation,
                statement=statement,
                created_at=timezone.now(),
            )
    except IntegrityError as error:
        raise CoordinationError("U hebt uw betrokkenheid al bevestigd.") from error
    events.item_event(
        actor=actor,
        item=item,
        action=Action.CREATE,
        part=PART_INVOLVEMENT,
        ground=f"{PART_INVOLVEMENT}:{confirmation.pk}",
    )
    return confirmation


@dataclass(frozen=True)
class AgreementData:
    """An agreement made in the conference, to be created in the item's file."""

    what: str
    party: str
    due_date: datetime.date
    owner: User | None = None
    owner_name: str = ""
    in_safety_plan: bool = False


@transaction.atomic
def item_decide(
    *,
    actor: Actor,
    access: ConferenceAccess,
    item: ConferenceItem,
    decisions: str,
    agreements: Sequence[AgreementData] = (),
) -> ConferenceItem:
    """Record what the conference decided about an item, and create the agreements it made in
    the item's file (linked to the item). Decisions and what was agreed are screened like the
    rest of the item; nothing is saved when anything is refused."""
    if not may_decide(actor, access, item):
        raise CoordinationError("Alleen de voorzitter legt de besluiten vast.")
    decisions = decisions.strip()
    if not decisions and not agreements:
        raise CoordinationError("Vul de besluiten in.")
    if len(decisions) > 5000:
        raise CoordinationError("Houd de besluiten korter dan 5000 tekens.")
    family = list(item.file.family.all())
    fields_screen(
        {
            "decisions": decisions,
            **{f"agreement_{n}": a.what for n, a in enumerate(agreements)},
        },
        family,
    )
    if agreements:
        file_access = file_selectors.file_access_for(actor, item.file)
        if not file_access.may_write:
            raise CoordinationError(
                "U zit niet in het team van dit gezin. Laat de casusregisseur de afspraken "
                "vastleggen."
            )
        for agreement in agreements:
            agreement_create(
                actor=actor,
                access=file_access,
                what=agreement.what,
                party=agreement.party,
                due_date=agreement.due_date,
                owner=agreement.owner,
                owner_name=agreement.owner_name,
                in_safety_plan=agreement.in_safety_plan,
                conference_item=item,
            )
    if decisions:
        item.decisions = decisions
        ConferenceItem.objects.filter(pk=item.pk).update(decisions=decisions)
    events.item_event(actor=actor, item=item, action=Action.UPDATE, part=PART_DECISIONS)
    return item
