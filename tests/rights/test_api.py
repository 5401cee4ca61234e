"""The API gives and lists copies and statements with the same rules and log as the pages, and
another organisation finds nothing: every page and endpoint answers 404."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.rights.models import ClientStatement, CopyGiven
from tests.factories import allow_api_keys_for
from tests.rights.builders import SOURCE_NAME, person

pytestmark = pytest.mark.django_db


def api_client(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_gives_a_copy_and_takes_a_statement_as_the_pages_do(professional, case):
    client = api_client(professional)
    mother, young = person(case, "Moeder Gezag"), person(case, "Sanne Jong")
    statement = client.post(
        f"/api/v1/cases/{case.pk}/statements/",
        {"person_id": mother.pk, "given_on": timezone.localdate().isoformat(),
         "text": "Mijn kant van het verhaal."},
        content_type="application/json",
    )  # fmt: skip
    assert statement.status_code == 201, statement.content
    # The same refusal as the page: a child under 12 gets no copy itself; nothing recorded.
    refused = client.post(
        f"/api/v1/cases/{case.pk}/copies/",
        {"relation": "kind", "recipient_id": young.pk, "identified": True,
         "identity_document": "paspoort", "reason": "Verzoek"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400
    assert "12 jaar" in refused.json()["error"]["fields"]["recipient_id"][0]
    assert not CopyGiven.objects.exists()

    given = client.post(
        f"/api/v1/cases/{case.pk}/copies/",
        {"relation": "ouder", "recipient_id": mother.pk, "child_id": young.pk,
         "identified": True, "identity_document": "id_kaart", "reason": "Verzoek van moeder"},
        content_type="application/json",
    )  # fmt: skip
    assert given.status_code == 201, given.content
    body = given.json()
    pdf = base64.b64decode(body["pdf_base64"])
    content = json.dumps(body["content"], ensure_ascii=False, indent=2).encode()
    assert hashlib.sha256(pdf).hexdigest() == body["copy"]["sha256_pdf"]
    assert hashlib.sha256(content).hexdigest() == body["copy"]["sha256_json"]
    assert body["content"]["statements"][0]["text"] == "Mijn kant van het verhaal."
    assert SOURCE_NAME not in given.content.decode()
    assert (
        AccessLogEntry.objects.filter(
            subject_type="afschrift", action="export", client_id=case.client_pseudonym
        ).count()
        == 1
    )

    listed = client.get(f"/api/v1/cases/{case.pk}/copies/").json()
    assert [row["reference"] for row in listed] == [body["copy"]["reference"]]
    assert client.get(f"/api/v1/cases/{case.pk}/statements/").json()[0]["person"] == "Moeder Gezag"


def test_the_pages_give_a_copy_and_show_it_on_the_case_page(professional, case, verified):
    client = verified(professional)
    mother, middle = person(case, "Moeder Gezag"), person(case, "Tim Middel")
    url = reverse("rights:copy", args=[case.pk])
    form = {"relation": "ouder", "recipient": mother.pk, "child": middle.pk,
            "identity_document": "rijbewijs", "reason": "Verzoek"}  # fmt: skip
    refused = client.post(url, form)
    assert "Controleer eerst een identiteitsbewijs" in refused.content.decode()
    page = client.post(url, {**form, "identified": "on"})
    assert b"data:application/pdf;base64," in page.content
    detail = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Afschriften gegeven" in detail and "Moeder Gezag (een ouder met gezag" in detail


def test_another_organisation_finds_nothing(case, make_member, other_organisation, verified):
    outsider = make_member(Role.PROFESSIONAL, other_organisation)
    api = api_client(outsider)
    mother = person(case, "Moeder Gezag")
    for url in (f"/api/v1/cases/{case.pk}/copies/", f"/api/v1/cases/{case.pk}/statements/"):
        assert api.get(url).status_code == 404
        body = {"relation": "ouder", "recipient_id": mother.pk, "person_id": mother.pk,
                "identified": True, "identity_document": "paspoort", "reason": "x",
                "given_on": timezone.localdate().isoformat(), "text": "x"}  # fmt: skip
        assert api.post(url, body, content_type="application/json").status_code == 404
    pages = verified(outsider)
    for name in ("rights:copy", "rights:statement"):
        url = reverse(name, args=[case.pk])
        assert pages.get(url).status_code == 404
        assert pages.post(url, {"person": mother.pk, "text": "x"}).status_code == 404
    assert not CopyGiven.objects.exists() and not ClientStatement.objects.exists()
    refused = AccessLogEntry.objects.filter(user=outsider, outcome="denied")
    assert refused.count() == 8
    assert set(refused.values_list("client_id", flat=True)) == {case.client_pseudonym}


def test_the_case_page_lists_copies_and_statements_in_the_same_number_of_queries(
    professional, case, verified
):
    client = verified(professional)
    mother = person(case, "Moeder Gezag")
    url = reverse("cases:detail", args=[case.pk])

    def add(count: int) -> None:
        for number in range(count):
            CopyGiven.objects.create(
                case=case, reference=f"AF-T{CopyGiven.objects.count()}-{number}",
                recipient=mother, relation="ouder", identified=True,
                identity_document="paspoort", reason="Verzoek", given_by=professional,
                organisation=case.organisation, given_at=timezone.now(),
                sha256_pdf="0" * 64, sha256_json="0" * 64,
            )  # fmt: skip
            ClientStatement.objects.create(
                case=case, given_by=mother, given_on=timezone.localdate(), text="Verklaring",
                recorded_by=professional, organisation=case.organisation,
                recorded_at=timezone.now(),
            )  # fmt: skip

    add(1)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    add(5)
    with CaptureQueriesContext(connection) as six:
        page = client.get(url).content.decode()
    assert page.count("Verklaring</p>") == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_the_case_page_reads_the_copies_and_statements_only_when_there_are_any(
    professional, case, verified
):
    client = verified(professional)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)  # warm the session and caches

    def tables_read() -> tuple[str, set[str]]:
        with CaptureQueriesContext(connection) as context:
            page = client.get(url).content.decode()
        sql = " ".join(query["sql"] for query in context.captured_queries)
        read = {table for table in ("rights_clientstatement", "rights_copygiven")
                if f'FROM "{table}"' in sql.replace('EXISTS(SELECT 1 AS "a" FROM', "")}  # fmt: skip
        return page, read

    page, read = tables_read()
    assert read == set()
    assert "Nog geen eigen verklaring." in page and "Nog geen afschrift gegeven." in page
    ClientStatement.objects.create(
        case=case, given_by=person(case, "Moeder Gezag"), given_on=timezone.localdate(),
        text="Mijn kant van het verhaal", recorded_by=professional,
        organisation=case.organisation, recorded_at=timezone.now(),
    )  # fmt: skip
    page, read = tables_read()
    assert read == {"rights_clientstatement"}
    assert "Mijn kant van het verhaal" in page and "Nog geen afschrift gegeven." in page
