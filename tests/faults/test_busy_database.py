"""A database that stays busy longer than a request may wait: the answer is 503 with
`Retry-After` and a Dutch message, never a 500 and never a success; nothing of the refused
write is stored, and the same request succeeds once the database is free. On SQLite another
connection holds the write lock past the busy timeout; on PostgreSQL it holds the case's row past
the lock timeout."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, OperationalError, connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.cases import services
from meldwijzer.cases.models import Case, Entry
from meldwijzer.core.views import DATABASE_BUSY_AFTER_CHANGE
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.rights.models import ClientStatement
from tests.conftest import force_verified_login
from tests.factories import allow_api_keys_for
from tests.faults.conftest import SharedDatabase, postgres_url
from tests.rights.builders import family_case

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_MS = 300


@pytest.fixture
def wait_briefly(shared_database: SharedDatabase) -> Iterator[None]:
    """This process's connections give up after WAIT_MS instead of the configured wait, for this
    test only."""
    settings_dict = connections.settings["default"]
    configured = settings_dict.get("OPTIONS", {})
    options = dict(configured)
    if connection.vendor == "sqlite":
        options["init_command"] = options["init_command"].replace(
            "busy_timeout=10000", f"busy_timeout={WAIT_MS}"
        )
    else:
        options["options"] = f"{options.get('options', '')} -c lock_timeout={WAIT_MS}".strip()
    settings_dict["OPTIONS"] = options
    connections["default"].close()
    try:
        yield
    finally:
        connections["default"].close()
        settings_dict["OPTIONS"] = configured


@contextmanager
def held(database: SharedDatabase, case: Case) -> Iterator[None]:
    """Another connection holds what a write to `case` needs: SQLite's write lock, or on
    PostgreSQL the case's row."""
    if database.vendor == "sqlite":
        other = sqlite3.connect(database.sqlite_file, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with psycopg.connect(postgres_url(connection.settings_dict)) as other:
        other.execute("SELECT id FROM cases_case WHERE id = %s FOR UPDATE", [case.pk])
        yield
        other.rollback()


def test_a_busy_database_is_a_503_and_stores_nothing(
    shared_database, wait_briefly, make_member, organisation
):
    user = make_member(Role.PROFESSIONAL, organisation)
    allow_api_keys_for(user)
    actor = actor_for_user(user=user)
    _, token = api_token_create(actor=actor, name="koppeling")
    case = services.case_open(actor=actor, title="Bezet", profession="onderwijs", client="kind")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}", raise_request_exception=False)
    page = force_verified_login(Client(raise_request_exception=False), user)
    body = {
        "version": case.version,
        "kind": "signal",
        "data": {
            "date": timezone.localdate().isoformat(),
            "category": "lichamelijk",
            "source": "eigen",
            "facts": "Blauwe plek.",
        },
    }
    entries = f"/api/v1/cases/{case.pk}/entries/"

    with held(shared_database, case):
        refused = api.post(entries, body, content_type="application/json")
        if shared_database.vendor == "sqlite":  # a page saves its session after the view
            busy_page = page.get(reverse("core:home"))

    assert refused.status_code == 503, refused.content
    assert refused["Retry-After"] == "5"
    error = refused.json()["error"]
    assert error["code"] == "database_bezet"
    assert error["message"].startswith("De database was bezet")
    assert Case.objects.get(pk=case.pk).version == case.version
    assert not Entry.objects.filter(case=case).exists()
    if shared_database.vendor == "sqlite":
        assert busy_page.status_code == 503
        assert "Probeer het over enkele seconden opnieuw" in busy_page.content.decode()

    assert api.post(entries, body, content_type="application/json").status_code == 201
    assert Entry.objects.filter(case=case).count() == 1


def test_a_change_stored_before_the_session_failed_is_not_invited_again(
    make_member, organisation, monkeypatch
):
    """The view stored the client's statement (which carries no version), then saving the
    session met a busy database. The answer says the change may be stored and asks not to send it
    again — on the page and in the API — instead of inviting a second copy."""
    user = make_member(Role.PROFESSIONAL, organisation)
    case = family_case(actor_for_user(user=user))
    mother = case.persons.get(name="Moeder Gezag")
    page = force_verified_login(Client(raise_request_exception=False), user)

    def busy_save(self: SessionStore, must_create: bool = False) -> None:
        try:
            raise OperationalError("database is locked")
        except DatabaseError as error:  # as `SessionStore.save` turns it into
            raise UpdateError from error

    monkeypatch.setattr(SessionStore, "save", busy_save)
    today = timezone.localdate().isoformat()
    answer = page.post(
        reverse("rights:statement", args=[case.pk]),
        {"person": mother.pk, "given_on": today, "text": "Mijn kant."},
    )
    api_answer = page.post(
        f"/api/v1/cases/{case.pk}/statements/",
        {"person_id": mother.pk, "given_on": today, "text": "Mijn kant."},
        content_type="application/json",
    )
    assert ClientStatement.objects.filter(case=case).count() == 2
    assert answer.status_code == api_answer.status_code == 503
    assert "Stuur het verzoek niet opnieuw" in answer.content.decode()
    assert api_answer.json()["error"]["message"] == DATABASE_BUSY_AFTER_CHANGE
    assert not answer.has_header("Retry-After") and not api_answer.has_header("Retry-After")
