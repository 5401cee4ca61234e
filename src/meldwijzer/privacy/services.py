"""Recording grounds for sharing and granting access to another organisation's file.

Each function takes the actor, checks what this app can check — the ground is the actor's own
organisation's, consent is still in force, the meldrecht reaches only Veilig Thuis, a grant ends
in time — and writes its row and its access-log row in one transaction. Whether the actor may
share *this* file (is it theirs?) is the owning app's rule: it checks before calling.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import events
from meldwijzer.privacy.models import (
    CONFLICT_CHECKS,
    AccessGrant,
    FileKind,
    GroundKind,
    LegalHold,
    ResourceKind,
    RetentionOverride,
    SharingGround,
)
from meldwijzer.privacy.retention import MAX_YEARS
from meldwijzer.privacy.retention_sources import retention_source
from meldwijzer.privacy.selectors import ground_is_active

# The longest a grant may run, per kind of file.
GRANT_MAX_DAYS: dict[str, int] = {
    ResourceKind.CONSULTATION_SUMMARY: 30,
    # A team works with a family for months; consent for the team is asked again after a year.
    ResourceKind.COORDINATION_FILE: 366,
    # Follow-up runs 18 months by default and may be extended once by half a year.
    ResourceKind.FOLLOWUP_PLAN: 800,
}


class SharingError(Exception):
    """A ground or grant that cannot be recorded; the message is shown to the professional."""


def _required(value: str, label: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise SharingError(f"Vul in: {label}.")
    if len(value) > limit:
        raise SharingError(f"Houd ‘{label}’ korter dan {limit} tekens.")
    return value


@transaction.atomic
def sharing_ground_record(
    *,
    actor: Actor,
    client_pseudonym: str,
    kind: str,
    what: str,
    with_whom: str,
    purpose: str,
    given_by: str = "",
    reasoning: str = "",
    checks: Iterable[str] = (),
    valid_until: datetime.date | None = None,
) -> SharingGround:
    """Record why the actor's organisation may share this client's data, and with whom."""
    if not actor.can(Permission.CASE_WORK):
        raise SharingError("Met uw rol kunt u geen grondslag voor delen vastleggen.")
    if kind not in GroundKind.values:
        raise SharingError("Kies de grondslag: toestemming, conflict van plichten of meldrecht.")
    if not client_pseudonym.strip():
        raise SharingError("Een grondslag hoort bij één cliënt.")
    fields = {
        "what": _required(what, "welke gegevens", 300),
        "with_whom": _required(with_whom, "met wie", 300),
        "purpose": _required(purpose, "met welk doel", 300),
    }
    reasoning = reasoning.strip()
    if len(reasoning) > 5000:
        raise SharingError("Houd de onderbouwing korter dan 5000 tekens.")
    if valid_until is not None and valid_until < timezone.localdate():
        raise SharingError("De einddatum ligt in het verleden.")
    confirmed = sorted(set(checks))
    if kind == GroundKind.CONSENT:
        given_by = _required(given_by, "wie de toestemming gaf", 120)
        confirmed = []
    elif kind == GroundKind.CONFLICT_OF_DUTIES:
        missing = [label for code, label in CONFLICT_CHECKS if code not in confirmed]
        if missing:
            raise SharingError(
                "Bij een conflict van plichten moet u elk punt van de afweging bevestigen. "
                "Nog niet bevestigd: " + "; ".join(missing) + "."
            )
        if not reasoning:
            raise SharingError("Onderbouw waarom u zonder toestemming deelt.")
        given_by = ""
    else:
        given_by, confirmed = "", []
    ground = SharingGround.objects.create(
        client_pseudonym=client_pseudonym,
        organisation=actor.organisation,
        kind=kind,
        given_by=given_by,
        reasoning=reasoning,
        checks=confirmed,
        valid_until=valid_until,
        recorded_by=actor.user,
        recorded_at=timezone.now(),
        **fields,
    )
    events.ground_recorded(actor=actor, ground=ground)
    return ground


@transaction.atomic
def consent_withdraw(*, actor: Actor, ground: SharingGround, note: str = "") -> SharingGround:
    """Record that consent was withdrawn. The ground stays, and every grant resting on it stops
    at once (`selectors.grant_active` reads the ground)."""
    if ground.organisation_id != actor.organisation.pk or not actor.can(Permission.CASE_WORK):
        raise SharingError("Deze toestemming is niet door uw organisatie vastgelegd.")
    if ground.kind != GroundKind.CONSENT:
        raise SharingError("Alleen toestemming kan worden ingetrokken.")
    if len(note.strip()) > 300:
        raise SharingError("Houd de reden korter dan 300 tekens.")
    now = timezone.now()
    changed = SharingGround.objects.filter(pk=ground.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=now, withdrawn_by=actor.user, withdrawal_note=note.strip()
    )
    if not changed:
        raise SharingError("Deze toestemming is al ingetrokken.")
    ground.refresh_from_db()
    events.consent_withdrawn(actor=actor, ground=ground)
    return ground


def grant_end(until: datetime.date) -> datetime.datetime:
    """The moment a grant 'until' a date ends: the end of that day, local time."""
    next_day = until + datetime.timedelta(days=1)
    return datetime.datetime.combine(
        next_day, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )


def grant_until_check(resource_kind: str, until: datetime.date) -> None:
    """Refuse an end date that is not after today, or further away than the kind allows."""
    today = timezone.localdate()
    longest = GRANT_MAX_DAYS[resource_kind]
    if until <= today or until > today + datetime.timedelta(days=longest):
        raise SharingError(f"Kies een einddatum na vandaag en uiterlijk over {longest} dagen.")


@transaction.atomic
def access_grant_create(
    *,
    actor: Actor,
    user: User,
    organisation: Organisation,
    resource_kind: str,
    resource_id: int,
    client_pseudonym: str,
    ground: SharingGround,
    until: datetime.date,
    parts: Iterable[str] = (),
) -> AccessGrant:
    """Give `user`, acting for `organisation`, read access to one file until the end of `until`:
    the whole file, or only the `parts` the ground opens (the owning app names them)."""
    if resource_kind not in GRANT_MAX_DAYS:
        raise SharingError("Dit soort gegeven kan niet worden gedeeld.")
    if organisation.pk == actor.organisation.pk:
        raise SharingError("Binnen uw eigen organisatie is delen niet nodig.")
    if (
        ground.organisation_id != actor.organisation.pk
        or ground.client_pseudonym != client_pseudonym
    ):
        raise SharingError("Deze grondslag hoort niet bij deze cliënt van uw organisatie.")
    if not ground_is_active(ground):
        raise SharingError("Deze grondslag geldt niet meer (ingetrokken of verlopen).")
    if ground.kind == GroundKind.MELDRECHT and organisation.sector != Sector.VEILIG_THUIS:
        raise SharingError(
            "Het meldrecht geldt alleen voor Veilig Thuis. Voor delen met een andere organisatie "
            "is toestemming nodig, of een conflict van plichten."
        )
    grant_until_check(resource_kind, until)
    if ground.valid_until is not None and until > ground.valid_until:
        raise SharingError(
            f"De toestemming geldt tot en met {ground.valid_until:%d-%m-%Y}; kies uiterlijk "
            "die datum."
        )
    now = timezone.now()
    duplicate = AccessGrant.objects.filter(
        user=user,
        organisation=organisation,
        resource_kind=resource_kind,
        resource_id=resource_id,
        revoked_at__isnull=True,
        ends_at__gt=now,
    ).exists()
    if duplicate:
        raise SharingError("Dit is al met deze persoon gedeeld. Trek dat eerst in om te wijzigen.")
    grant = AccessGrant.objects.create(
        user=user,
        organisation=organisation,
        resource_kind=resource_kind,
        resource_id=resource_id,
        client_pseudonym=client_pseudonym,
        ground=ground,
        parts=sorted(set(parts)),
        granted_by=actor.user,
        granted_by_organisation=actor.organisation,
        starts_at=now,
        ends_at=grant_end(until),
    )
    events.access_granted(actor=actor, grant=grant)
    return grant


@transaction.atomic
def access_grant_revoke(*, actor: Actor, grant: AccessGrant) -> AccessGrant:
    """End a grant now. Only the organisation that granted it can."""
    if grant.granted_by_organisation_id != actor.organisation.pk:
        raise SharingError("Deze toegang is niet door uw organisatie gegeven.")
    now = timezone.now()
    changed = AccessGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=actor.user
    )
    if not changed:
        raise SharingError("Deze toegang is al ingetrokken.")
    grant.refresh_from_db()
    events.access_grant_revoked(actor=actor, grant=grant)
    return grant


@transaction.atomic
def retention_override_set(
    *, actor: Actor, file_kind: str, years: int | None, basis: str = ""
) -> RetentionOverride | None:
    """Record the organisation's own retention period for one kind of file, with its legal basis;
    `years=None` returns to the default. The functioneel beheerder decides; logged."""
    if not actor.can(Permission.RETENTION_MANAGE):
        raise SharingError("Met uw rol kunt u geen bewaartermijnen vaststellen.")
    if file_kind not in FileKind.values:
        raise SharingError("Kies een soort dossier uit de bewaartabel.")
    existing = RetentionOverride.objects.filter(
        organisation=actor.organisation, file_kind=file_kind
    )
    if years is None:
        existing.delete()
        override = None
    else:
        if not 1 <= years <= MAX_YEARS:
            raise SharingError(f"Een bewaartermijn is 1 tot {MAX_YEARS} jaar.")
        basis = _required(basis, "de wettelijke grondslag", 300)
        override, _ = RetentionOverride.objects.update_or_create(
            organisation=actor.organisation,
            file_kind=file_kind,
            defaults={
                "years": years,
                "basis": basis,
                "set_by": actor.user,
                "set_at": timezone.now(),
            },
        )
    events.retention_period_set(actor=actor, file_kind=file_kind)
    return override


class HoldError(SharingError):
    """A legal hold that cannot be placed or lifted; the message is shown as it is."""


class HoldOutOfReach(HoldError):
    """The file does not exist or is not the actor's organisation's: refused as 'not found'."""


def _hold_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise HoldError("Geef de reden op, zonder namen (bijvoorbeeld ‘klachtprocedure 2026-14’).")
    if len(reason) > 300:
        raise HoldError("Houd de reden korter dan 300 tekens.")
    return reason


@transaction.atomic
def legal_hold_place(
    *, actor: Actor, resource_kind: str, resource_id: int, reason: str
) -> LegalHold:
    """Keep one of the organisation's files from destruction until the hold is lifted. The file
    is found (and locked, so the retention job waits) through the app that owns it; a file that
    does not exist or is another organisation's is refused as out of reach (the caller logs it)."""
    if not actor.can(Permission.RETENTION_HOLD):
        raise HoldError("Met uw rol kunt u geen bewaarplicht plaatsen.")
    source = retention_source(resource_kind)
    file = source.get(resource_id) if source is not None else None
    if file is None or file.organisation_id != actor.organisation.pk:
        raise HoldOutOfReach("Dit dossier is niet gevonden bij uw organisatie.")
    reason = _hold_reason(reason)
    if LegalHold.objects.filter(
        resource_kind=resource_kind, resource_id=resource_id, lifted_at__isnull=True
    ).exists():
        raise HoldError("Op dit dossier rust al een bewaarplicht.")
    hold = LegalHold.objects.create(
        resource_kind=resource_kind,
        resource_id=resource_id,
        client_pseudonym=file.client_pseudonym,
        reference=file.reference[:20],
        organisation=actor.organisation,
        reason=reason,
        placed_by=actor.user,
        placed_at=timezone.now(),
    )
    events.legal_hold_placed(actor=actor, hold=hold)
    return hold


@transaction.atomic
def legal_hold_lift(*, actor: Actor, hold: LegalHold, reason: str) -> LegalHold:
    """End a hold, with the reason; the hold stays as history. From now on the file's retention
    period applies again."""
    if not actor.can(Permission.RETENTION_HOLD) or hold.organisation_id != actor.organisation.pk:
        raise HoldOutOfReach("Deze bewaarplicht is niet gevonden bij uw organisatie.")
    reason = _hold_reason(reason)
    changed = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor.user, lift_reason=reason
    )
    if not changed:
        raise HoldError("Deze bewaarplicht is al opgeheven.")
    hold.refresh_from_db()
    events.legal_hold_lifted(actor=actor, hold=hold)
    return hold
