"""The demo cases load through the services, cover every phase, and load only once."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases.demo import STORIES
from meldwijzer.cases.models import Case, Entry, Outcome, PhaseChange
from meldwijzer.cases.selectors import case_identified, case_is_overdue
from meldwijzer.cases.workflow import Phase
from meldwijzer.coordination import demo_matching
from meldwijzer.demo import demo_load
from meldwijzer.followups import demo as followups_demo
from meldwijzer.trainings import demo_worries

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _counts() -> dict[str, int]:
    return {
        "cases": Case.objects.count(),
        "entries": Entry.objects.count(),
        "phase_changes": PhaseChange.objects.count(),
    }


def test_demo_cases_load_once():
    demo_load()
    first = _counts()
    # The stories, the cases of the match-signal demo (the same child at two organisations),
    # those of the follow-up demo and the worries that became a case.
    from_worries = sum(1 for story in demo_worries.STORIES if story.to_case)
    assert first["cases"] == (
        len(STORIES) + len(demo_matching.CASES) + followups_demo.NEW_CASES + from_worries
    )
    demo_load()
    assert _counts() == first


def test_demo_covers_every_phase_and_outcome():
    demo_load()
    assert set(Case.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert set(Case.objects.exclude(outcome="").values_list("outcome", flat=True)) == set(
        Outcome.values
    )
    cases = list(Case.objects.all())
    assert any(case_is_overdue(case) for case in cases)
    assert any(not case_is_overdue(case) for case in cases)


def test_demo_shows_the_situations_a_demo_needs():
    demo_load()
    kinds = set(Entry.objects.values_list("kind", flat=True))
    assert {
        "conversation_skipped",
        "counter_signal",
        "child_check",
        "consultation_request",
        "report",
        "report_feedback",
        "staff_route",
    } <= kinds
    assert Entry.objects.filter(corrects__isnull=False).exists()
    assert Entry.objects.filter(kind="signal", data__source_confidential=True).exists()
    due = Case.objects.filter(phase=Phase.HELP, review_date__lt=timezone.localdate())
    assert due.exists()  # afweging 5 is due
    assert Case.objects.filter(client="volwassene", entries__kind="child_check").exists()
    # The kindcheck as an open task, a report made at once, and reports that identify the child.
    assert Entry.objects.filter(kind="child_check", data__has_children="onbekend").exists()
    assert Entry.objects.filter(kind="decision", data__fast_path=True).exists()
    reported = Case.objects.filter(phase=Phase.REPORTED)
    assert reported.exists()
    for case in reported:
        assert case_identified(case), case.title


def test_demo_cases_are_written_through_the_services():
    demo_load()
    case = Case.objects.get(title="Zorgen over leerling groep 5")
    rows = AccessLogEntry.objects.filter(subject_type="casus", subject_id=str(case.pk))
    assert rows.filter(action="create", part="casus").exists()
    assert rows.filter(part="besluit").exists()
    assert case.phase_changes.first().reason == "Casus geopend"
    assert case.opened_at < timezone.now() - datetime.timedelta(days=20)
