"""The inbox area's API: the same rules as the pages, the error format with Dutch messages."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.coordination.models import CoordinationFile, Handover, HandoverState, IncomingReport
from meldwijzer.organisations.roles import Role
from tests.api.test_api import bearer
from tests.coordination.builders import actor_of, coordinator, file_open
from tests.coordination.inbox_builders import (
    case_to_report,
    member,
    propose,
    reporter,
    send,
    veilig_thuis,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/coordination"


def _post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def test_a_report_goes_through_the_api_from_sending_to_a_file():
    vt = veilig_thuis()
    teacher = reporter()
    case = case_to_report(teacher)
    api, _ = bearer(teacher)

    status = api.get(f"{API}/cases/{case.pk}/report/").json()
    assert status["sent"] is False and status["may_send"] is True
    assert status["veilig_thuis"] == [{"id": vt.pk, "name": vt.name}]

    refused = _post(api, f"{API}/cases/{case.pk}/report/send/", {"veilig_thuis_id": vt.pk,
                                                                 "informed": "nee"})  # fmt: skip
    assert refused.status_code == 400
    assert "not_informed_reason" in refused.json()["error"]["fields"]
    assert not IncomingReport.objects.exists()

    sent = _post(api, f"{API}/cases/{case.pk}/report/send/",
                 {"veilig_thuis_id": vt.pk, "informed": "ja"})  # fmt: skip
    assert sent.status_code == 201
    again = _post(api, f"{API}/cases/{case.pk}/report/send/",
                  {"veilig_thuis_id": vt.pk, "informed": "ja"})  # fmt: skip
    assert again.status_code == 400
    assert "niet twee keer" in again.json()["error"]["message"]
    report_id = sent.json()["report_id"]

    lead = member(vt, Role.CASE_COORDINATOR)
    vt_api, _ = bearer(lead)
    listed = vt_api.get(f"{API}/reports/").json()["results"]
    assert [r["id"] for r in listed] == [report_id] and listed[0]["state"] == "Nieuw"
    detail = vt_api.get(f"{API}/reports/{report_id}/").json()
    assert detail["content"]["persons"][0]["name"] == "Kind Voorbeeld"
    assert _post(vt_api, f"{API}/reports/{report_id}/receipt/").json()["state"] == "Ontvangen"
    feedback = _post(vt_api, f"{API}/reports/{report_id}/feedback/",
                     {"date": timezone.localdate().isoformat(), "action": "onderzoek",
                      "text": "Huisbezoek gepland."})  # fmt: skip
    assert feedback.status_code == 201
    assert Entry.objects.get(pk=feedback.json()["entry_id"]).kind == EntryKind.REPORT_FEEDBACK
    opened = _post(vt_api, f"{API}/reports/{report_id}/file/", {"title": "Gezin uit melding"})
    assert opened.status_code == 201
    file = CoordinationFile.objects.get(pk=opened.json()["file_id"])
    assert file.family.count() == 2

    status = api.get(f"{API}/cases/{case.pk}/report/").json()
    assert status["sent"] and status["received_at"] and status["feedback_given"]


def test_the_inbox_is_not_found_outside_veilig_thuis():
    vt = veilig_thuis()
    report = send(reporter(), vt)
    api, _ = bearer(coordinator())
    assert api.get(f"{API}/reports/").status_code == 404
    assert api.get(f"{API}/reports/{report.pk}/").status_code == 404


def test_a_hand_over_through_the_api():
    vt = veilig_thuis()
    lead = member(vt, Role.CASE_COORDINATOR)
    file = file_open(lead)
    regisseur = coordinator()
    wijkteam = actor_of(regisseur).organisation
    lead_api, _ = bearer(lead)
    body = {"to_user_id": regisseur.pk, "to_organisation_id": wijkteam.pk, "note": "Graag."}
    refused = _post(lead_api, f"{API}/files/{file.pk}/handovers/propose/", body)
    assert refused.status_code == 400 and "grondslag" in refused.json()["error"]["message"]
    until = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()
    proposed = _post(lead_api, f"{API}/files/{file.pk}/handovers/propose/",
                     {**body, "ground_kind": "toestemming", "given_by": "moeder",
                      "valid_until": until})  # fmt: skip
    assert proposed.status_code == 201
    handover_id = proposed.json()["id"]

    receiver_api, _ = bearer(regisseur)
    assert [h["id"] for h in receiver_api.get(f"{API}/handovers/").json()] == [handover_id]
    accepted = _post(receiver_api, f"{API}/handovers/{handover_id}/accept/")
    assert accepted.status_code == 200 and accepted.json()["state"] == HandoverState.ACCEPTED
    file.refresh_from_db()
    assert file.coordinator == regisseur
    history = lead_api.get(f"{API}/files/{file.pk}/handovers/").json()
    assert [h["state"] for h in history] == ["aanvaard"]
    again = _post(receiver_api, f"{API}/handovers/{handover_id}/accept/")
    assert again.status_code == 400


def test_only_the_receiver_answers_and_only_the_proposer_withdraws():
    vt = veilig_thuis()
    lead = member(vt, Role.CASE_COORDINATOR)
    file = file_open(lead)
    regisseur = coordinator()
    proposal = propose(file, regisseur, actor_of(regisseur).organisation)
    lead_api, _ = bearer(lead)
    receiver_api, _ = bearer(regisseur)
    assert _post(lead_api, f"{API}/handovers/{proposal.pk}/accept/").status_code == 404
    assert _post(receiver_api, f"{API}/handovers/{proposal.pk}/withdraw/").status_code == 404
    assert _post(lead_api, f"{API}/handovers/{proposal.pk}/withdraw/").status_code == 200
    assert Handover.objects.get().state == HandoverState.WITHDRAWN
