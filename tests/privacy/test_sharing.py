"""Sharing a consultation summary with an aandachtsfunctionaris of another organisation: who may
share, with whom, on which ground, for how long; what the grantee sees, and every read and
refusal in the access log."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.http import Http404
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose
from meldwijzer.cases import services, sharing
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Membership, Organisation, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import selectors as privacy_selectors
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import CONFLICT_CHECKS, AccessGrant, ResourceKind, SharingGround
from meldwijzer.privacy.services import SharingError
from tests.cases.builders import signals_case
from tests.factories import MembershipFactory, OrganisationFactory
from tests.privacy.builders import consultation, officer, shared_summary

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)
# The list: 2; writing its access-log row: 5, or 8 when its organisation's chain is new.
QUERIES = 10
ALL_CHECKS = tuple(code for code, _ in CONFLICT_CHECKS)


def as_actor(user, organisation: Organisation | None = None) -> Actor:
    found = actor_for_user(user=user, organisation_id=organisation.pk if organisation else None)
    assert found is not None
    return found


@pytest.fixture
def professional(organisation) -> Actor:
    return as_actor(MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation).user)


@pytest.fixture
def case(professional):
    return signals_case(professional)


@pytest.fixture
def entry(professional, case):
    return consultation(professional, case)


@pytest.fixture
def grantee():
    return officer(name="Wijkteam Elders")


def share(actor, case, entry, email, **kwargs):
    values = {
        "until": timezone.localdate() + datetime.timedelta(days=7),
        "ground_kind": "toestemming",
        "given_by": "moeder (met gezag)",
    }
    values.update(kwargs)
    return sharing.consultation_share(
        actor=actor, case=case, entry_id=entry.pk, email=email, **values
    )


def last_row() -> AccessLogEntry:
    row = AccessLogEntry.objects.order_by("-id").first()
    assert row is not None
    return row


# --- Granting -----------------------------------------------------------------------------------


def test_the_responsible_professional_shares_on_consent_and_it_is_logged(
    professional, case, entry, grantee
):
    grant = share(professional, case, entry, grantee.email.upper())

    assert (grant.user, grant.resource_kind, grant.resource_id) == (
        grantee,
        ResourceKind.CONSULTATION_SUMMARY,
        entry.pk,
    )
    assert grant.organisation.name == "Wijkteam Elders"
    assert grant.client_pseudonym == case.client_pseudonym
    assert grant.ground.kind == "toestemming" and grant.ground.given_by == "moeder (met gezag)"
    assert grant.until == timezone.localdate() + datetime.timedelta(days=7)
    rows = list(AccessLogEntry.objects.filter(user=professional.user).order_by("-id")[:2])
    assert [(r.subject_type, r.action, r.client_id) for r in rows] == [
        ("gedeelde_toegang", Action.CREATE, case.client_pseudonym),
        ("grondslag", Action.CREATE, case.client_pseudonym),
    ]
    assert rows[0].purpose == Purpose.CONSULTATION


def test_only_the_responsible_professional_may_share(organisation, professional, case, entry):
    overseer = as_actor(officer(organisation))
    with pytest.raises(SharingError, match="verantwoordelijke professional"):
        share(overseer, case, entry, officer().email)
    assert not AccessGrant.objects.exists()


def test_only_a_current_consultation_entry_is_shared(professional, case, entry, grantee):
    signal = case.entries.get(kind="signal", data__source="eigen")
    with pytest.raises(SharingError, match="geen actueel consultatieverslag"):
        share(professional, case, signal, grantee.email)
    services.case_record_entry(
        actor=professional,
        case=case,
        expected_version=case.version,
        kind="consultation",
        data={
            "date": timezone.localdate().isoformat(),
            "consulted": "collega",
            "advice": "Anders.",
        },
        corrects=entry,
    )
    with pytest.raises(SharingError, match="geen actueel consultatieverslag"):
        share(professional, case, entry, grantee.email)


@pytest.mark.parametrize(
    "who",
    [
        "unknown",
        "professional_elsewhere",
        "officer_same_organisation",
        "inactive",
        "suspended_user",
    ],
)
def test_only_an_active_aandachtsfunctionaris_of_another_organisation(
    organisation, professional, case, entry, who
):
    if who == "unknown":
        email = "niemand@example.invalid"
    elif who == "professional_elsewhere":
        email = MembershipFactory(role=Role.PROFESSIONAL).user.email
    elif who == "officer_same_organisation":
        email = officer(organisation).email
    elif who == "inactive":
        user = officer()
        Membership.objects.filter(user=user).update(is_active=False)
        email = user.email
    else:
        user = officer()
        user.is_active = False
        user.save()
        email = user.email
    with pytest.raises(SharingError) as refused:
        share(professional, case, entry, email)
    assert "aandachtsfunctionaris van een andere organisatie" in str(refused.value)
    assert not AccessGrant.objects.exists()


@pytest.mark.parametrize(("days", "allowed"), [(0, False), (1, True), (30, True), (31, False)])
def test_the_end_date_is_after_today_and_at_most_thirty_days_away(
    professional, case, entry, grantee, days, allowed
):
    until = timezone.localdate() + datetime.timedelta(days=days)
    if allowed:
        assert share(professional, case, entry, grantee.email, until=until).until == until
    else:
        with pytest.raises(SharingError, match="uiterlijk over 30 dagen"):
            share(professional, case, entry, grantee.email, until=until)


def test_a_conflict_of_duties_needs_every_check_and_the_reasoning(
    professional, case, entry, grantee
):
    for missing in ALL_CHECKS:
        checks = tuple(code for code in ALL_CHECKS if code != missing)
        with pytest.raises(SharingError, match="Nog niet bevestigd"):
            share(
                professional, case, entry, grantee.email, ground_kind="conflict_van_plichten",
                checks=checks, reasoning="Acuut gevaar.",
            )  # fmt: skip
    with pytest.raises(SharingError, match="Onderbouw"):
        share(
            professional, case, entry, grantee.email, ground_kind="conflict_van_plichten",
            checks=ALL_CHECKS,
        )  # fmt: skip
    grant = share(
        professional, case, entry, grantee.email, ground_kind="conflict_van_plichten",
        checks=ALL_CHECKS, reasoning="Acuut gevaar; toestemming vragen brengt het kind in gevaar.",
    )  # fmt: skip
    assert sorted(grant.ground.checks) == sorted(ALL_CHECKS)


def test_consent_names_who_gave_it(professional, case, entry, grantee):
    with pytest.raises(SharingError, match="wie de toestemming gaf"):
        share(professional, case, entry, grantee.email, given_by="  ")


def test_the_meldrecht_reaches_veilig_thuis_only(professional, case, entry, grantee):
    with pytest.raises(SharingError, match="alleen voor Veilig Thuis"):
        share(professional, case, entry, grantee.email, ground_kind="meldrecht")
    veilig_thuis = OrganisationFactory(name="Veilig Thuis Flevoland", sector=Sector.VEILIG_THUIS)
    grant = share(professional, case, entry, officer(veilig_thuis).email, ground_kind="meldrecht")
    assert grant.ground.kind == "meldrecht"


def test_a_grant_cannot_outlast_the_consent(professional, case, entry, grantee):
    today = timezone.localdate()
    with pytest.raises(SharingError, match="toestemming geldt tot en met"):
        share(
            professional, case, entry, grantee.email,
            consent_until=today + datetime.timedelta(days=3),
            until=today + datetime.timedelta(days=4),
        )  # fmt: skip


def test_an_existing_ground_of_the_same_client_can_be_reused(
    organisation, professional, case, entry, grantee
):
    first = share(professional, case, entry, grantee.email)
    second_officer = officer()
    second = share(professional, case, entry, second_officer.email, ground_id=first.ground_id)
    assert second.ground_id == first.ground_id
    other_case = signals_case(professional, "Andere casus")
    other_entry = consultation(professional, other_case)
    with pytest.raises(SharingError, match="hoort niet bij deze casus"):
        share(professional, other_case, other_entry, grantee.email, ground_id=first.ground_id)


def test_sharing_twice_with_the_same_person_is_refused(professional, case, entry, grantee):
    share(professional, case, entry, grantee.email)
    with pytest.raises(SharingError, match="al met deze persoon gedeeld"):
        share(professional, case, entry, grantee.email)


# --- Reading ------------------------------------------------------------------------------------


def test_the_grantee_reads_only_the_summary_and_the_read_is_logged(
    professional, case, entry, grantee
):
    grant = share(professional, case, entry, grantee.email)
    reader = as_actor(grantee)

    shared = sharing.shared_consultation_get(actor=reader, entry_id=entry.pk)

    assert (shared.entry, shared.grant, shared.reference) == (entry, grant, case.reference)
    assert shared.step == "Stap 1: signalen in kaart brengen" or shared.step
    row = last_row()
    assert (row.user, row.action, row.outcome) == (grantee, Action.READ, AccessOutcome.ALLOWED)
    assert (row.subject_type, row.subject_id, row.client_id) == (
        "dossierregel",
        str(entry.pk),
        case.client_pseudonym,
    )
    assert (row.part, row.purpose, row.role) == (
        "consultatieverslag",
        Purpose.CONSULTATION,
        Role.MELDCODE_OFFICER,
    )
    assert row.organisation == grant.organisation


def assert_refused(actor: Actor, entry_id: int, client_id: str) -> None:
    with pytest.raises(Http404):
        sharing.shared_consultation_get(actor=actor, entry_id=entry_id)
    row = last_row()
    assert (row.user, row.outcome, row.action) == (actor.user, AccessOutcome.DENIED, Action.READ)
    assert (row.subject_type, row.subject_id, row.client_id) == (
        "dossierregel",
        str(entry_id),
        client_id,
    )


def test_an_expired_grant_opens_nothing(professional, case, entry, grantee):
    share(professional, case, entry, grantee.email, until=timezone.localdate() + ONE_DAY)
    reader = as_actor(grantee)
    sharing.shared_consultation_get(actor=reader, entry_id=entry.pk)
    with time_machine.travel(timezone.now() + 3 * ONE_DAY):
        assert_refused(reader, entry.pk, case.client_pseudonym)
        assert sharing.shared_with_me(actor=reader) == []


def test_a_revoked_grant_opens_nothing(professional, case, entry, grantee):
    grant = share(professional, case, entry, grantee.email)
    found = sharing.case_grant_get(
        actor=professional, case=case, grant_id=grant.pk, action=Action.UPDATE
    )
    sharing.consultation_grant_revoke(actor=professional, case=case, grant=found)
    assert_refused(as_actor(grantee), entry.pk, case.client_pseudonym)
    assert last_row().subject_type == "dossierregel"


def test_another_user_or_another_entry_is_not_found(professional, case, entry, grantee):
    share(professional, case, entry, grantee.email)
    colleague = officer(Organisation.objects.get(name="Wijkteam Elders"))
    assert_refused(as_actor(colleague), entry.pk, case.client_pseudonym)
    other_entry = consultation(professional, case, "Tweede advies.")
    assert_refused(as_actor(grantee), other_entry.pk, case.client_pseudonym)
    signal = case.entries.filter(kind="signal").first()
    assert_refused(as_actor(grantee), signal.pk, "")
    assert_refused(as_actor(grantee), entry.pk + 1000, "")


def test_the_grant_holds_for_the_organisation_it_was_given_for(professional, case, entry, grantee):
    share(professional, case, entry, grantee.email)
    second = OrganisationFactory(name="Tweede werkgever")
    MembershipFactory(user=grantee, organisation=second, role=Role.MELDCODE_OFFICER)
    assert_refused(as_actor(grantee, second), entry.pk, case.client_pseudonym)


def test_losing_the_aandachtsfunctionaris_role_ends_the_access(professional, case, entry, grantee):
    share(professional, case, entry, grantee.email)
    membership = Membership.objects.get(user=grantee)
    MembershipFactory(user=grantee, organisation=membership.organisation, role=Role.PROFESSIONAL)
    membership.is_active = False
    membership.save()
    assert_refused(as_actor(grantee), entry.pk, case.client_pseudonym)


def test_withdrawn_consent_ends_the_access_at_once(professional, case, entry, grantee):
    grant = share(professional, case, entry, grantee.email)
    privacy_services.consent_withdraw(actor=professional, ground=grant.ground, note="Moeder belde.")
    assert_refused(as_actor(grantee), entry.pk, case.client_pseudonym)
    grant.refresh_from_db()
    assert privacy_selectors.grant_state(grant) == "grondslag vervallen"


def test_consent_that_ran_out_ends_the_access(professional, case, entry, grantee):
    grant = share(professional, case, entry, grantee.email)
    # A grant never outlasts its consent when it is made; a ground found out of date later (as
    # here, set straight in the database) still closes it.
    yesterday = timezone.localdate() - ONE_DAY
    SharingGround.objects.filter(pk=grant.ground_id).update(valid_until=yesterday)
    assert_refused(as_actor(grantee), entry.pk, case.client_pseudonym)


def test_a_grant_for_another_client_opens_nothing(professional, case, entry, grantee):
    grant = share(professional, case, entry, grantee.email)
    AccessGrant.objects.filter(pk=grant.pk).update(client_pseudonym="cl-" + "0" * 20)
    assert_refused(as_actor(grantee), entry.pk, case.client_pseudonym)


def test_grant_active_checks_every_part_of_the_key(professional, case, entry, grantee):
    share(professional, case, entry, grantee.email)
    org = Organisation.objects.get(name="Wijkteam Elders")
    kind = ResourceKind.CONSULTATION_SUMMARY

    def active(**changes):
        values = {"user": grantee, "organisation": org, "resource_kind": kind}
        values["resource_id"] = entry.pk
        values.update(changes)
        return privacy_selectors.grant_active(**values)

    assert active() is not None
    assert active(user=professional.user) is None
    assert active(organisation=professional.organisation) is None
    assert active(resource_id=entry.pk + 1) is None
    assert active(resource_kind="coordinatiedossier") is None


# --- Revoking -----------------------------------------------------------------------------------


def test_revoking_is_for_the_responsible_professional_and_logged(
    organisation, professional, case, entry, grantee
):
    grant = share(professional, case, entry, grantee.email)
    overseer = as_actor(officer(organisation))
    with pytest.raises(SharingError, match="verantwoordelijke professional"):
        sharing.consultation_grant_revoke(actor=overseer, case=case, grant=grant)
    sharing.consultation_grant_revoke(actor=professional, case=case, grant=grant)
    grant.refresh_from_db()
    assert grant.revoked_by == professional.user and grant.revoked_at is not None
    row = last_row()
    assert (row.subject_type, row.action, row.part, row.client_id) == (
        "gedeelde_toegang",
        Action.UPDATE,
        "intrekken",
        case.client_pseudonym,
    )
    with pytest.raises(SharingError, match="al ingetrokken"):
        sharing.consultation_grant_revoke(actor=professional, case=case, grant=grant)


def test_a_grant_of_another_case_is_not_found_and_logged(professional, case, entry, grantee):
    grant = share(professional, case, entry, grantee.email)
    other_case = signals_case(professional, "Andere casus")
    with pytest.raises(Http404):
        sharing.case_grant_get(
            actor=professional, case=other_case, grant_id=grant.pk, action=Action.UPDATE
        )
    row = last_row()
    assert (row.outcome, row.subject_type, row.subject_id, row.client_id) == (
        AccessOutcome.DENIED,
        "gedeelde_toegang",
        str(grant.pk),
        other_case.client_pseudonym,
    )


def test_another_organisation_cannot_revoke_in_the_privacy_service(
    professional, case, entry, grantee
):
    grant = share(professional, case, entry, grantee.email)
    stranger = as_actor(MembershipFactory(role=Role.PROFESSIONAL).user)
    with pytest.raises(SharingError, match="niet door uw organisatie"):
        privacy_services.access_grant_revoke(actor=stranger, grant=grant)


# --- The list -----------------------------------------------------------------------------------


def test_shared_with_me_lists_what_is_in_force_in_a_fixed_number_of_queries(
    professional, grantee, django_assert_max_num_queries
):
    reader = as_actor(grantee)
    cases = [signals_case(professional, f"Casus {n}") for n in range(5)]
    entries = [consultation(professional, case) for case in cases]
    shared_summary(professional, entries[0], grantee)
    # grants, entries with their cases, and the access-log row with its chain's head
    with django_assert_max_num_queries(QUERIES):
        assert len(sharing.shared_with_me(actor=reader)) == 1

    for entry in entries[1:3]:
        shared_summary(professional, entry, grantee)
    revoked = shared_summary(professional, entries[3], grantee)
    privacy_services.access_grant_revoke(actor=professional, grant=revoked)
    shared_summary(professional, entries[4], officer())  # someone else's
    with django_assert_max_num_queries(QUERIES):
        rows = sharing.shared_with_me(actor=reader)
    assert sorted(row.entry.pk for row in rows) == sorted(e.pk for e in entries[:3])
    assert {row.reference for row in rows} == {c.reference for c in cases[:3]}
    row = last_row()
    assert (row.action, row.subject_type, row.purpose) == (
        Action.SEARCH,
        "gedeelde_gegevens",
        Purpose.CONSULTATION,
    )


def test_shared_with_me_is_empty_without_the_aandachtsfunctionaris_role(professional, case, entry):
    assert sharing.shared_with_me(actor=professional) == []
