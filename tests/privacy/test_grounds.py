"""Grounds for sharing: consent, conflict of duties and meldrecht, recorded per client and
organisation, never edited or deleted; consent is withdrawn by recording when and by whom."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose
from meldwijzer.cases import sharing
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import selectors, services
from meldwijzer.privacy.models import CONFLICT_CHECKS, AppendOnlyError, SharingGround
from meldwijzer.privacy.services import SharingError
from tests.cases.builders import signals_case
from tests.conftest import force_verified_login
from tests.factories import MembershipFactory, allow_api_keys_for
from tests.privacy.builders import consultation, officer, shared_summary

pytestmark = pytest.mark.django_db

ALL_CHECKS = [code for code, _ in CONFLICT_CHECKS]
CLIENT = "cl-" + "a" * 20


@pytest.fixture
def actor(organisation):
    user = MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation).user
    return actor_for_user(user=user)


def record(actor, **changes):
    values = {
        "client_pseudonym": CLIENT,
        "kind": "toestemming",
        "what": "Verslag van de consultatie",
        "with_whom": "Aandachtsfunctionaris van het wijkteam",
        "purpose": "Collegiale consultatie",
        "given_by": "moeder (met gezag)",
    }
    values.update(changes)
    return services.sharing_ground_record(actor=actor, **values)


def test_consent_is_recorded_with_what_whom_purpose_and_until_and_logged(actor):
    until = timezone.localdate() + datetime.timedelta(days=90)
    ground = record(actor, valid_until=until)
    assert (ground.kind, ground.given_by, ground.valid_until) == (
        "toestemming",
        "moeder (met gezag)",
        until,
    )
    assert ground.organisation == actor.organisation and ground.recorded_by == actor.user
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.action, row.subject_type, row.subject_id, row.client_id, row.part) == (
        Action.CREATE, "grondslag", str(ground.pk), CLIENT, "toestemming",
    )  # fmt: skip
    assert row.purpose == Purpose.CARE


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "gevoel"}, "Kies de grondslag"),
        ({"what": " "}, "welke gegevens"),
        ({"with_whom": ""}, "met wie"),
        ({"purpose": ""}, "met welk doel"),
        ({"given_by": ""}, "wie de toestemming gaf"),
        ({"valid_until": datetime.date(2000, 1, 1)}, "verleden"),
        (
            {"kind": "conflict_van_plichten", "checks": ALL_CHECKS[:-1], "reasoning": "x"},
            "Nog niet",
        ),
        ({"kind": "conflict_van_plichten", "checks": ALL_CHECKS}, "Onderbouw"),
        ({"what": "x" * 301}, "korter"),
        ({"client_pseudonym": ""}, "één cliënt"),
    ],
)
def test_an_incomplete_ground_is_refused_in_dutch_and_nothing_is_recorded(actor, changes, message):
    with pytest.raises(SharingError, match=message):
        record(actor, **changes)
    assert not SharingGround.objects.exists()


def test_a_conflict_of_duties_keeps_its_reasoning_and_the_checks(actor):
    ground = record(
        actor, kind="conflict_van_plichten", checks=ALL_CHECKS, reasoning="Acuut gevaar.",
        given_by="wordt genegeerd",
    )  # fmt: skip
    assert sorted(ground.checks) == sorted(ALL_CHECKS)
    assert (ground.reasoning, ground.given_by) == ("Acuut gevaar.", "")


def test_only_roles_with_case_work_record_grounds(organisation):
    admin = actor_for_user(
        user=MembershipFactory(role=Role.FUNCTIONAL_ADMIN, organisation=organisation).user
    )
    with pytest.raises(SharingError, match="Met uw rol"):
        record(admin)


def test_grounds_are_never_edited_or_deleted(actor):
    ground = record(actor)
    ground.what = "Iets anders"
    with pytest.raises(AppendOnlyError):
        ground.save()
    with pytest.raises(AppendOnlyError):
        ground.delete()


def test_withdrawing_consent_records_when_and_by_whom_and_is_logged(actor):
    ground = record(actor)
    withdrawn = services.consent_withdraw(actor=actor, ground=ground, note="Belde op maandag.")
    assert withdrawn.withdrawn_by == actor.user and withdrawn.withdrawn_at is not None
    assert withdrawn.withdrawal_note == "Belde op maandag." and not withdrawn.in_force
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.action, row.subject_type, row.client_id, row.part) == (
        Action.UPDATE, "grondslag", CLIENT, "intrekken",
    )  # fmt: skip
    with pytest.raises(SharingError, match="al ingetrokken"):
        services.consent_withdraw(actor=actor, ground=ground)


def test_only_consent_of_ones_own_organisation_is_withdrawn(actor):
    conflict = record(actor, kind="conflict_van_plichten", checks=ALL_CHECKS, reasoning="x")
    with pytest.raises(SharingError, match="Alleen toestemming"):
        services.consent_withdraw(actor=actor, ground=conflict)
    stranger = actor_for_user(user=MembershipFactory(role=Role.PROFESSIONAL).user)
    with pytest.raises(SharingError, match="niet door uw organisatie"):
        services.consent_withdraw(actor=stranger, ground=record(actor))


def test_the_selector_lists_one_organisations_grounds_of_one_client(actor):
    mine = record(actor)
    withdrawn = record(actor)
    services.consent_withdraw(actor=actor, ground=withdrawn)
    record(actor, client_pseudonym="cl-" + "b" * 20)
    stranger = actor_for_user(user=MembershipFactory(role=Role.PROFESSIONAL).user)
    record(stranger)
    found = selectors.sharing_grounds(organisation=actor.organisation, client_pseudonym=CLIENT)
    assert set(found) == {mine, withdrawn}
    in_force = selectors.sharing_grounds(
        organisation=actor.organisation, client_pseudonym=CLIENT, in_force=True
    )
    assert list(in_force) == [mine]


def test_a_ground_that_ran_out_is_not_in_force(actor):
    ground = record(actor, valid_until=timezone.localdate())
    assert ground.in_force
    SharingGround.objects.filter(pk=ground.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    ground.refresh_from_db()
    assert not ground.in_force
    assert not selectors.sharing_grounds(
        organisation=actor.organisation, client_pseudonym=CLIENT, in_force=True
    ).exists()


# --- Through the case ---------------------------------------------------------------------------


def test_a_ground_of_another_case_is_not_found_and_logged(actor):
    case = signals_case(actor)
    other = signals_case(actor, "Andere casus")
    ground = sharing.case_ground_record(
        actor=actor, case=case, kind="toestemming", what="x", with_whom="y", purpose="z",
        given_by="de cliënt",
    )  # fmt: skip
    with pytest.raises(Http404):
        sharing.case_ground_get(actor=actor, case=other, ground_id=ground.pk, action=Action.UPDATE)
    row = AccessLogEntry.objects.order_by("-id").first()
    assert (row.outcome, row.subject_type, row.client_id) == (
        AccessOutcome.DENIED, "grondslag", other.client_pseudonym,
    )  # fmt: skip


def test_only_the_responsible_professional_records_or_withdraws_for_a_case(organisation, actor):
    case = signals_case(actor)
    overseer = actor_for_user(user=officer(organisation))
    with pytest.raises(SharingError, match="verantwoordelijke professional"):
        sharing.case_ground_record(
            actor=overseer, case=case, kind="toestemming", what="x", with_whom="y",
            purpose="z", given_by="de cliënt",
        )  # fmt: skip
    ground = sharing.case_ground_record(
        actor=actor, case=case, kind="toestemming", what="x", with_whom="y", purpose="z",
        given_by="de cliënt",
    )  # fmt: skip
    with pytest.raises(SharingError, match="verantwoordelijke professional"):
        sharing.case_consent_withdraw(actor=overseer, case=case, ground=ground)


def test_withdrawing_consent_on_the_page_closes_what_was_shared(actor):
    case = signals_case(actor)
    entry = consultation(actor, case)
    grantee = officer()
    grant = shared_summary(actor, entry, grantee)
    client = force_verified_login(Client(), actor.user)
    share_page = client.get(reverse("cases:consultation_share", args=[case.pk, entry.pk]))
    withdraw_url = reverse("cases:consent_withdraw", args=[case.pk, grant.ground_id])
    assert withdraw_url in share_page.content.decode()
    assert client.post(withdraw_url, {"note": "Vader belde."}).status_code == 302
    reader = force_verified_login(Client(), grantee)
    assert reader.get(reverse("cases:shared_consultation", args=[entry.pk])).status_code == 404


def test_the_api_lists_records_and_withdraws_grounds(actor):
    case = signals_case(actor)
    allow_api_keys_for(actor.user)
    _, secret = api_token_create(actor=actor, name="koppeling")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = reverse("api:case-grounds", args=[case.pk])
    body = {"kind": "conflict_van_plichten", "what": "x", "with_whom": "y", "purpose": "z",
            "checks": ALL_CHECKS[:2], "reasoning": "Gevaar."}  # fmt: skip
    response = client.post(url, body, content_type="application/json")
    assert (
        response.status_code == 400 and "Nog niet bevestigd" in response.json()["error"]["message"]
    )
    body.update(kind="toestemming", given_by="de cliënt", checks=[])
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201, response.content
    ground = response.json()
    assert ground["in_force"] and ground["kind"] == "toestemming"
    assert [g["id"] for g in client.get(url).json()] == [ground["id"]]
    withdraw = reverse("api:case-ground-withdraw", args=[case.pk, ground["id"]])
    response = client.post(withdraw, {"note": "Belde."}, content_type="application/json")
    assert response.status_code == 200 and response.json()["in_force"] is False
    assert client.post(withdraw, {}, content_type="application/json").status_code == 400
