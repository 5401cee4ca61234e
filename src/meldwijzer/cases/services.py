"""Changes to a case: opening it, recording entries and people, moving through the steps, deciding.

Every function takes the actor, checks that they may change this case, bumps the case's version
(a second person editing the same case at once gets `ConcurrentEditError`), writes its rows and its
access log row in one transaction. Nothing is updated in place: corrections are new entries. Once
a new version is committed, its report PDF is laid out in the background (`report_pdf`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from meldwijzer.cases import events, extensions, rules, workflow
from meldwijzer.cases.entries import InstrumentResultEntry, entry_data_clean
from meldwijzer.cases.frameworks import ANSWERS, framework_for
from meldwijzer.cases.models import (
    Case,
    ClientKind,
    Entry,
    EntryKind,
    Outcome,
    Person,
    PersonKind,
    PhaseChange,
    ReferenceCounter,
)
from meldwijzer.cases.notifications import consultation_request_notify
from meldwijzer.cases.report_pdf import report_pdf_after_commit
from meldwijzer.cases.workflow import ENTRY_PHASES, Phase, Trigger
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.pseudonyms import identity_fields


class CaseError(Exception):
    """A change that is not allowed; the message is shown to the professional."""


class CaseInputError(CaseError):
    """Input that fails its checks; `errors` holds the Dutch message(s) per field. Nothing was
    changed."""

    def __init__(self, errors: dict[str, list[str]], message: str = "") -> None:
        self.errors = errors
        super().__init__(message or "Het formulier bevat fouten.")


CLOSED_MESSAGE = "De casus is afgesloten. Heropen haar om iets vast te leggen."


class ConcurrentEditError(CaseError):
    def __init__(self) -> None:
        super().__init__(
            "Iemand anders heeft deze casus intussen gewijzigd. Uw wijziging is niet opgeslagen; "
            "bekijk de nieuwe stand en voer haar zo nodig opnieuw in."
        )


NOT_IDENTIFIED = (
    "Leg eerst vast over wie de melding gaat: ten minste één kind of cliënt met naam en BSN, "
    "geboortedatum of adres. Kan dat niet, leg dan uit waarom."
)


def bsn_clean(bsn: str) -> str:
    """A BSN as typed ('1234.56.782', '123 456 782') without its dots and spaces."""
    return "".join(ch for ch in bsn if not ch.isspace() and ch != ".")


def bsn_valid(bsn: str) -> bool:
    """The 'elfproef' for Dutch citizen service numbers."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(bsn[:8], range(9, 1, -1), strict=True))
    return (total - int(bsn[8])) % 11 == 0


def _bump(actor: Actor, case: Case, expected_version: int) -> None:
    """Check access and claim the next version of the case, or fail without changing anything."""
    if not rules.can_write(actor, case):
        raise CaseError("U mag deze casus niet wijzigen.")
    now = timezone.now()
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=now
    )
    if not updated:
        raise ConcurrentEditError()
    case.version = expected_version + 1
    case.updated_at = now
    report_pdf_after_commit(case.pk)


def _reference(now: datetime.datetime) -> str:
    """The year's next case number, 'MW-2026-00042': its counter row raised by one and read back
    in the caller's transaction. The update holds the row's lock until commit, so a case opened
    at the same moment waits for it and takes the next number (SQLite: one writer at a time)."""
    counter = ReferenceCounter.objects.filter(year=now.year)
    if not counter.update(last=F("last") + 1):
        with transaction.atomic():  # the year's first case; the row may appear meanwhile
            ReferenceCounter.objects.get_or_create(year=now.year)
        counter.update(last=F("last") + 1)
    number = counter.values_list("last", flat=True).get()
    return f"MW-{now.year}-{number:05d}"


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    title: str,
    profession: str,
    client: str,
    bsn: str = "",
    name: str = "",
    date_of_birth: datetime.date | None = None,
    previous: Case | None = None,
) -> Case:
    """Open a case. With a name, the child or client it is about is recorded as the first person
    involved; BSN or name and date of birth also give the keyed hash for matching later. A case
    that starts from worries in the follow-up of an earlier one names it (`previous`)."""
    if not actor.can(Permission.CASE_WORK):
        raise CaseError("Met uw rol kunt u geen casus openen.")
    if client not in ClientKind.values:
        raise CaseError("Kies over wie uw zorg gaat: een kind of een volwassene.")
    bsn = bsn_clean(bsn)
    if bsn and not bsn_valid(bsn):
        raise CaseError("Dit is geen geldig BSN (9 cijfers, elfproef).")
    now = timezone.now()
    fields = {
        "title": title,
        "organisation": actor.organisation,
        "responsible": actor.user,
        "profession": framework_for(profession).id,
        "client": client,
        "previous": previous,
        **identity_fields(bsn=bsn, name=name, date_of_birth=date_of_birth),
        "phase_entered_at": now,
        "opened_at": now,
        "updated_at": now,
    }
    # Two cases opened at the same moment may pick the same next reference; the database's
    # unique constraint decides, and the loser takes the next number.
    case = Case.objects.create(reference=_reference(now), **fields)
    _transition(actor, case, Phase.SIGNALS, Trigger.OPEN, "Casus geopend", now=now)
    if name.strip():
        person = Person.objects.create(
            case=case,
            kind=PersonKind.CLIENT if client == ClientKind.ADULT else PersonKind.CHILD,
            name=name.strip(),
            bsn=bsn,
            date_of_birth=date_of_birth,
            identity_key=case.identity_key,
            identity_key_id=case.identity_key_id,
            author=actor.user,
            created_at=now,
        )
        extensions.person_recorded(person=person)
    events.case_opened(actor=actor, case=case)
    report_pdf_after_commit(case.pk)
    return case


@transaction.atomic
def case_set_client(*, actor: Actor, case: Case, expected_version: int, client: str) -> None:
    """Say again whom the concern is about; an adult client makes the kindcheck necessary."""
    if client not in ClientKind.values:
        raise CaseError("Kies over wie uw zorg gaat: een kind of een volwassene.")
    if not case.workflow.may_record:
        raise CaseError(CLOSED_MESSAGE)
    _bump(actor, case, expected_version)
    case.client = client
    case.save(update_fields=["client"])
    events.case_client_set(actor=actor, case=case)


@transaction.atomic
def case_record_entry(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    kind: str,
    data: Mapping[str, Any],
    corrects: Entry | None = None,
) -> Entry:
    """Add an entry (signal, counter-signal, consultation, …), or a correction of one. `data`
    holds the plain values of the entry's fields (`cases.entries`); they are checked here, and
    wrong values are refused with a message per field (`CaseInputError`)."""
    values, errors = entry_data_clean(kind, data, actor=actor)
    if errors:
        raise CaseInputError(errors)
    if corrects is not None:
        if corrects.case_id != case.pk or corrects.kind != kind:
            raise CaseError("Een correctie hoort bij een regel van dezelfde soort in deze casus.")
        if Entry.objects.filter(corrects=corrects).exists():
            raise CaseError("Deze regel is al gecorrigeerd; corrigeer de nieuwste versie.")
    if not case.workflow.may_record:
        raise CaseError(CLOSED_MESSAGE)
    phases = ENTRY_PHASES.get(kind)
    if phases is not None and case.phase not in phases:
        raise CaseError(f"{EntryKind(kind).label} legt u vast nadat u hebt besloten te melden.")
    if (
        kind == EntryKind.REPORT_FEEDBACK
        and not case.entries.filter(kind=EntryKind.REPORT).exists()
    ):
        raise CaseError("Leg eerst de melding zelf vast: wanneer, hoe en bij wie u meldde.")
    _bump(actor, case, expected_version)
    entry = Entry.objects.create(
        case=case,
        kind=kind,
        phase=case.phase,
        data=values,
        corrects=corrects,
        author=actor.user,
        organisation=actor.organisation,
        created_at=timezone.now(),
    )
    events.entry_recorded(actor=actor, case=case, entry=entry)
    if entry.kind == EntryKind.CONSULTATION_REQUEST and corrects is None:
        consultation_request_notify(case=case, asked_by_id=actor.user.pk)
    return entry


@transaction.atomic
def case_report_feedback_receive(*, actor: Actor, case: Case, data: Mapping[str, Any]) -> Entry:
    """Veilig Thuis' feedback on a report, recorded in the reporter's dossier by Veilig Thuis
    itself: the fields of a 'terugkoppeling' entry as plain values. Only the Veilig Thuis the case
    was reported to (its name in a report entry) may, and only while the case is reported; the
    dossier stays closed to Veilig Thuis otherwise. The caller checks that the actor holds the
    report in its inbox."""
    if not actor.can(Permission.CASE_WORK) or actor.organisation.sector != Sector.VEILIG_THUIS:
        raise CaseError("Alleen Veilig Thuis geeft een terugkoppeling op een melding.")
    reported_here = any(
        entry.data.get("veilig_thuis") == actor.organisation.name
        for entry in case.entries.filter(kind=EntryKind.REPORT)
    )
    if not reported_here:
        raise CaseError("Deze melding is niet bij uw organisatie gedaan.")
    values, errors = entry_data_clean(EntryKind.REPORT_FEEDBACK, data)
    if errors:
        raise CaseInputError(errors)
    if case.phase not in ENTRY_PHASES[EntryKind.REPORT_FEEDBACK]:
        raise CaseError(
            "De melder heeft de casus afgesloten; een terugkoppeling kan er niet meer bij."
        )
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(version=F("version") + 1, updated_at=now)
    report_pdf_after_commit(case.pk)
    entry = Entry.objects.create(
        case=case,
        kind=EntryKind.REPORT_FEEDBACK,
        phase=case.phase,
        data=values,
        author=actor.user,
        organisation=actor.organisation,
        created_at=now,
    )
    events.report_feedback_received(actor=actor, case=case)
    return entry


@transaction.atomic
def case_record_instrument_result(
    *, actor: Actor, case: Case, expected_version: int, result: InstrumentResultEntry
) -> Entry:
    """The dossier entry for a finished screening or risk instrument: the instrument, its version
    and its outcome as codes, which is all the case page and the report read. The instruments app
    keeps the answers and calls this in the same transaction (`instrument_result_record`)."""
    if not case.workflow.may_record:
        raise CaseError(CLOSED_MESSAGE)
    _bump(actor, case, expected_version)
    entry = Entry.objects.create(
        case=case,
        kind=EntryKind.INSTRUMENT_RESULT,
        phase=case.phase,
        data=result.entry_data(),
        author=actor.user,
        organisation=actor.organisation,
        created_at=timezone.now(),
    )
    events.instrument_result_recorded(actor=actor, case=case)
    return entry


@transaction.atomic
def case_record_person(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    replaces: Person | None = None,
    **fields: Any,
) -> Person:
    """Add someone involved, or a new version of them (the old one stays in the history)."""
    if replaces is not None and (replaces.case_id != case.pk or hasattr(replaces, "replaced_by")):
        raise CaseError("Alleen de nieuwste versie van een betrokkene kan worden aangepast.")
    if not case.workflow.may_record:
        raise CaseError(CLOSED_MESSAGE)
    bsn = fields["bsn"] = bsn_clean(str(fields.get("bsn") or ""))
    if bsn and not bsn_valid(bsn):
        raise CaseError("Dit is geen geldig BSN (9 cijfers, elfproef).")
    _bump(actor, case, expected_version)
    person = Person.objects.create(
        case=case,
        replaces=replaces,
        **identity_fields(
            bsn=bsn, name=str(fields.get("name", "")), date_of_birth=fields.get("date_of_birth")
        ),
        author=actor.user,
        created_at=timezone.now(),
        **fields,
    )
    events.person_recorded(actor=actor, case=case, replaces=replaces is not None)
    extensions.person_recorded(person=person)
    return person


@transaction.atomic
def case_record_weighing(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    question: str,
    answer: str,
    reasoning: str,
    kinds: list[str] | tuple[str, ...] = (),
) -> Entry:
    """Answer one question of the afwegingskader, with the reasoning behind it. Where the question
    has kinds (afweging 2: acute and/or structural unsafety), a 'ja' names at least one."""
    framework = framework_for(case.profession)
    if question not in framework.questions or answer not in ANSWERS:
        raise CaseError("Onbekende afweging of antwoord.")
    if not reasoning.strip():
        raise CaseError("Licht uw antwoord toe.")
    asked = framework.questions[question]
    chosen = [kind for kind in asked.kinds if kind in set(kinds)]
    if set(kinds) - set(asked.kinds):
        raise CaseError("Onbekende soort bij deze afweging.")
    if asked.kinds and answer == "ja" and not chosen:
        labels = " en/of ".join(kind.label.lower() for kind in asked.kinds.values())
        raise CaseError(f"Geef aan of het gaat om {labels}.")
    if answer == "nee" and chosen:
        raise CaseError("Bij ‘nee’ kiest u geen soort.")
    if not workflow.may_answer(case.phase, framework.questions[question].phase):
        raise CaseError("Deze afweging beantwoordt u niet in de huidige stap.")
    _bump(actor, case, expected_version)
    entry = Entry.objects.create(
        case=case,
        kind=EntryKind.WEIGHING,
        phase=case.phase,
        data={
            "question": question,
            "answer": answer,
            **({"kinds": chosen} if asked.kinds else {}),
            "reasoning": reasoning.strip(),
            "framework": framework.id,
            "framework_version": framework.version,
        },
        author=actor.user,
        organisation=actor.organisation,
        created_at=timezone.now(),
    )
    events.weighing_recorded(actor=actor, case=case)
    return entry


def _transition_check(case: Case, target: str, trigger: str, reason: str) -> None:
    """Refuse a move that `workflow.TRANSITIONS` does not have for this trigger, or that lacks the
    reason the trigger needs; changes nothing."""
    source = workflow.NEW if trigger == Trigger.OPEN else case.phase
    if not workflow.allows(source, trigger, target):
        raise CaseError(workflow.REFUSED[trigger])
    if trigger in workflow.NEEDS_REASON and not reason.strip():
        raise CaseError(workflow.NEEDS_REASON[trigger])


def _transition(
    actor: Actor,
    case: Case,
    target: str,
    trigger: str,
    reason: str,
    *,
    now: datetime.datetime | None = None,
) -> None:
    """Move the case to `target` because of `trigger`, recorded as a `PhaseChange`: the only code
    that changes a case's phase. The callers check first (`_transition_check`) so that a refused
    move changes nothing; this checks again against the table before it writes."""
    _transition_check(case, target, trigger, reason)
    if trigger == Trigger.OPEN and PhaseChange.objects.filter(case=case).exists():
        raise CaseError(workflow.REFUSED[trigger])
    now = now or timezone.now()
    PhaseChange.objects.create(
        case=case,
        source=workflow.NEW if trigger == Trigger.OPEN else case.phase,
        target=target,
        reason=reason.strip(),
        author=actor.user,
        created_at=now,
    )
    if trigger == Trigger.REOPEN:
        case.reopened_at = now  # a new round of the meldcode: its target times start again
    case.phase = target
    case.phase_entered_at = now
    case.closed_at = now if target == Phase.CLOSED else None
    case.save(update_fields=["phase", "phase_entered_at", "closed_at", "reopened_at"])


@transaction.atomic
def case_move(
    *, actor: Actor, case: Case, expected_version: int, target: str, reason: str = ""
) -> None:
    """Move the case to another step. Going back needs a reason; going on needs what the step asks."""
    from meldwijzer.cases.selectors import case_missing_for_next_step

    trigger = workflow.move_trigger(case.phase, target)
    closes = target == Phase.CLOSED and trigger == Trigger.FORWARD
    if closes and any(
        workflow.allows(case.phase, t, target) for t in (Trigger.DECIDE, Trigger.CLOSE)
    ):
        raise CaseError("Afsluiten gaat via een besluit in stap 5.")
    _transition_check(case, target, trigger, reason)
    if trigger == Trigger.FORWARD:
        missing = case_missing_for_next_step(case)
        if missing:
            raise CaseError("Nog niet compleet: " + "; ".join(missing) + ".")
    _bump(actor, case, expected_version)
    _transition(actor, case, target, trigger, reason)
    events.case_moved(actor=actor, case=case)


@transaction.atomic
def case_decide(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    outcome: Outcome,
    justification: str = "",
    agreements: str = "",
    review_date: datetime.date | None = None,
    unidentified_reason: str = "",
    followup: extensions.FollowupAgreement | None = None,
) -> Entry:
    """Record the professional's decision. The kader's indication is shown, never imposed: a
    different decision needs a written justification. Reporting needs someone Veilig Thuis can
    identify, or the reason why that is impossible. After afweging 5 = ja the case closes only
    with agreements on following the family's safety (`followup`), which start a follow-up plan
    in the same transaction; without them it does not close at all."""
    from meldwijzer.cases.selectors import case_weighing_answers

    target = workflow.DECISION_TARGETS[outcome]
    _transition_check(case, target, Trigger.DECIDE, "")
    walk = framework_for(case.profession).walk(case_weighing_answers(case))
    if walk.outcome is None:
        raise CaseError("Beantwoord eerst de afwegingen van het afwegingskader.")
    if case.workflow.is_help and walk.review_question is not None:
        raise CaseError(
            f"Beantwoord eerst de evaluatievraag ({walk.review_question.id}) van het "
            "afwegingskader."
        )
    indicated = walk.outcome
    follows = outcome in workflow.DECISION_FOLLOWS[indicated]
    if not follows and not justification.strip():
        raise CaseError(
            "Uw besluit wijkt af van wat het afwegingskader aangeeft. Licht toe waarom."
        )
    if outcome == Outcome.HELP:
        if review_date is None or review_date <= timezone.localdate():
            raise CaseError("Kies een evaluatiedatum in de toekomst voor afweging 5.")
        if not agreements.strip():
            raise CaseError("Leg de afspraken over de hulp vast.")
    if outcome == Outcome.CLOSE and indicated in workflow.FOLLOWUP_REQUIRED:
        raise CaseError(
            "Na afweging 5 sluit u af met afspraken over het volgen van de veiligheid: wie "
            "volgt het gezin, hoe en tot wanneer. Kies dat besluit."
        )
    if outcome == Outcome.CLOSE_FOLLOWUP:
        followup_check(followup)
    reports = outcome in (Outcome.REPORT, Outcome.REPORT_AND_HELP)
    if reports:
        _require_identified(case, unidentified_reason)
    _bump(actor, case, expected_version)
    entry = Entry.objects.create(
        case=case,
        kind=EntryKind.DECISION,
        phase=case.phase,
        data={
            "outcome": str(outcome),
            "indicated": indicated,
            "follows_framework": follows,
            "justification": justification.strip(),
            "agreements": (agreements or (followup.how if followup else "")).strip(),
            "review_date": review_date.isoformat() if review_date else None,
            "unidentified_reason": unidentified_reason.strip() if reports else "",
        },
        author=actor.user,
        organisation=actor.organisation,
        created_at=timezone.now(),
    )
    case.outcome = outcome
    case.review_date = review_date if outcome == Outcome.HELP else None
    case.save(update_fields=["outcome", "review_date"])
    _transition(actor, case, target, Trigger.DECIDE, f"Besluit: {outcome.label}")
    events.case_decided(actor=actor, case=case)
    if outcome == Outcome.CLOSE_FOLLOWUP and followup is not None:
        source = extensions.FollowupSource(
            kind="casus", id=case.pk, client_pseudonym=case.client_pseudonym
        )
        extensions.followup_start(actor=actor, source=source, agreement=followup)
    return entry


def followup_check(followup: extensions.FollowupAgreement | None) -> None:
    """Refuse closing with follow-up without its three agreements: who follows (a named
    professional), how, and until when (a date after today). Changes nothing."""
    errors: dict[str, list[str]] = {}
    if followup is None or followup.follower_id is None or followup.organisation_id is None:
        errors["follower"] = ["Kies de professional die de veiligheid van het gezin volgt."]
    if followup is None or not followup.how.strip():
        errors["how"] = ["Beschrijf hoe de veiligheid wordt gevolgd en wat het gezin afspreekt."]
    if followup is None or followup.until is None or followup.until <= timezone.localdate():
        errors["until"] = ["Kies tot wanneer de veiligheid wordt gevolgd (een datum na vandaag)."]
    if errors:
        raise CaseInputError(
            errors,
            "Leg vast wie de veiligheid volgt, hoe en tot wanneer; zonder die afspraken "
            "sluit u niet af.",
        )


def _require_identified(case: Case, unidentified_reason: str) -> None:
    from meldwijzer.cases.selectors import case_identified

    if not case_identified(case) and not unidentified_reason.strip():
        raise CaseError(NOT_IDENTIFIED)


@transaction.atomic
def case_report_now(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    danger: str,
    structural: bool = False,
    unidentified_reason: str = "",
) -> Entry:
    """Report at once because of acute danger ("direct melden"): record what is known and go to
    the report. The steps not completed are recorded as missing, not required."""
    from meldwijzer.cases.selectors import case_missing_all_steps

    _transition_check(case, Phase.REPORTED, Trigger.REPORT_NOW, "")
    if not danger.strip():
        raise CaseError("Beschrijf kort het acute gevaar.")
    _require_identified(case, unidentified_reason)
    missing = case_missing_all_steps(case)
    _bump(actor, case, expected_version)
    entry = Entry.objects.create(
        case=case,
        kind=EntryKind.DECISION,
        phase=case.phase,
        data={
            "outcome": str(Outcome.REPORT),
            "indicated": "report",
            "follows_framework": True,
            "fast_path": True,
            "urgency": ["acuut", "structureel"] if structural else ["acuut"],
            "justification": danger.strip(),
            "missing": [f"Stap {number}: {text}" for number, text in missing],
            "skipped_steps": sorted({number for number, _ in missing}),
            "unidentified_reason": unidentified_reason.strip(),
        },
        author=actor.user,
        organisation=actor.organisation,
        created_at=timezone.now(),
    )
    case.outcome = Outcome.REPORT
    case.review_date = None
    case.save(update_fields=["outcome", "review_date"])
    _transition(
        actor, case, Phase.REPORTED, Trigger.REPORT_NOW, "Direct gemeld: acute onveiligheid"
    )
    events.case_decided(actor=actor, case=case)
    return entry


@transaction.atomic
def case_close(*, actor: Actor, case: Case, expected_version: int, reason: str) -> None:
    """Close a reported case when the reporter's own involvement ends (the child left the school,
    the treatment ended), with a reason."""
    _transition_check(case, Phase.CLOSED, Trigger.CLOSE, reason)
    _bump(actor, case, expected_version)
    _transition(actor, case, Phase.CLOSED, Trigger.CLOSE, reason)
    events.case_closed(actor=actor, case=case)
