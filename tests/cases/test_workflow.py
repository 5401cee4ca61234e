"""Moving a case through the meldcode: what each step needs, going back, re-opening."""

from __future__ import annotations

import pytest
from django.utils import timezone

from meldwijzer.cases import services, workflow
from meldwijzer.cases.entries import (
    ChildCheckForm,
    ConsultationForm,
    ConversationForm,
    ConversationSkippedForm,
    SignalForm,
)
from meldwijzer.cases.models import Case, Entry, Outcome, PhaseChange
from meldwijzer.cases.selectors import case_missing_for_next_step, case_weighing_answers
from meldwijzer.cases.services import CaseError
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, weighing_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(make_member, organisation) -> Actor:
    found = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    assert found is not None
    return found


def today() -> str:
    return timezone.localdate().isoformat()


def signal(actor: Actor, case: Case, facts: str = "Blauwe plek op de arm.") -> Entry:
    return record(actor, case, SignalForm, {
        "date": today(), "category": "lichamelijk", "source": "eigen", "facts": facts,
    })  # fmt: skip


def consultation(actor: Actor, case: Case) -> Entry:
    return record(actor, case, ConsultationForm, {
        "date": today(), "consulted": "aandachtsfunctionaris", "advice": "Ga in gesprek.",
    })  # fmt: skip


def move(actor: Actor, case: Case, target: str, reason: str = "") -> None:
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=target, reason=reason
    )


def weigh(actor: Actor, case: Case, question: str, answer: str) -> Entry:
    return services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question=question,
        answer=answer, reasoning=f"Toelichting bij {question}.",
        kinds=["structureel"] if (question, answer) == ("afweging_2", "ja") else [],
    )  # fmt: skip


def refused(actor: Actor, case: Case, target: str, *fragments: str, reason: str = "") -> None:
    """The move fails with a message naming what is missing, and nothing changes."""
    version, phase = case.version, case.phase
    changes = PhaseChange.objects.filter(case=case).count()
    with pytest.raises(CaseError) as caught:
        move(actor, case, target, reason)
    for fragment in fragments:
        assert fragment in str(caught.value), str(caught.value)
    stored = Case.objects.get(pk=case.pk)
    assert (stored.version, stored.phase) == (version, phase)
    assert PhaseChange.objects.filter(case=case).count() == changes


# --- The table ---------------------------------------------------------------------------------


def test_the_table_of_moves():
    # A decision can be taken in step 4 already, so help follows step 4 too.
    expected = {
        Phase.SIGNALS: {Phase.CONSULTATION},
        Phase.CONSULTATION: {Phase.CONVERSATION, Phase.SIGNALS},
        Phase.CONVERSATION: {Phase.WEIGHING, Phase.SIGNALS, Phase.CONSULTATION},
        Phase.WEIGHING: {
            Phase.DECIDING, Phase.HELP, Phase.REPORTED, Phase.CLOSED,
            Phase.SIGNALS, Phase.CONSULTATION, Phase.CONVERSATION,
        },
        Phase.DECIDING: {Phase.HELP, Phase.REPORTED, Phase.CLOSED, *workflow.STEPS[:4]},
        Phase.HELP: {Phase.REPORTED, Phase.CLOSED, *workflow.STEPS},
        Phase.REPORTED: {Phase.CLOSED, *workflow.STEPS},
        Phase.CLOSED: {Phase.SIGNALS},
    }  # fmt: skip
    assert {phase: workflow.allowed_moves(phase) for phase in Phase} == expected


@pytest.mark.parametrize(
    ("source", "target", "backward"),
    [
        (Phase.CONSULTATION, Phase.SIGNALS, True),
        (Phase.DECIDING, Phase.CONVERSATION, True),
        (Phase.HELP, Phase.DECIDING, True),
        (Phase.REPORTED, Phase.SIGNALS, True),
        (Phase.SIGNALS, Phase.CONSULTATION, False),
        (Phase.WEIGHING, Phase.DECIDING, False),
        (Phase.WEIGHING, Phase.WEIGHING, False),
        (Phase.DECIDING, Phase.CLOSED, False),
    ],
)
def test_is_backward(source, target, backward):
    assert workflow.is_backward(source, target) is backward


# --- Forward moves need what the step asks ----------------------------------------------------


def test_an_empty_step_1_lists_everything_that_is_missing(actor):
    case = services.case_open(
        actor=actor, title="Zorgen over moeder", profession="artsen", client="volwassene"
    )
    refused(actor, case, Phase.CONSULTATION, "Minstens één signaal", "Kindcheck")


KINDCHECK = (
    "Kindcheck afgerond: zijn er minderjarige kinderen of is de cliënt zwanger (de cliënt is "
    "volwassen; ‘weet ik nog niet’ is nog niet afgerond)"
)


def test_a_case_about_an_adult_cannot_pass_step_1_without_the_kindcheck(actor):
    case = services.case_open(
        actor=actor, title="Zorgen over moeder", profession="artsen", client="volwassene"
    )
    signal(actor, case)
    refused(actor, case, Phase.CONSULTATION, "Kindcheck afgerond")
    assert case_missing_for_next_step(case) == [KINDCHECK]
    # "Weet ik (nog) niet" is recorded, but leaves the kindcheck as an open task.
    record(actor, case, ChildCheckForm, {"has_children": "onbekend"})
    assert case_missing_for_next_step(case) == [KINDCHECK]
    refused(actor, case, Phase.CONSULTATION, "Kindcheck afgerond")
    record(actor, case, ChildCheckForm, {"has_children": "ja", "number": 2, "ages": "3, 6"})
    assert case_missing_for_next_step(case) == []
    move(actor, case, Phase.CONSULTATION)
    assert Case.objects.get(pk=case.pk).phase == Phase.CONSULTATION


def test_saying_later_that_the_concern_is_about_an_adult_asks_the_kindcheck(actor):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    signal(actor, case)
    assert case_missing_for_next_step(case) == []
    services.case_set_client(
        actor=actor, case=case, expected_version=case.version, client="volwassene"
    )
    assert case_missing_for_next_step(case) == [KINDCHECK]
    refused(actor, case, Phase.CONSULTATION, "Kindcheck afgerond")
    with pytest.raises(CaseError, match="Kies over wie"):
        services.case_set_client(
            actor=actor, case=case, expected_version=case.version, client="iedereen"
        )


def test_without_adults_a_signal_is_enough(actor):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    refused(actor, case, Phase.CONSULTATION, "Minstens één signaal")
    signal(actor, case)
    move(actor, case, Phase.CONSULTATION)
    change = PhaseChange.objects.filter(case=case).last()
    assert change is not None
    assert (change.source, change.target, change.author) == (
        Phase.SIGNALS,
        Phase.CONSULTATION,
        actor.user,
    )


def test_step_2_needs_a_consultation(actor):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    signal(actor, case)
    move(actor, case, Phase.CONSULTATION)
    refused(actor, case, Phase.CONVERSATION, "collegiale consultatie")
    consultation(actor, case)
    move(actor, case, Phase.CONVERSATION)
    assert case.phase == Phase.CONVERSATION


@pytest.mark.parametrize(
    ("form_class", "data"),
    [
        (ConversationSkippedForm, {"reason": "contact", "explanation": "Cliënt breekt af."}),
        (
            ConversationForm,
            {"participants": "Moeder", "said": "Zorgen gedeeld.", "reaction": "Herkent het."},
        ),
    ],
)
def test_step_3_needs_the_conversation_or_a_legal_skip(actor, form_class, data):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    signal(actor, case)
    move(actor, case, Phase.CONSULTATION)
    consultation(actor, case)
    move(actor, case, Phase.CONVERSATION)
    refused(actor, case, Phase.WEIGHING, "gesprek", "wettelijke reden")
    record(actor, case, form_class, {"date": today(), **data})
    move(actor, case, Phase.WEIGHING)
    assert case.phase == Phase.WEIGHING


def test_a_skip_needs_one_of_the_legal_reasons():
    form = ConversationSkippedForm({"reason": "geen_tijd", "explanation": "Druk."})
    assert not form.is_valid()
    assert "reason" in form.errors


def test_step_4_needs_afweging_1_and_2(actor):
    case = weighing_case(actor)
    refused(actor, case, Phase.DECIDING, "Afweging 1", "Afweging 2")
    weigh(actor, case, "afweging_1", "ja")
    refused(actor, case, Phase.DECIDING, "Afweging 2")
    weigh(actor, case, "afweging_2", "nee")
    move(actor, case, Phase.DECIDING)
    assert case.phase == Phase.DECIDING


def test_without_a_suspicion_afweging_2_is_not_needed(actor):
    case = weighing_case(actor)
    weigh(actor, case, "afweging_1", "nee")
    assert case_missing_for_next_step(case) == []


def test_a_corrected_entry_still_counts_through_its_correction(actor):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    original = signal(actor, case)
    record(actor, case, SignalForm, {
        "date": today(), "category": "lichamelijk", "source": "eigen", "facts": "Twee plekken.",
    }, corrects=original)  # fmt: skip
    assert case_missing_for_next_step(case) == []


# --- Illegal moves ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        (Phase.CONVERSATION, "niet mogelijk"),
        (Phase.WEIGHING, "niet mogelijk"),
        (Phase.HELP, "niet mogelijk"),
        (Phase.REPORTED, "niet mogelijk"),
        (Phase.CLOSED, "niet mogelijk"),
        (Phase.SIGNALS, "niet mogelijk"),
        ("stap_9", "niet mogelijk"),
    ],
)
def test_steps_cannot_be_skipped_from_step_1(actor, target, fragment):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    signal(actor, case)
    refused(actor, case, target, fragment, reason="Omdat het moet.")


@pytest.mark.parametrize("target", [Phase.HELP, Phase.REPORTED])
def test_help_and_report_only_follow_a_decision(actor, target):
    case = weighing_case(actor)
    weigh(actor, case, "afweging_1", "ja")
    weigh(actor, case, "afweging_2", "ja")
    refused(actor, case, target, "niet mogelijk", reason="Snel melden.")


def test_closing_goes_through_a_decision(actor):
    case = weighing_case(actor)
    weigh(actor, case, "afweging_1", "nee")
    refused(actor, case, Phase.CLOSED, "besluit", reason="Klaar.")


# --- Going back -------------------------------------------------------------------------------


def test_going_back_needs_a_reason_and_is_recorded(actor):
    case = weighing_case(actor)
    refused(actor, case, Phase.SIGNALS, "waarom", reason="   ")
    move(actor, case, Phase.SIGNALS, reason="  Nieuwe signalen van de gymleraar.  ")
    stored = Case.objects.get(pk=case.pk)
    assert stored.phase == Phase.SIGNALS
    change = PhaseChange.objects.filter(case=case).order_by("created_at", "pk").last()
    assert change is not None
    assert (change.source, change.target, change.reason) == (
        Phase.WEIGHING,
        Phase.SIGNALS,
        "Nieuwe signalen van de gymleraar.",
    )
    # Going on again needs the steps' requirements, which are still met.
    move(actor, case, Phase.CONSULTATION)
    assert case.phase == Phase.CONSULTATION


def test_going_back_from_a_report_is_possible_with_a_reason(actor):
    from tests.cases.builders import reported_case

    case = reported_case(actor)
    refused(actor, case, Phase.CONVERSATION, "waarom")
    move(actor, case, Phase.CONVERSATION, reason="Veilig Thuis vraagt eerst een gesprek.")
    assert Case.objects.get(pk=case.pk).phase == Phase.CONVERSATION


def test_new_signals_after_step_3_are_recorded_in_the_current_step(actor):
    case = weighing_case(actor)
    entry = signal(actor, case, "Weer een blauwe plek.")
    assert entry.phase == Phase.WEIGHING
    assert Case.objects.get(pk=case.pk).phase == Phase.WEIGHING
    weigh(actor, case, "afweging_1", "ja")
    weigh(actor, case, "afweging_2", "nee")
    move(actor, case, Phase.DECIDING)
    assert signal(actor, case, "Kind vertelt over slaan.").phase == Phase.DECIDING


# --- Re-opening -------------------------------------------------------------------------------


def closed_case(actor: Actor) -> Case:
    case = weighing_case(actor)
    weigh(actor, case, "afweging_1", "nee")
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE
    )
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED and case.closed_at is not None
    return case


def test_a_closed_case_is_reopened_with_a_reason(actor):
    case = closed_case(actor)
    with pytest.raises(CaseError, match="afgesloten"):
        signal(actor, case)
    refused(actor, case, Phase.SIGNALS, "waarom")
    refused(actor, case, Phase.CONSULTATION, "niet mogelijk", reason="Nieuwe zorgen.")
    move(actor, case, Phase.SIGNALS, reason="Nieuwe melding van de buren.")
    stored = Case.objects.get(pk=case.pk)
    assert stored.phase == Phase.SIGNALS
    assert stored.closed_at is None
    change = PhaseChange.objects.filter(case=case).order_by("created_at", "pk").last()
    assert change is not None
    assert (change.source, change.target) == (Phase.CLOSED, Phase.SIGNALS)
    assert signal(actor, case, "Nieuwe zorg.").phase == Phase.SIGNALS


def test_a_reopened_case_is_weighed_again(actor):
    case = closed_case(actor)
    assert case_weighing_answers(case) == {"afweging_1": "nee"}
    move(actor, case, Phase.SIGNALS, reason="Nieuwe signalen.")
    assert case_weighing_answers(case) == {}
    for target in (Phase.CONSULTATION, Phase.CONVERSATION, Phase.WEIGHING):
        move(actor, case, target)
    refused(actor, case, Phase.DECIDING, "Afweging 1")
    with pytest.raises(CaseError, match="afwegingen"):
        services.case_decide(
            actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE
        )
    weigh(actor, case, "afweging_1", "ja")
    assert case_weighing_answers(case) == {"afweging_1": "ja"}
