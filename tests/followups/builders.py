"""Follow-up plans in a known state, built through the services (shared by the follow-up tests)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from meldwijzer.cases import services as case_services
from meldwijzer.cases.extensions import FollowupAgreement
from meldwijzer.cases.models import Case, Outcome
from meldwijzer.followups.models import FollowupPlan
from meldwijzer.organisations.actor import Actor
from tests.cases.builders import weighing_case


def help_case(actor: Actor, title: str = "Zorgen over leerling") -> Case:
    """A case in help, with afweging 5 answered 'ja': ready to close with follow-up."""
    case = weighing_case(actor, title)
    for question, answer in (
        ("afweging_1", "ja"),
        ("afweging_2", "nee"),
        ("afweging_3", "ja"),
        ("afweging_4", "ja"),
    ):
        case_services.case_record_weighing(
            actor=actor, case=case, expected_version=case.version, question=question,
            answer=answer, reasoning="Afgewogen.",
        )  # fmt: skip
        if question == "afweging_2":
            case_services.case_move(
                actor=actor, case=case, expected_version=case.version, target="stap_5"
            )
    case_services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.HELP,
        agreements="Hulp via het wijkteam.",
        review_date=timezone.localdate() + datetime.timedelta(days=30),
    )  # fmt: skip
    case_services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_5",
        answer="ja", reasoning="Het gaat duurzaam beter.",
    )  # fmt: skip
    case.refresh_from_db()
    return case


def agreement(
    follower: Actor, *, months: int = 18, ground_id: int | None = None, schedule: str = ""
) -> FollowupAgreement:
    from meldwijzer.followups.schedules import months_after

    return FollowupAgreement(
        follower_id=follower.user.pk,
        organisation_id=follower.organisation.pk,
        how="Maandelijks huisbezoek, daarna afbouwen; bij zorgen belt moeder de JGZ.",
        until=months_after(timezone.localdate(), months),
        schedule=schedule,
        ground_id=ground_id,
    )


def closed_with_plan(actor: Actor, follower: Actor | None = None, **kwargs: object) -> FollowupPlan:
    """A case closed after afweging 5 = ja, followed by `follower` (default: the actor)."""
    case = help_case(actor)
    case_services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE_FOLLOWUP,
        followup=agreement(follower or actor, **kwargs),  # type: ignore[arg-type]
    )  # fmt: skip
    return FollowupPlan.objects.get(case=case)


def consent_for(actor: Actor, case: Case, with_whom: str = "de JGZ-verpleegkundige") -> int:
    """The family's consent, recorded by the closing organisation, for a follower elsewhere."""
    from meldwijzer.privacy import services as privacy_services
    from meldwijzer.privacy.models import GroundKind

    ground = privacy_services.sharing_ground_record(
        actor=actor,
        client_pseudonym=case.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="afspraken en contacten van het vervolgplan",
        with_whom=with_whom,
        purpose="de veiligheid na het afsluiten volgen",
        given_by="moeder",
        valid_until=timezone.localdate() + datetime.timedelta(days=600),
    )
    return ground.pk


def closed_followed_elsewhere(actor: Actor, follower: Actor, **kwargs: object) -> FollowupPlan:
    """A case closed after afweging 5 = ja, followed by `follower` of another organisation on
    the family's consent (a grant on the plan)."""
    case = help_case(actor)
    case_services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE_FOLLOWUP,
        followup=agreement(follower, ground_id=consent_for(actor, case), **kwargs),  # type: ignore[arg-type]
    )  # fmt: skip
    return FollowupPlan.objects.get(case=case)
