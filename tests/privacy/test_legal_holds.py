"""Legal holds: placed and lifted with a reason, by the aandachtsfunctionaris or the functioneel
beheerder of the organisation that owns the file, access-logged with the client, never deleted."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Subject
from meldwijzer.privacy.models import AppendOnlyError, LegalHold, ResourceKind
from meldwijzer.privacy.services import HoldError, HoldOutOfReach, legal_hold_place
from tests.cases.builders import reported_case
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, coordinator, file_open
from tests.factories import MembershipFactory, allow_api_keys_for
from tests.privacy.retention_builders import PAST_PERIOD, closed_case, member

pytestmark = pytest.mark.django_db


def hold_rows(action: Action) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(subject_type=Subject.LEGAL_HOLD, action=action))


def test_the_aandachtsfunctionaris_places_and_lifts_a_hold_on_a_closed_case(client):
    professional = member()
    officer = member("meldcode_officer", professional.organisation)
    case = closed_case(professional, PAST_PERIOD)
    force_verified_login(client, officer.user)
    url = reverse("cases:holds", kwargs={"case_id": case.pk})

    page = client.get(url)
    assert page.status_code == 200 and case.reference in page.text
    assert case.title not in page.text  # the reference only, never the content
    refused = client.post(url, {"reason": " "})
    assert "Geef de reden op" in refused.text and not LegalHold.objects.exists()

    client.post(url, {"reason": "Klachtprocedure 2026-14"})
    hold = LegalHold.objects.get()
    assert hold.active and hold.client_pseudonym == case.client_pseudonym
    (placed,) = hold_rows(Action.CREATE)
    assert placed.client_id == case.client_pseudonym and placed.user_id == officer.user.pk
    assert "Op dit dossier rust een bewaarplicht" in client.get(url).text

    client.post(url, {"reason": "Klacht afgehandeld", "hold": hold.pk})
    hold.refresh_from_db()
    assert not hold.active and hold.lift_reason == "Klacht afgehandeld"
    (lifted,) = hold_rows(Action.UPDATE)
    assert lifted.client_id == case.client_pseudonym
    with pytest.raises(AppendOnlyError):
        hold.delete()


def test_only_with_the_permission_and_only_on_the_organisations_own_files():
    professional = member()
    officer = member("meldcode_officer", professional.organisation)
    stranger = member("meldcode_officer")
    case = closed_case(professional, PAST_PERIOD)
    place = {"resource_kind": ResourceKind.CASE, "resource_id": case.pk, "reason": "Klacht"}

    with pytest.raises(HoldError, match="Met uw rol"):
        legal_hold_place(actor=professional, **place)
    with pytest.raises(HoldOutOfReach):
        legal_hold_place(actor=stranger, **place)
    with pytest.raises(HoldOutOfReach):
        legal_hold_place(actor=officer, **{**place, "resource_id": case.pk + 1000})
    legal_hold_place(actor=officer, **place)
    with pytest.raises(HoldError, match="al een bewaarplicht"):
        legal_hold_place(actor=officer, **place)
    assert LegalHold.objects.count() == 1


def test_the_functioneel_beheerder_holds_a_coordination_file_through_the_api():
    lead = coordinator()
    file = file_open(lead)
    admin = MembershipFactory(role="functional_admin", organisation=file.lead_organisation).user
    allow_api_keys_for(admin)
    _, secret = api_token_create(actor=actor_of(admin), name="archief")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    holds = reverse("api:holds")
    body = {"resource_kind": "regiedossier", "resource_id": file.pk, "reason": "Rechtszaak"}

    created = api.post(holds, body, content_type="application/json")
    assert created.status_code == 201, created.json()
    assert created.json()["reference"] == file.reference and created.json()["active"]
    listed = api.get(holds).json()
    assert [hold["id"] for hold in listed] == [created.json()["id"]]
    lift = reverse("api:hold_lift", kwargs={"hold_id": created.json()["id"]})
    lifted = api.post(lift, {"reason": "Uitspraak gedaan"}, content_type="application/json")
    assert lifted.status_code == 200 and not lifted.json()["active"]
    empty = api.post(lift, {"reason": "nogmaals"}, content_type="application/json")
    assert empty.status_code == 400 and "al opgeheven" in str(empty.json())

    # Another organisation's file is 'not found', and the refusal is logged.
    elsewhere = file_open(coordinator())
    refused = api.post(
        holds, {**body, "resource_id": elsewhere.pk}, content_type="application/json"
    )
    assert refused.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=admin, subject_type=Subject.LEGAL_HOLD, outcome=AccessOutcome.DENIED
    ).exists()
    assert LegalHold.objects.filter(resource_id=elsewhere.pk).count() == 0


def test_the_case_page_offers_the_hold_page_to_the_aandachtsfunctionaris_only():
    professional = member()
    officer = member("meldcode_officer", professional.organisation)
    case = reported_case(professional)
    detail = reverse("cases:detail", kwargs={"case_id": case.pk})
    hold_page = reverse("cases:holds", kwargs={"case_id": case.pk})
    assert hold_page in force_verified_login(Client(), officer.user).get(detail).text
    assert hold_page not in force_verified_login(Client(), professional.user).get(detail).text


def test_the_list_of_holds_reads_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    professional = member()
    officer = member("meldcode_officer", professional.organisation)
    for _ in range(3):
        case = reported_case(professional)
        legal_hold_place(
            actor=officer, resource_kind=ResourceKind.CASE, resource_id=case.pk, reason="Klacht"
        )
    allow_api_keys_for(officer.user)
    _, secret = api_token_create(actor=officer, name="archief")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    with django_assert_max_num_queries(12):
        listed = api.get(reverse("api:holds"))
    assert len(listed.json()) == 3
    assert len(hold_rows(Action.READ)) == 3  # one row per hold, naming its client


def test_a_hold_on_a_coordination_file_from_its_own_page():
    file = file_open(coordinator())
    officer = MembershipFactory(role="meldcode_officer", organisation=file.lead_organisation).user
    web = force_verified_login(Client(), officer)
    url = reverse("coordination:file_holds", kwargs={"file_id": file.pk})

    web.post(url, {"reason": "Verzoek van de Inspectie"})
    hold = LegalHold.objects.get()
    assert (hold.resource_kind, hold.resource_id) == (ResourceKind.COORDINATION_FILE, file.pk)
    assert file.reference in web.get(url).text and file.title not in web.get(url).text
    web.post(url, {"reason": "Onderzoek afgerond", "hold": hold.pk})
    hold.refresh_from_db()
    assert not hold.active
