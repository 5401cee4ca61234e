"""Demo instrument results on the demo cases, and one organisation's own instrument.

Runs after the cases loader. Every result is made through the same services a professional uses
(so the dossier entries and access-log rows are real) and then dated back into the story of its
case, like the cases demo does. A home-visit scan is done twice on one case (a reassessment), and
one professional has a scan saved halfway. Basisschool De Polderpionier has uploaded a checklist
of its own, and adjusted the shipped trafficking signals for its pupils on the beheer page.
Running the loader again adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases.models import Case, Entry
from meldwijzer.instruments import services
from meldwijzer.instruments.editing import InstrumentEdit, QuestionEdit
from meldwijzer.instruments.format import Instrument
from meldwijzer.instruments.loader import shipped_instruments
from meldwijzer.instruments.models import InstrumentDefinition, InstrumentDraft, InstrumentResult
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.selectors import actor_for_user

OWN_INSTRUMENT = """\
# Eigen instrument van Basisschool De Polderpionier (demo): geladen via de beheerpagina.
format: 1
key: polderpionier_leerling
version: "2024.1"
title: Checklist zorgen over een leerling
kind: screening
validated: false
source: Intern team leerlingenzorg van Basisschool De Polderpionier (demo).
licence: Alleen voor gebruik binnen Basisschool De Polderpionier.
intended_users: [Leerkrachten, Intern begeleiders]
phases: [stap_1, stap_4]
description: >-
  Een korte checklist die het team leerlingenzorg gebruikt als een leerkracht zich zorgen maakt
  over een leerling, om de zorgen voor de collegiale consultatie op een rij te zetten.
flags:
  ib_bespreken:
    label: Bespreken met de intern begeleider
    text: Plan deze week een gesprek met de intern begeleider en de aandachtsfunctionaris.
sections:
  - id: leerling
    title: Wat ziet u bij de leerling?
    items:
      - {id: verzuim, type: yes_no, text: De leerling verzuimt vaak of komt vaak te laat.}
      - {id: moe, type: yes_no, text: De leerling is vaak moe of hongerig op school.}
      - {id: teruggetrokken, type: yes_no, text: De leerling trekt zich terug of is stil.}
      - {id: letsel, type: yes_no, weight: 2, text: De leerling heeft letsel dat niet past bij de uitleg.}
      - {id: ouders_bereik, type: yes_no, text: De ouders zijn moeilijk te bereiken.}
scores:
  - id: zorgen
    label: Zorgen
    sections: [leerling]
    bands:
      - {code: weinig, label: Weinig zorgen, min: 0, max: 1}
      - {code: zorgen, label: Zorgen, min: 2, max: 3, flags: [ib_bespreken]}
      - {code: veel, label: Veel zorgen, min: 4, flags: [ib_bespreken]}
rules:
  - id: verwaarlozing
    when:
      all:
        - {item: moe, is: ja}
        - {item: verzuim, is: ja}
    explanation: Een leerling die vaak verzuimt en moe of hongerig is.
    violence: [verwaarlozing]
"""


@dataclass(frozen=True)
class DemoResult:
    username: str
    case_title: str
    key: str
    days_ago: int
    answers: dict[str, Any] = field(default_factory=dict)


SCAN = "huisbezoek_scan"
PROFILES = "gezinsprofielen"

RESULTS: list[DemoResult] = [
    DemoResult("veiligthuis", "Zorgen bij huisbezoek, ander gezin", SCAN, 0, {
        "kind_afhankelijk": "ja", "ouder_stress": "ja", "omgeving_geld": "ja",
        "gezin_negatief": "ja", "omgeving_buurt": "onbekend", "sig_angst": "ja",
        "bf_ouder_open": "ja", "bf_kind_band": "ja", "veiligheid_nu": 2,
        "toelichting": "Krappe flat, vier personen op twee kamers. Moeder vertelt over "
        "oplopende schulden.",
    }),
    DemoResult("aandacht.school", "Broertje en zusje, groep 1 en 4", SCAN, 3, {
        "kind_afhankelijk": "ja", "ouder_psychisch": "ja", "ouder_verslaving": "onbekend",
        "ouder_eigen_ervaringen": "ja", "ouder_vaardigheden": "ja", "gezin_eenouder": "ja",
        "omgeving_geld": "ja", "sig_verzorging": "ja", "sig_afspraken": "ja",
        "bf_kind_band": "ja", "veiligheid_nu": 2,
    }),
    DemoResult("aandacht.school", "Broertje en zusje, groep 1 en 4", PROFILES, 2, {
        "kinderen_in_huis": "ja", "st_geld": "ja", "st_stapeling": "ja", "lz_lang": "ja",
        "lz_ouder": "ja", "lz_eigen_jeugd": "ja", "lz_terugval": "onbekend",
    }),
    DemoResult("jgz", "Schoolkind met blauwe plekken", SCAN, 2, {
        "kind_gedrag": "ja", "ouder_stress": "ja", "ouder_vaardigheden": "ja",
        "sig_letsel": "ja", "sig_angst": "ja", "sig_hardhandig": "onbekend",
        "bf_ouder_open": "ja", "bf_netwerk": "ja", "veiligheid_nu": 2,
    }),
    # A reassessment: the same scan when help started, and again three weeks later.
    DemoResult("aandacht.wijkteam", "Gezin, signalen van schuldhulp", SCAN, 21, {
        "ouder_stress": "ja", "omgeving_geld": "ja", "omgeving_ex_samenwonen": "ja",
        "gezin_negatief": "ja", "gezin_scheiding": "ja", "sig_getuige": "ja", "sig_angst": "ja",
        "bf_kind_band": "ja", "veiligheid_nu": 3,
    }),
    DemoResult("aandacht.wijkteam", "Gezin, signalen van schuldhulp", SCAN, 1, {
        "ouder_stress": "ja", "omgeving_geld": "ja", "gezin_scheiding": "ja",
        "bf_kind_band": "ja", "bf_ouder_open": "ja", "bf_hulp": "ja", "bf_structuur": "ja",
        "bf_netwerk": "ja", "veiligheid_nu": 1,
        "toelichting": "Schuldhulp loopt; de ruzies zijn minder sinds vader elders woont.",
    }),
]  # fmt: skip

# A scan saved halfway, to be finished by its professional.
DRAFT = DemoResult("wijkcoach", "Jongere met zorgen over thuis", SCAN, 0, {
    "ouder_stress": "ja", "gezin_negatief": "ja", "gezin_geweld": "onbekend",
    "omgeving_ex_samenwonen": "nee", "sig_verandering": "ja",
})  # fmt: skip


def _answers(instrument: Instrument, answers: dict[str, Any]) -> dict[str, Any]:
    """The demo's answers, with every required question it leaves open at its lowest answer."""
    values = dict(answers)
    for item in instrument.items.values():
        if item.required and item.id not in values:
            values[item.id] = item.minimum if item.type == "scale" else "nee"
    return values


def _actor(username: str) -> Actor:
    actor = actor_for_user(user=User.objects.get(username=username))
    if actor is None:  # pragma: no cover
        raise ValueError(f"Demogebruiker {username} heeft geen organisatie.")
    return actor


def _case(username: str, title: str) -> tuple[Actor, Case]:
    actor = _actor(username)
    return actor, Case.objects.get(organisation=actor.organisation, title=title)


def _backdate(result: InstrumentResult, days_ago: int) -> None:
    at = timezone.now() - datetime.timedelta(days=days_ago, hours=2)
    InstrumentResult.objects.filter(pk=result.pk).update(created_at=at)
    Entry.objects.filter(pk=result.entry_id).update(created_at=at)


def _upload_own_instrument() -> None:
    actor = _actor("beheer.school")
    if InstrumentDefinition.objects.filter(
        organisation=actor.organisation, key="polderpionier_leerling"
    ).exists():
        return
    services.instrument_upload(
        actor=actor,
        data=OWN_INSTRUMENT.encode(),
        filename="polderpionier_leerling.yaml",
        enable=True,
    )


TRAFFICKING = "mensenhandel_signalen"


def _adjust_shipped_instrument() -> None:
    """The school's wording for its pupils, made on the beheer page ('Aanpassen')."""
    actor = _actor("beheer.school")
    if InstrumentDefinition.objects.filter(
        organisation=actor.organisation, key=TRAFFICKING
    ).exists():
        return
    shipped = shipped_instruments()[TRAFFICKING]
    school = shipped.items["nl_school"]
    services.instrument_edit_save(
        actor=actor,
        key=TRAFFICKING,
        edit=InstrumentEdit(
            title="Signalen mensenhandel en seksuele uitbuiting bij leerlingen",
            questions={
                "nl_school": QuestionEdit(
                    text=school.text,
                    help="Vergelijk met de resultaten en de aanwezigheid van de afgelopen "
                    "maanden, en bespreek het met de intern begeleider.",
                )
            },
        ),
        based_on_version=shipped.version,
    )


def load() -> None:
    _upload_own_instrument()
    _adjust_shipped_instrument()
    planned: dict[tuple[str, str, str], int] = {}
    for demo in RESULTS:
        slot = (demo.username, demo.case_title, demo.key)
        planned[slot] = planned.get(slot, 0) + 1
        actor, case = _case(demo.username, demo.case_title)
        if InstrumentResult.objects.filter(case=case, key=demo.key).count() >= planned[slot]:
            continue
        instrument, _ = services.answering_instrument(actor=actor, case=case, key=demo.key)
        result = services.instrument_result_record(
            actor=actor,
            case=case,
            key=demo.key,
            answers=_answers(instrument, demo.answers),
        )
        _backdate(result, demo.days_ago)
    actor, case = _case(DRAFT.username, DRAFT.case_title)
    if not InstrumentDraft.objects.filter(case=case, key=DRAFT.key).exists():
        services.instrument_draft_save(
            actor=actor,
            case=case,
            key=DRAFT.key,
            answers=DRAFT.answers,
        )
