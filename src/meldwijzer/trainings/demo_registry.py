"""Demo data for the registry: the meldcode of the Noordoostpolder demo organisations, their
aandachtsfunctionarissen and the trainings of their professionals, in every state.

- a meldcode adopted by most organisations (the school's with its PDF); Kinderopvang De Vlieger's
  was adopted long ago, Huisartsenpraktijk Nagele has none;
- aandachtsfunctionarissen at the school, the kinderopvang and the wijkteam (one who stopped),
  and synthetic ones at most other organisations; Huisartsenpraktijk Nagele, Kinderopvang De
  Vlieger and Basisschool De Zilvermeeuw have none, so the datalab's coverage page has an answer
  to "which organisations lack one?";
- trainings of the demo professionals: valid, due within 30 days, overdue, and none;
- synthetic professionals ("Synthetisch Medewerker NN", who cannot log in) in the larger
  organisations, so the protected coverage figures are not all hidden.

Dates are counted back from today. Safe to run again: what is there is left alone.
"""

from __future__ import annotations

import datetime
import zlib

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.organisations.models import Membership, Organisation, Profession
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings.models import (
    MeldcodeAdoption,
    OfficerRegistration,
    TrainingKind,
    TrainingRecord,
)
from meldwijzer.trainings.registry import document_store

SYNTHETIC_PREFIX = "synthetisch."
"""Usernames of the synthetic professionals: no password, no authenticator, no login."""

PROVIDERS = (
    "Augeo Academy",
    "GGD Flevoland",
    "Veilig Thuis Flevoland",
    "Movisie",
)

# organisation, title, months ago adopted (None: no meldcode)
MELDCODES: list[tuple[str, int | None]] = [
    ("Basisschool De Polderpionier", 14),
    ("Basisschool De Zilvermeeuw", 30),
    ("Scholengemeenschap Polderlicht", 20),
    ("Kinderopvang Kleine Klaproos", 9),
    ("Kinderopvang De Vlieger", 12 * 11),
    ("Sociaal Wijkteam Emmeloord", 18),
    ("Wijkteam Polderdorpen", 18),
    ("Huisartsenpraktijk Lindenhof", 26),
    ("Jeugdhulp De Kraanvogel", 7),
    ("Thuiszorg Polderzorg", 40),
    ("Verloskundigenpraktijk Flevo-Noord", 22),
    ("GGD Flevoland", 15),
    ("Veilig Thuis Flevoland", 12),
    ("Politie basisteam Noordoostpolder-Urk", 36),
]

# username, organisation, months ago started, training, register
OFFICERS: list[tuple[str, str, int, str, str]] = [
    (
        "aandacht.school",
        "Basisschool De Polderpionier",
        40,
        "Post-hbo aandachtsfunctionaris kindermishandeling en huiselijk geweld",
        "Registerplein",
    ),
    (
        "aandacht.opvang",
        "Kinderopvang Kleine Klaproos",
        22,
        "Opleiding aandachtsfunctionaris kinderopvang",
        "",
    ),
    (
        "aandacht.wijkteam",
        "Sociaal Wijkteam Emmeloord",
        30,
        "Post-hbo aandachtsfunctionaris kindermishandeling en huiselijk geweld",
        "Registerplein",
    ),
]

# Organisations whose aandachtsfunctionaris is a synthetic person (no demo login).
SYNTHETIC_OFFICERS: list[str] = [
    "Scholengemeenschap Polderlicht",
    "Wijkteam Polderdorpen",
    "Jeugdhulp De Kraanvogel",
    "Huisartsenpraktijk Lindenhof",
    "Thuiszorg Polderzorg",
    "Verloskundigenpraktijk Flevo-Noord",
    "GGD Flevoland",
    "Veilig Thuis Flevoland",
    "Politie basisteam Noordoostpolder-Urk",
]

# username, organisation, kind, days ago followed, refresh months
# Due in (12 months - days ago): valid, due within 30 days, overdue.
TRAININGS: list[tuple[str, str, str, int, int]] = [
    ("docent", "Basisschool De Polderpionier", TrainingKind.E_LEARNING, 60, 12),
    ("docent", "Basisschool De Polderpionier", TrainingKind.BASIC, 500, 12),
    ("aandacht.school", "Basisschool De Polderpionier", TrainingKind.OFFICER, 120, 24),
    ("pm.opvang", "Kinderopvang Kleine Klaproos", TrainingKind.REFRESHER, 345, 12),
    ("aandacht.opvang", "Kinderopvang Kleine Klaproos", TrainingKind.OFFICER, 200, 24),
    ("wijkcoach", "Sociaal Wijkteam Emmeloord", TrainingKind.BASIC, 420, 12),
    ("aandacht.wijkteam", "Sociaal Wijkteam Emmeloord", TrainingKind.OFFICER, 90, 24),
    ("regisseur", "Sociaal Wijkteam Emmeloord", TrainingKind.PROFESSION, 150, 12),
    ("huisarts", "Huisartsenpraktijk Lindenhof", TrainingKind.E_LEARNING, 320, 12),
    ("kraamzorg", "Thuiszorg Polderzorg", TrainingKind.BASIC, 800, 12),
    ("veiligthuis", "Veilig Thuis Flevoland", TrainingKind.PROFESSION, 100, 12),
]

# organisation, how many synthetic professionals, their beroepsgroep
SYNTHETIC: list[tuple[str, int, str]] = [
    ("Basisschool De Polderpionier", 14, Profession.EDUCATION),
    ("Basisschool De Zilvermeeuw", 9, Profession.EDUCATION),
    ("Scholengemeenschap Polderlicht", 26, Profession.EDUCATION),
    ("Kinderopvang Kleine Klaproos", 12, Profession.CHILDCARE),
    ("Kinderopvang De Vlieger", 8, Profession.CHILDCARE),
    ("Sociaal Wijkteam Emmeloord", 15, Profession.SOCIAL_YOUTH),
    ("Wijkteam Polderdorpen", 11, Profession.SOCIAL_YOUTH),
    ("Jeugdhulp De Kraanvogel", 13, Profession.SOCIAL_YOUTH),
    ("Huisartsenpraktijk Lindenhof", 6, Profession.DOCTORS),
    ("Huisartsenpraktijk Nagele", 5, Profession.DOCTORS),
    ("Thuiszorg Polderzorg", 18, Profession.NURSING),
]
# Of every ten synthetic professionals: days since their latest training (None: none at all).
SYNTHETIC_PATTERN: tuple[int | None, ...] = (30, 90, 150, 200, 250, 300, 345, 400, 600, None)


def pdf(title: str) -> bytes:
    """A one-page PDF naming the (synthetic) meldcode."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _organisation(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def _recorder(organisation: Organisation) -> User:
    """Who recorded it: the organisation's functioneel beheerder, else the platform's admin."""
    admin = (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=Role.FUNCTIONAL_ADMIN,
            memberships__is_active=True,
        )
        .order_by("pk")
        .first()
    )
    return admin or User.objects.get(username="platformbeheer")


def _meldcodes(today: datetime.date) -> None:
    for name, months in MELDCODES:
        organisation = _organisation(name)
        if organisation is None or months is None:
            continue
        if MeldcodeAdoption.objects.filter(organisation=organisation).exists():
            continue
        title = f"Meldcode huiselijk geweld en kindermishandeling {name}"
        adopted = today - relativedelta(months=months)
        document = ""
        if name == "Basisschool De Polderpionier":
            document = document_store(pdf(f"{title} (demo, vastgesteld {adopted:%d-%m-%Y})"))
        MeldcodeAdoption.objects.create(
            organisation=organisation,
            title=title,
            adopted_on=adopted,
            document=document,
            document_name="meldcode-polderpionier.pdf" if document else "",
            recorded_by=_recorder(organisation),
        )


def _officers(today: datetime.date) -> None:
    for username, name, months, training, register in OFFICERS:
        organisation = _organisation(name)
        user = User.objects.filter(username=username).first()
        if organisation is None or user is None:
            continue
        if OfficerRegistration.objects.filter(organisation=organisation, user=user).exists():
            continue
        started = today - relativedelta(months=months)
        OfficerRegistration.objects.create(
            organisation=organisation,
            user=user,
            training=training,
            trained_on=started - relativedelta(months=2),
            register=register,
            register_number=f"R-{zlib.crc32(username.encode()) % 100000:05d}" if register else "",
            vog_on=started - relativedelta(months=3),
            started_on=started,
            recorded_by=_recorder(organisation),
        )
    # An aandachtsfunctionaris who stopped: the registration stays, with its end.
    wijkteam = _organisation("Sociaal Wijkteam Emmeloord")
    former = User.objects.filter(username="regisseur").first()
    if (
        wijkteam is not None
        and former is not None
        and not OfficerRegistration.objects.filter(organisation=wijkteam, user=former).exists()
    ):
        OfficerRegistration.objects.create(
            organisation=wijkteam,
            user=former,
            training="Opleiding aandachtsfunctionaris (in-company)",
            trained_on=today - relativedelta(years=6),
            started_on=today - relativedelta(years=5),
            ended_on=today - relativedelta(months=31),
            recorded_by=_recorder(wijkteam),
        )


def _synthetic_officers(today: datetime.date) -> None:
    for number, name in enumerate(SYNTHETIC_OFFICERS, start=1):
        organisation = _organisation(name)
        if organisation is None:
            continue
        username = f"{SYNTHETIC_PREFIX}af.{number:02d}"
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": "Synthetisch",
                "last_name": f"Aandachtsfunctionaris {number:02d}",
                "email": f"{username}@demo.meldwijzer.invalid",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, organisation=organisation, role=Role.MELDCODE_OFFICER
        )
        if OfficerRegistration.objects.filter(organisation=organisation, user=user).exists():
            continue
        started = today - relativedelta(months=6 + 3 * number)
        OfficerRegistration.objects.create(
            organisation=organisation,
            user=user,
            training="Post-hbo aandachtsfunctionaris kindermishandeling en huiselijk geweld",
            trained_on=started - relativedelta(months=1),
            vog_on=started - relativedelta(months=2),
            started_on=started,
            recorded_by=_recorder(organisation),
        )
        _training(user, organisation, TrainingKind.OFFICER, started, 24)


def _training(
    user: User, organisation: Organisation, kind: str, followed: datetime.date, months: int
) -> None:
    TrainingRecord.objects.create(
        organisation=organisation,
        user=user,
        kind=kind,
        completed_on=followed,
        provider=PROVIDERS[zlib.crc32(f"{user.username}{kind}".encode()) % len(PROVIDERS)],
        refresh_months=months,
        recorded_by=_recorder(organisation),
    )


def _trainings(today: datetime.date) -> None:
    for username, name, kind, days, months in TRAININGS:
        organisation = _organisation(name)
        user = User.objects.filter(username=username).first()
        if organisation is None or user is None:
            continue
        followed = today - datetime.timedelta(days=days)
        if TrainingRecord.objects.filter(organisation=organisation, user=user, kind=kind).exists():
            continue
        _training(user, organisation, kind, followed, months)


def _synthetic(today: datetime.date) -> None:
    number = 0
    for name, count, profession in SYNTHETIC:
        organisation = _organisation(name)
        if organisation is None:
            continue
        for index in range(count):
            number += 1
            username = f"{SYNTHETIC_PREFIX}{number:03d}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": "Synthetisch",
                    "last_name": f"Medewerker {number:03d}",
                    "email": f"{username}@demo.meldwijzer.invalid",
                },
            )
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            Membership.objects.get_or_create(
                user=user,
                organisation=organisation,
                role=Role.PROFESSIONAL,
                defaults={"profession": profession},
            )
            days = SYNTHETIC_PATTERN[(index + number) % len(SYNTHETIC_PATTERN)]
            if days is None:
                continue
            if TrainingRecord.objects.filter(organisation=organisation, user=user).exists():
                continue
            kind = TrainingKind.E_LEARNING if index % 3 else TrainingKind.BASIC
            _training(user, organisation, kind, today - datetime.timedelta(days=days), 12)


def load() -> None:
    today = timezone.localdate()
    _meldcodes(today)
    _officers(today)
    _synthetic_officers(today)
    _trainings(today)
    _synthetic(today)
