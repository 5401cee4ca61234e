"""Step 2 names a registered aandachtsfunctionaris of the professional's organisation: the
consultation form offers the current registrations (through `cases.extensions`), stores the
chosen one's id and name, shows them in the dossier and the report, and refuses any other id."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.cases import services
from meldwijzer.cases.services import CaseInputError
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.trainings.models import OfficerRegistration
from tests.cases.builders import signals_case
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def setting(db):
    school = OrganisationFactory(name="School Consult")
    teacher = MembershipFactory(organisation=school, role=Role.PROFESSIONAL).user
    officer = UserFactory(first_name="Karim", last_name="Aandacht")
    MembershipFactory(user=officer, organisation=school, role=Role.MELDCODE_OFFICER)
    OfficerRegistration.objects.create(
        organisation=school, user=officer, started_on=datetime.date(2024, 1, 1), recorded_by=officer
    )
    actor = actor_for_user(user=teacher, organisation_id=school.pk)
    return actor, teacher, officer, signals_case(actor)


def _data(**extra):
    return {
        "date": timezone.localdate().isoformat(),
        "consulted": "aandachtsfunctionaris",
        "advice": "Bespreek het met de ouders.",
        **extra,
    }


def _record(actor, case, data):
    case.refresh_from_db()
    return services.case_record_entry(
        actor=actor, case=case, expected_version=case.version, kind="consultation", data=data
    )


def test_a_registered_officer_is_stored_with_id_and_name(setting):
    actor, _, officer, case = setting
    entry = _record(actor, case, _data(consultant=str(officer.pk)))
    assert entry.data["consultant_id"] == officer.pk
    assert entry.data["consultant_name"] == "Karim Aandacht — School Consult"
    assert "consultant" not in entry.data


def test_without_a_choice_nothing_changes(setting):
    actor, _, _, case = setting
    entry = _record(actor, case, _data())
    assert "consultant_id" not in entry.data and "consultant_name" not in entry.data


def test_an_officer_of_another_organisation_is_a_field_error(setting):
    actor, _, _, case = setting
    other = OrganisationFactory(name="Elders")
    stranger = MembershipFactory(organisation=other, role=Role.MELDCODE_OFFICER).user
    OfficerRegistration.objects.create(
        organisation=other,
        user=stranger,
        started_on=datetime.date(2024, 1, 1),
        recorded_by=stranger,
    )
    for wrong in (str(stranger.pk), "999999", "abc"):
        with pytest.raises(CaseInputError) as refused:
            _record(actor, case, _data(consultant=wrong))
        assert "consultant" in refused.value.errors


def test_an_ended_registration_is_no_longer_offered(setting):
    actor, _, officer, case = setting
    OfficerRegistration.objects.filter(user=officer).update(ended_on=datetime.date(2025, 1, 1))
    with pytest.raises(CaseInputError):
        _record(actor, case, _data(consultant=str(officer.pk)))


def test_choosing_an_officer_means_consulting_an_officer(setting):
    actor, _, officer, case = setting
    with pytest.raises(CaseInputError) as refused:
        _record(actor, case, _data(consulted="collega", consultant=str(officer.pk)))
    assert "consultant" in refused.value.errors


def test_form_dossier_and_report_show_the_officer(setting, verified):
    actor, teacher, officer, case = setting
    client = verified(teacher)
    form = client.get(
        reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "consultation"})
    ).content.decode()
    assert f'<option value="{officer.pk}">Karim Aandacht — School Consult</option>' in form
    _record(actor, case, _data(consultant=str(officer.pk)))
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Geregistreerde aandachtsfunctionaris" in detail
    assert "Karim Aandacht — School Consult" in detail
    report = client.get(reverse("cases:report_print", args=[case.pk])).content.decode()
    assert "Karim Aandacht — School Consult" in report


def test_without_registered_officers_no_select_is_shown(db, verified):
    school = OrganisationFactory(name="School Zonder AF")
    teacher = MembershipFactory(organisation=school, role=Role.PROFESSIONAL).user
    case = signals_case(actor_for_user(user=teacher, organisation_id=school.pk))
    form = (
        verified(teacher)
        .get(reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "consultation"}))
        .content.decode()
    )
    assert "<select" not in form.split('name="consultant"')[0][-200:]
    assert 'type="hidden" name="consultant"' in form
