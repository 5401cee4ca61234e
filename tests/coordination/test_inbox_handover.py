"""Handing over the regie: exactly one casusregisseur at every moment, a ground for another
organisation, only the receiver accepts, one open proposal per file, and the former lead's team
keeps reading on a grant."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.http import Http404
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Subject
from meldwijzer.coordination import handover
from meldwijzer.coordination.models import (
    CoordinationFile,
    FileParts,
    Handover,
    HandoverState,
    MemberState,
    TeamMember,
)
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import AccessGrant, GroundKind
from tests.coordination.builders import actor_of, add_member, coordinator, file_open, professional
from tests.coordination.inbox_builders import member, propose, veilig_thuis

pytestmark = pytest.mark.django_db


@pytest.fixture
def vt_file():
    """A file with the regie at Veilig Thuis, a Veilig Thuis colleague in the team."""
    vt = veilig_thuis()
    file = file_open(member(vt, Role.CASE_COORDINATOR))
    add_member(file, member(vt))
    return file


@pytest.fixture
def wijkteam_regisseur():
    return coordinator()


def _org(user):
    return actor_of(user).organisation


def test_accepting_makes_the_receiver_the_one_casusregisseur_and_the_former_team_keeps_reading(
    vt_file, wijkteam_regisseur
):
    former = vt_file.coordinator
    colleague = TeamMember.objects.get(file=vt_file, organisation=vt_file.lead_organisation,
                                       state=MemberState.ACTIVE, user__is_active=True,
                                       invited_by=former, role_description__startswith="Ik zie")  # fmt: skip
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    vt_file.refresh_from_db()
    assert vt_file.coordinator == former  # nothing changes until the receiver accepts

    handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=proposal)

    vt_file.refresh_from_db()
    proposal.refresh_from_db()
    assert proposal.state == HandoverState.ACCEPTED
    assert vt_file.coordinator == wijkteam_regisseur
    assert vt_file.lead_organisation == _org(wijkteam_regisseur)
    receiver = file_access_for(actor_of(wijkteam_regisseur), vt_file)
    assert receiver.is_coordinator and receiver.may_lead
    assert TeamMember.objects.filter(
        file=vt_file, user=wijkteam_regisseur, state=MemberState.ACTIVE
    ).exists()
    for user in (former, colleague.user):
        kept = file_access_for(actor_of(user), vt_file)
        assert kept.allowed and kept.grant is not None and not kept.may_lead
        assert kept.sees(FileParts.CONTACTS)
        assert kept.grant.ground.kind == GroundKind.MELDRECHT  # towards Veilig Thuis
        assert kept.grant.ground.organisation_id == vt_file.lead_organisation_id
        assert (kept.grant.until - timezone.localdate()).days <= handover.KEEP_DAYS


def test_the_former_team_keeps_reading_on_the_hand_over_ground_when_it_is_not_veilig_thuis():
    lead = coordinator()
    file = file_open(lead)
    receiver = coordinator()
    handover.handover_accept(
        actor=actor_of(receiver), handover=propose(file, receiver, _org(receiver))
    )
    file.refresh_from_db()
    kept = file_access_for(actor_of(lead), file)
    assert kept.allowed and kept.grant is not None
    assert kept.grant.ground.kind == GroundKind.CONSENT
    assert kept.grant.ground.given_by == "moeder (met gezag)"
    assert kept.grant.until <= kept.grant.ground.valid_until


def test_within_one_organisation_no_ground_and_the_former_coordinator_stays_in_the_team(vt_file):
    former = vt_file.coordinator
    colleague = member(vt_file.lead_organisation, Role.CASE_COORDINATOR)
    proposal = propose(vt_file, colleague, vt_file.lead_organisation)
    assert proposal.ground is None
    handover.handover_accept(actor=actor_of(colleague), handover=proposal)
    vt_file.refresh_from_db()
    assert vt_file.coordinator == colleague
    kept = file_access_for(actor_of(former), vt_file)
    assert kept.allowed and kept.grant is None and not kept.is_coordinator
    assert not AccessGrant.objects.exists()


def test_handing_over_to_another_organisation_needs_a_ground(vt_file, wijkteam_regisseur):
    with pytest.raises(CoordinationError, match="grondslag"):
        propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur), ground=False)
    assert not Handover.objects.exists()


def test_the_meldrecht_is_no_ground_for_a_hand_over_to_the_wijkteam(vt_file, wijkteam_regisseur):
    with pytest.raises(CoordinationError, match="alleen voor Veilig Thuis"):
        handover.handover_propose(
            actor=actor_of(vt_file.coordinator),
            access=file_access_for(actor_of(vt_file.coordinator), vt_file),
            to_user=wijkteam_regisseur,
            to_organisation=_org(wijkteam_regisseur),
            note="Over naar het wijkteam.",
            ground=handover.GroundData(kind=GroundKind.MELDRECHT),
        )
    assert not Handover.objects.exists()


def test_the_receiver_must_be_a_casusregisseur_there(vt_file):
    teacher = professional(sector=Sector.EDUCATION)
    with pytest.raises(CoordinationError, match="casusregisseur"):
        propose(vt_file, teacher, _org(teacher))
    assert not Handover.objects.exists()


def test_only_the_casusregisseur_proposes(vt_file, wijkteam_regisseur):
    colleague = TeamMember.objects.exclude(user=vt_file.coordinator).get(file=vt_file).user
    actor = actor_of(colleague)
    with pytest.raises(CoordinationError, match="Alleen de casusregisseur"):
        handover.handover_propose(
            actor=actor, access=file_access_for(actor, vt_file), to_user=wijkteam_regisseur,
            to_organisation=_org(wijkteam_regisseur), note="Graag overnemen.",
        )  # fmt: skip
    assert not Handover.objects.exists()


def test_one_open_proposal_per_file(vt_file, wijkteam_regisseur):
    first = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    other = coordinator()
    with pytest.raises(CoordinationError, match="al een overdracht open"):
        propose(vt_file, other, _org(other))
    # The database holds the rule as well.
    with pytest.raises(IntegrityError), transaction.atomic():
        Handover.objects.create(
            file=vt_file, from_user=first.from_user, from_organisation=first.from_organisation,
            to_user=other, to_organisation=_org(other), note="x", proposed_at=timezone.now(),
        )  # fmt: skip


def test_only_the_receiver_accepts(vt_file, wijkteam_regisseur):
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    same_org = member(_org(wijkteam_regisseur), Role.CASE_COORDINATOR)
    for intruder in (vt_file.coordinator, same_org):
        with pytest.raises(CoordinationError, match="niet aan u gericht"):
            handover.handover_accept(actor=actor_of(intruder), handover=proposal)
        with pytest.raises(Http404):
            handover.handover_get(
                actor=actor_of(same_org), handover_id=proposal.pk, party=handover.RECEIVER
            )
    vt_file.refresh_from_db()
    assert vt_file.coordinator != wijkteam_regisseur


def test_a_declined_proposal_leaves_the_regie_where_it_was(vt_file, wijkteam_regisseur):
    former = vt_file.coordinator
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    handover.handover_decline(
        actor=actor_of(wijkteam_regisseur), handover=proposal, answer_note="Geen ruimte."
    )
    vt_file.refresh_from_db()
    assert vt_file.coordinator == former
    assert proposal.state == HandoverState.DECLINED and proposal.answer_note == "Geen ruimte."
    with pytest.raises(CoordinationError, match="al beantwoord"):
        handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=proposal)
    vt_file.refresh_from_db()
    assert vt_file.coordinator == former


def test_a_withdrawn_proposal_cannot_be_accepted(vt_file, wijkteam_regisseur):
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    handover.handover_withdraw(actor=actor_of(vt_file.coordinator), handover=proposal)
    with pytest.raises(CoordinationError, match="al beantwoord of ingetrokken"):
        handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=proposal)
    vt_file.refresh_from_db()
    assert vt_file.coordinator != wijkteam_regisseur


def test_only_the_proposer_withdraws(vt_file, wijkteam_regisseur):
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    with pytest.raises(CoordinationError, match="Alleen wie"):
        handover.handover_withdraw(actor=actor_of(wijkteam_regisseur), handover=proposal)
    assert Handover.objects.get().state == HandoverState.PROPOSED


def test_a_second_accept_of_the_same_proposal_changes_nothing(vt_file, wijkteam_regisseur):
    """Two accepts that both loaded the open proposal (a double click, two tabs): the second
    finds it answered and the file keeps the one casusregisseur of the first."""
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    stale = Handover.objects.get(pk=proposal.pk)
    handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=proposal)
    with pytest.raises(CoordinationError):
        handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=stale)
    vt_file.refresh_from_db()
    assert vt_file.coordinator == wijkteam_regisseur
    assert Handover.objects.filter(state=HandoverState.ACCEPTED).count() == 1


def test_an_old_proposal_is_void_once_the_regie_has_moved(vt_file, wijkteam_regisseur):
    """A proposal whose proposer is no longer the casusregisseur cannot be accepted, even if it
    were still open: the regie moves from the one who holds it."""
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    colleague = member(vt_file.lead_organisation, Role.CASE_COORDINATOR)
    CoordinationFile.objects.filter(pk=vt_file.pk).update(coordinator=colleague)
    with pytest.raises(CoordinationError, match="intussen al verschoven"):
        handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=proposal)
    vt_file.refresh_from_db()
    assert vt_file.coordinator == colleague


def test_a_withdrawn_consent_stops_the_hand_over(vt_file, wijkteam_regisseur):
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    privacy_services.consent_withdraw(actor=actor_of(vt_file.coordinator), ground=proposal.ground)
    with pytest.raises(CoordinationError, match="geldt niet meer"):
        handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=proposal)
    vt_file.refresh_from_db()
    assert vt_file.coordinator != wijkteam_regisseur


def test_every_step_is_logged_with_the_files_client(vt_file, wijkteam_regisseur):
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    handover.handover_get(actor=actor_of(wijkteam_regisseur), handover_id=proposal.pk)
    handover.handover_accept(actor=actor_of(wijkteam_regisseur), handover=proposal)
    rows = AccessLogEntry.objects.filter(part=f"overdracht:{proposal.pk}")
    assert {(row.user_id, row.action) for row in rows} == {
        (vt_file.coordinator_id, "create"),
        (wijkteam_regisseur.pk, "read"),
        (wijkteam_regisseur.pk, "update"),
    }
    assert {row.client_id for row in rows} == {vt_file.client_pseudonym}
    read = rows.get(action="read")
    assert read.ground == f"toestemming:{proposal.ground_id}"  # read before the regie is theirs


def test_someone_without_a_part_in_it_is_refused_the_proposal_and_it_is_logged(
    vt_file, wijkteam_regisseur
):
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    stranger = coordinator()
    with pytest.raises(Http404):
        handover.handover_get(actor=actor_of(stranger), handover_id=proposal.pk)
    row = AccessLogEntry.objects.get(user=stranger, outcome=AccessOutcome.DENIED)
    assert row.subject_type == Subject.COORDINATION_FILE
    assert row.client_id == vt_file.client_pseudonym


def test_waiting_proposals_are_on_both_worklists(vt_file, wijkteam_regisseur):
    proposal = propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur))
    assert handover.handovers_waiting(actor=actor_of(wijkteam_regisseur)) == [proposal]
    assert handover.handovers_waiting(actor=actor_of(vt_file.coordinator)) == [proposal]
    assert handover.handovers_waiting(actor=actor_of(coordinator())) == []


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="accepts in parallel: PostgreSQL row locks"
)
@pytest.mark.django_db(transaction=True)
def test_two_accepts_at_the_same_moment_give_one_casusregisseur():
    """Two accepts race (the receiver in two tabs): the file row is locked, the second waits,
    then finds the proposal answered. Never two winners, never a mix."""
    vt = veilig_thuis()
    file = file_open(member(vt, Role.CASE_COORDINATOR))
    receiver = coordinator()
    proposal = propose(file, receiver, _org(receiver))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept() -> None:
        try:
            barrier.wait()
            handover.handover_accept(
                actor=actor_of(receiver), handover=Handover.objects.get(pk=proposal.pk)
            )
            outcomes.append("aanvaard")
        except CoordinationError:
            outcomes.append("geweigerd")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["aanvaard", "geweigerd"]
    file.refresh_from_db()
    assert file.coordinator == receiver
    assert Handover.objects.filter(state=HandoverState.ACCEPTED).count() == 1
    assert TeamMember.objects.filter(file=file, user=receiver).count() == 1


def test_after_the_hand_over_the_former_casusregisseur_no_longer_calls_themselves_one(
    vt_file, wijkteam_regisseur
):
    former = TeamMember.objects.get(file=vt_file, user=vt_file.coordinator)
    assert "casusregisseur" in former.role_description
    handover.handover_accept(
        actor=actor_of(wijkteam_regisseur),
        handover=propose(vt_file, wijkteam_regisseur, _org(wijkteam_regisseur)),
    )
    former.refresh_from_db()
    assert former.state == MemberState.ACTIVE
    assert "casusregisseur" not in former.role_description
    assert former.role_description.startswith("Ik had de regie tot ")
    assert wijkteam_regisseur.get_full_name() in former.role_description
    roles = TeamMember.objects.filter(file=vt_file, state=MemberState.ACTIVE).values_list(
        "user_id", "role_description"
    )
    claiming = [user for user, role in roles if "casusregisseur" in role.lower()]
    assert claiming in ([], [wijkteam_regisseur.pk])
