"""Pseudonym keys with ids: the matching key and the datalab key are separate, every identity key
is stored with the id of the key that made it, and only pseudonyms of the same key are compared."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings

from meldwijzer.cases import services
from meldwijzer.cases.models import Case, Person
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.pseudonyms import (
    Pseudonym,
    datalab_key_id,
    identity_fields,
    identity_key,
    identity_key_id,
    key_id,
    research_pseudonym,
    same_pseudonym,
)
from tests.factories import MembershipFactory

BSN = "123456782"


def test_the_datalab_key_is_a_secret_like_the_others():
    assert "MELDWIJZER_DATALAB_KEY" in django_settings.SECRETS
    assert (
        django_settings.DATALAB_KEY and django_settings.DATALAB_KEY != django_settings.PSEUDONYM_KEY
    )


def test_a_key_id_is_a_stable_fingerprint_that_reveals_nothing(settings):
    settings.PSEUDONYM_KEY = "sleutel-een"
    first = identity_key_id()
    assert first == identity_key_id() and len(first) == 12
    assert "sleutel" not in first
    settings.PSEUDONYM_KEY = "sleutel-twee"
    assert identity_key_id() != first
    # The same secret used for another purpose has another id.
    assert key_id("sleutel-een", "matching") != key_id("sleutel-een", "datalab")


def test_identity_fields_carry_the_key_id_only_with_a_key(settings):
    settings.PSEUDONYM_KEY = "sleutel-een"
    assert identity_fields(bsn=BSN) == {
        "identity_key": identity_key(bsn=BSN),
        "identity_key_id": identity_key_id(),
    }
    assert identity_fields(name="Zoë") == {"identity_key": "", "identity_key_id": ""}


@pytest.mark.django_db
def test_cases_and_people_store_the_key_id_beside_the_identity_key(settings):
    settings.PSEUDONYM_KEY = "sleutel-een"
    actor = actor_for_user(user=MembershipFactory(role=Role.PROFESSIONAL).user)
    case = services.case_open(
        actor=actor, title="Zorgen", profession="onderwijs", client="kind", name="Kind", bsn=BSN
    )
    person = case.persons.get()
    assert (case.identity_key_id, person.identity_key_id) == (identity_key_id(),) * 2
    settings.PSEUDONYM_KEY = "sleutel-twee"
    parent = services.case_record_person(
        actor=actor, case=case, expected_version=case.version, kind="parent", name="Ouder",
        date_of_birth=datetime.date(1990, 1, 1),
    )  # fmt: skip
    assert parent.identity_key_id == identity_key_id() != case.identity_key_id
    nameless = services.case_open(
        actor=actor, title="Zonder naam", profession="onderwijs", client="kind"
    )
    assert (nameless.identity_key, nameless.identity_key_id) == ("", "")


@pytest.mark.django_db
def test_the_migration_gives_existing_identity_keys_the_current_key_id(settings):
    settings.PSEUDONYM_KEY = "sleutel-een"
    actor = actor_for_user(user=MembershipFactory(role=Role.PROFESSIONAL).user)
    case = services.case_open(
        actor=actor, title="Zorgen", profession="onderwijs", client="kind", name="Kind", bsn=BSN
    )
    Case.objects.filter(pk=case.pk).update(identity_key_id="")
    Person.objects.filter(case=case).update(identity_key_id="")
    migration = importlib.import_module("meldwijzer.cases.migrations.0006_identity_key_id")
    migration.existing_keys_have_the_current_id(django_apps, None)
    case.refresh_from_db()
    assert case.identity_key_id == identity_key_id()
    assert set(Person.objects.filter(case=case).values_list("identity_key_id", flat=True)) == {
        identity_key_id()
    }


def test_only_pseudonyms_of_the_same_key_are_compared():
    value = identity_key(bsn=BSN)
    assert same_pseudonym(Pseudonym(value, "a1"), Pseudonym(value, "a1"))
    assert not same_pseudonym(Pseudonym(value, "a1"), Pseudonym(value, "b2"))
    assert not same_pseudonym(Pseudonym(value, "a1"), Pseudonym("ander", "a1"))
    assert not same_pseudonym(Pseudonym("", "a1"), Pseudonym("", "a1"))


def test_research_pseudonyms_use_the_datalab_key_only(settings):
    settings.PSEUDONYM_KEY, settings.DATALAB_KEY = "koppel-een", "datalab-een"
    identity = identity_key(bsn=BSN)
    made = research_pseudonym(identity=identity)
    assert made.value.startswith("rp-") and len(made.value) == 35
    assert made.key_id == datalab_key_id() != identity_key_id()
    assert identity not in made.value and made.value[3:] not in identity
    # The matching key does not change it; the datalab key does, and so does its id.
    settings.PSEUDONYM_KEY = "koppel-twee"
    assert research_pseudonym(identity=identity) == made
    settings.DATALAB_KEY = "datalab-twee"
    rotated = research_pseudonym(identity=identity)
    assert rotated.value != made.value and rotated.key_id != made.key_id
    assert not same_pseudonym(rotated, made)


def test_research_pseudonyms_follow_the_person_or_else_the_file(settings):
    settings.DATALAB_KEY = "datalab-een"
    identity = identity_key(bsn=BSN)
    assert research_pseudonym(identity=identity, client_pseudonym="cl-1") == research_pseudonym(
        identity=identity, client_pseudonym="cl-2"
    )
    assert research_pseudonym(client_pseudonym="cl-1") != research_pseudonym(
        client_pseudonym="cl-2"
    )
    assert research_pseudonym(client_pseudonym="cl-1") != research_pseudonym(identity="cl-1")
    assert research_pseudonym() == Pseudonym("", "")
