"""Sharing a consultation summary with an aandachtsfunctionaris of another organisation.

A professional who consulted an aandachtsfunctionaris outside their own organisation can let that
person read the summary of the consultation afterwards — that one entry, with the case reference,
the step and the date, nothing else of the dossier — on a recorded ground and for a limited time.
The grant is a record in the privacy app (`privacy.models.AccessGrant`); this module holds the
rules of the case side: only the responsible professional shares, only a current consultation
entry, only with an active aandachtsfunctionaris of another organisation. The grantee reads the
summary through `shared_consultation_get`, which asks `privacy.selectors.grant_active` and logs
the read, or the refusal, with the case's client pseudonym.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action, Subject
from meldwijzer.cases import events
from meldwijzer.cases.display import date_text
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Membership, Organisation
from meldwijzer.organisations.roles import Permission, Role
from meldwijzer.privacy import selectors as privacy_selectors
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import AccessGrant, ResourceKind, SharingGround
from meldwijzer.privacy.services import SharingError

SUMMARY = ResourceKind.CONSULTATION_SUMMARY
PART = "consultatieverslag"

NOT_RESPONSIBLE = "Alleen de verantwoordelijke professional van deze casus kan dit verslag delen."
NOT_RESPONSIBLE_GROUND = (
    "Alleen de verantwoordelijke professional van deze casus legt grondslagen voor delen vast."
)
NO_OFFICER = (
    "Er is geen aandachtsfunctionaris van een andere organisatie met dit e-mailadres. Een "
    "consultatieverslag kan alleen worden gedeeld met een actieve aandachtsfunctionaris van een "
    "andere organisatie."
)


def may_share(actor: Actor, case: Case) -> bool:
    """Only the responsible professional, acting for the case's own organisation, shares."""
    return (
        case.organisation_id == actor.organisation.pk
        and case.responsible_id == actor.user.pk
        and actor.can(Permission.CASE_WORK)
    )


def consultation_entry(case: Case, entry_id: int) -> Entry | None:
    """A current (not corrected) consultation entry of `case`."""
    return case.entries.filter(
        pk=entry_id, kind=EntryKind.CONSULTATION, corrected_by__isnull=True
    ).first()


def officer_elsewhere(email: str, case: Case) -> tuple[User, Organisation] | None:
    """The active aandachtsfunctionaris with this e-mail address in an active organisation other
    than the case's (the first such organisation when there are several)."""
    email = email.strip()
    if not email:
        return None
    membership = (
        Membership.objects.filter(
            user__email__iexact=email,
            user__is_active=True,
            role=Role.MELDCODE_OFFICER,
            is_active=True,
            organisation__is_active=True,
        )
        .exclude(organisation_id=case.organisation_id)
        .select_related("user", "organisation")
        .order_by("organisation__name", "pk")
        .first()
    )
    return (membership.user, membership.organisation) if membership else None


@transaction.atomic
def consultation_share(
    *,
    actor: Actor,
    case: Case,
    entry_id: int,
    email: str,
    until: datetime.date,
    ground_id: int | None = None,
    ground_kind: str = "",
    given_by: str = "",
    reasoning: str = "",
    checks: tuple[str, ...] = (),
    consent_until: datetime.date | None = None,
) -> AccessGrant:
    """Let the aandachtsfunctionaris with `email` read one consultation summary until the end of
    `until`, on an existing ground (`ground_id`) or on a new one recorded here."""
    if not may_share(actor, case):
        raise SharingError(NOT_RESPONSIBLE)
    entry = consultation_entry(case, entry_id)
    if entry is None:
        raise SharingError("Dit is geen actueel consultatieverslag van deze casus.")
    found = officer_elsewhere(email, case)
    if found is None:
        raise SharingError(NO_OFFICER)
    user, organisation = found
    privacy_services.grant_until_check(SUMMARY, until)
    ground: SharingGround | None
    if ground_id is not None:
        ground = (
            privacy_selectors.sharing_grounds(
                organisation=actor.organisation, client_pseudonym=case.client_pseudonym
            )
            .filter(pk=ground_id)
            .first()
        )
        if ground is None:
            raise SharingError("Deze grondslag hoort niet bij deze casus.")
    else:
        name = user.get_full_name() or user.get_username()
        ground = privacy_services.sharing_ground_record(
            actor=actor,
            client_pseudonym=case.client_pseudonym,
            kind=ground_kind,
            what=f"Verslag van de collegiale consultatie ({case.reference})",
            with_whom=f"{name}, aandachtsfunctionaris bij {organisation.name}",
            purpose="Collegiale consultatie over de meldcode",
            given_by=given_by,
            reasoning=reasoning,
            checks=checks,
            valid_until=consent_until,
        )
    return privacy_services.access_grant_create(
        actor=actor,
        user=user,
        organisation=organisation,
        resource_kind=SUMMARY,
        resource_id=entry.pk,
        client_pseudonym=case.client_pseudonym,
        ground=ground,
        until=until,
    )


def case_consultation_get(
    *, actor: Actor, case: Case, entry_id: int, action: Action = Action.READ
) -> Entry:
    """A consultation entry of `case`, a case that `case_get` allowed; any other id — another
    kind of entry, another case's — is 'not found', logged as refused."""
    entry = case.entries.filter(pk=entry_id, kind=EntryKind.CONSULTATION).first()
    if entry is None:
        events.case_object_refused(
            actor=actor,
            case=case,
            subject=Subject.ENTRY,
            object_id=entry_id,
            part="delen",
            action=action,
        )
    return entry


def case_grant_get(*, actor: Actor, case: Case, grant_id: int, action: Action) -> AccessGrant:
    """A grant on one of this case's consultation summaries; any other id is 'not found',
    logged as refused."""
    entry_ids = case.entries.filter(kind=EntryKind.CONSULTATION).values("pk")
    grant = AccessGrant.objects.filter(
        pk=grant_id, resource_kind=SUMMARY, resource_id__in=entry_ids
    ).first()
    if grant is None:
        events.case_object_refused(
            actor=actor,
            case=case,
            subject=Subject.ACCESS_GRANT,
            object_id=grant_id,
            part="delen",
            action=action,
        )
    return grant


def consultation_grant_revoke(*, actor: Actor, case: Case, grant: AccessGrant) -> AccessGrant:
    """End a grant on one of this case's consultation summaries now (`grant` from
    `case_grant_get`)."""
    if not may_share(actor, case):
        raise SharingError(NOT_RESPONSIBLE)
    return privacy_services.access_grant_revoke(actor=actor, grant=grant)


def consultation_grants(*, case: Case, entry: Entry) -> list[AccessGrant]:
    """Every grant on this summary, with its state, for the case page (read through `case_get`)."""
    grants = list(
        privacy_selectors.grants_for_resource(resource_kind=SUMMARY, resource_id=entry.pk)
    )
    for grant in grants:
        grant.state = privacy_selectors.grant_state(grant)  # type: ignore[attr-defined]
    return grants


def shareable_grounds(*, actor: Actor, case: Case) -> list[SharingGround]:
    """The grounds in force the actor's organisation recorded for this case's client."""
    return list(
        privacy_selectors.sharing_grounds(
            organisation=actor.organisation, client_pseudonym=case.client_pseudonym, in_force=True
        )
    )


@dataclass(frozen=True)
class SharedSummary:
    """A consultation summary as the grantee sees it: the entry and the minimum context."""

    grant: AccessGrant
    entry: Entry
    reference: str
    step: str
    date: str
    """The consultation's date as recorded (ISO)."""

    @property
    def date_shown(self) -> str:
        """The date as the reader writes it (dd-mm-jjjj)."""
        return date_text(self.date)


def _summary(grant: AccessGrant, entry: Entry) -> SharedSummary:
    return SharedSummary(
        grant=grant,
        entry=entry,
        reference=entry.case.reference,
        step=Phase(entry.phase).label,
        date=str(entry.data.get("date", "")),
    )


def shared_with_me(*, actor: Actor) -> list[SharedSummary]:
    """The consultation summaries shared with the actor, acting for their organisation, now."""
    if not actor.can(Permission.CASE_OVERSEE):
        return []
    grants = list(
        privacy_selectors.grants_for_user(
            user=actor.user, organisation=actor.organisation, resource_kind=SUMMARY
        )
    )
    entries = Entry.objects.filter(
        pk__in=[grant.resource_id for grant in grants], kind=EntryKind.CONSULTATION
    ).select_related("case")
    by_id = {entry.pk: entry for entry in entries}
    rows = [
        _summary(grant, by_id[grant.resource_id])
        for grant in grants
        if grant.resource_id in by_id
        and by_id[grant.resource_id].case.client_pseudonym == grant.client_pseudonym
    ]
    events.shared_list_searched(actor=actor, part=PART)
    return rows


def shared_consultation_get(*, actor: Actor, entry_id: int) -> SharedSummary:
    """One consultation summary shared with the actor, logged as read with the case's client
    pseudonym; without a grant in force for this person, organisation and entry it is 'not
    found', logged as refused."""
    entry = (
        Entry.objects.select_related("case")
        .filter(pk=entry_id, kind=EntryKind.CONSULTATION)
        .first()
    )
    grant = None
    if entry is not None and actor.can(Permission.CASE_OVERSEE):
        grant = privacy_selectors.grant_active(
            user=actor.user,
            organisation=actor.organisation,
            resource_kind=SUMMARY,
            resource_id=entry.pk,
        )
    if entry is None or grant is None or grant.client_pseudonym != entry.case.client_pseudonym:
        events.shared_entry_refused(actor=actor, entry_id=entry_id, entry=entry, part=PART)
    events.shared_entry_read(actor=actor, entry=entry, part=PART)
    return _summary(grant, entry)


def summary_corrected(entry: Entry) -> bool:
    """Whether the owner has corrected this summary since it was shared."""
    return Entry.objects.filter(corrects=entry).exists()


# --- Grounds for sharing this case's client's data ---------------------------------------------


def case_grounds(*, actor: Actor, case: Case) -> list[SharingGround]:
    """Every ground the case's organisation recorded for this case's client, newest first (for a
    case that `case_get` allowed)."""
    return list(
        privacy_selectors.sharing_grounds(
            organisation=case.organisation, client_pseudonym=case.client_pseudonym
        ).select_related("recorded_by", "withdrawn_by")
    )


def case_ground_get(*, actor: Actor, case: Case, ground_id: int, action: Action) -> SharingGround:
    """A ground of this case's client; any other id is 'not found', logged as refused."""
    ground = (
        privacy_selectors.sharing_grounds(
            organisation=case.organisation, client_pseudonym=case.client_pseudonym
        )
        .filter(pk=ground_id)
        .first()
    )
    if ground is None:
        events.case_object_refused(
            actor=actor,
            case=case,
            subject=Subject.SHARING_GROUND,
            object_id=ground_id,
            part="delen",
            action=action,
        )
    return ground


def case_ground_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    what: str,
    with_whom: str,
    purpose: str,
    given_by: str = "",
    reasoning: str = "",
    checks: tuple[str, ...] = (),
    valid_until: datetime.date | None = None,
) -> SharingGround:
    """Record a ground for sharing this case's client's data (the responsible professional)."""
    if not may_share(actor, case):
        raise SharingError(NOT_RESPONSIBLE_GROUND)
    return privacy_services.sharing_ground_record(
        actor=actor,
        client_pseudonym=case.client_pseudonym,
        kind=kind,
        what=what,
        with_whom=with_whom,
        purpose=purpose,
        given_by=given_by,
        reasoning=reasoning,
        checks=checks,
        valid_until=valid_until,
    )


def case_consent_withdraw(
    *, actor: Actor, case: Case, ground: SharingGround, note: str = ""
) -> SharingGround:
    """Record that the client or parents withdrew consent; every grant on it stops at once."""
    if not may_share(actor, case):
        raise SharingError(NOT_RESPONSIBLE_GROUND)
    return privacy_services.consent_withdraw(actor=actor, ground=ground, note=note)
