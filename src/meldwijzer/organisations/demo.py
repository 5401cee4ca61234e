"""Demo region Noordoostpolder: public bodies under their real names, other organisations made up."""

from __future__ import annotations

from meldwijzer.organisations.models import ApiKeyRole, Municipality, Organisation, Sector
from meldwijzer.organisations.reference import postcode_areas
from meldwijzer.organisations.roles import Role

REGION = ["Noordoostpolder", "Urk", "Lelystad", "Dronten", "Almere", "Zeewolde"]

# name, sector, seat municipality, PC4, municipalities worked in
ORGANISATIONS: list[tuple[str, Sector, str, str, list[str]]] = [
    (
        "Gemeente Noordoostpolder",
        Sector.MUNICIPALITY,
        "Noordoostpolder",
        "8302",
        ["Noordoostpolder"],
    ),
    ("Veilig Thuis Flevoland", Sector.VEILIG_THUIS, "Lelystad", "8224", REGION),
    ("GGD Flevoland", Sector.PUBLIC_HEALTH, "Lelystad", "8232", REGION),
    (
        "Politie basisteam Noordoostpolder-Urk",
        Sector.POLICE_JUSTICE,
        "Noordoostpolder",
        "8302",
        ["Noordoostpolder", "Urk"],
    ),
    (
        "Sociaal Wijkteam Emmeloord",
        Sector.SOCIAL_SUPPORT,
        "Noordoostpolder",
        "8302",
        ["Noordoostpolder"],
    ),
    (
        "Wijkteam Polderdorpen",
        Sector.SOCIAL_SUPPORT,
        "Noordoostpolder",
        "8316",
        ["Noordoostpolder"],
    ),
    (
        "Basisschool De Polderpionier",
        Sector.EDUCATION,
        "Noordoostpolder",
        "8303",
        ["Noordoostpolder"],
    ),
    (
        "Basisschool De Zilvermeeuw",
        Sector.EDUCATION,
        "Noordoostpolder",
        "8307",
        ["Noordoostpolder"],
    ),
    (
        "Scholengemeenschap Polderlicht",
        Sector.EDUCATION,
        "Noordoostpolder",
        "8302",
        ["Noordoostpolder", "Urk"],
    ),
    (
        "Kinderopvang Kleine Klaproos",
        Sector.CHILDCARE,
        "Noordoostpolder",
        "8304",
        ["Noordoostpolder"],
    ),
    ("Kinderopvang De Vlieger", Sector.CHILDCARE, "Noordoostpolder", "8315", ["Noordoostpolder"]),
    (
        "Huisartsenpraktijk Lindenhof",
        Sector.GENERAL_PRACTICE,
        "Noordoostpolder",
        "8302",
        ["Noordoostpolder"],
    ),
    (
        "Huisartsenpraktijk Nagele",
        Sector.GENERAL_PRACTICE,
        "Noordoostpolder",
        "8308",
        ["Noordoostpolder"],
    ),
    (
        "Jeugdhulp De Kraanvogel",
        Sector.YOUTH_CARE,
        "Noordoostpolder",
        "8302",
        ["Noordoostpolder", "Urk"],
    ),
    ("Thuiszorg Polderzorg", Sector.HEALTHCARE, "Noordoostpolder", "8316", ["Noordoostpolder"]),
    (
        "Verloskundigenpraktijk Flevo-Noord",
        Sector.HEALTHCARE,
        "Noordoostpolder",
        "8302",
        ["Noordoostpolder", "Urk"],
    ),
]

# API keys are off everywhere unless an organisation switches them on: in the demo the school
# lets its functioneel beheerder hold one, for a link with its own administration system.
API_KEY_ROLES: list[tuple[str, Role]] = [("Basisschool De Polderpionier", Role.FUNCTIONAL_ADMIN)]


def load() -> None:
    areas = postcode_areas()
    for name, sector, seat, postcode, works_in in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "sector": sector,
                "municipality": Municipality.objects.get(name=seat),
                "postcode": postcode,
                "place": areas[postcode].place,
            },
        )
        organisation.works_in.set(Municipality.objects.filter(name__in=works_in))
    for name, role in API_KEY_ROLES:
        ApiKeyRole.objects.get_or_create(
            organisation=Organisation.objects.get(name=name), role=role
        )
