"""Personal API tokens: made and revoked by their owner only."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from meldwijzer.accounts.models import ApiToken
from meldwijzer.accounts.services import AccountError, api_token_create, api_token_revoke
from meldwijzer.audit.models import AccessLogEntry, Action, Outcome, Purpose
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user

pytestmark = pytest.mark.django_db


def _revoke_url(token: ApiToken) -> str:
    return reverse("accounts:api_token_revoke", kwargs={"token_id": token.pk})


def test_the_page_shows_the_secret_once_and_only_own_tokens(verified, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    api_token_create(actor=actor_for_user(user=colleague), name="van-een-collega")
    client = verified(user)
    response = client.post(reverse("accounts:api_tokens"), {"name": "mijn koppeling"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user)
    assert response.context["new_secret"].startswith(f"mw_{token.prefix}_")
    assert [t.name for t in response.context["tokens"]] == ["mijn koppeling"]
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
    assert entry.outcome == Outcome.DENIED
    assert (entry.subject_type, entry.subject_id) == ("api-sleutel", str(token.pk))


def test_service_refuses_a_token_of_someone_else(make_member, organisation):
    owner = make_member(Role.PROFESSIONAL, organisation)
    other = make_member(Role.PROFESSIONAL, organisation)
    token, _ = api_token_create(actor=actor_for_user(user=owner), name="koppeling")
    with pytest.raises(AccountError):
        api_token_revoke(actor=actor_for_user(user=other), token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
