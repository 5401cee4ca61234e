"""The plan URLs of coordination in the access table (`test_url_access.py`): each URL's rule,
and how to make the objects its URLs name in the table's world.

The table tries one method per URL; the writes that share a URL with a read (a new plan version,
a new contact note) have their own table below, `POST_ACCESS`, tried in `test_plan_api.py`."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from meldwijzer.coordination import contacts, safety_plan, selectors
from meldwijzer.coordination.contacts import ContactData
from tests.coordination.access import FILE_API, FILE_PAGE, LEADER, WORKERS, FileAccess, World
from tests.coordination.builders import actor_of


def plan_content(**changes: Any) -> dict[str, Any]:
    """A complete, valid safety plan."""
    content: dict[str, Any] = {
        "worries": {"happened": "Moeder is geduwd.", "afraid_of": "Dat het weer gebeurt."},
        "goals": [
            {
                "behaviour": "Er wordt niet geslagen of geduwd.",
                "scores": [{"who": "Moeder", "score": 5}, {"who": "Kind", "score": 3}],
            }
        ],
        "child_view": "Ik wil dat het rustig is.",
        "network": [{"name": "Oma", "relation": "oma", "phone": "06 1234 5678", "helps_with": ""}],
        "when_wrong": {
            "what_to_do": "Naar de buren gaan.",
            "call": [{"name": "Casusregisseur", "phone": "0527 700 101", "when": "werkdagen"}],
        },
    }
    content.update(changes)
    return content


def revision_make(world: World) -> int:
    actor = actor_of(world.file.coordinator)
    revision = safety_plan.safety_plan_revise(
        actor=actor,
        access=selectors.file_access_for(actor, world.file),
        content=plan_content(),
        review_date=timezone.localdate() + datetime.timedelta(days=30),
        based_on=0,
    )
    return revision.number


def unsafe_note_make(world: World) -> int:
    actor = actor_of(world.file.coordinator)
    with contacts.alerts_muted():
        note = contacts.contact_note_create(
            actor=actor,
            access=selectors.file_access_for(actor, world.file),
            data=ContactData(
                contact_date=timezone.localdate(),
                with_whom="moeder",
                summary="Huisbezoek.",
                plan_kept="nee",
                safety="onveilig",
            ),
        )
    return note.pk


def _acknowledge(world: World) -> dict[str, Any]:
    return {"action": "Moeder gebeld en een extra huisbezoek gepland."}


URL_ACCESS: dict[str, FileAccess] = {
    "coordination:safety_plan": FILE_PAGE,
    "coordination:safety_plan_edit": FILE_PAGE,
    "coordination:safety_plan_history": FILE_PAGE,
    "coordination:safety_plan_revision": FILE_PAGE,
    "coordination:safety_plan_print": FILE_PAGE,
    "coordination:contacts": FILE_PAGE,
    "coordination:contact_acknowledge": FileAccess(
        LEADER, method="post", ok=302, data=_acknowledge
    ),
    "api:coordination-safety-plan": FILE_API,
    "api:coordination-safety-plan-revisions": FILE_API,
    "api:coordination-safety-plan-revision": FILE_API,
    "api:coordination-contacts": FILE_API,
    "api:coordination-contact-acknowledge": FileAccess(
        LEADER, method="post", anonymous=401, data=_acknowledge
    ),
}

OBJECTS: dict[str, Callable[[World], int]] = {
    "revision_number": revision_make,
    "contact_id": unsafe_note_make,
}


def _revision_body(world: World) -> dict[str, Any]:
    return {
        "based_on": 0,
        "review_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "content": plan_content(),
    }


def _revision_form(world: World) -> dict[str, Any]:
    return {
        "based_on": "0",
        "worries.happened": "Moeder is geduwd.",
        "worries.afraid_of": "Dat het weer gebeurt.",
        "goals.0.behaviour": "Er wordt niet geslagen.",
        "goals.0.scores.0.who": "Moeder",
        "goals.0.scores.0.score": "5",
        "when_wrong.call.0.name": "Casusregisseur",
        "when_wrong.call.0.phone": "0527 700 101",
        "review_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }


def _contact(world: World) -> dict[str, Any]:
    return {
        "contact_date": timezone.localdate().isoformat(),
        "with_whom": "moeder",
        "summary": "Huisbezoek.",
        "plan_kept": "ja",
        "safety": "veilig",
    }


POST_ACCESS: dict[str, FileAccess] = {
    "coordination:safety_plan_edit": FileAccess(
        WORKERS, team=WORKERS, method="post", ok=302, data=_revision_form
    ),
    "coordination:contacts": FileAccess(
        WORKERS, team=WORKERS, method="post", ok=302, data=_contact
    ),
    "api:coordination-safety-plan-revisions": FileAccess(
        WORKERS, team=WORKERS, method="post", ok=201, anonymous=401, data=_revision_body
    ),
    "api:coordination-contacts": FileAccess(
        WORKERS, team=WORKERS, method="post", ok=201, anonymous=401, data=_contact
    ),
}
