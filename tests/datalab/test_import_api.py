"""Imports through the API: a file in (201 or 400 with the numbered errors), the imports out, and
another datalab's import not found."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.datalab.models import ImportState, Record
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.datalab.builders import source_with_import
from tests.datalab.sharedfiles import csv_bytes, row
from tests.factories import MembershipFactory, OrganisationFactory, allow_api_keys

pytestmark = pytest.mark.django_db


def token_client(role=Role.POLICY_ADVISER):
    organisation = OrganisationFactory(name=f"Gemeente {role}")
    membership = MembershipFactory(organisation=organisation, role=role)
    allow_api_keys(organisation, role)
    _, secret = api_token_create(
        actor=actor_for_user(user=membership.user, organisation_id=organisation.pk), name="t"
    )
    return organisation, Client(headers={"Authorization": f"Bearer {secret}"})


def send(client, data: bytes, name="meldingen.csv", **fields):
    upload = io.BytesIO(data)
    upload.name = name
    body = {"source": "Politie Flevoland", "source_kind": "partner", "file": upload} | fields
    return client.post(reverse("api:datalab-import-list"), body)


def test_post_a_file_then_read_it_back():
    _, client = token_client()
    response = send(client, csv_bytes([row("P-1"), row("P-2")]))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == ImportState.DONE and body["records_added"] == 2
    assert body["source"] == "Politie Flevoland" and body["source_kind"] == "partner"
    listing = client.get(reverse("api:datalab-import-list")).json()
    assert [item["id"] for item in listing] == [body["id"]]
    detail = client.get(reverse("api:datalab-import-detail", kwargs={"import_id": body["id"]}))
    assert detail.json()["rows_done"] == 2
    assert "P-1" not in detail.content.decode()


def test_bad_rows_are_a_400_with_numbered_errors():
    _, client = token_client()
    response = send(client, csv_bytes([row("P-1"), row("P-2", pc4="123")]))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "ongeldige_invoer"
    assert (
        "Rij 3, kolom pc4: 123 is geen PC4 (vier cijfers, 1000 tot en met 9999)."
        in error["fields"]["file"]
    )
    assert not Record.objects.exists()
    failed = client.get(reverse("api:datalab-import-list")).json()[0]
    assert failed["state"] == ImportState.FAILED and failed["errors"][0]["rij"] == 3


def test_wrong_input_is_a_dutch_400():
    _, client = token_client()
    assert "Kies een CSV" in str(send(client, b"x", name="a.pdf").json())
    assert "Vul de naam van de bron in." in str(send(client, csv_bytes([row()]), source="").json())
    response = client.post(reverse("api:datalab-import-list"), {"source": "x"})
    assert response.status_code == 400 and "Kies een bestand." in str(response.json())


def test_other_datalabs_import_is_not_found_and_others_are_refused():
    _, client = token_client()
    foreign = source_with_import(OrganisationFactory(name="Gemeente Elders"))
    response = client.get(reverse("api:datalab-import-detail", kwargs={"import_id": foreign.pk}))
    assert response.status_code == 404
    huge = client.get(reverse("api:datalab-import-detail", kwargs={"import_id": 2**40}))
    assert huge.status_code == 404
    _, professional = token_client(Role.PROFESSIONAL)
    assert send(professional, csv_bytes([row()])).status_code == 403
    assert not Record.objects.exists()


def test_schema_documents_the_operations(client):
    schema = client.get("/api/v1/schema/").json()
    assert "/api/v1/datalab/imports/" in schema["paths"]
    assert "/api/v1/datalab/imports/{import_id}/" in schema["paths"]
    post = schema["paths"]["/api/v1/datalab/imports/"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
