"""Demo reports in Veilig Thuis Flevoland's inbox and a file handed over to the wijkteam, built
through the services on top of the demo cases (`cases.demo`) and files (`coordination.demo`).
All people are made up; loading twice changes nothing.

Reports sent through Meldwijzer, one in each state:

- the huisarts' report on a patient with recurring injuries: new, not yet received;
- the pedagogisch medewerker's report on a toddler afraid at pick-up: reported at once (direct
  melden) and received;
- the jeugdarts' report on a child who disclosed abuse: received, with feedback in the dossier;
- the teacher's report on a pupil in groep 5: received, feedback given, and Veilig Thuis (Noor
  Bakker) opened a new family file from it and handed the regie to the wijkteam (Anouk Kramer),
  who accepted; Veilig Thuis keeps reading on the meldrecht.

And one proposal waiting for an answer: Veilig Thuis offers the regie of 'Moeder met pasgeboren
baby, Marknesse' to the wijkteam.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case
from meldwijzer.coordination import handover, inbox
from meldwijzer.coordination.demo import PHONES, VEILIG_THUIS_FILE
from meldwijzer.coordination.models import CoordinationFile, IncomingReport
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy.models import GroundKind

VEILIG_THUIS = "Veilig Thuis Flevoland"
WIJKTEAM = "Sociaal Wijkteam Emmeloord"
HANDED_OVER_FILE = "Moeder met dochter in groep 5, Emmeloord"

# username, case title, what the reporter says about telling the family, how far it got
REPORTS = [
    ("huisarts", "Patiënte met herhaald letsel", "veiligheid", "nieuw"),
    ("pm.opvang", "Peuter met veel angst bij ophalen", "acuut", "ontvangen"),
    ("jgz", "Kind onthult misbruik op consultatiebureau", "acuut", "terugkoppeling"),
    ("docent", "Zorgen over leerling groep 5", "", "regiedossier"),
]
NOT_INFORMED = {
    "veiligheid": "Patiënte is bang dat haar partner merkt dat zij hulp zoekt.",
    "acuut": "Het kind moest vandaag veilig zijn; er was geen tijd om het eerst te vertellen.",
}
FEEDBACK = {
    "jgz": {
        "action": "onderzoek",
        "asked_of_me": "Wilt u het kind blijven zien op het consultatiebureau en nieuwe "
        "signalen meteen aan ons doorgeven?",
        "text": "Wij hebben vandaag met moeder gesproken. Het kind logeert bij oma tot ons "
        "onderzoek klaar is.",
    },
    "docent": {
        "action": "overdracht",
        "asked_of_me": "Blijft u Mila op school volgen? U hoort van de casusregisseur van het "
        "wijkteam wat er is afgesproken.",
        "text": "Wij hebben een regiedossier geopend en dragen de regie over aan het Sociaal "
        "Wijkteam Emmeloord.",
    },
}


def _actor(username: str, organisation: str = "") -> Actor:
    user = User.objects.get(username=username)
    organisation_id = None
    if organisation:
        organisation_id = Organisation.objects.get(name=organisation).pk
    actor = actor_for_user(user=user, organisation_id=organisation_id)
    assert actor is not None, f"demo account {username} has no organisation"
    return actor


def _send(username: str, title: str, not_told: str) -> IncomingReport | None:
    reporter = _actor(username)
    case = Case.objects.filter(responsible=reporter.user, title=title).first()
    if case is None:  # pragma: no cover - the demo cases provide it
        return None
    if not case.workflow.is_reported:
        case_services.case_report_now(
            actor=reporter,
            case=case,
            expected_version=case.version,
            danger="De peuter vertelt dat papa hem pijn doet en wil niet mee naar huis; vader "
            "haalt vandaag op.",
        )
        case.refresh_from_db()
    return inbox.report_send(
        actor=reporter,
        case=case,
        expected_version=case.version,
        veilig_thuis=Organisation.objects.get(name=VEILIG_THUIS),
        informed="nee" if not_told else "ja",
        not_informed_reason=not_told,
        not_informed_explanation=NOT_INFORMED.get(not_told, ""),
    )


def _feedback(veilig_thuis: Actor, report: IncomingReport, username: str) -> None:
    inbox.report_feedback_give(
        actor=veilig_thuis,
        report=report,
        data={
            "date": timezone.localdate().isoformat(),
            "vt_reference": f"VT-FL-{report.pk:05d}",
            "contact": veilig_thuis.user.get_full_name(),
            **FEEDBACK[username],
        },
    )


def _open_and_hand_over(veilig_thuis: Actor, report: IncomingReport) -> None:
    persons = inbox.report_persons(report)
    file = inbox.report_file_open(
        actor=veilig_thuis,
        report=report,
        title=HANDED_OVER_FILE,
        persons=[person.index for person in persons],
        role_description="Ik heb de melding van school onderzocht en de regie overgedragen "
        "aan het wijkteam.",
        phone=PHONES["veiligthuis"],
    )
    mother = next((p.name for p in persons if p.relation == "moeder"), "moeder")
    regisseur = _actor("regisseur", WIJKTEAM)
    proposal = handover.handover_propose(
        actor=veilig_thuis,
        access=file_access_for(veilig_thuis, file),
        to_user=regisseur.user,
        to_organisation=regisseur.organisation,
        note="Moeder wil hulp bij de opvoeding en rust in huis. Vader woont nog thuis; het "
        "onderzoek loopt af. De school volgt Mila en belt bij nieuwe blauwe plekken.",
        ground=handover.GroundData(
            kind=GroundKind.CONSENT,
            given_by=f"{mother} (moeder, met gezag)",
            valid_until=timezone.localdate() + datetime.timedelta(days=365),
        ),
    )
    handover.handover_accept(
        actor=regisseur,
        handover=proposal,
        answer_note="Ik neem het over en bel moeder deze week.",
        role_description="Ik ben uw vaste aanspreekpunt. Ik houd bij wie wat doet en bel u elke "
        "twee weken.",
        phone=PHONES["regisseur"],
    )


def _pending_proposal(veilig_thuis: Actor) -> None:
    file = CoordinationFile.objects.filter(title=VEILIG_THUIS_FILE).first()
    if file is None or file.coordinator_id != veilig_thuis.user.pk:  # pragma: no cover
        return
    regisseur = _actor("regisseur", WIJKTEAM)
    handover.handover_propose(
        actor=veilig_thuis,
        access=file_access_for(veilig_thuis, file),
        to_user=regisseur.user,
        to_organisation=regisseur.organisation,
        note="Ons onderzoek is bijna klaar. Moeder en Noah hebben langer steun nodig; de "
        "kraamzorg stopt over twee weken.",
        ground=handover.GroundData(
            kind=GroundKind.CONSENT,
            given_by="Samira Dijkstra (moeder)",
            valid_until=timezone.localdate() + datetime.timedelta(days=365),
        ),
    )


def load() -> None:
    if CoordinationFile.objects.filter(title=HANDED_OVER_FILE).exists():
        return
    veilig_thuis = _actor("veiligthuis", VEILIG_THUIS)
    for username, title, not_told, state in REPORTS:
        report = _send(username, title, not_told)
        if report is None or state == "nieuw":
            continue
        inbox.report_receive(actor=veilig_thuis, report=report)
        if state in ("terugkoppeling", "regiedossier"):
            _feedback(veilig_thuis, report, username)
        if state == "regiedossier":
            _open_and_hand_over(veilig_thuis, report)
    _pending_proposal(veilig_thuis)
