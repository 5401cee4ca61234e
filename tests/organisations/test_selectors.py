"""Reads of organisations and people: the actor, and nobody outside the own organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose
from meldwijzer.organisations import selectors
from meldwijzer.organisations.models import Membership, Organisation
from meldwijzer.organisations.roles import Permission, Role
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_jobs(make_member, organisation, other_organisation):
    """A meldcode officer and professional at 'Basisschool Eigen', case coordinator elsewhere."""
    user = make_member(Role.CASE_COORDINATOR, other_organisation)
    Membership.objects.create(user=user, organisation=organisation, role=Role.MELDCODE_OFFICER)
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROFESSIONAL)
    return user


def test_actor_defaults_to_the_home_organisation(two_jobs, other_organisation):
    """Without a choice the person works for the organisation of their oldest role."""
    actor = selectors.actor_for_user(user=two_jobs)
    assert actor.organisation == other_organisation
    assert actor.roles == {Role.CASE_COORDINATOR}


def test_actor_for_an_organisation_has_all_its_roles(two_jobs, organisation):
    actor = selectors.actor_for_user(user=two_jobs, organisation_id=organisation.pk)
    assert actor.organisation == organisation
    assert actor.roles == {Role.MELDCODE_OFFICER, Role.PROFESSIONAL}
    assert actor.can(Permission.CASE_OVERSEE)
    assert not actor.can(Permission.CASE_COORDINATE)


def test_a_removed_home_role_moves_the_default(two_jobs, organisation):
    Membership.objects.filter(user=two_jobs, role=Role.CASE_COORDINATOR).update(is_active=False)
    assert selectors.actor_for_user(user=two_jobs).organisation == organisation


def test_actor_for_the_chosen_organisation_has_only_its_roles(two_jobs, other_organisation):
    actor = selectors.actor_for_user(user=two_jobs, organisation_id=other_organisation.pk)
    assert actor.organisation == other_organisation
    assert actor.roles == {Role.CASE_COORDINATOR}
    assert not actor.can(Permission.CASE_OVERSEE)


def test_an_organisation_without_membership_cannot_be_chosen(two_jobs, organisation):
    stranger = OrganisationFactory()
    actor = selectors.actor_for_user(user=two_jobs, organisation_id=stranger.pk)
    assert actor.organisation != stranger
    assert actor == selectors.actor_for_user(user=two_jobs)


def test_inactive_memberships_and_organisations_do_not_count(
    two_jobs, organisation, other_organisation
):
    Membership.objects.filter(user=two_jobs, role=Role.MELDCODE_OFFICER).update(is_active=False)
    own = selectors.actor_for_user(user=two_jobs, organisation_id=organisation.pk)
    assert own.roles == {Role.PROFESSIONAL}
    Organisation.objects.filter(pk=organisation.pk).update(is_active=False)
    actor = selectors.actor_for_user(user=two_jobs, organisation_id=organisation.pk)
    assert actor.organisation == other_organisation
    assert set(selectors.organisations_for_user(user=two_jobs)) == {other_organisation}


def test_no_active_membership_means_no_actor(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    Membership.objects.filter(user=user).update(is_active=False)
    assert selectors.actor_for_user(user=user) is None
    assert not selectors.organisations_for_user(user=user).exists()


def test_organisations_for_user_lists_each_once(two_jobs, organisation, other_organisation):
    assert list(selectors.organisations_for_user(user=two_jobs).order_by("name")) == [
        organisation,
        other_organisation,
    ]


def test_member_list_holds_only_the_own_organisation(make_member, organisation, other_organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    make_member(Role.PROFESSIONAL, other_organisation)
    actor = selectors.actor_for_user(user=admin)
    assert set(selectors.member_list(actor=actor)) == {admin, colleague}


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.FUNCTIONAL_ADMIN}))
def test_member_list_is_refused_and_logged_without_the_permission(make_member, organisation, role):
    user = make_member(role, organisation)
    with pytest.raises(PermissionDenied):
        selectors.member_list(actor=selectors.actor_for_user(user=user))
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.outcome, entry.purpose) == (
        user,
        AccessOutcome.DENIED,
        Purpose.ADMINISTRATION,
    )


def test_member_get_of_another_organisation_is_not_found_and_logged(
    make_member, organisation, other_organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    with pytest.raises(Http404):
        selectors.member_get(actor=selectors.actor_for_user(user=admin), user_id=stranger.pk)
    entry = AccessLogEntry.objects.get()
    assert entry.user == admin
    assert entry.organisation == organisation
    assert entry.role == Role.FUNCTIONAL_ADMIN
    assert (entry.action, entry.outcome) == (Action.READ, AccessOutcome.DENIED)
    assert (entry.subject_type, entry.subject_id) == ("gebruiker", str(stranger.pk))


def test_member_get_for_a_member_elsewhere_too_stays_in_the_organisation(
    make_member, organisation, other_organisation
):
    """An admin elsewhere cannot reach a person through a shared membership of someone else."""
    admin_elsewhere = make_member(Role.FUNCTIONAL_ADMIN, other_organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    with pytest.raises(Http404):
        selectors.member_get(
            actor=selectors.actor_for_user(user=admin_elsewhere), user_id=colleague.pk
        )


def test_member_get_of_an_unknown_id_is_not_found(make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    with pytest.raises(Http404):
        selectors.member_get(actor=selectors.actor_for_user(user=admin), user_id=10**9)
    assert AccessLogEntry.objects.get().outcome == AccessOutcome.DENIED


def test_member_get_finds_an_own_colleague(make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    actor = selectors.actor_for_user(user=admin)
    assert selectors.member_get(actor=actor, user_id=colleague.pk) == colleague
    assert not AccessLogEntry.objects.exists()


def test_member_get_without_the_permission_is_not_found(make_member, organisation):
    professional = make_member(Role.PROFESSIONAL, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    with pytest.raises(Http404):
        selectors.member_get(
            actor=selectors.actor_for_user(user=professional), user_id=colleague.pk
        )
    assert AccessLogEntry.objects.get().outcome == AccessOutcome.DENIED


def test_inactive_organisations_are_seen_by_platform_admins_only(
    make_member, organisation, other_organisation
):
    Organisation.objects.filter(pk=other_organisation.pk).update(is_active=False)
    platform = selectors.actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))
    professional = selectors.actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    assert selectors.organisation_get(actor=platform, organisation_id=other_organisation.pk)
    assert (
        selectors.organisation_get(actor=professional, organisation_id=other_organisation.pk)
        is None
    )


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.FUNCTIONAL_ADMIN, Role.MELDCODE_OFFICER])
def test_sector_figures_are_for_aggregate_roles_only(make_member, organisation, role):
    actor = selectors.actor_for_user(user=make_member(role, organisation))
    with pytest.raises(PermissionDenied):
        selectors.organisation_counts_by_sector(actor=actor)
    assert AccessLogEntry.objects.get().outcome == AccessOutcome.DENIED


def test_sector_figures_count_people_not_memberships(make_member, organisation):
    adviser = make_member(Role.POLICY_ADVISER, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    Membership.objects.create(user=colleague, organisation=organisation, role=Role.MELDCODE_OFFICER)
    rows = selectors.organisation_counts_by_sector(actor=selectors.actor_for_user(user=adviser))
    education = next(row for row in rows if row["sector"] == "onderwijs")
    assert (education["organisations"], education["people"]) == (1, 2)
