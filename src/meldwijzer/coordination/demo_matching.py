"""Demo match signals: the same child registered by two organisations. Loaded after
`coordination.demo`; all people are made up; loading twice changes nothing.

- The GGD's jeugdverpleegkundige opens a case about baby Noah Dijkstra, who is in Veilig Thuis'
  file 'Moeder met pasgeboren baby, Marknesse': she and the casusregisseur at Veilig Thuis both get
  a notice, and hers says the family has a casusregisseur.
- The pedagogisch medewerker of the kinderopvang opens a case about Fleur Verhoeven, who is in the
  wijkteam's file 'Gezin met twee kinderen, Emmeloord'.

The demo loads with the matching listener silenced (`demo.demo_load`): the made-up children of
the case stories share names across organisations and would match each other. Here matching is
run explicitly, for these two cases only.
"""

from __future__ import annotations

import datetime

from meldwijzer.accounts.models import User
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case, ClientKind
from meldwijzer.coordination import matching
from meldwijzer.coordination.demo import PHONES
from meldwijzer.organisations.selectors import actor_for_user

# username, case title (no names), profession, the child's name and date of birth as in the file
CASES = [
    (
        "jgz",
        "Baby op het consultatiebureau, weinig gegroeid",
        "artsen",
        "Noah Dijkstra",
        datetime.date(2026, 10, 20),
    ),
    (
        "pm.opvang",
        "Kleuter op de bso, vaak stil en moe",
        "kinderopvang",
        "Fleur Verhoeven",
        datetime.date(2020, 9, 2),
    ),
]


# How the professionals of these notices are reached (made up): shown in the notice.
PHONES_OF_PROFESSIONALS = {
    **{name: PHONES[name] for name in ("jgz", "veiligthuis", "regisseur")},
    "pm.opvang": "0527 700 701",
}


def load() -> None:
    for username, phone in PHONES_OF_PROFESSIONALS.items():
        User.objects.filter(username=username, phone="").update(phone=phone)
    for username, title, profession, name, born in CASES:
        actor = actor_for_user(user=User.objects.get(username=username))
        assert actor is not None, f"demo account {username} has no organisation"
        if Case.objects.filter(organisation=actor.organisation, title=title).exists():
            continue
        case = case_services.case_open(
            actor=actor,
            title=title,
            profession=profession,
            client=ClientKind.CHILD,
            name=name,
            date_of_birth=born,
        )
        for person in case.persons.all():
            matching.person_registered(person)
