"""Sociale kaart records in a known state, for tests (also used by the URL access table)."""

from __future__ import annotations

from dataclasses import dataclass

from meldwijzer.organisations.models import Organisation
from meldwijzer.social_map import services
from meldwijzer.social_map.models import (
    AreaKind,
    Contact,
    Location,
    Phone,
    Provider,
    Service,
    ServiceArea,
    ServiceLocation,
    ServiceTerm,
)

SHELTER_STREET = "Geheime Schuilplaats 13"


@dataclass
class Records:
    provider: Provider
    service: Service
    location: Location
    shelter: Location


def directory_records(owner: Organisation | None, name: str = "") -> Records:
    """A provider owned by `owner` with one service at a public location and at a confidential
    shelter, a contact person and an aandachtsfunctionaris; the same records on a second call."""
    name = name or f"Hulp van {owner.name if owner else 'platformbeheer'}"
    provider = Provider.objects.filter(name=name).first()
    if provider is not None:
        service = provider.services.get()
        return Records(
            provider,
            service,
            provider.locations.get(confidential=False),
            provider.locations.get(confidential=True),
        )
    provider = Provider.objects.create(
        name=name, description="Hulp bij huiselijk geweld.", owner=owner, sector="wijkteam"
    )
    location = Location(
        provider=provider,
        name="Kantoor",
        address_1="Voorbeeldstraat 1",
        postal_code="8302 AB",
        city="Emmeloord",
        address_type="physical",
    )
    services.derive_position(location)
    location.save()
    shelter = Location(
        provider=provider,
        name="Opvanghuis",
        address_1=SHELTER_STREET,
        postal_code="8224 AA",
        city="Lelystad",
        confidential=True,
        address_type="physical",
    )
    services.derive_position(shelter)
    shelter.save()
    service = Service.objects.create(
        provider=provider,
        name=f"Opvang en ambulante hulp ({name})",
        description="Een veilige plek en gesprekken bij partnergeweld.",
        referral_details="Aanmelden via de crisisdienst.",
    )
    for taxonomy, code in (
        ("soorten_hulp", "opvang"),
        ("soorten_hulp", "ambulante_hulp"),
        ("doelgroepen", "volwassenen"),
        ("vormen_van_geweld", "lichamelijk"),
    ):
        ServiceTerm.objects.create(service=service, taxonomy=taxonomy, code=code)
    ServiceArea.objects.create(
        service=service,
        kind=AreaKind.MUNICIPALITY,
        code="Noordoostpolder",
        name="Gemeente Noordoostpolder",
        extent="gemeente:Noordoostpolder",
        extent_type="text",
    )
    ServiceLocation.objects.create(service=service, location=location)
    ServiceLocation.objects.create(service=service, location=shelter)
    Phone.objects.create(service=service, number="0527-000 999")
    contact = Contact.objects.create(service=service, name="Carla Contactpersoon", title="Intake")
    Phone.objects.create(contact=contact, number="0527-000 998")
    Contact.objects.create(
        provider=provider,
        name="Otto Aandacht",
        title="Aandachtsfunctionaris",
        meldcode_officer=True,
    )
    services.search_index_update([service.pk])
    return Records(provider, service, location, shelter)
