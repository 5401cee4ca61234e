"""Demo invitations, agreements (open, done, not done, cancelled, overdue) and next contacts in
the two demo files of `coordination.demo`, built through the services. Loaded after
`coordination.demo`; all people are made up; loading twice changes nothing.

- 'Gezin met twee kinderen, Emmeloord': the pedagogisch medewerker of the kinderopvang (`pm.opvang`)
  is invited on the mother's consent and has not answered yet; agreements in every state, two of
  them overdue (one of the teacher's, one of the mother's).
- 'Moeder met pasgeboren baby, Marknesse': the huisarts has an overdue agreement; the uncle's is done.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.coordination import agreements, team
from meldwijzer.coordination.demo import VEILIG_THUIS_FILE, WIJKTEAM_FILE
from meldwijzer.coordination.models import Agreement, AgreementState, CoordinationFile, FileParts
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind

MARKER = "Wekelijks huisbezoek: rust in huis en overzicht in de geldzaken"

# what, party, owner (username) or name, days from today, final state
Plan = list[tuple[str, str, str, int, str]]

WIJKTEAM_AGREEMENTS: Plan = [
    (MARKER, "professional", "wijkcoach", 7, AgreementState.OPEN),
    (
        "Met Sem praten over hoe het thuis gaat en de mentor van groep 6 bijpraten",
        "professional",
        "docent",
        -3,
        AgreementState.OPEN,
    ),
    (
        "De huisarts bellen voor een afspraak over de slaapproblemen",
        "gezin",
        "Linda Verhoeven (moeder)",
        -5,
        AgreementState.OPEN,
    ),
    (
        "Sem en Fleur op dinsdag en donderdag uit school en opvang halen",
        "netwerk",
        "Gerda Verhoeven (oma)",
        14,
        AgreementState.OPEN,
    ),
    (
        "Aanmelden bij de schuldhulpverlening van de gemeente",
        "professional",
        "regisseur",
        -10,
        AgreementState.DONE,
    ),
    (
        "Groei en gezondheid van Fleur nakijken op het consultatiebureau",
        "professional",
        "jgz",
        -2,
        AgreementState.NOT_DONE,
    ),
    (
        "Naar het gesprek over de omgangsregeling komen",
        "gezin",
        "Erik Verhoeven (vader)",
        -1,
        AgreementState.CANCELLED,
    ),
]

VEILIG_THUIS_AGREEMENTS: Plan = [
    (
        "Elke dag langskomen en letten op hoe moeder en Noah slapen en eten",
        "professional",
        "kraamzorg",
        5,
        AgreementState.OPEN,
    ),
    (
        "Noah wegen en nakijken op het spreekuur",
        "professional",
        "huisarts",
        -1,
        AgreementState.OPEN,
    ),
    (
        "De kraamverzorgende binnenlaten, ook op een slechte dag",
        "gezin",
        "Samira Dijkstra (moeder)",
        10,
        AgreementState.OPEN,
    ),
    (
        "Elke avond even langskomen bij Samira en Noah",
        "netwerk",
        "Youssef Amrani (oom)",
        -4,
        AgreementState.DONE,
    ),
]


def _coordinator(file: CoordinationFile) -> tuple[Actor, FileAccess]:
    actor = actor_for_user(user=file.coordinator, organisation_id=file.lead_organisation_id)
    assert actor is not None, "the demo casusregisseur has no organisation"
    return actor, file_access_for(actor, file)


def _agreements(file: CoordinationFile, plan: Plan) -> None:
    actor, access = _coordinator(file)
    today = timezone.localdate()
    for what, party, who, days, state in plan:
        professional = party == "professional"
        agreement = agreements.agreement_create(
            actor=actor,
            access=access,
            what=what,
            party=party,
            owner=User.objects.get(username=who) if professional else None,
            owner_name="" if professional else who,
            due_date=today + datetime.timedelta(days=days),
            in_safety_plan=party == "netwerk",
        )
        if state != AgreementState.OPEN:
            agreements.agreement_update(
                actor=actor,
                access=access,
                agreement=agreement,
                state=state,
                due_date=agreement.due_date,
                expected_version=agreements.agreement_version(agreement),
            )


def _invite_childcare(file: CoordinationFile) -> None:
    actor, access = _coordinator(file)
    invited = User.objects.get(username="pm.opvang")
    invited_actor = actor_for_user(user=invited)
    assert invited_actor is not None
    until = timezone.localdate() + datetime.timedelta(days=180)
    ground = privacy_services.sharing_ground_record(
        actor=actor,
        client_pseudonym=file.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="team, afspraken en volgend contact; veiligheidsplan",
        with_whom=f"{invited.get_full_name()}, {invited_actor.organisation.name}",
        purpose=team.PURPOSE,
        given_by="Linda Verhoeven (moeder)",
        valid_until=until,
    )
    team.invitation_send(
        actor=actor,
        access=access,
        user=invited,
        organisation=invited_actor.organisation,
        role_description="Ik ben de pedagogisch medewerker op de opvang. Ik vertel u hoe het op "
        "de opvang gaat, en bel u als mij iets opvalt.",
        phone="0527 700 701",
        ground=ground,
        parts=(FileParts.SAFETY_PLAN,),
        until=until,
    )


def _next_contact(file: CoordinationFile, days: int) -> None:
    actor, access = _coordinator(file)
    team.next_contact_set(
        actor=actor,
        access=access,
        next_contact=timezone.localdate() + datetime.timedelta(days=days),
    )


def load() -> None:
    wijkteam = CoordinationFile.objects.filter(title=WIJKTEAM_FILE).first()
    veilig_thuis = CoordinationFile.objects.filter(title=VEILIG_THUIS_FILE).first()
    if wijkteam is None or veilig_thuis is None:
        return
    if Agreement.objects.filter(file=wijkteam, what=MARKER).exists():
        return
    _agreements(wijkteam, WIJKTEAM_AGREEMENTS)
    _invite_childcare(wijkteam)
    _next_contact(wijkteam, 4)
    _agreements(veilig_thuis, VEILIG_THUIS_AGREEMENTS)
    _next_contact(veilig_thuis, 2)
