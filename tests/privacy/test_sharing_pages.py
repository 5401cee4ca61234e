"""Sharing a consultation summary through the pages and the API."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.models import AccessGrant
from tests.cases.builders import signals_case
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, allow_api_keys_for
from tests.privacy.builders import consultation, officer, shared_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(organisation):
    return MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation).user


@pytest.fixture
def entry(owner):
    actor = actor_for_user(user=owner)
    case = signals_case(actor, "Zorgen over leerling")
    return consultation(actor, case, "Bespreek het met de ouders.")


@pytest.fixture
def grantee():
    return officer(name="Wijkteam Elders")


def page(user) -> Client:
    return force_verified_login(Client(), user)


def share_url(entry) -> str:
    return reverse("cases:consultation_share", args=[entry.case_id, entry.pk])


def until(days: int = 7) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_the_case_page_offers_sharing_to_the_responsible_professional_only(
    organisation, owner, entry
):
    detail = reverse("cases:detail", args=[entry.case_id])
    assert share_url(entry) in page(owner).get(detail).content.decode()
    overseer = officer(organisation)
    response = page(overseer).get(detail)
    assert response.status_code == 200
    assert share_url(entry) not in response.content.decode()


def test_sharing_from_the_page(owner, entry, grantee):
    client = page(owner)
    response = client.post(
        share_url(entry),
        {"email": grantee.email, "until": until(), "ground_kind": "toestemming",
         "given_by": "moeder (met gezag)"},
    )  # fmt: skip
    assert response.status_code == 302
    grant = AccessGrant.objects.get()
    assert grant.user == grantee
    page_text = client.get(share_url(entry)).content.decode()
    assert "Wijkteam Elders" in page_text and "Actief" in page_text


def test_sharing_with_someone_else_is_refused_in_dutch_and_changes_nothing(owner, entry):
    stranger = MembershipFactory(role=Role.PROFESSIONAL).user
    response = page(owner).post(
        share_url(entry),
        {"email": stranger.email, "until": until(), "ground_kind": "toestemming",
         "given_by": "moeder"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "geen aandachtsfunctionaris van een andere organisatie" in response.content.decode()
    assert not AccessGrant.objects.exists()


def test_sharing_without_a_ground_or_with_bad_input_is_refused(owner, entry, grantee):
    client = page(owner)
    response = client.post(share_url(entry), {"email": grantee.email, "until": until()})
    assert response.status_code == 400
    assert "Kies op welke grond u deelt." in response.content.decode()
    response = client.post(
        share_url(entry),
        {"email": "geen-adres", "until": "morgen", "ground_kind": "toestemming", "ground": "x"},
    )
    assert response.status_code == 400
    assert not AccessGrant.objects.exists()


def test_the_share_page_of_a_signal_is_not_found_and_logged(owner, entry):
    signal = entry.case.entries.filter(kind="signal").first()
    url = reverse("cases:consultation_share", args=[entry.case_id, signal.pk])
    assert page(owner).get(url).status_code == 404
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.outcome, row.subject_id, row.client_id) == (
        AccessOutcome.DENIED,
        str(signal.pk),
        entry.case.client_pseudonym,
    )


def test_revoking_from_the_page(owner, entry, grantee):
    grant = shared_summary(actor_for_user(user=owner), entry, grantee)
    url = reverse("cases:consultation_unshare", args=[entry.case_id, grant.pk])
    response = page(owner).post(url)
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_at is not None


def test_the_grantee_sees_the_list_and_the_summary_without_names(owner, entry, grantee):
    shared_summary(actor_for_user(user=owner), entry, grantee)
    client = page(grantee)
    start = client.get(reverse("core:start")).content.decode()
    assert reverse("cases:shared_list") in start
    listing = client.get(reverse("cases:shared_list")).content.decode()
    assert entry.case.reference in listing
    consulted_on = datetime.date.fromisoformat(entry.data["date"]).strftime("%d-%m-%Y")
    assert consulted_on in listing  # dates as the reader writes them, as everywhere
    summary = client.get(reverse("cases:shared_consultation", args=[entry.pk]))
    assert summary.status_code == 200
    text = summary.content.decode()
    assert "Bespreek het met de ouders." in text and entry.case.reference in text
    assert consulted_on in text
    for withheld in ("Zorgen over leerling", "Kind Voorbeeld", "Ouder Voorbeeld", "Blauwe plek"):
        assert withheld not in text
    # The dossier itself stays closed to the grantee.
    assert client.get(reverse("cases:detail", args=[entry.case_id])).status_code == 404


def test_the_summary_is_not_found_for_someone_else(owner, entry, grantee):
    shared_summary(actor_for_user(user=owner), entry, grantee)
    other = officer()
    response = page(other).get(reverse("cases:shared_consultation", args=[entry.pk]))
    assert response.status_code == 404
    row = AccessLogEntry.objects.filter(user=other).order_by("-id").first()
    assert (row.outcome, row.client_id) == (AccessOutcome.DENIED, entry.case.client_pseudonym)


def test_the_list_page_runs_the_same_queries_for_one_row_or_many(owner, grantee):
    actor = actor_for_user(user=owner)
    client = page(grantee)
    client.get(reverse("cases:shared_list"))  # the organisation's chain of the log exists now

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cases:shared_list")).status_code == 200
        return len(captured)

    shared_summary(actor, consultation(actor, signals_case(actor, "Casus 0")), grantee)
    one = queries()
    for n in range(1, 5):
        shared_summary(actor, consultation(actor, signals_case(actor, f"Casus {n}")), grantee)
    assert queries() == one


# --- API ----------------------------------------------------------------------------------------


def api(user) -> Client:
    allow_api_keys_for(user)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_the_api_grants_lists_revokes_and_reads(owner, entry, grantee):
    client = api(owner)
    grants_url = reverse("api:case-entry-grants", args=[entry.case_id, entry.pk])
    response = client.post(
        grants_url,
        {"email": grantee.email, "until": until(), "ground_kind": "conflict_van_plichten",
         "checks": ["toestemming_gevraagd"], "reasoning": "Gevaar."},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "Nog niet bevestigd" in response.json()["error"]["message"]
    response = client.post(
        grants_url,
        {"email": grantee.email, "until": until(), "ground_kind": "toestemming",
         "given_by": "de cliënt zelf"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "actief" and created["until"] == until()
    assert [g["id"] for g in client.get(grants_url).json()] == [created["id"]]

    reader = api(grantee)
    listing = reader.get(reverse("api:shared-list")).json()
    assert [row["entry_id"] for row in listing] == [entry.pk]
    summary = reader.get(reverse("api:shared-consultation", args=[entry.pk])).json()
    assert summary["advice"] == "Bespreek het met de ouders."
    assert summary["reference"] == entry.case.reference
    assert "title" not in summary and "persons" not in summary

    revoke = reverse("api:case-grant-revoke", args=[entry.case_id, created["id"]])
    response = client.post(revoke, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "ingetrokken"
    assert client.post(revoke, content_type="application/json").status_code == 400
    assert reader.get(reverse("api:shared-consultation", args=[entry.pk])).status_code == 404
    assert reader.get(reverse("api:shared-list")).json() == []


def test_the_api_refuses_sharing_by_someone_who_is_not_responsible(organisation, entry, grantee):
    overseer = officer(organisation)
    grants_url = reverse("api:case-entry-grants", args=[entry.case_id, entry.pk])
    response = api(overseer).post(
        grants_url,
        {"email": grantee.email, "until": until(), "ground_kind": "toestemming",
         "given_by": "moeder"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "verantwoordelijke professional" in response.json()["error"]["message"]
    assert not AccessGrant.objects.exists()
