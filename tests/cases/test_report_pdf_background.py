"""The report PDF laid out after a change, off the request: the stored bytes are there before
anyone downloads, a download then does not lay out, and a layout that fails in the background
leaves the download working (ADR 0041)."""

from __future__ import annotations

import logging
import threading

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.cases import report_pdf
from meldwijzer.cases.entries import NoteForm, SignalForm
from meldwijzer.cases.models import ReportPdf
from meldwijzer.cases.report_pdf import report_pdf_queue_wait
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, reported_case


@pytest.fixture
def professional(make_member, organisation):
    return make_member(Role.PROFESSIONAL, organisation)


@pytest.fixture
def case(professional):
    return reported_case(actor_for_user(user=professional))


@pytest.fixture
def laid_out(monkeypatch) -> list[str]:
    """The references of every report laid out from now on."""
    references: list[str] = []
    real = report_pdf.report_pdf_document

    def counting(report, request=None):
        references.append(report["case"]["reference"])
        return real(report, request)

    monkeypatch.setattr(report_pdf, "report_pdf_document", counting)
    return references


def _change(professional, case, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        record(actor_for_user(user=professional), case, NoteForm, {"text": "Nagekomen."})
    case.refresh_from_db()


def _exports(case) -> int:
    return AccessLogEntry.objects.filter(
        subject_id=str(case.pk), action=Action.EXPORT, part="melding", outcome=AccessOutcome.ALLOWED
    ).count()


@pytest.mark.django_db
def test_after_a_change_the_new_version_is_stored_and_a_download_does_not_lay_it_out(
    verified, professional, case, laid_out, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_PDF_PREPARE = "inline"
    before = _exports(case)
    _change(professional, case, django_capture_on_commit_callbacks)

    stored = ReportPdf.objects.get(case=case)
    assert (stored.version, stored.day) == (case.version, timezone.localdate())
    assert laid_out == [case.reference]
    assert _exports(case) == before  # laying out in advance is no one's read

    laid_out.clear()
    response = verified(professional).get(reverse("cases:report_pdf", args=[case.pk]))
    assert response.status_code == 200
    assert response.content == bytes(stored.pdf)
    assert laid_out == []  # served from the stored bytes
    assert _exports(case) == before + 1  # the download is logged as before


@pytest.mark.django_db
def test_a_change_that_rolls_back_lays_nothing_out(
    professional, case, laid_out, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_PDF_PREPARE = "inline"
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(actor_for_user(user=professional), case, NoteForm, {"text": "Teruggedraaid."})
        raise RuntimeError("de wijziging gaat niet door")
    assert callbacks == [] and laid_out == []
    assert not ReportPdf.objects.exists()


@pytest.mark.django_db
def test_a_failed_layout_in_the_background_leaves_the_download_working(
    verified, professional, case, settings, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    settings.REPORT_PDF_PREPARE = "inline"
    real = report_pdf.report_pdf_document

    def broken(report, request=None):
        raise RuntimeError("opmaak mislukt")

    monkeypatch.setattr(report_pdf, "report_pdf_document", broken)
    with caplog.at_level(logging.ERROR, logger="meldwijzer.cases.report_pdf"):
        _change(professional, case, django_capture_on_commit_callbacks)  # the change stands
    assert "kon niet vooraf worden opgemaakt" in caplog.text
    assert case.entries.filter(data__text="Nagekomen.").exists()
    assert not ReportPdf.objects.exists()

    monkeypatch.setattr(report_pdf, "report_pdf_document", real)
    response = verified(professional).get(reverse("cases:report_pdf", args=[case.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert ReportPdf.objects.get(case=case).version == case.version


@pytest.mark.django_db
def test_a_version_stored_in_advance_is_never_served_for_a_newer_one(
    verified, professional, case, laid_out, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_PDF_PREPARE = "inline"
    _change(professional, case, django_capture_on_commit_callbacks)
    older = bytes(ReportPdf.objects.get(case=case).pdf)
    settings.REPORT_PDF_PREPARE = "off"  # the next version is not laid out in advance
    record(actor_for_user(user=professional), case, SignalForm, {
        "date": timezone.localdate().isoformat(), "category": "lichamelijk", "source": "eigen",
        "facts": "Een nieuwe blauwe plek.",
    })  # fmt: skip
    case.refresh_from_db()

    laid_out.clear()
    response = verified(professional).get(reverse("cases:report_pdf", args=[case.pk]))
    assert response.status_code == 200 and response.content != older
    assert laid_out == [case.reference]  # the download laid out the newer version itself
    assert list(ReportPdf.objects.filter(case=case).values_list("version", flat=True)) == [
        case.version
    ]


@pytest.mark.django_db
def test_a_version_changed_while_it_was_laid_out_is_not_stored(
    professional, case, monkeypatch, settings
):
    real = report_pdf.report_pdf_document

    def changed_meanwhile(report, request=None):
        record(actor_for_user(user=professional), case, NoteForm, {"text": "Intussen."})
        return real(report, request)

    monkeypatch.setattr(report_pdf, "report_pdf_document", changed_meanwhile)
    assert report_pdf.report_pdf_prepare(case_id=case.pk)
    assert not ReportPdf.objects.exists()  # it may mix two versions; the newer is laid out next


@pytest.mark.django_db(transaction=True)
def test_in_the_web_application_the_layout_runs_in_a_thread_of_its_own(
    verified, professional, case, laid_out, settings
):
    settings.REPORT_PDF_PREPARE = "background"
    actor = actor_for_user(user=professional)
    for text in ("Een.", "Twee.", "Drie."):
        record(actor, case, NoteForm, {"text": text})
    assert report_pdf_queue_wait(timeout=60)
    case.refresh_from_db()
    assert ReportPdf.objects.get(case=case).version == case.version
    # Three changes in a row: laid out at most once per version, the newest certainly.
    assert 1 <= len(laid_out) <= 3

    laid_out.clear()
    response = verified(professional).get(reverse("cases:report_pdf", args=[case.pk]))
    assert response.status_code == 200 and laid_out == []


@pytest.mark.django_db(transaction=True)
def test_a_download_while_the_thread_lays_out_its_case_waits_for_it(
    verified, professional, case, monkeypatch, settings
):
    settings.REPORT_PDF_PREPARE = "background"
    laid_out: list[str] = []
    started, release = threading.Event(), threading.Event()
    real = report_pdf.report_pdf_document

    def slow_in_the_thread(report, request=None):
        laid_out.append(threading.current_thread().name)
        if threading.current_thread().name == "melding-pdf":
            started.set()
            release.wait(timeout=30)
        return real(report, request)

    monkeypatch.setattr(report_pdf, "report_pdf_document", slow_in_the_thread)
    record(actor_for_user(user=professional), case, NoteForm, {"text": "Nagekomen."})
    assert started.wait(timeout=30)
    threading.Timer(0.5, release.set).start()
    response = verified(professional).get(reverse("cases:report_pdf", args=[case.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert laid_out == ["melding-pdf"]  # laid out once, by the thread; the download waited
    assert report_pdf_queue_wait(timeout=30)
