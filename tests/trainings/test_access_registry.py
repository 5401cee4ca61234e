"""Every role on every page and API operation of the registry: the own organisation's objects
open for the roles in `access_registry.RULES` (403 for the others, logged), another
organisation's objects are 'not found' (404) with a refusal in the access log."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Subject
from meldwijzer.organisations.models import Municipality
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings.models import MeldcodeAdoption, OfficerRegistration
from meldwijzer.trainings.registry import document_store
from tests.conftest import force_verified_login
from tests.downloads import assert_safe_download
from tests.factories import MembershipFactory, OrganisationFactory
from tests.trainings.access_registry import RULES

PDF = b"%PDF-1.4\n% demo\n"


def _objects(organisation, user):
    officer = OfficerRegistration.objects.create(
        organisation=organisation,
        user=user,
        started_on=datetime.date(2024, 1, 1),
        recorded_by=user,
    )
    adoption = MeldcodeAdoption.objects.create(
        organisation=organisation,
        title="Meldcode",
        adopted_on=datetime.date(2024, 1, 1),
        document=document_store(PDF),
        document_name="meldcode.pdf",
        recorded_by=user,
    )
    return {"officer": officer.pk, "adoption": adoption.pk}


@pytest.fixture
def world(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    own = OrganisationFactory(name="School Eigen")
    elsewhere = Municipality.objects.create(name="Elders", province="Gelderland")
    other = OrganisationFactory(name="Opvang Elders", municipality=elsewhere)
    own_officer = MembershipFactory(organisation=own, role=Role.MELDCODE_OFFICER).user
    other_officer = MembershipFactory(organisation=other, role=Role.MELDCODE_OFFICER).user
    return own, _objects(own, own_officer), _objects(other, other_officer)


def _url(name, rule, objects):
    return reverse(name, kwargs={arg: objects[kind] for arg, kind in rule.kwargs})


@pytest.mark.parametrize("role", sorted(Role))
def test_every_role_own_and_other_organisation(world, role):
    own, own_objects, other_objects = world
    user = MembershipFactory(organisation=own, role=role).user
    client = force_verified_login(Client(), user)
    for name, rule in RULES.items():
        response = client.get(_url(name, rule, own_objects))
        if role not in rule.roles:
            assert response.status_code == 403, (name, role, response.status_code)
            continue
        assert response.status_code == 200, (name, role, response.status_code)
        if name == "trainings:meldcode_document":
            assert_safe_download(response, "application/pdf")
        if rule.kwargs:
            refusals = AccessLogEntry.objects.filter(
                outcome=AccessOutcome.DENIED, subject_type=Subject.MELDCODE_REGISTRY
            )
            before = refusals.count()
            foreign = client.get(_url(name, rule, other_objects))
            assert foreign.status_code == 404, (name, role, "another organisation's object")
            assert refusals.count() == before + 1, name


def test_anonymous_is_sent_to_log_in(world):
    _, own_objects, _ = world
    for name, rule in RULES.items():
        response = Client().get(_url(name, rule, own_objects))
        if rule.api:
            assert response.status_code == 401, name
        else:
            assert response.status_code == 302 and "/account/" in response["Location"], name


def test_policy_adviser_reads_meldcode_of_an_organisation_in_their_municipality(world):
    _, own_objects, other_objects = world
    adviser_org = OrganisationFactory(name="Gemeente Eigen", sector="gemeente")
    adviser = MembershipFactory(organisation=adviser_org, role=Role.POLICY_ADVISER).user
    client = force_verified_login(Client(), adviser)
    url = reverse("trainings:meldcode_document", args=[own_objects["adoption"]])
    assert client.get(url).status_code == 200
    url = reverse("trainings:meldcode_document", args=[other_objects["adoption"]])
    assert client.get(url).status_code == 404
