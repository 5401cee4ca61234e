"""A professional's private calendar address: their follow-up contacts in their own calendar app.

The address holds a secret (`secrets.token_urlsafe`); only its SHA-256 is stored
(`CalendarFeed.token_hash`), so the full address is shown once, when it is made. A new address
replaces the old one; ending it stops the feed at once. The secret is the credential: the feed
needs no login, and answers 'not found' for an unknown or ended address, and for a professional
who no longer works on cases in that organisation.

The feed (iCalendar, `icalendar`) has one all-day event per open planned contact of the
professional's running plans in that organisation, only of plans they may still read (a grant in
force). An event names the plan's reference and the contact's level and links to the plan page —
no names, no addresses, no content: a calendar is synced to phones and shared with assistants.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.followups import events, selectors, services
from meldwijzer.followups.models import CalendarFeed, PlannedContact
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_for_user


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(token: str) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(
        "followups:calendar_feed", kwargs={"token": token}
    )


def feed_current(*, actor: Actor) -> CalendarFeed | None:
    """The actor's address in force for this organisation, if any."""
    return (
        CalendarFeed.objects.filter(
            user=actor.user, organisation=actor.organisation, revoked_at__isnull=True
        )
        .order_by("-created_at")
        .first()
    )


def _end_all(actor: Actor) -> int:
    return CalendarFeed.objects.filter(
        user=actor.user, organisation=actor.organisation, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@transaction.atomic
def feeds_revoke_for_user(*, user: User, organisation_id: int | None = None) -> int:
    """End the user's calendar addresses (for one organisation, or all): part of every recovery
    action that revokes their API tokens (`accounts.services.credential_revoker_register`)."""
    feeds = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True)
    if organisation_id is not None:
        feeds = feeds.filter(organisation_id=organisation_id)
    return feeds.update(revoked_at=timezone.now())


def calendar_feed_create(*, actor: Actor) -> str:
    """A new private address for the actor in this organisation (an old one stops); returns the
    secret, which is not kept."""
    if not actor.can(Permission.CASE_WORK):
        raise services.FollowupError("Alleen wie met casussen werkt, heeft vervolgcontacten.")
    replaced = _end_all(actor)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(
        user=actor.user,
        organisation=actor.organisation,
        token_hash=token_hash(token),
        created_at=timezone.now(),
    )
    events.calendar_event(
        actor=actor,
        action=Action.UPDATE if replaced else Action.CREATE,
        part="agenda-adres vervangen" if replaced else "agenda-adres gemaakt",
    )
    return token


@transaction.atomic
def calendar_feed_end(*, actor: Actor) -> bool:
    """Stop the actor's address; false when there was none."""
    if not _end_all(actor):
        return False
    events.calendar_event(actor=actor, action=Action.DELETE, part="agenda-adres beëindigd")
    return True


def feed_actor(token: str) -> Actor | None:
    """Whose feed this secret opens: the professional, acting for the organisation it was made
    in, while the address is in force and they still work on cases there."""
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    actor = actor_for_user(user=feed.user, organisation_id=feed.organisation_id)
    if actor is None or actor.organisation.pk != feed.organisation_id:
        return None
    return actor if actor.can(Permission.CASE_WORK) else None


def _event(planned: PlannedContact, *, stamp: datetime.datetime, host: str) -> Event:
    plan = planned.plan
    event = Event()
    event.add("uid", f"vervolgcontact-{planned.pk}@{host}")
    event.add("dtstamp", stamp)
    event.add("dtstart", planned.due_on)  # a date: VALUE=DATE, the same day in every time zone
    event.add("dtend", planned.due_on + datetime.timedelta(days=1))
    event.add("summary", f"Vervolgcontact {plan.reference} ({planned.get_level_display().lower()})")
    link = settings.BASE_URL.rstrip("/") + reverse("followups:plan", kwargs={"plan_id": plan.pk})
    event.add("url", link)
    event.add("description", f"Leg het contact vast in Meldwijzer: {link}")
    event.add("transp", "TRANSPARENT")
    event.add("class", "PRIVATE")
    return event


def feed_build(*, actor: Actor) -> bytes:
    """The iCalendar document of the actor's open planned contacts (see the module's docstring)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Meldwijzer//Nazorg//NL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Meldwijzer: vervolgcontacten")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    host = urlsplit(settings.BASE_URL).hostname or "meldwijzer"
    for planned in selectors.calendar_contacts(actor=actor):
        calendar.add_component(_event(planned, stamp=stamp, host=host))
    return calendar.to_ical()
