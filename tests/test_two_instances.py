"""Two app servers behind one load balancer, on one PostgreSQL: what one server knows, the other
knows too (docs/performance.md, "Meer dan één server"; ADR 0039).

Two real gunicorn servers, as `meldwijzer serve` starts them, each with a data directory of its
own — only the uploaded meldcode documents are on shared storage (here: one directory both reach)
— and each with its own file of access-log checkpoints. The browser is one cookie jar that sends
its requests to either server, as a load balancer without sticky sessions would."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.sessions.models import Session
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.cases import services as case_services
from meldwijzer.followups.models import Reminder
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.trainings.models import MeldcodeAdoption, TrainingRecord, TrainingReminder
from tests.conftest import current_code
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    allow_api_keys_for,
)
from tests.faults.conftest import postgres_url
from tests.faults.killed_server import SRC, Server, server_environment
from tests.followups.access_api import member
from tests.followups.test_calendar import family_plan
from tests.followups.test_reminders import only_due

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_RATE = 8
PDF = b"%PDF-1.4\n% De meldcode van de opvang\n%%EOF\n"


@dataclass
class Instance:
    server: Server
    checkpoints: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"


@pytest.fixture(scope="module")
def instances(request, django_db_blocker, tmp_path_factory) -> Iterator[tuple[Instance, Instance]]:
    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("twee servers op één database: alleen PostgreSQL (SQLite is één server)")
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        database_url = postgres_url(connection.settings_dict)
    root = tmp_path_factory.mktemp("twee-servers")
    shared_documents = root / "gedeeld" / "meldcodes"
    shared_documents.mkdir(parents=True)
    common = {
        "DATABASE_URL": database_url,
        "MELDWIJZER_SECRET_KEY": "twee-servers-" + "x" * 50,
        "MELDWIJZER_AUDIT_KEY": settings.AUDIT_HMAC_KEY,
        "MELDWIJZER_PSEUDONYM_KEY": settings.PSEUDONYM_KEY,
        "MELDWIJZER_DATALAB_KEY": settings.DATALAB_KEY,
        "MELDWIJZER_SECURE_COOKIES": "0",
        "MELDWIJZER_PUBLIC_RATE": f"{PUBLIC_RATE}/min",
        "MELDWIJZER_AUDIT_CHECKPOINT_EVERY": "5",
        "MELDWIJZER_STATIC_ROOT": str(root / "static"),
    }
    made = []
    for name in ("a", "b"):
        data_dir = root / name / "data"
        data_dir.mkdir(parents=True)
        (data_dir / "meldcodes").symlink_to(shared_documents)
        checkpoints = root / name / "controlepunten.jsonl"
        environment = server_environment(
            data_dir, MELDWIJZER_AUDIT_CHECKPOINT_FILE=str(checkpoints), **common
        )
        made.append(Instance(Server(environment, root / name / "server.log"), checkpoints))
    subprocess.run(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        env=made[0].server.environment, check=True, cwd=SRC,
    )  # fmt: skip
    starters = [
        threading.Thread(
            target=i.server.start, kwargs={"token": "-", "probe": "/account/inloggen/"}
        )
        for i in made
    ]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join()
    try:
        yield made[0], made[1]
    finally:
        for instance in made:
            instance.server.stop()


def _csrf(browser: requests.Session, url: str) -> str:
    page = browser.get(url, allow_redirects=False)
    assert page.status_code == 200, page.text[:500]
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match, page.text[:500]
    return match.group(1)


def _log_in(browser: requests.Session, on: Instance, user, password: str = TEST_PASSWORD):
    login = on.url + reverse("accounts:login")
    token = _csrf(browser, login)
    fields = {"csrfmiddlewaretoken": token, "username": user.username, "password": password}
    return browser.post(login, fields, allow_redirects=False)


def _person(role: Role):
    """A member whose password the servers can check: they hash as in production, not as the
    test settings do."""
    user = MembershipFactory(role=role, organisation=OrganisationFactory()).user
    hasher = Argon2PasswordHasher()
    user.password = hasher.encode(TEST_PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def _signed_in(browser: requests.Session, on: Instance) -> bool:
    response = browser.get(on.url + reverse("accounts:account"), allow_redirects=False)
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def test_a_session_an_upload_the_idle_timeout_and_logout_hold_on_both(instances):
    a, b = instances
    user = _person(Role.FUNCTIONAL_ADMIN)
    browser = requests.Session()

    # Password on A, code on B: the login's state is in the database, not in one server.
    assert _log_in(browser, a, user).status_code == 302
    mfa = b.url + reverse("accounts:mfa")
    answer = {"csrfmiddlewaretoken": _csrf(browser, mfa), "token": current_code(user)}
    assert browser.post(mfa, answer, allow_redirects=False).status_code == 302
    assert _signed_in(browser, a) and _signed_in(browser, b)

    # An upload on A is downloadable on B.
    new = a.url + reverse("trainings:registry_meldcode_new")
    fields = {"csrfmiddlewaretoken": _csrf(browser, new), "title": "Meldcode opvang"}
    fields["adopted_on"] = timezone.localdate().isoformat()
    files = {"document": ("meldcode.pdf", PDF, "application/pdf")}
    assert browser.post(new, fields, files=files, allow_redirects=False).status_code == 302
    adoption = MeldcodeAdoption.objects.get(organisation__memberships__user=user)
    download = reverse("trainings:meldcode_document", args=[adoption.pk])
    assert browser.get(b.url + download).content == PDF

    # The idle timeout (the session row's expiry) ends the session on both servers.
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert not _signed_in(browser, a) and not _signed_in(browser, b)

    # Logging out on B ends the session on A. (A code counts once: the next login may reuse it.)
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    browser = requests.Session()
    assert _log_in(browser, b, user).status_code == 302
    answer = {"csrfmiddlewaretoken": _csrf(browser, mfa), "token": current_code(user)}
    browser.post(mfa, answer, allow_redirects=False)
    assert _signed_in(browser, a)
    logout = b.url + reverse("accounts:logout")
    token = _csrf(browser, b.url + reverse("accounts:account"))
    browser.post(logout, {"csrfmiddlewaretoken": token}, allow_redirects=False)
    assert not _signed_in(browser, a) and not _signed_in(browser, b)


def test_failed_logins_and_public_requests_spread_over_both_count_once(instances):
    a, b = instances
    with connection.cursor() as cursor:  # counts of an earlier run on a kept test database
        cursor.execute(f"DELETE FROM {settings.CACHE_TABLE}")  # noqa: S608 - a setting
    user = _person(Role.PROFESSIONAL)
    browser = requests.Session()
    failed = [
        _log_in(browser, (a, b)[attempt % 2], user, password="fout-wachtwoord").status_code
        for attempt in range(settings.AXES_FAILURE_LIMIT)
    ]
    # Wrong, wrong, …: the attempt that reaches the limit is refused, whichever server it reaches.
    assert failed == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # The right password, on either server, now waits the cool-off like on one server.
    assert _log_in(browser, a, user).status_code == 429
    assert _log_in(browser, b, user).status_code == 429

    # The public rate limit counts the requests of one address on both servers together.
    search = reverse("social_map:public_search")
    answers = [
        requests.get((a, b)[n % 2].url + search, timeout=30).status_code for n in range(PUBLIC_RATE)
    ]
    assert answers == [200] * PUBLIC_RATE
    assert requests.get(a.url + search, timeout=30).status_code == 429
    assert requests.get(b.url + search, timeout=30).status_code == 429


def test_the_daily_commands_on_both_at_once_send_each_reminder_once(instances):
    a, b = instances
    follower = member(Role.PROFESSIONAL, OrganisationFactory(name="GGD JGZ"))
    plan = family_plan(follower)
    today = timezone.localdate() + datetime.timedelta(days=400)
    only_due(plan, today + datetime.timedelta(days=1), today + datetime.timedelta(days=2))
    TrainingRecord.objects.create(
        organisation=follower.organisation, user=follower.user, kind="basis",
        completed_on=today - datetime.timedelta(days=800), provider="Augeo",
        recorded_by=follower.user,
    )  # fmt: skip

    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "django", command, "--today", today.isoformat()],
            env=instance.server.environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=SRC,
        )
        for command in ("reminders", "trainings_reminders")
        for instance in (a, b)
    ]
    mails = 0
    for run in runs:
        output, errors = run.communicate(timeout=120)
        assert run.returncode == 0, errors.decode()[-2000:]
        mails += output.decode().count("\nSubject: ")
    assert Reminder.objects.count() == 2
    assert TrainingReminder.objects.count() == 1
    assert mails == 2  # one per professional per command, from either server, never both


def test_the_access_log_chains_verify_after_use_through_both_at_once(instances):
    a, b = instances
    for instance in (a, b):  # the earlier tests' checkpoints name chains their end emptied
        instance.checkpoints.write_text("")
    user = MembershipFactory(role=Role.PROFESSIONAL, organisation=OrganisationFactory()).user
    allow_api_keys_for(user)
    actor = actor_for_user(user=user)
    _, token = api_token_create(actor=actor, name="twee servers")
    case = case_services.case_open(actor=actor, title="Twee", profession="onderwijs", client="kind")
    logged = AccessLogEntry.objects.count()
    reads = 15
    statuses: list[int] = []

    def read(instance: Instance) -> None:
        for _ in range(reads):
            status, _body = instance.server.request("GET", f"/api/v1/cases/{case.pk}/", token=token)
            statuses.append(status)

    readers = [threading.Thread(target=read, args=(i,)) for i in (a, b, a, b)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()

    assert statuses == [200] * 4 * reads
    assert AccessLogEntry.objects.count() - logged >= 4 * reads
    result = audit_chain_verify([a.checkpoints, b.checkpoints])
    assert result.problems == []
    assert result.checkpoints_checked
