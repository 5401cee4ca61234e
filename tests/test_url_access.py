"""Who may open which URL: every URL pattern × every role × own/other organisation, and anonymous.

The table below is the single statement of who may open what. A URL pattern that is not in the
table makes `test_every_url_pattern_is_in_the_table` fail: a new page has to be added here, with
its rule, before it can be merged.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from meldwijzer.accounts.models import ApiToken, User
from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case, Entry, Person
from meldwijzer.instruments.models import InstrumentResult
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import API_KEY_ROLES, Permission, Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.models import AccessGrant, LegalHold, ResourceKind
from meldwijzer.social_map.models import ImportJob, ImportStatus
from tests.conftest import force_verified_login
from tests.factories import (
    ApiTokenFactory,
    MembershipFactory,
    OrganisationFactory,
    allow_api_keys,
)
from tests.instruments.builders import record_result
from tests.privacy.builders import shared_summary
from tests.social_map.builders import directory_records

LOGIN = "redirect to login"
ALL = frozenset(Role)
NOBODY: frozenset[Role] = frozenset()
FA = frozenset({Role.FUNCTIONAL_ADMIN})
PA = frozenset({Role.PLATFORM_ADMIN})


@dataclass(frozen=True)
class Access:
    roles: frozenset[Role]
    """Roles that may open the URL (for an object URL: the object of their own organisation)."""
    other: frozenset[Role] = NOBODY
    """Roles that may open the object of another organisation (object URLs only)."""
    method: str = "get"
    """'post' for views that only accept POST; they are also checked to refuse GET with 405."""
    ok: int = 200
    """Status for someone who may open it."""
    redirect: str = ""
    """For ok=302: the URL name the allowed request is sent on to."""
    anonymous: int | str = LOGIN
    """Status for someone not logged in, or LOGIN: a redirect to the login page."""
    denied: int = 403
    """Status for a role that may not open it."""
    other_denied: int = 404
    """Status for an allowed role asking for another organisation's object."""


def _redirect(name: str, method: str = "get") -> Access:
    """A URL everyone may use that sends them on to `name`."""
    return Access(ALL, method=method, ok=302, redirect=name)


CASE_ROLES = frozenset(
    {Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.CASE_COORDINATOR}
)  # the roles with CASE_WORK: in the own-organisation scope they are the case's responsible
OVERSEE = frozenset({Role.MELDCODE_OFFICER})
CASE_PAGE = Access(CASE_ROLES)
# Cases in the API: a case out of reach is 'not found' (404), also for roles without case work.
CASE_API = Access(CASE_ROLES, anonymous=401, denied=404)
# Writes take JSON only: the table's form-encoded POST reaches the case and is then refused (415).
CASE_API_POST = Access(CASE_ROLES, method="post", ok=415, anonymous=401, denied=404)

MEMBER_ACTION = Access(
    FA, method="post", ok=302, redirect="organisations:member_detail", anonymous=LOGIN
)

URL_ACCESS: dict[str, Access] = {
    # Public pages and the login flow.
    "core:home": Access(ALL, anonymous=200),
    "accounts:login": Access(ALL, ok=302, redirect="core:start", anonymous=200),
    "accounts:mfa": _redirect("accounts:login"),  # without a pending login: back to login
    "accounts:mfa_setup": _redirect("accounts:login"),
    "accounts:logout": _redirect("accounts:login", method="post"),
    "accounts:logout_everywhere": Access(ALL, method="post", ok=302, redirect="accounts:login"),
    "accounts:password_reset": Access(ALL, anonymous=200),
    "accounts:password_reset_done": Access(ALL, anonymous=200),
    "accounts:password_reset_confirm": Access(ALL, anonymous=200),  # shows "link invalid"
    "accounts:password_reset_complete": Access(ALL, anonymous=200),
    # Everyone with a role.
    "core:start": Access(ALL),
    "accounts:account": Access(ALL),
    "accounts:organisation_switch": _redirect("core:start", method="post"),
    "accounts:api_tokens": Access(API_KEY_ROLES),  # where the organisation allows them
    "accounts:api_token_revoke": _redirect("accounts:api_tokens", method="post"),
    # Functioneel beheer: people of one's own organisation.
    "organisations:member_list": Access(FA),
    "organisations:member_create": Access(FA),
    "organisations:member_detail": Access(FA),
    "organisations:member_deactivate": MEMBER_ACTION,
    "organisations:member_reactivate": MEMBER_ACTION,
    # The reset answers with the new enrolment code, shown once.
    "organisations:member_mfa_reset": Access(FA, method="post", anonymous=LOGIN),
    # A new enrolment code: refused (back to the page) for someone who has an authenticator.
    "organisations:member_enrolment_code": MEMBER_ACTION,
    "organisations:api_keys": Access(FA),
    # Platformbeheer: all organisations.
    "organisations:organisation_list": Access(PA),
    "organisations:organisation_create": Access(PA),
    "organisations:organisation_edit": Access(PA, other=PA),
    "organisations:organisation_admin_create": Access(PA, other=PA),
    # Access log.
    "audit:access_log": Access(FA | PA),
    "audit:verify": Access(PA),
    # API.
    "api:root": Access(ALL, anonymous=401),
    "api:schema": Access(ALL, anonymous=200),
    "api:me": Access(ALL, anonymous=401),
    "api:organisation-list": Access(ALL, anonymous=401),
    "api:organisation-detail": Access(ALL, other=ALL, anonymous=401),
    "api:member-list": Access(FA, anonymous=401),
    "api:member-detail": Access(FA, anonymous=401, denied=404),
    "api:access-log": Access(FA | PA, anonymous=401),
    "api:case-list": Access(CASE_ROLES, anonymous=401),
    "api:case-detail": CASE_API,
    "api:case-report": CASE_API,
    "api:case-access-log": CASE_API,  # who looked: the responsible professional only
    "api:case-entries": CASE_API_POST,
    "api:case-weighings": CASE_API_POST,
    "api:case-move": CASE_API_POST,
    "api:case-decision": CASE_API_POST,
    "api:case-persons": CASE_API_POST,
    "api:case-client": CASE_API_POST,
    "api:case-report-now": CASE_API_POST,
    # The client's copy and own statement: who may see the case (`cases.selectors.case_get`).
    "api:case-copies": CASE_API,
    "api:case-statements": CASE_API,
    "rights:copy": CASE_PAGE,
    "rights:statement": CASE_PAGE,
    # The meldcode dossier: one's own cases; the aandachtsfunctionaris sees the organisation's.
    "cases:list": Access(CASE_ROLES),
    "cases:create": Access(CASE_ROLES),
    "cases:organisation_overview": Access(OVERSEE),
    "cases:detail": CASE_PAGE,
    "cases:person_create": CASE_PAGE,
    "cases:person_replace": CASE_PAGE,
    "cases:person_bsn": CASE_PAGE,
    "cases:client": CASE_PAGE,
    "cases:report_now": CASE_PAGE,
    "cases:history": CASE_PAGE,
    "cases:access_history": CASE_PAGE,
    "cases:entry_create": CASE_PAGE,
    "cases:entry_correct": CASE_PAGE,
    "cases:conversation_prepare": CASE_PAGE,
    "cases:weighing": CASE_PAGE,
    "cases:decide": CASE_PAGE,
    "cases:close": CASE_PAGE,
    "cases:move": Access(CASE_ROLES, method="post", ok=302, redirect="cases:detail"),
    "cases:report_print": CASE_PAGE,
    "cases:report_pdf": CASE_PAGE,
    "cases:report_json": CASE_PAGE,
    # Sharing a consultation summary: from the case; what is shared is read by the grantee only
    # (without a grant in force every entry is 'not found', for every role).
    "cases:consultation_share": CASE_PAGE,
    "cases:consultation_unshare": Access(
        CASE_ROLES, method="post", ok=302, redirect="cases:detail"
    ),
    "cases:consent_withdraw": Access(CASE_ROLES, method="post", ok=302, redirect="cases:detail"),
    "cases:shared_list": Access(ALL),
    "cases:shared_consultation": Access(NOBODY, denied=404),
    "api:case-entry-grants": CASE_API,
    "api:case-grant-revoke": Access(CASE_ROLES, method="post", anonymous=401, denied=404),
    "api:case-grounds": CASE_API,
    "api:case-ground-withdraw": CASE_API_POST,
    "api:shared-list": Access(ALL, anonymous=401),
    "api:retention": Access(ALL, anonymous=401),
    # Legal holds: the aandachtsfunctionaris and functioneel beheer, on their own organisation's
    # files (the case's hold page shows only its reference, open or closed).
    "cases:holds": Access(OVERSEE | FA),
    "api:holds": Access(OVERSEE | FA, anonymous=401),
    # Lifting takes JSON only: the table's form-encoded POST reaches the hold, then 415.
    "api:hold_lift": Access(OVERSEE | FA, method="post", ok=415, anonymous=401),
    "api:shared-consultation": Access(NOBODY, anonymous=401, denied=404),
    # Instruments on a case: who may see the case; choosing and uploading: functioneel beheer.
    "instruments:case": CASE_PAGE,
    "instruments:fill": CASE_PAGE,
    "instruments:compare": CASE_PAGE,
    "instruments:result": CASE_PAGE,
    "instruments:manage": Access(FA),
    "instruments:upload": Access(FA),
    "instruments:definition": Access(FA),
    "instruments:source": Access(FA),
    "instruments:toggle": Access(FA, method="post", ok=302, redirect="instruments:manage"),
    "instruments:edit": Access(FA),
    "api:instrument-list": Access(ALL, anonymous=401),
    "api:instrument-detail": Access(ALL, anonymous=401),
    # Adjusting takes JSON only: the table's form-encoded POST passes the checks, then 415.
    "api:instrument-versions": Access(FA, method="post", ok=415, anonymous=401),
    "api:case-instrument-results": CASE_API,
    "api:case-instrument-result-detail": CASE_API,
    # Sociale kaart: public search, service pages and export for anyone; the professional view for
    # every role; the routekaart for case work; records kept by their owner organisation's
    # functioneel beheerder and by platformbeheer; the full export for platformbeheer only.
    "social_map:public_search": Access(ALL, anonymous=200),
    "social_map:public_service": Access(ALL, other=ALL, anonymous=200),
    "social_map:export_public_json": Access(ALL, anonymous=200),
    "social_map:export_public_csv": Access(ALL, anonymous=200),
    "social_map:search": Access(ALL),
    "social_map:service_detail": Access(ALL, other=ALL),
    "social_map:route": Access(CASE_ROLES),
    "social_map:case_route": CASE_PAGE,
    "social_map:manage": Access(FA | PA),
    "social_map:provider_create": Access(FA | PA),
    "social_map:provider_edit": Access(FA | PA, other=PA),
    "social_map:provider_verify": Access(
        FA | PA, other=PA, method="post", ok=302, redirect="social_map:provider_edit"
    ),
    "social_map:service_create": Access(FA | PA, other=PA),
    "social_map:service_edit": Access(FA | PA, other=PA),
    "social_map:service_verify": Access(
        FA | PA, other=PA, method="post", ok=302, redirect="social_map:service_edit"
    ),
    "social_map:location_create": Access(FA | PA, other=PA),
    "social_map:location_edit": Access(FA | PA, other=PA),
    "social_map:import": Access(FA | PA),
    # An import job: the one who started it, and platformbeheer ('other': someone else's).
    "social_map:import_job": Access(FA | PA, other=PA),
    "social_map:export_full_json": Access(PA),
    "social_map:export_full_csv": Access(PA),
    "api:directory-organization-list": Access(ALL, anonymous=200),
    "api:directory-organization-detail": Access(ALL, other=ALL, anonymous=200),
    "api:directory-service-list": Access(ALL, anonymous=200),
    "api:directory-service-detail": Access(ALL, other=ALL, anonymous=200),
}

# URL keyword arguments that name an object of an organisation: these URLs are checked for an
# object of the actor's own organisation and for one of another organisation.
OBJECT_KWARGS = {
    "user_id",
    "organisation_id",
    "token_id",
    "case_id",
    "entry_id",
    "person_id",
    "result_id",
    "provider_id",
    "service_id",
    "location_id",
    "organization_uid",
    "service_uid",
    "job_id",
    "grant_id",
    "ground_id",
    "hold_id",
}
# URLs whose `entry_id` names a consultation summary.
CONSULTATION_URLS = {"cases:consultation_share", "api:case-entry-grants"}
# The sociale kaart's records, owned by the own or the other organisation.
DIRECTORY_KWARGS = {"provider_id", "service_id", "location_id", "organization_uid", "service_uid"}
# Keyword arguments that do not name an organisation's object.
FIXED_KWARGS = {
    "uidb64": "MQ",
    "token": "ongeldig-token",
    "kind": "signal",
    "key": "huisbezoek_scan",
}


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = "", route: str = ""
) -> Iterator[tuple[str, str, frozenset[str]]]:
    """(qualified name, route, URL argument names) for every URL pattern, recursively."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, inner, route + str(entry.pattern))
        else:
            full_route = route + str(entry.pattern)
            name = entry.name or f"<unnamed {full_route}>"
            qualified = f"{namespace}:{name}" if namespace else name
            yield qualified, full_route, frozenset(entry.pattern.converters)


@cache
def url_patterns() -> tuple[tuple[str, str, frozenset[str]], ...]:
    return tuple(_walk(get_resolver().url_patterns))


def url_kwargs(name: str) -> frozenset[str]:
    return next(kwargs for pattern_name, _, kwargs in url_patterns() if pattern_name == name)


def test_every_url_pattern_is_in_the_table():
    patterns = url_patterns()
    names = [name for name, _, _ in patterns]
    assert len(names) == len(set(names)), "two URL patterns share a name"
    # A family's coordination file has its own table, with a team scope (tests/coordination).
    from tests.coordination.test_url_access import is_coordination_url
    from tests.datalab.test_access import is_datalab_url
    from tests.followups.test_url_coverage import is_followup_url
    from tests.trainings.test_access import is_trainings_url

    def elsewhere(name: str) -> bool:
        return (
            is_coordination_url(name)
            or is_followup_url(name)
            or is_datalab_url(name)
            or is_trainings_url(name)
        )

    names = [name for name in names if not elsewhere(name)]
    missing = sorted(set(names) - set(URL_ACCESS))
    assert not missing, f"URL patterns without an access rule in URL_ACCESS: {missing}"
    stale = sorted(set(URL_ACCESS) - set(names))
    assert not stale, f"access rules for URL patterns that no longer exist: {stale}"
    for name, route, kwargs in patterns:
        if elsewhere(name):
            continue
        unknown = kwargs - OBJECT_KWARGS - set(FIXED_KWARGS)
        assert not unknown, f"{name} ({route}) has URL arguments the access test cannot fill"


def test_the_walk_finds_nested_and_namespaced_patterns():
    found = {name: route for name, route, _ in url_patterns()}
    assert found["core:home"] == ""
    assert found["organisations:member_detail"] == "beheer/medewerkers/<int:user_id>/"
    assert found["api:member-detail"] == "api/v1/members/<int:user_id>/"


def test_the_table_covers_every_role():
    # Roles without any page of their own would point at a missing rule.
    for role in Role:
        assert any(role in rule.roles for rule in URL_ACCESS.values())


def _scopes(name: str) -> list[str]:
    """The own organisation's objects, and for a URL that names objects also another's."""
    return ["own", "other"] if url_kwargs(name) & OBJECT_KWARGS else ["own"]


@dataclass
class CaseObjects:
    """A case with one signal, one person and one instrument result, opened by `user`, and a
    consultation summary shared with an aandachtsfunctionaris of another organisation."""

    case: Case
    entry: Entry
    person: Person
    result: InstrumentResult
    consultation: Entry
    grant: AccessGrant

    @classmethod
    def open(cls, user: User) -> CaseObjects:
        actor = actor_for_user(user=user)
        case = case_services.case_open(
            actor=actor, title="Zorgen", profession="algemeen", client="kind"
        )
        entry = case_services.case_record_entry(
            actor=actor, case=case, expected_version=case.version, kind="signal",
            data={"date": "2024-01-01", "category": "overig", "source": "eigen", "facts": "Feit."},
        )  # fmt: skip
        person = case_services.case_record_person(
            actor=actor, case=case, expected_version=case.version, kind="child", name="Kind",
            bsn="999990019",
        )  # fmt: skip
        result = record_result(actor, case)
        consultation = case_services.case_record_entry(
            actor=actor, case=case, expected_version=case.version, kind="consultation",
            data={"date": "2024-01-02", "consulted": "aandachtsfunctionaris", "advice": "Advies."},
        )  # fmt: skip
        return cls(case, entry, person, result, consultation, shared_summary(actor, consultation))


@dataclass
class World:
    organisation: Organisation
    other_organisation: Organisation
    colleague: User
    stranger: User
    stranger_token: ApiToken
    colleague_case: CaseObjects
    stranger_case: CaseObjects
    own_cases: dict[int, CaseObjects] = field(default_factory=dict)

    def actor_with(self, role: Role) -> tuple[User, ApiToken]:
        user = MembershipFactory(role=role, organisation=self.organisation).user
        if role in API_KEY_ROLES:
            token, _ = api_token_create(actor=actor_for_user(user=user), name="eigen")
        else:  # never allowed API keys; a token of its own to revoke still has to be found
            token = ApiTokenFactory(user=user, organisation=self.organisation)
        if actor_for_user(user=user).can(Permission.CASE_WORK):
            # Case pages in the own scope: a case this person is responsible for.
            self.own_cases[token.pk] = CaseObjects.open(user)
        return user, token

    def kwargs(self, name: str, scope: str, own_token: ApiToken | None) -> dict[str, Any]:
        own = scope == "own"
        case = self.stranger_case
        if own:
            case = self.own_cases.get(own_token.pk if own_token else 0, self.colleague_case)
        objects = {
            "user_id": (self.colleague if own else self.stranger).pk,
            "organisation_id": (self.organisation if own else self.other_organisation).pk,
            "token_id": (own_token if own and own_token else self.stranger_token).pk,
            "case_id": case.case.pk,
            "entry_id": case.entry.pk,
            "person_id": case.person.pk,
            "result_id": case.result.pk,
            "grant_id": case.grant.pk,
            "ground_id": case.grant.ground_id,
        }
        if name in CONSULTATION_URLS:
            objects["entry_id"] = case.consultation.pk
        names = url_kwargs(name)
        if "job_id" in names:
            objects["job_id"] = ImportJob.objects.create(
                user=own_token.user if own and own_token else self.stranger,
                organisation=self.organisation if own else self.other_organisation,
                source="sociale-kaart.json",
                status=ImportStatus.DONE,
            ).pk
        if "hold_id" in names:
            objects["hold_id"] = LegalHold.objects.create(
                resource_kind=ResourceKind.CASE,
                resource_id=case.case.pk,
                client_pseudonym=case.case.client_pseudonym,
                reference=case.case.reference,
                organisation=case.case.organisation,
                reason="Klachtprocedure",
                placed_by=case.case.responsible,
                placed_at=case.case.opened_at,
            ).pk
        if names & DIRECTORY_KWARGS:
            records = directory_records(self.organisation if own else self.other_organisation)
            objects.update(
                provider_id=records.provider.pk,
                service_id=records.service.pk,
                location_id=records.location.pk,
                organization_uid=records.provider.uid,
                service_uid=records.service.uid,
            )
        return {key: value for key, value in {**objects, **FIXED_KWARGS}.items() if key in names}

    def url(self, name: str, scope: str, own_token: ApiToken | None = None) -> str:
        return reverse(name, kwargs=self.kwargs(name, scope, own_token))


@pytest.fixture
def world(db: None) -> World:
    organisation = OrganisationFactory(name="Basisschool Eigen")
    other = OrganisationFactory(name="Kinderopvang Ander")
    # Both organisations allow every role API keys that may hold them, so the page for making
    # them is open to those roles here; the default (no role) is tested in tests/accounts.
    allow_api_keys(organisation, *API_KEY_ROLES)
    allow_api_keys(other, *API_KEY_ROLES)
    colleague = MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation).user
    stranger = MembershipFactory(role=Role.PROFESSIONAL, organisation=other).user
    stranger_token, _ = api_token_create(actor=actor_for_user(user=stranger), name="vreemd")
    return World(
        organisation,
        other,
        colleague,
        stranger,
        stranger_token,
        CaseObjects.open(colleague),
        CaseObjects.open(stranger),
    )


def _request(client: Client, rule: Access, url: str, world: World) -> Any:
    if rule.method == "post":
        return client.post(url, {"organisation": world.organisation.pk})
    return client.get(url)


def _denied_rows(user: User) -> int:
    return AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).count()


def each_undone(client: Client, checks: Iterable[Callable[[], str]]) -> list[str]:
    """Run every check in a savepoint that is rolled back afterwards, with the client's cookies
    as they were, so each URL meets the world as it was built: one URL's write (a POST that is
    allowed, a refusal's log row, logging out) cannot change what the next sees. The problems
    found, one line each."""
    problems = []
    for check in checks:
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            problem = check()
            transaction.set_rollback(True)
        client.cookies = cookies
        if problem:
            problems.append(problem)
    return problems


def _role_problem(client: Client, world: World, actor: User, own_token: ApiToken, name: str,
                  role: Role, scope: str) -> str:  # fmt: skip
    """What is wrong with one URL for one role and scope, or '' when it answers as the table says."""
    rule = URL_ACCESS[name]
    kwargs = world.kwargs(name, scope, own_token)

    response = _request(client, rule, reverse(name, kwargs=kwargs), world)

    if scope == "own":
        allowed, refusal = role in rule.roles, rule.denied
    else:
        allowed = role in rule.other
        refusal = rule.other_denied if role in rule.roles else rule.denied
    where = f"{name} ({scope})"
    if allowed:
        if response.status_code != rule.ok:
            return (
                f"{where}: {response.status_code}, expected {rule.ok}: {response.content[:300]!r}"
            )
        if rule.ok == 302:
            target_kwargs = {k: v for k, v in kwargs.items() if k in url_kwargs(rule.redirect)}
            if response["Location"] != reverse(rule.redirect, kwargs=target_kwargs):
                return f"{where}: sent to {response['Location']}, expected {rule.redirect}"
        if _denied_rows(actor) != 0:
            return f"{where}: allowed, yet a refusal was logged"
        return ""
    if response.status_code != refusal:
        return f"{where}: {response.status_code}, expected {refusal}: {response.content[:300]!r}"
    # Every refusal is in the access log, for the person who tried.
    if _denied_rows(actor) != 1:
        return f"{where}: refused, but not once in the access log"
    return ""


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_role_access(client, world, role):
    """Every URL of the table for one role, on its own organisation's objects and (for object
    URLs) another's; the world is built once for them all."""
    actor, own_token = world.actor_with(role)
    force_verified_login(client, actor)
    checks = (
        partial(_role_problem, client, world, actor, own_token, name, role, scope)
        for name in URL_ACCESS
        for scope in _scopes(name)
    )
    problems = each_undone(client, checks)
    assert not problems, f"{role.value}:\n" + "\n".join(problems)


def _anonymous_problem(client: Client, world: World, name: str) -> str:
    rule = URL_ACCESS[name]
    url = world.url(name, "own")
    response = _request(client, rule, url, world)
    if rule.anonymous == LOGIN:
        if response.status_code != 302 or not response["Location"].startswith(
            reverse("accounts:login")
        ):
            return f"{name}: {response.status_code}, expected the login page"
    elif response.status_code != rule.anonymous:
        return f"{name}: {response.status_code}, expected {rule.anonymous}"
    if url.startswith("/api/v1/") and rule.anonymous != 200:
        if response.status_code not in (401, 403):
            return f"{name}: {response.status_code}, expected 401 or 403"
        if not response["Content-Type"].startswith("application/json"):
            return f"{name}: answered {response['Content-Type']}, expected JSON"
    return ""


def test_anonymous_access(client, world):
    problems = each_undone(
        client, (partial(_anonymous_problem, client, world, name) for name in URL_ACCESS)
    )
    assert not problems, "anonymous:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", [n for n, rule in URL_ACCESS.items() if rule.method == "post"])
def test_post_only_views_refuse_get(client, world, name):
    url = world.url(name, "own")
    assert client.get(url).status_code == 405
    admin, _ = world.actor_with(Role.FUNCTIONAL_ADMIN)
    force_verified_login(client, admin)
    assert client.get(url).status_code == 405


def test_member_detail_of_another_organisation_is_logged_as_denied(client, world):
    admin, _ = world.actor_with(Role.FUNCTIONAL_ADMIN)
    force_verified_login(client, admin)
    url = reverse("organisations:member_detail", kwargs={"user_id": world.stranger.pk})
    assert client.get(url).status_code == 404
    entry = AccessLogEntry.objects.get(user=admin, outcome=AccessOutcome.DENIED)
    assert entry.organisation == world.organisation
    assert entry.role == Role.FUNCTIONAL_ADMIN
    assert entry.subject_type == "gebruiker"
    assert entry.subject_id == str(world.stranger.pk)


@pytest.mark.parametrize("role", sorted(ALL - PA))
def test_organisation_edit_without_platform_role_is_logged_as_denied(client, world, role):
    actor, _ = world.actor_with(role)
    force_verified_login(client, actor)
    for organisation in (world.organisation, world.other_organisation):
        url = reverse(
            "organisations:organisation_edit", kwargs={"organisation_id": organisation.pk}
        )
        assert client.get(url).status_code == 403
        # The refusal names the organisation asked for, not the page.
        assert AccessLogEntry.objects.filter(
            user=actor,
            outcome=AccessOutcome.DENIED,
            subject_type="organisatie",
            subject_id=str(organisation.pk),
            organisation=world.organisation,
        ).exists()
    assert _denied_rows(actor) == 2


def test_organisation_edit_of_an_unknown_organisation_is_logged_as_denied(client, world):
    admin, _ = world.actor_with(Role.PLATFORM_ADMIN)
    force_verified_login(client, admin)
    missing = Organisation.objects.order_by("-pk").first().pk + 100
    url = reverse("organisations:organisation_edit", kwargs={"organisation_id": missing})
    assert client.get(url).status_code == 404
    entry = AccessLogEntry.objects.get(user=admin, outcome=AccessOutcome.DENIED)
    assert (entry.subject_type, entry.subject_id) == ("organisatie", str(missing))
