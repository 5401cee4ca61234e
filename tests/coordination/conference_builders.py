"""A conference in a known state for the conference tests: the Verhoeven family's file (names,
dates of birth, phone numbers the tests look for), led by a wijkteam casusregisseur who chairs an
interventieoverleg with a participant of a school, a participant of a GGD and a colleague; the
file on the agenda without names."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.coordination import conferences
from meldwijzer.coordination.models import (
    Conference,
    ConferenceItem,
    ConferenceKind,
    CoordinationFile,
    Presentation,
)
from meldwijzer.coordination.services import FamilyMemberData
from meldwijzer.organisations.models import Sector
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind, SharingGround
from tests.coordination.builders import actor_of, add_member, coordinator, file_open, professional

FAMILY = (
    FamilyMemberData("kind", "Sem Verhoeven", "zoon", datetime.date(2017, 3, 14)),
    FamilyMemberData("kind", "Fleur Verhoeven", "dochter", datetime.date(2023, 9, 2)),
    FamilyMemberData(
        "ouder", "Linda Verhoeven", "moeder", datetime.date(1990, 6, 21), "06 1234 5678"
    ),
    FamilyMemberData("netwerk", "Gerda Aalbersberg", "oma", phone="0527-123456"),
)
NAMES = ("Sem", "Fleur", "Linda", "Verhoeven", "Gerda", "Aalbersberg")
DATES_OF_BIRTH = (
    datetime.date(2017, 3, 14),
    datetime.date(2023, 9, 2),
    datetime.date(1990, 6, 21),
)
PHONES = ("06 1234 5678", "0612345678", "0527-123456", "0527123456")

SUMMARY = (
    "Moeder zorgt alleen voor twee kinderen. Het oudste kind is stil op school. "
    "Oma helpt twee middagen per week."
)


def date_forms(day: datetime.date) -> list[str]:
    """Every way a page or the API could write a date of birth."""
    months = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ]
    return [
        day.isoformat(),
        f"{day:%d-%m-%Y}",
        f"{day.day}-{day.month}-{day.year}",
        f"{day:%d/%m/%Y}",
        f"{day.day} {months[day.month - 1]} {day.year}",
    ]


@dataclass
class Meeting:
    file: CoordinationFile
    chair: User
    colleague: User
    teacher: User
    doctor: User
    outsider: User
    conference: Conference
    item: ConferenceItem


def meeting(presentation: str = Presentation.PSEUDONYMISED) -> Meeting:
    chair = coordinator()
    file = file_open(chair, title="Gezin in Emmeloord", family=FAMILY)
    organisation = actor_of(chair).organisation
    colleague = professional(organisation)
    add_member(file, colleague)
    teacher = professional(sector=Sector.EDUCATION)
    add_member(file, teacher)
    doctor = professional(sector=Sector.PUBLIC_HEALTH)
    outsider = professional(sector=Sector.CHILDCARE)
    conference = conferences.conference_create(
        actor=actor_of(chair),
        kind=ConferenceKind.INTERVENTION,
        title="Interventieoverleg december",
        starts_at=timezone.now() + datetime.timedelta(days=2),
        place="Gemeentehuis",
        participant_emails=[colleague.email, teacher.email, doctor.email],
    )
    ground = consent_for_conference(file) if presentation == Presentation.CONSENT else None
    item = conferences.conference_item_add(
        actor=actor_of(chair),
        access=access_of(chair, conference),
        file_id=file.pk,
        question="Wie houdt zicht op de veiligheid van de kinderen?",
        summary=SUMMARY,
        presentation=presentation,
        ground_id=ground.pk if ground else None,
    )
    return Meeting(file, chair, colleague, teacher, doctor, outsider, conference, item)


def access_of(user: User, conference: Conference) -> conferences.ConferenceAccess:
    return conferences.conference_access(actor_of(user), Conference.objects.get(pk=conference.pk))


def consent_for_conference(
    file: CoordinationFile, purpose: str = conferences.CONFERENCE_PURPOSE
) -> SharingGround:
    return privacy_services.sharing_ground_record(
        actor=actor_of(file.coordinator),
        client_pseudonym=file.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="namen en zorgen",
        with_whom="de deelnemers aan het overleg",
        purpose=purpose,
        given_by="moeder",
        valid_until=timezone.localdate() + datetime.timedelta(days=30),
    )
