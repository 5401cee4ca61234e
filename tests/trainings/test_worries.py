"""Zorgen delen: the services and selectors, and the rules that protect people and data."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Subject
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.organisations.models import Municipality
from meldwijzer.trainings import worries
from meldwijzer.trainings.models import Worry, WorryMessage, WorryRecipient, WorryState
from meldwijzer.trainings.worries import WorryError, WorryInputError
from tests.trainings.builders_worries import CLEAN, actor_of, region, share

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return region()


def refusals(worry_id: int) -> int:
    return AccessLogEntry.objects.filter(
        subject_type=Subject.WORRY, subject_id=str(worry_id), outcome=AccessOutcome.DENIED
    ).count()


# --- sharing ---------------------------------------------------------------------------------


def test_a_worry_gets_a_reference_and_the_members_beroepsgroep(world):
    worry = share(world.teacher)
    year = timezone.localdate().year
    assert worry.reference == f"ZD-{year}-0001"
    assert share(world.other_teacher).reference == f"ZD-{year}-0002"
    assert worry.state == WorryState.OPEN
    assert worry.profession == "onderwijs"  # from the school's sector


def test_the_next_reference_follows_the_highest_not_the_count(world):
    year = timezone.localdate().year
    share(world.teacher)
    second = share(world.teacher)
    Worry.objects.filter(reference=f"ZD-{year}-0001").delete()
    assert share(world.teacher).reference == f"ZD-{year}-0003"
    assert second.reference == f"ZD-{year}-0002"


def test_a_text_with_identifiers_is_refused_and_nothing_changes(world):
    before = AccessLogEntry.objects.count()
    with pytest.raises(WorryInputError) as refused:
        share(world.teacher, question="Moeder Fatima belde; het BSN van het kind is 123456782.")
    messages = refused.value.errors["question"]
    assert len(messages) == 2
    assert any("een naam" in message for message in messages)
    assert any("een BSN" in message for message in messages)
    assert not any("123456782" in message or "Fatima" in message for message in messages)
    assert Worry.objects.count() == 0
    assert AccessLogEntry.objects.count() == before
    assert mail.outbox == []


def test_a_message_with_identifiers_is_refused_and_nothing_changes(world):
    worry = share(world.teacher)
    with pytest.raises(WorryInputError):
        worries.worry_message(
            actor=actor_of(world.officer), worry_id=worry.pk, body="Bel 06-12345678 even."
        )
    worry.refresh_from_db()
    assert worry.state == WorryState.OPEN
    assert not WorryMessage.objects.exists()


def test_the_line_is_the_veilig_thuis_working_in_the_municipality(world):
    worry = share(world.teacher, WorryRecipient.LINE)
    assert worry.line_organisation == world.line


def test_without_a_line_for_the_municipality_the_line_is_refused(world):
    world.line.works_in.clear()
    with pytest.raises(WorryInputError) as refused:
        share(world.teacher, WorryRecipient.LINE)
    assert "recipient" in refused.value.errors
    assert not Worry.objects.exists()


def test_without_an_officer_the_officer_is_refused(world):
    from meldwijzer.organisations.models import Membership

    Membership.objects.filter(user=world.officer).update(is_active=False)
    with pytest.raises(WorryInputError) as refused:
        share(world.teacher)
    assert "recipient" in refused.value.errors


def test_a_role_without_case_work_cannot_share(world):
    with pytest.raises(WorryError):
        worries.worry_share(
            actor=actor_of(world.admin), recipient=WorryRecipient.OFFICER, question=CLEAN
        )


def test_the_answerers_get_an_email_without_content(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        worries.worry_share(
            actor=actor_of(world.teacher), recipient=WorryRecipient.OFFICER, question=CLEAN
        )
    assert [message.to for message in mail.outbox] == [[world.officer.email]]
    assert "blauwe plekken" not in mail.outbox[0].body


# --- who sees what ---------------------------------------------------------------------------


def test_the_asker_and_the_officer_see_the_worry(world):
    worry = share(world.teacher)
    assert worries.worry_get(actor=actor_of(world.teacher), worry_id=worry.pk).is_asker
    assert worries.worry_get(actor=actor_of(world.officer), worry_id=worry.pk).is_answerer


@pytest.mark.parametrize("who", ["colleague", "other_teacher", "other_officer", "line_worker"])
def test_anyone_else_gets_not_found_logged(world, who):
    worry = share(world.teacher)
    with pytest.raises(Http404):
        worries.worry_get(actor=actor_of(getattr(world, who)), worry_id=worry.pk)
    assert refusals(worry.pk) == 1


def test_the_officer_does_not_see_a_worry_addressed_to_the_line(world):
    worry = share(world.teacher, WorryRecipient.LINE)
    with pytest.raises(Http404):
        worries.worry_get(actor=actor_of(world.officer), worry_id=worry.pk)
    assert worries.worries_inbox(actor=actor_of(world.officer)) == []


def test_the_line_sees_only_worries_addressed_to_it(world):
    to_line = share(world.teacher, WorryRecipient.LINE)
    to_officer = share(world.teacher)
    line = actor_of(world.line_worker)
    assert [w.pk for w in worries.worries_inbox(actor=line)] == [to_line.pk]
    with pytest.raises(Http404):
        worries.worry_get(actor=line, worry_id=to_officer.pk)
    far = actor_of(world.far_line_worker)
    assert worries.worries_inbox(actor=far) == []
    with pytest.raises(Http404):
        worries.worry_get(actor=far, worry_id=to_line.pk)
    assert refusals(to_line.pk) == 1


def test_the_inbox_lists_only_the_own_organisations_worries_open_first(world):
    answered = share(world.teacher)
    worries.worry_message(actor=actor_of(world.officer), worry_id=answered.pk, body="Goed zo.")
    waiting = share(world.colleague)
    share(world.other_teacher)
    inbox = worries.worries_inbox(actor=actor_of(world.officer))
    assert [w.pk for w in inbox] == [waiting.pk, answered.pk]
    assert worries.worries_waiting_count(actor=actor_of(world.officer)) == 1


def test_my_worries_are_only_my_own(world):
    mine = share(world.teacher)
    share(world.colleague)
    assert [w.pk for w in worries.worries_mine(actor=actor_of(world.teacher))] == [mine.pk]


def test_a_message_to_a_foreign_worry_is_not_found_and_changes_nothing(world):
    worry = share(world.teacher)
    with pytest.raises(Http404):
        worries.worry_message(actor=actor_of(world.other_officer), worry_id=worry.pk, body="Hoi")
    assert not WorryMessage.objects.exists()
    assert refusals(worry.pk) == 1


# --- the conversation ------------------------------------------------------------------------


def test_an_answer_then_a_reply_then_closing(world, django_capture_on_commit_callbacks):
    worry = share(world.teacher)
    with django_capture_on_commit_callbacks(execute=True):
        worries.worry_message(
            actor=actor_of(world.officer), worry_id=worry.pk, body="Leg de signalen vast."
        )
    worry.refresh_from_db()
    assert worry.state == WorryState.ANSWERED and worry.answered_at is not None
    assert [message.to for message in mail.outbox] == [[world.teacher.email]]
    assert "signalen" not in mail.outbox[0].body
    worries.worry_message(actor=actor_of(world.teacher), worry_id=worry.pk, body="En dan?")
    worry.refresh_from_db()
    assert worry.state == WorryState.OPEN
    with pytest.raises(WorryError):
        worries.worry_close(actor=actor_of(world.officer), worry_id=worry.pk)
    worries.worry_close(actor=actor_of(world.teacher), worry_id=worry.pk)
    worry.refresh_from_db()
    assert worry.state == WorryState.CLOSED
    with pytest.raises(WorryError):
        worries.worry_message(actor=actor_of(world.officer), worry_id=worry.pk, body="Nog iets.")
    assert WorryMessage.objects.count() == 2


# --- becoming a case -------------------------------------------------------------------------


def test_a_worry_becomes_a_case_without_its_text(world):
    worry = share(world.teacher)
    case = worries.worry_to_case(actor=actor_of(world.teacher), worry_id=worry.pk, client="kind")
    worry.refresh_from_db()
    assert worry.case == case
    assert case.organisation == world.school and case.responsible == world.teacher
    assert worry.reference in case.title
    [note] = Entry.objects.filter(case=case, kind=EntryKind.NOTE)
    assert worry.reference in note.data["text"]
    assert "blauwe plekken" not in note.data["text"] + case.title
    with pytest.raises(WorryError):
        worries.worry_to_case(actor=actor_of(world.teacher), worry_id=worry.pk, client="kind")
    assert Case.objects.count() == 1


def test_only_the_asker_makes_a_case(world):
    worry = share(world.teacher)
    with pytest.raises(WorryError):
        worries.worry_to_case(actor=actor_of(world.officer), worry_id=worry.pk, client="kind")
    with pytest.raises(Http404):
        worries.worry_to_case(actor=actor_of(world.colleague), worry_id=worry.pk, client="kind")
    with pytest.raises(WorryInputError):
        worries.worry_to_case(actor=actor_of(world.teacher), worry_id=worry.pk, client="x")
    assert not Case.objects.exists()


# --- figures ---------------------------------------------------------------------------------


def test_worries_per_quarter_counts_organisations_working_in_the_municipality(world):
    def shared_on(user, day: datetime.date, recipient=WorryRecipient.OFFICER) -> None:
        worry = share(user, recipient)
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
        Worry.objects.filter(pk=worry.pk).update(created_at=moment)

    shared_on(world.teacher, datetime.date(2025, 1, 10))
    shared_on(world.teacher, datetime.date(2025, 3, 31))
    shared_on(world.other_teacher, datetime.date(2025, 4, 1))
    shared_on(world.teacher, datetime.date(2025, 12, 31), WorryRecipient.LINE)
    # The line's own professional, from an organisation seated elsewhere that also works here.
    shared_on(world.line_worker, datetime.date(2025, 12, 1), WorryRecipient.LINE)
    # An organisation that only works in Zwolle is not counted for Noordoostpolder.
    shared_on(world.far_line_worker, datetime.date(2025, 5, 1), WorryRecipient.LINE)
    home = Municipality.objects.get(name="Noordoostpolder")
    assert worries.worries_per_quarter(municipality=home) == {
        (2025, 1): 2,
        (2025, 2): 1,
        (2025, 4): 2,
    }
    far = Municipality.objects.get(name="Zwolle")
    assert worries.worries_per_quarter(municipality=far) == {(2025, 2): 1, (2025, 4): 1}


def test_two_worries_at_once_take_the_next_reference(world, monkeypatch):
    """The unique reference decides between two worries shared at the same moment: the one that
    picked a reference already taken tries the next number."""
    first = share(world.teacher)
    picks = iter([first.reference])
    real = worries._next_reference
    monkeypatch.setattr(worries, "_next_reference", lambda year: next(picks, None) or real(year))
    second = share(world.colleague)
    assert second.reference != first.reference
    assert Worry.objects.count() == 2


def test_the_demo_texts_pass_the_check():
    from meldwijzer.trainings.demo_worries import STORIES
    from meldwijzer.trainings.identifiers import identifiers_find

    texts = [story.question for story in STORIES]
    texts += [text for story in STORIES for _, text in story.conversation]
    assert [text for text in texts if identifiers_find(text)] == []
