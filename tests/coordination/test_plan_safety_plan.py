"""The safety plan: its structure and validation, every revision kept, concurrent edits refused
with what the other saved, overdue reviews flagged, the family's printout logged, and only who
sees the plan part reads it."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.coordination import safety_plan, selectors
from meldwijzer.coordination.models import (
    CoordinationFile,
    FileParts,
    FileState,
    SafetyPlanRevision,
)
from meldwijzer.coordination.safety_plan import PlanConflictError, PlanInputError
from meldwijzer.coordination.services import CoordinationError
from tests.conftest import force_verified_login
from tests.coordination.access_plan import plan_content
from tests.coordination.builders import actor_of, team

pytestmark = pytest.mark.django_db


def later() -> datetime.date:
    """A review date 30 days after the day the test runs."""
    return timezone.localdate() + datetime.timedelta(days=30)


def revise(user, file, based_on, content=None, review_date=None, note=""):
    actor = actor_of(user)
    return safety_plan.safety_plan_revise(
        actor=actor,
        access=selectors.file_access_for(actor, file),
        content=content or plan_content(),
        review_date=review_date or later(),
        based_on=based_on,
        change_note=note,
    )


def form_data(based_on: int, happened: str = "Moeder is geduwd.") -> dict[str, str]:
    return {
        "based_on": str(based_on),
        "worries.happened": happened,
        "worries.afraid_of": "Dat het weer gebeurt.",
        "goals.0.behaviour": "Er wordt niet geslagen.",
        "goals.0.scores.0.who": "Moeder",
        "goals.0.scores.0.score": "5",
        "goals.0.scores.1.who": "Sem (kind)",
        "goals.0.scores.1.score": "3",
        "goals.1.behaviour": "",
        "goals.1.scores.0.who": "",
        "goals.1.scores.0.score": "",
        "network.0.name": "",
        "when_wrong.call.0.name": "Casusregisseur",
        "when_wrong.call.0.phone": "0527 700 101",
        "review_date": later().isoformat(),
        "change_note": "Na het gesprek.",
    }


# --- The content ----------------------------------------------------------------------------------


def test_a_complete_plan_is_valid_and_keeps_only_its_structure():
    content, errors = safety_plan.plan_content_clean({**plan_content(), "extra": "weg"})
    assert errors == {}
    assert "extra" not in content
    assert content["goals"][0]["scores"] == [
        {"who": "Moeder", "score": 5},
        {"who": "Kind", "score": 3},
    ]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (plan_content(worries={"happened": "", "afraid_of": "x"}), "worries.happened"),
        (plan_content(worries={"happened": "x"}), "worries.afraid_of"),
        (plan_content(goals=[]), "goals"),
        (plan_content(goals="geen lijst"), "goals"),
        (plan_content(goals=[{"behaviour": "Rust", "scores": []}]), "goals.0.scores"),
        (plan_content(goals=[{"behaviour": "", "scores": [{"who": "M", "score": 3}]}]), "goals.0.behaviour"),
        (plan_content(goals=[{"behaviour": "R", "scores": [{"who": "M", "score": 11}]}]), "goals.0.scores.0.score"),
        (plan_content(goals=[{"behaviour": "R", "scores": [{"who": "M", "score": -1}]}]), "goals.0.scores.0.score"),
        (plan_content(goals=[{"behaviour": "R", "scores": [{"who": "M", "score": "veel"}]}]), "goals.0.scores.0.score"),
        (plan_content(goals=[{"behaviour": "R", "scores": [{"who": "M", "score": True}]}]), "goals.0.scores.0.score"),
        (plan_content(goals=[{"behaviour": "R", "scores": [{"who": "", "score": 4}]}]), "goals.0.scores.0.who"),
        (plan_content(when_wrong={"call": []}), "when_wrong.call"),
        (plan_content(when_wrong={"call": [{"name": "Oma", "phone": ""}]}), "when_wrong.call.0.phone"),
        (plan_content(when_wrong={"call": [{"name": "Oma", "phone": "bel maar"}]}), "when_wrong.call.0.phone"),
        (plan_content(network=[{"name": "", "phone": "06 1"}]), "network.0.name"),
        (plan_content(worries="tekst"), "worries"),
        ("geen object", "content"),
        (None, "content"),
    ],
)  # fmt: skip
def test_an_incomplete_or_wrong_plan_is_refused_with_the_field_named(content, field):
    _, errors = safety_plan.plan_content_clean(content)
    assert field in errors, errors
    assert all(isinstance(message, str) and message for message in errors[field])


def test_the_form_inputs_become_the_content_without_empty_rows():
    content = safety_plan.plan_content_from_form(form_data(0))
    assert len(content["goals"]) == 1
    assert content["goals"][0]["scores"][1] == {"who": "Sem (kind)", "score": "3"}
    assert content["network"] == []
    _, errors = safety_plan.plan_content_clean(content)
    assert errors == {}


# --- Revisions --------------------------------------------------------------------------------------


def test_every_revision_is_kept_and_numbered():
    people = team()
    first = revise(people.coordinator, people.file, 0)
    second = revise(people.partner, people.file, 1, plan_content(child_view="Anders."))
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.content["child_view"] == "Ik wil dat het rustig is."
    assert second.organisation == actor_of(people.partner).organisation
    assert (
        AccessLogEntry.objects.filter(
            action=Action.CREATE, part=FileParts.SAFETY_PLAN, client_id=people.file.client_pseudonym
        ).count()
        == 2
    )


def test_a_save_on_an_older_version_is_refused_with_what_the_other_saved():
    people = team()
    revise(people.coordinator, people.file, 0)
    theirs = revise(people.partner, people.file, 1, plan_content(child_view="Van de juf."))
    with pytest.raises(PlanConflictError) as raised:
        revise(people.coordinator, people.file, 1, plan_content(child_view="Van mij."))
    assert raised.value.current.pk == theirs.pk
    assert "versie 2" in str(raised.value)
    assert SafetyPlanRevision.objects.filter(file=people.file).count() == 2
    assert SafetyPlanRevision.objects.get(file=people.file, number=2).content["child_view"] == (
        "Van de juf."
    )


def test_the_database_refuses_a_second_revision_with_the_same_number():
    people = team()
    revision = revise(people.coordinator, people.file, 0)
    with pytest.raises(IntegrityError), transaction.atomic():
        SafetyPlanRevision.objects.create(
            file=people.file,
            number=1,
            content=revision.content,
            review_date=later(),
            author=people.coordinator,
            organisation=revision.organisation,
            created_at=timezone.now(),
        )


def test_a_race_past_the_check_ends_in_a_conflict_not_an_overwrite(monkeypatch):
    """Two saves that both saw version 1: the unique (file, number) refuses the second."""
    people = team()
    revise(people.coordinator, people.file, 0)
    theirs = revise(people.partner, people.file, 1)
    stale = SafetyPlanRevision.objects.get(file=people.file, number=1)
    real_current = safety_plan.plan_current
    calls = []

    def seen_before_the_other_saved(access):
        calls.append(1)
        return stale if len(calls) == 1 else real_current(access)

    monkeypatch.setattr(safety_plan, "plan_current", seen_before_the_other_saved)
    with pytest.raises(PlanConflictError) as raised:
        revise(people.coordinator, people.file, 1)
    assert raised.value.current.pk == theirs.pk
    assert SafetyPlanRevision.objects.filter(file=people.file).count() == 2


def test_the_review_date_is_required_and_not_in_the_past():
    people = team()
    actor = actor_of(people.coordinator)
    for review_date in (None, timezone.localdate() - datetime.timedelta(days=1)):
        with pytest.raises(PlanInputError) as raised:
            safety_plan.safety_plan_revise(
                actor=actor,
                access=selectors.file_access_for(actor, people.file),
                content=plan_content(),
                review_date=review_date,
                based_on=0,
                change_note="",
            )
        assert "review_date" in raised.value.errors
    assert not SafetyPlanRevision.objects.exists()


def test_writing_needs_an_open_file():
    people = team()
    CoordinationFile.objects.filter(pk=people.file.pk).update(state=FileState.CLOSED)
    people.file.refresh_from_db()
    with pytest.raises(CoordinationError):
        revise(people.coordinator, people.file, 0)
    assert not SafetyPlanRevision.objects.exists()


# --- Pages ------------------------------------------------------------------------------------------


def test_a_new_version_starts_from_the_current_one(client):
    people = team()
    revise(people.coordinator, people.file, 0, plan_content(child_view="Sem zegt: rustig."))
    force_verified_login(client, people.partner)
    response = client.get(reverse("coordination:safety_plan_edit", args=[people.file.pk]))
    assert response.status_code == 200
    assert "Sem zegt: rustig." in response.content.decode()
    assert 'name="based_on" value="1"' in response.content.decode()


def test_saving_the_form_makes_the_next_version(client):
    people = team()
    force_verified_login(client, people.coordinator)
    response = client.post(
        reverse("coordination:safety_plan_edit", args=[people.file.pk]), form_data(0)
    )
    assert response.status_code == 302
    revision = SafetyPlanRevision.objects.get(file=people.file)
    assert revision.content["goals"][0]["scores"][1] == {"who": "Sem (kind)", "score": 3}
    assert revision.change_note == "Na het gesprek."


def test_the_form_shows_clear_errors_and_saves_nothing(client):
    people = team()
    force_verified_login(client, people.coordinator)
    data = form_data(0, happened="")
    data["goals.0.scores.0.score"] = "12"
    response = client.post(reverse("coordination:safety_plan_edit", args=[people.file.pk]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Beschrijf wat er is gebeurd." in page
    assert "Geef een score van 0 tot en met 10." in page
    assert not SafetyPlanRevision.objects.exists()


def test_a_form_without_its_base_version_saves_nothing(client):
    people = team()
    force_verified_login(client, people.coordinator)
    data = form_data(0)
    del data["based_on"]
    response = client.post(reverse("coordination:safety_plan_edit", args=[people.file.pk]), data)
    assert response.status_code == 400
    assert not SafetyPlanRevision.objects.exists()


def test_the_form_shows_the_conflict_with_what_the_other_saved(client):
    people = team()
    revise(people.coordinator, people.file, 0)
    revise(people.partner, people.file, 1, plan_content(child_view="De juf schreef dit."))
    force_verified_login(client, people.coordinator)
    response = client.post(
        reverse("coordination:safety_plan_edit", args=[people.file.pk]),
        form_data(1, happened="Mijn eigen tekst."),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Iemand anders was u voor" in page
    assert "De juf schreef dit." in page  # what the other saved
    assert "Mijn eigen tekst." in page  # what this person typed, kept
    assert 'name="based_on" value="2"' in page
    assert SafetyPlanRevision.objects.filter(file=people.file).count() == 2


def test_history_and_an_older_version_are_viewable(client):
    people = team()
    revise(people.coordinator, people.file, 0, plan_content(child_view="Eerste versie."))
    revise(people.coordinator, people.file, 1, plan_content(child_view="Tweede versie."))
    force_verified_login(client, people.partner)
    history = client.get(reverse("coordination:safety_plan_history", args=[people.file.pk]))
    assert history.status_code == 200
    assert "Versie 1" in history.content.decode() and "Versie 2" in history.content.decode()
    old = client.get(reverse("coordination:safety_plan_revision", args=[people.file.pk, 1]))
    assert "Eerste versie." in old.content.decode()
    assert "Dit is een oudere versie" in old.content.decode()
    current = client.get(reverse("coordination:safety_plan", args=[people.file.pk]))
    assert "Tweede versie." in current.content.decode()
    missing = client.get(reverse("coordination:safety_plan_revision", args=[people.file.pk, 9]))
    assert missing.status_code == 404


def test_the_history_page_does_not_query_per_revision(client):
    people = team()
    force_verified_login(client, people.coordinator)
    url = reverse("coordination:safety_plan_history", args=[people.file.pk])
    revise(people.coordinator, people.file, 0)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(1, 5):
        revise(people.coordinator, people.file, number)
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(one)


def test_the_printout_is_in_plain_words_and_logged_as_a_print(client):
    people = team()
    revise(people.coordinator, people.file, 0)
    force_verified_login(client, people.coordinator)
    response = client.get(reverse("coordination:safety_plan_print", args=[people.file.pk]))
    page = response.content.decode()
    assert "Ons veiligheidsplan" in page
    assert "0527 700 101" in page  # whom to call when it goes wrong
    assert "Bel <strong>112</strong>" in page
    assert AccessLogEntry.objects.filter(
        user=people.coordinator,
        action=Action.PRINT,
        part=FileParts.SAFETY_PLAN,
        client_id=people.file.client_pseudonym,
    ).exists()


# --- Who reads it -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["safety_plan", "safety_plan_history", "safety_plan_print", "safety_plan_edit"]
)
def test_a_partner_without_the_plan_part_gets_a_logged_not_found(client, name):
    people = team(partner_parts=(FileParts.CONTACTS,))
    revise(people.coordinator, people.file, 0)
    force_verified_login(client, people.partner)
    response = client.get(reverse(f"coordination:{name}", args=[people.file.pk]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=people.partner, outcome=AccessOutcome.DENIED, part=FileParts.SAFETY_PLAN
    ).exists()


def test_the_plan_is_not_in_the_menu_or_overview_without_the_part(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    revise(people.coordinator, people.file, 0)
    force_verified_login(client, people.partner)
    page = client.get(reverse("coordination:detail", args=[people.file.pk])).content.decode()
    assert reverse("coordination:safety_plan", args=[people.file.pk]) not in page


def test_on_a_closed_file_the_form_is_refused_and_nothing_saved(client):
    people = team()
    CoordinationFile.objects.filter(pk=people.file.pk).update(state=FileState.CLOSED)
    force_verified_login(client, people.coordinator)
    response = client.post(
        reverse("coordination:safety_plan_edit", args=[people.file.pk]), form_data(0)
    )
    assert response.status_code == 404
    assert not SafetyPlanRevision.objects.exists()


# --- Overdue reviews ------------------------------------------------------------------------------------


def backdate_review(file, days: int) -> None:
    """The current revision's review date `days` days ago (history is append-only; the test
    sets the row as the database would hold it weeks later)."""
    SafetyPlanRevision.objects.filter(file=file).update(
        review_date=timezone.localdate() - datetime.timedelta(days=days)
    )


def test_an_overdue_review_is_flagged_on_the_worklist_and_the_file(client):
    people = team()
    revise(people.coordinator, people.file, 0)
    force_verified_login(client, people.coordinator)
    assert (
        "Veiligheidsplan evalueren" not in client.get(reverse("coordination:list")).content.decode()
    )

    backdate_review(people.file, 3)
    worklist = client.get(reverse("coordination:list")).content.decode()
    assert "Veiligheidsplan evalueren" in worklist
    assert people.file.reference in worklist
    overview = client.get(reverse("coordination:detail", args=[people.file.pk])).content.decode()
    assert "evaluatie te laat" in overview
    plan = client.get(reverse("coordination:safety_plan", args=[people.file.pk])).content.decode()
    assert "De evaluatiedatum is voorbij" in plan


def test_a_new_version_clears_the_overdue_flag():
    people = team()
    revise(people.coordinator, people.file, 0)
    backdate_review(people.file, 3)
    actor = actor_of(people.coordinator)
    assert safety_plan.overdue_reviews(actor) == [people.file]
    revise(people.coordinator, people.file, 1)
    assert safety_plan.overdue_reviews(actor) == []


def test_an_overdue_review_is_flagged_to_a_partner_who_sees_the_plan_only():
    people = team(partner_parts=(FileParts.SAFETY_PLAN,))
    revise(people.coordinator, people.file, 0)
    backdate_review(people.file, 3)
    assert safety_plan.overdue_reviews(actor_of(people.partner)) == [people.file]
    assert safety_plan.overdue_reviews(actor_of(people.colleague_in_team)) == [people.file]

    without = team(partner_parts=(FileParts.CONTACTS,))
    revise(without.coordinator, without.file, 0)
    backdate_review(without.file, 3)
    assert safety_plan.overdue_reviews(actor_of(without.partner)) == []


def test_overdue_reviews_of_closed_files_or_other_peoples_files_are_not_flagged():
    people = team()
    revise(people.coordinator, people.file, 0)
    backdate_review(people.file, 3)
    assert safety_plan.overdue_reviews(actor_of(people.colleague_outside)) == []
    assert safety_plan.overdue_reviews(actor_of(people.stranger)) == []
    CoordinationFile.objects.filter(pk=people.file.pk).update(state=FileState.CLOSED)
    assert safety_plan.overdue_reviews(actor_of(people.coordinator)) == []
