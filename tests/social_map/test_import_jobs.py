"""An HSDS import runs as a job: outside the request, with progress, one at a time, never blocking
other people's work, and a job whose runner is gone ends as failed without having changed
anything."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.urls import reverse

from meldwijzer.audit.context import client_ip
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Subject
from meldwijzer.audit.services import access_log_record
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import hsds_import, import_jobs, search, services
from meldwijzer.social_map.hsds_import import hsds_import as run_import
from meldwijzer.social_map.models import ImportJob, ImportStatus, Provider, Service
from tests.social_map.builders import directory_records
from tests.social_map.generated_hsds import directory_file
from tests.social_map.test_hsds import state

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "hsds"
IMPORT = reverse("social_map:import")


@pytest.fixture
def platform_user(make_member, organisation):
    return make_member(Role.PLATFORM_ADMIN, organisation)


@pytest.fixture
def platform(platform_user):
    return actor_for_user(user=platform_user)


def job_url(job: ImportJob) -> str:
    return reverse("social_map:import_job", kwargs={"job_id": job.pk})


def text(response) -> str:
    return response.content.decode()


def while_checking(monkeypatch, action: Callable[[], None], *, every_time: bool = False) -> None:
    """Run `action` in the middle of an import: when it checks its first location (the old
    import did that inside its write transaction)."""
    original = hsds_import.derive_position
    done: list[bool] = []

    def hooked(location):
        if every_time or not done:
            done.append(True)
            action()
        return original(location)

    monkeypatch.setattr(hsds_import, "derive_position", hooked)


# --- The job and its page ------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_import_runs_as_a_job_whose_page_shows_the_report(verified, platform_user):
    client = verified(platform_user)
    upload = SimpleUploadedFile("groot.json", directory_file(3))
    response = client.post(IMPORT, {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.status == ImportStatus.DONE and job.user == platform_user
    page = text(client.get(job_url(job)))
    assert "groot.json" in page and "Geïmporteerd" in page and "dienst: 9 nieuw" in page
    assert Service.objects.count() == 9
    part = client.get(job_url(job), headers={"HX-Request": "true"})
    assert "<html" not in text(part) and "Geïmporteerd" in text(part)
    assert "hx-trigger" not in text(part)  # done: the page stops asking


@pytest.mark.django_db
def test_a_file_with_errors_ends_as_a_report_and_changes_nothing(verified, platform_user):
    client = verified(platform_user)
    broken = directory_file(2).replace(b'"status": "active"', b'"status": "open"', 1)
    response = client.post(IMPORT, {"file": SimpleUploadedFile("fout.json", broken)}, follow=True)
    page = text(response)
    assert "Niet geïmporteerd: 1 fout" in page and "Er is niets veranderd" in page
    assert not Provider.objects.exists()
    assert ImportJob.objects.get().status == ImportStatus.DONE


@pytest.mark.django_db
def test_the_page_shows_how_far_a_running_import_is(verified, platform_user, platform, monkeypatch):
    client = verified(platform_user)
    seen = {}

    def look() -> None:
        job = ImportJob.objects.get()
        seen["page"] = text(client.get(job_url(job)))
        seen["part"] = text(client.get(job_url(job), headers={"HX-Request": "true"}))

    while_checking(monkeypatch, look)
    job = import_jobs.import_job_start(
        actor=platform, source="groot.json", data=directory_file(3), background=False
    )
    assert "Bezig:" in seen["page"] and hsds_import.STEP_PLAN in seen["page"]
    assert 'hx-trigger="every 1s"' in seen["part"] and "<html" not in seen["part"]
    assert job.status == ImportStatus.DONE
    assert "Geïmporteerd" in text(client.get(job_url(job)))


@pytest.mark.django_db
def test_only_who_started_an_import_and_platformbeheer_see_its_job(
    verified, platform, make_member, organisation
):
    job = import_jobs.import_job_start(
        actor=platform, source="groot.json", data=directory_file(1), background=False
    )
    colleague = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    response = verified(colleague).get(job_url(job))
    assert response.status_code == 404
    refused = AccessLogEntry.objects.get(user=colleague, outcome=AccessOutcome.DENIED)
    assert (refused.subject_type, refused.subject_id) == ("sociale_kaart_import", str(job.pk))


# --- One at a time ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_import_while_one_runs_is_refused_in_dutch(
    verified, platform_user, platform, monkeypatch, tmp_path
):
    client = verified(platform_user)
    second = (EXAMPLES / "organization_full.json").read_bytes()
    (tmp_path / "tweede.json").write_bytes(second)
    answers = {}

    def try_a_second_import() -> None:
        answers["form"] = text(client.get(IMPORT))
        response = client.post(IMPORT, {"file": SimpleUploadedFile("tweede.json", second)})
        answers["page"] = (response.status_code, text(response))
        with pytest.raises(CommandError) as refused:
            call_command(
                "social_map_import", str(tmp_path / "tweede.json"), gebruiker=platform_user.username
            )
        answers["command"] = str(refused.value)

    while_checking(monkeypatch, try_a_second_import)
    job = import_jobs.import_job_start(
        actor=platform, source="groot.json", data=directory_file(2), background=False
    )
    assert "Er loopt een import (gestart om" in answers["form"]
    assert f'href="{job_url(ImportJob.objects.get())}"' in answers["form"]
    status, page = answers["page"]
    assert status == 409
    assert "Er loopt al een import van de sociale kaart" in page
    assert "wacht tot die klaar is" in page
    assert "Er loopt al een import" in answers["command"]
    assert job.status == ImportStatus.DONE and Service.objects.count() == 6
    assert not Provider.objects.filter(name="Example Organization Inc.").exists()
    assert ImportJob.objects.count() == 1


def hold_the_import_lock(monkeypatch, tmp_path) -> subprocess.Popen:
    """Another process that holds the import lock, as a server process running an import does."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        code = (
            "import psycopg, sys\n"
            f"c = psycopg.connect(dbname={db['NAME']!r}, user={db['USER']!r}, "
            f"password={db['PASSWORD']!r}, host={db['HOST']!r}, port={str(db['PORT'])!r}, "
            "autocommit=True)\n"
            f"c.execute('SELECT pg_advisory_lock(%s)', ({import_jobs.ADVISORY_LOCK_KEY},))\n"
            "print('vast', flush=True)\n"
            "sys.stdin.read()\n"
        )
    else:
        path = tmp_path / "meldwijzer.sqlite3.import-lock"
        monkeypatch.setattr(import_jobs, "_lock_file", lambda: path)
        code = (
            "import fcntl, sys\n"
            f"f = open({str(path)!r}, 'a')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('vast', flush=True)\n"
            "sys.stdin.read()\n"
        )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "vast"
    return process


@pytest.mark.django_db
def test_an_import_whose_server_process_ended_is_marked_failed_and_changed_nothing(
    verified, platform_user, platform, monkeypatch, tmp_path
):
    before = state()
    server = hold_the_import_lock(monkeypatch, tmp_path)
    job = ImportJob.objects.create(
        user=platform_user, source="groot.json", step=hsds_import.STEP_PLAN
    )
    try:
        # While that process runs the import, it is running, and a second one must wait.
        assert import_jobs.import_job_get(actor=platform, job_id=job.pk).running
        with pytest.raises(import_jobs.ImportBusy):
            import_jobs.import_job_start(
                actor=platform, source="nog een.json", data=directory_file(1), background=False
            )
    finally:
        server.kill()  # the server restarts
        server.wait()
    page = text(verified(platform_user).get(job_url(job)))
    assert "De import is onderbroken" in page and "Er is niets veranderd" in page
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None
    assert state() == before
    again = import_jobs.import_job_start(
        actor=platform, source="groot.json", data=directory_file(1), background=False
    )
    assert again.status == ImportStatus.DONE and Service.objects.count() == 3


@pytest.mark.django_db
def test_an_import_that_breaks_down_ends_as_failed_with_a_dutch_message(
    platform, monkeypatch, caplog
):
    def broken(self):
        raise RuntimeError("stuk")

    monkeypatch.setattr(hsds_import._Plan, "apply", broken)
    job = import_jobs.import_job_start(
        actor=platform, source="groot.json", data=directory_file(1), background=False
    )
    assert job.status == ImportStatus.FAILED
    assert import_jobs.stored_report(job).failure == import_jobs.BROKE_DOWN
    assert not Provider.objects.exists()
    assert "is mislukt" in caplog.text


# --- Other people keep working ----------------------------------------------------------------------


def in_another_thread(work: Callable[[], None]) -> BaseException | None:
    """Run `work` as another request would: in its own thread, with its own connection."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:
            failure.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return failure[0] if failure else None


@pytest.mark.django_db(transaction=True)
def test_others_can_write_while_an_import_is_checked(platform, make_member, monkeypatch):
    colleague = actor_for_user(user=make_member(Role.PROFESSIONAL))
    failures = []

    def someone_else_works() -> None:
        failures.append(
            in_another_thread(
                lambda: access_log_record(
                    actor=colleague,
                    action=Action.READ,
                    subject=Subject.CASE,
                    subject_id="7",
                    client_id="cl-7",
                )
            )
        )

    while_checking(monkeypatch, someone_else_works)
    report = run_import(actor=platform, source="groot.json", data=directory_file(3))
    assert report.written
    assert failures == [None]
    assert AccessLogEntry.objects.filter(user=colleague.user, subject_id="7").exists()


@pytest.mark.django_db(transaction=True)
def test_in_the_web_application_the_import_runs_in_a_thread_of_its_own(platform, settings):
    settings.SOCIAL_MAP_IMPORT_IN_BACKGROUND = True
    token = client_ip.set("192.0.2.44")
    try:
        job = import_jobs.import_job_start(
            actor=platform, source="groot.json", data=directory_file(2)
        )
    finally:
        client_ip.reset(token)
    for thread in threading.enumerate():
        if thread.name == "sociale-kaart-import":
            thread.join()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and Service.objects.count() == 6
    logged = AccessLogEntry.objects.get(subject_type="sociale_kaart_import")
    assert logged.ip_address == "192.0.2.44"  # the request's address went with the import


# --- Writing: short, and only over the map it was checked against --------------------------------


class Steps:
    def __init__(self) -> None:
        self.steps: list[str] = []

    def step(self, text: str, total: int = 0) -> None:
        self.steps.append(text)

    def advance(self, count: int) -> None:
        pass


@pytest.mark.django_db
def test_an_import_checks_again_when_the_map_changed_while_it_was_checked(
    platform, organisation, monkeypatch
):
    records = directory_records(organisation)
    while_checking(
        monkeypatch, lambda: services.provider_verify(actor=platform, provider=records.provider)
    )
    progress = Steps()
    report = run_import(
        actor=platform, source="groot.json", data=directory_file(2), progress=progress
    )
    assert report.written and Service.objects.count() == 7
    plan, write = hsds_import.STEP_PLAN, hsds_import.STEP_WRITE
    assert progress.steps == [hsds_import.STEP_READ, plan, write, plan, write]


@pytest.mark.django_db
def test_an_import_gives_up_when_the_map_keeps_changing(platform, organisation, monkeypatch):
    records = directory_records(organisation)
    while_checking(
        monkeypatch,
        lambda: services.provider_verify(actor=platform, provider=records.provider),
        every_time=True,
    )
    report = run_import(actor=platform, source="groot.json", data=directory_file(2))
    assert not report.written
    assert any("steeds door anderen gewijzigd" in problem.message for problem in report.errors)
    assert Service.objects.count() == 1


def index_rows() -> Iterator[tuple]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT id, search_vector::text FROM social_map_service ORDER BY id")
        else:
            cursor.execute(
                f"SELECT rowid, name, names, body, terms FROM {search.FTS_TABLE} ORDER BY rowid"  # noqa: S608
            )
        yield from cursor.fetchall()


@pytest.mark.django_db
def test_a_large_file_imports_with_its_search_text_and_again_changes_nothing(platform):
    data = directory_file(12)
    first = run_import(actor=platform, source="groot.json", data=data)
    assert first.written and not first.errors
    assert first.created["service"] == 36 and first.created["metadata"] == 48
    imported = state()
    indexed = list(index_rows())
    assert len(indexed) == 36
    services.search_index_rebuild()
    assert list(index_rows()) == indexed  # the same as indexing every service one by one
    second = run_import(actor=platform, source="groot.json", data=data)
    assert second.written and second.updated["service"] == 36
    assert state() == imported
