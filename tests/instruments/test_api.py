"""The instruments API as a contract: definitions, results under a case, errors and access."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.audit.models import AccessOutcome as LogOutcome
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.instruments import selectors, services
from meldwijzer.instruments.models import (
    InstrumentDefinition,
    InstrumentResult,
    OrganisationInstrument,
)
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.api.test_cases_api import assert_error
from tests.factories import allow_api_keys_for
from tests.instruments.builders import SCAN, neutral_answers, record_result, shipped
from tests.instruments.own_instrument import OWN_V1, OWN_V2

pytestmark = pytest.mark.django_db


def api(actor) -> Client:
    allow_api_keys_for(actor.user, actor.organisation)
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


# --- Adjusting an instrument --------------------------------------------------------------------------

VERSIONS = f"/api/v1/instruments/{SCAN}/versions/"


def post_edit(client, body, url=VERSIONS):
    return client.post(url, body, content_type="application/json")


def test_an_adjustment_through_the_api_is_a_new_version_for_new_results(actor, case, admin):
    earlier = record_result(actor, case)
    client = api(admin)
    body = {
        "based_on_version": "2.0",
        "title": "Huisbezoek-scan wijkteam",
        "questions": {"kind_prematuur": {"enabled": False}, "sig_letsel": {"help": ""}},
        "bands": {"risico": {"laag": {"max": 4}, "verhoogd": {"min": 5, "label": "Verhoogd"}}},
    }
    dry = post_edit(client, {**body, "dry_run": True})
    assert dry.status_code == 200, dry.content
    assert dry.json()["saved"] is False and dry.json()["version"] == "2.0-1"
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()

    response = post_edit(client, body)
    assert response.status_code == 201, response.content
    saved = response.json()
    assert (saved["saved"], saved["new_version"], saved["version"]) == (True, True, "2.0-1")
    summaries = {(c["subject"], c["summary"]) for c in saved["changes"]}
    assert ("Band ‘Laag’ van ‘Risicofactoren’", "0 tot en met 3 → 0 tot en met 4") in summaries
    definition = InstrumentDefinition.objects.get(organisation=admin.organisation)
    assert saved["digest"] == definition.digest

    detail = api(actor).get(f"/api/v1/instruments/{SCAN}/").json()
    assert (detail["version"], detail["adjusted"], detail["shipped"]) == ("2.0-1", True, True)
    answers = neutral_answers(selectors.definition_instrument(definition))
    new = post_edit(api(actor), {"instrument": SCAN, "answers": answers}, url=results_url(case))
    assert new.status_code == 201, new.content
    assert (new.json()["version"], new.json()["digest"]) == ("2.0-1", definition.digest)
    old = api(actor).get(f"{results_url(case)}{earlier.pk}/").json()
    assert (old["version"], old["digest"]) == ("2.0", shipped().digest)


def test_overlapping_bands_through_the_api_are_a_400_at_the_field(admin):
    body = {"based_on_version": "2.0", "bands": {"risico": {"laag": {"max": 5}}}}
    error = assert_error(post_edit(api(admin), body), 400, "ongeldige_invoer")
    assert error["fields"] == {
        "bands.risico.laag.max": [
            "banden 'laag' en 'verhoogd' overlappen: 4 tot en met 5 valt in allebei"
        ]
    }
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"questions": {"sig_vertelt": {"enabled": False}}}, "questions.sig_vertelt.enabled"),
        ({"questions": {"bestaat_niet": {"text": "x"}}}, "questions.bestaat_niet"),
        ({"bands": {"risico": {"extreem": {"min": 30}}}}, "bands.risico.extreem"),
        ({"title": ""}, "title"),
        ({}, "non_field_errors"),
        ({"bands": {"risico": {"laag": {"max": "drie"}}}}, "bands"),
        ({"questions": ["kind_prematuur"]}, "questions"),
    ],
)
def test_bad_adjustments_are_a_400_per_field_and_store_nothing(admin, body, field):
    error = assert_error(
        post_edit(api(admin), {"based_on_version": "2.0", **body}), 400, "ongeldige_invoer"
    )
    assert field in error["fields"]
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()


def test_adjusting_needs_the_functioneel_beheerder_of_the_instruments_organisation(
    actor, admin, make_member, other_organisation
):
    body = {"based_on_version": "2.0", "title": "Anders"}
    assert_error(post_edit(api(actor), body), 403, "geen_toegang")
    services.instrument_upload(actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True)
    other = api(actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, other_organisation)))
    own = "/api/v1/instruments/eigen_lijst/versions/"
    assert_error(post_edit(other, {**body, "based_on_version": "1"}, url=own), 404, "niet_gevonden")
    assert InstrumentDefinition.objects.filter(organisation__isnull=False).count() == 1
    assert AccessLogEntry.objects.filter(outcome=LogOutcome.DENIED, subject_id=SCAN).exists()
    assert AccessLogEntry.objects.filter(
        outcome=LogOutcome.DENIED, subject_id="eigen_lijst"
    ).exists()


def test_an_adjustment_of_an_older_version_is_a_conflict(admin):
    client = api(admin)
    assert post_edit(client, {"based_on_version": "2.0", "title": "Eerste"}).status_code == 201
    response = post_edit(client, {"based_on_version": "2.0", "title": "Tweede"})
    assert "Intussen" in assert_error(response, 409, "gelijktijdige_wijziging")["message"]


def test_switching_off_through_the_api_makes_no_version(admin):
    response = post_edit(api(admin), {"based_on_version": "2.0", "enabled": False})
    assert response.status_code == 201
    assert (response.json()["new_version"], response.json()["version"]) == (False, "2.0")
    assert OrganisationInstrument.objects.get(key=SCAN).enabled is False


def test_the_adjustment_endpoint_is_in_the_openapi_schema():
    schema = Client().get("/api/v1/schema/").json()
    operation = schema["paths"]["/api/v1/instruments/{key}/versions/"]["post"]
    assert "nieuwe versie van uw organisatie" in operation["summary"]
    assert {"200", "201"} <= set(operation["responses"])


def test_generated_adjustment_bodies_never_end_in_a_server_error(admin):
    client = api(admin)
    band = st.fixed_dictionaries(
        {}, optional={"label": JSON, "min": JSON | st.integers(-3, 30), "max": JSON}
    )
    bodies = st.fixed_dictionaries(
        {"based_on_version": st.sampled_from(["2.0", "1.0"]) | JSON},
        optional={
            "dry_run": st.booleans() | JSON,
            "title": st.text(max_size=5) | JSON,
            "questions": st.dictionaries(
                st.sampled_from(list(shipped().items)) | st.text(max_size=5),
                st.fixed_dictionaries(
                    {}, optional={"text": JSON, "help": JSON, "enabled": st.booleans() | JSON}
                )
                | JSON,
                max_size=3,
            )
            | JSON,
            "bands": st.dictionaries(
                st.sampled_from(["risico", "signalen", "x"]),
                st.dictionaries(st.sampled_from(["laag", "verhoogd", "hoog", "geen"]), band),
                max_size=2,
            )
            | JSON,
        },
    )

    @given(body=bodies | JSON)
    @settings(
        max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(body):
        response = client.post(VERSIONS, body, content_type="application/json")
        assert response.status_code in (200, 201, 400, 409), response.content

    check()
