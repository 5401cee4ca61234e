"""The case page against a bare view that returns the same bytes through the same middleware.

On a database with `--cases` generated cases (each with `--entries` entries, three people and a
phase change; written with bulk inserts), one professional opens one case of about the same size
many times, through Django's test client with the production settings and middleware: the case
page, a bare view registered next to it that returns the page's bytes without reading
anything itself, and a 'logged read' that first reads the case as the page does, with its access
check and its access-log rows, then returns the same bytes: the least any page that shows the case
can cost while every read is logged. Printed: medians, p95, the ratio of the medians (the target is at most 2), the
same for this process's CPU time (which a busy shared machine disturbs less), the queries per page
(and how many of them write the session), the report PDF's downloads, and 'Mijn casussen'.

The report PDF: `--pdf-rounds` times, a change to the case and a download at once; then another
change, `--pdf-pause` seconds for the professional to get to the download button, and the first
and second download of that version. Where the new version is laid out in the background after the
change (ADR 0041), it prints how long after the commit that was done.

Creates a throw-away database (a temporary SQLite file, or `<DATABASE_URL>` with PostgreSQL), so it
never touches real data.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
import types
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code and its tests/ (factories, generators), whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from benchmarks.support.throwaway import throwaway_database  # noqa: E402

BATCH = 5000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10, help="entries per generated case")
    parser.add_argument("--mine", type=int, default=50, help="of them the professional's own")
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--pdf-rounds", type=int, default=5, help="changes, each with downloads")
    parser.add_argument(
        "--pdf-pause", type=float, default=3.0, help="seconds between a change and its download"
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="also profile `--rounds` views of the case page first "
        "(cProfile, written to FILE; the top of it printed by cumulative time)",
    )  # fmt: skip
    args = parser.parse_args()
    with throwaway_database() as (vendor, test_db):
        run(vendor, test_db, args)


def generate(count: int, entries: int, mine: int, owner: Any, others: list[Any]) -> None:
    """`count` cases with `entries` signals, three people and one phase change each; the first
    `mine` belong to `owner`, the rest to `others` in turn."""
    from django.db import transaction
    from django.utils import timezone

    from meldwijzer.cases.models import Case, Entry, Person, PhaseChange
    from meldwijzer.cases.workflow import Phase

    now = timezone.now()
    day = timezone.localdate().isoformat()
    people = (("child", "Kind"), ("parent", "Ouder"), ("parent", "Verzorger"))
    for start in range(0, count, BATCH):
        with transaction.atomic():
            cases = []
            for number in range(start, min(start + BATCH, count)):
                member = owner if number < mine else others[number % len(others)]
                opened = now - datetime.timedelta(minutes=number)
                cases.append(
                    Case(
                        reference=f"GEN-{number:07d}", title=f"Zorgen {number}",
                        organisation_id=member.organisation_id, responsible_id=member.user_id,
                        profession="onderwijs", phase=Phase.SIGNALS, phase_entered_at=opened,
                        opened_at=opened, updated_at=opened,
                    )
                )  # fmt: skip
            Case.objects.bulk_create(cases)
            Person.objects.bulk_create(
                Person(case=case, kind=kind, name=f"{name} {case.pk}", author_id=case.responsible_id,
                       created_at=case.opened_at)
                for case in cases
                for kind, name in people
            )  # fmt: skip
            PhaseChange.objects.bulk_create(
                PhaseChange(case=case, target=Phase.SIGNALS, reason="Casus geopend",
                            author_id=case.responsible_id, created_at=case.opened_at)
                for case in cases
            )  # fmt: skip
            Entry.objects.bulk_create(
                (
                    Entry(case=case, kind="signal", phase=Phase.SIGNALS, author_id=case.responsible_id,
                          organisation_id=case.organisation_id, created_at=case.opened_at,
                          data={"date": day, "category": "lichamelijk", "source": "eigen",
                                "facts": f"Signaal {n}."})
                    for case in cases
                    for n in range(entries)
                ),
                batch_size=BATCH,
            )  # fmt: skip


def timed(call: Callable[[], Any], rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def clocked(call: Callable[[], Any]) -> tuple[float, float]:
    """The wall-clock and this process's CPU milliseconds of one call. On a shared machine the CPU
    time shows what the code costs, apart from waiting for other work; it leaves out what the
    database server does for the call (PostgreSQL) and the disk's flushes (SQLite)."""
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def profile(call: Callable[[], Any], rounds: int, path: str) -> None:
    """Profile `rounds` calls, write the statistics to `path` and print the top of them."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        call()
    profiler.disable()
    profiler.dump_stats(path)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats("meldwijzer|shortcuts", 30)


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]


def background_wait() -> float | None:
    """Wait until the report PDFs of the changes so far are laid out in the background; the
    milliseconds that took, or None for code that lays out only on download (before ADR 0041)."""
    try:
        from meldwijzer.cases.report_pdf import report_pdf_queue_wait
    except ImportError:
        return None
    start = time.perf_counter()
    assert report_pdf_queue_wait(timeout=120)
    return (time.perf_counter() - start) * 1000


def measure_pdf(client: Any, actor: Any, case: Any, args: argparse.Namespace) -> dict[str, float]:
    """Median milliseconds of the report PDF's downloads after changes (see the module's text)."""
    from django.urls import reverse
    from tests.cases.builders import record

    from meldwijzer.cases.entries import NoteForm

    url = reverse("cases:report_pdf", args=[case.pk])
    found: dict[str, list[float]] = {"at once": [], "first": [], "second": [], "background": []}
    for number in range(args.pdf_rounds):
        record(actor, case, NoteForm, {"text": f"Een nieuwe versie van de casus ({number})."})
        found["at once"] += timed(lambda: client.get(url), 1)
        background_wait()
        record(actor, case, NoteForm, {"text": f"Nog een nieuwe versie ({number})."})
        time.sleep(args.pdf_pause)
        found["first"] += timed(lambda: client.get(url), 1)
        found["second"] += timed(lambda: client.get(url), 1)
        record(actor, case, NoteForm, {"text": f"Een versie in de achtergrond ({number})."})
        waited = background_wait()
        if waited is not None:
            found["background"].append(waited)
    return {name: statistics.median(times) for name, times in found.items() if times}


def run(vendor: str, database: str, args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.db import connection
    from django.http import HttpRequest, HttpResponse
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import clear_url_caches, path, reverse
    from django.utils import timezone
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from tests.cases.builders import record, weigh_unsafe, weighing_case
    from tests.factories import MembershipFactory, OrganisationFactory

    from meldwijzer.accounts.services import SESSION_LOGIN_AT_KEY
    from meldwijzer.cases.entries import SignalForm
    from meldwijzer.cases.models import Case
    from meldwijzer.cases.selectors import case_page_get
    from meldwijzer.core.decorators import current_actor
    from meldwijzer.organisations.models import Membership
    from meldwijzer.organisations.roles import Role
    from meldwijzer.organisations.selectors import actor_for_user

    # Static files as in the tests: the production manifest exists only after collectstatic.
    override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()  # fmt: skip
    print(f"database: {vendor} ({database})")
    organisation = OrganisationFactory(name="Basisschool De Meldwijzer")
    membership = MembershipFactory(role=Role.PROFESSIONAL, organisation=organisation)
    others = [MembershipFactory(role=Role.PROFESSIONAL) for _ in range(20)]
    start = time.perf_counter()
    generate(args.cases, args.entries, args.mine, membership, others)
    print(
        f"generated {args.cases:,} cases ({args.entries} entries, 3 people each) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    # One case of about the same size, built the way a professional builds it.
    actor = actor_for_user(user=membership.user)
    case = weighing_case(actor)
    weigh_unsafe(actor, case)
    for number in range(max(0, args.entries - 6)):
        record(actor, case, SignalForm, {
            "date": timezone.localdate().isoformat(), "category": "lichamelijk",
            "source": "eigen", "facts": f"Nog een signaal {number}.",
        })  # fmt: skip
    assert Membership.objects.filter(user=membership.user).count() == 1
    background_wait()  # no layout of these changes runs beside the timed requests

    client = Client()
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=membership.user).persistent_id
    session[SESSION_LOGIN_AT_KEY] = datetime.datetime.now(datetime.UTC).isoformat()
    session.save()

    page_url = reverse("cases:detail", args=[case.pk])
    page = client.get(page_url)
    assert page.status_code == 200, page.status_code
    body = page.content

    def bare(request: HttpRequest) -> HttpResponse:
        return HttpResponse(body)

    def logged_read(request: HttpRequest) -> HttpResponse:
        """What every case page costs before it shows anything: the case read with its access
        check and its access-log rows (ADR 0003, 0021), then the same bytes."""
        case_page_get(actor=current_actor(request), case_id=case.pk)
        return HttpResponse(body)

    urls = types.ModuleType("case_page_benchmark_urls")
    urls.urlpatterns = [path("__kaal__/", bare), path("__gelogd__/", logged_read), *__import__(  # type: ignore[attr-defined]
        settings.ROOT_URLCONF, fromlist=["urlpatterns"]).urlpatterns]  # fmt: skip
    sys.modules[urls.__name__] = urls
    settings.ROOT_URLCONF = urls.__name__
    clear_url_caches()
    assert client.get("/__kaal__/").content == body

    def queries(url: str) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        sql = [query["sql"] for query in captured.captured_queries]
        writes = [q for q in sql if "django_session" in q and not q.startswith("SELECT")]
        return len(sql), len(writes)

    if args.profile:
        profile(lambda: client.get(page_url), args.rounds, args.profile)

    page_times: list[float] = []
    bare_times: list[float] = []
    logged_times: list[float] = []
    page_cpu: list[float] = []
    bare_cpu: list[float] = []
    logged_cpu: list[float] = []
    for _ in range(args.rounds):  # interleaved, so a noisy moment hits all alike
        for url, times, cpu in (
            (page_url, page_times, page_cpu),
            ("/__kaal__/", bare_times, bare_cpu),
            ("/__gelogd__/", logged_times, logged_cpu),
        ):
            wall, used = clocked(partial(client.get, url))
            times.append(wall)
            cpu.append(used)
    page_queries, page_writes = queries(page_url)
    bare_queries, bare_writes = queries("/__kaal__/")
    logged_queries, logged_writes = queries("/__gelogd__/")

    pdf = measure_pdf(client, actor, case, args)

    list_url = reverse("cases:list")
    list_times = timed(lambda: client.get(list_url), max(3, args.rounds // 5))
    list_queries, _ = queries(list_url)
    shown = Case.objects.filter(responsible=membership.user).count()

    print(f"rounds: {args.rounds}; one case with {case.entries.count()} entries; milliseconds")
    print(f"{'request':<28}{'median':>9}{'p95':>9}{'queries':>9}{'session writes':>16}")
    for name, times, count, writes in (
        ("case page", page_times, page_queries, page_writes),
        ("bare view, same bytes", bare_times, bare_queries, bare_writes),
        ("logged read, same bytes", logged_times, logged_queries, logged_writes),
    ):
        median = statistics.median(times)
        print(f"{name:<28}{median:>9.1f}{p95(times):>9.1f}{count:>9}{writes:>16}")
    ratio = statistics.median(page_times) / statistics.median(bare_times)
    print(f"case page ÷ bare view: {ratio:.2f} (target ≤ 2)")
    logged = statistics.median(logged_times) / statistics.median(bare_times)
    print(f"logged read ÷ bare view: {logged:.2f} (the least any page showing the case can cost)")
    page_used, bare_used = statistics.median(page_cpu), statistics.median(bare_cpu)
    logged_used = statistics.median(logged_cpu)
    print(
        f"CPU of this process, median: case page {page_used:.1f}, bare view {bare_used:.1f}, "
        f"logged read {logged_used:.1f}; case page ÷ bare view {page_used / bare_used:.2f} "
        "(without the database server's work)"
    )
    print(
        f"report PDF, download at once after a change: median {pdf['at once']:.0f} ms "
        f"({args.pdf_rounds} changes)"
    )
    print(
        f"report PDF, first download of a version ({args.pdf_pause:g} s after the change): "
        f"{pdf['first']:.0f} ms; second: {pdf['second']:.0f} ms (medians)"
    )
    if "background" in pdf:
        print(f"report PDF laid out in the background {pdf['background']:.0f} ms after a change")
    print(
        f"my cases ({shown} cases): median {statistics.median(list_times):.1f} ms, "
        f"p95 {p95(list_times):.1f} ms, {list_queries} queries"
    )


if __name__ == "__main__":
    main()
