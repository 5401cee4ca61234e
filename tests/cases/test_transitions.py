"""Every phase change goes through one transition function, and only the moves in the table.

The expected table is written out here on purpose: widening `workflow.TRANSITIONS` makes the
refusal tests below fail, and so does any code that writes a phase or a `PhaseChange` elsewhere.
"""

from __future__ import annotations

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from meldwijzer.cases import services, workflow
from meldwijzer.cases.models import Case, Outcome, PhaseChange
from meldwijzer.cases.services import CaseError
from meldwijzer.cases.workflow import NEW, Phase, Trigger
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import reported_case, weighing_case

S1, S2, S3, S4, S5 = workflow.STEPS
HELP, REPORTED, CLOSED = Phase.HELP, Phase.REPORTED, Phase.CLOSED

EXPECTED: set[tuple[str, str, str]] = {
    (NEW, Trigger.OPEN, S1),
    (S1, Trigger.FORWARD, S2),
    (S2, Trigger.FORWARD, S3),
    (S3, Trigger.FORWARD, S4),
    (S4, Trigger.FORWARD, S5),
    (S2, Trigger.BACK, S1),
    *((S3, Trigger.BACK, step) for step in (S1, S2)),
    *((S4, Trigger.BACK, step) for step in (S1, S2, S3)),
    *((S5, Trigger.BACK, step) for step in (S1, S2, S3, S4)),
    *((HELP, Trigger.BACK, step) for step in workflow.STEPS),
    *((REPORTED, Trigger.BACK, step) for step in workflow.STEPS),
    (CLOSED, Trigger.REOPEN, S1),
    *((source, Trigger.DECIDE, target) for source in (S4, S5, HELP) for target in (HELP, REPORTED, CLOSED)),
    *((source, Trigger.REPORT_NOW, REPORTED) for source in (*workflow.STEPS, HELP)),
    (REPORTED, Trigger.CLOSE, CLOSED),
}  # fmt: skip

# What the professional reads when a move is refused (Dutch, never a technical message).
REFUSALS = {
    Trigger.OPEN: "Een casus begint bij stap 1.",
    Trigger.FORWARD: "Deze stap is vanuit de huidige fase niet mogelijk.",
    Trigger.BACK: "Deze stap is vanuit de huidige fase niet mogelijk.",
    Trigger.REOPEN: "Deze stap is vanuit de huidige fase niet mogelijk.",
    Trigger.DECIDE: "Een besluit neemt u in stap 4 of 5, of bij de evaluatie van de hulp.",
    Trigger.REPORT_NOW: "Direct melden kan vanuit de stappen of tijdens de hulp.",
    Trigger.CLOSE: "Alleen een gemelde casus sluit u zo af; anders via een besluit.",
}
SOURCES = [NEW, *Phase.values]


@pytest.fixture
def actor(make_member, organisation) -> Actor:
    found = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    assert found is not None
    return found


def _in_table() -> set[tuple[str, str, str]]:
    return {
        (source, trigger, target)
        for trigger, moves in workflow.TRANSITIONS.items()
        for source, targets in moves.items()
        for target in targets
    }


def test_the_table_has_exactly_the_moves_of_the_meldcode():
    assert _in_table() == EXPECTED


def _put(case: Case, phase: str) -> None:
    """Put a test case in a phase directly (only tests do this)."""
    Case.objects.filter(pk=case.pk).update(phase=phase)
    case.refresh_from_db()


@pytest.mark.django_db
@pytest.mark.parametrize("trigger", list(Trigger))
def test_every_move_outside_the_table_is_refused_and_changes_nothing(actor, trigger):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    changes = PhaseChange.objects.count()
    refused = 0
    for source in SOURCES:
        if source == NEW:
            continue  # a case that exists is never new; opening is tried from every phase
        _put(case, source)
        for target in Phase.values:
            if (NEW if trigger == Trigger.OPEN else source, trigger, target) in EXPECTED:
                continue
            with pytest.raises(CaseError) as caught:
                services._transition(actor, case, target, trigger, "Een reden.")
            assert str(caught.value) == REFUSALS[trigger], (source, trigger, target)
            stored = Case.objects.get(pk=case.pk)
            assert (stored.phase, stored.closed_at) == (source, None), (source, trigger, target)
            assert PhaseChange.objects.count() == changes, (source, trigger, target)
            refused += 1
    assert refused > 0


@pytest.mark.django_db
def test_a_case_is_opened_only_once(actor):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    with pytest.raises(CaseError, match="begint bij stap 1"):
        services._transition(actor, case, S1, Trigger.OPEN, "Nog eens.")
    assert PhaseChange.objects.filter(case=case).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "trigger", "target"),
    sorted(move for move in EXPECTED if move[1] != Trigger.OPEN),
)
def test_every_move_in_the_table_is_made_and_recorded(actor, source, trigger, target):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    _put(case, source)
    services._transition(actor, case, target, trigger, "  Een reden.  ")
    stored = Case.objects.get(pk=case.pk)
    assert stored.phase == target
    assert (stored.closed_at is not None) == (target == CLOSED)
    assert (stored.reopened_at is not None) == (trigger == Trigger.REOPEN)
    change = PhaseChange.objects.filter(case=case).last()
    assert change is not None
    assert (change.source, change.target, change.reason) == (source, target, "Een reden.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "trigger", "target", "fragment"),
    [
        (S3, Trigger.BACK, S1, "waarom u teruggaat"),
        (REPORTED, Trigger.BACK, S3, "waarom u teruggaat"),
        (CLOSED, Trigger.REOPEN, S1, "waarom u teruggaat"),
        (REPORTED, Trigger.CLOSE, CLOSED, "waarom de casus wordt afgesloten"),
    ],
)
def test_moves_that_need_a_reason_are_refused_without_one(actor, source, trigger, target, fragment):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    _put(case, source)
    with pytest.raises(CaseError, match=fragment):
        services._transition(actor, case, target, trigger, "   ")
    assert Case.objects.get(pk=case.pk).phase == source
    assert PhaseChange.objects.filter(case=case).count() == 1


# --- The public services refuse what the table refuses, and change nothing --------------------


def _unchanged(case: Case, version: int, phase: str) -> None:
    stored = Case.objects.get(pk=case.pk)
    assert (stored.version, stored.phase) == (version, phase)


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [S1, S2, S3, HELP, CLOSED])
def test_closing_after_a_report_is_refused_elsewhere(actor, phase):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    _put(case, phase)
    with pytest.raises(CaseError, match="Alleen een gemelde casus"):
        services.case_close(actor=actor, case=case, expected_version=case.version, reason="Klaar.")
    _unchanged(case, 1, phase)


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [REPORTED, CLOSED])
def test_reporting_now_is_refused_after_a_report_or_when_closed(actor, phase):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    _put(case, phase)
    with pytest.raises(CaseError, match="Direct melden kan"):
        services.case_report_now(
            actor=actor, case=case, expected_version=case.version, danger="Gevaar.",
            unidentified_reason="Onbekend.",
        )  # fmt: skip
    _unchanged(case, 1, phase)


@pytest.mark.django_db
@pytest.mark.parametrize("phase", [S1, S2, S3, REPORTED, CLOSED])
def test_deciding_is_refused_outside_steps_4_5_and_the_review(actor, phase):
    case = weighing_case(actor)
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_1",
        answer="nee", reasoning="Geen vermoeden.",
    )  # fmt: skip
    version = case.version
    _put(case, phase)
    with pytest.raises(CaseError, match="Een besluit neemt u"):
        services.case_decide(
            actor=actor, case=case, expected_version=version, outcome=Outcome.CLOSE
        )
    _unchanged(case, version, phase)


@pytest.mark.django_db
def test_a_decision_takes_the_case_where_the_table_says(actor):
    case = reported_case(actor)
    assert case.phase == workflow.DECISION_TARGETS[Outcome.REPORT] == REPORTED
    assert set(workflow.DECISION_TARGETS) == set(Outcome.values)
    assert set(workflow.DECISION_TARGETS.values()) == workflow.targets(S5, Trigger.DECIDE)


# --- Nothing else writes a phase ----------------------------------------------------------------

SRC = Path(__file__).resolve().parents[2] / "src" / "meldwijzer"
ALLOWED = ("cases/services.py", "_transition")
CASE_CREATORS = {"Case", "Case.objects.create", "Case.objects.get_or_create"}


PHASE_CHANGE_WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "save",
}
"""Calls on `PhaseChange` that record a change of phase; destroying a whole file is not one."""


def _phase_writes(tree: ast.AST) -> list[tuple[int, str]]:
    """Where code assigns `.phase`, passes `phase=` to an update, saves a phase field, or
    creates a PhaseChange: each with its line and the name of the function it is in."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Attribute) and t.attr == "phase" for t in targets):
            found.append((node.lineno, function))
        if isinstance(node, ast.Call):
            call = ast.unparse(node.func)
            keywords = {keyword.arg for keyword in node.keywords}
            fields = " ".join(ast.unparse(k.value) for k in node.keywords if k.arg)
            if (
                (
                    call == "PhaseChange"
                    or (
                        call.split(".")[0] == "PhaseChange"
                        and call.split(".")[-1] in PHASE_CHANGE_WRITES
                    )
                )
                or (call.endswith(".update") and "phase" in keywords)
                or (call in CASE_CREATORS and "phase" in keywords)
                or (call.endswith(".save") and "'phase'" in fields)
                or (call == "setattr" and "'phase'" in ast.unparse(node))
            ):
                found.append((node.lineno, function))
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "")
    return found


def test_only_the_transition_function_writes_a_phase():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in f"/{relative}":
            continue
        for line, function in _phase_writes(ast.parse(path.read_text(encoding="utf-8"))):
            if (relative, function) != ALLOWED:
                offenders.append(f"{relative}:{line} ({function or 'module'})")
    assert offenders == []


@pytest.mark.parametrize(
    "code",
    [
        "def f(case):\n    case.phase = 'stap_2'\n",
        "def f(case):\n    PhaseChange.objects.create(case=case, source='', target='stap_1')\n",
        "def f(case):\n    PhaseChange(case=case, source='', target='stap_1').save()\n",
        "def f(case):\n    Case.objects.filter(pk=case.pk).update(phase='gemeld')\n",
        "def f(case):\n    case.save(update_fields=['phase'])\n",
        "def f(case):\n    setattr(case, 'phase', 'gemeld')\n",
        "def f(org):\n    Case.objects.create(organisation=org, phase='gemeld')\n",
    ],
)
def test_the_check_finds_a_phase_written_elsewhere(code):
    assert _phase_writes(ast.parse(code)) == [(2, "f")]


def test_reading_a_phase_is_not_writing_it():
    code = (
        "def f(case):\n"
        "    Entry.objects.create(case=case, phase=case.phase)\n"
        "    Case.objects.filter(phase='stap_1').count()\n"
        "    return case.phase == 'stap_1'\n"
    )
    assert _phase_writes(ast.parse(code)) == []


@pytest.mark.django_db
def test_a_reopened_case_starts_its_target_times_again(actor):
    case = services.case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    _put(case, CLOSED)
    before = timezone.now() - datetime.timedelta(seconds=1)
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=S1, reason="Nieuwe zorg."
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.phase == S1 and stored.reopened_at is not None and stored.reopened_at > before


def test_no_template_compares_phases():
    """Templates ask `case.workflow`; a phase compared by name would bypass the table."""
    compare = re.compile(r"\{%[^%]*\bphase\s*(==|!=|\bin\b|\bnot in\b)[^%]*%\}")
    found = [
        f"{path.name}: {match.group(0)}"
        for path in sorted((SRC / "templates").rglob("*.html"))
        for match in compare.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_what_each_phase_allows_follows_from_the_table():
    def where(attribute: str) -> set[str]:
        return {phase for phase in Phase.values if getattr(workflow.phase_rules(phase), attribute)}

    assert where("may_decide") == where("may_weigh") == {S4, S5, HELP}
    assert where("may_report_now") == {*workflow.STEPS, HELP}
    assert where("may_close") == where("records_report") == {REPORTED}
    assert where("may_record") == set(Phase.values) - {CLOSED}
    assert where("checks_requirements") == {S1, S2, S3, S4}
    assert [workflow.phase_rules(step).next_step for step in workflow.STEPS] == [
        S2,
        S3,
        S4,
        S5,
        None,
    ]
    assert workflow.phase_rules(S3).back_steps == (S1, S2)
    assert workflow.phase_rules(HELP).back_steps == tuple(workflow.STEPS)
    assert workflow.phase_rules(CLOSED).back_steps == (S1,)
    assert workflow.phase_rules(CLOSED).offered_entries == ()
