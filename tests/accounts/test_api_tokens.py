"""Personal API tokens: made and revoked by their owner only, and made only where the
organisation allows API keys for the owner's role (no role may by default)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from meldwijzer.accounts.models import ApiToken
from meldwijzer.accounts.services import (
    API_KEYS_NOT_ALLOWED,
    AccountError,
    api_token_create,
    api_token_revoke,
)
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose
from meldwijzer.organisations.models import ApiKeyRole, Membership
from meldwijzer.organisations.roles import API_KEY_ROLES, Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.factories import OrganisationFactory, allow_api_keys

pytestmark = pytest.mark.django_db


def _revoke_url(token: ApiToken) -> str:
    return reverse("accounts:api_token_revoke", kwargs={"token_id": token.pk})


@pytest.fixture(autouse=True)
def _professionals_may_hold_keys(organisation, other_organisation):
    """The tests below about owning tokens run where professionals may hold them; the tests
    about the setting itself make their own organisations."""
    allow_api_keys(organisation, Role.PROFESSIONAL)
    allow_api_keys(other_organisation, Role.PROFESSIONAL)


def test_the_page_shows_the_secret_once_and_only_own_tokens(verified, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    api_token_create(actor=actor_for_user(user=colleague), name="van-een-collega")
    client = verified(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "mijn koppeling"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert response.context["new_secret"].startswith(f"mw_{token.prefix}_")
    assert [row.token.name for row in response.context["tokens"]] == ["mijn koppeling"]
    again = client.get(reverse("accounts:api_tokens"))
    assert again.context["new_secret"] is None
    assert response.context["new_secret"] not in again.content.decode()


def test_owner_revokes_a_token(verified, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    token, _ = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    client = verified(user)
    response = client.post(_revoke_url(token))
    assert response["Location"] == reverse("accounts:api_tokens")
    token.refresh_from_db()
    assert token.revoked_at is not None
    entry = AccessLogEntry.objects.get(action=Action.DELETE)
    assert (entry.user, entry.subject_type, entry.subject_id) == (
        user,
        "api-sleutel",
        str(token.pk),
    )
    assert entry.purpose == Purpose.SECURITY

    response = client.post(_revoke_url(token))
    assert response["Location"] == reverse("accounts:api_tokens")
    assert "al ingetrokken" in str(list(get_messages(response.wsgi_request))[-1])
    assert AccessLogEntry.objects.filter(action=Action.DELETE).count() == 1


@pytest.mark.parametrize("same_organisation", [True, False])
def test_someone_elses_token_is_not_found_and_logged(
    verified, make_member, organisation, other_organisation, same_organisation
):
    owner = make_member(
        Role.PROFESSIONAL, organisation if same_organisation else other_organisation
    )
    token, _ = api_token_create(actor=actor_for_user(user=owner), name="koppeling")
    intruder = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    response = verified(intruder).post(_revoke_url(token))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    entry = AccessLogEntry.objects.get(user=intruder)
    assert entry.outcome == AccessOutcome.DENIED
    assert (entry.subject_type, entry.subject_id) == ("api-sleutel", str(token.pk))


def test_service_refuses_a_token_of_someone_else(make_member, organisation):
    owner = make_member(Role.PROFESSIONAL, organisation)
    other = make_member(Role.PROFESSIONAL, organisation)
    token, _ = api_token_create(actor=actor_for_user(user=owner), name="koppeling")
    with pytest.raises(AccountError):
        api_token_revoke(actor=actor_for_user(user=other), token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


# --- Only where the organisation allows it --------------------------------------------------------


def _refusals(user, action: Action) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(
            user=user, action=action, outcome=AccessOutcome.DENIED, subject_type="api-sleutel"
        )
    )


@pytest.mark.parametrize("role", list(Role))
def test_by_default_no_role_may_make_a_key(make_member, role):
    user = make_member(role, OrganisationFactory())
    with pytest.raises(AccountError, match="geen API-sleutels toe"):
        api_token_create(actor=actor_for_user(user=user), name="koppeling")
    assert not ApiToken.objects.exists()
    [refusal] = _refusals(user, Action.CREATE)
    assert (refusal.part, refusal.purpose) == ("niet toegestaan", Purpose.SECURITY)


@pytest.mark.parametrize("role", sorted(API_KEY_ROLES))
def test_a_role_switched_on_may_make_a_key_and_only_that_role(make_member, role):
    organisation = OrganisationFactory()
    allow_api_keys(organisation, role)
    user = make_member(role, organisation)
    token, _ = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    assert token.organisation == organisation
    for other in sorted(API_KEY_ROLES - {role}):
        with pytest.raises(AccountError):
            api_token_create(actor=actor_for_user(user=make_member(other, organisation)), name="x")
    assert ApiToken.objects.count() == 1


def test_the_platform_role_never_holds_a_key_even_with_a_stray_setting(make_member):
    organisation = OrganisationFactory()
    ApiKeyRole.objects.create(organisation=organisation, role=Role.PLATFORM_ADMIN)
    user = make_member(Role.PLATFORM_ADMIN, organisation)
    with pytest.raises(AccountError):
        api_token_create(actor=actor_for_user(user=user), name="koppeling")
    assert not ApiToken.objects.exists()


def test_the_setting_of_another_organisation_does_not_count(make_member, other_organisation):
    organisation = OrganisationFactory()
    user = make_member(Role.PROFESSIONAL, organisation)  # other_organisation allows professionals
    with pytest.raises(AccountError):
        api_token_create(actor=actor_for_user(user=user), name="koppeling")


def test_the_page_refuses_where_the_organisation_allows_no_keys(verified, make_member):
    user = make_member(Role.PROFESSIONAL, OrganisationFactory())
    client = verified(user)
    url = reverse("accounts:api_tokens")

    page = client.get(url)
    assert page.status_code == 403
    html = page.content.decode()
    assert API_KEYS_NOT_ALLOWED in html
    assert "Sleutel maken" not in html
    assert f'href="{url}"' not in html  # not in the menu either
    assert len(_refusals(user, Action.READ)) == 1

    posted = client.post(url, {"name": "mijn koppeling"})
    assert posted.status_code == 403
    assert API_KEYS_NOT_ALLOWED in posted.content.decode()
    assert not ApiToken.objects.exists()
    assert len(_refusals(user, Action.CREATE)) == 1


def test_the_refusing_page_still_lets_the_owner_revoke_a_key_that_stopped_working(
    verified, make_member, organisation
):
    user = make_member(Role.PROFESSIONAL, organisation)
    token, _ = api_token_create(actor=actor_for_user(user=user), name="oude koppeling")
    ApiKeyRole.objects.filter(organisation=organisation).delete()
    client = verified(user)
    page = client.get(reverse("accounts:api_tokens"))
    assert page.status_code == 403
    assert [row.state for row in page.context["tokens"]] == [
        "Werkt niet: niet toegestaan door de organisatie"
    ]
    assert _revoke_url(token) in page.content.decode()
    client.post(_revoke_url(token))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_menu_shows_the_page_where_keys_are_allowed(verified, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    page = verified(user).get(reverse("core:start"))
    assert f'href="{reverse("accounts:api_tokens")}"' in page.content.decode()


def test_a_person_with_two_organisations_may_make_keys_only_where_allowed(
    make_member, other_organisation
):
    home = OrganisationFactory()  # allows nobody; other_organisation allows professionals
    user = make_member(Role.PROFESSIONAL, home)
    Membership.objects.create(user=user, organisation=other_organisation, role=Role.PROFESSIONAL)
    with pytest.raises(AccountError):
        api_token_create(actor=actor_for_user(user=user, organisation_id=home.pk), name="x")
    token, _ = api_token_create(
        actor=actor_for_user(user=user, organisation_id=other_organisation.pk), name="y"
    )
    assert token.organisation == other_organisation
