"""The cases API as a contract: list, read, record, weigh, move, decide, report; error shapes,
access rules and the access log."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.cases.entries import ENTRY_FORMS
from meldwijzer.cases.models import Case
from meldwijzer.cases.report import WITHHELD
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import SECRET_SOURCE, reported_case, signals_case, weighing_case
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db


def api(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client: Client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert (body["status"], body["code"]) == (status, code)
    assert body["message"]
    return body


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def actor(professional):
    return actor_for_user(user=professional)


def test_list_own_cases_with_filters(professional, actor, make_member, organisation):
    mine = signals_case(actor, "Eerste zorg")
    reported_case(actor, "Tweede zorg")
    colleague = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    signals_case(colleague, "Zorg van een collega")
    client = api(professional)

    body = client.get("/api/v1/cases/").json()
    assert body["count"] == 2
    assert {item["title"] for item in body["results"]} == {"Eerste zorg", "Tweede zorg"}
    item = next(i for i in body["results"] if i["id"] == mine.pk)
    assert item["phase"] == "stap_1" and item["version"] == mine.version
    assert item["overdue"] is False and item["due_date"]

    assert client.get("/api/v1/cases/?phase=gemeld").json()["count"] == 1
    assert client.get("/api/v1/cases/?outcome=report_and_help").json()["count"] == 1
    assert client.get("/api/v1/cases/?overdue=true").json()["count"] == 0
    assert client.get("/api/v1/cases/?overdue=false").json()["count"] == 2


def test_the_list_reads_one_page_in_the_database_with_the_filter_on_every_page(
    professional, actor, django_assert_max_num_queries
):
    from meldwijzer.cases import services

    def opened(title: str) -> None:
        services.case_open(actor=actor, title=title, profession="onderwijs", client="kind")

    reported_case(actor, "Gemeld")
    for number in range(2):
        opened(f"Casus {number}")
    client = api(professional)
    client.get("/api/v1/cases/")
    with django_assert_max_num_queries(100) as few:
        assert client.get("/api/v1/cases/?phase=stap_1").json()["count"] == 2
    for number in range(2, 57):
        opened(f"Casus {number}")

    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        first = client.get("/api/v1/cases/?phase=stap_1").json()
    assert first["count"] == 57 and len(first["results"]) == 50
    reads = [q["sql"] for q in many.captured_queries if q["sql"].startswith('SELECT "cases_case"')]
    assert reads and all("LIMIT 50" in sql for sql in reads)  # one page read, not every case
    assert "phase=stap_1" in first["next"] and "page=2" in first["next"]
    second = client.get("/api/v1/cases/?phase=stap_1&page=2").json()
    assert len(second["results"]) == 7 and {i["phase"] for i in second["results"]} == {"stap_1"}
    assert "Gemeld" not in {i["title"] for i in first["results"] + second["results"]}


@pytest.mark.parametrize(
    "query", ["phase=stap_9", "outcome=misschien", "overdue=soms", "scope=iedereen", "phase=%00"]
)
def test_bad_filters_are_a_400_with_fields(professional, query):
    body = assert_error(api(professional).get(f"/api/v1/cases/?{query}"), 400, "ongeldige_invoer")
    assert set(body["fields"]) == {query.split("=")[0]}


def test_organisation_scope_is_for_the_meldcode_officer(
    professional, actor, make_member, organisation
):
    signals_case(actor)
    officer = make_member(Role.MELDCODE_OFFICER, organisation)
    assert api(officer).get("/api/v1/cases/?scope=organisatie").json()["count"] == 1
    assert api(officer).get("/api/v1/cases/").json()["count"] == 0
    assert_error(api(professional).get("/api/v1/cases/?scope=organisatie"), 403, "geen_toegang")
    assert (
        AccessLogEntry.objects.filter(user=professional, outcome=AccessOutcome.DENIED).count() == 1
    )


def test_read_one_case_is_the_dossier_and_is_logged(professional, actor):
    case = weighing_case(actor)
    response = api(professional).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference
    assert body["phase"] == "stap_4"
    assert [p["kind"] for p in body["persons"]] == ["child", "parent"]
    assert {e["kind"] for e in body["entries"]} >= {"signal", "counter_signal", "consultation"}
    assert body["walk"]["next_question"] == "afweging_1"
    assert body["missing"] == [
        "Afweging 1 beantwoord",
        "Afweging 2 beantwoord (als er een vermoeden is)",
    ]
    assert [c["target"] for c in body["phase_changes"]] == ["stap_1", "stap_2", "stap_3", "stap_4"]
    assert body["weighing_answers"] == {}
    assert AccessLogEntry.objects.filter(
        user=professional,
        action=Action.READ,
        subject_id=str(case.pk),
        outcome=AccessOutcome.ALLOWED,
    ).exists()


def test_record_an_entry(professional, actor):
    case = signals_case(actor)
    client = api(professional)
    response = post(client, f"/api/v1/cases/{case.pk}/entries/", {
        "kind": "signal", "version": case.version,
        "data": {"date": timezone.localdate().isoformat(), "category": "verwaarlozing",
                 "source": "eigen", "facts": "Geen jas bij vorst."},
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["version"] == case.version + 1
    assert body["entries"][-1]["data"]["facts"] == "Geen jas bij vorst."


def test_record_a_correction(professional, actor):
    case = signals_case(actor)
    first = case.entries.filter(kind="counter_signal").get()
    response = post(api(professional), f"/api/v1/cases/{case.pk}/entries/", {
        "kind": "counter_signal", "version": case.version, "corrects": first.pk,
        "data": {"date": timezone.localdate().isoformat(), "source": "collega",
                 "facts": "Kind is meestal vrolijk in de klas."},
    })  # fmt: skip
    assert response.status_code == 201
    counter = [e for e in response.json()["entries"] if e["kind"] == "counter_signal"]
    assert len(counter) == 1 and counter[0]["corrects"] == first.pk


def test_form_errors_are_a_400_with_fields(professional, actor):
    case = signals_case(actor)
    response = post(api(professional), f"/api/v1/cases/{case.pk}/entries/", {
        "kind": "signal", "version": case.version,
        "data": {"date": "2999-01-01", "category": "onbekend", "source": 5, "facts": ["x"]},
    })  # fmt: skip
    body = assert_error(response, 400, "ongeldige_invoer")
    assert {"date", "category", "source"} <= set(body["fields"]["data"])
    assert "toekomst" in body["fields"]["data"]["date"][0]


def test_unknown_kind_and_missing_version_are_field_errors(professional, actor):
    case = signals_case(actor)
    body = assert_error(
        post(
            api(professional), f"/api/v1/cases/{case.pk}/entries/", {"kind": "roddel", "data": {}}
        ),
        400,
        "ongeldige_invoer",
    )
    assert set(body["fields"]) == {"kind", "version"}


def test_stale_version_is_a_409(professional, actor):
    case = signals_case(actor)
    response = post(api(professional), f"/api/v1/cases/{case.pk}/move/", {
        "target": "stap_2", "version": case.version - 1,
    })  # fmt: skip
    assert_error(response, 409, "gelijktijdige_wijziging")
    case.refresh_from_db()
    assert case.phase == "stap_1"


def test_a_refused_change_is_a_400_with_the_dutch_reason(professional, actor):
    case = signals_case(actor)
    response = post(api(professional), f"/api/v1/cases/{case.pk}/move/", {
        "target": "stap_4", "version": case.version,
    })  # fmt: skip
    body = assert_error(response, 400, "niet_mogelijk")
    assert body["message"] == "Deze stap is vanuit de huidige fase niet mogelijk."


def test_move_weigh_and_decide(professional, actor):
    case = weighing_case(actor)
    client = api(professional)
    version = case.version
    for question, answer in (("afweging_1", "ja"), ("afweging_2", "nee")):
        response = post(client, f"/api/v1/cases/{case.pk}/weighings/", {
            "question": question, "answer": answer, "reasoning": "Zo gewogen.", "version": version,
        })  # fmt: skip
        assert response.status_code == 201, response.content
        version = response.json()["version"]
    response = post(
        client, f"/api/v1/cases/{case.pk}/move/", {"target": "stap_5", "version": version}
    )
    assert response.status_code == 200, response.content
    version = response.json()["version"]
    for question in ("afweging_3", "afweging_4"):
        response = post(client, f"/api/v1/cases/{case.pk}/weighings/", {
            "question": question, "answer": "ja", "reasoning": "Ja.", "version": version,
        })  # fmt: skip
        version = response.json()["version"]
    assert response.json()["walk"]["indicated"] == "help"
    review = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = post(client, f"/api/v1/cases/{case.pk}/decision/", {
        "outcome": "help", "agreements": "Gezinscoach.", "review_date": review, "version": version,
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["phase"], body["outcome"], body["review_date"]) == ("hulp", "help", review)


def test_unknown_weighing_question_is_refused(professional, actor):
    case = weighing_case(actor)
    response = post(api(professional), f"/api/v1/cases/{case.pk}/weighings/", {
        "question": "afweging_9", "answer": "ja", "reasoning": "x", "version": case.version,
    })  # fmt: skip
    assert_error(response, 400, "niet_mogelijk")


def test_decision_against_the_framework_needs_a_justification(professional, actor):
    case = weighing_case(actor)
    client = api(professional)
    version = case.version
    for question in ("afweging_1", "afweging_2"):
        version = post(client, f"/api/v1/cases/{case.pk}/weighings/", {
            "question": question, "answer": "ja", "reasoning": "Ja.", "version": version,
            "kinds": ["structureel"] if question == "afweging_2" else [],
        }).json()["version"]  # fmt: skip
    response = post(
        client, f"/api/v1/cases/{case.pk}/decision/", {"outcome": "close", "version": version}
    )
    body = assert_error(response, 400, "niet_mogelijk")
    assert "Licht toe" in body["message"]


def test_report_is_json_logged_as_export_without_confidential_names(professional, actor):
    case = reported_case(actor)
    response = api(professional).get(f"/api/v1/cases/{case.pk}/report/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema_version"] and body["case"]["reference"] == case.reference
    assert SECRET_SOURCE not in response.content.decode()
    assert WITHHELD in response.content.decode()
    assert (
        AccessLogEntry.objects.filter(
            user=professional, action=Action.EXPORT, part="melding", outcome=AccessOutcome.ALLOWED
        ).count()
        == 1
    )


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("get", ""), ("get", "report/"), ("post", "entries/"), ("post", "weighings/"),
     ("post", "move/"), ("post", "decision/")],
)  # fmt: skip
def test_another_organisation_gets_404_and_a_denied_row(
    make_member, other_organisation, actor, method, suffix
):
    case = signals_case(actor)
    stranger = make_member(Role.MELDCODE_OFFICER, other_organisation)
    client = api(stranger)
    url = f"/api/v1/cases/{case.pk}/{suffix}"
    response = client.get(url) if method == "get" else post(client, url, {"version": case.version})
    assert_error(response, 404, "niet_gevonden")
    denied = AccessLogEntry.objects.get(user=stranger, outcome=AccessOutcome.DENIED)
    assert (denied.subject_type, denied.subject_id) == ("casus", str(case.pk))
    assert Case.objects.get(pk=case.pk).version == case.version


def test_colleague_professional_cannot_read_someone_elses_case(make_member, organisation, actor):
    case = signals_case(actor)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    assert_error(api(colleague).get(f"/api/v1/cases/{case.pk}/"), 404, "niet_gevonden")


def test_roles_without_case_work_cannot_list(make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    assert_error(api(admin).get("/api/v1/cases/"), 403, "geen_toegang")


def test_unknown_case_is_a_404(professional):
    assert_error(api(professional).get("/api/v1/cases/999999/"), 404, "niet_gevonden")


def test_anonymous_is_401(client):
    assert_error(client.get("/api/v1/cases/"), 401, "niet_ingelogd")


def test_schema_lists_the_case_operations(client):
    paths = client.get("/api/v1/schema/").json()["paths"]
    assert set(paths["/api/v1/cases/"]) == {"get", "post"}
    assert set(paths["/api/v1/cases/{case_id}/"]) == {"get"}
    for suffix in ("entries", "weighings", "move", "decision", "persons", "client", "report-now"):
        operation = paths[f"/api/v1/cases/{{case_id}}/{suffix}/"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"]
    assert set(paths["/api/v1/cases/{case_id}/report/"]) == {"get"}


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def test_generated_entry_data_on_a_real_case_never_ends_in_a_server_error(professional, actor):
    case = signals_case(actor)
    client = api(professional)
    names = sorted({name for form in ENTRY_FORMS.values() for name in form.base_fields})

    @given(
        kind=st.sampled_from(sorted(ENTRY_FORMS)),
        data=st.dictionaries(st.sampled_from(names), _json, max_size=8),
        corrects=st.none() | st.integers(min_value=-5, max_value=2**70),
    )
    @settings(
        max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(kind, data, corrects) -> None:
        version = Case.objects.get(pk=case.pk).version
        body = {"kind": kind, "data": data, "version": version, "corrects": corrects}
        response = post(client, f"/api/v1/cases/{case.pk}/entries/", body)
        assert response.status_code in (201, 400), response.content

    check()


# --- Opening a case, people, whom the concern is about, direct melden --------------------------


def test_open_a_case_through_the_api(professional):
    client = api(professional)
    response = post(client, "/api/v1/cases/", {
        "title": "Zorgen over leerling", "profession": "onderwijs", "client": "kind",
        "name": "Sam Voorbeeld", "bsn": "999990019", "date_of_birth": "2018-05-01",
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert (case.responsible, case.client, case.profession) == (professional, "kind", "onderwijs")
    (person,) = body["persons"]
    assert (person["name"], person["bsn"], person["identified"]) == (
        "Sam Voorbeeld", "•••••0019", True,
    )  # fmt: skip
    assert "999990019" not in response.content.decode()  # masked outside the report
    walk = body["walk"]
    assert walk["norm"].startswith("Professionele norm")
    assert walk["next_question"] == "afweging_1" and walk["indicated"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"profession": "onderwijs", "client": "kind"}, "title"),
        ({"title": "Zorgen", "profession": "onderwijs"}, "client"),
        ({"title": "Zorgen", "profession": "bestaat_niet", "client": "kind"}, "profession"),
        ({"title": "Zorgen", "client": "kind", "name": "Sam", "bsn": "123456789"}, "bsn"),
        ({"title": "Zorgen", "client": "kind", "bsn": "999990019"}, "name"),
    ],
)
def test_opening_a_case_with_bad_input_is_a_dutch_400_and_stores_nothing(professional, body, field):
    response = post(api(professional), "/api/v1/cases/", body)
    error = assert_error(response, 400, "ongeldige_invoer")
    assert field in error["fields"], error
    assert not Case.objects.exists()


def test_record_people_change_the_client_and_weigh_acute_through_the_api(professional, actor):
    case = weighing_case(actor)
    client = api(professional)
    url = f"/api/v1/cases/{case.pk}"
    bad = post(client, f"{url}/persons/", {
        "version": case.version, "data": {"kind": "parent", "name": "Ria", "bsn": "12"},
    })  # fmt: skip
    assert "bsn" in assert_error(bad, 400, "ongeldige_invoer")["fields"]["data"]
    body = post(client, f"{url}/persons/", {
        "version": case.version,
        "data": {"kind": "parent", "name": "Ria Voorbeeld", "authority": "ja",
                 "street_address": "Proefweg 2", "postcode": "8302zz", "place": "Emmeloord"},
    }).json()  # fmt: skip
    ria = next(p for p in body["persons"] if p["name"] == "Ria Voorbeeld")
    assert (ria["postcode"], ria["authority"]) == ("8302 ZZ", "ja")
    body = post(client, f"{url}/client/", {"version": body["version"], "client": "volwassene"})
    assert body.json()["client"] == "volwassene"
    version = body.json()["version"]
    version = post(client, f"{url}/weighings/", {
        "version": version, "question": "afweging_1", "answer": "ja", "reasoning": "Ja.",
    }).json()["version"]  # fmt: skip
    refused = post(client, f"{url}/weighings/", {
        "version": version, "question": "afweging_2", "answer": "ja", "reasoning": "Ja.",
    })  # fmt: skip
    assert "acute onveiligheid" in assert_error(refused, 400, "niet_mogelijk")["message"]
    body = post(client, f"{url}/weighings/", {
        "version": version, "question": "afweging_2", "answer": "ja", "reasoning": "Ja.",
        "kinds": ["acuut"],
    }).json()  # fmt: skip
    assert body["urgency"] == ["acuut"]
    assert body["walk"]["indicated"] == "report"


def test_report_now_through_the_api(professional, actor):
    case = signals_case(actor)
    client = api(professional)
    refused = post(client, f"/api/v1/cases/{case.pk}/report-now/", {
        "version": case.version, "danger": "",
    })  # fmt: skip
    assert "danger" in assert_error(refused, 400, "ongeldige_invoer")["fields"]
    response = post(client, f"/api/v1/cases/{case.pk}/report-now/", {
        "version": case.version, "danger": "Acuut gevaar thuis.", "structural": True,
    })  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["phase"], body["outcome"]) == ("gemeld", "report")
    assert body["urgency"] == ["acuut", "structureel"]


def test_the_case_list_reads_a_fixed_number_of_queries(professional, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(professional)
    signals_case(actor, "Eerste")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/cases/").status_code == 200
        return len(queries)

    count()  # the first request of a token also records that it was used
    one = count()
    for number in range(4):
        signals_case(actor, f"Nog een {number}")
    assert count() == one
