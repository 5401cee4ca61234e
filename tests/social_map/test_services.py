"""Keeping the sociale kaart up to date: who may change what, the change log, verification,
and what the forms accept."""

from __future__ import annotations

import datetime

import pytest
from django import forms as django_forms
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import rules, selectors, services, taxonomies
from meldwijzer.social_map.forms import parse_areas
from meldwijzer.social_map.models import (
    ChangeAction,
    ChangeRecord,
    Contact,
    Location,
    Provider,
    Service,
)
from meldwijzer.social_map.services import AreaSpec, ContactSpec, DirectoryError
from tests.social_map.builders import directory_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_member, organisation):
    return actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, organisation))


@pytest.fixture
def platform(make_member, organisation):
    return actor_for_user(user=make_member(Role.PLATFORM_ADMIN, organisation))


def test_a_functioneel_beheerders_new_provider_is_owned_by_their_organisation(
    admin, organisation, other_organisation
):
    provider = services.provider_save(
        actor=admin,
        provider=Provider(name="Ons aanbod", description="x"),
        owner=other_organisation,  # ignored: only platformbeheer chooses an owner
    )
    assert provider.owner == organisation


def test_platformbeheer_chooses_and_changes_the_owner(platform, other_organisation):
    provider = services.provider_save(
        actor=platform, provider=Provider(name="Extern", description="x"), owner=None
    )
    assert provider.owner is None
    services.provider_save(actor=platform, provider=provider, owner=other_organisation)
    provider.refresh_from_db()
    assert provider.owner == other_organisation


def test_a_functioneel_beheerder_cannot_change_another_organisations_records(
    admin, other_organisation
):
    records = directory_records(other_organisation)
    records.provider.name = "Gekaapt"
    with pytest.raises(DirectoryError):
        services.provider_save(actor=admin, provider=records.provider)
    with pytest.raises(DirectoryError):
        services.service_save(actor=admin, service=records.service, terms={})
    with pytest.raises(DirectoryError):
        services.location_save(actor=admin, location=records.location)
    with pytest.raises(DirectoryError):
        services.service_verify(actor=admin, service=records.service)
    records.provider.refresh_from_db()
    assert records.provider.name != "Gekaapt"


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.MELDCODE_OFFICER, Role.POLICY_ADVISER])
def test_other_roles_change_nothing(make_member, organisation, role):
    actor = actor_for_user(user=make_member(role, organisation))
    records = directory_records(organisation)
    with pytest.raises(DirectoryError):
        services.provider_save(actor=actor, provider=Provider(name="x", description="x"))
    with pytest.raises(DirectoryError):
        services.service_verify(actor=actor, service=records.service)


def test_every_changed_field_is_logged_with_who_and_what(admin, organisation):
    records = directory_records(organisation)
    service = records.service
    before = ChangeRecord.objects.count()
    service.wait_time = "Twee weken"
    services.service_save(
        actor=admin,
        service=service,
        terms={"soorten_hulp": ["opvang"], "doelgroepen": ["volwassenen"], "vormen_van_geweld": []},
        languages=["nl", "pl"],
        areas=[AreaSpec("gemeente", "Noordoostpolder")],
    )
    changes = {
        record.field_name: record
        for record in ChangeRecord.objects.filter(resource_uid=service.uid)
    }
    assert ChangeRecord.objects.count() - before == len(changes) == 3
    assert changes["wait_time"].replacement_value == "Twee weken"
    assert changes["wait_time"].previous_value == ""
    assert changes["terms"].previous_value.startswith(
        "doelgroepen:volwassenen, soorten_hulp:ambulante_hulp"
    )
    assert changes["languages"].replacement_value == "nl, pl"
    assert all(record.user == admin.user for record in changes.values())
    assert all(record.action == ChangeAction.UPDATE for record in changes.values())
    log = AccessLogEntry.objects.filter(subject_type="sociale_kaart_dienst").get()
    assert (log.action, log.subject_id, log.role) == (
        "update",
        str(service.pk),
        Role.FUNCTIONAL_ADMIN,
    )


def test_change_records_are_never_changed_or_deleted(admin, organisation):
    records = directory_records(organisation)
    services.service_verify(actor=admin, service=records.service)
    record = ChangeRecord.objects.get()
    record.field_name = "anders"
    with pytest.raises(ValueError):
        record.save()
    with pytest.raises(ValueError):
        record.delete()


def test_saving_or_verifying_marks_the_record_as_checked(admin, organisation):
    records = directory_records(organisation)
    Service.objects.filter(pk=records.service.pk).update(verified_on=datetime.date(2020, 1, 1))
    records.service.refresh_from_db()
    assert rules.is_stale(records.service.verified_on)
    services.service_verify(actor=admin, service=records.service)
    records.service.refresh_from_db()
    assert records.service.verified_on == timezone.localdate()
    assert records.service.verified_by == admin.user
    assert not rules.is_stale(records.service.verified_on)
    services.provider_verify(actor=admin, provider=records.provider)
    assert ChangeRecord.objects.filter(action=ChangeAction.VERIFY).count() == 2


def test_staleness_follows_the_setting(settings):
    settings.SOCIAL_MAP_STALE_DAYS = 30
    today = timezone.localdate()
    assert not rules.is_stale(today - datetime.timedelta(days=30))
    assert rules.is_stale(today - datetime.timedelta(days=31))
    assert rules.is_stale(None)


def test_contacts_and_the_officer_are_kept_per_record(admin, organisation):
    records = directory_records(organisation)
    carla = records.service.contacts.get()
    services.service_save(
        actor=admin,
        service=records.service,
        terms={},
        contacts=[
            ContactSpec(
                carla.pk,
                "Carla Contactpersoon",
                "Teamleider",
                "c@voorbeeld.invalid",
                "0527-000 111",
            ),
            ContactSpec(None, "Nieuwe Collega", "Intake", "", ""),
        ],
    )
    assert sorted(records.service.contacts.values_list("name", "title")) == [
        ("Carla Contactpersoon", "Teamleider"),
        ("Nieuwe Collega", "Intake"),
    ]
    assert services.main_phone(contact=carla) == "0527-000 111"
    services.service_save(
        actor=admin, service=records.service, terms={},
        contacts=[ContactSpec(carla.pk, "Carla Contactpersoon", "", "", "", delete=True)],
    )  # fmt: skip
    assert list(records.service.contacts.values_list("name", flat=True)) == ["Nieuwe Collega"]
    stranger = directory_records(None, "Elders").service.contacts.get()
    with pytest.raises(DirectoryError):
        services.service_save(
            actor=admin, service=records.service, terms={},
            contacts=[ContactSpec(stranger.pk, "Overname", "", "", "")],
        )  # fmt: skip
    services.provider_save(
        actor=admin,
        provider=records.provider,
        officer=ContactSpec(None, "Nieuwe Aandacht", "", "", "0527-000 222"),
    )
    officer = Contact.objects.get(provider=records.provider, meldcode_officer=True)
    assert officer.name == "Nieuwe Aandacht"


def test_a_service_only_uses_its_own_providers_locations(admin, organisation):
    own = directory_records(organisation)
    other = directory_records(None, "Elders")
    with pytest.raises(DirectoryError, match="alleen locaties van deze aanbieder"):
        services.service_save(
            actor=admin, service=own.service, terms={}, locations=[other.location]
        )


def test_a_dutch_postal_code_gives_the_location_a_position(admin, organisation):
    provider = directory_records(organisation).provider
    location = services.location_save(
        actor=admin,
        location=Location(
            provider=provider,
            name="Nagele",
            address_1="Straat 1",
            postal_code="8308 AB",
            city="Nagele",
        ),
    )
    assert location.pc4 == "8308"
    assert location.x_rd == pytest.approx(177204.1)
    assert location.state_province == "Flevoland"
    assert location.address_type == "physical"


def test_areas_are_parsed_from_plain_text():
    assert parse_areas("Noordoostpolder, urk; 8302\nprovincie Overijssel") == [
        AreaSpec("gemeente", "Noordoostpolder"),
        AreaSpec("gemeente", "Urk"),
        AreaSpec("pc4", "8302"),
        AreaSpec("provincie", "Overijssel"),
    ]
    assert parse_areas("Nederland") == [AreaSpec("landelijk", "NL")]
    with pytest.raises(django_forms.ValidationError) as error:
        parse_areas("Noordoostpolder, Atlantis, 0000")
    assert "Atlantis, 0000" in str(error.value)


def test_the_reminder_lists_group_stale_records_per_owner(
    admin, organisation, other_organisation, make_member
):
    own = directory_records(organisation)
    directory_records(other_organisation)
    platform_kept = directory_records(None, "Elders")
    Service.objects.update(verified_on=timezone.localdate())
    Provider.objects.update(verified_on=timezone.localdate())
    Service.objects.filter(pk__in=[own.service.pk, platform_kept.service.pk]).update(
        verified_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    lists = selectors.stale_records_by_owner()
    assert [(stale.owner, [s.name for s in stale.services]) for stale in lists] == [
        (organisation, [own.service.name]),
        (None, [platform_kept.service.name]),
    ]
    assert selectors.stale_records_by_owner(days=500) == []
    mine = selectors.stale_records(providers=selectors.provider_list_editable(actor=admin))
    assert mine.services == [own.service] and mine.providers == []
    assert selectors.reminder_recipients(organisation) == [admin.user.email]


def test_editable_records_refuse_and_log_everything_else(admin, other_organisation):
    other = directory_records(other_organisation)
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.service_get_editable(actor=admin, service_id=other.service.pk)
    entry = AccessLogEntry.objects.get(outcome=AccessOutcome.DENIED)
    assert (entry.subject_type, entry.subject_id) == ("sociale_kaart_dienst", str(other.service.pk))


def test_the_taxonomies_use_the_products_codes():
    from meldwijzer.cases.entries import CATEGORIES
    from meldwijzer.organisations.models import Sector

    loaded = taxonomies.taxonomies()
    assert set(loaded["vormen_van_geweld"].terms) == {code for code, _ in CATEGORIES}
    assert set(loaded["sectoren"].terms) == set(Sector.values)
    assert {"arbeidsmigranten", "statushouders", "lvb", "ouderen", "jongeren", "plegers"} <= set(
        loaded["doelgroepen"].terms
    )
    assert {
        "advies",
        "ambulante_hulp",
        "opvang",
        "daderhulp",
        "traumabehandeling",
        "juridisch",
    } <= set(loaded["soorten_hulp"].terms)


def test_a_broken_taxonomy_file_names_the_problem(tmp_path):
    path = tmp_path / "doelgroepen.yaml"
    path.write_text(
        "id: doelgroepen\nuuid: 8bc5c10e-8233-4931-8aea-5640c404a033\nname: x\ndescription: x\n"
        "version: '1'\nterms:\n  - {code: a, name: A, description: a}\n  - {code: a, name: B, description: b}\n"
    )
    with pytest.raises(
        taxonomies.TaxonomyError, match=r"doelgroepen\.yaml: term 2: code 'a' komt twee keer voor"
    ):
        taxonomies.load_file(path)
    path.write_text(
        "id: anders\nuuid: 8bc5c10e-8233-4931-8aea-5640c404a033\nname: x\ndescription: x\nversion: '1'\nterms: []\n"
    )
    with pytest.raises(taxonomies.TaxonomyError):
        taxonomies.load_file(path)


def test_clearing_a_shared_phone_only_unlinks_it(platform, organisation):
    from meldwijzer.social_map.models import Phone

    records = directory_records(organisation)
    shared = Phone.objects.create(
        provider=records.provider, service=records.service, number="0527-000 555"
    )
    Phone.objects.filter(service=records.service).exclude(pk=shared.pk).delete()
    assert services.main_phone(provider=records.provider, location=None) == "0527-000 555"
    services.provider_save(actor=platform, provider=records.provider, phone="")
    shared.refresh_from_db()
    assert shared.provider is None and shared.service == records.service
    assert services.main_phone(service=records.service, location=None) == "0527-000 555"
    services.service_save(actor=platform, service=records.service, terms={}, phone="")
    assert not Phone.objects.filter(pk=shared.pk).exists()
