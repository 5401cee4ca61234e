"""The API as a contract: authentication, the error format, access rules and the access log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from meldwijzer.accounts.models import ApiToken
from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, Outcome
from meldwijzer.organisations.models import ApiKeyRole, Membership
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.organisations.services import organisation_api_key_roles_set
from tests.conftest import force_verified_login, login_with_mfa
from tests.factories import allow_api_keys, allow_api_keys_for

pytestmark = pytest.mark.django_db


def bearer(user, organisation=None) -> tuple[Client, ApiToken]:
    actor = actor_for_user(user=user, organisation_id=organisation.pk if organisation else None)
    allow_api_keys_for(user, actor.organisation)
    token, secret = api_token_create(actor=actor, name="koppeling")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}"), token


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()["error"]
    assert body["status"] == status
    assert body["code"] == code
    assert body["message"]
    return body


def test_anonymous_gets_401_in_the_error_format(client):
    body = assert_error(client.get("/api/v1/me/"), 401, "niet_ingelogd")
    assert "niet" in body["message"].lower()  # Dutch message


def test_unknown_api_url_is_a_json_404(client):
    assert_error(client.get("/api/v1/bestaat-niet/"), 404, "niet_gevonden")


def test_schema_is_public_openapi_listing_every_endpoint(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/me/",
        "/api/v1/organisations/",
        "/api/v1/organisations/{organisation_id}/",
        "/api/v1/members/",
        "/api/v1/members/{user_id}/",
        "/api/v1/access-log/",
    ]:
        assert path in schema["paths"], path
    assert {"apiToken", "sessie"} <= set(schema["components"]["securitySchemes"])


def test_verified_session_can_use_the_api(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    login_with_mfa(client, user)
    data = client.get("/api/v1/me/").json()
    assert data["username"] == user.username
    assert data["organisation"]["name"] == organisation.name
    assert data["roles"] == ["professional"]
    assert "case.work" in data["permissions"]


def test_session_without_second_factor_is_not_accepted(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client.force_login(user)  # password-level login only, no TOTP
    assert_error(client.get("/api/v1/me/"), 401, "niet_ingelogd")


def test_session_post_without_csrf_token_is_refused(client, make_member, organisation):
    user = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    login_with_mfa(client, user)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.get("/api/v1/me/").status_code == 200
    response = strict.post("/api/v1/members/", data="{}", content_type="application/json")
    body = assert_error(response, 403, "geen_toegang")
    assert "CSRF" in body["message"]


def test_token_acts_for_the_organisation_it_was_made_for(
    make_member, organisation, other_organisation
):
    user = make_member(Role.PROFESSIONAL, organisation)
    Membership.objects.create(
        user=user, organisation=other_organisation, role=Role.FUNCTIONAL_ADMIN
    )
    api, _ = bearer(user, other_organisation)
    me = api.get("/api/v1/me/").json()
    assert me["organisation"]["name"] == other_organisation.name
    assert me["roles"] == ["functional_admin"]


def test_only_a_hash_of_the_token_secret_is_stored(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    allow_api_keys_for(user)
    token, full = api_token_create(actor=actor_for_user(user=user), name="koppeling")
    _, prefix, secret = full.split("_", 2)
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert stored["prefix"] == prefix
    assert stored["secret_hash"] == ApiToken.hash_secret(secret)
    assert not any(secret in str(value) for value in stored.values())


@pytest.mark.parametrize(
    "header",
    ["Bearer mw_deadbeef_geheim", "Bearer onzin", "Bearer mw_", "Bearer mw_x_y_z"],
)
def test_malformed_or_unknown_tokens_are_refused(client, header):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert_error(response, 401, "niet_ingelogd")
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_expired_and_orphaned_tokens_stop_working(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    api, token = bearer(user)
    assert api.get("/api/v1/me/").status_code == 200

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(api.get("/api/v1/me/"), 401, "niet_ingelogd")

    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=1))
    Membership.objects.filter(user=user).update(is_active=False)
    assert_error(api.get("/api/v1/me/"), 401, "niet_ingelogd")

    Membership.objects.filter(user=user).update(is_active=True)
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    assert_error(api.get("/api/v1/me/"), 401, "niet_ingelogd")


def test_members_endpoint_follows_the_same_rules_as_the_pages(
    make_member, organisation, other_organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    colleague = make_member(Role.PROFESSIONAL, organisation)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    api, _ = bearer(admin)

    listed = {row["username"] for row in api.get("/api/v1/members/").json()["results"]}
    assert listed == {admin.username, colleague.username}

    assert api.get(f"/api/v1/members/{colleague.pk}/").json()["username"] == colleague.username
    assert_error(api.get(f"/api/v1/members/{stranger.pk}/"), 404, "niet_gevonden")
    denied = AccessLogEntry.objects.filter(
        user=admin, subject_type="gebruiker", subject_id=str(stranger.pk)
    ).get()
    assert denied.outcome == Outcome.DENIED

    professional_api, _ = bearer(colleague)
    assert_error(professional_api.get("/api/v1/members/"), 403, "geen_toegang")
    assert AccessLogEntry.objects.filter(user=colleague, outcome=Outcome.DENIED).exists()


def test_access_log_endpoint_shows_only_own_organisation_to_its_admin(
    make_member, organisation, other_organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    bearer(stranger)  # writes a log row on behalf of the other organisation
    api, _ = bearer(admin)
    rows = api.get("/api/v1/access-log/").json()["results"]
    assert rows
    assert {row["organisation"] for row in rows} == {organisation.pk}
    assert {row["chain"] for row in rows} == {organisation.pk}
    # reading the log is itself logged
    assert AccessLogEntry.objects.filter(user=admin, subject_type="toegangslogboek").exists()


def test_platform_admin_reads_the_whole_log_and_professionals_none(
    make_member, organisation, other_organisation
):
    platform = make_member(Role.PLATFORM_ADMIN, organisation)
    professional = make_member(Role.PROFESSIONAL, other_organisation)
    bearer(professional)
    bearer(make_member(Role.PROFESSIONAL, organisation))
    api = force_verified_login(Client(), platform)  # the platform role holds no API keys
    organisations = {
        row["organisation"] for row in api.get("/api/v1/access-log/").json()["results"]
    }
    assert {organisation.pk, other_organisation.pk} <= organisations
    professional_api, _ = bearer(professional)
    assert_error(professional_api.get("/api/v1/access-log/"), 403, "geen_toegang")


def test_organisations_are_paged_and_filterable(make_member, organisation, other_organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    api, _ = bearer(user)
    data = api.get("/api/v1/organisations/?page_size=1").json()
    assert data["count"] >= 2
    assert len(data["results"]) == 1
    assert data["next"]
    assert_error(api.get("/api/v1/organisations/?page=999"), 404, "niet_gevonden")
    sector = api.get(f"/api/v1/organisations/?sector={organisation.sector}").json()
    assert all(row["sector"] == organisation.sector for row in sector["results"])


def test_write_methods_are_refused_in_the_error_format(make_member, organisation):
    user = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    api, _ = bearer(user)
    response = api.post(
        "/api/v1/organisations/", data="{niet: json", content_type="application/json"
    )
    assert_error(response, 405, "methode_niet_toegestaan")


# --- A token works only while its organisation allows API keys for the holder's role -------------


def test_a_token_made_while_allowed_fails_after_the_beheerder_switches_it_off(
    make_member, organisation
):
    beheerder = actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, organisation))
    organisation_api_key_roles_set(actor=beheerder, roles={Role.POLICY_ADVISER})
    user = make_member(Role.POLICY_ADVISER, organisation)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="dashboard")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/me/").status_code == 200

    organisation_api_key_roles_set(actor=beheerder, roles=set())
    body = assert_error(api.get("/api/v1/me/"), 401, "niet_ingelogd")
    assert "geen API-sleutels" in body["message"]
    refusal = AccessLogEntry.objects.get(user=user, outcome=Outcome.DENIED)
    assert (refusal.subject_type, refusal.part) == ("api-sleutel", "niet toegestaan")
    assert refusal.organisation == organisation

    # Switched on again, the same token works again until it expires.
    organisation_api_key_roles_set(actor=beheerder, roles={Role.POLICY_ADVISER})
    assert api.get("/api/v1/me/").status_code == 200


def test_a_token_fails_when_its_holder_loses_the_role_that_allowed_it(make_member, organisation):
    allow_api_keys(organisation, Role.POLICY_ADVISER)
    user = make_member(Role.POLICY_ADVISER, organisation)
    api, _ = bearer(user)
    assert api.get("/api/v1/me/").status_code == 200
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROFESSIONAL)
    Membership.objects.filter(user=user, role=Role.POLICY_ADVISER).update(is_active=False)
    assert_error(api.get("/api/v1/me/"), 401, "niet_ingelogd")


def test_a_token_acts_only_in_the_roles_that_may_hold_keys(make_member, organisation):
    """A beheerder who is also a professional does not reach case data through a key that the
    organisation allows beheerders only."""
    allow_api_keys(organisation, Role.FUNCTIONAL_ADMIN)
    user = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    Membership.objects.create(user=user, organisation=organisation, role=Role.PROFESSIONAL)
    _, secret = api_token_create(actor=actor_for_user(user=user), name="beheer")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    me = api.get("/api/v1/me/").json()
    assert me["roles"] == ["functional_admin"]
    assert "case.work" not in me["permissions"]
    assert_error(api.get("/api/v1/cases/"), 403, "geen_toegang")
    assert api.get("/api/v1/members/").status_code == 200


def test_a_token_fails_when_its_organisation_is_switched_off(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    api, _ = bearer(user)
    assert api.get("/api/v1/me/").status_code == 200
    ApiKeyRole.objects.filter(organisation=organisation).delete()
    assert_error(api.get("/api/v1/me/"), 401, "niet_ingelogd")
