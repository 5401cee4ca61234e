"""The self-check's raw totals for the datalab, on hand-checked data: per beroepsgroep, for the
organisations seated in or working in the municipality, each attempt counted once, one query."""

from __future__ import annotations

import pytest

from meldwijzer.trainings.models import SelfCheckAttempt
from meldwijzer.trainings.selfcheck import SelfCheckFigures, selfcheck_figures
from tests.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_figures_per_beroepsgroep_for_the_municipality(django_assert_num_queries):
    polder = MunicipalityFactory(name="Noordoostpolder")
    urk = MunicipalityFactory(name="Urk")
    lelystad = MunicipalityFactory(name="Lelystad")
    seated_and_working = OrganisationFactory(municipality=polder)  # both: counted once
    seated_and_working.works_in.set([polder, urk])
    working_in = OrganisationFactory(municipality=lelystad)
    working_in.works_in.set([polder, urk, lelystad])
    elsewhere = OrganisationFactory(municipality=urk)
    elsewhere.works_in.set([urk])
    seated_only = OrganisationFactory(municipality=polder)

    def person(organisation):
        return MembershipFactory(organisation=organisation).user

    teacher, teacher2, outsider = person(seated_and_working), person(working_in), person(elsewhere)
    doctor, doctor2 = person(seated_only), person(working_in)
    attempts = [
        # (user, organisation, beroepsgroep, score, total)
        (teacher, seated_and_working, "onderwijs", 8, 13),
        (teacher, seated_and_working, "onderwijs", 11, 13),
        (teacher, working_in, "onderwijs", 9, 13),  # the same person for another organisation
        (teacher2, working_in, "onderwijs", 10, 13),
        (outsider, elsewhere, "onderwijs", 5, 13),  # not in the municipality
        (doctor, seated_only, "artsen", 12, 13),
        (doctor2, working_in, "artsen", 6, 13),
        (doctor2, working_in, "artsen", 7, 13),
        (doctor2, working_in, "paramedici", 4, 10),
    ]
    for user, organisation, profession, score, total in attempts:
        SelfCheckAttempt.objects.create(
            user=user,
            organisation=organisation,
            profession=profession,
            quiz_version="algemeen:1",
            score=score,
            total=total,
        )

    with django_assert_num_queries(1):
        figures = selfcheck_figures(municipality=polder)

    assert figures == {
        "onderwijs": SelfCheckFigures(
            professionals=2, attempts=4, answers_right=38, answers_total=52
        ),
        "artsen": SelfCheckFigures(professionals=2, attempts=3, answers_right=25, answers_total=39),
        "paramedici": SelfCheckFigures(
            professionals=1, attempts=1, answers_right=4, answers_total=10
        ),
    }
    assert selfcheck_figures(municipality=urk)["onderwijs"] == SelfCheckFigures(
        professionals=3, attempts=5, answers_right=43, answers_total=65
    )
    assert selfcheck_figures(municipality=MunicipalityFactory(name="Zeewolde")) == {}
