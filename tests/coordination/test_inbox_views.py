"""The pages of the inbox area, as the reporter, Veilig Thuis and the wijkteam use them: from a
teacher's report to a file handed over to the wijkteam."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.coordination.models import CoordinationFile, Handover, HandoverState, IncomingReport
from meldwijzer.organisations.roles import Role
from tests.cases.builders import signals_case
from tests.conftest import force_verified_login
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


def _login(client, user):
    force_verified_login(client, user)
    return client


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_whole_route_from_a_teachers_report_to_the_wijkteam(client):
    vt = veilig_thuis()
    teacher = reporter()
    case = case_to_report(teacher)
    case_url = reverse("cases:detail", args=[case.pk])
    send_url = reverse("coordination:report_send", args=[case.pk])

    # The teacher sees the offer on the case page and what will be sent.
    _login(client, teacher)
    assert "Melding doen via Meldwijzer" in _page(client, case_url)
    page = _page(client, send_url)
    assert "Kind Voorbeeld" in page and vt.name in page

    # Without confirming nothing is sent.
    response = client.post(send_url, {"veilig_thuis": vt.pk, "informed": "ja"})
    assert response.status_code == 200
    assert "Bevestig dat u de melding wilt versturen" in response.content.decode()
    assert not IncomingReport.objects.exists()

    response = client.post(send_url, {"veilig_thuis": vt.pk, "informed": "ja", "confirm": "on"})
    assert response.status_code == 302
    report = IncomingReport.objects.get()
    assert "verstuurd, nog niet ontvangen" in _page(client, case_url)

    # Veilig Thuis: the inbox, the report, receipt, feedback, a file.
    lead = member(vt, Role.CASE_COORDINATOR)
    _login(client, lead)
    inbox_page = _page(client, reverse("coordination:inbox"))
    assert case.title in inbox_page and "Nieuw" in inbox_page
    assert "Kind Voorbeeld" in _page(
        client, reverse("coordination:report_detail", args=[report.pk])
    )
    client.post(reverse("coordination:report_receive", args=[report.pk]))
    response = client.post(
        reverse("coordination:report_feedback", args=[report.pk]),
        {"date": timezone.localdate().isoformat(), "action": "onderzoek",
         "text": "Wij gaan deze week op huisbezoek."},
    )  # fmt: skip
    assert response.status_code == 302
    response = client.post(
        reverse("coordination:report_file_open", args=[report.pk]),
        {"title": "Gezin met een kind, Emmeloord", "persons": ["0", "1"],
         "role_description": "Ik onderzoek of het kind veilig is.", "phone": "0320 000 000"},
    )  # fmt: skip
    file = CoordinationFile.objects.get()
    assert response["Location"] == reverse("coordination:detail", args=[file.pk])
    assert sorted(m.name for m in file.family.all()) == ["Kind Voorbeeld", "Ouder Voorbeeld"]

    # The teacher sees receipt and feedback in the own dossier.
    _login(client, teacher)
    page = _page(client, case_url)
    assert "terugkoppeling ontvangen" in page
    assert "Wij gaan deze week op huisbezoek." in page

    # Veilig Thuis offers the regie to the wijkteam, with consent.
    regisseur = coordinator()
    wijkteam = actor_of(regisseur).organisation
    _login(client, lead)
    response = client.post(
        reverse("coordination:handovers", args=[file.pk]),
        {"receiver": f"{regisseur.pk}:{wijkteam.pk}", "note": "Moeder werkt mee.",
         "ground_kind": "toestemming", "given_by": "moeder (met gezag)",
         "valid_until": (timezone.localdate() + timezone.timedelta(days=90)).isoformat()},
    )  # fmt: skip
    proposal = Handover.objects.get()
    assert response.status_code == 302

    # The wijkteam sees it waiting, reads it and accepts.
    _login(client, regisseur)
    assert "vraagt u de regie over te nemen" in _page(client, reverse("coordination:list"))
    assert "Moeder werkt mee." in _page(
        client, reverse("coordination:handover_detail", args=[proposal.pk])
    )
    response = client.post(
        reverse("coordination:handover_accept", args=[proposal.pk]), {"phone": "0527 000 000"}
    )
    assert response["Location"] == reverse("coordination:detail", args=[file.pk])
    page = _page(client, reverse("coordination:detail", args=[file.pk]))
    assert regisseur.get_full_name() in page and "Aanvaard" in page

    # Veilig Thuis still reads the file and sees the same history.
    _login(client, lead)
    page = _page(client, reverse("coordination:handovers", args=[file.pk]))
    assert "Aanvaard" in page and wijkteam.name in page
    assert "Regie aanbieden" not in page


def test_the_offer_is_only_on_a_case_decided_to_report_with_a_veilig_thuis_on_the_platform(client):
    teacher = reporter()
    case = case_to_report(teacher)
    _login(client, teacher)
    assert "Melding doen via Meldwijzer" not in _page(
        client, reverse("cases:detail", args=[case.pk])
    )  # no Veilig Thuis yet
    veilig_thuis()
    early = signals_case(actor_of(teacher), "Nog in stap 1")
    assert "Melding doen via Meldwijzer" not in _page(
        client, reverse("cases:detail", args=[early.pk])
    )
    assert "Melding doen via Meldwijzer" in _page(client, reverse("cases:detail", args=[case.pk]))


def test_sending_twice_from_the_page_is_refused(client):
    vt = veilig_thuis()
    teacher = reporter()
    report = send(teacher, vt)
    _login(client, teacher)
    response = client.post(
        reverse("coordination:report_send", args=[report.case_id]),
        {"veilig_thuis": vt.pk, "informed": "ja", "confirm": "on"},
    )
    assert response.status_code == 400
    assert IncomingReport.objects.count() == 1
    assert Entry.objects.filter(case=report.case, kind=EntryKind.REPORT).count() == 1


def test_the_inbox_page_costs_the_same_queries_for_one_report_or_five(client):
    vt = veilig_thuis()
    send(reporter(), vt)
    _login(client, member(vt))
    client.get(reverse("coordination:inbox"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("coordination:inbox"))
    for _ in range(4):
        send(reporter(), vt)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("coordination:inbox"))
    assert response.status_code == 200
    assert len(five) == len(one)


def test_a_file_without_a_report(client):
    regisseur = coordinator()
    _login(client, regisseur)
    response = client.post(reverse("coordination:file_new"), {"title": ""})
    assert response.status_code == 200
    assert "korte omschrijving" in response.content.decode()
    assert not CoordinationFile.objects.exists()
    response = client.post(
        reverse("coordination:file_new"),
        {"title": "Gezin met drie kinderen", "role_description": "Ik ben uw aanspreekpunt."},
    )
    file = CoordinationFile.objects.get()
    assert response["Location"] == reverse("coordination:detail", args=[file.pk])
    assert file.coordinator == regisseur


def test_a_proposal_with_bad_input_changes_nothing(client):
    vt = veilig_thuis()
    lead = member(vt, Role.CASE_COORDINATOR)
    file = file_open(lead)
    regisseur = coordinator()
    wijkteam = actor_of(regisseur).organisation
    _login(client, lead)
    response = client.post(
        reverse("coordination:handovers", args=[file.pk]),
        {"receiver": f"{regisseur.pk}:{wijkteam.pk}", "note": "Over naar het wijkteam."},
    )
    assert response.status_code == 400
    assert "grondslag" in response.content.decode()
    assert not Handover.objects.exists()


def test_the_receiver_who_declines_leaves_the_regie_where_it_was(client):
    vt = veilig_thuis()
    lead = member(vt, Role.CASE_COORDINATOR)
    file = file_open(lead)
    regisseur = coordinator()
    proposal = propose(file, regisseur, actor_of(regisseur).organisation)
    _login(client, regisseur)
    client.post(
        reverse("coordination:handover_decline", args=[proposal.pk]),
        {"afslaan-answer_note": "Vol."},
    )
    proposal.refresh_from_db()
    file.refresh_from_db()
    assert proposal.state == HandoverState.DECLINED and file.coordinator == lead
    assert proposal.answer_note == "Vol."
