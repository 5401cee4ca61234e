"""The beheer pages and the organisation switch, through the real request cycle."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from meldwijzer.accounts.services import enrolment_code_find
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.organisations.middleware import SESSION_ORGANISATION_KEY
from meldwijzer.organisations.models import ApiKeyRole, Membership, Municipality, Organisation
from meldwijzer.organisations.roles import Role
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SWITCH = "accounts:organisation_switch"


@pytest.fixture
def two_jobs(make_member, organisation, other_organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    Membership.objects.create(
        user=user, organisation=other_organisation, role=Role.FUNCTIONAL_ADMIN
    )
    return user


def _me(client) -> dict:
    response = client.get(reverse("api:me"))
    assert response.status_code == 200
    return response.json()


def test_switching_to_an_own_organisation_changes_the_actor(
    verified, two_jobs, organisation, other_organisation
):
    client = verified(two_jobs)
    assert _me(client)["organisation"]["name"] == organisation.name
    assert client.get(reverse("organisations:member_list")).status_code == 403

    response = client.post(reverse(SWITCH), {"organisation": other_organisation.pk})
    assert response["Location"] == reverse("core:start")
    me = _me(client)
    assert me["organisation"]["name"] == other_organisation.name
    assert me["roles"] == [Role.FUNCTIONAL_ADMIN]
    assert client.get(reverse("organisations:member_list")).status_code == 200


@pytest.mark.parametrize("target", ["stranger", "inactive_membership", "inactive_org", "junk"])
def test_switching_to_an_organisation_that_is_not_ones_own_is_refused(
    verified, two_jobs, organisation, other_organisation, target
):
    if target == "stranger":
        value = OrganisationFactory().pk
    elif target == "inactive_membership":
        Membership.objects.filter(user=two_jobs, organisation=other_organisation).update(
            is_active=False
        )
        value = other_organisation.pk
    elif target == "inactive_org":
        Organisation.objects.filter(pk=other_organisation.pk).update(is_active=False)
        value = other_organisation.pk
    else:
        value = "1 OR 1=1"
    client = verified(two_jobs)
    response = client.post(reverse(SWITCH), {"organisation": value}, follow=True)
    assert response.status_code == 200
    assert "U kunt niet namens deze organisatie werken." in response.content.decode()
    assert SESSION_ORGANISATION_KEY not in client.session
    assert _me(client)["organisation"]["name"] == organisation.name


def test_a_forged_session_organisation_does_not_grant_roles(
    verified, make_member, organisation, other_organisation
):
    user = make_member(Role.PROFESSIONAL, organisation)
    make_member(Role.FUNCTIONAL_ADMIN, other_organisation)
    client = verified(user)
    session = client.session
    session[SESSION_ORGANISATION_KEY] = other_organisation.pk
    session.save()
    me = _me(client)
    assert me["organisation"]["name"] == organisation.name
    assert me["roles"] == [Role.PROFESSIONAL]


def test_user_without_active_membership_gets_403_on_start(verified, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    Membership.objects.filter(user=user).update(is_active=False)
    client = verified(user)
    response = client.get(reverse("core:start"))
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert client.get(reverse("api:me")).status_code == 403


def test_user_of_a_closed_organisation_gets_403_on_start(verified, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client = verified(user)
    Organisation.objects.filter(pk=organisation.pk).update(is_active=False)
    assert client.get(reverse("core:start")).status_code == 403


def test_member_create_page_adds_and_invites(verified, make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    client = verified(admin)
    response = client.post(
        reverse("organisations:member_create"),
        {
            "username": "nieuwe-collega",
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": "nieuwe.collega@example.invalid",
            "role": Role.PROFESSIONAL,
        },
    )
    membership = Membership.objects.get(user__username="nieuwe-collega")
    assert membership.organisation == organisation
    # The answer shows the enrolment code once, and leads on to the person's page.
    assert response.status_code == 200
    code = response.context["code"]
    assert code in response.content.decode()
    assert enrolment_code_find(user=membership.user, code=code) is not None
    detail = reverse("organisations:member_detail", kwargs={"user_id": membership.user_id})
    assert f'href="{detail}"' in response.content.decode()
    assert len(mail.outbox) == 1
    assert code not in mail.outbox[0].body
    assert mail.outbox[0].to == ["nieuwe.collega@example.invalid"]
    assert "/account/wachtwoord-instellen/" in mail.outbox[0].body


def test_member_create_page_does_not_offer_platform_admin(verified, make_member, organisation):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    response = client.get(reverse("organisations:member_create"))
    assert Role.PLATFORM_ADMIN.value not in response.content.decode()
    response = client.post(
        reverse("organisations:member_create"),
        {
            "username": "stiekem",
            "first_name": "S",
            "last_name": "T",
            "email": "s@example.invalid",
            "role": Role.PLATFORM_ADMIN,
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="stiekem").exists()


def test_roles_of_another_organisations_member_cannot_be_set(
    verified, make_member, organisation, other_organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    client = verified(admin)
    response = client.post(
        reverse("organisations:member_detail", kwargs={"user_id": stranger.pk}),
        {"roles": [Role.FUNCTIONAL_ADMIN]},
    )
    assert response.status_code == 404
    assert not Membership.objects.filter(user=stranger, organisation=organisation).exists()
    assert list(Membership.objects.filter(user=stranger).values_list("role", flat=True)) == [
        Role.PROFESSIONAL
    ]
    assert AccessLogEntry.objects.get(user=admin).outcome == AccessOutcome.DENIED


@pytest.mark.parametrize("name", ["member_deactivate", "member_reactivate", "member_mfa_reset"])
def test_member_actions_on_another_organisation_change_nothing(
    verified, make_member, organisation, other_organisation, name
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    client = verified(admin)
    response = client.post(reverse(f"organisations:{name}", kwargs={"user_id": stranger.pk}))
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.is_active
    assert stranger.totpdevice_set.filter(confirmed=True).exists()
    denied = AccessLogEntry.objects.get(user=admin)
    assert (denied.outcome, denied.subject_id) == (AccessOutcome.DENIED, str(stranger.pk))


def test_member_detail_form_sets_roles(verified, make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    client = verified(admin)
    url = reverse("organisations:member_detail", kwargs={"user_id": colleague.pk})
    assert client.get(url).status_code == 200
    client.post(url, {"roles": [Role.MELDCODE_OFFICER]})
    assert set(
        Membership.objects.filter(user=colleague, is_active=True).values_list("role", flat=True)
    ) == {Role.MELDCODE_OFFICER}


def test_platform_admin_edits_any_organisation(
    verified, make_member, organisation, other_organisation
):
    client = verified(make_member(Role.PLATFORM_ADMIN, organisation))
    url = reverse(
        "organisations:organisation_edit", kwargs={"organisation_id": other_organisation.pk}
    )
    urk = Municipality.objects.get(name="Urk")
    response = client.post(
        url,
        {
            "name": "Kinderopvang Ander BV",
            "sector": other_organisation.sector,
            "municipality": urk.pk,
            "works_in": [urk.pk],
            "postcode": "8321",
            "place": "Urk",
            "is_active": "on",
        },
    )
    assert response["Location"] == reverse("organisations:organisation_list")
    other_organisation.refresh_from_db()
    assert other_organisation.name == "Kinderopvang Ander BV"
    assert list(other_organisation.works_in.all()) == [urk]


def test_functional_admin_cannot_post_an_organisation_change(verified, make_member, organisation):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    url = reverse("organisations:organisation_edit", kwargs={"organisation_id": organisation.pk})
    response = client.post(url, {"name": "Overgenomen", "sector": "overig"})
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "Basisschool Eigen"


def test_platform_admin_adds_a_functional_admin_from_the_organisation_page(
    verified, make_member, organisation, other_organisation
):
    client = verified(make_member(Role.PLATFORM_ADMIN, organisation))
    edit = reverse(
        "organisations:organisation_edit", kwargs={"organisation_id": other_organisation.pk}
    )
    page = client.get(edit).content.decode()
    assert "nog geen functioneel beheerder" in page
    response = client.post(
        reverse(
            "organisations:organisation_admin_create",
            kwargs={"organisation_id": other_organisation.pk},
        ),
        {
            "username": "B.Heer",
            "first_name": "Bea",
            "last_name": "Heer",
            "email": "bea@example.invalid",
        },
    )
    assert response.status_code == 200
    assert f'href="{edit}"' in response.content.decode()
    membership = Membership.objects.get(user__username="b.heer")
    assert enrolment_code_find(user=membership.user, code=response.context["code"])
    assert (membership.organisation, membership.role) == (
        other_organisation,
        Role.FUNCTIONAL_ADMIN,
    )
    assert mail.outbox[0].to == ["bea@example.invalid"]
    assert "Bea Heer (b.heer)" in client.get(edit).content.decode()


@pytest.mark.parametrize("username", ["a b", ".jansen", "jan$", ""])
def test_member_create_refuses_a_malformed_username_in_dutch(
    verified, make_member, organisation, username
):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    response = client.post(
        reverse("organisations:member_create"),
        {
            "username": username,
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "email": "nieuwe.collega@example.invalid",
            "role": Role.PROFESSIONAL,
        },
    )
    assert response.status_code == 200
    assert "gebruikersnaam" in response.content.decode().lower()
    assert not Membership.objects.filter(user__email="nieuwe.collega@example.invalid").exists()


def test_functional_admin_switches_api_keys_on_and_off_for_roles(
    verified, make_member, organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    client = verified(admin)
    url = reverse("organisations:api_keys")
    assert url in client.get(reverse("core:start")).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["roles"].value() == []
    labels = dict(page.context["form"].fields["roles"].choices)
    assert Role.PLATFORM_ADMIN.value not in labels
    assert labels[Role.PROFESSIONAL] == "Professional (ziet cliëntgegevens)"

    response = client.post(url, {"roles": [Role.FUNCTIONAL_ADMIN, Role.POLICY_ADVISER]})
    assert response["Location"] == url
    assert set(ApiKeyRole.objects.values_list("role", flat=True)) == {
        Role.FUNCTIONAL_ADMIN,
        Role.POLICY_ADVISER,
    }
    assert client.get(url).context["form"]["roles"].value() == [
        Role.FUNCTIONAL_ADMIN,
        Role.POLICY_ADVISER,
    ]
    client.post(url, {})
    assert not ApiKeyRole.objects.exists()
    assert AccessLogEntry.objects.filter(user=admin, subject_type="organisatie").count() == 4


def test_the_platform_role_cannot_be_switched_on_through_the_form(
    verified, make_member, organisation
):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    response = client.post(reverse("organisations:api_keys"), {"roles": [Role.PLATFORM_ADMIN]})
    assert response.status_code == 200
    assert response.context["form"].errors["roles"]
    assert not ApiKeyRole.objects.exists()


def test_platform_admin_sees_which_roles_an_organisation_allows_keys(
    verified, make_member, organisation, other_organisation
):
    ApiKeyRole.objects.create(organisation=organisation, role=Role.FUNCTIONAL_ADMIN)
    client = verified(make_member(Role.PLATFORM_ADMIN, other_organisation))
    listing = client.get(reverse("organisations:organisation_list")).content.decode()
    assert "Functioneel beheerder" in listing
    assert "niemand" in listing  # the other organisation
    edit = client.get(
        reverse("organisations:organisation_edit", kwargs={"organisation_id": organisation.pk})
    )
    assert edit.context["api_key_roles"] == [Role.FUNCTIONAL_ADMIN]
    other = client.get(
        reverse(
            "organisations:organisation_edit", kwargs={"organisation_id": other_organisation.pk}
        )
    )
    assert "Uit: niemand kan namens deze organisatie" in other.content.decode()


# --- Enrolment codes ------------------------------------------------------------------------------


def test_the_authenticator_reset_shows_a_new_enrolment_code_once(
    verified, make_member, organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    client = verified(admin)
    response = client.post(
        reverse("organisations:member_mfa_reset", kwargs={"user_id": colleague.pk})
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    code = response.context["code"]
    assert code in response.content.decode()
    assert enrolment_code_find(user=colleague, code=code) is not None
    detail = client.get(reverse("organisations:member_detail", kwargs={"user_id": colleague.pk}))
    assert code not in detail.content.decode()
    assert "de activeringscode werkt tot" in detail.content.decode()
    assert "Nieuwe activeringscode" in detail.content.decode()


def test_a_new_enrolment_code_replaces_the_lost_one(verified, make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    client = verified(admin)
    url = reverse("organisations:member_enrolment_code", kwargs={"user_id": colleague.pk})
    # Someone with an authenticator gets no code: the beheerder resets it instead.
    response = client.post(url)
    assert response["Location"] == reverse(
        "organisations:member_detail", kwargs={"user_id": colleague.pk}
    )
    assert not colleague.enrolment_codes.exists()

    first = client.post(
        reverse("organisations:member_mfa_reset", kwargs={"user_id": colleague.pk})
    ).context["code"]
    response = client.post(url)
    assert response.status_code == 200
    second = response.context["code"]
    assert enrolment_code_find(user=colleague, code=first) is None
    assert enrolment_code_find(user=colleague, code=second) is not None
    row = AccessLogEntry.objects.get(part="activeringscode")
    assert (row.user, row.subject_id, row.organisation) == (admin, str(colleague.pk), organisation)


def test_no_enrolment_code_for_a_platform_admin_or_another_organisation(
    verified, make_member, organisation, other_organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    platform = make_member(Role.PLATFORM_ADMIN, organisation)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    platform.totpdevice_set.all().delete()
    stranger.totpdevice_set.all().delete()
    client = verified(admin)
    for user, status in ((platform, 302), (stranger, 404)):
        response = client.post(
            reverse("organisations:member_enrolment_code", kwargs={"user_id": user.pk})
        )
        assert response.status_code == status
        assert not user.enrolment_codes.exists()
