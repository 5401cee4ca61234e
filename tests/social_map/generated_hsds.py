"""A large, realistic HSDS 3.0 file for the sociale kaart, generated instead of stored.

`directory(organizations)` gives a list of fully nested organizations shaped like Meldwijzer's own
full export and like regional directories published elsewhere: each organization with an
aandachtsfunctionaris, phones and one or two locations (a Dutch address in a real PC4 area,
opening hours, sometimes a confidential shelter address), and three services with phones, opening
hours, a service area, languages, contact persons, taxonomy terms, referral details and their
change history. About 300 organizations (900 services) make a file of about 7 MB, the size of the file in the
security review. The same seed gives the same file.

    .venv/bin/python -m tests.social_map.generated_hsds 300 > groot.json
"""

from __future__ import annotations

import json
import random
import sys
import uuid
from typing import Any

NAMESPACE = uuid.UUID("4f1d3c36-2b51-4c41-9d55-7e0c9e7a0c11")
KINDS = [
    "Opvang", "Gezinscoaching", "Daderhulp", "Traumabehandeling", "Maatschappelijk werk",
    "Spreekuur", "Jongerenwerk", "Ouderenadvies", "Schuldhulp", "Opvoedhulp", "Juridisch loket",
    "Begeleiding", "Inloop", "Groepstraining", "Crisisdienst",
]  # fmt: skip
SENTENCES = [
    "Wij bieden hulp bij huiselijk geweld en kindermishandeling.",
    "Gesprekken met ouders en kinderen, thuis of op kantoor.",
    "Voor slachtoffers van partnergeweld en hun kinderen.",
    "Een veilige plek om tijdelijk te wonen.",
    "Training voor plegers die willen stoppen met geweld.",
    "Behandeling van trauma na geweld, zoals EMDR.",
    "Hulp bij schulden, werk en wonen, zodat de spanning thuis afneemt.",
    "Begeleiding voor mensen met een licht verstandelijke beperking.",
    "Spreekuur in het Pools, Roemeens en Engels voor arbeidsmigranten.",
    "Ondersteuning van mantelzorgers en ouderen.",
    "Anoniem advies en een luisterend oor.",
    "Samen met het gezin een veiligheidsplan maken.",
]
FIRST_NAMES = ["Anna", "Daan", "Fatima", "Sem", "Noor", "Mohamed", "Julia", "Lucas", "Sara", "Bram"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "El Amrani", "Visser", "Smit", "Yilmaz", "Mulder"]
STREETS = ["Stationsweg", "Kerkstraat", "Dorpsstraat", "Molenweg", "Schoolstraat", "Julianalaan"]
LANGUAGES = {"en": "Engels", "pl": "Pools", "ar": "Arabisch", "tr": "Turks", "uk": "Oekraïens"}


class _Ids:
    """Stable UUIDs: the same seed and position give the same id."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return str(uuid.uuid5(NAMESPACE, f"{self.seed}:{self.count}"))


def _phone(ids: _Ids, rng: random.Random, description: str) -> dict[str, Any]:
    return {
        "id": ids(),
        "number": f"0{rng.randint(10, 99)}-{rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "type": "voice",
        "description": description,
    }


def _schedule(ids: _Ids, rng: random.Random) -> dict[str, Any]:
    opens = rng.choice(["08:30", "09:00", "10:00"])
    closes = rng.choice(["16:30", "17:00", "21:00"])
    return {
        "id": ids(),
        "freq": "WEEKLY",
        "byday": "MO,TU,WE,TH,FR",
        "opens_at": opens,
        "closes_at": closes,
        "description": f"Maandag tot en met vrijdag van {opens} tot {closes} uur.",
    }


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _email(name: str, domain: str) -> str:
    local = name.lower().replace(" ", ".").replace("'", "")
    return f"{local}@{domain}"


def _metadata(ids: _Ids, resource_id: str, kind: str, field: str, value: str) -> dict[str, Any]:
    return {
        "id": ids(),
        "resource_id": resource_id,
        "resource_type": kind,
        "last_action_date": "2026-03-01",
        "last_action_type": "update",
        "field_name": field,
        "previous_value": "",
        "replacement_value": value,
        "updated_by": "Regionale sociale kaart",
    }


def _location(ids: _Ids, rng: random.Random, area: Any, name: str, number: int) -> dict[str, Any]:
    from meldwijzer.social_map import hsds

    location_id = ids()
    confidential = rng.random() < 0.03
    location: dict[str, Any] = {
        "id": location_id,
        "location_type": "physical",
        "name": f"{name} {area.place}",
        "description": rng.choice(SENTENCES),
        "transportation": "Bus 2 stopt voor de deur; parkeren in de straat.",
        "addresses": [
            {
                "id": ids(),
                "address_1": f"{rng.choice(STREETS)} {number}",
                "city": area.place,
                "state_province": area.province,
                "postal_code": f"{area.postcode} {rng.choice('ABCDEGHJKL')}{rng.choice('ABRSTX')}",
                "country": "NL",
                "address_type": "physical",
            }
        ],
        "phones": [_phone(ids, rng, "Receptie")],
        "schedules": [_schedule(ids, rng)],
    }
    if confidential:
        location["attributes"] = [
            hsds._attribute(
                "location",
                uuid.UUID(location_id),
                hsds.MARKERS_TAXONOMY_UID,
                hsds.MARKER_CONFIDENTIAL,
            )
        ]
    return location


def _service(
    ids: _Ids,
    rng: random.Random,
    organization_id: str,
    area: Any,
    locations: list[dict[str, Any]],
    domain: str,
) -> dict[str, Any]:
    from meldwijzer.social_map import hsds, taxonomies

    service_id = ids()
    kind = rng.choice(KINDS)
    attributes = []
    for taxonomy_id, most in (
        (taxonomies.HELP_TYPES, 3),
        (taxonomies.TARGET_GROUPS, 3),
        (taxonomies.VIOLENCE, 3),
    ):
        taxonomy = taxonomies.taxonomy(taxonomy_id)
        for code in rng.sample(sorted(taxonomy.terms), rng.randint(1, most)):
            attributes.append(hsds._attribute("service", uuid.UUID(service_id), taxonomy.uid, code))
    attributes.append(
        hsds._attribute(
            "service",
            uuid.UUID(service_id),
            hsds.MARKERS_TAXONOMY_UID,
            hsds.MARKER_REFERRAL,
            "Aanmelden met het verwijsformulier; toestemming van de cliënt vragen.",
        )
    )
    contact_name = _person(rng)
    languages = [{"id": ids(), "name": "Nederlands", "code": "nl"}]
    for code in rng.sample(sorted(LANGUAGES), rng.choice([0, 0, 1, 2])):
        languages.append({"id": ids(), "name": LANGUAGES[code], "code": code})
    description = " ".join(rng.sample(SENTENCES, 3))
    return {
        "id": service_id,
        "organization_id": organization_id,
        "name": f"{kind} {area.place}",
        "description": description,
        "url": f"https://www.{domain}/{kind.lower().replace(' ', '-')}",
        "email": f"aanmelden@{domain}",
        "status": "active",
        "eligibility_description": rng.choice(SENTENCES),
        "application_process": "Bel of mail ons; u krijgt binnen een week een gesprek.",
        "wait_time": rng.choice(["geen", "twee weken", "vier tot zes weken"]),
        "fees_description": "Gratis.",
        "minimum_age": rng.choice([0, 12, 18]),
        "maximum_age": rng.choice([17, 23, 99]),
        "assured_date": "2026-02-15",
        "phones": [_phone(ids, rng, "Aanmelden")],
        "schedules": [_schedule(ids, rng)],
        "service_areas": [
            {
                "id": ids(),
                "name": f"Gemeente {area.municipality}",
                "extent": f"gemeente:{area.municipality}",
                "extent_type": "text",
            }
        ],
        "service_at_locations": [
            {"id": ids(), "service_id": service_id, "location_id": location["id"]}
            for location in locations
        ],
        "languages": languages,
        "contacts": [
            {
                "id": ids(),
                "name": contact_name,
                "title": "Intake",
                "email": _email(contact_name, domain),
                "phones": [_phone(ids, rng, "Direct nummer")],
            }
        ],
        "attributes": attributes,
        "metadata": [_metadata(ids, service_id, "service", "description", description)],
    }


def directory(organizations: int, *, seed: int = 1) -> list[dict[str, Any]]:
    """`organizations` fully nested HSDS organizations, each with three services."""
    # Imported here, so that the module can be imported before Django is set up.
    from meldwijzer.organisations.reference import postcode_areas
    from meldwijzer.social_map import hsds

    rng = random.Random(seed)
    ids = _Ids(seed)
    areas = [a for a in postcode_areas().values() if a.x_rd is not None and a.inhabitants > 0]
    result = []
    for number in range(1, organizations + 1):
        organization_id = ids()
        area = rng.choice(areas)
        name = f"Stichting {rng.choice(KINDS)} {area.place} {number}"
        domain = f"stichting-{number}.example.nl"
        officer, officer_id = _person(rng), ids()
        locations = [
            _location(ids, rng, area, "Vestiging", number) for _ in range(rng.choice([1, 1, 2]))
        ]
        services = [_service(ids, rng, organization_id, area, locations, domain) for _ in range(3)]
        result.append(
            {
                "id": organization_id,
                "name": name,
                "description": " ".join(rng.sample(SENTENCES, 2)),
                "email": f"info@{domain}",
                "website": f"https://www.{domain}",
                "contacts": [
                    {
                        "id": officer_id,
                        "name": officer,
                        "title": "Aandachtsfunctionaris",
                        "email": _email(officer, domain),
                        "phones": [_phone(ids, rng, "Aandachtsfunctionaris")],
                        "attributes": [
                            hsds._attribute(
                                "contact",
                                uuid.UUID(officer_id),
                                hsds.MARKERS_TAXONOMY_UID,
                                hsds.MARKER_OFFICER,
                            )
                        ],
                    }
                ],
                "phones": [_phone(ids, rng, "Algemeen nummer")],
                "locations": locations,
                "services": services,
                "metadata": [_metadata(ids, organization_id, "organization", "name", name)],
            }
        )
    return result


def directory_file(organizations: int, *, seed: int = 1) -> bytes:
    return json.dumps(directory(organizations, seed=seed), ensure_ascii=False).encode("utf-8")


if __name__ == "__main__":  # pragma: no cover - a command for making files by hand
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meldwijzer.conf.test")
    import django

    django.setup()
    sys.stdout.buffer.write(directory_file(int(sys.argv[1]) if len(sys.argv) > 1 else 300))
