"""The registry's services and selectors: each rule has a test that fails without it."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Subject
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.trainings import registry
from meldwijzer.trainings.models import MeldcodeAdoption, OfficerRegistration, TrainingRecord
from tests.factories import MembershipFactory, OrganisationFactory

# The day every rule is given as its `today`: fixed, not read from the clock, so the due dates
# below can be checked by hand and no test depends on when it runs.
DAY = datetime.date(2026, 6, 15)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture
def school(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    organisation = OrganisationFactory(name="School")
    admin = MembershipFactory(organisation=organisation, role=Role.FUNCTIONAL_ADMIN).user
    teacher = MembershipFactory(organisation=organisation, role=Role.PROFESSIONAL).user
    actor = actor_for_user(user=admin, organisation_id=organisation.pk)
    return organisation, actor, teacher


def _refusals() -> int:
    return AccessLogEntry.objects.filter(
        outcome=AccessOutcome.DENIED, subject_type=Subject.MELDCODE_REGISTRY
    ).count()


def test_training_recorded_with_due_date_and_log(school):
    _, actor, teacher = school
    record = registry.training_record(
        actor=actor,
        user_id=teacher.pk,
        kind="basis",
        completed_on=datetime.date(2026, 1, 31),
        provider="Augeo",
        today=DAY,
    )
    assert record.refresh_months == 12
    assert record.due_on == datetime.date(2027, 1, 31)
    assert AccessLogEntry.objects.filter(subject_type=Subject.MELDCODE_REGISTRY).exists()


def test_training_in_the_future_is_refused(school):
    _, actor, teacher = school
    with pytest.raises(registry.RegistryInputError) as refused:
        registry.training_record(
            actor=actor,
            user_id=teacher.pk,
            kind="basis",
            completed_on=DAY + datetime.timedelta(days=1),
            provider="Augeo",
            today=DAY,
        )
    assert "toekomst" in refused.value.errors["completed_on"][0]
    assert not TrainingRecord.objects.exists()


def test_training_needs_kind_provider_and_a_sane_interval(school):
    _, actor, teacher = school
    with pytest.raises(registry.RegistryInputError) as refused:
        registry.training_record(
            actor=actor,
            user_id=teacher.pk,
            kind="cursus",
            completed_on=DAY,
            provider=" ",
            refresh_months=0,
            today=DAY,
        )
    assert set(refused.value.errors) == {"kind", "provider", "refresh_months"}


def test_person_of_another_organisation_is_not_found_and_logged(school):
    _, actor, _ = school
    stranger = MembershipFactory(organisation=OrganisationFactory()).user
    before = _refusals()
    with pytest.raises(Http404):
        registry.training_record(
            actor=actor,
            user_id=stranger.pk,
            kind="basis",
            completed_on=DAY,
            provider="Augeo",
            today=DAY,
        )
    with pytest.raises(Http404):
        registry.officer_register(actor=actor, user_id=stranger.pk, started_on=DAY, today=DAY)
    assert _refusals() == before + 2
    assert not TrainingRecord.objects.exists()


def test_only_the_beheerder_keeps_the_registry(school):
    organisation, _, teacher = school
    teacher_actor = actor_for_user(user=teacher, organisation_id=organisation.pk)
    with pytest.raises(Http404):
        registry.training_record(
            actor=teacher_actor,
            user_id=teacher.pk,
            kind="basis",
            completed_on=DAY,
            provider="Augeo",
            today=DAY,
        )
    with pytest.raises(Http404):
        registry.registry_get(actor=teacher_actor)


def test_officer_of_another_organisation_cannot_be_ended(school):
    _, actor, _ = school
    other = OrganisationFactory()
    person = MembershipFactory(organisation=other).user
    officer = OfficerRegistration.objects.create(
        organisation=other, user=person, started_on=DAY, recorded_by=person
    )
    with pytest.raises(Http404):
        registry.officer_end(actor=actor, officer_id=officer.pk, ended_on=DAY, today=DAY)
    officer.refresh_from_db()
    assert officer.ended_on is None


def test_officer_end_must_follow_start_and_not_lie_ahead(school):
    _, actor, teacher = school
    officer = registry.officer_register(
        actor=actor, user_id=teacher.pk, started_on=datetime.date(2026, 3, 1), today=DAY
    )
    with pytest.raises(registry.RegistryInputError) as early:
        registry.officer_end(
            actor=actor, officer_id=officer.pk, ended_on=datetime.date(2026, 2, 1), today=DAY
        )
    assert "vóór de startdatum" in early.value.errors["ended_on"][0]
    with pytest.raises(registry.RegistryInputError) as ahead:
        registry.officer_end(
            actor=actor, officer_id=officer.pk, ended_on=datetime.date(2026, 7, 1), today=DAY
        )
    assert "toekomst" in ahead.value.errors["ended_on"][0]
    registry.officer_end(actor=actor, officer_id=officer.pk, ended_on=DAY, today=DAY)
    with pytest.raises(registry.RegistryInputError):
        registry.officer_end(actor=actor, officer_id=officer.pk, ended_on=DAY, today=DAY)


def test_officer_dates_not_in_the_future_and_registered_once(school):
    _, actor, teacher = school
    with pytest.raises(registry.RegistryInputError) as refused:
        registry.officer_register(
            actor=actor,
            user_id=teacher.pk,
            started_on=DAY,
            vog_on=DAY + datetime.timedelta(days=3),
            trained_on=DAY + datetime.timedelta(days=3),
            today=DAY,
        )
    assert set(refused.value.errors) == {"vog_on", "trained_on"}
    registry.officer_register(actor=actor, user_id=teacher.pk, started_on=DAY, today=DAY)
    with pytest.raises(registry.RegistryInputError) as twice:
        registry.officer_register(actor=actor, user_id=teacher.pk, started_on=DAY, today=DAY)
    assert "al geregistreerd" in twice.value.errors["user"][0]


def test_meldcode_document_must_be_a_pdf_of_at_most_10_mb(school, settings):
    _, actor, _ = school
    with pytest.raises(registry.RegistryInputError) as not_pdf:
        registry.adoption_record(
            actor=actor,
            title="Meldcode",
            adopted_on=DAY,
            document=b"<html><script>alert(1)</script>",
            document_name="meldcode.pdf",
            today=DAY,
        )
    assert "geen pdf" in not_pdf.value.errors["document"][0]
    big = b"%PDF" + b"0" * registry.MAX_DOCUMENT_BYTES
    with pytest.raises(registry.RegistryInputError) as too_big:
        registry.adoption_record(
            actor=actor, title="Meldcode", adopted_on=DAY, document=big, today=DAY
        )
    assert "10 MB" in too_big.value.errors["document"][0]
    with pytest.raises(registry.RegistryInputError) as future:
        registry.adoption_record(
            actor=actor,
            title="Meldcode",
            adopted_on=DAY + datetime.timedelta(days=1),
            today=DAY,
        )
    assert "toekomst" in future.value.errors["adopted_on"][0]
    assert not MeldcodeAdoption.objects.exists()
    assert not (settings.DATA_DIR / registry.DOCUMENT_DIR).exists()
    adoption = registry.adoption_record(
        actor=actor, title="Meldcode", adopted_on=DAY, document=PDF, today=DAY
    )
    stored = settings.DATA_DIR / adoption.document.name
    assert stored.read_bytes() == PDF
    assert stored.parent == settings.DATA_DIR / registry.DOCUMENT_DIR


def test_status_valid_due_soon_overdue_none():
    def record(completed: datetime.date) -> TrainingRecord:
        return TrainingRecord(completed_on=completed, refresh_months=12)

    assert registry.status_of(None, DAY) == registry.Status.NONE
    assert registry.status_of(record(datetime.date(2026, 1, 1)), DAY) == registry.Status.VALID
    # Due 2026-08-14: 60 days from today.
    assert registry.status_of(record(datetime.date(2025, 8, 14)), DAY) == registry.Status.DUE_SOON
    assert registry.status_of(record(datetime.date(2025, 8, 15)), DAY) == registry.Status.VALID
    assert registry.status_of(record(datetime.date(2025, 6, 15)), DAY) == registry.Status.DUE_SOON
    assert registry.status_of(record(datetime.date(2025, 6, 14)), DAY) == registry.Status.OVERDUE


def test_the_latest_training_counts(school):
    _, actor, teacher = school
    for completed in (datetime.date(2024, 1, 1), datetime.date(2026, 1, 1)):
        registry.training_record(
            actor=actor,
            user_id=teacher.pk,
            kind="basis",
            completed_on=completed,
            provider="Augeo",
            today=DAY,
        )
    found = registry.registry_get(actor=actor, today=DAY)
    line = next(line for line in found.lines if line.user == teacher)
    assert line.status == registry.Status.VALID


def test_beheerder_list_without_a_query_per_row(school, django_assert_max_num_queries):
    organisation, actor, _ = school
    for index in range(12):
        person = MembershipFactory(organisation=organisation).user
        registry.training_record(
            actor=actor,
            user_id=person.pk,
            kind="basis",
            completed_on=datetime.date(2025, 1, 1) + datetime.timedelta(days=index * 30),
            provider="Augeo",
            today=DAY,
        )
    with django_assert_max_num_queries(12):
        found = registry.registry_get(actor=actor, today=DAY)
        statuses = {line.status for line in found.lines}
    assert registry.Status.OVERDUE in statuses and registry.Status.DUE_SOON in statuses
    assert found.attention[0].status == registry.Status.OVERDUE


def test_own_status_shows_only_own_trainings(school):
    organisation, actor, teacher = school
    colleague = MembershipFactory(organisation=organisation).user
    for person in (teacher, colleague):
        registry.training_record(
            actor=actor,
            user_id=person.pk,
            kind="basis",
            completed_on=datetime.date(2025, 7, 1),
            provider="Augeo",
            today=DAY,
        )
    teacher_actor = actor_for_user(user=teacher, organisation_id=organisation.pk)
    own = registry.own_status(actor=teacher_actor, today=DAY)
    assert [r.user_id for r in own.records] == [teacher.pk]
    assert own.status == registry.Status.DUE_SOON
    assert own.days_left == (datetime.date(2026, 7, 1) - DAY).days


def test_overview_and_own_page_show_an_overdue_training_clearly(school, verified):
    _, actor, teacher = school
    registry.training_record(
        actor=actor,
        user_id=teacher.pk,
        kind="basis",
        completed_on=datetime.date(2020, 1, 1),
        provider="Augeo",
    )
    client = verified(teacher)
    home = client.get(reverse("trainings:home")).content.decode()
    assert "Mijn meldcodetraining" in home and "mw-badge--late" in home
    assert reverse("trainings:registry") not in home  # not a beheerder
    own = client.get(reverse("trainings:my_training")).content.decode()
    assert "Uw meldcodetraining is verlopen." in own
