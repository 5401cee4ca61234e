"""Hostile JSON bodies on every kind of endpoint that takes one: too deep, too large, not text a
database can store. Each is a clear 400 in the API's error format, never a 500, and changes
nothing."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from meldwijzer.accounts.services import api_token_create
from meldwijzer.api.parsers import MAX_DEPTH, nesting_depth
from meldwijzer.cases.models import Case, Entry, Person
from meldwijzer.instruments.models import InstrumentDefinition, InstrumentResult
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import signals_case
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db

# Each endpoint that reads a JSON body, with the account that may use it. {case} is filled in.
ENDPOINTS = [
    ("professional", "/api/v1/cases/"),
    ("professional", "/api/v1/cases/{case}/entries/"),
    ("professional", "/api/v1/cases/{case}/persons/"),
    ("professional", "/api/v1/cases/{case}/weighings/"),
    ("professional", "/api/v1/cases/{case}/decision/"),
    ("professional", "/api/v1/cases/{case}/instrument-results/"),
    ("admin", "/api/v1/instruments/huisbezoek_scan/versions/"),
]


def token_client(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def setting(make_member, organisation):
    professional = make_member(Role.PROFESSIONAL, organisation)
    case = signals_case(actor_for_user(user=professional))
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    clients = {"professional": token_client(professional), "admin": token_client(admin)}
    return clients, case


def stored() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        Entry.objects.count(),
        Person.objects.count(),
        InstrumentResult.objects.count(),
        InstrumentDefinition.objects.count(),
    )


def send(setting, who: str, url: str, body: str, content_type: str = "application/json"):
    clients, case = setting
    before = stored()
    response = clients[who].generic(
        "POST", url.format(case=case.pk), body, content_type=content_type
    )
    assert stored() == before, "a refused body changed something"
    return response


def assert_refused(response, code: str, words: str) -> None:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (400, code)
    assert words in error["message"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize(("who", "url"), ENDPOINTS)
def test_deeply_nested_json_is_a_clear_400(setting, who, url):
    # 100 000 levels made the decoder raise RecursionError: a 500 before.
    body = '{"version": 1, "data": {"text": ' + nested(100_000) + "}}"
    assert_refused(send(setting, who, url, body), "te_diep_genest", "te diep genest")


@pytest.mark.parametrize(("who", "url"), ENDPOINTS)
def test_a_body_over_the_limit_is_a_clear_400(setting, who, url, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = json.dumps({"data": {"text": "x" * 10_000}})
    assert_refused(send(setting, who, url, body), "te_groot", "hoogstens 9 kB")


@pytest.mark.parametrize(("who", "url"), ENDPOINTS)
def test_a_lone_surrogate_is_a_clear_400(setting, who, url):
    # PostgreSQL refuses to store it ("Unicode low surrogate must follow a high surrogate"):
    # a 500 on PostgreSQL before.
    body = '{"version": 1, "data": {"text": "a\\ud800b"}, "title": "x"}'
    assert_refused(send(setting, who, url, body), "ongeldige_invoer", "data.text")


def test_a_lone_surrogate_in_an_entry_is_refused_before_it_reaches_the_database(setting):
    clients, case = setting
    body = json.dumps({"kind": "note", "version": case.version, "data": {"date": "2026-01-05"}})
    body = body[:-2] + ', "text": "\\udc00"}}'
    response = send(setting, "professional", f"/api/v1/cases/{case.pk}/entries/", body)
    assert_refused(response, "ongeldige_invoer", "U+DC00")
    # A real pair of surrogates is one character, and is stored.
    body = body.replace("\\udc00", "\\ud83d\\ude00")
    response = clients["professional"].generic(
        "POST", f"/api/v1/cases/{case.pk}/entries/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Entry.objects.filter(case=case, kind="note").get().data["text"] == "\U0001f600"


@pytest.mark.parametrize(
    ("body", "content_type", "words"),
    [
        ("{'kind': 'note'}", "application/json", "geen geldige JSON (regel 1, teken 2)"),
        ('{"version": NaN}', "application/json", "geen geldige JSON"),
        ('{"version": Infinity}', "application/json", "geen geldige JSON"),
        ("\xff\xfe", "application/json; charset=ascii", "geen geldige tekst"),
        ("{}", "application/json; charset=bz2_codec", "Onbekende tekenset"),
    ],
)
def test_other_broken_bodies_are_a_dutch_400(setting, body, content_type, words):
    _, case = setting
    url = f"/api/v1/cases/{case.pk}/entries/"
    assert_refused(
        send(setting, "professional", url, body, content_type), "ongeldige_invoer", words
    )


def test_nesting_up_to_the_limit_is_read_as_usual(setting):
    clients, case = setting
    inner = nested(MAX_DEPTH - 2)  # the body itself and `data` are two levels
    body = json.dumps({"kind": "note", "version": case.version, "data": {"date": "2026-01-05"}})
    body = body[:-2] + ', "text": ' + inner + "}}"
    response = clients["professional"].generic(
        "POST", f"/api/v1/cases/{case.pk}/entries/", body, content_type="application/json"
    )
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("{}", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('"[[[[" ', 0),
        ('{"a": "\\"[[[[", "b": [[]]}', 3),
        ("[]" * 1000, 1),
        (nested(40), MAX_DEPTH + 1),
    ],
)
def test_nesting_depth_counts_brackets_outside_strings(text, depth):
    assert nesting_depth(text, MAX_DEPTH) == depth
