"""Demo coordination files: two families with a team from several organisations, built through
the services. The areas add their own demo on top (`demo_<area>.py`, later in
`MELDWIJZER_DEMO_LOADERS`) and find these files by their title. All people are made up; loading
twice changes nothing.

- 'Gezin met twee kinderen, Emmeloord': regie at the Sociaal Wijkteam (Anouk Kramer); the wijkcoach,
  the teacher (consent: team and safety plan) and the jeugdarts (consent: team only) in the team.
- 'Moeder met pasgeboren baby, Marknesse': regie at Veilig Thuis (Noor Bakker); the
  kraamverzorgende (consent: everything) and the huisarts (conflict of duties: team and contacts).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.coordination import services
from meldwijzer.coordination.models import CoordinationFile, FileParts
from meldwijzer.coordination.services import FamilyMemberData
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import CONFLICT_CHECKS, GroundKind

WIJKTEAM_FILE = "Gezin met twee kinderen, Emmeloord"
VEILIG_THUIS_FILE = "Moeder met pasgeboren baby, Marknesse"

# The phone numbers of the demo professionals in the files (made up).
PHONES = {
    "regisseur": "0527 700 101",
    "wijkcoach": "0527 700 102",
    "veiligthuis": "0320 700 201",
    "docent": "0527 700 301",
    "jgz": "0527 700 401",
    "kraamzorg": "0527 700 501",
    "huisarts": "0527 700 601",
}


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _actor(username: str) -> Actor:
    actor = actor_for_user(user=_user(username))
    assert actor is not None, f"demo account {username} has no organisation"
    return actor


def _member(
    coordinator_actor: Actor,
    file: CoordinationFile,
    username: str,
    role_description: str,
    *,
    ground_kind: str = "",
    parts: tuple[str, ...] = (),
    given_by: str = "",
) -> None:
    member = _actor(username)
    user, organisation = member.user, member.organisation
    ground = None
    until = None
    if organisation.pk != file.lead_organisation_id:
        today = timezone.localdate()
        until = today + datetime.timedelta(days=180)
        conflict = ground_kind == GroundKind.CONFLICT_OF_DUTIES
        ground = privacy_services.sharing_ground_record(
            actor=coordinator_actor,
            client_pseudonym=file.client_pseudonym,
            kind=ground_kind,
            what=", ".join(FileParts(part).label.lower() for part in (FileParts.TEAM, *parts)),
            with_whom=f"{user.get_full_name()}, {organisation.name}",
            purpose="Samenwerken aan de veiligheid van het gezin",
            given_by=given_by,
            reasoning=(
                "Moeder wil niet dat de huisarts meedoet, maar zonder de huisarts missen we "
                "de medische signalen bij de baby; de veiligheid van de baby weegt zwaarder."
                if conflict
                else ""
            ),
            checks=[code for code, _ in CONFLICT_CHECKS] if conflict else [],
            valid_until=until,
        )
    services.team_member_add(
        actor=coordinator_actor,
        file=file,
        user=user,
        organisation=organisation,
        role_description=role_description,
        ground=ground,
        parts=parts,
        until=until,
        phone=PHONES.get(username, ""),
    )


def _open(
    username: str, title: str, family: list[FamilyMemberData], role: str
) -> tuple[Actor, CoordinationFile]:
    actor = _actor(username)
    file = services.file_open(
        actor=actor, title=title, family=family, role_description=role, phone=PHONES[username]
    )
    return actor, file


def load() -> None:
    if CoordinationFile.objects.filter(title=WIJKTEAM_FILE).exists():
        return
    actor, file = _open(
        "regisseur",
        WIJKTEAM_FILE,
        [
            FamilyMemberData("kind", "Sem Verhoeven", "zoon", datetime.date(2017, 3, 14)),
            FamilyMemberData("kind", "Fleur Verhoeven", "dochter", datetime.date(2020, 9, 2)),
            FamilyMemberData("ouder", "Linda Verhoeven", "moeder", phone="06 0000 0101"),
            FamilyMemberData("ouder", "Erik Verhoeven", "vader (woont apart)"),
            FamilyMemberData(
                "netwerk", "Gerda Verhoeven", "oma van vaderskant", phone="06 0000 0102"
            ),
        ],
        "Ik ben uw vaste aanspreekpunt. Ik houd bij wie wat doet en bel u elke twee weken.",
    )
    _member(
        actor, file, "wijkcoach", "Ik kom elke week bij u thuis en help met rust in huis en geld."
    )
    _member(
        actor,
        file,
        "docent",
        "Ik ben de juf van Sem. Ik let op hoe het met Sem gaat en bel u als mij iets opvalt.",
        ground_kind=GroundKind.CONSENT,
        parts=(FileParts.SAFETY_PLAN,),
        given_by="Linda Verhoeven (moeder)",
    )
    _member(
        actor,
        file,
        "jgz",
        "Ik ben de jeugdarts. Ik kijk naar de groei en gezondheid van Fleur.",
        ground_kind=GroundKind.CONSENT,
        given_by="Linda Verhoeven (moeder)",
    )

    actor, file = _open(
        "veiligthuis",
        VEILIG_THUIS_FILE,
        [
            FamilyMemberData("kind", "Noah Dijkstra", "zoon", datetime.date(2026, 10, 20)),
            FamilyMemberData("ouder", "Samira Dijkstra", "moeder", phone="06 0000 0201"),
            FamilyMemberData("netwerk", "Youssef Amrani", "broer van moeder", phone="06 0000 0202"),
        ],
        "Ik onderzoek bij Veilig Thuis of Noah veilig is en houd tot de overdracht de regie.",
    )
    _member(
        actor,
        file,
        "kraamzorg",
        "Ik kom de eerste weken dagelijks voor moeder en baby en bel bij zorgen meteen.",
        ground_kind=GroundKind.CONSENT,
        parts=(FileParts.FAMILY, FileParts.SAFETY_PLAN, FileParts.CONTACTS),
        given_by="Samira Dijkstra (moeder)",
    )
    _member(
        actor,
        file,
        "huisarts",
        "Ik ben de huisarts van moeder en baby en zie hen bij elk spreekuurbezoek.",
        ground_kind=GroundKind.CONFLICT_OF_DUTIES,
        parts=(FileParts.CONTACTS,),
    )
