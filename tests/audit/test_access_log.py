"""What the access log records: one row per login, logout and beheer action, never content."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose
from meldwijzer.audit.selectors import access_log_list
from meldwijzer.organisations import services
from meldwijzer.organisations.models import Membership, Municipality, Organisation, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.conftest import login_with_mfa

pytestmark = pytest.mark.django_db

FIELDS = {
    "id",
    "ground",
    "chain",
    "sequence",
    "occurred_at",
    "user",
    "username",
    "organisation",
    "role",
    "action",
    "subject_type",
    "subject_id",
    "client_id",
    "part",
    "purpose",
    "outcome",
    "ip_address",
    "previous_hash",
    "entry_hash",
}


def _new_rows(since: int) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(id__gt=since).order_by("id"))


def _last_sequence() -> int:
    """The id of the last row: ids grow across all chains, sequence numbers only within one."""
    entry = AccessLogEntry.objects.order_by("-id").first()
    return entry.id if entry else 0


def _only_new_row(since: int) -> AccessLogEntry:
    rows = _new_rows(since)
    assert len(rows) == 1, [str(row) for row in rows]
    return rows[0]


def test_the_log_has_only_fixed_fields():
    assert {field.name for field in AccessLogEntry._meta.get_fields()} == FIELDS


def test_login_writes_one_row(client, make_member, organisation):
    user = make_member(Role.CASE_COORDINATOR, organisation)
    login_with_mfa(client, user)
    entry = _only_new_row(0)
    assert entry.user == user
    assert entry.username == user.username
    assert entry.organisation == organisation
    assert entry.role == Role.CASE_COORDINATOR
    assert entry.action == Action.LOGIN
    assert entry.subject_type == "sessie"
    assert entry.purpose == Purpose.SECURITY
    assert entry.outcome == AccessOutcome.ALLOWED


def test_login_with_two_organisations_records_the_one_acted_for(
    client, make_member, organisation, other_organisation
):
    # The login acts for the home organisation: the one of the oldest role.
    user = make_member(Role.PROFESSIONAL, other_organisation)
    Membership.objects.create(user=user, organisation=organisation, role=Role.MELDCODE_OFFICER)
    login_with_mfa(client, user)
    entry = _only_new_row(0)
    assert (entry.organisation, entry.role) == (other_organisation, Role.PROFESSIONAL)


def test_failed_login_writes_one_denied_row(client, make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client.post(
        reverse("accounts:login"), {"username": user.username, "password": "fout-fout-fout"}
    )
    entry = _only_new_row(0)
    assert (entry.action, entry.outcome, entry.purpose) == (
        Action.LOGIN,
        AccessOutcome.DENIED,
        Purpose.SECURITY,
    )
    assert entry.username == user.username
    assert entry.organisation is None


def test_logout_writes_one_row(client, make_member, organisation):
    user = make_member(Role.MELDCODE_OFFICER, organisation)
    login_with_mfa(client, user)
    since = _last_sequence()
    client.post(reverse("accounts:logout"))
    entry = _only_new_row(since)
    assert entry.user == user
    assert entry.organisation == organisation
    assert entry.role == Role.MELDCODE_OFFICER
    assert (entry.action, entry.purpose, entry.outcome) == (
        Action.LOGOUT,
        Purpose.SECURITY,
        AccessOutcome.ALLOWED,
    )


@pytest.fixture
def admin(make_member, organisation):
    return make_member(Role.FUNCTIONAL_ADMIN, organisation)


@pytest.fixture
def colleague(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


def _assert_beheer_row(entry, admin, organisation, action, subject_id, part=""):
    assert entry.user == admin
    assert entry.organisation == organisation
    assert entry.role == Role.FUNCTIONAL_ADMIN
    assert entry.action == action
    assert entry.subject_type == "gebruiker"
    assert entry.subject_id == str(subject_id)
    assert entry.part == part
    assert entry.purpose == Purpose.ADMINISTRATION
    assert entry.outcome == AccessOutcome.ALLOWED
    assert entry.client_id == ""


@pytest.mark.parametrize(
    ("url_name", "part", "service", "status"),
    [
        ("organisations:member_deactivate", "uitgeschakeld", services.member_deactivate, 302),
        ("organisations:member_reactivate", "heractiveerd", services.member_reactivate, 302),
        # The reset answers with the new enrolment code, shown once.
        ("organisations:member_mfa_reset", "tweestapsverificatie", services.member_mfa_reset, 200),
    ],
)
def test_each_member_action_writes_one_row(
    verified, admin, colleague, organisation, url_name, part, service, status
):
    client = verified(admin)
    since = _last_sequence()
    response = client.post(reverse(url_name, kwargs={"user_id": colleague.pk}))
    assert response.status_code == status
    _assert_beheer_row(_only_new_row(since), admin, organisation, Action.UPDATE, colleague.pk, part)
    # And the same when the service is called directly.
    since = _last_sequence()
    service(actor=actor_for_user(user=admin), user=colleague)
    _assert_beheer_row(_only_new_row(since), admin, organisation, Action.UPDATE, colleague.pk, part)


def test_role_change_writes_one_row(verified, admin, colleague, organisation):
    client = verified(admin)
    response = client.post(
        reverse("organisations:member_detail", kwargs={"user_id": colleague.pk}),
        {"roles": [Role.PROFESSIONAL, Role.MELDCODE_OFFICER]},
    )
    assert response.status_code == 302
    rows = _new_rows(0)
    assert len(rows) == 1
    _assert_beheer_row(rows[0], admin, organisation, Action.UPDATE, colleague.pk, "rollen")


def test_member_creation_writes_one_row_without_the_persons_details(verified, admin, organisation):
    client = verified(admin)
    details = {
        "username": "nieuwe-collega",
        "first_name": "Wilhelmina",
        "last_name": "Zonderland",
        "email": "wilhelmina.zonderland@example.invalid",
        "role": Role.MELDCODE_OFFICER,
    }
    response = client.post(reverse("organisations:member_create"), details)
    assert response.status_code == 200  # the page with the enrolment code, shown once
    entry = _only_new_row(0)
    created = Membership.objects.get(user__username="nieuwe-collega").user
    _assert_beheer_row(entry, admin, organisation, Action.CREATE, created.pk)
    values = " ".join(str(v) for v in AccessLogEntry.objects.values_list().get())
    for secret in ("Wilhelmina", "Zonderland", "wilhelmina.zonderland", "nieuwe-collega"):
        assert secret not in values


def test_organisation_save_writes_one_row(make_member, organisation):
    platform = make_member(Role.PLATFORM_ADMIN, organisation)
    actor = actor_for_user(user=platform)
    new = Organisation(
        name="Nieuwe Opvang",
        sector=Sector.CHILDCARE,
        municipality=Municipality.objects.get(name="Urk"),
    )
    services.organisation_save(actor=actor, organisation=new, works_in=[])
    entry = _only_new_row(0)
    assert (entry.user, entry.organisation, entry.role) == (
        platform,
        organisation,
        Role.PLATFORM_ADMIN,
    )
    assert (entry.action, entry.subject_type, entry.subject_id) == (
        Action.CREATE,
        "organisatie",
        str(new.pk),
    )
    assert (entry.purpose, entry.outcome) == (Purpose.ADMINISTRATION, AccessOutcome.ALLOWED)
    since = _last_sequence()
    new.place = "Urk"
    services.organisation_save(actor=actor, organisation=new, works_in=[])
    assert _only_new_row(since).action == Action.UPDATE


def test_searching_the_log_does_not_store_the_search_terms(make_member, organisation):
    platform = make_member(Role.PLATFORM_ADMIN, organisation)
    list(
        access_log_list(
            actor=actor_for_user(user=platform),
            subject_type="dossier-zoekterm",
            subject_id="BSN-123456782",
            username="Jansen-zoekterm",
        )
    )
    entry = _only_new_row(0)
    assert entry.action == Action.SEARCH
    assert (entry.purpose, entry.role) == (Purpose.SUPERVISION, Role.PLATFORM_ADMIN)
    values = " ".join(str(v) for v in AccessLogEntry.objects.values_list().get())
    for term in ("dossier-zoekterm", "BSN-123456782", "Jansen-zoekterm"):
        assert term not in values


def test_a_functional_admin_reads_only_the_own_organisations_log(
    make_member, organisation, other_organisation
):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    login_with_mfa(Client(), stranger)
    rows = list(access_log_list(actor=actor_for_user(user=admin)))
    assert rows, "the read itself is logged and listed"
    assert {row.organisation_id for row in rows} == {organisation.pk}


def test_the_ip_address_is_recorded(make_member, organisation):
    user = make_member(Role.PROFESSIONAL, organisation)
    client = Client(REMOTE_ADDR="203.0.113.7")
    login_with_mfa(client, user)
    assert _only_new_row(0).ip_address == "203.0.113.7"
