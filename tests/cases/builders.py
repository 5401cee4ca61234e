"""Cases in a known state, built through the services (shared by the case and API tests)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from meldwijzer.cases import services
from meldwijzer.cases.entries import (
    ConsultationForm,
    ConversationSkippedForm,
    CounterSignalForm,
    SignalForm,
)
from meldwijzer.cases.models import Case, Entry, Outcome
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.actor import Actor

SECRET_SOURCE = "Buurvrouw Geheimhouden"


def record(actor: Actor, case: Case, form_class: type, data: dict[str, Any], **kw: Any) -> Entry:
    form = form_class(data)
    assert form.is_valid(), form.errors
    return services.case_record_entry(
        actor=actor, case=case, expected_version=case.version, kind=form.kind, data=form.data, **kw
    )


def signals_case(actor: Actor, title: str = "Zorgen over leerling") -> Case:
    """A case in step 1 with a signal from a confidential source and a counter-signal."""
    case = services.case_open(actor=actor, title=title, profession="onderwijs", client="kind")
    today = timezone.localdate().isoformat()
    services.case_record_person(
        actor=actor, case=case, expected_version=case.version, kind="child",
        name="Kind Voorbeeld", date_of_birth=datetime.date(2019, 3, 14), bsn="999990019",
        street_address="Verzonnenlaan 4", postcode="8302 ZZ", place="Emmeloord",
    )  # fmt: skip
    services.case_record_person(
        actor=actor, case=case, expected_version=case.version, kind="parent",
        name="Ouder Voorbeeld", relation="moeder", authority="ja", phone="06-00000000",
    )  # fmt: skip
    record(actor, case, SignalForm, {
        "date": today, "category": "lichamelijk", "source": "eigen",
        "facts": "Blauwe plek op de arm.",
    })  # fmt: skip
    record(actor, case, SignalForm, {
        "date": today, "category": "getuige", "source": "derde", "source_name": SECRET_SOURCE,
        "source_confidential": True, "facts": "Hoort 's avonds geschreeuw.",
        "interpretation": "Ruzie tussen de ouders.", "interpretation_of": "bron",
    })  # fmt: skip
    record(actor, case, CounterSignalForm, {
        "date": today, "source": "collega", "facts": "Kind is vrolijk in de klas.",
    })  # fmt: skip
    return case


def weighing_case(actor: Actor, title: str = "Zorgen over leerling") -> Case:
    """A case in step 4 (wegen): signals, consultation, conversation skipped."""
    case = signals_case(actor, title)
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=Phase.CONSULTATION
    )
    record(actor, case, ConsultationForm, {
        "date": timezone.localdate().isoformat(), "consulted": "veilig_thuis", "anonymous": True,
        "advice": "Bespreek het met de ouders.",
    })  # fmt: skip
    services.case_move(
        actor=actor, case=case, expected_version=case.version, target=Phase.CONVERSATION
    )
    record(actor, case, ConversationSkippedForm, {
        "reason": "veiligheid", "explanation": "Het kind is bang voor thuis.",
    })  # fmt: skip
    services.case_move(actor=actor, case=case, expected_version=case.version, target=Phase.WEIGHING)
    return case


def weigh_unsafe(actor: Actor, case: Case, kinds: tuple[str, ...] = ("structureel",)) -> None:
    """Afweging 1 and 2 answered yes: a suspicion, and the given kinds of unsafety."""
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_1",
        answer="ja", reasoning="Vermoeden.",
    )  # fmt: skip
    services.case_record_weighing(
        actor=actor, case=case, expected_version=case.version, question="afweging_2",
        answer="ja", reasoning="Herhaald.", kinds=list(kinds),
    )  # fmt: skip


def reported_case(actor: Actor, title: str = "Zorgen over leerling") -> Case:
    case = weighing_case(actor, title)
    weigh_unsafe(actor, case)
    services.case_decide(
        actor=actor, case=case, expected_version=case.version, outcome=Outcome.REPORT_AND_HELP,
        agreements="Wekelijks contact met moeder.",
    )  # fmt: skip
    case.refresh_from_db()
    return case
