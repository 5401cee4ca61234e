"""The rights demo in Noordoostpolder: on 'Zorgen over leerling groep 5' (the teacher's reported
case about Mila Voorbeeld, 8), her mother Ria gave her own statement about the report, and was
then given a copy of the file as a parent with gezag, after showing her identity card. Built
through the services, so the copy's record, its hashes and the access-log rows are real. A case
that already has a copy is skipped, so loading twice changes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases.models import Case
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.rights.models import CopyGiven, IdentityDocument, Relation
from meldwijzer.rights.services import CopyData, StatementData, copy_give, statement_add

CASE_TITLE = "Zorgen over leerling groep 5"
USERNAME = "docent"

STATEMENT = (
    "Ik ben geschrokken van de melding. Ik begrijp dat de school zich zorgen maakte om de blauwe "
    "plekken van Mila. Ik wil laten vastleggen dat wij thuis hulp hebben gezocht bij het "
    "wijkteam, en dat mijn man en ik afspraken hebben gemaakt over hoe wij omgaan met boosheid."
)


def load() -> None:
    user = User.objects.get(username=USERNAME)
    actor = actor_for_user(user=user)
    if actor is None:  # pragma: no cover - the accounts demo gives the teacher a role
        raise ValueError(f"Demogebruiker {USERNAME} heeft geen rol.")
    case = Case.objects.filter(organisation=actor.organisation, title=CASE_TITLE).first()
    if case is None or CopyGiven.objects.filter(case=case).exists():
        return
    people = case.persons.filter(replaced_by__isnull=True)
    mother = people.get(name="Ria Voorbeeld")
    child = people.get(name="Mila Voorbeeld")
    statement_add(
        actor=actor,
        case=case,
        data=StatementData(
            person_id=mother.pk,
            given_on=max(
                timezone.localdate() - datetime.timedelta(days=2),
                timezone.localdate(case.opened_at),
            ),
            text=STATEMENT,
        ),
    )
    copy_give(
        actor=actor,
        case=case,
        data=CopyData(
            relation=Relation.PARENT,
            recipient_id=mother.pk,
            child_id=child.pk,
            identified=True,
            identity_document=IdentityDocument.ID_CARD,
            reason="Moeder vroeg na de melding om een afschrift van het dossier over Mila.",
        ),
    )
