"""Demo safety plans with several revisions (one overdue for review) and contact notes, one of
them "niet veilig" and not yet acknowledged. Loaded after `coordination.demo`; all people are
made up; loading twice changes nothing.

- 'Gezin met twee kinderen, Emmeloord': three versions of the plan, made through the service by
  the casusregisseur and the wijkcoach; two agreements in the plan; safe contacts.
- 'Moeder met pasgeboren baby, Marknesse': two versions made weeks ago, whose review date has
  passed (written with the dates they would have had: the service refuses a review date in the
  past, as it should); the kraamverzorgende's contact says "niet veilig" and waits for the
  casusregisseur.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from meldwijzer.coordination import contacts, safety_plan, selectors
from meldwijzer.coordination.agreements import agreement_create
from meldwijzer.coordination.contacts import ContactData
from meldwijzer.coordination.demo import PHONES, VEILIG_THUIS_FILE, WIJKTEAM_FILE, _actor, _user
from meldwijzer.coordination.models import CoordinationFile, SafetyPlanRevision
from meldwijzer.organisations.actor import Actor


def _wijkteam_plan(version: int) -> dict[str, Any]:
    goals = [
        {
            "behaviour": "Als papa en mama ruzie hebben, gaat papa naar buiten en belt hij oma "
            "Gerda. Er wordt niet geslagen of gegooid.",
            "scores": [
                {"who": "Linda (moeder)", "score": 4 + version},
                {"who": "Erik (vader)", "score": 5 + version},
                {"who": "Sem (9 jaar)", "score": 3 + version},
                {"who": "Wijkcoach", "score": 3 + version},
            ],
        },
        {
            "behaviour": "Sem en Fleur gaan elke dag naar school en de opvang en vertellen de juf "
            "of het goed gaat.",
            "scores": [
                {"who": "Linda (moeder)", "score": 7},
                {"who": "Juf van Sem", "score": 5 + version},
            ],
        },
    ]
    return {
        "worries": {
            "happened": "Sem vertelde op school dat papa mama had geduwd en dat hij daar bang van "
            "werd. Er is vaak ruzie over geld.",
            "afraid_of": "Dat er weer geweld is waar Sem en Fleur bij zijn, en dat de kinderen "
            "zich thuis niet veilig voelen.",
        },
        "goals": goals[: 1 + min(version, 1)],
        "child_view": "Sem: ‘Ik wil dat papa en mama niet meer schreeuwen.’"
        if version >= 2
        else "",
        "network": [
            {
                "name": "Gerda Verhoeven",
                "relation": "oma van vaderskant",
                "phone": "06 0000 0102",
                "helps_with": "Vader kan bij haar terecht als het thuis te druk wordt; zij haalt "
                "de kinderen op woensdag.",
            }
        ],
        "when_wrong": {
            "what_to_do": "Ga met de kinderen naar een andere kamer of naar de buren. Bel daarna "
            "de casusregisseur.",
            "call": [
                {
                    "name": "Anouk Kramer, casusregisseur",
                    "phone": PHONES["regisseur"],
                    "when": "op werkdagen",
                },
                {"name": "Veilig Thuis", "phone": "0800 2000", "when": "dag en nacht"},
            ],
        },
    }


def _baby_plan(version: int) -> dict[str, Any]:
    return {
        "worries": {
            "happened": "De kraamverzorgende zag blauwe plekken op de arm van moeder. Moeder is "
            "erg moe en alleen met de baby.",
            "afraid_of": "Dat Noah niet goed verzorgd wordt als moeder het niet meer aankan, en "
            "dat de ex-partner weer langskomt.",
        },
        "goals": [
            {
                "behaviour": "Noah drinkt goed, groeit en wordt elke dag door de kraamzorg of de "
                "huisarts gezien.",
                "scores": [
                    {"who": "Samira (moeder)", "score": 5 + version},
                    {"who": "Kraamverzorgende", "score": 4 + version},
                ],
            }
        ],
        "child_view": "",
        "network": [
            {
                "name": "Youssef Amrani",
                "relation": "broer van moeder",
                "phone": "06 0000 0202",
                "helps_with": "Slaapt de eerste weken op de bank en is er als de ex-partner komt.",
            }
        ],
        "when_wrong": {
            "what_to_do": "Doe de deur niet open voor de ex-partner. Bel Youssef en daarna "
            "Veilig Thuis.",
            "call": [
                {
                    "name": "Noor Bakker, Veilig Thuis",
                    "phone": PHONES["veiligthuis"],
                    "when": "op werkdagen",
                },
                {"name": "Veilig Thuis", "phone": "0800 2000", "when": "dag en nacht"},
            ],
        },
    }


def _revise(actor: Actor, file: CoordinationFile, content: dict[str, Any], note: str) -> None:
    access = selectors.file_access_for(actor, file)
    current = safety_plan.plan_current(access)
    safety_plan.safety_plan_revise(
        actor=actor,
        access=access,
        content=content,
        review_date=timezone.localdate() + datetime.timedelta(weeks=6),
        based_on=current.number if current else 0,
        change_note=note,
    )


def _revision_backdated(
    username: str, file: CoordinationFile, number: int, content: dict[str, Any], days_ago: int
) -> None:
    clean, errors = safety_plan.plan_content_clean(content)
    assert not errors, errors
    actor = _actor(username)
    SafetyPlanRevision.objects.create(
        file=file,
        number=number,
        content=clean,
        review_date=timezone.localdate() - datetime.timedelta(days=days_ago - 28),
        change_note="" if number == 1 else "Broer van moeder toegevoegd aan het netwerk.",
        author=actor.user,
        organisation=actor.organisation,
        created_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def _contact(username: str, file: CoordinationFile, days_ago: int, **fields: Any) -> None:
    actor = _actor(username)
    contacts.contact_note_create(
        actor=actor,
        access=selectors.file_access_for(actor, file),
        data=ContactData(
            contact_date=timezone.localdate() - datetime.timedelta(days=days_ago), **fields
        ),
    )


def load() -> None:
    wijkteam = CoordinationFile.objects.filter(title=WIJKTEAM_FILE).first()
    baby = CoordinationFile.objects.filter(title=VEILIG_THUIS_FILE).first()
    if wijkteam is None or baby is None or wijkteam.safety_plan_revisions.exists():
        return

    regisseur = _actor("regisseur")
    wijkcoach = _actor("wijkcoach")
    _revise(regisseur, wijkteam, _wijkteam_plan(0), "Eerste plan, opgesteld met moeder.")
    _revise(wijkcoach, wijkteam, _wijkteam_plan(1), "Doel over school toegevoegd.")
    _revise(regisseur, wijkteam, _wijkteam_plan(2), "Scores na het gesprek met vader en Sem.")
    access = selectors.file_access_for(regisseur, wijkteam)
    today = timezone.localdate()
    agreement_create(
        actor=regisseur,
        access=access,
        what="Vader gaat naar buiten en belt oma Gerda als een ruzie oploopt.",
        party="gezin",
        owner_name="Erik Verhoeven (vader)",
        due_date=today + datetime.timedelta(weeks=6),
        in_safety_plan=True,
    )
    agreement_create(
        actor=regisseur,
        access=access,
        what="Elke week een huisbezoek om te kijken hoe het gaat.",
        party="professional",
        owner=_user("wijkcoach"),
        due_date=today + datetime.timedelta(weeks=1),
        in_safety_plan=True,
    )

    veiligthuis = _actor("veiligthuis")
    agreement_create(
        actor=veiligthuis,
        access=selectors.file_access_for(veiligthuis, baby),
        what="Youssef slaapt de eerste weken bij moeder en Noah.",
        party="netwerk",
        owner_name="Youssef Amrani (broer van moeder)",
        due_date=today + datetime.timedelta(weeks=2),
        in_safety_plan=True,
    )
    _revision_backdated("veiligthuis", baby, 1, _baby_plan(0), days_ago=56)
    _revision_backdated("veiligthuis", baby, 2, _baby_plan(1), days_ago=35)

    with contacts.alerts_muted():
        _contact(
            "wijkcoach",
            wijkteam,
            9,
            with_whom="moeder, Sem en Fleur",
            summary="Huisbezoek. Moeder vertelt dat het rustiger is; vader belde oma toen het "
            "misging.",
            plan_kept="ja",
            safety="veilig",
        )
        _contact(
            "regisseur",
            wijkteam,
            2,
            with_whom="vader, telefonisch",
            summary="Vader is blij met de afspraak over oma. Volgende week gesprek met beide "
            "ouders.",
            plan_kept="deels",
            new_worries="Vader mist soms de afspraak bij de schuldhulp; dat geeft stress.",
            safety="veilig",
        )
        _contact(
            "kraamzorg",
            baby,
            1,
            with_whom="moeder en Noah",
            summary="Moeder huilde en vertelde dat de ex-partner gisteravond voor de deur stond. "
            "Broer van moeder was er niet.",
            plan_kept="nee",
            new_worries="De ex-partner weet waar moeder woont. Moeder slaapt slecht.",
            safety="onveilig",
        )
