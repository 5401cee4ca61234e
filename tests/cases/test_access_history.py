"""'Wie heeft deze gegevens ingezien': who looked at a client's data, for the responsible
professional only — on the case page, its own paged page, the API and the command line — with
the rows written before each row named its client found through the case number."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit import services as audit_services
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Subject
from meldwijzer.audit.selectors import client_access_list
from meldwijzer.audit.services import access_log_record
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.cases import selectors
from meldwijzer.cases.access_views import SHOWN_ON_CASE_PAGE, access_history_context
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import signals_case
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, allow_api_keys_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def case(professional):
    return signals_case(actor_for_user(user=professional))


def web(user) -> Client:
    return force_verified_login(Client(), user)


def api(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def old_row(monkeypatch, **fields) -> AccessLogEntry:
    """A row as it was written before rows named their client: no pseudonym."""
    monkeypatch.setattr(audit_services, "_checked_subject", lambda subject, *_: str(subject))
    row = access_log_record(actor=None, username="vroeger", action=Action.READ, **fields)
    monkeypatch.undo()
    return row


def history_read(user) -> AccessLogEntry | None:
    return AccessLogEntry.objects.filter(user=user, part="toegangslogboek").last()


# --- Who may see it ------------------------------------------------------------------------------


def test_the_responsible_professional_sees_every_row_about_the_client(professional, case):
    actor = actor_for_user(user=professional)
    rows = list(selectors.case_access_history(actor=actor, case=case))
    assert rows and {row.client_id for row in rows} == {case.client_pseudonym}
    assert [row.pk for row in rows] == sorted((row.pk for row in rows), reverse=True)
    read = history_read(professional)
    assert (read.subject_type, read.subject_id, read.client_id, read.outcome) == (
        "casus", str(case.pk), case.client_pseudonym, AccessOutcome.ALLOWED,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("role", "own_organisation"),
    [
        (Role.PROFESSIONAL, True),  # a colleague
        (Role.MELDCODE_OFFICER, True),  # the aandachtsfunctionaris of the case's organisation
        (Role.MELDCODE_OFFICER, False),  # an aandachtsfunctionaris elsewhere
        (Role.PROFESSIONAL, False),  # a professional elsewhere
        (Role.FUNCTIONAL_ADMIN, True),  # supervises the organisation's whole log, not this
    ],
)
def test_anyone_else_is_refused_and_the_refusal_logged(
    make_member, organisation, case, role, own_organisation
):
    other = make_member(role, organisation if own_organisation else None)
    with pytest.raises(Http404):
        selectors.case_access_history(actor=actor_for_user(user=other), case=case)
    refused = AccessLogEntry.objects.get(user=other)
    assert (refused.outcome, refused.subject_type, refused.client_id, refused.part) == (
        AccessOutcome.DENIED, "casus", case.client_pseudonym, "toegangslogboek",
    )  # fmt: skip


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.FUNCTIONAL_ADMIN])
def test_the_responsible_professional_acting_elsewhere_or_in_another_role_is_refused(
    professional, organisation, other_organisation, case, role
):
    # Acting for another organisation, or holding only a role that does no case work: the
    # responsible professional's own case is not theirs to look into there.
    if role == Role.PROFESSIONAL:
        MembershipFactory(user=professional, organisation=other_organisation, role=role)
        actor = actor_for_user(user=professional, organisation_id=other_organisation.pk)
    else:
        professional.memberships.update(role=role)
        actor = actor_for_user(user=professional)
    with pytest.raises(Http404):
        selectors.case_access_history(actor=actor, case=case)
    assert history_read(professional).outcome == AccessOutcome.DENIED


def test_the_aandachtsfunctionaris_sees_the_case_but_not_who_looked(
    make_member, organisation, case
):
    officer = make_member(Role.MELDCODE_OFFICER, organisation)
    page = web(officer).get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert page.status_code == 200
    assert "Wie heeft deze gegevens ingezien" not in page.content.decode()
    assert history_read(officer) is None
    assert not AccessLogEntry.objects.filter(user=officer, outcome=AccessOutcome.DENIED).exists()
    url = reverse("cases:access_history", kwargs={"case_id": case.pk})
    assert web(officer).get(url).status_code == 404


# --- Which rows ----------------------------------------------------------------------------------


def test_rows_of_another_client_are_not_shown(professional, case):
    other = signals_case(actor_for_user(user=professional), "Een ander kind")
    rows = client_access_list(client_pseudonym=case.client_pseudonym, case_id=case.pk)
    assert not rows.filter(client_id=other.client_pseudonym).exists()
    assert not rows.filter(subject_id=str(other.pk), subject_type="casus").exists()


def test_older_rows_are_found_through_the_case_number_and_marked(monkeypatch, professional, case):
    about_case = old_row(monkeypatch, subject=Subject.CASE, subject_id=str(case.pk), part="dossier")
    refused_person = old_row(
        monkeypatch, subject=Subject.PERSON, subject_id="55", client_id=str(case.pk),
        outcome=AccessOutcome.DENIED,
    )  # fmt: skip
    other_case = old_row(monkeypatch, subject=Subject.CASE, subject_id=str(case.pk + 1000))
    rows = {
        row.pk: row
        for row in client_access_list(
            client_pseudonym=case.client_pseudonym, case_id=case.pk, since=case.opened_at
        )
    }
    assert rows[about_case.pk].found_by_case_number
    assert rows[refused_person.pk].found_by_case_number
    assert other_case.pk not in rows
    assert not any(
        row.found_by_case_number for row in rows.values() if row.client_id == case.client_pseudonym
    )
    page = web(professional).get(reverse("cases:access_history", kwargs={"case_id": case.pk}))
    assert page.content.decode().count("oudere regel, gevonden via het casusnummer") >= 2


def test_without_the_case_number_only_rows_naming_the_client_are_found(monkeypatch, case):
    old = old_row(monkeypatch, subject=Subject.CASE, subject_id=str(case.pk))
    rows = client_access_list(client_pseudonym=case.client_pseudonym)
    assert old.pk not in {row.pk for row in rows}


def test_a_refusal_before_the_case_was_opened_is_not_its_older_row(monkeypatch, case):
    # Someone asked for a case number before a case had it: not about this client.
    early = old_row(
        monkeypatch, subject=Subject.CASE, subject_id=str(case.pk), outcome=AccessOutcome.DENIED
    )
    since_the_row = {
        row.pk
        for row in client_access_list(
            client_pseudonym=case.client_pseudonym, case_id=case.pk, since=early.occurred_at
        )
    }
    after_the_row = {
        row.pk
        for row in client_access_list(
            client_pseudonym=case.client_pseudonym,
            case_id=case.pk,
            since=early.occurred_at + datetime.timedelta(seconds=1),
        )
    }
    assert early.pk in since_the_row
    assert early.pk not in after_the_row


# --- The case page, its own page ------------------------------------------------------------------


def queries_for_case_page(client: Client, case) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_case_page_shows_the_latest_rows_without_a_query_per_row(professional, case):
    client = web(professional)
    client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))  # warm the session
    few = queries_for_case_page(client, case)
    for _ in range(SHOWN_ON_CASE_PAGE + 5):
        selectors.case_get(actor=actor_for_user(user=professional), case_id=case.pk)
    many = queries_for_case_page(client, case)
    # One more row in the log per page view does not change the number of queries.
    assert many == few
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    section = page.split('id="inzage"')[1]
    assert "Wie heeft deze gegevens ingezien" in page
    assert "<caption" in section and 'scope="col"' in section
    assert section.count('<tr class="utrecht-table__row">') == SHOWN_ON_CASE_PAGE + 1  # + header
    assert "Alle regels bekijken" in section
    assert reverse("cases:access_history", kwargs={"case_id": case.pk}) in section


def test_the_case_page_reads_its_rows_in_one_query(professional, case):
    for _ in range(SHOWN_ON_CASE_PAGE + 5):
        selectors.case_get(actor=actor_for_user(user=professional), case_id=case.pk)
    _, rows = selectors.case_page_get(actor=actor_for_user(user=professional), case_id=case.pk)
    with CaptureQueriesContext(connection) as context:
        shown = access_history_context(rows)
    assert len(context.captured_queries) == 1
    assert len(shown["access_history"]) == SHOWN_ON_CASE_PAGE
    assert shown["access_history_more"]


def test_both_pages_show_each_row_in_words(
    monkeypatch, make_member, organisation, professional, case
):
    # A refusal of a colleague in summer time (UTC+2), and an older row without a user or an
    # organisation, found through the case number.
    colleague = make_member(Role.PROFESSIONAL, organisation)
    colleague.username = "collega<b>"
    colleague.save()
    summer = datetime.datetime(2027, 7, 1, 22, 5, tzinfo=datetime.UTC)
    with time_machine.travel(summer, tick=False), pytest.raises(Http404):
        selectors.case_access_history(actor=actor_for_user(user=colleague), case=case)
    with time_machine.travel(summer + datetime.timedelta(hours=10), tick=False):
        old_row(monkeypatch, subject=Subject.CASE, subject_id=str(case.pk), part="dossier")
    for name in ("cases:detail", "cases:access_history"):
        with time_machine.travel(summer + datetime.timedelta(hours=11)):
            client = web(professional)
            page = client.get(reverse(name, kwargs={"case_id": case.pk})).content.decode()
        table = page.split('<table class="utrecht-table">')[-1]
        refused = table.split("2-7-2027 00:05")[1].split("</tr>")[0]
        assert "collega&lt;b&gt;<br>" in refused
        assert "Professional</span>" in refused
        assert f">{organisation.name}<" in refused
        assert ">Zorgverlening en meldcode<" in refused
        assert ">Ingezien: casus (toegangslogboek)<" in refused
        assert "Geweigerd" in refused and "oudere regel" not in refused
        older = table.split("2-7-2027 10:05")[1].split("</tr>")[0]
        assert "vroeger</td>" in older and ">–<" in older  # no role, no organisation
        assert ">Ingezien: casus (dossier)<br>" in older
        assert "oudere regel, gevonden via het casusnummer" in older
        assert "Toegestaan" in older


def test_the_case_page_logs_the_dossier_and_the_access_history_at_once(professional, case):
    client = web(professional)
    url = reverse("cases:detail", kwargs={"case_id": case.pk})
    before = AccessLogEntry.objects.count()
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    rows = list(AccessLogEntry.objects.order_by("pk")[before:])
    assert [row.part for row in rows] == ["dossier", "toegangslogboek"]
    for row in rows:
        assert (row.user, row.subject_type, row.subject_id, row.client_id, row.outcome) == (
            professional, "casus", str(case.pk), case.client_pseudonym, AccessOutcome.ALLOWED,
        )  # fmt: skip
    # One chain, moved once: the second row follows the first in it.
    assert rows[1].sequence == rows[0].sequence + 1
    assert rows[1].previous_hash == rows[0].entry_hash
    head_moves = [
        query for query in context.captured_queries
        if query["sql"].startswith('UPDATE "audit_accessloghead"')
    ]  # fmt: skip
    assert len(head_moves) == 1
    assert audit_chain_verify().ok


def test_the_full_page_is_paged_and_logged(professional, case):
    client = web(professional)
    for _ in range(60):
        selectors.case_get(actor=actor_for_user(user=professional), case_id=case.pk)
    url = reverse("cases:access_history", kwargs={"case_id": case.pk})
    with CaptureQueriesContext(connection) as context:
        first = client.get(url)
    assert first.status_code == 200
    assert "Pagina 1 van" in first.content.decode()
    queries = len(context.captured_queries)
    assert queries < 30
    assert client.get(url + "?pagina=2").status_code == 200
    assert history_read(professional).client_id == case.client_pseudonym


def test_the_full_page_of_an_unknown_case_is_not_found_and_logged(professional):
    assert (
        web(professional)
        .get(reverse("cases:access_history", kwargs={"case_id": 999999}))
        .status_code
        == 404
    )
    refused = AccessLogEntry.objects.get(user=professional, outcome=AccessOutcome.DENIED)
    assert (refused.subject_id, refused.client_id) == ("999999", "")


# --- The API -------------------------------------------------------------------------------------


def test_the_api_lists_the_rows_for_the_responsible_professional(
    monkeypatch, make_member, organisation, professional, case
):
    old_row(monkeypatch, subject=Subject.CASE, subject_id=str(case.pk))
    response = api(professional).get(f"/api/v1/cases/{case.pk}/access-log/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] >= 1
    first = body["results"][0]
    assert set(first) >= {
        "occurred_at", "username", "organisation", "role", "purpose", "action", "subject_type",
        "part", "outcome", "found_by_case_number",
    }  # fmt: skip
    assert any(row["found_by_case_number"] for row in body["results"])
    colleague = make_member(Role.PROFESSIONAL, organisation)
    refused = api(colleague).get(f"/api/v1/cases/{case.pk}/access-log/")
    assert refused.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=colleague, outcome=AccessOutcome.DENIED, client_id=case.client_pseudonym
    ).exists()


def test_the_schema_lists_the_endpoint(client):
    paths = client.get("/api/v1/schema/").json()["paths"]
    operation = paths["/api/v1/cases/{case_id}/access-log/"]["get"]
    assert {"200", "404", "403"} <= set(operation["responses"])


# --- The command line ----------------------------------------------------------------------------


def test_the_command_prints_the_rows_by_pseudonym_or_case_number(monkeypatch, case):
    old_row(monkeypatch, subject=Subject.CASE, subject_id=str(case.pk))
    for wanted in (case.client_pseudonym, case.reference, str(case.pk)):
        out = StringIO()
        call_command("audit_client", wanted, stdout=out)
        text = out.getvalue()
        assert f"Cliënt {case.client_pseudonym} (casus {case.reference})" in text
        assert "oudere regel, gevonden via het casusnummer" in text
        assert "regel(s)." in text
    # The listing is logged as a read of the client's data by the command line.
    assert (
        AccessLogEntry.objects.filter(
            username="opdrachtregel", client_id=case.client_pseudonym, part="toegangslogboek"
        ).count()
        == 3
    )


def test_the_command_names_an_unknown_client():
    with pytest.raises(CommandError, match="Geen casus of cliënt gevonden"):
        call_command("audit_client", "cl-bestaatniet")
