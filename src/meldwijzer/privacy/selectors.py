"""Reading grants and grounds. The app that owns a file asks `grant_active` in its own selectors;
it logs the read or the refusal, as it knows the client and the part."""

from __future__ import annotations

import dataclasses
import datetime

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Organisation
from meldwijzer.privacy.models import (
    AccessGrant,
    FileKind,
    LegalHold,
    RetentionOverride,
    SharingGround,
)
from meldwijzer.privacy.retention import RetentionPeriod, default_retention


def _ground_in_force(today: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}withdrawn_at__isnull": True}) & (
        Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": today})
    )


def ground_is_active(ground: SharingGround) -> bool:
    """Not withdrawn, and not past its end date."""
    return ground.in_force


def grants_in_force() -> QuerySet[AccessGrant]:
    """Grants that open their file now: started, not ended, not revoked, on a ground in force."""
    now = timezone.now()
    return AccessGrant.objects.filter(
        Q(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)
        & _ground_in_force(timezone.localdate(), "ground__")
    )


def grant_active(
    *, user: User, organisation: Organisation, resource_kind: str, resource_id: int
) -> AccessGrant | None:
    """The grant in force that lets `user`, acting for `organisation`, read this file, if any."""
    return (
        grants_in_force()
        .filter(
            user=user,
            organisation=organisation,
            resource_kind=resource_kind,
            resource_id=resource_id,
        )
        .select_related("ground", "granted_by", "granted_by_organisation")
        .order_by("-ends_at")
        .first()
    )


def grants_for_user(
    *, user: User, organisation: Organisation, resource_kind: str
) -> QuerySet[AccessGrant]:
    """What is shared with `user` acting for `organisation` now, soonest ending first."""
    return (
        grants_in_force()
        .filter(user=user, organisation=organisation, resource_kind=resource_kind)
        .select_related("granted_by", "granted_by_organisation")
        .order_by("ends_at", "pk")
    )


def grants_for_resource(*, resource_kind: str, resource_id: int) -> QuerySet[AccessGrant]:
    """Every grant ever made for one file, in force or not, newest first (for its owner)."""
    return AccessGrant.objects.filter(
        resource_kind=resource_kind, resource_id=resource_id
    ).select_related("user", "organisation", "ground", "granted_by", "revoked_by")


def grant_state(grant: AccessGrant) -> str:
    """'actief', 'ingetrokken', 'verlopen' or 'grondslag vervallen', for showing a grant."""
    if grant.revoked_at is not None:
        return "ingetrokken"
    if grant.ends_at <= timezone.now():
        return "verlopen"
    if not ground_is_active(grant.ground):
        return "grondslag vervallen"
    return "actief"


def sharing_grounds(
    *, organisation: Organisation, client_pseudonym: str, in_force: bool = False
) -> QuerySet[SharingGround]:
    """The grounds one organisation recorded for one client, newest first."""
    grounds = SharingGround.objects.filter(
        organisation=organisation, client_pseudonym=client_pseudonym
    )
    if in_force:
        grounds = grounds.filter(_ground_in_force(timezone.localdate()))
    return grounds


def _applied(
    default: RetentionPeriod, override: RetentionOverride | None, organisation: Organisation
) -> RetentionPeriod:
    if override is None:
        return default
    set_on = timezone.localdate(override.set_at)
    return dataclasses.replace(
        default,
        years=override.years,
        basis=override.basis,
        source=f"Vastgesteld door {organisation.name} op {set_on:%d-%m-%Y}",
        as_of=set_on,
        overridden=True,
    )


def retention_period(*, organisation: Organisation, file_kind: str) -> RetentionPeriod:
    """How long `organisation` keeps this kind of file, and why: its own period when it recorded
    one, else the default of `retention.yaml`. A later purge reads it here."""
    default = default_retention().periods[FileKind(file_kind)]
    override = RetentionOverride.objects.filter(
        organisation=organisation, file_kind=file_kind
    ).first()
    return _applied(default, override, organisation)


def retention_table(*, organisation: Organisation) -> list[RetentionPeriod]:
    """Every kind of file with the period `organisation` keeps it, in one query."""
    overrides = {
        override.file_kind: override
        for override in RetentionOverride.objects.filter(organisation=organisation)
    }
    return [
        _applied(default, overrides.get(kind), organisation)
        for kind, default in default_retention().periods.items()
    ]


def hold_active(*, resource_kind: str, resource_id: int) -> LegalHold | None:
    """The hold that keeps this file now, if any."""
    return LegalHold.objects.filter(
        resource_kind=resource_kind, resource_id=resource_id, lifted_at__isnull=True
    ).first()


def holds_for_file(*, resource_kind: str, resource_id: int) -> QuerySet[LegalHold]:
    """Every hold ever placed on one file, active first, newest first."""
    return (
        LegalHold.objects.filter(resource_kind=resource_kind, resource_id=resource_id)
        .select_related("placed_by", "lifted_by")
        .order_by(F("lifted_at").desc(nulls_first=True), "-placed_at", "-pk")
    )


def holds_for_organisation(*, organisation: Organisation) -> QuerySet[LegalHold]:
    """Every hold on the organisation's files, active first, newest first."""
    return (
        LegalHold.objects.filter(organisation=organisation)
        .select_related("placed_by", "lifted_by")
        .order_by(F("lifted_at").desc(nulls_first=True), "-placed_at", "-pk")
    )
