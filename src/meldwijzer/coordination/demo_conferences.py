"""Demo conferences, built through the services on the files of `coordination.demo`. All people
are made up; loading twice changes nothing.

- 'Interventieoverleg Noordoostpolder' (this hour), chaired by the wijkteam's casusregisseur
  (Anouk Kramer), with participants of the wijkteam, the school, the GGD, the huisarts and
  Veilig Thuis. On the agenda: the Emmeloord family without names — the teacher confirmed she is
  involved and sees who it is, the huisarts does not — with decisions and two agreements that are
  now in the family's file; and the Marknesse family with the mother's consent for the conference.
- 'Signaaloverleg december' (next week), chaired by the wijkteam's aandachtsfunctionaris, with
  topics and the empty place for the datalab's figures.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.coordination import conferences
from meldwijzer.coordination.conferences import AgreementData
from meldwijzer.coordination.demo import VEILIG_THUIS_FILE, WIJKTEAM_FILE, _actor, _user
from meldwijzer.coordination.models import (
    Conference,
    ConferenceKind,
    CoordinationFile,
    PartyKind,
    Presentation,
)
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind

INTERVENTION = "Interventieoverleg Noordoostpolder"
SIGNALS = "Signaaloverleg december"


def _at(days: int, hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _email(username: str) -> str:
    return _user(username).email


def load() -> None:
    if Conference.objects.filter(title=INTERVENTION).exists():
        return
    wijkteam_file = CoordinationFile.objects.filter(title=WIJKTEAM_FILE).first()
    vt_file = CoordinationFile.objects.filter(title=VEILIG_THUIS_FILE).first()
    if wijkteam_file is None or vt_file is None:
        return
    chair = _actor("regisseur")
    conference = conferences.conference_create(
        actor=chair,
        kind=ConferenceKind.INTERVENTION,
        title=INTERVENTION,
        starts_at=timezone.localtime().replace(minute=0, second=0, microsecond=0),
        place="Gemeentehuis Emmeloord, zaal 2",
        participant_emails=[
            _email(name) for name in ("wijkcoach", "docent", "jgz", "huisarts", "veiligthuis")
        ],
    )
    access = conferences.conference_get(actor=chair, conference_id=conference.pk)
    item = conferences.conference_item_add(
        actor=chair,
        access=access,
        file_id=wijkteam_file.pk,
        question="Hoe houden we zicht op de veiligheid nu vader weer vaker langskomt?",
        summary=(
            "Moeder zorgt alleen voor twee kinderen. Er waren ruzies met vader, die apart woont. "
            "Het oudste kind is op school stil en moe; het jongste kind gaat naar de opvang. "
            "Oma helpt twee middagen per week. Moeder wil hulp, maar is bang dat vader boos wordt."
        ),
        presentation=Presentation.PSEUDONYMISED,
    )
    teacher = _actor("docent")
    conferences.involvement_confirm(
        actor=teacher,
        access=conferences.conference_get(actor=teacher, conference_id=conference.pk),
        item=item,
        statement="Ik ben de leerkracht van het oudste kind.",
    )
    conferences.item_decide(
        actor=chair,
        access=access,
        item=item,
        decisions=(
            "De wijkcoach bespreekt met moeder wat zij doet als vader onaangekondigd komt. "
            "De school meldt verzuim dezelfde dag aan de casusregisseur."
        ),
        agreements=[
            AgreementData(
                what="Met moeder bespreken wat zij doet als vader onaangekondigd langskomt",
                party=PartyKind.PROFESSIONAL,
                owner=_user("wijkcoach"),
                due_date=timezone.localdate() + datetime.timedelta(days=7),
            ),
            AgreementData(
                what="Verzuim van het oudste kind dezelfde dag doorgeven aan de casusregisseur",
                party=PartyKind.PROFESSIONAL,
                owner=_user("docent"),
                due_date=timezone.localdate() + datetime.timedelta(days=28),
            ),
        ],
    )

    vt = _actor("veiligthuis")
    consent = privacy_services.sharing_ground_record(
        actor=vt,
        client_pseudonym=vt_file.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="Namen, leeftijden en de zorgen over de baby",
        with_whom="De deelnemers aan het interventieoverleg Noordoostpolder",
        purpose=conferences.CONFERENCE_PURPOSE,
        given_by="Samira Dijkstra (moeder)",
        valid_until=timezone.localdate() + datetime.timedelta(days=60),
    )
    vt_item = conferences.conference_item_add(
        actor=vt,
        access=conferences.conference_get(actor=vt, conference_id=conference.pk),
        file_id=vt_file.pk,
        question="Wie neemt de regie over als Veilig Thuis het onderzoek afrondt?",
        summary=(
            "Moeder en baby maken het goed met de kraamzorg. Moeder staat er alleen voor; haar "
            "broer helpt. Veilig Thuis rondt het onderzoek binnenkort af en zoekt een "
            "casusregisseur in het wijkteam."
        ),
        presentation=Presentation.CONSENT,
        ground_id=consent.pk,
    )
    conferences.item_decide(
        actor=vt,
        access=conferences.conference_get(actor=vt, conference_id=conference.pk),
        item=vt_item,
        decisions="Het wijkteam neemt de regie over; Veilig Thuis draagt over na het onderzoek.",
        agreements=[
            AgreementData(
                what="Dagelijks de veiligheid van de baby nagaan tot de overdracht",
                party=PartyKind.PROFESSIONAL,
                owner=_user("kraamzorg"),
                due_date=timezone.localdate() + datetime.timedelta(days=14),
            )
        ],
    )

    officer = _actor("aandacht.wijkteam")
    conferences.conference_create(
        actor=officer,
        kind=ConferenceKind.SIGNALS,
        title=SIGNALS,
        starts_at=_at(7, 14),
        place="Online (de link staat in de agenda)",
        participant_emails=[
            _email(name) for name in ("regisseur", "veiligthuis", "aandacht.school")
        ],
        topics="\n".join(
            [
                "Meldingen uit postcodegebied 8302 en 8303 in het afgelopen kwartaal",
                "Hermeldingen: gezinnen die binnen een jaar opnieuw gemeld worden",
                "Signalen van scholen na de herfstvakantie",
            ]
        ),
    )
