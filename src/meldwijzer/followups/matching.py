"""A new meldcode dossier about a family in follow-up, recognised by the keyed hash.

When someone is recorded in a case with an identity key (`privacy.pseudonyms.identity_key`, the
keyed hash of a BSN, or of name and date of birth), `person_recorded` looks for running plans that
follow a family with that same person in it — in the dossier the plan follows (its current
people) or in the coordination file it follows (its family members) — made with the same key
(the same key id). Each such plan gets one `FollowupSignal` for that case: the plan's professional
then sees that another dossier about the family began, at which organisation and when. Never what
it holds: no title, no names, no signals.

No signal is made for the plan's own dossier, nor for a dossier that began from it (`previous`:
the follow-up itself re-opened the meldcode), nor for a plan that has ended. A new report that
reaches Veilig Thuis about the family comes through the reporting dossier's people, so it is
recognised the same way.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from meldwijzer.cases.models import Case, Person
from meldwijzer.followups import events
from meldwijzer.followups.models import FollowupPlan, FollowupSignal, PlanState, SignalKind


def plans_of_person(*, key: str, key_id: str) -> list[FollowupPlan]:
    """The running plans that follow a family with this person in it (one query)."""
    in_case = Q(
        case__persons__identity_key=key,
        case__persons__identity_key_id=key_id,
        case__persons__replaced_by__isnull=True,
    )
    in_file = Q(file__family__identity_key=key, file__family__identity_key_id=key_id)
    return list(
        FollowupPlan.objects.filter(in_case | in_file, state=PlanState.ACTIVE)
        .select_related("follower_organisation")
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def case_match(*, case: Case, key: str, key_id: str) -> list[FollowupSignal]:
    """Signal every running plan that follows this person's family about `case` (once per plan
    and case). Returns the new signals."""
    if not (key and key_id):
        return []
    made: list[FollowupSignal] = []
    for plan in plans_of_person(key=key, key_id=key_id):
        if plan.case_id is not None and plan.case_id in (case.pk, case.previous_id):
            continue  # the plan's own dossier, or the meldcode it re-opened
        if FollowupSignal.objects.filter(plan=plan, case=case).exists():
            continue
        try:
            with transaction.atomic():
                signal = FollowupSignal.objects.create(
                    plan=plan,
                    kind=SignalKind.NEW_CASE,
                    case=case,
                    organisation_id=case.organisation_id,
                    created_at=timezone.now(),
                )
        except IntegrityError:
            continue  # made at the same moment for another person of the same case
        events.signal_made(plan=plan, signal=signal)
        made.append(signal)
    return made


def person_recorded(person: Person) -> None:
    """Link a newly recorded person's case to the running plans of the same person (the listener
    `cases` calls once the person is saved, registered in `apps.py`)."""
    if not (person.identity_key and person.identity_key_id):
        return
    case = Case.objects.get(pk=person.case_id)
    case_match(case=case, key=person.identity_key, key_id=person.identity_key_id)
