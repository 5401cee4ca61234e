"""Beheer actions check the actor's permission themselves, and never hand out platformbeheer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import User, UserSession
from meldwijzer.accounts.services import AccountError, api_token_create
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.organisations import services
from meldwijzer.organisations.models import (
    ApiKeyRole,
    Membership,
    Municipality,
    Organisation,
    Sector,
)
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import force_verified_login
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db

NOT_FA = sorted(set(Role) - {Role.FUNCTIONAL_ADMIN})
NOT_PA = sorted(set(Role) - {Role.PLATFORM_ADMIN})


def _active_roles(user: User, organisation: Organisation) -> set[str]:
    return set(
        Membership.objects.filter(user=user, organisation=organisation, is_active=True).values_list(
            "role", flat=True
        )
    )


@pytest.fixture
def admin(make_member, organisation) -> User:
    return make_member(Role.FUNCTIONAL_ADMIN, organisation)


@pytest.fixture
def colleague(make_member, organisation) -> User:
    return make_member(Role.PROFESSIONAL, organisation)


def _member_calls(colleague: User) -> dict[str, Callable[[Any], object]]:
    return {
        "member_create": lambda actor: services.member_create(
            actor=actor,
            username="nieuw-persoon",
            first_name="Nieuw",
            last_name="Persoon",
            email="nieuw@example.invalid",
            role=Role.PROFESSIONAL,
        ),
        "member_role_set": lambda actor: services.member_role_set(
            actor=actor, user=colleague, roles={Role.MELDCODE_OFFICER}
        ),
        "member_deactivate": lambda actor: services.member_deactivate(actor=actor, user=colleague),
        "member_reactivate": lambda actor: services.member_reactivate(actor=actor, user=colleague),
        "member_mfa_reset": lambda actor: services.member_mfa_reset(actor=actor, user=colleague),
    }


def _state(colleague: User) -> tuple[object, ...]:
    colleague.refresh_from_db()
    return (
        colleague.is_active,
        sorted(Membership.objects.filter(user=colleague).values_list("role", "is_active")),
        TOTPDevice.objects.filter(user=colleague).count(),
        User.objects.count(),
        AccessLogEntry.objects.count(),
    )


@pytest.mark.parametrize("role", NOT_FA)
@pytest.mark.parametrize(
    "call",
    [
        "member_create",
        "member_role_set",
        "member_deactivate",
        "member_reactivate",
        "member_mfa_reset",
    ],
)
def test_member_services_need_the_functional_admin_role(
    make_member, organisation, colleague, role, call
):
    actor = actor_for_user(user=make_member(role, organisation))
    before = _state(colleague)
    with pytest.raises(AccountError, match="niet met uw huidige rol"):
        _member_calls(colleague)[call](actor)
    assert _state(colleague) == before


@pytest.mark.parametrize("role", NOT_PA)
def test_organisation_save_needs_the_platform_admin_role(make_member, organisation, role):
    actor = actor_for_user(user=make_member(role, organisation))
    organisation.name = "Hernoemd"
    with pytest.raises(AccountError):
        services.organisation_save(actor=actor, organisation=organisation, works_in=[])
    organisation.refresh_from_db()
    assert organisation.name == "Basisschool Eigen"
    new = Organisation(
        name="Nieuw", sector=Sector.OTHER, municipality=Municipality.objects.get(name="Urk")
    )
    with pytest.raises(AccountError):
        services.organisation_save(actor=actor, organisation=new, works_in=[])
    assert not Organisation.objects.filter(name="Nieuw").exists()


def test_platform_admin_saves_an_organisation(make_member, organisation, other_organisation):
    actor = actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))
    urk = Municipality.objects.get(name="Urk")
    other_organisation.place = "Urk"
    services.organisation_save(actor=actor, organisation=other_organisation, works_in=[urk])
    other_organisation.refresh_from_db()
    assert other_organisation.place == "Urk"
    assert list(other_organisation.works_in.all()) == [urk]


def test_member_create_adds_a_person_to_the_own_organisation(admin, organisation):
    user, _ = services.member_create(
        actor=actor_for_user(user=admin),
        username="nieuw-persoon",
        first_name="Nieuw",
        last_name="Persoon",
        email="nieuw@example.invalid",
        role=Role.MELDCODE_OFFICER,
    )
    assert _active_roles(user, organisation) == {Role.MELDCODE_OFFICER}
    assert Membership.objects.filter(user=user).count() == 1
    assert user.has_usable_password()
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [Role.PLATFORM_ADMIN, "platform_admin"])
def test_member_create_cannot_grant_platform_admin(admin, role):
    with pytest.raises(AccountError):
        services.member_create(
            actor=actor_for_user(user=admin),
            username="stiekem",
            first_name="S",
            last_name="Tiekem",
            email="s@example.invalid",
            role=role,
        )
    assert not User.objects.filter(username="stiekem").exists()


def test_member_create_refuses_a_username_in_use_in_any_case(admin, colleague):
    with pytest.raises(AccountError, match="al in gebruik"):
        services.member_create(
            actor=actor_for_user(user=admin),
            username=colleague.username.upper(),
            first_name="Dubbel",
            last_name="Ganger",
            email="d@example.invalid",
            role=Role.PROFESSIONAL,
        )


def test_member_role_set_cannot_grant_platform_admin(admin, colleague, organisation):
    with pytest.raises(AccountError):
        services.member_role_set(
            actor=actor_for_user(user=admin),
            user=colleague,
            roles={Role.PROFESSIONAL, Role.PLATFORM_ADMIN},
        )
    assert _active_roles(colleague, organisation) == {Role.PROFESSIONAL}


def test_member_role_set_gives_exactly_the_roles(admin, colleague, organisation):
    actor = actor_for_user(user=admin)
    services.member_role_set(
        actor=actor, user=colleague, roles={Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR}
    )
    assert _active_roles(colleague, organisation) == {Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR}
    services.member_role_set(actor=actor, user=colleague, roles={Role.PROFESSIONAL})
    assert _active_roles(colleague, organisation) == {Role.PROFESSIONAL}
    services.member_role_set(actor=actor, user=colleague, roles=set())
    assert _active_roles(colleague, organisation) == set()
    assert actor_for_user(user=colleague) is None


def test_member_role_set_stays_in_the_own_organisation(
    admin, colleague, organisation, other_organisation
):
    Membership.objects.create(
        user=colleague, organisation=other_organisation, role=Role.PROFESSIONAL
    )
    services.member_role_set(actor=actor_for_user(user=admin), user=colleague, roles=set())
    assert _active_roles(colleague, other_organisation) == {Role.PROFESSIONAL}


def test_member_role_set_leaves_platform_admin_alone(admin, organisation, make_member):
    platform = make_member(Role.PLATFORM_ADMIN, organisation)
    services.member_role_set(
        actor=actor_for_user(user=admin), user=platform, roles={Role.PROFESSIONAL}
    )
    assert _active_roles(platform, organisation) == {Role.PLATFORM_ADMIN, Role.PROFESSIONAL}


def test_functional_admin_cannot_drop_own_admin_role(admin, organisation):
    with pytest.raises(AccountError, match="eigen beheerrol"):
        services.member_role_set(
            actor=actor_for_user(user=admin), user=admin, roles={Role.PROFESSIONAL}
        )
    assert _active_roles(admin, organisation) == {Role.FUNCTIONAL_ADMIN}


def test_member_role_set_ends_the_persons_sessions(client, admin, colleague):
    force_verified_login(client, colleague)
    services.member_role_set(
        actor=actor_for_user(user=admin), user=colleague, roles={Role.MELDCODE_OFFICER}
    )
    assert not UserSession.objects.filter(user=colleague).exists()
    assert client.get("/start/").status_code == 302


def test_deactivate_switches_off_the_account_and_its_tokens(admin, colleague, organisation):
    allow_api_keys_for(colleague)
    token, _ = api_token_create(actor=actor_for_user(user=colleague), name="koppeling")
    services.member_deactivate(actor=actor_for_user(user=admin), user=colleague)
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert _active_roles(colleague, organisation) == set()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_deactivate_keeps_roles_and_tokens_elsewhere(
    admin, colleague, organisation, other_organisation
):
    Membership.objects.create(
        user=colleague, organisation=other_organisation, role=Role.PROFESSIONAL
    )
    allow_api_keys_for(colleague)
    elsewhere, _ = api_token_create(
        actor=actor_for_user(user=colleague, organisation_id=other_organisation.pk), name="elders"
    )
    services.member_deactivate(actor=actor_for_user(user=admin), user=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active
    assert _active_roles(colleague, organisation) == set()
    assert _active_roles(colleague, other_organisation) == {Role.PROFESSIONAL}
    elsewhere.refresh_from_db()
    assert elsewhere.revoked_at is None
    assert actor_for_user(user=colleague).organisation == other_organisation


def test_functional_admin_cannot_deactivate_themselves(admin):
    with pytest.raises(AccountError):
        services.member_deactivate(actor=actor_for_user(user=admin), user=admin)
    admin.refresh_from_db()
    assert admin.is_active


def test_reactivate_restores_the_account(admin, colleague, organisation):
    actor = actor_for_user(user=admin)
    services.member_deactivate(actor=actor, user=colleague)
    services.member_reactivate(actor=actor, user=colleague)
    colleague.refresh_from_db()
    assert colleague.is_active
    assert _active_roles(colleague, organisation) == {Role.PROFESSIONAL}


def test_reactivate_gives_back_only_the_roles_switched_off_with_the_account(
    admin, colleague, organisation
):
    actor = actor_for_user(user=admin)
    services.member_role_set(
        actor=actor, user=colleague, roles={Role.PROFESSIONAL, Role.MELDCODE_OFFICER}
    )
    services.member_role_set(actor=actor, user=colleague, roles={Role.PROFESSIONAL})
    services.member_deactivate(actor=actor, user=colleague)
    assert _active_roles(colleague, organisation) == set()
    services.member_reactivate(actor=actor, user=colleague)
    assert _active_roles(colleague, organisation) == {Role.PROFESSIONAL}
    # Setting roles afterwards leaves nothing marked to come back later.
    assert not Membership.objects.filter(user=colleague, suspended=True).exists()


def test_reactivate_cannot_grant_platform_admin(admin, colleague, organisation):
    """A platform role that was switched off stays off: only platformbeheer can hand it out."""
    Membership.objects.create(
        user=colleague, organisation=organisation, role=Role.PLATFORM_ADMIN, is_active=False
    )
    services.member_reactivate(actor=actor_for_user(user=admin), user=colleague)
    assert _active_roles(colleague, organisation) == {Role.PROFESSIONAL}
    assert Role.PLATFORM_ADMIN not in actor_for_user(user=colleague).roles


def test_deactivate_leaves_a_platform_admin_role_alone(admin, organisation, make_member):
    platform = make_member(Role.PLATFORM_ADMIN, organisation)
    Membership.objects.create(user=platform, organisation=organisation, role=Role.PROFESSIONAL)
    services.member_deactivate(actor=actor_for_user(user=admin), user=platform)
    platform.refresh_from_db()
    assert platform.is_active
    assert _active_roles(platform, organisation) == {Role.PLATFORM_ADMIN}


def test_mfa_reset_removes_the_device_and_ends_sessions(client, admin, colleague):
    force_verified_login(client, colleague)
    services.member_mfa_reset(actor=actor_for_user(user=admin), user=colleague)
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not UserSession.objects.filter(user=colleague).exists()
    assert client.get("/start/").status_code == 302


def test_mfa_reset_of_a_platform_admin_is_refused(admin, organisation, make_member):
    """Removing a platform admin's second factor would let a functioneel beheerder weaken the
    login of a more powerful account."""
    platform = make_member(Role.PLATFORM_ADMIN, organisation)
    with pytest.raises(AccountError):
        services.member_mfa_reset(actor=actor_for_user(user=admin), user=platform)
    assert TOTPDevice.objects.filter(user=platform, confirmed=True).exists()


def test_platform_admin_gives_an_organisation_its_first_functional_admin(
    make_member, organisation, other_organisation
):
    actor = actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))
    user, _ = services.organisation_admin_create(
        actor=actor,
        organisation=other_organisation,
        username="beheer.ander",
        first_name="Bea",
        last_name="Heer",
        email="bea@example.invalid",
    )
    assert _active_roles(user, other_organisation) == {Role.FUNCTIONAL_ADMIN}
    # A random password nobody knows: they set their own through the e-mailed link.
    assert user.has_usable_password() and not user.check_password("")
    row = AccessLogEntry.objects.latest("pk")
    assert (row.subject_type, row.subject_id, row.action) == ("gebruiker", str(user.pk), "create")
    assert row.part == f"beheerder van organisatie {other_organisation.pk}"


@pytest.mark.parametrize("role", NOT_PA)
def test_only_platform_admins_give_an_organisation_a_functional_admin(
    make_member, organisation, other_organisation, role
):
    actor = actor_for_user(user=make_member(role, organisation))
    with pytest.raises(AccountError):
        services.organisation_admin_create(
            actor=actor,
            organisation=other_organisation,
            username="beheer.ander",
            first_name="Bea",
            last_name="Heer",
            email="bea@example.invalid",
        )
    assert not User.objects.filter(username="beheer.ander").exists()


def test_a_functional_admin_needs_a_free_username(make_member, organisation, other_organisation):
    actor = actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))
    taken = make_member(Role.PROFESSIONAL, organisation)
    with pytest.raises(AccountError, match="al in gebruik"):
        services.organisation_admin_create(
            actor=actor,
            organisation=other_organisation,
            username=taken.username.upper(),
            first_name="Bea",
            last_name="Heer",
            email="bea@example.invalid",
        )
    assert not Membership.objects.filter(organisation=other_organisation).exists()


# --- Which roles may hold API keys ---------------------------------------------------------------


def _api_key_roles(organisation: Organisation) -> set[str]:
    return set(ApiKeyRole.objects.filter(organisation=organisation).values_list("role", flat=True))


@pytest.mark.parametrize("role", NOT_FA)
def test_only_the_functional_admin_chooses_the_api_key_roles(make_member, organisation, role):
    actor = actor_for_user(user=make_member(role, organisation))
    with pytest.raises(AccountError, match="niet met uw huidige rol"):
        services.organisation_api_key_roles_set(actor=actor, roles={Role.FUNCTIONAL_ADMIN})
    assert _api_key_roles(organisation) == set()


def test_api_key_roles_are_set_exactly_and_each_change_is_logged(admin, organisation):
    actor = actor_for_user(user=admin)
    services.organisation_api_key_roles_set(
        actor=actor, roles={Role.FUNCTIONAL_ADMIN, Role.POLICY_ADVISER}
    )
    assert _api_key_roles(organisation) == {Role.FUNCTIONAL_ADMIN, Role.POLICY_ADVISER}
    services.organisation_api_key_roles_set(
        actor=actor, roles={Role.FUNCTIONAL_ADMIN, Role.PROFESSIONAL}
    )
    assert _api_key_roles(organisation) == {Role.FUNCTIONAL_ADMIN, Role.PROFESSIONAL}
    rows = AccessLogEntry.objects.filter(user=admin, subject_type="organisatie").order_by(
        "sequence"
    )
    assert [(row.action, row.subject_id, row.part, row.role, row.outcome) for row in rows] == [
        ("update", str(organisation.pk), f"api-sleutels aan: {role}", "functional_admin", "allowed")
        for role in ("functional_admin", "policy_adviser")
    ] + [
        (
            "update",
            str(organisation.pk),
            "api-sleutels aan: professional",
            "functional_admin",
            "allowed",
        ),
        (
            "update",
            str(organisation.pk),
            "api-sleutels uit: policy_adviser",
            "functional_admin",
            "allowed",
        ),
    ]
    # Saving the same choice again changes nothing and logs nothing.
    services.organisation_api_key_roles_set(
        actor=actor, roles={Role.FUNCTIONAL_ADMIN, Role.PROFESSIONAL}
    )
    assert rows.count() == 4


def test_api_key_roles_stay_in_the_own_organisation(admin, organisation, other_organisation):
    services.organisation_api_key_roles_set(
        actor=actor_for_user(user=admin), roles={Role.PROFESSIONAL}
    )
    assert _api_key_roles(other_organisation) == set()


def test_api_keys_are_never_allowed_for_the_platform_role(admin, organisation):
    with pytest.raises(AccountError, match="Platformbeheerders"):
        services.organisation_api_key_roles_set(
            actor=actor_for_user(user=admin), roles={Role.PLATFORM_ADMIN, Role.FUNCTIONAL_ADMIN}
        )
    assert _api_key_roles(organisation) == set()
    assert not AccessLogEntry.objects.filter(subject_type="organisatie").exists()
