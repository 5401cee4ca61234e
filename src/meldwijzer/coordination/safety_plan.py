"""The family's safety plan (veiligheidsplan), in the structure families and Signs of Safety
practice know:

- *zorgen*: what happened, and what we are afraid will happen if nothing changes;
- *veiligheidsdoelen*: what everyone will see when it is safe (observable behaviour), each with a
  0–10 safety scale on which every party gives its score — the child's too;
- *wat de kinderen zeggen*: the child's view in its own words;
- the *afspraken* that keep everyone safe: the file's agreements marked `in_safety_plan`, shown
  with the plan (they have an owner, a date and a state of their own, so they are not copied in);
- the *netwerk*: the people around the family who help, and how;
- *als het misgaat*: what to do, and whom to call, with phone numbers;
- the *evaluatiedatum*: when the team and the family look at the plan again.

The plan is kept as numbered revisions (`SafetyPlanRevision`) that are never changed: a change is
the next number. Whoever edits says which number they started from (`based_on`); when someone else
saved a newer one in between, the change is refused with the other's version (`PlanConflictError`)
— and the unique (file, number) pair refuses it too when two saves race. A review date in the past
is flagged to the casusregisseur and on the file.

`plan_content_clean` is the one validation of the content, for the form and the API alike.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.coordination import events
from meldwijzer.coordination.models import (
    Agreement,
    AgreementState,
    CoordinationFile,
    FileParts,
    FileState,
    MemberState,
    SafetyPlanRevision,
)
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import ConflictError, CoordinationError, file_touch
from meldwijzer.organisations.actor import Actor
from meldwijzer.privacy import selectors as privacy_selectors
from meldwijzer.privacy.models import ResourceKind

LONG_TEXT = 2000
SHORT_TEXT = 200
PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}$")
SCALE = range(0, 11)

# The form shows this many empty rows under what is already there.
EXTRA_GOALS = 1
EXTRA_SCORES = 2
EXTRA_NETWORK = 1
EXTRA_CALLS = 1


class PlanInputError(CoordinationError):
    """The plan as sent is not complete or not valid: nothing was saved. `errors` names each
    field by its path in the content (`goals.0.scores.1.score`), as the form's inputs do."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("Het veiligheidsplan is niet opgeslagen: verbeter de gemarkeerde velden.")
        self.errors = errors


class PlanConflictError(ConflictError):
    """Someone else saved a newer version first; `current` is what they saved."""

    def __init__(self, current: SafetyPlanRevision) -> None:
        super().__init__(
            f"{current.author.get_full_name() or current.author.username} "
            f"({current.organisation}) heeft intussen versie {current.number} opgeslagen. "
            "Uw wijziging is niet opgeslagen: bekijk wat er nu staat en breng uw wijziging "
            "daarin opnieuw aan."
        )
        self.current = current


# --- The content ----------------------------------------------------------------------------------


def _text(
    value: Any, path: str, errors: dict[str, list[str]], *, required: str = "", limit: int
) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.setdefault(path, []).append("Vul hier tekst in.")
        return ""
    value = value.strip()
    if required and not value:
        errors.setdefault(path, []).append(required)
    if len(value) > limit:
        errors.setdefault(path, []).append(f"Houd dit korter dan {limit} tekens.")
    return value


def _rows(value: Any, path: str, errors: dict[str, list[str]]) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        errors.setdefault(path, []).append("Geef hier een lijst.")
        return []
    if len(value) > 50:
        errors.setdefault(path, []).append("Geef hier niet meer dan 50 regels.")
        return []
    return value


def _object(value: Any, path: str, errors: dict[str, list[str]]) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        errors.setdefault(path, []).append("Geef hier een object met velden.")
        return {}
    return value


def _phone(value: Any, path: str, errors: dict[str, list[str]], *, required: str = "") -> str:
    phone = _text(value, path, errors, required=required, limit=30)
    if phone and not PHONE.match(phone):
        errors.setdefault(path, []).append(
            "Vul een telefoonnummer in met alleen cijfers, spaties, streepjes of een +."
        )
    return phone


def _score(value: Any, path: str, errors: dict[str, list[str]]) -> int | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
        errors.setdefault(path, []).append("Geef een score van 0 tot en met 10.")
        return None
    return value


def plan_content_clean(raw: Any) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The plan's content as stored, and the errors per field (empty when it is valid).

    Required: what happened and what we are afraid of; at least one safety goal, each with at
    least one party's score on the 0–10 scale; at least one person to call when it goes wrong,
    with a phone number. Everything else may be empty. Keys outside the structure are dropped."""
    errors: dict[str, list[str]] = {}
    if not isinstance(raw, Mapping):
        return {}, {"content": ["Stuur het veiligheidsplan als object met velden."]}

    worries_raw = _object(raw.get("worries"), "worries", errors)
    worries = {
        "happened": _text(
            worries_raw.get("happened"),
            "worries.happened",
            errors,
            required="Beschrijf wat er is gebeurd.",
            limit=LONG_TEXT,
        ),
        "afraid_of": _text(
            worries_raw.get("afraid_of"),
            "worries.afraid_of",
            errors,
            required="Beschrijf waar we bang voor zijn als er niets verandert.",
            limit=LONG_TEXT,
        ),
    }

    goals = []
    for index, goal_raw in enumerate(_rows(raw.get("goals"), "goals", errors)):
        path = f"goals.{index}"
        goal_raw = _object(goal_raw, path, errors)
        scores = []
        score_rows = _rows(goal_raw.get("scores"), f"{path}.scores", errors)
        for number, score_raw in enumerate(score_rows):
            score_path = f"{path}.scores.{number}"
            score_raw = _object(score_raw, score_path, errors)
            scores.append(
                {
                    "who": _text(
                        score_raw.get("who"),
                        f"{score_path}.who",
                        errors,
                        required="Vul in wie deze score geeft.",
                        limit=SHORT_TEXT,
                    ),
                    "score": _score(score_raw.get("score"), f"{score_path}.score", errors),
                }
            )
        if not scores:
            errors.setdefault(f"{path}.scores", []).append(
                "Geef bij dit doel ten minste één score: hoe veilig is het nu, van 0 tot 10?"
            )
        goals.append(
            {
                "behaviour": _text(
                    goal_raw.get("behaviour"),
                    f"{path}.behaviour",
                    errors,
                    required="Beschrijf wat iedereen ziet als het veilig is.",
                    limit=500,
                ),
                "scores": scores,
            }
        )
    if not goals and "goals" not in errors:
        errors["goals"] = ["Geef ten minste één veiligheidsdoel."]

    network = []
    for index, person_raw in enumerate(_rows(raw.get("network"), "network", errors)):
        path = f"network.{index}"
        person_raw = _object(person_raw, path, errors)
        network.append(
            {
                "name": _text(
                    person_raw.get("name"),
                    f"{path}.name",
                    errors,
                    required="Vul de naam in.",
                    limit=SHORT_TEXT,
                ),
                "relation": _text(
                    person_raw.get("relation"), f"{path}.relation", errors, limit=120
                ),
                "phone": _phone(person_raw.get("phone"), f"{path}.phone", errors),
                "helps_with": _text(
                    person_raw.get("helps_with"), f"{path}.helps_with", errors, limit=500
                ),
            }
        )

    when_wrong_raw = _object(raw.get("when_wrong"), "when_wrong", errors)
    calls = []
    call_rows = _rows(when_wrong_raw.get("call"), "when_wrong.call", errors)
    for index, call_raw in enumerate(call_rows):
        path = f"when_wrong.call.{index}"
        call_raw = _object(call_raw, path, errors)
        calls.append(
            {
                "name": _text(
                    call_raw.get("name"),
                    f"{path}.name",
                    errors,
                    required="Vul in wie u belt.",
                    limit=SHORT_TEXT,
                ),
                "phone": _phone(
                    call_raw.get("phone"), f"{path}.phone", errors, required="Vul het nummer in."
                ),
                "when": _text(call_raw.get("when"), f"{path}.when", errors, limit=300),
            }
        )
    if not calls and "when_wrong.call" not in errors:
        errors["when_wrong.call"] = [
            "Zet ten minste één persoon of instantie in het plan die het gezin kan bellen als "
            "het misgaat, met telefoonnummer."
        ]
    when_wrong = {
        "what_to_do": _text(
            when_wrong_raw.get("what_to_do"), "when_wrong.what_to_do", errors, limit=LONG_TEXT
        ),
        "call": calls,
    }

    content = {
        "worries": worries,
        "goals": goals,
        "child_view": _text(raw.get("child_view"), "child_view", errors, limit=LONG_TEXT),
        "network": network,
        "when_wrong": when_wrong,
    }
    return content, errors


def _blank(row: Mapping[str, Any]) -> bool:
    return all(
        _blank(value) if isinstance(value, Mapping) else not str(value).strip()
        for value in row.values()
    )


def plan_content_from_form(data: Mapping[str, Any]) -> dict[str, Any]:
    """The content from the form's inputs, which are named by their path in the content
    (`worries.happened`, `goals.0.scores.1.who`). Rows left wholly empty are left out."""
    tree: dict[str, Any] = {}
    for name in data:
        parts = name.split(".")
        if parts[0] not in {"worries", "goals", "child_view", "network", "when_wrong"}:
            continue
        if len(parts) > 6 or not all(part.isidentifier() or part.isdigit() for part in parts):
            continue
        node = tree
        for part in parts[:-1]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[parts[-1]] = data.get(name, "")

    def as_rows(value: Any) -> list[Any]:
        if not isinstance(value, dict):
            return []
        keys = sorted((key for key in value if key.isdigit()), key=int)
        rows = [value[key] for key in keys]
        return [row for row in rows if isinstance(row, dict) and not _blank(row)]

    goals = []
    for goal in as_rows(tree.get("goals")):
        goal["scores"] = [score for score in as_rows(goal.get("scores")) if not _blank(score)]
        goals.append(goal)
    found = tree.get("when_wrong")
    when_wrong: dict[str, Any] = found if isinstance(found, dict) else {}
    return {
        "worries": tree.get("worries", {}),
        "goals": goals,
        "child_view": tree.get("child_view", ""),
        "network": as_rows(tree.get("network")),
        "when_wrong": {
            "what_to_do": when_wrong.get("what_to_do", ""),
            "call": as_rows(when_wrong.get("call")),
        },
    }


def plan_content_for_form(content: Mapping[str, Any] | None) -> dict[str, Any]:
    """A plan's content with the empty rows the form offers below what is there."""
    content = dict(content or {})
    goals = [
        {
            "behaviour": goal.get("behaviour", ""),
            "scores": list(goal.get("scores", [])) + [{"who": "", "score": ""}] * EXTRA_SCORES,
        }
        for goal in content.get("goals", [])
    ]
    goals += [
        {"behaviour": "", "scores": [{"who": "", "score": ""}] * (EXTRA_SCORES + 1)}
    ] * EXTRA_GOALS
    empty_person = {"name": "", "relation": "", "phone": "", "helps_with": ""}
    when_wrong = dict(content.get("when_wrong", {}))
    return {
        "worries": content.get("worries", {"happened": "", "afraid_of": ""}),
        "goals": goals,
        "child_view": content.get("child_view", ""),
        "network": list(content.get("network", [])) + [empty_person] * EXTRA_NETWORK,
        "when_wrong": {
            "what_to_do": when_wrong.get("what_to_do", ""),
            "call": list(when_wrong.get("call", []))
            + [{"name": "", "phone": "", "when": ""}] * EXTRA_CALLS,
        },
    }


# --- Reading ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanView:
    """One revision with what is shown beside it: the agreements that keep everyone safe."""

    revision: SafetyPlanRevision
    agreements: list[Agreement]
    is_current: bool
    review_overdue: bool


def _check(access: FileAccess) -> None:
    if not access.sees(FileParts.SAFETY_PLAN):
        raise CoordinationError("U kunt het veiligheidsplan van dit regiedossier niet inzien.")


def plan_revisions(access: FileAccess) -> list[SafetyPlanRevision]:
    """Every revision of the plan, newest first, with author and organisation (one query)."""
    _check(access)
    return list(
        SafetyPlanRevision.objects.filter(file=access.file)
        .select_related("author", "organisation")
        .order_by("-number")
    )


def plan_current(access: FileAccess) -> SafetyPlanRevision | None:
    _check(access)
    return (
        SafetyPlanRevision.objects.filter(file=access.file)
        .select_related("author", "organisation")
        .order_by("-number")
        .first()
    )


def plan_agreements(access: FileAccess) -> list[Agreement]:
    """The file's agreements that belong to the safety plan, still running or done."""
    _check(access)
    return list(
        Agreement.objects.filter(file=access.file, in_safety_plan=True)
        .exclude(state=AgreementState.CANCELLED)
        .select_related("owner")
        .order_by("due_date", "pk")
    )


def review_overdue(revision: SafetyPlanRevision | None, today: datetime.date | None = None) -> bool:
    if revision is None:
        return False
    return revision.file.state == FileState.OPEN and revision.review_date < (
        today or timezone.localdate()
    )


def plan_view(access: FileAccess, number: int | None = None) -> PlanView | None:
    """The current revision (or revision `number`) with the plan's agreements; None when the
    file has no plan yet, or no such revision."""
    current = plan_current(access)
    if current is None:
        return None
    revision = current
    if number is not None and number != current.number:
        found = (
            SafetyPlanRevision.objects.filter(file=access.file, number=number)
            .select_related("author", "organisation")
            .first()
        )
        if found is None:
            return None
        revision = found
    revision.file = access.file
    is_current = revision.pk == current.pk
    return PlanView(
        revision=revision,
        agreements=plan_agreements(access),
        is_current=is_current,
        review_overdue=is_current and review_overdue(revision),
    )


def overdue_reviews(actor: Actor, today: datetime.date | None = None) -> list[CoordinationFile]:
    """Open files whose current plan's review date has passed and whose plan the actor sees: as
    casusregisseur, as a team member of the leading organisation, or as a team member of another
    organisation on a grant in force that opens the plan. Two queries, whatever the number."""
    granted = [
        grant.resource_id
        for grant in privacy_selectors.grants_for_user(
            user=actor.user,
            organisation=actor.organisation,
            resource_kind=ResourceKind.COORDINATION_FILE,
        )
        if not grant.parts or FileParts.SAFETY_PLAN in grant.parts
    ]
    member = Q(
        team__user=actor.user,
        team__organisation=actor.organisation,
        team__state=MemberState.ACTIVE,
    )
    own = Q(lead_organisation=actor.organisation) & (Q(coordinator=actor.user) | member)
    latest = SafetyPlanRevision.objects.filter(file=OuterRef("pk")).order_by("-number")
    return list(
        CoordinationFile.objects.filter(state=FileState.OPEN)
        .filter(own | (Q(pk__in=granted) & member))
        .annotate(review_date=Subquery(latest.values("review_date")[:1]))
        .filter(review_date__lt=today or timezone.localdate())
        .distinct()
        .order_by("review_date", "pk")
    )


# --- Writing ----------------------------------------------------------------------------------------


@transaction.atomic
def safety_plan_revise(
    *,
    actor: Actor,
    access: FileAccess,
    content: Any,
    review_date: datetime.date | None,
    based_on: int,
    change_note: str = "",
) -> SafetyPlanRevision:
    """Save the next version of the plan, started from version `based_on` (0 for the first).
    Refuses invalid content with every error (`PlanInputError`), and a save on an older version
    than the newest with what the other saved (`PlanConflictError`)."""
    if not access.may_write or not access.sees(FileParts.SAFETY_PLAN):
        raise CoordinationError(
            "Alleen het team van een lopend regiedossier legt het veiligheidsplan vast."
        )
    file = access.file
    clean, errors = plan_content_clean(content)
    today = timezone.localdate()
    if review_date is None:
        errors.setdefault("review_date", []).append(
            "Vul in wanneer u het plan samen opnieuw bekijkt."
        )
    elif review_date < today:
        errors.setdefault("review_date", []).append("Kies een evaluatiedatum van vandaag of later.")
    change_note = (change_note or "").strip()
    if len(change_note) > 300:
        errors.setdefault("change_note", []).append("Houd dit korter dan 300 tekens.")
    if errors:
        raise PlanInputError(errors)
    assert review_date is not None
    current = plan_current(access)
    if (current.number if current else 0) != based_on:
        if current is None:
            raise CoordinationError("Deze versie van het veiligheidsplan bestaat niet.")
        raise PlanConflictError(current)
    try:
        with transaction.atomic():
            revision = SafetyPlanRevision.objects.create(
                file=file,
                number=based_on + 1,
                content=clean,
                review_date=review_date,
                change_note=change_note,
                author=actor.user,
                organisation=actor.organisation,
                created_at=timezone.now(),
            )
    except IntegrityError as error:
        # Someone saved the same number between our look and our write.
        newest = plan_current(access)
        assert newest is not None
        raise PlanConflictError(newest) from error
    file_touch(file)
    events.file_event(
        actor=actor, file=file, action=Action.CREATE, part=FileParts.SAFETY_PLAN, access=access
    )
    return revision
