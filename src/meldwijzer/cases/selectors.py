"""Reading cases, with the access rules applied and every read of a dossier access-logged."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, Action, Subject
from meldwijzer.audit.selectors import client_access_list
from meldwijzer.cases import events, rules
from meldwijzer.cases.frameworks import Walk, framework_for
from meldwijzer.cases.models import REPORT_SUBJECTS, Case, Entry, EntryKind, Person, PhaseChange
from meldwijzer.cases.workflow import OPEN_PHASES, STEP_INFO, Phase
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission


@cache
def target_days() -> dict[str, int]:
    path = Path(__file__).resolve().parent / "deadlines.yaml"
    return {str(k): int(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


def case_due_date(case: Case) -> datetime.date | None:
    """When the current step should be done (or, with help under way, the review date)."""
    if case.workflow.is_help:
        return case.review_date
    days = target_days().get(case.phase)
    if days is None:
        return None
    started = case.reopened_at or case.opened_at
    return timezone.localdate(started) + datetime.timedelta(days=days)


def case_is_overdue(case: Case) -> bool:
    due = case_due_date(case)
    return due is not None and due < timezone.localdate()


def _case_allowed(*, actor: Actor, case_id: int, part: str, action: Action) -> Case:
    """The case if the actor may see it; anything else is 'not found' and logged."""
    case = Case.objects.select_related("organisation", "responsible").filter(pk=case_id).first()
    if case is None or not rules.can_read(actor, case):
        events.case_refused(actor=actor, case_id=case_id, case=case, part=part, action=action)
    return case


def case_get(
    *, actor: Actor, case_id: int, part: str = "dossier", action: Action = Action.READ
) -> Case:
    """One case the actor may see, logged as read; anything else is 'not found' and logged."""
    case = _case_allowed(actor=actor, case_id=case_id, part=part, action=action)
    events.case_part_read(actor=actor, case=case, part=part, action=action)
    return case


ACCESS_HISTORY_PART = "toegangslogboek"


def case_page_get(*, actor: Actor, case_id: int) -> tuple[Case, QuerySet[AccessLogEntry] | None]:
    """The case for its page and, for the responsible professional only, who looked at its
    client's data (`case_access_history`; None for anyone else, and nothing logged about it).

    The page shows both at once, so both reads are logged at once: a row for the dossier and a
    row for the access history, in one transaction. Refused as `case_get` refuses."""
    case = _case_allowed(actor=actor, case_id=case_id, part="dossier", action=Action.READ)
    if not rules.can_see_access_history(actor, case):
        events.case_part_read(actor=actor, case=case, part="dossier")
        return case, None
    events.case_parts_read(actor=actor, case=case, parts=("dossier", ACCESS_HISTORY_PART))
    return case, _access_history_rows(case)


def case_access_history(*, actor: Actor, case: Case) -> QuerySet[AccessLogEntry]:
    """Who looked at this case's client's data — when, for which organisation in which role,
    why, what and which part, allowed or refused — newest first, older rows without a client
    found through the case's id (`audit.selectors.client_access_list`).

    Only the responsible professional may see it (`rules.can_see_access_history`); anyone else
    is refused as 'not found' and the refusal logged. Showing it is itself logged as a read."""
    if not rules.can_see_access_history(actor, case):
        events.case_refused(actor=actor, case_id=case.pk, case=case, part=ACCESS_HISTORY_PART)
    events.case_part_read(actor=actor, case=case, part=ACCESS_HISTORY_PART)
    return _access_history_rows(case)


def _access_history_rows(case: Case) -> QuerySet[AccessLogEntry]:
    return client_access_list(
        client_pseudonym=case.client_pseudonym, case_id=case.pk, since=case.opened_at
    )


def case_access_history_get(*, actor: Actor, case_id: int) -> tuple[Case, QuerySet[AccessLogEntry]]:
    """`case_access_history` for a case asked for by id (its own page, the API): an id that does
    not exist is refused and logged like a case out of reach."""
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        events.case_refused(actor=actor, case_id=case_id, case=None, part=ACCESS_HISTORY_PART)
    return case, case_access_history(actor=actor, case=case)


def _overdue() -> Q:
    """`case_is_overdue` as a filter: past the step's target date (counted in local days from the
    opening or the last re-opening), or with help under way past the review date."""
    today = timezone.localdate()
    overdue = Q(phase=Phase.HELP, review_date__lt=today)
    for phase, days in target_days().items():
        if phase == Phase.HELP:
            continue
        # due = local day started + days < today  ⇔  started before the local day today − days
        cutoff = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days), datetime.time.min)
        )
        overdue |= Q(phase=phase, started_at__lt=cutoff)
    return overdue  # on a queryset annotated with `started_at`


def _case_list_queryset(
    actor: Actor, phase: str, overdue: bool | None, outcome: str, whole_organisation: bool
) -> QuerySet[Case]:
    if whole_organisation:
        if not actor.can(Permission.CASE_OVERSEE):
            events.case_list_refused(actor=actor)
        queryset = Case.objects.filter(organisation=actor.organisation, phase__in=OPEN_PHASES)
    else:
        if not actor.can(Permission.CASE_WORK):
            events.case_list_refused(actor=actor)
        queryset = Case.objects.filter(organisation=actor.organisation, responsible=actor.user)
    if phase:
        queryset = queryset.filter(phase=phase)
    if outcome:
        queryset = queryset.filter(outcome=outcome)
    if overdue is not None:
        queryset = queryset.annotate(started_at=Coalesce("reopened_at", "opened_at")).filter(
            _overdue() if overdue else ~_overdue()
        )
    return (
        queryset.select_related("responsible")
        .annotate(
            consultation_requested=Exists(
                Entry.objects.filter(case=OuterRef("pk"), kind=EntryKind.CONSULTATION_REQUEST)
            )
        )
        .order_by("-updated_at", "-pk")
    )


def case_list_queryset(
    *,
    actor: Actor,
    phase: str = "",
    overdue: bool | None = None,
    outcome: str = "",
    whole_organisation: bool = False,
) -> QuerySet[Case]:
    """'Mijn casussen', or for the aandachtsfunctionaris all open cases of the organisation,
    filtered and sorted in the database. A refusal is logged here; show a part of the list
    through `case_list_shown`, which logs the read."""
    return _case_list_queryset(actor, phase, overdue, outcome, whole_organisation)


def case_list_shown(
    *, actor: Actor, cases: Iterable[Case], whole_organisation: bool = False
) -> list[Case]:
    """The cases a list shows, with their urgency (one query for all), logged as one search."""
    shown = list(cases)
    _with_urgency(shown)
    events.case_list_searched(actor=actor, whole_organisation=whole_organisation)
    return shown


def case_list(
    *,
    actor: Actor,
    phase: str = "",
    overdue: bool | None = None,
    outcome: str = "",
    whole_organisation: bool = False,
) -> list[Case]:
    """Every case of `case_list_queryset`, logged (the start page and the overview; 'Mijn
    casussen' and the API read pages)."""
    queryset = _case_list_queryset(actor, phase, overdue, outcome, whole_organisation)
    return case_list_shown(actor=actor, cases=queryset, whole_organisation=whole_organisation)


CASE_LIST_PAGE_SIZE = 50


def case_list_page(
    *,
    actor: Actor,
    page: str | int | None = None,
    phase: str = "",
    overdue: bool | None = None,
    outcome: str = "",
) -> Page[Case]:
    """One page of 'Mijn casussen' (50 cases), filtered and counted in the database; a page
    number out of range gives the nearest page."""
    queryset = _case_list_queryset(actor, phase, overdue, outcome, False)
    found = Paginator(queryset, CASE_LIST_PAGE_SIZE).get_page(page)
    found.object_list = case_list_shown(actor=actor, cases=found.object_list)
    return found


def current_entries(case: Case) -> QuerySet[Entry]:
    """Entries that have not been corrected by a later entry."""
    return case.entries.filter(corrected_by__isnull=True)


def current_persons(case: Case) -> QuerySet[Person]:
    return case.persons.filter(replaced_by__isnull=True)


_Found = TypeVar("_Found", Person, Entry)


def case_person_get(
    *, actor: Actor, case: Case, person_id: int, part: str, action: Action = Action.READ
) -> Person:
    """A current person of `case`, a case that `case_get` allowed. Any other id — a person of
    another case, an earlier version, none at all — is 'not found', logged as refused naming the
    person asked for and the case it was asked in."""
    person = current_persons(case).filter(pk=person_id).first()
    return _found_in_case(person, actor, case, Subject.PERSON, person_id, part, action)


def case_entry_get(
    *, actor: Actor, case: Case, entry_id: int, part: str, action: Action = Action.READ
) -> Entry:
    """An entry of `case`, a case that `case_get` allowed; any other id is 'not found', logged as
    refused naming the entry asked for and the case it was asked in."""
    entry = case.entries.select_related("author").filter(pk=entry_id).first()
    return _found_in_case(entry, actor, case, Subject.ENTRY, entry_id, part, action)


def _found_in_case(
    found: _Found | None,
    actor: Actor,
    case: Case,
    subject: Subject,
    object_id: int,
    part: str,
    action: Action,
) -> _Found:
    if found is None:
        events.case_object_refused(
            actor=actor, case=case, subject=subject, object_id=object_id, part=part, action=action
        )
    return found


def _entered(changes: list[PhaseChange], **match: str) -> datetime.datetime | None:
    """When the case last made a move matching `match` (source or target), from its changes."""
    found = [
        change
        for change in changes
        if all(getattr(change, name) == value for name, value in match.items())
    ]
    latest = max(found, key=lambda change: (change.created_at, change.pk), default=None)
    return latest.created_at if latest is not None else None


def _weighing_entries(case: Case) -> dict[str, Entry]:
    weighings = current_entries(case).filter(kind=EntryKind.WEIGHING).order_by("created_at", "pk")
    return _weighing_latest(case, list(weighings), list(case.phase_changes.all()))


def _weighing_latest(
    case: Case, weighings: list[Entry], changes: list[PhaseChange]
) -> dict[str, Entry]:
    """The latest answer per afweging in the current round, from the case's current weighing
    entries (oldest first) and its phase changes: answers from before the case was last
    re-opened do not count, and a review question (afweging 5) counts only when it was answered
    after help last started."""
    reopened = _entered(changes, source=Phase.CLOSED)
    if reopened is not None:
        weighings = [entry for entry in weighings if entry.created_at >= reopened]
    framework = framework_for(case.profession)
    reviews = {
        answer.review
        for question in framework.questions.values()
        for answer in question.answers.values()
        if answer.review
    }
    help_started = _entered(changes, target=Phase.HELP) if reviews else None
    latest: dict[str, Entry] = {}
    for entry in weighings:
        question = entry.data["question"]
        if question in reviews and (help_started is None or entry.created_at < help_started):
            continue
        latest[question] = entry
    return latest


def case_weighing_answers(case: Case) -> dict[str, str]:
    """The latest answer ('ja' or 'nee') per afweging in the current round."""
    return {question: entry.data["answer"] for question, entry in _weighing_entries(case).items()}


URGENCY_QUESTION = "afweging_2"
NO_URGENCY = "geen"


def _urgency_entries(cases: list[Case]) -> QuerySet[Entry]:
    """The current entries that say how unsafe a case is: afweging 2 and reports made at once."""
    return (
        Entry.objects.filter(case__in=cases, kind__in=(EntryKind.WEIGHING, EntryKind.DECISION))
        .filter(Q(data__question=URGENCY_QUESTION) | Q(data__fast_path=True))
        .filter(corrected_by__isnull=True)
        .order_by("created_at", "pk")
    )


def _is_urgency_entry(entry: Entry) -> bool:
    """`_urgency_entries` for one current entry already read."""
    return entry.kind in (EntryKind.WEIGHING, EntryKind.DECISION) and (
        entry.data.get("question") == URGENCY_QUESTION or entry.data.get("fast_path") is True
    )


def _urgency(case: Case, entries: list[Entry]) -> frozenset[str]:
    """From a case's urgency entries, oldest first: the last one in the current round counts."""
    started = case.reopened_at
    current = [entry for entry in entries if started is None or entry.created_at >= started]
    if not current:
        return frozenset()
    last = current[-1]
    if last.kind == EntryKind.DECISION:
        return frozenset(last.data["urgency"])
    if last.data["answer"] == "nee":
        return frozenset({NO_URGENCY})
    # Answers recorded before acute and structural were asked apart count as structural.
    return frozenset(last.data.get("kinds") or ["structureel"])


def case_urgency(case: Case) -> frozenset[str]:
    """Acute and/or structural unsafety as the professional weighed it in afweging 2 (or reported
    at once because of acute danger, whichever came last): a subset of {'acuut',
    'structureel'}, {'geen'} when they answered no, empty when not answered yet."""
    return _urgency(case, list(_urgency_entries([case])))


def _with_urgency(cases: list[Case]) -> None:
    """Set `case.urgency` on each case, with one query for all of them."""
    entries: dict[int, list[Entry]] = {}
    for entry in _urgency_entries(cases):
        entries.setdefault(entry.case_id, []).append(entry)
    for case in cases:
        case.urgency = _urgency(case, entries.get(case.pk, []))  # type: ignore[attr-defined]


def case_missing_for_next_step(case: Case) -> list[str]:
    return _missing(case, case_weighing_answers(case))


def case_missing_all_steps(case: Case) -> list[tuple[int, str]]:
    """What steps 1–4 ask that is not in the dossier, each with its step number: the record of
    what was not done when a case is reported at once."""
    answers = _with_child_check(case, case_weighing_answers(case))
    present = set(current_entries(case).values_list("kind", flat=True))
    return [
        (STEP_INFO[phase].number, requirement.text)
        for phase, requirements in rules.REQUIREMENTS.items()
        for requirement in requirements
        if not requirement.met(case, present, answers)
    ]


def _with_child_check(case: Case, answers: dict[str, str]) -> dict[str, str]:
    check = (
        current_entries(case).filter(kind=EntryKind.CHILD_CHECK).order_by("-created_at", "-pk")
    ).first()
    return _answers_with_child_check(answers, check)


def _answers_with_child_check(answers: dict[str, str], check: Entry | None) -> dict[str, str]:
    if check is None:
        return answers
    return {**answers, "child_check": str(check.data.get("has_children", ""))}


def _missing(case: Case, answers: dict[str, str]) -> list[str]:
    present = set(current_entries(case).values_list("kind", flat=True))
    return _missing_given(case, present, _with_child_check(case, answers))


def _missing_given(case: Case, present: set[str], answers: dict[str, str]) -> list[str]:
    return [
        requirement.text
        for requirement in rules.REQUIREMENTS.get(case.phase, [])
        if not requirement.met(case, present, answers)
    ]


@dataclass
class Dossier:
    """Everything on the case page and in the report, read once: the entries, the current
    people and the phase changes, each in one query however many there are; the rest is
    worked out from them."""

    case: Case
    entries: list[Entry]
    corrections: dict[int, Entry]
    persons: list[Person]
    phase_changes: list[PhaseChange]
    weighing_answers: dict[str, str]
    walk: Walk
    missing: list[str]
    due_date: datetime.date | None
    overdue: bool
    identified: bool
    urgency: frozenset[str]
    by_kind: dict[str, list[Entry]] = field(default_factory=dict)


def case_dossier(case: Case) -> Dossier:
    entries = list(
        case.entries.select_related("author", "instrument_result").order_by("created_at", "pk")
    )
    corrections = {entry.corrects_id: entry for entry in entries if entry.corrects_id}
    current = [entry for entry in entries if entry.pk not in corrections]
    by_kind: dict[str, list[Entry]] = {}
    for entry in current:
        by_kind.setdefault(entry.kind, []).append(entry)
    persons = list(current_persons(case))
    changes = list(case.phase_changes.select_related("author"))
    weighing = _weighing_latest(case, by_kind.get(EntryKind.WEIGHING, []), changes)
    answers = {question: entry.data["answer"] for question, entry in weighing.items()}
    checks = by_kind.get(EntryKind.CHILD_CHECK, [])
    with_check = _answers_with_child_check(answers, checks[-1] if checks else None)
    return Dossier(
        case=case,
        entries=entries,
        corrections=corrections,
        persons=persons,
        phase_changes=changes,
        weighing_answers=answers,
        walk=framework_for(case.profession).walk(answers),
        missing=_missing_given(case, set(by_kind), with_check),
        due_date=case_due_date(case),
        overdue=case_is_overdue(case),
        identified=_identified(persons),
        urgency=_urgency(case, [entry for entry in current if _is_urgency_entry(entry)]),
        by_kind=by_kind,
    )


def case_identified(case: Case) -> bool:
    """Whether Veilig Thuis could identify at least one child or client of the case."""
    return _identified(list(current_persons(case)))


def _identified(persons: list[Person]) -> bool:
    return any(person.is_identified for person in persons if person.kind in REPORT_SUBJECTS)


def person_history(case: Case) -> list[Person]:
    """Every version of every person involved, oldest first."""
    return list(case.persons.select_related("author", "replaces").order_by("created_at", "pk"))


def case_veilig_thuis_name(case: Case) -> str:
    """The Veilig Thuis organisation on the platform that works where the case's organisation is
    seated: the usual addressee of its report ('' when there is none)."""
    from meldwijzer.organisations.models import Organisation, Sector

    found = (
        Organisation.objects.filter(
            sector=Sector.VEILIG_THUIS,
            is_active=True,
            works_in=case.organisation.municipality_id,
        )
        .values_list("name", flat=True)
        .first()
    )
    return found or ""
