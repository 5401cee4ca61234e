"""The aandachtsfunctionaris advises on colleagues' cases while they are open; a closed case stays
with its own professional. One rule (`cases.rules.can_read`) for the list, the page, the report
(print, PDF, JSON), the API and every write, and each refusal is in the access log."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.audit.models import AccessOutcome as LogOutcome
from meldwijzer.cases import selectors, services
from meldwijzer.cases.entries import SignalForm
from meldwijzer.cases.models import Case, Entry, Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, weighing_case
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db


def close(actor, case: Case) -> Case:
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_1",
        answer="nee", reasoning="Geen vermoeden.",
    )  # fmt: skip
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE
    )
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED
    return case


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def officer(make_member, organisation):
    return make_member(Role.MELDCODE_OFFICER, organisation)


@pytest.fixture
def closed_case(professional) -> Case:
    actor = actor_for_user(user=professional)
    return close(actor, weighing_case(actor, "Afgesloten zorg"))


def refused(user, case: Case) -> int:
    return AccessLogEntry.objects.filter(
        user=user, subject_type="casus", subject_id=str(case.pk), outcome=LogOutcome.DENIED
    ).count()


def api(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


PAGES = [
    ("cases:detail", {}),
    ("cases:history", {}),
    ("cases:report_print", {}),
    ("cases:report_pdf", {}),
    ("cases:report_json", {}),
    ("cases:entry_create", {"kind": "note"}),
]


@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_the_officer_does_not_open_a_colleagues_closed_case(
    verified, officer, closed_case, name, extra
):
    url = reverse(name, kwargs={"case_id": closed_case.pk, **extra})
    assert verified(officer).get(url).status_code == 404
    assert refused(officer, closed_case) == 1


@pytest.mark.parametrize(("name", "extra"), PAGES)
def test_the_professional_still_opens_their_own_closed_case(
    verified, professional, closed_case, name, extra
):
    url = reverse(name, kwargs={"case_id": closed_case.pk, **extra})
    assert verified(professional).get(url).status_code == 200
    assert refused(professional, closed_case) == 0


def test_the_officer_cannot_write_in_a_colleagues_closed_case(verified, officer, closed_case):
    entries = Entry.objects.filter(case=closed_case).count()
    url = reverse("cases:entry_create", kwargs={"case_id": closed_case.pk, "kind": "note"})
    response = verified(officer).post(url, {"text": "Nog iets.", "version": closed_case.version})
    assert response.status_code == 404
    assert Entry.objects.filter(case=closed_case).count() == entries
    assert refused(officer, closed_case) == 1


def test_the_officer_cannot_reach_a_colleagues_closed_case_through_the_api(officer, closed_case):
    client = api(officer)
    entries = Entry.objects.filter(case=closed_case).count()
    assert client.get(f"/api/v1/cases/{closed_case.pk}/").status_code == 404
    assert client.get(f"/api/v1/cases/{closed_case.pk}/report/").status_code == 404
    response = client.post(
        f"/api/v1/cases/{closed_case.pk}/entries/",
        {"kind": "note", "version": closed_case.version, "data": {"text": "Nog iets."}},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404
    assert Entry.objects.filter(case=closed_case).count() == entries
    assert refused(officer, closed_case) == 3


def test_the_officer_cannot_reopen_a_colleagues_closed_case(officer, closed_case):
    with pytest.raises(services.CaseError):
        services.case_move(
            actor=actor_for_user(user=officer), case=closed_case,
            expected_version=closed_case.version, target=Phase.SIGNALS, reason="Nieuwe signalen.",
        )  # fmt: skip
    closed_case.refresh_from_db()
    assert closed_case.phase == Phase.CLOSED


def test_the_officer_still_advises_on_open_cases_and_again_after_reopening(
    officer, professional, closed_case
):
    officer_actor = actor_for_user(user=officer)
    open_case = weighing_case(actor_for_user(user=professional), "Open zorg")
    assert selectors.case_get(actor=officer_actor, case_id=open_case.pk) == open_case
    listed = {case.pk for case in selectors.case_list(actor=officer_actor, whole_organisation=True)}
    assert listed == {open_case.pk}

    owner = actor_for_user(user=professional)
    services.case_move(
        actor=owner, case=closed_case, expected_version=closed_case.version, target=Phase.SIGNALS,
        reason="Nieuwe signalen.",
    )  # fmt: skip
    assert selectors.case_get(actor=officer_actor, case_id=closed_case.pk).pk == closed_case.pk
    record(officer_actor, closed_case, SignalForm, {
        "date": timezone.localdate().isoformat(), "category": "lichamelijk", "source": "collega",
        "facts": "Nieuwe blauwe plek.",
    })  # fmt: skip


def test_an_officer_keeps_their_own_closed_case(make_member, organisation):
    officer = make_member(Role.MELDCODE_OFFICER, organisation)
    actor = actor_for_user(user=officer)
    case = close(actor, weighing_case(actor, "Eigen zorg"))
    assert selectors.case_get(actor=actor, case_id=case.pk) == case
    assert refused(officer, case) == 0
