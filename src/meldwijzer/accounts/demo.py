"""Demo accounts: one or more per role, all with the same password and the same TOTP secret.

The secret below is public (it is in README.md); demo mode must never hold real data.
"""

from __future__ import annotations

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Membership, Organisation, Profession
from meldwijzer.organisations.roles import Role

DEMO_PASSWORD = "Meldwijzer-demo-2026"  # noqa: S105 - published demo credential
_DEMO_KEY = b"MeldwijzerDemoTOTP!!"
DEMO_TOTP_KEY_HEX = _DEMO_KEY.hex()
DEMO_TOTP_SECRET_BASE32 = base64.b32encode(_DEMO_KEY).decode()

# username, first name, last name, [(organisation, role), ...]
DEMO_USERS: list[tuple[str, str, str, list[tuple[str, Role]]]] = [
    ("docent", "Sanne", "de Boer", [("Basisschool De Polderpionier", Role.PROFESSIONAL)]),
    (
        "aandacht.school",
        "Karim",
        "El Idrissi",
        [("Basisschool De Polderpionier", Role.MELDCODE_OFFICER)],
    ),
    (
        "beheer.school",
        "Joke",
        "Hoekstra",
        [("Basisschool De Polderpionier", Role.FUNCTIONAL_ADMIN)],
    ),
    ("huisarts", "Pieter", "Wiersma", [("Huisartsenpraktijk Lindenhof", Role.PROFESSIONAL)]),
    ("pm.opvang", "Lotte", "Visser", [("Kinderopvang Kleine Klaproos", Role.PROFESSIONAL)]),
    (
        "aandacht.opvang",
        "Esra",
        "Yildiz",
        [("Kinderopvang Kleine Klaproos", Role.MELDCODE_OFFICER)],
    ),
    ("wijkcoach", "Daan", "Mulder", [("Sociaal Wijkteam Emmeloord", Role.PROFESSIONAL)]),
    (
        "aandacht.wijkteam",
        "Marieke",
        "Postma",
        [("Sociaal Wijkteam Emmeloord", Role.MELDCODE_OFFICER)],
    ),
    (
        "regisseur",
        "Anouk",
        "Kramer",
        [
            ("Sociaal Wijkteam Emmeloord", Role.CASE_COORDINATOR),
            ("Jeugdhulp De Kraanvogel", Role.PROFESSIONAL),
        ],
    ),
    ("beheer.wijkteam", "Henk", "de Jong", [("Sociaal Wijkteam Emmeloord", Role.FUNCTIONAL_ADMIN)]),
    (
        "veiligthuis",
        "Noor",
        "Bakker",
        [
            ("Veilig Thuis Flevoland", Role.PROFESSIONAL),
            ("Veilig Thuis Flevoland", Role.CASE_COORDINATOR),
        ],
    ),
    ("jgz", "Ilse", "Smit", [("GGD Flevoland", Role.PROFESSIONAL)]),
    ("kraamzorg", "Lieke", "Hoogland", [("Thuiszorg Polderzorg", Role.PROFESSIONAL)]),
    ("beleid", "Ruben", "van Dijk", [("Gemeente Noordoostpolder", Role.POLICY_ADVISER)]),
    ("platformbeheer", "Femke", "Jansen", [("Gemeente Noordoostpolder", Role.PLATFORM_ADMIN)]),
    ("redactie", "Tessa", "Vermeulen", [("GGD Flevoland", Role.CONTENT_EDITOR)]),
]


# The beroepsgroep of each demo professional: it selects the afwegingskader of a new case. The
# kraamverzorgende works at a thuiszorg organisation, a sector with several beroepsgroepen.
DEMO_PROFESSIONS: dict[str, Profession] = {
    "docent": Profession.EDUCATION,
    "aandacht.school": Profession.EDUCATION,
    "huisarts": Profession.DOCTORS,
    "pm.opvang": Profession.CHILDCARE,
    "aandacht.opvang": Profession.CHILDCARE,
    "wijkcoach": Profession.SOCIAL_YOUTH,
    "aandacht.wijkteam": Profession.SOCIAL_YOUTH,
    "regisseur": Profession.SOCIAL_YOUTH,
    "veiligthuis": Profession.SOCIAL_YOUTH,
    "jgz": Profession.DOCTORS,
    "kraamzorg": Profession.NURSING,
}


def load() -> None:
    for username, first_name, last_name, memberships in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@demo.meldwijzer.invalid",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        TOTPDevice.objects.get_or_create(
            user=user,
            confirmed=True,
            defaults={"name": "Demo-authenticator", "key": DEMO_TOTP_KEY_HEX},
        )
        for organisation_name, role in memberships:
            Membership.objects.update_or_create(
                user=user,
                organisation=Organisation.objects.get(name=organisation_name),
                role=role,
                defaults={"profession": DEMO_PROFESSIONS.get(username, "")},
            )
