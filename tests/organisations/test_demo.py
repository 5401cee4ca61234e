"""The demo region loads, and loading it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.demo import DEMO_PASSWORD, DEMO_USERS
from meldwijzer.accounts.models import User
from meldwijzer.demo import demo_load
from meldwijzer.organisations.demo import ORGANISATIONS
from meldwijzer.organisations.models import ApiKeyRole, Membership, Municipality, Organisation
from meldwijzer.organisations.selectors import actor_api_key_roles, actor_for_user
from meldwijzer.trainings.demo_registry import SYNTHETIC_PREFIX

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


def _counts() -> dict[str, int]:
    return {
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "works_in": Organisation.works_in.through.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "devices": TOTPDevice.objects.count(),
    }


def test_demo_load_is_idempotent():
    demo_load()
    first = _counts()
    assert first["organisations"] == len(ORGANISATIONS)
    # The meldcode registry adds synthetic professionals (no login) so its protected coverage
    # figures are not all hidden; every account one can log in with is in DEMO_USERS.
    people = User.objects.exclude(username__startswith=SYNTHETIC_PREFIX)
    assert people.count() == len(DEMO_USERS)
    assert first["devices"] == len(DEMO_USERS)
    assert Membership.objects.filter(user__in=people).count() == sum(
        len(roles) for *_, roles in DEMO_USERS
    )
    assert (
        not User.objects.filter(username__startswith=SYNTHETIC_PREFIX)
        .exclude(password__startswith="!")
        .exists()
    )
    demo_load()
    assert _counts() == first


def test_the_demo_load_command_refuses_a_database_that_is_not_the_demos():
    """The test database is not in a demo data directory (and on PostgreSQL not SQLite at all):
    the command refuses in Dutch and loads nothing. `tests/test_cli.py` runs it where it may."""
    before = _counts()
    with pytest.raises(CommandError, match=r"De demo start niet: .* Er is niets gewijzigd\."):
        call_command("demo_load", stdout=io.StringIO())
    assert _counts() == before


def test_demo_load_again_keeps_changed_passwords():
    demo_load()
    user = User.objects.get(username="docent")
    assert user.check_password(DEMO_PASSWORD)
    user.set_password("Eigen-gekozen-wachtwoord-1")
    user.save()
    demo_load()
    user.refresh_from_db()
    assert user.check_password("Eigen-gekozen-wachtwoord-1")


def test_every_demo_user_gets_the_roles_listed():
    demo_load()
    for username, _, _, roles in DEMO_USERS:
        user = User.objects.get(username=username)
        actual = set(Membership.objects.filter(user=user).values_list("organisation__name", "role"))
        assert actual == {(organisation, str(role)) for organisation, role in roles}
        assert actor_for_user(user=user) is not None


def test_in_the_demo_only_the_schools_beheerder_may_hold_api_keys():
    demo_load()
    may_hold = {
        username
        for username, *_ in DEMO_USERS
        if actor_api_key_roles(actor=actor_for_user(user=User.objects.get(username=username)))
    }
    assert may_hold == {"beheer.school"}
    demo_load()
    assert ApiKeyRole.objects.count() == 1
