"""Changing a case through the services: decisions, integrity, concurrency, access, the log."""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases import selectors, services
from meldwijzer.cases.entries import ChildCheckForm, NoteForm, SignalForm
from meldwijzer.cases.extensions import FollowupAgreement
from meldwijzer.cases.models import (
    Case,
    Entry,
    EntryKind,
    ImmutableError,
    Outcome,
    Person,
    PhaseChange,
)
from meldwijzer.cases.services import CaseError, CaseInputError, ConcurrentEditError
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.pseudonyms import identity_key
from tests.cases.builders import record, reported_case, signals_case, weighing_case

pytestmark = pytest.mark.django_db

FACTS = "Unieke-feitentekst-7341 over een blauwe plek."


@pytest.fixture
def member(make_member, organisation) -> Callable[..., Actor]:
    def make(role: Role = Role.PROFESSIONAL, org: Any = None) -> Actor:
        found = actor_for_user(user=make_member(role, org or organisation))
        assert found is not None
        return found

    return make


@pytest.fixture
def actor(member) -> Actor:
    return member()


def today() -> datetime.date:
    return timezone.localdate()


def signal_form(facts: str = FACTS) -> SignalForm:
    return SignalForm(
        {"date": today().isoformat(), "category": "lichamelijk", "source": "eigen", "facts": facts}
    )


def weigh(actor: Actor, case: Case, question: str, answer: str, reasoning: str = "") -> Entry:
    return services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question=question,
        answer=answer, reasoning=reasoning or f"Toelichting bij {question}.",
        kinds=["structureel"] if (question, answer) == ("afweging_2", "ja") else [],
    )  # fmt: skip


def decide(actor: Actor, case: Case, outcome: Outcome, **kwargs: Any) -> Entry:
    return services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=outcome, **kwargs
    )


def answer_all(actor: Actor, case: Case, answers: dict[str, str]) -> None:
    """Answer the kader in the steps where each question belongs."""
    for question, answer in answers.items():
        if question == "afweging_3" and case.phase == Phase.WEIGHING:
            services.case_move(
                actor=actor, case=case, expected_version=case.version, target=Phase.DECIDING
            )
        weigh(actor, case, question, answer)


def counts() -> tuple[int, ...]:
    return (
        Entry.objects.count(),
        Person.objects.count(),
        PhaseChange.objects.count(),
        AccessLogEntry.objects.count(),
    )


def future(days: int = 28) -> datetime.date:
    return today() + datetime.timedelta(days=days)


HELP_ANSWERS = {"afweging_1": "ja", "afweging_2": "nee", "afweging_3": "ja", "afweging_4": "ja"}


def help_case(actor: Actor) -> Case:
    case = weighing_case(actor)
    answer_all(actor, case, HELP_ANSWERS)
    decide(actor, case, Outcome.HELP, agreements="Wekelijks gesprek.", review_date=future())
    case.refresh_from_db()
    assert case.phase == Phase.HELP
    return case


# --- Opening ---------------------------------------------------------------------------------


def test_opening_a_case(actor):
    case = services.case_open(
        actor=actor, title="Zorgen over leerling", profession="onderwijs", client="kind"
    )
    assert case.reference == f"MW-{timezone.now().year}-00001"
    assert (case.phase, case.version, case.responsible, case.organisation) == (
        Phase.SIGNALS,
        1,
        actor.user,
        actor.organisation,
    )
    change = PhaseChange.objects.get(case=case)
    assert (change.source, change.target) == ("", Phase.SIGNALS)
    second = services.case_open(
        actor=actor, title="Nog een", profession="bestaat_niet", client="kind"
    )
    assert second.reference == f"MW-{timezone.now().year}-00002"
    assert second.profession == "algemeen"


@pytest.mark.parametrize("role", [Role.POLICY_ADVISER, Role.FUNCTIONAL_ADMIN])
def test_roles_without_case_work_cannot_open_cases(member, role):
    with pytest.raises(CaseError):
        services.case_open(
            actor=member(role), title="Zorgen", profession="onderwijs", client="kind"
        )
    assert Case.objects.count() == 0


# --- Weighing and deciding -------------------------------------------------------------------


def test_weighing_records_framework_and_reasoning(actor):
    case = weighing_case(actor)
    entry = weigh(actor, case, "afweging_1", "ja", "  Herhaald letsel.  ")
    assert entry.data == {
        "question": "afweging_1",
        "answer": "ja",
        "reasoning": "Herhaald letsel.",
        "framework": "onderwijs",
        "framework_version": "2019.1",
    }
    assert entry.phase == Phase.WEIGHING


@pytest.mark.parametrize(
    ("question", "answer", "reasoning", "fragment"),
    [
        ("afweging_9", "ja", "x", "Onbekende"),
        ("afweging_1", "misschien", "x", "Onbekende"),
        ("afweging_1", "ja", "   ", "Licht uw antwoord toe"),
        ("afweging_3", "ja", "x", "huidige stap"),
        ("afweging_5", "ja", "x", "huidige stap"),
    ],
)
def test_invalid_weighings_are_refused(actor, question, answer, reasoning, fragment):
    case = weighing_case(actor)
    before = counts()
    with pytest.raises(CaseError, match=fragment):
        services.case_record_weighing(
            actor=actor, case=case, expected_version=case.version, question=question,
            answer=answer, reasoning=reasoning,
        )  # fmt: skip
    assert counts() == before


def test_the_kader_is_not_answered_before_step_4(actor):
    case = signals_case(actor)
    with pytest.raises(CaseError, match="huidige stap"):
        weigh(actor, case, "afweging_1", "ja")


def test_decide_needs_the_weighing_answers(actor):
    case = weighing_case(actor)
    with pytest.raises(CaseError, match="afwegingen"):
        decide(actor, case, Outcome.REPORT)
    weigh(actor, case, "afweging_1", "ja")
    with pytest.raises(CaseError, match="afwegingen"):
        decide(actor, case, Outcome.REPORT)
    assert not Entry.objects.filter(case=case, kind=EntryKind.DECISION).exists()


def test_decide_only_in_step_4_5_or_during_help(actor):
    case = signals_case(actor)
    with pytest.raises(CaseError, match="stap 4 of 5"):
        decide(actor, case, Outcome.CLOSE, justification="Niets aan de hand.")
    reported = reported_case(actor)
    with pytest.raises(CaseError, match="stap 4 of 5"):
        decide(actor, reported, Outcome.CLOSE, justification="Klaar.")


# Every combination of indication and decision: following the kader needs no justification.
MATCHES = {
    "close": {Outcome.CLOSE},
    "close_followup": {Outcome.CLOSE_FOLLOWUP},
    "help": {Outcome.HELP},
    "report": {Outcome.REPORT, Outcome.REPORT_AND_HELP},
}
INDICATING = {
    "close": {"afweging_1": "nee"},
    "report": {"afweging_1": "ja", "afweging_2": "ja"},
    "help": HELP_ANSWERS,
}
COMBINATIONS = [(indicated, outcome) for indicated in INDICATING for outcome in Outcome]


def followup_by(actor: Actor) -> FollowupAgreement:
    """Agreements on following the family's safety, with the actor as the one who follows."""
    return FollowupAgreement(
        follower_id=actor.user.pk,
        organisation_id=actor.organisation.pk,
        how="Maandelijks contact met school.",
        until=future(365),
    )


def decision_kwargs(outcome: Outcome, actor: Actor) -> dict[str, Any]:
    if outcome == Outcome.HELP:
        return {"agreements": "Wekelijks gesprek.", "review_date": future()}
    if outcome == Outcome.CLOSE_FOLLOWUP:
        return {"followup": followup_by(actor)}
    return {}


@pytest.mark.parametrize(("indicated", "outcome"), COMBINATIONS)
def test_departing_from_the_kader_needs_a_justification(actor, indicated, outcome):
    case = weighing_case(actor)
    answer_all(actor, case, INDICATING[indicated])
    follows = outcome in MATCHES[indicated]
    if not follows:
        before = counts()
        with pytest.raises(CaseError, match="wijkt af"):
            decide(actor, case, outcome, justification="  ", **decision_kwargs(outcome, actor))
        assert counts() == before
    entry = decide(
        actor,
        case,
        outcome,
        justification="" if follows else "Moeder is met de kinderen vertrokken.",
        **decision_kwargs(outcome, actor),
    )
    assert entry.kind == EntryKind.DECISION
    assert entry.data["indicated"] == indicated
    assert entry.data["outcome"] == outcome
    assert entry.data["follows_framework"] is follows
    assert entry.data["justification"] == (
        "" if follows else "Moeder is met de kinderen vertrokken."
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.outcome == outcome
    assert (
        stored.phase
        == {
            Outcome.CLOSE: Phase.CLOSED,
            Outcome.CLOSE_FOLLOWUP: Phase.CLOSED,
            Outcome.HELP: Phase.HELP,
            Outcome.REPORT: Phase.REPORTED,
            Outcome.REPORT_AND_HELP: Phase.REPORTED,
        }[outcome]
    )
    assert (stored.closed_at is not None) is (outcome in (Outcome.CLOSE, Outcome.CLOSE_FOLLOWUP))
    change = PhaseChange.objects.filter(case=case).order_by("created_at", "pk").last()
    assert change is not None and change.target == stored.phase


@pytest.mark.parametrize(
    ("review_date", "agreements", "fragment"),
    [
        (None, "Afspraken.", "evaluatiedatum"),
        ("today", "Afspraken.", "evaluatiedatum"),
        ("past", "Afspraken.", "evaluatiedatum"),
        ("future", "  ", "afspraken"),
    ],
)
def test_help_needs_a_future_review_date_and_agreements(actor, review_date, agreements, fragment):
    case = weighing_case(actor)
    answer_all(actor, case, HELP_ANSWERS)
    dates = {
        None: None,
        "today": today(),
        "past": today() - datetime.timedelta(days=1),
        "future": future(),
    }
    before = counts()
    with pytest.raises(CaseError, match=fragment):
        decide(actor, case, Outcome.HELP, agreements=agreements, review_date=dates[review_date])
    assert counts() == before
    assert Case.objects.get(pk=case.pk).phase == Phase.DECIDING


def test_help_stores_the_review_date_and_agreements(actor):
    case = help_case(actor)
    assert case.review_date == future()
    decision = Entry.objects.get(case=case, kind=EntryKind.DECISION)
    assert decision.data["agreements"] == "Wekelijks gesprek."
    assert decision.data["review_date"] == future().isoformat()


def test_during_help_afweging_5_comes_first(actor):
    case = help_case(actor)
    with pytest.raises(CaseError, match="afweging_5"):
        decide(actor, case, Outcome.HELP, agreements="Verlengen.", review_date=future(50))
    with pytest.raises(CaseError, match="afweging_5"):
        decide(actor, case, Outcome.CLOSE_FOLLOWUP, followup=followup_by(actor))
    weigh(actor, case, "afweging_5", "ja")
    before = counts()
    with pytest.raises(CaseError, match="afspraken over het volgen"):
        decide(actor, case, Outcome.CLOSE, justification="Het gaat goed.")
    assert counts() == before
    entry = decide(actor, case, Outcome.CLOSE_FOLLOWUP, followup=followup_by(actor))
    assert entry.data["indicated"] == "close_followup" and entry.data["follows_framework"] is True
    assert entry.data["agreements"] == "Maandelijks contact met school."
    stored = Case.objects.get(pk=case.pk)
    assert (stored.phase, stored.review_date) == (Phase.CLOSED, None)


def test_help_that_does_not_work_leads_to_a_report(actor):
    case = help_case(actor)
    weigh(actor, case, "afweging_5", "nee")
    with pytest.raises(CaseError, match="wijkt af"):
        decide(actor, case, Outcome.CLOSE)
    entry = decide(actor, case, Outcome.REPORT)
    assert entry.data["indicated"] == "report" and entry.data["follows_framework"] is True
    assert Case.objects.get(pk=case.pk).phase == Phase.REPORTED


def test_extended_help_asks_afweging_5_again(actor):
    case = help_case(actor)
    weigh(actor, case, "afweging_5", "ja")
    decide(
        actor, case, Outcome.HELP, justification="Nog niet stabiel genoeg.",
        agreements="Nog zes weken.", review_date=future(42),
    )  # fmt: skip
    case.refresh_from_db()
    assert case.phase == Phase.HELP and case.review_date == future(42)
    assert "afweging_5" not in selectors.case_weighing_answers(case)
    with pytest.raises(CaseError, match="afweging_5"):
        decide(actor, case, Outcome.CLOSE)
    weigh(actor, case, "afweging_5", "nee")
    assert decide(actor, case, Outcome.REPORT).data["indicated"] == "report"


def test_close_only_a_reported_case_with_a_reason(actor):
    open_case = weighing_case(actor, "Nog open")
    with pytest.raises(CaseError, match="gemelde casus"):
        services.case_close(
            actor=actor, case=open_case, expected_version=open_case.version, reason="Klaar."
        )
    case = reported_case(actor)
    with pytest.raises(CaseError, match="waarom"):
        services.case_close(actor=actor, case=case, expected_version=case.version, reason=" ")
    services.case_close(
        actor=actor, case=case, expected_version=case.version, reason="Veilig Thuis heeft het."
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.phase == Phase.CLOSED and stored.closed_at is not None
    change = PhaseChange.objects.filter(case=case).order_by("created_at", "pk").last()
    assert change is not None
    assert (change.source, change.target, change.reason) == (
        Phase.REPORTED,
        Phase.CLOSED,
        "Veilig Thuis heeft het.",
    )
    with pytest.raises(CaseError, match="gemelde casus"):
        services.case_close(actor=actor, case=case, expected_version=case.version, reason="x")


def test_a_closed_case_refuses_new_entries_people_and_weighings(actor):
    case = reported_case(actor)
    services.case_close(actor=actor, case=case, expected_version=case.version, reason="Klaar.")
    original = Entry.objects.filter(case=case, kind=EntryKind.SIGNAL).first()
    before = counts()
    with pytest.raises(CaseError, match="afgesloten"):
        services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=case.version,
            kind="signal",
            data=signal_form().data,
        )
    with pytest.raises(CaseError, match="afgesloten"):
        services.case_record_entry(
            actor=actor, case=case, expected_version=case.version, kind="signal", data=signal_form().data,
            corrects=original,
        )  # fmt: skip
    with pytest.raises(CaseError, match="afgesloten"):
        services.case_record_person(
            actor=actor, case=case, expected_version=case.version, kind="child", name="Broertje"
        )
    with pytest.raises(CaseError):
        weigh(actor, case, "afweging_1", "nee")
    with pytest.raises(CaseError):
        decide(actor, case, Outcome.CLOSE)
    assert counts() == before


# --- Integrity: nothing is changed or removed -------------------------------------------------


@pytest.mark.parametrize("model", [Entry, Person, PhaseChange])
def test_rows_cannot_be_changed_or_deleted(actor, model):
    case = signals_case(actor)
    row = model.objects.filter(case=case).first()
    assert row is not None
    with pytest.raises(ImmutableError):
        row.save()
    with pytest.raises(ImmutableError):
        row.save(update_fields=["created_at"])
    with pytest.raises(ImmutableError):
        row.delete()
    assert model.objects.filter(pk=row.pk).exists()


def test_a_new_object_cannot_overwrite_an_existing_row(actor):
    case = signals_case(actor)
    entry = Entry.objects.filter(case=case, kind=EntryKind.SIGNAL).first()
    assert entry is not None
    intruder = Entry(
        pk=entry.pk, case=case, kind=EntryKind.SIGNAL, phase=Phase.SIGNALS,
        data={"facts": "Overschreven."}, author=actor.user, organisation=actor.organisation,
        created_at=timezone.now(),
    )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        intruder.save()
    entry.refresh_from_db()
    assert entry.data["facts"] == "Blauwe plek op de arm."


def test_a_correction_is_a_new_entry_and_both_remain(actor):
    case = signals_case(actor)
    original = Entry.objects.filter(case=case, kind=EntryKind.SIGNAL).first()
    assert original is not None
    correction = record(actor, case, SignalForm, {
        "date": today().isoformat(), "category": "lichamelijk", "source": "eigen",
        "facts": "Blauwe plek op beide armen.",
    }, corrects=original)  # fmt: skip
    assert correction.pk != original.pk and correction.corrects == original
    original.refresh_from_db()
    assert original.data["facts"] == "Blauwe plek op de arm."
    all_ids = set(case.entries.values_list("pk", flat=True))
    current = set(selectors.current_entries(case).values_list("pk", flat=True))
    assert {original.pk, correction.pk} <= all_ids
    assert correction.pk in current and original.pk not in current
    assert all_ids - current == {original.pk}
    dossier = selectors.case_dossier(case)
    assert dossier.corrections[original.pk] == correction
    assert original not in dossier.by_kind["signal"]
    # A second correction of the same original is refused; the correction itself can be corrected.
    with pytest.raises(CaseError, match="al gecorrigeerd"):
        record(actor, case, SignalForm, {
            "date": today().isoformat(), "category": "overig", "source": "eigen", "facts": "Nog.",
        }, corrects=original)  # fmt: skip
    again = record(actor, case, SignalForm, {
        "date": today().isoformat(), "category": "overig", "source": "eigen", "facts": "Nog.",
    }, corrects=correction)  # fmt: skip
    assert again.corrects == correction


def test_a_correction_must_match_kind_and_case(actor):
    case = signals_case(actor)
    other = signals_case(actor, "Andere casus")
    original = Entry.objects.filter(case=case, kind=EntryKind.SIGNAL).first()
    foreign = Entry.objects.filter(case=other, kind=EntryKind.SIGNAL).first()
    before = counts()
    with pytest.raises(CaseError, match="dezelfde soort"):
        record(actor, case, NoteForm, {"text": "Aanvulling."}, corrects=original)
    with pytest.raises(CaseError, match="dezelfde soort"):
        services.case_record_entry(
            actor=actor, case=case, expected_version=case.version, kind="signal", data=signal_form().data,
            corrects=foreign,
        )  # fmt: skip
    assert counts() == before


def test_invalid_data_is_refused_per_field_in_dutch_and_changes_nothing(actor):
    case = signals_case(actor)
    version = case.version
    before = counts()
    with pytest.raises(CaseInputError, match="fouten") as refused:
        services.case_record_entry(
            actor=actor, case=case, expected_version=case.version,
            kind=SignalForm.kind, data={"date": future().isoformat(), "category": "x", "facts": ""},
        )  # fmt: skip
    assert refused.value.errors["date"] == ["Deze datum ligt in de toekomst."]
    assert refused.value.errors["source"] == ["Kies de bron van het signaal."]
    assert {"category", "facts"} <= set(refused.value.errors)
    with pytest.raises(CaseInputError) as unknown:
        services.case_record_entry(
            actor=actor, case=case, expected_version=case.version, kind="decision", data={}
        )
    assert unknown.value.errors == {"kind": ["Onbekende soort regel."]}
    case.refresh_from_db()
    assert counts() == before and case.version == version


def test_an_entry_takes_plain_values_as_a_json_body_holds_them(actor):
    """Dates as ISO text, a time as text, booleans and lists: what the API passes on unchanged."""
    case = reported_case(actor)
    entry = services.case_record_entry(
        actor=actor, case=case, expected_version=case.version, kind="report",
        data={"date": today().isoformat(), "time": "09:30", "channel": "telefoon",
              "veilig_thuis": "Veilig Thuis IJsselland", "informed": "nee",
              "not_informed_reason": "veiligheid", "not_informed_explanation": "Gevaar.",
              "reporter_unknown": True, "vt_reference": 123},
    )  # fmt: skip
    assert entry.data["date"] == today().isoformat() and entry.data["time"] == "09:30"
    assert entry.data["reporter_unknown"] is True and entry.data["vt_reference"] == "123"


def test_a_person_is_replaced_by_a_new_version(actor):
    case = signals_case(actor)
    child = Person.objects.get(case=case, kind="child")
    newer = services.case_record_person(
        actor=actor, case=case, expected_version=case.version, replaces=child, kind="child",
        name="Kind Voorbeeld", age=8,
    )  # fmt: skip
    assert Person.objects.filter(pk=child.pk).exists()
    assert set(selectors.current_persons(case)) == {
        newer,
        Person.objects.get(case=case, kind="parent"),
    }
    with pytest.raises(CaseError, match="nieuwste versie"):
        services.case_record_person(
            actor=actor, case=case, expected_version=case.version, replaces=child,
            kind="child", name="Nog eens",
        )  # fmt: skip


# --- Optimistic locking -----------------------------------------------------------------------


def _writes(actor: Actor, case: Case) -> dict[str, Callable[[int], object]]:
    return {
        "entry": lambda v: services.case_record_entry(
            actor=actor, case=case, expected_version=v, kind="signal", data=signal_form().data
        ),
        "person": lambda v: services.case_record_person(
            actor=actor, case=case, expected_version=v, kind="child", name="Broertje"
        ),
        "weighing": lambda v: services.case_record_weighing(
            actor=actor,
            case=case,
            expected_version=v,
            question="afweging_1",
            answer="ja",
            reasoning="Vermoeden.",
        ),
        "move": lambda v: services.case_move(
            actor=actor, case=case, expected_version=v, target=Phase.SIGNALS, reason="Terug."
        ),
    }


@pytest.mark.parametrize("write", ["entry", "person", "weighing", "move"])
def test_a_stale_version_writes_nothing(actor, write):
    case = weighing_case(actor)
    stale = case.version
    # Someone else changes the case in the meantime.
    services.case_record_entry(
        actor=actor, case=Case.objects.get(pk=case.pk), expected_version=stale,
        kind=NoteForm.kind, data={"text": "Tussendoor."},
    )  # fmt: skip
    current = Case.objects.get(pk=case.pk)
    before = counts()
    with pytest.raises(ConcurrentEditError):
        _writes(actor, case)[write](stale)
    assert counts() == before
    stored = Case.objects.get(pk=case.pk)
    assert (stored.version, stored.phase, stored.updated_at) == (
        current.version,
        current.phase,
        current.updated_at,
    )


def test_a_stale_decision_or_close_writes_nothing(actor):
    case = weighing_case(actor)
    weigh(actor, case, "afweging_1", "ja")
    weigh(actor, case, "afweging_2", "ja")
    before, version = counts(), case.version
    with pytest.raises(ConcurrentEditError):
        services.case_decide(
            actor=actor, case=case, expected_version=version - 1, outcome=Outcome.REPORT
        )
    stored = Case.objects.get(pk=case.pk)
    assert counts() == before
    assert (stored.version, stored.phase, stored.outcome) == (version, Phase.WEIGHING, "")
    decide(actor, case, Outcome.REPORT)
    case.refresh_from_db()
    before, version = counts(), case.version
    with pytest.raises(ConcurrentEditError):
        services.case_close(actor=actor, case=case, expected_version=version - 1, reason="Klaar.")
    assert counts() == before
    assert Case.objects.get(pk=case.pk).phase == Phase.REPORTED


def test_each_write_claims_the_next_version(actor):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    assert case.version == 1
    services.case_record_entry(
        actor=actor, case=case, expected_version=1, kind="signal", data=signal_form().data
    )
    assert case.version == Case.objects.get(pk=case.pk).version == 2


# --- Access -----------------------------------------------------------------------------------


@pytest.fixture
def outsiders(member, other_organisation) -> dict[str, Actor]:
    return {
        "other organisation": member(Role.PROFESSIONAL, other_organisation),
        "officer elsewhere": member(Role.MELDCODE_OFFICER, other_organisation),
        "colleague": member(Role.PROFESSIONAL),
        "coordinator colleague": member(Role.CASE_COORDINATOR),
        "policy adviser": member(Role.POLICY_ADVISER),
        "functional admin": member(Role.FUNCTIONAL_ADMIN),
    }


def all_writes(actor: Actor, case: Case) -> list[Callable[[], object]]:
    v = case.version
    person = Person.objects.filter(case=case).first()
    entry = Entry.objects.filter(case=case, kind=EntryKind.SIGNAL).first()
    return [
        lambda: services.case_record_entry(
            actor=actor, case=case, expected_version=v, kind="signal", data=signal_form().data
        ),
        lambda: services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=v,
            kind="signal",
            data=signal_form().data,
            corrects=entry,
        ),
        lambda: services.case_record_person(
            actor=actor, case=case, expected_version=v, kind="child", name="Broertje"
        ),
        lambda: services.case_record_person(
            actor=actor,
            case=case,
            expected_version=v,
            replaces=person,
            kind="child",
            name="Anders",
        ),
        lambda: services.case_record_weighing(
            actor=actor,
            case=case,
            expected_version=v,
            question="afweging_1",
            answer="ja",
            reasoning="Vermoeden.",
        ),
        lambda: services.case_move(
            actor=actor, case=case, expected_version=v, target=Phase.SIGNALS, reason="Terug."
        ),
        lambda: services.case_move(
            actor=actor, case=case, expected_version=v, target=Phase.DECIDING
        ),
    ]


@pytest.mark.parametrize(
    "who",
    [
        "other organisation",
        "officer elsewhere",
        "colleague",
        "coordinator colleague",
        "policy adviser",
        "functional admin",
    ],
)
def test_outsiders_cannot_write(actor, outsiders, who):
    case = weighing_case(actor)
    person = Person.objects.filter(case=case).first()
    assert person is not None
    before = counts()
    version = Case.objects.get(pk=case.pk).version
    for write in all_writes(outsiders[who], case):
        with pytest.raises(CaseError) as caught:
            write()
        assert not isinstance(caught.value, ConcurrentEditError)
    assert counts() == before
    assert Case.objects.get(pk=case.pk).version == version


def test_outsiders_cannot_decide_or_close(actor, outsiders):
    case = weighing_case(actor)
    weigh(actor, case, "afweging_1", "ja")
    weigh(actor, case, "afweging_2", "ja")
    for outsider in outsiders.values():
        with pytest.raises(CaseError, match="niet wijzigen"):
            decide(outsider, case, Outcome.REPORT)
    decide(actor, case, Outcome.REPORT)
    for outsider in outsiders.values():
        with pytest.raises(CaseError, match="niet wijzigen"):
            services.case_close(
                actor=outsider, case=case, expected_version=case.version, reason="Klaar."
            )
    assert Case.objects.get(pk=case.pk).phase == Phase.REPORTED


def test_the_meldcode_officer_may_write_in_own_organisation_cases(actor, member):
    officer = member(Role.MELDCODE_OFFICER)
    case = weighing_case(actor)
    services.case_record_entry(
        actor=officer, case=case, expected_version=case.version,
        kind=NoteForm.kind, data={"text": "Consultatie gegeven."},
    )  # fmt: skip
    weigh(officer, case, "afweging_1", "ja")
    weigh(officer, case, "afweging_2", "ja")
    entry = decide(officer, case, Outcome.REPORT)
    assert entry.author == officer.user
    assert Case.objects.get(pk=case.pk).phase == Phase.REPORTED


def test_a_responsible_who_lost_case_work_cannot_write(actor, member, make_member):
    case = signals_case(actor)
    from meldwijzer.organisations.models import Membership

    Membership.objects.filter(user=actor.user).update(role=Role.POLICY_ADVISER)
    demoted = actor_for_user(user=actor.user)
    assert demoted is not None
    with pytest.raises(CaseError, match="niet wijzigen"):
        services.case_record_entry(
            actor=demoted,
            case=case,
            expected_version=case.version,
            kind="signal",
            data=signal_form().data,
        )


# --- The access log ---------------------------------------------------------------------------


def new_rows(since: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(id__gt=since).order_by("id"))


def last_sequence() -> int:
    row = AccessLogEntry.objects.order_by("-id").first()
    return row.id if row else 0


def test_every_write_logs_one_row_without_content(actor, member):
    officer = member(Role.MELDCODE_OFFICER)
    since = last_sequence()
    case = services.case_open(
        actor=actor, title="Zorgen", profession="artsen", client="volwassene",
        bsn="123456782", name="Ouder Voorbeeld", date_of_birth=datetime.date(1990, 1, 1),
    )  # fmt: skip
    rows = new_rows(since)
    assert [(r.action, r.subject_type, r.subject_id, r.part) for r in rows] == [
        ("create", "casus", str(case.pk), "casus")
    ]

    def entry(form: Any, who: Actor = actor) -> Callable[[Case], object]:
        return lambda c: services.case_record_entry(
            actor=who, case=c, expected_version=c.version, kind=form.kind, data=form.data
        )

    steps: list[tuple[str, Callable[[Case], object]]] = [
        ("signaal", entry(signal_form())),
        ("kindcheck", entry(ChildCheckForm({"has_children": "nee"}))),
        ("betrokkenen", lambda c: services.case_record_person(
            actor=actor, case=c, expected_version=c.version, kind="child",
            name="Kind Geheimnaam",
        )),
        ("stap", lambda c: services.case_move(
            actor=actor, case=c, expected_version=c.version, target=Phase.CONSULTATION
        )),
        ("notitie", entry(NoteForm({"text": FACTS}), officer)),
        ("stap", lambda c: services.case_move(
            actor=actor, case=c, expected_version=c.version, target=Phase.SIGNALS,
            reason="Terug voor " + FACTS,
        )),
    ]  # fmt: skip
    for part, step in steps:
        since = last_sequence()
        step(case)
        rows = new_rows(since)
        assert len(rows) == 1, part
        row = rows[0]
        assert (row.subject_type, row.subject_id, row.part, row.outcome) == (
            "casus",
            str(case.pk),
            part,
            "allowed",
        )
        assert row.action in {"create", "update"}
        assert row.user_id in {actor.user.pk, officer.user.pk}
        assert row.organisation_id == actor.organisation.pk
    _no_content_in_log(["Unieke-feitentekst-7341", "Geheimnaam", "123456782", "Voorbeeld"])


def test_weighing_decision_and_close_log_one_row_each(actor):
    case = weighing_case(actor)
    for part, step in (
        ("afweging", lambda: weigh(actor, case, "afweging_1", "ja", FACTS)),
        ("afweging", lambda: weigh(actor, case, "afweging_2", "ja", FACTS)),
        ("besluit", lambda: decide(actor, case, Outcome.REPORT, justification="", agreements=FACTS)),
        ("afgesloten", lambda: services.case_close(
            actor=actor, case=case, expected_version=case.version, reason=FACTS
        )),
    ):  # fmt: skip
        since = last_sequence()
        step()
        rows = new_rows(since)
        assert [(r.subject_type, r.subject_id, r.part) for r in rows] == [
            ("casus", str(case.pk), part)
        ]
    _no_content_in_log(["Unieke-feitentekst-7341"])


def test_a_refused_write_logs_nothing(actor, outsiders):
    case = signals_case(actor)
    since = last_sequence()
    with pytest.raises(CaseError):
        services.case_record_entry(
            actor=outsiders["colleague"], case=case, expected_version=case.version,
            kind="signal", data=signal_form().data,
        )  # fmt: skip
    assert new_rows(since) == []


def _no_content_in_log(fragments: list[str]) -> None:
    rows = list(AccessLogEntry.objects.all())
    assert rows
    for row in rows:
        for field in AccessLogEntry._meta.concrete_fields:
            value = str(getattr(row, field.attname))
            for fragment in fragments:
                assert fragment not in value, (field.name, value)


# --- identity_key -----------------------------------------------------------------------------


def test_the_same_bsn_gives_the_same_key():
    key = identity_key(bsn="123456782")
    assert len(key) == 64
    assert identity_key(bsn=" 1234 56 782 ") == key
    assert identity_key(bsn="1234.56.782") == key
    assert identity_key(bsn="123456782", name="Wie dan ook") == key
    assert identity_key(bsn="123456783") != key


def test_names_are_normalised():
    dob = datetime.date(2015, 3, 4)
    key = identity_key(name="Zoë  van der Berg", date_of_birth=dob)
    assert key
    assert identity_key(name=" zoe VAN der\tberg ", date_of_birth=dob) == key
    assert identity_key(name="ZOË VAN DER BERG", date_of_birth=dob) == key
    assert identity_key(name="Zoe\u0308 van der Berg", date_of_birth=dob) == key  # decomposed ë
    assert identity_key(name="Zoë van der Berg", date_of_birth=datetime.date(2015, 3, 5)) != key
    assert identity_key(name="Zoë van den Berg", date_of_birth=dob) != key
    assert identity_key(bsn="123456782") != key


def test_names_in_other_scripts_stay_distinct():
    dob = datetime.date(2015, 3, 4)
    first = identity_key(name="Мария Иванова", date_of_birth=dob)
    second = identity_key(name="Анна Петрова", date_of_birth=dob)
    assert first and second and first != second
    assert identity_key(name="мария иванова", date_of_birth=dob) == first


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"name": "Zoë van der Berg"},
        {"date_of_birth": datetime.date(2015, 3, 4)},
        {"bsn": "  "},
        {"bsn": "-.-"},
        {"name": "   ", "date_of_birth": datetime.date(2015, 3, 4)},
        {"bsn": "onbekend", "name": " ", "date_of_birth": datetime.date(2015, 3, 4)},
    ],
)
def test_no_key_without_a_bsn_or_name_and_date_of_birth(kwargs):
    assert identity_key(**kwargs) == ""


def test_a_bsn_without_digits_falls_back_to_name_and_date():
    dob = datetime.date(2015, 3, 4)
    assert identity_key(bsn="n.v.t.", name="Zoë", date_of_birth=dob) == identity_key(
        name="Zoe", date_of_birth=dob
    )


def test_the_key_depends_on_the_pseudonym_key(settings):
    dob = datetime.date(2015, 3, 4)
    settings.PSEUDONYM_KEY = "sleutel-een"
    by_bsn, by_name = identity_key(bsn="123456782"), identity_key(name="Zoë", date_of_birth=dob)
    settings.PSEUDONYM_KEY = "sleutel-twee"
    assert identity_key(bsn="123456782") not in {"", by_bsn}
    assert identity_key(name="Zoë", date_of_birth=dob) not in {"", by_name}
    settings.PSEUDONYM_KEY = "sleutel-een"
    assert identity_key(bsn="123456782") == by_bsn


def test_the_bsn_is_kept_only_with_the_person_it_belongs_to(actor):
    """The report needs the BSN, so the person involved keeps it; nothing else does: not the
    case, not the access log, not any other table."""
    bsn = "987654329"
    case = services.case_open(
        actor=actor, title="Zorgen", profession="onderwijs", client="kind", bsn="9876.54.329",
        name="Kind Voorbeeld", date_of_birth=datetime.date(2019, 1, 1),
    )  # fmt: skip
    assert case.identity_key == identity_key(bsn=bsn)
    person = Person.objects.get(case=case)
    assert (person.bsn, person.identity_key) == (bsn, identity_key(bsn=bsn))
    person_table = Person._meta.db_table
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - table names from the schema
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                assert "9876.54.329" not in text, table
                if table != person_table:
                    assert bsn not in text, table


def test_a_reopened_case_gets_fresh_target_times(actor):
    """Re-opening on new signals starts a new round of the meldcode: months after the first
    round, the case is not overdue the moment it is re-opened."""
    case = reported_case(actor)
    services.case_close(actor=actor, case=case, expected_version=case.version, reason="Klaar.")
    long_ago = timezone.now() - datetime.timedelta(days=200)
    Case.objects.filter(pk=case.pk).update(opened_at=long_ago)
    case = Case.objects.get(pk=case.pk)
    services.case_move(
        actor=actor,
        case=case,
        expected_version=case.version,
        target=Phase.SIGNALS,
        reason="Nieuwe signalen.",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.reopened_at is not None and case.reopened_at > long_ago
    assert selectors.case_due_date(case) == timezone.localdate() + datetime.timedelta(
        days=selectors.target_days()[Phase.SIGNALS]
    )
    assert not selectors.case_is_overdue(case)


@pytest.mark.django_db(transaction=True)
def test_cases_opened_at_the_same_moment_get_distinct_references(actor):
    """Twenty professionals opening a case at once each get their own number of the year, one
    after the other (the year's counter row is locked until each commit)."""
    failures: list[BaseException] = []
    start = threading.Barrier(20)

    def opener(number: int) -> None:
        try:
            start.wait(10)
            for _ in range(500):
                try:
                    services.case_open(
                        actor=actor, title=f"Casus {number}", profession="algemeen", client="kind"
                    )
                    return
                except OperationalError as error:
                    # The in-memory SQLite test database shares one cache between connections
                    # and answers 'table is locked' at once where a database file would wait.
                    if "locked" not in str(error) or connection.vendor != "sqlite":
                        raise
                    time.sleep(0.01)
        except BaseException as error:
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=opener, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    year = timezone.now().year
    references = set(Case.objects.values_list("reference", flat=True))
    assert references == {f"MW-{year}-{number:05d}" for number in range(1, 21)}
