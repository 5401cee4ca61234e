"""Finding each other: when two organisations register the same person (the same identity key,
made with the same key), both professionals get one match signal — never within one
organisation, never between people already in the same team, never for keys of another key id.
Matching runs after the save is committed and can never fail it."""

from __future__ import annotations

import datetime
import logging

import pytest

from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case, Person
from meldwijzer.coordination import matching
from meldwijzer.coordination.models import MatchSignal
from meldwijzer.organisations.models import Sector
from tests.coordination.builders import actor_of, add_member, coordinator, file_open, professional

pytestmark = pytest.mark.django_db

CHILD = "Kind Testgezin"  # the child of `builders.file_open`
BORN = datetime.date(2016, 5, 1)


def case_about(user, name: str = CHILD, born: datetime.date | None = BORN, **extra) -> Case:
    return case_services.case_open(
        actor=actor_of(user),
        title=extra.pop("title", "Zorgen over een leerling"),
        profession="onderwijs",
        client="kind",
        name=name,
        date_of_birth=born,
        **extra,
    )


def match(case: Case) -> list[MatchSignal]:
    person = case.persons.get(replaced_by__isnull=True)
    return matching.registration_match(registration=matching.registration_of_person(person))


def test_a_case_about_a_child_in_another_organisations_file_signals_both(
    django_capture_on_commit_callbacks,
):
    lead = coordinator()
    file = file_open(lead)
    teacher = professional(sector=Sector.EDUCATION)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_about(teacher)

    signal = MatchSignal.objects.get()
    assert {signal.first_user, signal.second_user} == {lead, teacher}
    assert {signal.first_client_pseudonym, signal.second_client_pseudonym} == {
        file.client_pseudonym,
        case.client_pseudonym,
    }
    for user in (lead, teacher):
        (notice,) = matching.signals_for(actor=actor_of(user))
        assert notice.other == (teacher if user == lead else lead)
        assert notice.coordinator.startswith(lead.get_full_name())


def test_a_file_opened_after_the_case_signals_too(django_capture_on_commit_callbacks):
    teacher = professional(sector=Sector.EDUCATION)
    case_about(teacher)
    lead = coordinator()
    with django_capture_on_commit_callbacks(execute=True):
        file_open(lead)
    signal = MatchSignal.objects.get()
    assert {signal.first_user, signal.second_user} == {lead, teacher}


def test_two_cases_at_two_organisations_signal_without_a_casusregisseur():
    teacher = professional(sector=Sector.EDUCATION)
    nurse = professional(sector=Sector.PUBLIC_HEALTH)
    case_about(teacher)
    (signal,) = match(case_about(nurse))
    (notice,) = matching.signals_for(actor=actor_of(teacher))
    assert notice.other == nurse
    assert notice.coordinator == ""
    assert signal.expires_at.year == signal.created_at.year + 2


def test_the_same_organisation_is_never_matched():
    teacher = professional(sector=Sector.EDUCATION)
    colleague = professional(actor_of(teacher).organisation)
    case_about(teacher)
    assert match(case_about(colleague)) == []
    assert match(case_about(teacher, title="Tweede zorg")) == []
    assert not MatchSignal.objects.exists()


def test_keys_made_with_another_key_are_never_compared():
    teacher = professional(sector=Sector.EDUCATION)
    nurse = professional(sector=Sector.PUBLIC_HEALTH)
    first = case_about(teacher)
    # The same keyed hash, but stored as made by another key: unknown, not 'the same person'.
    Person.objects.filter(case=first).update(identity_key_id="anderesleut")
    assert match(case_about(nurse)) == []
    assert not MatchSignal.objects.exists()


def test_without_identity_nothing_matches():
    teacher = professional(sector=Sector.EDUCATION)
    nurse = professional(sector=Sector.PUBLIC_HEALTH)
    case_about(teacher, born=None)
    assert match(case_about(nurse, born=None)) == []


def test_a_bsn_matches_whatever_the_spelling_of_the_name():
    teacher = professional(sector=Sector.EDUCATION)
    nurse = professional(sector=Sector.PUBLIC_HEALTH)
    case_about(teacher, name="Kind Testgezin", bsn="111222333")
    assert len(match(case_about(nurse, name="K. Testgezin", born=None, bsn="111222333"))) == 1


def test_one_signal_per_pair_however_often_either_side_records_the_person():
    teacher = professional(sector=Sector.EDUCATION)
    nurse = professional(sector=Sector.PUBLIC_HEALTH)
    school_case = case_about(teacher)
    health_case = case_about(nurse)
    assert len(match(health_case)) == 1
    assert match(health_case) == []
    assert match(school_case) == []
    person = school_case.persons.get()
    case_services.case_record_person(
        actor=actor_of(teacher),
        case=school_case,
        expected_version=school_case.version,
        replaces=person,
        kind=person.kind,
        name=person.name,
        date_of_birth=person.date_of_birth,
    )
    assert match(school_case) == []
    assert MatchSignal.objects.count() == 1


def test_a_professional_already_in_the_files_team_is_not_signalled():
    lead = coordinator()
    file = file_open(lead)
    teacher = professional(sector=Sector.EDUCATION)
    add_member(file, teacher)
    assert match(case_about(teacher)) == []
    stranger = professional(sector=Sector.CHILDCARE)
    made = match(case_about(stranger))
    pairs = {frozenset({signal.first_user, signal.second_user}) for signal in made}
    assert pairs == {frozenset({stranger, lead}), frozenset({stranger, teacher})}


def test_making_a_signal_is_logged_for_each_organisation_with_its_own_client():
    teacher = professional(sector=Sector.EDUCATION)
    nurse = professional(sector=Sector.PUBLIC_HEALTH)
    school_case = case_about(teacher)
    health_case = case_about(nurse)
    (signal,) = match(health_case)
    rows = AccessLogEntry.objects.filter(subject_type="samenloop", action="create")
    assert {(row.organisation_id, row.client_id) for row in rows} == {
        (school_case.organisation_id, school_case.client_pseudonym),
        (health_case.organisation_id, health_case.client_pseudonym),
    }
    assert all(row.subject_id == str(signal.pk) for row in rows)


def test_a_failing_match_never_fails_saving_the_person(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("matching is down")

    monkeypatch.setattr(matching, "registration_match", broken)
    teacher = professional(sector=Sector.EDUCATION)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        case = case_about(teacher)
    assert Person.objects.filter(case=case, name=CHILD).exists()
    assert "failed for person" in caplog.text


def test_a_failing_match_never_fails_opening_a_file(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("matching is down")

    monkeypatch.setattr(matching, "registration_match", broken)
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        file = file_open(coordinator())
    assert file.family.filter(name=CHILD).exists()
    assert "failed for family member" in caplog.text


def test_matching_waits_for_the_commit(django_capture_on_commit_callbacks):
    file_open(coordinator())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        case_about(professional(sector=Sector.EDUCATION))
        assert not MatchSignal.objects.exists()
    assert callbacks
    for callback in callbacks:
        callback()
    assert MatchSignal.objects.count() == 1


def test_reading_signals_logs_one_row_per_signal_and_keeps_the_chain_intact():
    teacher = professional(sector=Sector.EDUCATION)
    school_case = case_about(teacher)
    for sector in (Sector.PUBLIC_HEALTH, Sector.CHILDCARE, Sector.YOUTH_CARE):
        match(case_about(professional(sector=sector)))
    notices = matching.signals_for(actor=actor_of(teacher))
    assert len(notices) == 3
    rows = AccessLogEntry.objects.filter(user=teacher, subject_type="samenloop", action="read")
    assert sorted(rows.values_list("subject_id", flat=True)) == sorted(
        str(notice.signal.pk) for notice in notices
    )
    assert set(rows.values_list("client_id", flat=True)) == {school_case.client_pseudonym}
    result = audit_chain_verify()
    assert result.ok, result.problems
