"""The lists a professional uses daily, at national scale: queries and time for one page.

For each list page it builds a few rows (3) and measures the first page, then grows the list to
`--rows` rows (written in bulk, as the list only reads them) and measures the first and the last
page again: the number of queries (as sent to the database) and the median time over `--rounds`
requests through Django's test client with the production settings and middleware. Also the
retention job's dry run, with 3 and with `--rows` closed cases still within their period.

Creates a throw-away database (a temporary SQLite file, or `<DATABASE_URL>` with PostgreSQL), so it
never touches real data.
"""

from __future__ import annotations

import argparse
import datetime
import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code and its tests/ (factories, builders), whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from benchmarks.support.throwaway import throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000, help="rows per list when grown")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with throwaway_database() as (vendor, _):
        run(vendor, args)


def measure(client: Any, url: str, rounds: int, params: dict[str, str] | None = None) -> str:
    """Queries and median milliseconds of one page, as one cell of the table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {})
    times = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url, params or {})
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return f"{len(captured)} q, {statistics.median(times):.1f} ms"


def last_page(rows: int, size: int) -> dict[str, str]:
    return {"pagina": str(max(1, math.ceil(rows / size)))}


def run(vendor: str, args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone
    from tests.conftest import force_verified_login
    from tests.coordination.builders import actor_of, coordinator, file_open
    from tests.coordination.inbox_builders import member, reporter, send, veilig_thuis
    from tests.coordination.test_file_lists import copies as file_copies
    from tests.coordination.test_inbox_lists import copies as report_copies
    from tests.factories import MembershipFactory, OrganisationFactory
    from tests.followups.builders import closed_with_plan
    from tests.followups.test_lists import copies as plan_copies
    from tests.organisations.test_member_list_pages import people
    from tests.privacy.retention_builders import closed_case
    from tests.social_map.test_manage_pages import providers
    from tests.trainings.builders_worries import region, share
    from tests.trainings.test_worries_lists import copies as worry_copies

    from meldwijzer.cases import services as case_services
    from meldwijzer.cases.models import Case
    from meldwijzer.followups.models import PlannedContact
    from meldwijzer.organisations.roles import Role
    from meldwijzer.privacy.retention_job import retention_run, years_before

    override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }).enable()  # fmt: skip
    print(f"database: {vendor}; {args.rows:,} rows per list when grown; {args.rounds} rounds")
    rows, rounds = args.rows, args.rounds
    table: list[tuple[str, str, str, str, str]] = []

    def list_pages(
        pages: list[tuple[str, Any, str, int]], grow: Callable[[], None], few: int = 3
    ) -> None:
        """Measure each (name, user, url, page size) with a few rows, grow, measure again."""
        clients = [force_verified_login(Client(), user) for _, user, _, _ in pages]
        small = [
            measure(client, url, rounds)
            for client, (_, _, url, _) in zip(clients, pages, strict=True)
        ]
        start = time.perf_counter()
        grow()
        built = time.perf_counter() - start
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for client, before, (name, _, url, size) in zip(clients, small, pages, strict=True):
            first = measure(client, url, rounds)
            last = measure(client, url, rounds, last_page(rows, size))
            table.append((name, f"{size}", before, first, last))
            print(f"{name}: {few} rows {before}; {rows:,} rows page 1 {first}, last {last} "
                  f"(built in {built:.1f} s)", flush=True)  # fmt: skip

    # Mijn casussen and the organisation's open cases (the aandachtsfunctionaris).
    school = OrganisationFactory(name="Basisschool De Meldwijzer")
    teacher = actor_of(MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user)
    officer = MembershipFactory(role=Role.MELDCODE_OFFICER, organisation=school).user

    def opened(title: str) -> Case:
        return case_services.case_open(
            actor=teacher, title=title, profession="onderwijs", client="kind"
        )

    model = opened("Casus 0")
    opened("Casus 1"), opened("Casus 2")

    def more_cases() -> None:
        copies = []
        for number in range(3, rows):
            copy = Case.objects.get(pk=model.pk)
            copy.pk, copy.reference = None, f"B-{number}"
            copy.client_pseudonym = f"{model.client_pseudonym[:16]}-{number}"
            copies.append(copy)
        Case.objects.bulk_create(copies, batch_size=1000)

    list_pages(
        [
            ("Mijn casussen", teacher.user, reverse("cases:list"), 50),
            (
                "Open casussen van de organisatie",
                officer,
                reverse("cases:organisation_overview"),
                50,
            ),
        ],
        more_cases,
    )

    # Follow-up: this week's contacts (9 per plan) and my plans.
    nurse = actor_of(MembershipFactory(role=Role.PROFESSIONAL, organisation=school).user)
    plan = closed_with_plan(nurse)
    PlannedContact.objects.filter(plan=plan).update(
        due_on=timezone.localdate() + datetime.timedelta(days=400)
    )
    first_three = PlannedContact.objects.filter(plan=plan).order_by("number")[:3]
    PlannedContact.objects.filter(pk__in=[p.pk for p in first_three]).update(
        due_on=timezone.localdate()
    )
    plan_copies(plan, 2)  # 3 plans, 3 contacts this week each
    list_pages(
        [
            ("Nazorg deze week (3 contacten per plan)", nurse.user, reverse("followups:week"), 25),
            ("Mijn vervolgplannen", nurse.user, reverse("followups:plans"), 50),
        ],
        lambda: plan_copies(plan, rows - 3),
    )

    # Veilig Thuis' inbox and my coordination files.
    vt = veilig_thuis()
    report = send(reporter(), vt)
    report_copies(report, 2)
    list_pages(
        [("Binnengekomen meldingen", member(vt), reverse("coordination:inbox"), 50)],
        lambda: report_copies(report, rows - 3),
    )
    lead = coordinator()
    file = file_open(lead)
    file_copies(file, 2)
    list_pages(
        [("Mijn regiedossiers", lead, reverse("coordination:list"), 50)],
        lambda: file_copies(file, rows - 3),
    )

    # Zorgen voor mij, members, the sociale kaart's providers.
    world = region()
    worry = share(world.teacher)
    worry_copies(worry, 2)
    list_pages(
        [("Zorgen voor mij", world.officer, reverse("trainings:worry_inbox"), 50)],
        lambda: worry_copies(worry, rows - 3),
    )
    admin = MembershipFactory(role=Role.FUNCTIONAL_ADMIN, organisation=school).user
    list_pages(  # the school's teacher, officer, nurse and beheerder
        [("Medewerkers", admin, reverse("organisations:member_list"), 50)],
        lambda: people(school, rows - 4, "Jansen"),
        few=4,
    )
    providers(school, 3, "Wijkteam", timezone.localdate())
    list_pages(
        [("Sociale kaart: aanbieders bijhouden", admin, reverse("social_map:manage"), 50)],
        lambda: providers(school, rows - 3, "Wijkteam Noord", datetime.date(2020, 1, 1)),
    )

    # The retention job's dry run: one case due, the others closed within their period.
    now = timezone.now()
    keeper = actor_of(MembershipFactory(role=Role.PROFESSIONAL).user)
    closed_case(keeper, years_before(now, 20) - datetime.timedelta(days=1))
    recent = closed_case(keeper, years_before(now, 20) + datetime.timedelta(days=30))

    def recent_copies(count: int, start: int) -> None:
        copies = []
        for number in range(start, start + count):
            copy = Case.objects.get(pk=recent.pk)
            copy.pk, copy.reference = None, f"R-{number}"
            copy.client_pseudonym = f"{recent.client_pseudonym[:16]}-{number}"
            copies.append(copy)
        Case.objects.bulk_create(copies, batch_size=1000)

    def dry_run() -> str:
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            retention_run(dry_run=True)
        return f"{len(captured)} q, {(time.perf_counter() - start) * 1000:.1f} ms"

    recent_copies(2, 0)
    small = dry_run()
    recent_copies(rows - 3, 2)
    grown = dry_run()
    table.append(("retention --dry-run (closed cases within their period)", "–", small, grown, "–"))
    print(f"retention dry run: 3 recent closed cases {small}; {rows:,} {grown}", flush=True)

    print()
    print(
        f"| List | page size | 3 rows: page 1 | {rows:,} rows: page 1 | {rows:,} rows: last page |"
    )
    print("|---|---|---|---|---|")
    for name, size, small, first, last in table:
        print(f"| {name} | {size} | {small} | {first} | {last} |")


if __name__ == "__main__":
    main()
