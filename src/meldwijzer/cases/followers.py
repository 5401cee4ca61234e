"""Who can follow a family's safety after closing, as a list to choose from.

When a case or coordination file closes with follow-up agreements, one named professional follows
the family: someone who works on cases (a role with case work) in an active organisation on the
platform, their own or another. The choice is one value that names both the person and the
organisation they act for (`<user id>:<organisation id>`), because a person may work for more
than one. Whether that professional may really follow is checked again by the service that
starts the plan; this list only offers sensible choices, in one query.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from meldwijzer.organisations.models import Membership
from meldwijzer.organisations.roles import ROLE_PERMISSIONS, Permission

DEFAULT_MONTHS = 18
"""How long the follow-up lasts unless agreed otherwise (the date suggested in the form)."""

FOLLOWER_HINT = (
    "Bij een gezin met kinderen volgt meestal de jeugdgezondheidszorg (JGZ) de veiligheid; bij "
    "volwassenen meestal het sociaal werk of het wijkteam."
)

CASE_WORK_ROLES = frozenset(
    role for role, perms in ROLE_PERMISSIONS.items() if Permission.CASE_WORK in perms
)


def follower_choices() -> list[tuple[str, str]]:
    """Every active professional with case work in an active organisation, as
    ('<user id>:<organisation id>', 'Naam — Organisatie'), sorted by organisation and name."""
    rows = (
        Membership.objects.filter(
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
            role__in=CASE_WORK_ROLES,
        )
        .values_list(
            "user_id",
            "organisation_id",
            "user__first_name",
            "user__last_name",
            "user__username",
            "organisation__name",
        )
        .order_by("organisation__name", "user__last_name", "user__first_name", "user_id")
    )
    choices: dict[str, str] = {}
    for user_id, organisation_id, first, last, username, organisation in rows:
        name = f"{first} {last}".strip() or username
        choices.setdefault(f"{user_id}:{organisation_id}", f"{name} — {organisation}")
    return list(choices.items())


def follower_parse(value: str) -> tuple[int, int] | None:
    """The user id and organisation id of a chosen value; None when it is not one."""
    user, _, organisation = value.partition(":")
    if not (user.isdigit() and organisation.isdigit()):
        return None
    return int(user), int(organisation)


def default_until(today: datetime.date | None = None) -> datetime.date:
    """The suggested end of the follow-up: 18 months from today."""
    return (today or timezone.localdate()) + relativedelta(months=DEFAULT_MONTHS)
