"""Every refusal in the access log names what was asked for: the person, entry or result asked
for through one's own case id, and the case (not the page) when a role may not open cases; on the
web pages and in the API alike."""

from __future__ import annotations

import pytest
from django.test import Client

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, Outcome
from meldwijzer.cases.models import Entry, Person
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import signals_case
from tests.conftest import force_verified_login
from tests.factories import UserFactory, allow_api_keys_for
from tests.instruments.builders import record_result
from tests.social_map.builders import directory_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def own_case(professional):
    return signals_case(actor_for_user(user=professional), "Mijn casus")


@pytest.fixture
def other_case(make_member, other_organisation):
    """A case of a professional in another organisation, with a person, entries and a result."""
    stranger = actor_for_user(user=make_member(Role.PROFESSIONAL, other_organisation))
    case = signals_case(stranger, "Andermans casus")
    record_result(stranger, case)
    return case


def web(user) -> Client:
    return force_verified_login(Client(), user)


def api(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def refused(user) -> list[tuple[str, str, str]]:
    """The refused rows of `user`: (subject type, subject id, client id)."""
    rows = AccessLogEntry.objects.filter(user=user, outcome=Outcome.DENIED).order_by("id")
    return [(row.subject_type, row.subject_id, row.client_id) for row in rows]


def a_person(case) -> Person:
    return case.persons.order_by("pk").first()


def an_entry(case) -> Entry:
    return case.entries.filter(kind="signal").order_by("pk").first()


# --- Web: another case's person, entry or result through one's own case id --------------------


@pytest.mark.parametrize("page", ["wijzigen", "bsn"])
def test_web_another_cases_person_through_ones_own_case_is_a_named_refusal(
    professional, own_case, other_case, page
):
    person = a_person(other_case)
    response = web(professional).get(f"/casussen/{own_case.pk}/betrokkenen/{person.pk}/{page}/")
    assert response.status_code == 404
    assert refused(professional) == [("betrokkene", str(person.pk), str(own_case.pk))]
    row = AccessLogEntry.objects.get(user=professional, outcome=Outcome.DENIED)
    assert row.part == {"wijzigen": "betrokkenen", "bsn": "bsn"}[page]


def test_web_another_cases_entry_through_ones_own_case_is_a_named_refusal(
    professional, own_case, other_case
):
    entry = an_entry(other_case)
    response = web(professional).get(f"/casussen/{own_case.pk}/regels/{entry.pk}/corrigeren/")
    assert response.status_code == 404
    assert refused(professional) == [("dossierregel", str(entry.pk), str(own_case.pk))]


def test_web_another_cases_result_through_ones_own_case_is_a_named_refusal(
    professional, own_case, other_case
):
    result = other_case.instrument_results.get()
    url = f"/casussen/{own_case.pk}/instrumenten/uitkomsten/{result.pk}/"
    assert web(professional).get(url).status_code == 404
    assert refused(professional) == [("instrumentuitkomst", str(result.pk), str(own_case.pk))]


def test_web_own_persons_and_entries_are_still_found(professional, own_case):
    client = web(professional)
    person, entry = a_person(own_case), an_entry(own_case)
    assert client.get(f"/casussen/{own_case.pk}/betrokkenen/{person.pk}/bsn/").status_code == 200
    url = f"/casussen/{own_case.pk}/regels/{entry.pk}/corrigeren/"
    assert client.get(url).status_code == 200
    assert refused(professional) == []


# --- Web: a role that may not open cases is refused the case, not "a page" ----------------------


def test_web_refusal_of_a_case_names_the_case_not_the_page(
    make_member, organisation, professional, own_case
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    client = web(admin)
    person = a_person(own_case)
    assert client.get(f"/casussen/{own_case.pk}/").status_code == 403
    assert client.get(f"/casussen/{own_case.pk}/betrokkenen/{person.pk}/bsn/").status_code == 403
    assert client.get(f"/casussen/{own_case.pk}/instrumenten/").status_code == 403
    assert refused(admin) == [
        ("casus", str(own_case.pk), ""),
        ("betrokkene", str(person.pk), str(own_case.pk)),
        ("casus", str(own_case.pk), ""),
    ]


def test_web_a_page_that_names_no_object_is_refused_as_the_page(make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    assert web(admin).get("/casussen/organisatie/").status_code == 403
    assert refused(admin) == [("pagina", "/casussen/organisatie/", "")]


def test_web_refusal_to_edit_a_sociale_kaart_record_names_the_record(professional, organisation):
    records = directory_records(organisation)
    client = web(professional)
    assert client.get(f"/sociale-kaart/beheer/aanbieders/{records.provider.pk}/").status_code == 403
    assert client.get(f"/sociale-kaart/beheer/diensten/{records.service.pk}/").status_code == 403
    assert client.get("/sociale-kaart/beheer/aanbieders/nieuw/").status_code == 403
    assert refused(professional) == [
        ("sociale_kaart_aanbieder", str(records.provider.pk), ""),
        ("sociale_kaart_dienst", str(records.service.pk), ""),
        ("sociale_kaart", "/sociale-kaart/beheer/aanbieders/nieuw/", ""),
    ]


def test_web_someone_without_an_active_organisation_is_refused_and_logged(own_case):
    loose = UserFactory()  # a second factor, no membership
    assert web(loose).get(f"/casussen/{own_case.pk}/").status_code == 403
    assert refused(loose) == [("casus", str(own_case.pk), "")]


# --- API: the same refusals through the API -----------------------------------------------------


def test_api_correcting_another_cases_entry_is_a_named_refusal(professional, own_case, other_case):
    entry = an_entry(other_case)
    body = {
        "kind": "note",
        "version": own_case.version,
        "corrects": entry.pk,
        "data": {"date": "2026-01-05", "text": "Correctie"},
    }
    response = api(professional).post(
        f"/api/v1/cases/{own_case.pk}/entries/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"corrects"}
    assert refused(professional) == [("dossierregel", str(entry.pk), str(own_case.pk))]
    assert not own_case.entries.filter(kind="note").exists()


def test_api_replacing_another_cases_person_is_a_named_refusal(professional, own_case, other_case):
    person = a_person(other_case)
    body = {
        "version": own_case.version,
        "replaces": person.pk,
        "data": {"kind": "child", "name": "Nieuwe naam"},
    }
    response = api(professional).post(
        f"/api/v1/cases/{own_case.pk}/persons/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"replaces"}
    assert refused(professional) == [("betrokkene", str(person.pk), str(own_case.pk))]
    assert not own_case.persons.filter(name="Nieuwe naam").exists()


def test_api_another_cases_result_through_ones_own_case_is_a_named_refusal(
    professional, own_case, other_case
):
    result = other_case.instrument_results.get()
    url = f"/api/v1/cases/{own_case.pk}/instrument-results/{result.pk}/"
    assert api(professional).get(url).status_code == 404
    assert refused(professional) == [("instrumentuitkomst", str(result.pk), str(own_case.pk))]


def test_api_refusal_of_a_case_names_the_case(make_member, organisation, own_case):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    assert api(admin).get(f"/api/v1/cases/{own_case.pk}/").status_code == 404
    assert refused(admin) == [("casus", str(own_case.pk), "")]


def test_api_someone_without_an_active_organisation_is_refused_and_logged(own_case):
    loose = UserFactory()
    response = web(loose).get(f"/api/v1/cases/{own_case.pk}/")
    assert response.status_code == 403
    assert refused(loose) == [("casus", str(own_case.pk), "")]
