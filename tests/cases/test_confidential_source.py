"""A confidential source stays out of the report wherever its name could appear: as the source and
as whoever an interpretation is from. Confidentiality is marked on the person (the source, or the
interpreter), never found by comparing names (print, PDF, JSON download and the API)."""

from __future__ import annotations

import datetime
import importlib
import io
import json
from typing import Any

import pypdf
import pytest
from django.apps import apps as global_apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.services import api_token_create
from meldwijzer.audit.models import Action
from meldwijzer.cases.display import entry_rows
from meldwijzer.cases.entries import SignalForm
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.cases.report import WITHHELD, WITHHELD_PERSON, case_report
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, reported_case
from tests.factories import allow_api_keys_for

pytestmark = pytest.mark.django_db

SOURCE = "Fatima Bouzid (buurvrouw)"
NAME = "Fatima"


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


def signal(**extra: Any) -> dict[str, Any]:
    return {
        "date": today().isoformat(), "category": "getuige", "source": "derde", "source_name": SOURCE,
        "source_confidential": True, "facts": "Hoort 's avonds geschreeuw en gebonk.",
        "interpretation": "De kinderen zijn getuige van partnergeweld.", **extra,
    }  # fmt: skip


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def actor(professional):
    return actor_for_user(user=professional)


@pytest.fixture
def case(actor) -> Case:
    return reported_case(actor)


def everything_in_the_report(client: Client, case: Case) -> dict[str, str]:
    """The report as the print page, the PDF's text, the JSON download and the API give it."""
    kwargs = {"case_id": case.pk}
    pdf = client.get(reverse("cases:report_pdf", kwargs=kwargs))
    assert pdf.status_code == 200
    pdf_text = "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "Interpretatie van" in pdf_text  # the text layer is really there to search
    return {
        "print": client.get(reverse("cases:report_print", kwargs=kwargs)).content.decode(),
        "pdf": pdf_text,
        "json": client.get(reverse("cases:report_json", kwargs=kwargs)).content.decode(),
        "api": client.get(f"/api/v1/cases/{case.pk}/report/").content.decode(),
    }


def report_signal(actor, case: Case, entry: Entry) -> dict[str, Any]:
    report = case_report(actor=actor, case_id=case.pk, action=Action.EXPORT)
    return next(s for s in report["signals"] if s["facts"] == entry.data["facts"])


def test_an_interpretation_of_the_confidential_source_never_names_her(
    verified, professional, actor, case
):
    entry = record(actor, case, SignalForm, signal(interpretation_of="bron"))
    assert report_signal(actor, case, entry)["interpretation_by"] == WITHHELD
    for name, text in everything_in_the_report(verified(professional), case).items():
        assert NAME not in text, name
        assert "Bouzid" not in text, name


def test_a_confidential_interpreter_is_withheld_whatever_the_spelling(
    verified, professional, actor, case
):
    entry = record(actor, case, SignalForm, signal(
        interpretation_of="ander", interpretation_by="Fatima Bouzid",
        interpretation_by_confidential=True,
    ))  # fmt: skip
    shown = report_signal(actor, case, entry)
    assert (shown["source_name"], shown["interpretation_by"]) == (WITHHELD, WITHHELD_PERSON)
    for name, text in everything_in_the_report(verified(professional), case).items():
        assert NAME not in text, name
    rows = {row.label: row for row in entry_rows(entry)}
    interpreter = rows["Naam of functie van die ander"]
    assert (interpreter.value, interpreter.badge) == ("Fatima Bouzid", "Vertrouwelijk")


def test_an_interpretation_of_the_source_stores_no_second_name(actor, case):
    entry = record(
        actor, case, SignalForm, signal(interpretation_of="bron", interpretation_by="Fatima")
    )
    assert entry.data["interpretation_by"] == ""
    assert NAME not in json.dumps({k: v for k, v in entry.data.items() if k != "source_name"})


def test_the_interpretation_of_the_recorder_names_who_recorded_it(actor, case, professional):
    entry = record(actor, case, SignalForm, signal(interpretation_of="melder"))
    shown = report_signal(actor, case, entry)
    assert shown["interpretation_by"].startswith(str(professional))


def test_a_named_interpreter_who_is_not_confidential_is_shown(actor, case):
    entry = record(actor, case, SignalForm, signal(
        source_confidential=False, interpretation_of="ander", interpretation_by="Wijkagent",
    ))  # fmt: skip
    shown = report_signal(actor, case, entry)
    assert (shown["source_name"], shown["interpretation_by"]) == (SOURCE, "Wijkagent")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"interpretation_by": "Fatima Bouzid"}, "interpretation_of"),
        ({"interpretation_of": "ander"}, "interpretation_by"),
        ({"interpretation_of": "iemand"}, "interpretation_of"),
    ],
)
def test_whose_interpretation_it_is_must_be_said(extra, field):
    form = SignalForm(signal(**extra))
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_the_api_refuses_a_signal_that_does_not_say_whose_interpretation_it_is(
    professional, actor, case
):
    allow_api_keys_for(professional)
    _, secret = api_token_create(actor=actor, name="koppeling")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    entries = Entry.objects.filter(case=case).count()
    response = client.post(
        f"/api/v1/cases/{case.pk}/entries/",
        {"kind": "signal", "version": case.version,
         "data": signal(interpretation_by="Fatima Bouzid")},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "interpretation_of" in response.json()["error"]["fields"]["data"]
    assert Entry.objects.filter(case=case).count() == entries
    assert NAME not in client.get(f"/api/v1/cases/{case.pk}/report/").content.decode()


def _legacy_signal(actor, case: Case) -> Entry:
    """A signal as the dossier held it before whose interpretation it is was asked (written
    directly: today's form would refuse this shape)."""
    data = signal(interpretation_by="Fatima Bouzid")
    return Entry.objects.create(
        case=case, kind=EntryKind.SIGNAL, phase=case.phase, data=data, author=actor.user,
        organisation=actor.organisation, created_at=timezone.now(),
    )  # fmt: skip


def test_signals_recorded_before_are_marked_by_the_data_migration(
    verified, professional, actor, case
):
    legacy = _legacy_signal(actor, case)
    plain = Entry.objects.create(
        case=case, kind=EntryKind.SIGNAL, phase=case.phase, author=actor.user,
        organisation=actor.organisation, created_at=timezone.now(),
        data={"date": today().isoformat(), "category": "lichamelijk", "source": "eigen", "facts": "Plek.",
              "interpretation": "Vastgepakt.", "interpretation_by": "leerkracht"},
    )  # fmt: skip
    migration = importlib.import_module(
        "meldwijzer.cases.migrations.0004_signal_interpretation_whose_and_confidential"
    )
    migration.mark_interpreters(global_apps, None)
    legacy.refresh_from_db()
    plain.refresh_from_db()
    assert legacy.data["interpretation_of"] == "ander"
    assert legacy.data["interpretation_by_confidential"] is True
    assert legacy.data["interpretation_by"] == "Fatima Bouzid"  # the dossier keeps what was written
    assert (plain.data["interpretation_of"], plain.data["interpretation_by_confidential"]) == (
        "ander", False,
    )  # fmt: skip
    assert report_signal(actor, case, plain)["interpretation_by"] == "leerkracht"
    for name, text in everything_in_the_report(verified(professional), case).items():
        assert NAME not in text, name


def test_an_unmigrated_signal_with_a_confidential_source_is_withheld_too(
    verified, professional, actor, case
):
    entry = _legacy_signal(actor, case)
    assert report_signal(actor, case, entry)["interpretation_by"] == WITHHELD_PERSON
    for name, text in everything_in_the_report(verified(professional), case).items():
        assert NAME not in text, name
