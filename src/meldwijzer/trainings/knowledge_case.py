"""What the knowledge area shows in the dossier, through `cases.extensions`: the knowledge of the
case's current step on the case page, and the guides per target group on the signal form
(registered in `TrainingsConfig.ready`)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import escape

from meldwijzer.cases.entries import CATEGORIES
from meldwijzer.cases.extensions import SignalGuide, StepKnowledge
from meldwijzer.cases.models import Case
from meldwijzer.cases.workflow import STEPS
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Profession
from meldwijzer.trainings import knowledge
from meldwijzer.trainings.knowledge_versions import step_knowledge_get


def step_knowledge_for_case(actor: Actor, case: Case) -> StepKnowledge | None:
    """The knowledge of the case's current step for the case's beroepsgroep (its own addition
    under the general text); None once the steps are done."""
    if case.phase not in STEPS:
        return None
    number = STEPS.index(case.phase) + 1
    profession = case.profession if case.profession in Profession.values else knowledge.GENERAL
    found = step_knowledge_get(number=number, profession=profession)
    if found is None:  # pragma: no cover - both were checked above
        return None
    html = "".join(
        [
            found.general.html_at(1),
            *(
                [
                    f'<h3 class="utrecht-heading-3">{escape(found.addition.title)}</h3>',
                    found.addition.html_at(2),
                ]
                if found.addition
                else []
            ),
        ]
    )
    return StepKnowledge(
        title=found.general.title,
        html=html,
        as_of=found.as_of,
        url=reverse("trainings:knowledge_step", args=[number, profession]),
    )


def signal_guides_for_categories() -> list[SignalGuide]:
    labels = dict(CATEGORIES)
    return [
        SignalGuide(
            category=category,
            label=labels[category],
            url=reverse("trainings:knowledge_target_group", args=[key.split("/", 1)[1]]),
        )
        for category, key in knowledge.category_guides().items()
    ]
