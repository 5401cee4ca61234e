"""Who may change which records of the sociale kaart, and when a record is out of date.

Reading the sociale kaart is open: the public view to everyone, the professional view (contact
persons, referral details) to everyone who is logged in. Changing a provider, its services and
locations is for the functioneel beheerder of the organisation that owns the provider, and for
the platformbeheerder (every provider, including those without an owner).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from meldwijzer.organisations.roles import Permission

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor
    from meldwijzer.social_map.models import Provider


def can_edit(actor: Actor, provider: Provider) -> bool:
    if actor.can(Permission.DIRECTORY_MANAGE):
        return True
    return (
        actor.can(Permission.DIRECTORY_EDIT_OWN)
        and provider.owner_id is not None
        and provider.owner_id == actor.organisation.pk
    )


def stale_days() -> int:
    return int(settings.SOCIAL_MAP_STALE_DAYS)


def stale_before(days: int | None = None) -> datetime.date:
    """Records last verified before this date (or never) are out of date."""
    return timezone.localdate() - datetime.timedelta(days=stale_days() if days is None else days)


def is_stale(verified_on: datetime.date | None) -> bool:
    return verified_on is None or verified_on < stale_before()
