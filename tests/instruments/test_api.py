"""The instruments API as a contract: definitions, results under a case, errors and access."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.instruments import services
from meldwijzer.instruments.models import InstrumentResult
from tests.api.test_cases_api import assert_error
from tests.instruments.builders import SCAN, neutral_answers, record_result, shipped
from tests.instruments.own_instrument import OWN_V1, OWN_V2

pytestmark = pytest.mark.django_db


def api(actor) -> Client:
    _, secret = api_token_create(actor=actor, name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def results_url(case) -> str:
    return f"/api/v1/cases/{case.pk}/instrument-results/"


def test_instrument_list_shows_shipped_and_own_with_their_state(actor, admin):
    services.instrument_upload(actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True)
    body = api(actor).get("/api/v1/instruments/").json()
    items = {item["key"]: item for item in body["results"]}
    assert body["count"] == 5
    assert items["huisbezoek_scan"]["enabled"] and items["huisbezoek_scan"]["shipped"]
    assert not items["voorbeeld_risicochecklist"]["enabled"]
    assert items["voorbeeld_risicochecklist"]["format_example"]
    assert items["eigen_lijst"]["shipped"] is False
    assert items["huisbezoek_scan"]["digest"] == shipped().digest


def test_instrument_detail_has_questions_scores_bands_and_the_file(actor):
    body = api(actor).get("/api/v1/instruments/huisbezoek_scan/").json()
    assert body["version"] == "2.0" and body["source_text"] == shipped().source_text
    items = [item for section in body["sections"] for item in section["items"]]
    assert len(items) == 47
    kind_afhankelijk = next(item for item in items if item["id"] == "kind_afhankelijk")
    assert [c["value"] for c in kind_afhankelijk["choices"]] == ["ja", "nee", "onbekend"]
    risk = next(score for score in body["scores"] if score["id"] == "risico")
    assert [(b["code"], b["min"], b["max"]) for b in risk["bands"]] == [
        ("laag", 0, 3),
        ("verhoogd", 4, 8),
        ("hoog", 9, None),
    ]
    assert "vandaag_overleggen" in body["flags"]


def test_older_versions_of_an_own_instrument_can_be_read(actor, admin):
    for text in (OWN_V1, OWN_V2):
        services.instrument_upload(actor=admin, data=text.encode(), filename="e.yaml", enable=True)
    client = api(actor)
    current = client.get("/api/v1/instruments/eigen_lijst/").json()
    assert current["version"] == "2" and [v["version"] for v in current["versions"]] == ["1", "2"]
    old = client.get("/api/v1/instruments/eigen_lijst/?version=1").json()
    assert old["version"] == "1" and old["source_text"] == OWN_V1
    assert_error(client.get("/api/v1/instruments/eigen_lijst/?version=7"), 404, "niet_gevonden")
    assert_error(client.get("/api/v1/instruments/onbekend/"), 404, "niet_gevonden")


def test_recording_a_result_through_the_api(actor, case):
    client = api(actor)
    answers = {**neutral_answers(shipped()), "sig_letsel": "ja", "veiligheid_nu": 3}
    response = client.post(
        results_url(case), {"instrument": SCAN, "answers": answers}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    result = InstrumentResult.objects.get(pk=body["id"])
    assert body["digest"] == result.digest == shipped().digest
    assert body["entry"] == Entry.objects.get(kind=EntryKind.INSTRUMENT_RESULT).pk
    assert [v["code"] for v in body["outcome"]["violence"]] == ["lichamelijk"]
    assert body["outcome"]["flags"][0]["code"] == "vandaag_overleggen"
    assert body["answers"]["veiligheid_nu"] == 3

    listed = client.get(results_url(case)).json()
    assert [item["id"] for item in listed["results"]] == [result.pk]
    detail = client.get(f"{results_url(case)}{result.pk}/").json()
    assert detail["outcome"] == body["outcome"]
    assert AccessLogEntry.objects.filter(part="instrumenten", action=Action.READ).count() >= 3


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({}, "kind_afhankelijk", "Beantwoord deze vraag."),
        ({"kind_afhankelijk": "misschien"}, "kind_afhankelijk", "Kies een van de antwoorden."),
        ({"veiligheid_nu": 9}, "veiligheid_nu", "Kies een van de antwoorden."),
        (
            {"kind_afhankelijk": True},
            "kind_afhankelijk",
            "Geef het antwoord als tekst of als geheel getal.",
        ),
        (
            {"kind_afhankelijk": ["ja"]},
            "kind_afhankelijk",
            "Geef het antwoord als tekst of als geheel getal.",
        ),
        ({"datum_bezoek": "gisteren"}, "datum_bezoek", "Vul een geldige datum in (dd-mm-jjjj)."),
        ({"bestaat_niet": "ja"}, "bestaat_niet", "Deze vraag bestaat niet in dit instrument."),
    ],
)
def test_bad_answers_are_a_400_per_question_and_change_nothing(
    actor, case, answers, field, message
):
    base = neutral_answers(shipped())
    if field == "kind_afhankelijk" and not answers:
        base.pop("kind_afhankelijk")
    response = api(actor).post(
        results_url(case),
        {"instrument": SCAN, "answers": {**base, **answers}},
        content_type="application/json",
    )
    body = assert_error(response, 400, "ongeldige_invoer")
    assert body["fields"]["answers"][field] == [message]
    assert not InstrumentResult.objects.exists()


def test_an_instrument_that_is_off_or_unknown_is_refused(actor, case):
    client = api(actor)
    for key in ("voorbeeld_risicochecklist", "onbekend"):
        response = client.post(
            results_url(case), {"instrument": key, "answers": {}}, content_type="application/json"
        )
        assert_error(response, 400, "niet_mogelijk")
    response = client.post(results_url(case), {"answers": {}}, content_type="application/json")
    assert set(assert_error(response, 400, "ongeldige_invoer")["fields"]) == {"instrument"}


def test_results_of_a_case_out_of_reach_are_not_found(actor, case, colleague, stranger, admin):
    result = record_result(actor, case)
    for outsider in (colleague, stranger, admin):
        client = api(outsider)
        assert_error(client.get(results_url(case)), 404, "niet_gevonden")
        assert_error(client.get(f"{results_url(case)}{result.pk}/"), 404, "niet_gevonden")
        response = client.post(
            results_url(case), {"instrument": SCAN, "answers": {}}, content_type="application/json"
        )
        assert_error(response, 404, "niet_gevonden")
    assert InstrumentResult.objects.count() == 1


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100) | st.floats() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def test_generated_result_bodies_never_end_in_a_server_error(actor, case):
    client = api(actor)
    questions = list(shipped().items)
    answer = st.sampled_from(["ja", "nee", "onbekend", "", "3"]) | JSON
    bodies = st.fixed_dictionaries(
        {},
        optional={
            "instrument": st.sampled_from([SCAN, "gezinsprofielen", "x"]) | JSON,
            "answers": st.dictionaries(st.sampled_from(questions) | st.text(max_size=8), answer)
            | JSON,
        },
    )

    @given(body=bodies | JSON)
    @settings(
        max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(body) -> None:
        response = client.post(results_url(case), body, content_type="application/json")
        assert response.status_code < 500, response.content
        if response.status_code >= 400:
            assert set(response.json()["error"]) >= {"status", "code", "message"}

    check()
