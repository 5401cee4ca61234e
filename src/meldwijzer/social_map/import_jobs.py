"""HSDS imports as jobs. Checking a large file takes a while, so an import runs outside the request
that started it; the person sees how far it is, and then the same report as always.

There is no task queue. `import_job_start` runs the import (`hsds_import.hsds_import`) in a thread
of the web process, or in the caller's own thread for the command line and the tests
(`settings.SOCIAL_MAP_IMPORT_IN_BACKGROUND`). The `ImportJob` row holds the progress and, at the
end, the report; the job page polls it.

One import at a time. The runner holds a lock for as long as it runs: one in the process, and one
that the operating system or the database lets go of when the process ends — a file lock beside
the SQLite database, or a PostgreSQL advisory lock on the runner's connection. While it is held, a
second import is refused with a clear message. A job whose runner is gone (the server restarted
mid-import) is recognised by that lock being free, and marked failed. Nothing of it was written:
the import writes in one transaction at its very end, together with the job's end, and a
transaction that was not committed is rolled back when its process goes.
"""

from __future__ import annotations

import contextvars
import fcntl
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from meldwijzer.audit.models import Action, Subject
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission
from meldwijzer.social_map import events, hsds_import
from meldwijzer.social_map.hsds import Problem
from meldwijzer.social_map.models import ImportJob, ImportStatus

logger = logging.getLogger(__name__)

INTERRUPTED = (
    "De import is onderbroken, bijvoorbeeld doordat de server opnieuw is opgestart. Er is niets "
    "veranderd in de sociale kaart. Start de import opnieuw."
)
BROKE_DOWN = (
    "Er ging iets mis bij het importeren. Er is niets veranderd in de sociale kaart. Probeer het "
    "opnieuw; lukt het dan weer niet, neem dan contact op met de beheerder van Meldwijzer."
)
# A PostgreSQL advisory lock is a number per database; this one is the sociale kaart's import.
ADVISORY_LOCK_KEY = 7_305_119_042
# How often a running import writes its progress, at most (seconds).
PROGRESS_INTERVAL = 0.5


class ImportBusy(Exception):
    """Another import of the sociale kaart is running; the message says so, in Dutch."""

    def __init__(self, running: ImportJob | None) -> None:
        since = ""
        if running is not None:
            since = f" (gestart om {timezone.localtime(running.started_at):%H:%M})"
        super().__init__(
            f"Er loopt al een import van de sociale kaart{since}. Er kan er maar één tegelijk "
            "lopen: wacht tot die klaar is en probeer het daarna opnieuw."
        )


# --- The lock -------------------------------------------------------------------------------------

_IN_PROCESS = threading.Lock()


def _lock_file() -> Path | None:
    """The file whose lock says an import runs, beside the SQLite database; None for a database
    in memory (the tests'), which only this process can reach."""
    if connection.is_in_memory_db():  # type: ignore[attr-defined]
        return None
    name = Path(str(connection.settings_dict["NAME"]))
    return name.with_name(f"{name.name}.import-lock")


class _RunnerLock:
    """Held by the runner for as long as an import runs; let go of when its process ends."""

    def __init__(self) -> None:
        self.file: IO[str] | None = None
        self.advisory = False

    def acquire(self) -> bool:
        if not _IN_PROCESS.acquire(blocking=False):
            return False
        try:
            if self._acquire_outside():
                return True
        except BaseException:
            _IN_PROCESS.release()
            raise
        _IN_PROCESS.release()
        return False

    def _acquire_outside(self) -> bool:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                self.advisory = bool(cursor.fetchone()[0])
            return self.advisory
        path = _lock_file()
        if path is None:
            return True
        handle = path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self.file = handle
        return True

    def release(self) -> None:
        try:
            if self.advisory:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
                self.advisory = False
            if self.file is not None:
                fcntl.flock(self.file, fcntl.LOCK_UN)
                self.file.close()
                self.file = None
        finally:
            _IN_PROCESS.release()


def _runner_alive() -> bool:
    """Whether some process runs an import now (the lock is held)."""
    lock = _RunnerLock()
    if not lock.acquire():
        return True
    lock.release()
    return False


def _mark_lost(job_ids: list[int] | None = None) -> None:
    """Mark running jobs whose runner is gone as failed (all of them, for a runner that holds the
    lock; otherwise only `job_ids`, so a job started since is not touched)."""
    jobs = ImportJob.objects.filter(status=ImportStatus.RUNNING)
    if job_ids is not None:
        jobs = jobs.filter(pk__in=job_ids)
    jobs.update(
        status=ImportStatus.FAILED,
        step="",
        finished_at=timezone.now(),
        report={"failure": INTERRUPTED},
    )


# --- Running an import ----------------------------------------------------------------------------


class _JobProgress:
    """Writes an import's progress to its job row, at most every `PROGRESS_INTERVAL` seconds."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.done = 0
        self.written_at = 0.0

    def step(self, text: str, total: int = 0) -> None:
        self.done = 0
        ImportJob.objects.filter(pk=self.job.pk).update(step=text, done=0, total=total)
        self.written_at = time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        if time.monotonic() - self.written_at >= PROGRESS_INTERVAL:
            ImportJob.objects.filter(pk=self.job.pk).update(done=self.done)
            self.written_at = time.monotonic()


def _finish(job: ImportJob, report: hsds_import.ImportReport) -> None:
    """Record the end of `job` with its report. Inside the import's write transaction when it
    wrote, so that the job says 'done' exactly when the data is there."""
    finished = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
        status=ImportStatus.DONE, step="", report=report.as_data(), finished_at=timezone.now()
    )
    if not finished:  # pragma: no cover - only a runner that lost its lock could get here
        raise RuntimeError(f"import {job.pk} is al afgesloten")


@dataclass(frozen=True)
class _Request:
    actor: Actor
    source: str
    data: bytes
    owner: Organisation | None
    trial: bool


def _run(request: _Request, started: Callable[[ImportJob | Exception], None]) -> None:
    """Take the lock, make the job, tell `started`, import, record the end, let go of the lock."""
    lock = _RunnerLock()
    try:
        if not lock.acquire():
            started(ImportBusy(ImportJob.objects.filter(status=ImportStatus.RUNNING).first()))
            return
    except Exception as error:
        started(error)
        return
    try:
        try:
            _mark_lost()  # this runner holds the lock: any other running job has lost its runner
            with transaction.atomic():
                job = ImportJob.objects.create(
                    user=request.actor.user,
                    organisation=request.actor.organisation,
                    source=request.source,
                    trial=request.trial,
                    step=hsds_import.STEP_READ,
                )
        except IntegrityError:  # pragma: no cover - the lock already keeps a second one out
            started(ImportBusy(ImportJob.objects.filter(status=ImportStatus.RUNNING).first()))
            return
        except Exception as error:
            started(error)
            return
        started(job)
        try:
            report = hsds_import.hsds_import(
                actor=request.actor,
                source=request.source,
                data=request.data,
                owner=request.owner,
                trial=request.trial,
                progress=_JobProgress(job),
                on_written=lambda report: _finish(job, report),
            )
            if not report.written:
                _finish(job, report)
        except Exception:
            logger.exception("De import van de sociale kaart (job %s) is mislukt.", job.pk)
            ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(
                status=ImportStatus.FAILED,
                step="",
                finished_at=timezone.now(),
                report={"failure": BROKE_DOWN},
            )
    finally:
        lock.release()


def _run_in_thread(request: _Request, started: Callable[[ImportJob | Exception], None]) -> None:
    try:
        _run(request, started)
    finally:
        connections.close_all()  # this thread's own connections


def import_job_start(
    *,
    actor: Actor,
    source: str,
    data: bytes,
    owner: Organisation | None = None,
    trial: bool = False,
    background: bool | None = None,
) -> ImportJob:
    """Start an import of `data`. In the background (the default in the web application), this
    returns as soon as the job exists; otherwise once the job is done. Raises `ImportBusy` while
    another import runs."""
    request = _Request(actor=actor, source=source, data=data, owner=owner, trial=trial)
    if background is None:
        background = settings.SOCIAL_MAP_IMPORT_IN_BACKGROUND
    outcome: list[ImportJob | Exception] = []
    ready = threading.Event()

    def started(result: ImportJob | Exception) -> None:
        outcome.append(result)
        ready.set()

    if background:
        # The thread carries this request's context: the access log needs the client's address.
        context = contextvars.copy_context()
        threading.Thread(
            target=context.run,
            args=(_run_in_thread, request, started),
            name="sociale-kaart-import",
        ).start()
        ready.wait()
    else:
        _run(request, started)
    result = outcome[0]
    if isinstance(result, Exception):
        raise result
    if not background:
        result.refresh_from_db()
    return result


# --- Reading jobs ---------------------------------------------------------------------------------


def import_job_get(*, actor: Actor, job_id: int) -> ImportJob:
    """An import job, for the person who started it or a platformbeheerder; anyone else is
    refused (and the refusal logged) as if it did not exist. A running job whose runner is gone
    is marked failed first."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (job.user_id == actor.user.pk or actor.can(Permission.DIRECTORY_MANAGE)):
        events.editing_refused(
            actor=actor, subject=Subject.SOCIAL_MAP_IMPORT, record_id=job_id, action=Action.READ
        )
    if job.running and not _runner_alive():
        _mark_lost([job.pk])
        job.refresh_from_db()
    return job


def import_job_running() -> ImportJob | None:
    """The import that runs now, if any."""
    job = ImportJob.objects.filter(status=ImportStatus.RUNNING).first()
    if job is not None and not _runner_alive():
        _mark_lost([job.pk])
        return None
    return job


@dataclass(frozen=True)
class StoredReport:
    """A job's report as the pages show it (the same attributes as `ImportReport`, with at most
    a thousand errors and notices kept, and how many there were)."""

    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    notices: list[Problem] = field(default_factory=list)
    notice_count: int = 0
    summary: list[str] = field(default_factory=list)
    trial: bool = False
    written: bool = False
    failure: str = ""

    @property
    def ok(self) -> bool:
        return not (self.error_count or self.failure)


def stored_report(job: ImportJob) -> StoredReport | None:
    data: dict[str, Any] = job.report or {}
    if not data:
        return None
    if "failure" in data:
        return StoredReport(failure=str(data["failure"]))
    report = hsds_import.ImportReport(source=str(data.get("source", "")))
    report.created.update(data.get("created", {}))
    report.updated.update(data.get("updated", {}))
    return StoredReport(
        errors=[Problem(where, message) for where, message in data.get("errors", [])],
        error_count=int(data.get("error_count", 0)),
        notices=[Problem(where, message) for where, message in data.get("notices", [])],
        notice_count=int(data.get("notice_count", 0)),
        summary=report.summary(),
        trial=bool(data.get("trial")),
        written=bool(data.get("written")),
    )
