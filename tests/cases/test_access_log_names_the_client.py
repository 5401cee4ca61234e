"""Every access-log row about a client's data names the client: one case is driven through the
pages and the API — opened, people, every kind of entry, an instrument, weighing, the decision,
the report printed, as PDF and as JSON, closed, re-opened, each part read, and refused to others —
and then every row about a case, person, entry or instrument result carries that case's client
pseudonym, and no row holds the client's name or BSN."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import CLIENT_SUBJECTS, AccessLogEntry, AccessOutcome, Action
from meldwijzer.cases.models import Case, EntryKind
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import force_verified_login
from tests.factories import allow_api_keys_for
from tests.instruments.builders import SCAN, form_data, neutral_answers, shipped

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


CHILD_NAME = "Sanne Vertrouwelijk"
PARENT_NAME = "Moeder Vertrouwelijk"
BSN = "999990019"


def web(user) -> Client:
    return force_verified_login(Client(), user)


def api(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


class Walk:
    """One professional's case, through the pages (`page`) and the API (`api`)."""

    def __init__(self, user) -> None:
        self.page = web(user)
        self.api = api(user)
        self.case: Case | None = None

    @property
    def version(self) -> int:
        assert self.case is not None
        self.case.refresh_from_db()
        return self.case.version

    def url(self, name: str, **kwargs) -> str:
        assert self.case is not None
        return reverse(name, kwargs={"case_id": self.case.pk, **kwargs})

    def post_page(self, name: str, data: dict, **kwargs) -> None:
        response = self.page.post(self.url(name, **kwargs), {**data, "version": self.version})
        assert response.status_code == 302, response.content.decode()[:3000]

    def post_api(self, path: str, body: dict, status: int = 201) -> dict:
        assert self.case is not None
        response = self.api.post(
            f"/api/v1/cases/{self.case.pk}/{path}",
            {**body, "version": self.version},
            content_type="application/json",
        )
        assert response.status_code == status, response.content
        return response.json()

    def entry_page(self, kind: str, data: dict) -> None:
        self.post_page("cases:entry_create", data, kind=kind)

    def entry_api(self, kind: str, data: dict) -> None:
        self.post_api("entries/", {"kind": kind, "data": data})

    def read(self, *urls: str) -> None:
        for url in urls:
            response = (self.api if url.startswith("/api/") else self.page).get(url)
            assert response.status_code == 200, (url, response.status_code)


def walk_a_whole_case(walk: Walk, professional) -> Case:
    day = today().isoformat()
    response = walk.page.post(
        reverse("cases:create"),
        {"title": "Zorgen over leerling", "profession": "onderwijs", "client": "kind"},
    )
    assert response.status_code == 302
    walk.case = Case.objects.get(responsible=professional)
    case = walk.case
    # People: through the page and through the API, and a new version of one.
    walk.post_page("cases:person_create", {
        "kind": "child", "name": CHILD_NAME, "date_of_birth": "2019-03-14", "bsn": BSN,
        "street_address": "Verzonnenlaan 4", "postcode": "8302 ZZ", "place": "Emmeloord",
    })  # fmt: skip
    walk.post_api("persons/", {"data": {
        "kind": "parent", "name": PARENT_NAME, "relation": "moeder", "authority": "ja",
        "phone": "06-00000000",
    }})  # fmt: skip
    parent = case.persons.get(kind="parent")
    walk.post_api("persons/", {"replaces": parent.pk, "data": {
        "kind": "parent", "name": PARENT_NAME, "relation": "moeder", "authority": "nee",
    }})  # fmt: skip
    # Step 1: every kind of entry of this step, on the page and through the API, a correction.
    walk.entry_page("signal", {
        "date": day, "category": "lichamelijk", "source": "eigen", "facts": "Blauwe plek.",
    })  # fmt: skip
    walk.entry_api("counter_signal", {"date": day, "source": "collega", "facts": "Vrolijk."})
    walk.entry_api("note", {"text": "Aanvulling."})
    note = case.entries.get(kind=EntryKind.NOTE)
    walk.post_api("entries/", {"kind": "note", "data": {"text": "Beter."}, "corrects": note.pk})
    walk.entry_page("consultation_request", {"question": "Kijkt u mee?"})
    # An instrument, saved halfway and finished, through the page.
    fill = reverse("instruments:fill", kwargs={"case_id": case.pk, "key": SCAN})
    answers = form_data(neutral_answers(shipped()))
    assert walk.page.post(fill, {**answers, "actie": "opslaan"}).status_code == 302
    assert walk.page.post(fill, {"actie": "verwijderen"}).status_code == 302
    assert walk.page.post(fill, {**answers, "actie": "opslaan"}).status_code == 302
    assert walk.page.post(fill, {**answers, "actie": "afronden"}).status_code == 302
    result = case.instrument_results.get()
    # Steps 2 to 5.
    walk.post_api("move/", {"target": "stap_2"}, status=200)
    walk.entry_api("consultation", {
        "date": day, "consulted": "aandachtsfunctionaris", "advice": "Bespreek het.",
    })  # fmt: skip
    walk.post_page("cases:move", {"target": "stap_3", "reason": ""})
    walk.entry_api("conversation", {
        "date": day, "participants": "moeder", "said": "De zorgen benoemd.",
        "reaction": "Moeder herkent het.", "agreements": "Nieuw gesprek.",
    })  # fmt: skip
    walk.post_api("move/", {"target": "stap_4"}, status=200)
    walk.post_page("cases:weighing", {
        "question": "afweging_1", "answer": "ja", "reasoning": "Vermoeden.",
    })  # fmt: skip
    walk.post_api("weighings/", {
        "question": "afweging_2", "answer": "ja", "reasoning": "Herhaald.",
        "kinds": ["structureel"],
    })  # fmt: skip
    walk.post_api("decision/", {"outcome": "report_and_help", "agreements": "Contact."})
    # The report act and Veilig Thuis' feedback; the report printed, as PDF, as JSON, by API.
    walk.entry_page("report", {
        "date": day, "time": "09:15", "channel": "telefoon",
        "veilig_thuis": "Veilig Thuis Flevoland", "contact": "mevrouw Bakker",
        "vt_reference": "VTF-123", "informed": "ja",
    })  # fmt: skip
    walk.entry_api("report_feedback", {"date": day, "action": "onderzoek"})
    person = case.persons.get(kind="child")
    entry = case.entries.get(kind=EntryKind.SIGNAL)
    walk.read(
        walk.url("cases:detail"),
        walk.url("cases:history"),
        walk.url("cases:person_bsn", person_id=person.pk),
        walk.url("cases:report_print"),
        walk.url("cases:report_pdf"),
        walk.url("cases:report_json"),
        walk.url("cases:access_history"),
        reverse("instruments:case", kwargs={"case_id": case.pk}),
        reverse("instruments:result", kwargs={"case_id": case.pk, "result_id": result.pk}),
        f"/api/v1/cases/{case.pk}/",
        f"/api/v1/cases/{case.pk}/report/",
        f"/api/v1/cases/{case.pk}/instrument-results/",
        f"/api/v1/cases/{case.pk}/instrument-results/{result.pk}/",
        f"/api/v1/cases/{case.pk}/access-log/",
        walk.url("cases:entry_correct", entry_id=entry.pk),
    )
    # Ids that are not this case's, asked for through it: refused, in this client's dossier.
    for url in (
        walk.url("cases:person_bsn", person_id=999999),
        walk.url("cases:entry_correct", entry_id=999999),
        reverse("instruments:result", kwargs={"case_id": case.pk, "result_id": 999999}),
    ):
        assert walk.page.get(url).status_code == 404
    # Closed, re-opened, and a new signal in the new round.
    walk.post_page("cases:close", {"reason": "Veilig Thuis neemt het over."})
    walk.post_page("cases:move", {"target": "stap_1", "reason": "Nieuwe signalen."})
    walk.entry_api("signal", {
        "date": day, "category": "lichamelijk", "source": "eigen", "facts": "Weer een plek.",
    })  # fmt: skip
    return case


def refuse_to_others(case: Case, stranger, colleague) -> None:
    person = case.persons.filter(kind="child").first()
    entry = case.entries.first()
    result = case.instrument_results.first()
    assert person is not None and entry is not None and result is not None
    for user in (stranger, colleague):
        client, key = web(user), api(user)
        for url in (
            reverse("cases:detail", kwargs={"case_id": case.pk}),
            reverse("cases:report_pdf", kwargs={"case_id": case.pk}),
            reverse("cases:access_history", kwargs={"case_id": case.pk}),
            reverse("cases:person_bsn", kwargs={"case_id": case.pk, "person_id": person.pk}),
            reverse("instruments:result", kwargs={"case_id": case.pk, "result_id": result.pk}),
        ):
            assert client.get(url).status_code in (403, 404), url
        for url in (
            f"/api/v1/cases/{case.pk}/",
            f"/api/v1/cases/{case.pk}/report/",
            f"/api/v1/cases/{case.pk}/access-log/",
            f"/api/v1/cases/{case.pk}/instrument-results/{result.pk}/",
        ):
            assert key.get(url).status_code in (403, 404), url
        response = key.post(
            f"/api/v1/cases/{case.pk}/entries/",
            {"kind": "note", "data": {"text": "x"}, "corrects": entry.pk, "version": 1},
            content_type="application/json",
        )
        assert response.status_code in (403, 404)


def test_every_row_about_the_clients_data_names_the_client(make_member, organisation):
    professional = make_member(Role.PROFESSIONAL, organisation)
    stranger = make_member(Role.PROFESSIONAL)  # another organisation
    colleague = make_member(Role.PROFESSIONAL, organisation)
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)  # may not open cases at all
    case = walk_a_whole_case(Walk(professional), professional)
    refuse_to_others(case, stranger, colleague)
    assert web(admin).get(reverse("cases:detail", kwargs={"case_id": case.pk})).status_code == 403

    rows = list(AccessLogEntry.objects.order_by("id"))
    about_client = [row for row in rows if row.subject_type in CLIENT_SUBJECTS]
    unnamed = [
        (row.sequence, row.username, row.action, row.subject_type, row.part, row.client_id)
        for row in about_client
        if row.client_id != case.client_pseudonym
    ]
    assert not unnamed
    # The walk did reach every kind of event: writes, reads, print and export, and refusals of
    # the case and of a person, an entry and a result in it, by another organisation and a
    # colleague.
    assert {row.action for row in about_client} >= {
        Action.CREATE, Action.UPDATE, Action.DELETE, Action.READ, Action.PRINT, Action.EXPORT,
    }  # fmt: skip
    refusals = {
        (row.username, row.subject_type)
        for row in about_client
        if row.outcome == AccessOutcome.DENIED
    }
    for user in (stranger, colleague, admin):
        assert (user.username, "casus") in refusals
    assert {
        (professional.username, subject)
        for subject in ("betrokkene", "dossierregel", "instrumentuitkomst")
    } <= refusals
    assert {row.part for row in about_client} >= {
        "casus", "betrokkenen", "signaal", "afweging", "besluit", "stap", "afgesloten",
        "instrument", "instrument-concept", "melding", "bsn", "toegangslogboek",
    }  # fmt: skip
    for row in rows:
        text = " ".join(
            str(value) for value in (
                row.username, row.role, row.subject_type, row.subject_id, row.client_id, row.part,
            )
        )  # fmt: skip
        for secret in (CHILD_NAME, PARENT_NAME, "Vertrouwelijk", BSN):
            assert secret not in text, (row.sequence, text)
