"""A case from first signal to a decision, through the services."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from meldwijzer.cases import services
from meldwijzer.cases.entries import ConsultationForm, ConversationSkippedForm, SignalForm
from meldwijzer.cases.models import Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user

pytestmark = pytest.mark.django_db


def test_first_signal_to_report(make_member, organisation):
    actor = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    case = services.case_open(
        actor=actor, title="Zorgen over leerling", profession="onderwijs", client="kind"
    )
    today = timezone.localdate().isoformat()
    services.case_record_entry(
        actor=actor, case=case, expected_version=case.version,
        kind=SignalForm.kind, data={"date": today, "category": "lichamelijk", "source": "eigen",
                         "facts": "Blauwe plek op de arm."},
    )  # fmt: skip
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=Phase.CONSULTATION
    )
    services.case_record_entry(
        actor=actor, case=case, expected_version=case.version,
        kind=ConsultationForm.kind, data={"date": today, "consulted": "aandachtsfunctionaris",
                               "advice": "Bespreek het met de ouders."},
    )  # fmt: skip
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=Phase.CONVERSATION
    )
    services.case_record_entry(
        actor=actor, case=case, expected_version=case.version,
        kind=ConversationSkippedForm.kind, data={"reason": "veiligheid", "explanation": "Kind bang."},
    )  # fmt: skip
    services.case_move(actor=actor, case=case, expected_version=case.version, target=Phase.WEIGHING)
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_1",
        answer="ja", reasoning="Vermoeden van mishandeling.",
    )  # fmt: skip
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_2",
        answer="ja", reasoning="Herhaald letsel.", kinds=["structureel"],
    )  # fmt: skip
    with pytest.raises(services.CaseError):
        services.case_decide(
            actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE
        )
    # A report needs someone Veilig Thuis can identify, or the reason why that is impossible.
    with pytest.raises(services.CaseError, match="over wie de melding gaat"):
        services.case_decide(
            actor=actor, case=case, expected_version=case.version, outcome=Outcome.REPORT
        )
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.REPORT,
        unidentified_reason="Het kind zit pas sinds gisteren op school; de gegevens volgen.",
    )  # fmt: skip
    case.refresh_from_db()
    assert case.phase == Phase.REPORTED


def test_stale_version_is_refused(make_member, organisation):
    actor = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    case = services.case_open(actor=actor, title="Zorgen", profession="algemeen", client="kind")
    stale = case.version
    form = {
        "date": datetime.date.today().isoformat(),  # noqa: DTZ011
        "category": "overig",
        "source": "eigen",
        "facts": "x",
    }
    services.case_record_entry(
        actor=actor, case=case, expected_version=stale, kind=SignalForm.kind, data=form
    )
    with pytest.raises(services.ConcurrentEditError):
        services.case_record_entry(
            actor=actor, case=case, expected_version=stale, kind=SignalForm.kind, data=form
        )
