"""The report to Veilig Thuis as PDF, laid out once per version of the case, off the request.

Laying out the report with WeasyPrint takes about a second; the report changes only when the case
does (every write raises `Case.version`) and, through ages and the report's date, with the day.
So after every change the new version is laid out in the background and its bytes kept
(`models.ReportPdf`); a download of that version that day is served from them. A download that
finds no bytes for the case's current version and today lays the report out itself and keeps it —
or, when this process's background thread is laying out that very case at the moment, waits for
it. The bytes served are always those of the version and day asked for, never of an older
version. Each download still goes through `case_get`: the access check and one access-log row per
download are unchanged (ADRs 0037 and 0041).

In the background: every service that raises a case's version calls `report_pdf_after_commit`.
Once the change is committed, the case's id goes on this process's queue and one thread lays out
the report of the case's version at that moment (`report_pdf_prepare`), one case at a time, so
layouts never take more than one core of a web process. A case changed again before its turn is
laid out once, in its newest version. There is no task queue: the thread lives in the web
process, as the sociale kaart's import does (ADR 0019). What the thread does not finish — the
process ends, or the layout fails (logged) — costs only time: the download lays out what it does
not find. `settings.REPORT_PDF_PREPARE` says how: `"background"` (the thread), `"inline"` (in the
committing thread itself, for tests that look at the result at once) or `"off"` (only downloads
lay out; the test suite's default, so that tests that change cases do not wait for layouts).
"""

from __future__ import annotations

import datetime
import logging
import threading
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.cases.models import Case, ReportPdf
from meldwijzer.cases.report import report_for
from meldwijzer.cases.selectors import case_get
from meldwijzer.organisations.actor import Actor

if TYPE_CHECKING:
    from weasyprint.document import Document

logger = logging.getLogger(__name__)

DOWNLOAD_WAITS_AT_MOST = 30.0
"""Seconds a download waits for the background thread laying out its case, before it lays out
the report itself."""


def report_pdf_document(report: dict[str, Any], request: HttpRequest | None = None) -> Document:
    """The report laid out on A4 pages (WeasyPrint), ready to be written as PDF."""
    from weasyprint import HTML  # heavy import, only needed here
    from weasyprint.urls import URLFetcher

    html = render_to_string("cases/report/report_pdf.html", {"report": report}, request=request)
    # The document is self-contained: it may not fetch anything from the network or disk.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).render()


def _stored(case: Case, day: datetime.date) -> bytes | None:
    kept = ReportPdf.objects.filter(case=case, version=case.version, day=day)
    stored = kept.values_list("pdf", flat=True).first()
    return None if stored is None else bytes(stored)


def _lay_out_and_store(case: Case, day: datetime.date) -> bytes:
    """Lay out the report of `case` as read and keep it for its version and `day`, unless the case
    changed meanwhile: then what was read may mix two versions, and the newer one is laid out
    after its own change. Older versions and days of the case are removed."""
    pdf = bytes(report_pdf_document(report_for(case)).write_pdf())
    # Every write raises the version in the transaction that writes the dossier, so an unchanged
    # version read after the dossier means the dossier was read as of that version.
    if not Case.objects.filter(pk=case.pk, version=case.version).exists():
        return pdf
    try:
        with transaction.atomic():
            ReportPdf.objects.filter(
                Q(version__lt=case.version) | Q(version=case.version, day__lt=day), case=case
            ).delete()
            ReportPdf.objects.create(case=case, version=case.version, day=day, pdf=pdf)
    except IntegrityError:
        # Laid out at the same moment elsewhere (theirs is the same), or the case was destroyed.
        pass
    return pdf


def case_report_pdf(*, actor: Actor, case_id: int) -> tuple[str, bytes]:
    """The file name and bytes of a case's report as PDF, logged as an export on every download:
    the kept bytes of this version and day, or laid out now when there are none."""
    case = case_get(actor=actor, case_id=case_id, part="melding", action=Action.EXPORT)
    filename = f"melding-{case.reference}.pdf"
    day = timezone.localdate()
    stored = _stored(case, day)
    if stored is None and _wait_for_background(case.pk):
        stored = _stored(case, day)
    if stored is not None:
        return filename, stored
    return filename, _lay_out_and_store(case, day)


def report_pdf_prepare(*, case_id: int) -> bool:
    """Lay out and keep the report of the case's current version for today, if it is not kept
    yet; False when there was nothing to do (kept already, or the case is gone). Run after a
    change, by no person: no one reads the report here, so nothing is access-logged — the
    download that serves it is."""
    case = Case.objects.select_related("organisation", "responsible").filter(pk=case_id).first()
    if case is None:
        return False
    day = timezone.localdate()
    if ReportPdf.objects.filter(case=case, version=case.version, day=day).exists():
        return False
    _lay_out_and_store(case, day)
    return True


# --- In the background -----------------------------------------------------------------------

_pending: list[int] = []
_current: int | None = None
"""The case the thread is laying out now."""
_condition = threading.Condition()
_worker: threading.Thread | None = None


def report_pdf_after_commit(case_id: int) -> None:
    """Lay out the case's report once the surrounding transaction commits (nothing if it rolls
    back)."""
    if settings.REPORT_PDF_PREPARE == "off":
        return
    transaction.on_commit(partial(_enqueue, case_id))


def _enqueue(case_id: int) -> None:
    if settings.REPORT_PDF_PREPARE == "inline":
        _prepare(case_id)
        return
    global _worker
    with _condition:
        if case_id not in _pending:
            _pending.append(case_id)
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_work, name="melding-pdf", daemon=True)
            _worker.start()
        _condition.notify_all()


def _prepare(case_id: int) -> bool:
    """Lay out one case's report; a failure is logged (False) and leaves the download to lay it
    out."""
    try:
        report_pdf_prepare(case_id=case_id)
    except Exception:
        logger.exception(
            "De melding als pdf van casus %s kon niet vooraf worden opgemaakt.", case_id
        )
        return False
    return True


def _work() -> None:
    """Take cases off the queue one at a time, for as long as the process lives."""
    global _current
    while True:
        with _condition:
            while not _pending:
                _condition.wait()
            _current = _pending.pop(0)
        ok = _prepare(_current)
        with _condition:
            if not ok or not _pending:
                # A failed connection is not reused; no idle one is held while there is no work.
                connections.close_all()
            _current = None
            _condition.notify_all()


def _wait_for_background(case_id: int) -> bool:
    """For a download that found no bytes: True after waiting for the thread that is laying out
    this case now; a case still waiting its turn is taken off the queue (False), as the download
    lays it out itself."""
    with _condition:
        if case_id in _pending:
            _pending.remove(case_id)
            return False
        if _current != case_id:
            return False
        _condition.wait_for(lambda: _current != case_id, timeout=DOWNLOAD_WAITS_AT_MOST)
        return True


def report_pdf_queue_wait(timeout: float) -> bool:
    """Wait until this process has laid out every case on its queue; False after `timeout`
    seconds with work left (for tests and benchmarks)."""
    with _condition:
        return _condition.wait_for(lambda: not _pending and _current is None, timeout=timeout)
