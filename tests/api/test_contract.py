"""The OpenAPI document lists every answer in the error format, and a query parameter it does not
list for an operation is refused with a 400 that names it, before anything is read or changed."""

from __future__ import annotations

import pytest
from django.test import Client

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.cases.models import Entry
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import signals_case
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def api(professional) -> Client:
    allow_api_keys_for(professional)
    _, secret = api_token_create(actor=actor_for_user(user=professional), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def unknown_parameter(response, *names: str) -> str:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, "onbekende_parameter")
    assert set(error["fields"]) == set(names)
    for name in names:
        assert f"‘{name}’" in error["message"]
    return error["message"]


def test_a_misspelt_filter_is_refused_not_ignored(api, professional):
    signals_case(actor_for_user(user=professional))
    # Before, `fase` was ignored and every case came back as if it had been filtered.
    message = unknown_parameter(api.get("/api/v1/cases/?fase=gemeld"), "fase")
    assert message == (
        "Onbekende queryparameter: ‘fase’. "
        "Toegestaan: outcome, overdue, page, page_size, phase, scope."
    )
    assert api.get("/api/v1/cases/?phase=gemeld").json()["count"] == 0


def test_every_unknown_parameter_is_named(api):
    unknown_parameter(api.get("/api/v1/cases/?phase=gemeld&b=1&a=2"), "a", "b")


def test_an_operation_without_parameters_says_so(api):
    message = unknown_parameter(api.get("/api/v1/me/?format=json"), "format")
    assert message.endswith("Deze aanroep heeft geen queryparameters.")


def test_an_unknown_parameter_on_a_write_changes_nothing(api, professional):
    case = signals_case(actor_for_user(user=professional))
    entries, rows = Entry.objects.count(), AccessLogEntry.objects.count()
    body = {"kind": "note", "version": case.version, "data": {"date": "2026-01-05", "text": "x"}}
    response = api.post(
        f"/api/v1/cases/{case.pk}/entries/?dry_run=1", body, content_type="application/json"
    )
    unknown_parameter(response, "dry_run")
    assert (Entry.objects.count(), AccessLogEntry.objects.count()) == (entries, rows)


def test_public_operations_refuse_unknown_parameters_too(client):
    unknown_parameter(client.get("/api/v1/directory/services/?zoek=opvang"), "zoek")
    assert client.get("/api/v1/directory/services/?q=opvang").status_code == 200


def test_the_document_lists_every_error_answer_in_the_error_format(client):
    document = client.get("/api/v1/schema/").json()
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    assert error["properties"]["error"]["required"] == ["status", "code", "message"]
    operations = {
        (method.upper(), path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    for (method, path), operation in operations.items():
        answers = operation["responses"]
        for status, answer in answers.items():
            if int(status) >= 400:
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (method, path, status)
                assert answer["description"], (method, path, status)
        assert {"400", "401", "406", "429", "503"} <= set(answers), (method, path)
        if "{" in path:
            assert "404" in answers, (method, path)
        if "requestBody" in operation:
            assert "415" in answers, (method, path)
        if not path.startswith("/api/v1/directory/"):
            assert "403" in answers, (method, path)
    for path in ["entries", "persons", "weighings", "decision", "move", "client", "report-now"]:
        assert "409" in operations[("POST", f"/api/v1/cases/{{case_id}}/{path}/")]["responses"]
    assert "409" in operations[("POST", "/api/v1/instruments/{key}/versions/")]["responses"]
    assert "409" not in operations[("POST", "/api/v1/cases/")]["responses"]
