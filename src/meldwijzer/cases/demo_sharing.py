"""Demo sharing: consultation summaries shared with the aandachtsfunctionaris of the Sociaal
Wijkteam, in the states a demo needs — in force on consent, in force on a conflict of duties,
revoked, expired, and closed because consent was withdrawn. Built through the services after the
demo cases; loading twice changes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases import sharing
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import CONFLICT_CHECKS, AccessGrant

GRANTEE = "aandacht.wijkteam"
# Whose consultation summaries are shared, and how it stands now.
SHARES = [
    ("docent", "actief"),
    ("huisarts", "conflict_van_plichten"),
    ("docent", "ingetrokken"),
    ("pm.opvang", "verlopen"),
    ("pm.opvang", "toestemming_ingetrokken"),
]


def _summaries(username: str) -> list[Entry]:
    return list(
        Entry.objects.filter(
            case__responsible__username=username,
            kind=EntryKind.CONSULTATION,
            corrected_by__isnull=True,
        )
        .select_related("case")
        .order_by("case__reference", "pk")
    )


def load() -> None:
    grantee = User.objects.get(username=GRANTEE)
    if AccessGrant.objects.filter(user=grantee).exists():
        return
    today = timezone.localdate()
    used: set[int] = set()
    for username, state in SHARES:
        actor = actor_for_user(user=User.objects.get(username=username))
        entry = next((e for e in _summaries(username) if e.pk not in used), None)
        if actor is None or entry is None:  # pragma: no cover - the demo cases provide them
            continue
        used.add(entry.pk)
        conflict = state == "conflict_van_plichten"
        grant = sharing.consultation_share(
            actor=actor,
            case=entry.case,
            entry_id=entry.pk,
            email=grantee.email,
            until=today + datetime.timedelta(days=10 if conflict else 21),
            ground_kind="conflict_van_plichten" if conflict else "toestemming",
            given_by="" if conflict else "moeder (met gezag)",
            checks=tuple(code for code, _ in CONFLICT_CHECKS) if conflict else (),
            reasoning="Moeder is bang voor de reactie van haar partner; toestemming vragen zou "
            "het kind nu in gevaar brengen. Alleen het advies wordt gedeeld."
            if conflict
            else "",
        )
        if state == "ingetrokken":
            privacy_services.access_grant_revoke(actor=actor, grant=grant)
        elif state == "toestemming_ingetrokken":
            privacy_services.consent_withdraw(
                actor=actor, ground=grant.ground, note="Vader belde: geen toestemming meer."
            )
        elif state == "verlopen":
            # A grant that ran its course last month (only the demo moves its dates).
            AccessGrant.objects.filter(pk=grant.pk).update(
                starts_at=timezone.now() - datetime.timedelta(days=40),
                ends_at=timezone.now() - datetime.timedelta(days=12),
            )
