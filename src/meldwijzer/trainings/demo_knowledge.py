"""Demo data for the knowledge area: the redacteur (`redactie`, GGD Flevoland) has written two
new versions of the onderwijs text of step 2, so its history shows versions 0, 1 and 2. Safe to
run twice: a text that already has versions is left as it is."""

from __future__ import annotations

import datetime

from meldwijzer.accounts.models import User
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.trainings import knowledge
from meldwijzer.trainings.knowledge_versions import knowledge_save
from meldwijzer.trainings.models import KnowledgeVersion

EDITOR = "redactie"

STEP_2_ONDERWIJS_V1 = """\
- Overleg met de aandachtsfunctionaris of intern begeleider van uw school.
- De jeugdarts of jeugdverpleegkundige van GGD Flevoland kent veel gezinnen en kan meedenken.
- Vertel aan een collega buiten school geen naam als dat niet nodig is.
- Leg na het overleg meteen vast wie er meedacht en wat het advies was."""

STEP_2_ONDERWIJS_V2 = """\
- Overleg met de aandachtsfunctionaris of intern begeleider van uw school.
- De jeugdarts of jeugdverpleegkundige van GGD Flevoland kent veel gezinnen en kan meedenken.
- Vertel aan een collega buiten school geen naam als dat niet nodig is.
- Leg na het overleg meteen vast wie er meedacht en wat het advies was.
- Hebt u geen aandachtsfunctionaris op school? Vraag advies aan Veilig Thuis Flevoland:
  [0800-2000](tel:08002000). Dat kan zonder de naam van de leerling."""

EDITS: list[tuple[str, str, str, datetime.date, str]] = [
    (
        "stap-2/onderwijs",
        "In het onderwijs",
        STEP_2_ONDERWIJS_V1,
        datetime.date(2026, 11, 16),
        "Tip toegevoegd: leg het advies meteen vast.",
    ),
    (
        "stap-2/onderwijs",
        "In het onderwijs",
        STEP_2_ONDERWIJS_V2,
        datetime.date(2026, 11, 30),
        "Veilig Thuis genoemd voor scholen zonder aandachtsfunctionaris.",
    ),
]


def load() -> None:
    """The redacteur's versions, for texts that have none yet."""
    user = User.objects.filter(username=EDITOR).first()
    actor = actor_for_user(user=user) if user else None
    if actor is None:  # pragma: no cover - the demo users are loaded first
        raise ValueError(f"Demogebruiker {EDITOR} heeft geen organisatie.")
    keys = {key for key, *_ in EDITS}
    done = set(KnowledgeVersion.objects.filter(key__in=keys).values_list("key", flat=True))
    shipped = knowledge.shipped()
    for key, title, body, as_of, note in EDITS:
        if key in done:
            continue
        current = KnowledgeVersion.objects.filter(key=key).order_by("-version").first()
        knowledge_save(
            actor=actor,
            key=key,
            based_on=current.version if current else 0,
            title=title,
            body=body,
            as_of=as_of,
            source=shipped[key].source,
            note=note,
        )
