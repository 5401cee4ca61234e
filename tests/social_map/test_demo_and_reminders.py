"""The demo sociale kaart of Noordoostpolder, and the reminders to owners of stale records."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from meldwijzer.accounts.demo import load as load_accounts
from meldwijzer.organisations.demo import load as load_organisations
from meldwijzer.social_map import hsds
from meldwijzer.social_map.demo import load as load_demo
from meldwijzer.social_map.models import Location, Provider, Service
from meldwijzer.social_map.selectors import Criteria, service_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_organisations()
    load_accounts()
    load_demo()


def test_the_demo_holds_about_forty_services_across_the_region(demo):
    assert 35 <= Service.objects.count() <= 45
    names = set(Provider.objects.values_list("name", flat=True))
    assert {
        "Veilig Thuis Flevoland",
        "GGD Flevoland",
        "Gemeente Noordoostpolder",
        "Politie basisteam Noordoostpolder-Urk",
        "Sociaal Wijkteam Emmeloord",
        "Slachtofferhulp Nederland",
        "Centrum Seksueel Geweld Flevoland",
    } <= names
    for service in Service.objects.all():
        assert service.terms.filter(taxonomy="soorten_hulp").exists(), service
        assert service.areas.exists(), service
    groups = set(Service.objects.values_list("terms__code", flat=True))
    assert {"arbeidsmigranten", "statushouders", "lvb", "ouderen", "jongeren", "plegers"} <= groups
    assert Location.objects.get(name="Opvanghuis").confidential


def test_loading_the_demo_again_changes_nothing(demo):
    counts = (Provider.objects.count(), Service.objects.count(), Location.objects.count())
    load_demo()
    assert (Provider.objects.count(), Service.objects.count(), Location.objects.count()) == counts


def test_perpetrator_help_is_outside_the_region_so_distance_matters(demo):
    hits = service_search(Criteria(postcode="8302", help_types=("daderhulp",))).hits
    assert [(hit.service.provider.name, round(hit.distance_km)) for hit in hits] == [
        ("Centrum Omslag Zwolle", 34),
        ("Poli Keerpunt Almere", 53),
    ]


def test_the_demo_exports_validate(demo):
    for organization in json.loads(hsds.export_json(audience=hsds.PUBLIC)):
        assert hsds.validate(organization, "organization", "demo", compiled=True) == []
    assert "Geheimgehouden" not in hsds.export_json(audience=hsds.PUBLIC).decode()
    assert hsds.validate_tables(hsds.export_tables(audience=hsds.FULL)) == []


def test_some_demo_records_are_out_of_date(demo):
    out = _reminders()
    assert "te controleren" in out
    assert "Ouderenadviseur" in out


def _reminders(*args: str, **kwargs) -> str:
    from io import StringIO

    stdout = StringIO()
    call_command("social_map_reminders", *args, stdout=stdout, **kwargs)
    return stdout.getvalue()


def test_reminders_are_emailed_to_the_owners_beheerders(demo):
    Service.objects.update(verified_on=timezone.localdate())
    Provider.objects.update(verified_on=timezone.localdate())
    old = timezone.localdate() - datetime.timedelta(days=400)
    Service.objects.filter(name__in=["Gezinscoaching", "Juridisch advies"]).update(verified_on=old)
    out = _reminders("--email", "--base-url", "https://meldwijzer.example")
    assert "Sociaal Wijkteam Emmeloord: 1 te controleren" in out
    assert "Platformbeheer (geen eigenaar): 1 te controleren" in out
    by_recipient = {tuple(message.to): message for message in mail.outbox}
    assert set(by_recipient) == {
        ("beheer.wijkteam@demo.meldwijzer.invalid",),
        ("platformbeheer@demo.meldwijzer.invalid",),
    }
    wijkteam = by_recipient[("beheer.wijkteam@demo.meldwijzer.invalid",)]
    assert "Gezinscoaching" in wijkteam.body and "Juridisch advies" not in wijkteam.body
    assert "https://meldwijzer.example/sociale-kaart/beheer/" in wijkteam.body
    assert "Juridisch advies" in by_recipient[("platformbeheer@demo.meldwijzer.invalid",)].body
    assert all(
        message.subject == "Sociale kaart: 1 gegevens te controleren" for message in mail.outbox
    )


def test_reminder_days_can_be_given(demo):
    Service.objects.update(verified_on=timezone.localdate() - datetime.timedelta(days=10))
    Provider.objects.update(verified_on=timezone.localdate())
    assert "Alle gegevens zijn de afgelopen 30 dagen gecontroleerd." in _reminders("--days", "30")
    assert "te controleren" in _reminders("--days", "5")
