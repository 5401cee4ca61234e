"""Enrolment codes from the command line: the first platformbeheerder, and one who lost theirs.

No functioneel beheerder may reset a platformbeheerder's authenticator, so the server's
administrator does it with `meldwijzer manage enrolment_code`.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import ApiToken, User, UserSession
from meldwijzer.accounts.services import enrolment_code_find
from meldwijzer.audit.models import AccessLogEntry
from meldwijzer.organisations.roles import Role
from tests.conftest import force_verified_login
from tests.factories import ApiTokenFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")


def _run(*args: str) -> str:
    output = io.StringIO()
    call_command(*args, stdout=output)
    return output.getvalue()


def test_createadmin_prints_the_first_enrolment_code(monkeypatch):
    monkeypatch.setenv("MELDWIJZER_ADMIN_PASSWORD", "Een-lang-wachtwoord-2026")
    output = _run(
        "createadmin", "--username", "beheer", "--email", "b@example.invalid",
        "--organisation", "Gemeente Test",
    )  # fmt: skip
    user = User.objects.get(username="beheer")
    code = CODE.search(output).group()
    assert "72 uur geldig" in output
    assert enrolment_code_find(user=user, code=code) is not None
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_new_code_for_someone_without_an_authenticator_is_logged(make_member, organisation):
    user = make_member(Role.PLATFORM_ADMIN, organisation)
    TOTPDevice.objects.filter(user=user).delete()
    first = CODE.search(_run("enrolment_code", "--username", user.username)).group()
    second = CODE.search(_run("enrolment_code", "--username", user.username)).group()
    assert enrolment_code_find(user=user, code=first) is None  # replaced
    assert enrolment_code_find(user=user, code=second) is not None
    rows = AccessLogEntry.objects.filter(part="activeringscode", subject_id=str(user.pk))
    assert set(rows.values_list("username", flat=True)) == {"opdrachtregel"}
    assert rows.count() == 2


def test_an_existing_authenticator_is_only_replaced_with_reset(client, make_member, organisation):
    user = make_member(Role.PLATFORM_ADMIN, organisation)
    token = ApiTokenFactory(user=user, organisation=organisation)
    force_verified_login(client, user)
    with pytest.raises(CommandError, match="al een authenticator"):
        _run("enrolment_code", "--username", user.username)
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    code = CODE.search(_run("enrolment_code", "--username", user.username, "--reset")).group()
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert enrolment_code_find(user=user, code=code) is not None
    assert not UserSession.objects.filter(user=user).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    reset = AccessLogEntry.objects.get(part="tweestapsverificatie")
    assert (reset.username, reset.subject_id) == ("opdrachtregel", str(user.pk))


def test_an_unknown_username_is_refused():
    with pytest.raises(CommandError, match="geen actief account"):
        _run("enrolment_code", "--username", "niemand")
