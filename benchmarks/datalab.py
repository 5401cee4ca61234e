"""The datalab report at national scale: `analyses.report_build` against its main counts in SQL.

Generates ten years of Veilig Thuis reports at national scale (1.3 million records by default,
each with one to three forms of violence and two or three persons) straight into the tables of a
throw-away database — a temporary SQLite file, or `test_<name>` beside `<DATABASE_URL>` with
PostgreSQL (written with COPY) — and measures, in one run:

- the whole report as the pages get it (`analyses.report_build`): wall time (median of the
  repeats) and peak memory (tracemalloc's peak in a separate run, and the process's peak RSS);
- the report's main counts written by hand in SQL (reports per quarter, per PC4 per year, per
  reporter sector per year, per kind of violence per year, per kind of report per year, forms of
  violence per year), median of the repeats, and the ratio report ÷ SQL;
- disclosure control alone: those SQL counts put in one `disclosure.Publication` with every sum
  (quarters, PC4s, sectors and kinds to the year; each of them over the years; years and each
  table to the whole) and protected.

    .venv/bin/python benchmarks/datalab.py [--records 1300000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import datetime
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code and its tests/ (factories, generators), whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from benchmarks.support.throwaway import throwaway_database  # noqa: E402

YEARS = 10
FIRST_YEAR = 2015
BATCH = 50_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_300_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with throwaway_database() as (vendor, test_db):
        run(vendor, test_db, args.records, args.repeats)


# --- The records ---------------------------------------------------------------------------------


def datalab() -> Any:
    from meldwijzer.datalab.models import Import, ImportState, Source, SourceKind
    from meldwijzer.organisations.models import Municipality, Organisation

    municipality, _ = Municipality.objects.get_or_create(
        name="Noordoostpolder", defaults={"province": "Flevoland"}
    )
    organisation = Organisation.objects.create(
        name="Gemeente Noordoostpolder", sector="gemeente", municipality=municipality
    )
    source = Source.objects.create(
        datalab=organisation, name="Veilig Thuis", kind=SourceKind.VEILIG_THUIS
    )
    imported = Import.objects.create(
        source=source,
        filename="meldingen.csv",
        file_format="csv",
        sha256="0" * 64,
        state=ImportState.DONE,
    )
    return organisation, source, imported


def rows(records: int, organisation_id: int, source_id: int, import_id: int) -> Iterator[tuple]:
    """(record, forms, persons) rows with explicit ids, reproducibly random."""
    from meldwijzer.datalab.models import (
        Outcome,
        PersonRole,
        ReporterRole,
        ReporterSector,
        ReportKind,
        ViolenceForm,
        ViolenceKind,
    )
    from meldwijzer.organisations.reference import postcode_areas

    rng = random.Random(2026)  # noqa: S311 - reproducible test data, not security
    postcodes = sorted(postcode_areas())
    days = (datetime.date(FIRST_YEAR + YEARS, 1, 1) - datetime.date(FIRST_YEAR, 1, 1)).days
    start = datetime.date(FIRST_YEAR, 1, 1)
    roles, sectors = list(ReporterRole.values), list(ReporterSector.values)
    kinds, violence = list(ReportKind.values), list(ViolenceKind.values)
    forms, outcomes = list(ViolenceForm.values), list(Outcome.values)
    person_roles = list(PersonRole.values)
    bands = ["0-3", "4-11", "12-17", "18-26", "27-64", "65+"]
    form_id = person_id = 0
    for record_id in range(1, records + 1):
        reported = start + datetime.timedelta(days=rng.randrange(days))
        started = reported + datetime.timedelta(days=rng.randrange(5))
        acted = started + datetime.timedelta(days=rng.randrange(30))
        ended = acted + datetime.timedelta(days=rng.randrange(200)) if rng.random() < 0.9 else None
        record = (
            record_id, organisation_id, source_id, import_id, f"VT-{record_id}",
            reported, rng.choice(postcodes), rng.choice(roles), rng.choice(sectors),
            rng.choice(kinds), False, rng.choice(violence), started, acted, ended,
            rng.choice(outcomes) if ended else "", "k1",
        )  # fmt: skip
        record_forms = []
        for form in rng.sample(forms, rng.randint(1, 3)):
            form_id += 1
            record_forms.append((form_id, record_id, form))
        record_persons = []
        for _ in range(rng.randint(2, 3)):
            person_id += 1
            record_persons.append(
                (
                    person_id,
                    record_id,
                    f"p{rng.randrange(records):x}",
                    rng.choice(person_roles),
                    rng.choice(bands),
                )
            )
        yield record, record_forms, record_persons


RECORD_COLUMNS = (
    "id", "datalab_id", "source_id", "imported_id", "reference", "reported_on", "pc4",
    "reporter_role", "reporter_sector", "report_kind", "report_kind_derived", "violence_kind",
    "case_started_on", "first_action_on", "case_ended_on", "outcome", "key_id",
)  # fmt: skip
FORM_COLUMNS = ("id", "record_id", "form")
PERSON_COLUMNS = ("id", "record_id", "pseudonym", "role", "age_band")


def generate(vendor: str, records: int, organisation: Any, source: Any, imported: Any) -> None:
    from django.db import connection, transaction

    from meldwijzer.datalab.models import Record, RecordForm, RecordPerson

    tables = [
        (Record._meta.db_table, RECORD_COLUMNS),
        (RecordForm._meta.db_table, FORM_COLUMNS),
        (RecordPerson._meta.db_table, PERSON_COLUMNS),
    ]
    generated = rows(records, organisation.pk, source.pk, imported.pk)
    with transaction.atomic(), connection.cursor() as cursor:
        while True:
            batch: list[list[tuple]] = [[], [], []]
            for record, forms, persons in generated:
                batch[0].append(record)
                batch[1].extend(forms)
                batch[2].extend(persons)
                if len(batch[0]) == BATCH:
                    break
            if not batch[0]:
                break
            for (table, columns), values in zip(tables, batch, strict=True):
                if vendor == "postgresql":
                    with cursor.cursor.copy(
                        f"COPY {table} ({', '.join(columns)}) FROM STDIN"
                    ) as copy:
                        for value in values:
                            copy.write_row(value)
                else:
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - our names
                        f"VALUES ({', '.join(['%s'] * len(columns))})",
                        values,
                    )
        if vendor == "postgresql":
            for table, _ in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                    f"(SELECT MAX(id) FROM {table}))"
                )
        cursor.execute("ANALYZE")


# --- The same counts, in SQL ---------------------------------------------------------------------


def sql_queries(vendor: str) -> dict[str, str]:
    if vendor == "postgresql":
        year = "EXTRACT(YEAR FROM r.reported_on)::int"
        quarter = "EXTRACT(QUARTER FROM r.reported_on)::int"
    else:
        year = "CAST(strftime('%Y', r.reported_on) AS INTEGER)"
        quarter = "(CAST(strftime('%m', r.reported_on) AS INTEGER) + 2) / 3"
    base = "FROM datalab_record r WHERE r.datalab_id = %s"
    return {
        "per quarter": f"SELECT {year}, {quarter}, COUNT(*) {base} GROUP BY 1, 2",
        "per PC4 per year": f"SELECT {year}, r.pc4, COUNT(*) {base} GROUP BY 1, 2",
        "per sector per year": f"SELECT {year}, r.reporter_sector, COUNT(*) {base} GROUP BY 1, 2",
        "per violence kind per year": (
            f"SELECT {year}, r.violence_kind, COUNT(*) {base} GROUP BY 1, 2"
        ),
        "per report kind per year": f"SELECT {year}, r.report_kind, COUNT(*) {base} GROUP BY 1, 2",
        "forms per year": (
            f"SELECT {year}, f.form, COUNT(*) FROM datalab_record r JOIN datalab_recordform f"  # noqa: S608
            " ON f.record_id = r.id WHERE r.datalab_id = %s GROUP BY 1, 2"
        ),
    }


def sql_counts(vendor: str, organisation_id: int) -> dict[str, list[tuple]]:
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for name, sql in sql_queries(vendor).items():
            cursor.execute(sql, [organisation_id])
            found[name] = cursor.fetchall()
    return found


def publication_of(counts: dict[str, list[tuple]]) -> Any:
    """The SQL counts with every sum between them, as the report counts them."""
    from meldwijzer.datalab.disclosure import Publication

    publication = Publication()
    years: dict[int, int] = {}
    for year, _, n in counts["per quarter"]:
        years[int(year)] = years.get(int(year), 0) + n
    for year, total in years.items():
        publication.count(("jaar", year), total)
    publication.count("alles", sum(years.values()))
    publication.adds_up("alles", [("jaar", y) for y in years])
    for name in ("per quarter", "per PC4 per year", "per sector per year",
                 "per violence kind per year", "per report kind per year"):  # fmt: skip
        parts: dict[int, list[tuple]] = {}
        for year, key, n in counts[name]:
            publication.count((name, int(year), key), n)
            parts.setdefault(int(year), []).append((name, int(year), key))
        for year, keys in parts.items():
            publication.adds_up(("jaar", year), keys)
        over_years: dict[Any, list[tuple]] = {}  # each key over all years, to the whole
        for year, key, _ in counts[name]:
            over_years.setdefault(key, []).append((name, int(year), key))
        for key, keys in over_years.items():
            publication.count((name, key), sum(publication.counts[k] for k in keys))
            publication.adds_up((name, key), keys)
        publication.adds_up("alles", [(name, key) for key in over_years])
    for year, form, n in counts["forms per year"]:  # several per report: no sum to the year
        publication.count(("forms", int(year), form), n)
    return publication


# --- Measuring -----------------------------------------------------------------------------------


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def run(vendor: str, database: str, records: int, repeats: int) -> None:
    from meldwijzer.datalab.analyses import report_build

    organisation, source, imported = datalab()
    took, _ = timed(lambda: generate(vendor, records, organisation, source, imported))
    print(f"database: {vendor} ({database})")
    print(
        f"generated {records:,} records over {YEARS} years (with forms and persons) in {took:.1f} s",
        flush=True,
    )
    rss_before = peak_rss_mb()

    def report() -> Any:
        return report_build(organisation=organisation, version="bench")

    report_times = []
    for _ in range(repeats):
        seconds, built = timed(report)
        report_times.append(seconds)
    tracemalloc.start()
    report()
    _, report_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = peak_rss_mb()

    sql_times, counts = [], {}
    for _ in range(repeats):
        seconds, counts = timed(lambda: sql_counts(vendor, organisation.pk))
        sql_times.append(seconds)
    tracemalloc.start()
    sql_counts(vendor, organisation.pk)
    _, sql_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    protect_times = []
    cells = sums = 0
    for _ in range(repeats):
        publication = publication_of(counts)
        cells, sums = len(publication.counts), len(publication.sums)
        seconds, protected = timed(publication.protect)
        protect_times.append(seconds)
    hidden = sum(1 for cell in protected.values() if cell.value is None)

    report_median = statistics.median(report_times)
    sql_median = statistics.median(sql_times)
    print(f"repeats: {repeats}; medians")
    print(f"{'measure':<34}{'seconds':>10}{'peak MB':>10}")
    print(f"{'report_build (whole report)':<34}{report_median:>10.3f}{report_peak / 2**20:>10.1f}")
    print(f"{'SQL: the main counts':<34}{sql_median:>10.3f}{sql_peak / 2**20:>10.1f}")
    for name, rows_found in counts.items():
        print(f"  {name:<32}{len(rows_found):>10} rows")
    print(
        f"{'protect: SQL counts, every sum':<34}{statistics.median(protect_times):>10.3f}"
        f"{'':>10}  ({cells:,} cells, {sums:,} sums, {hidden:,} hidden)"
    )
    print(f"report ÷ SQL: {report_median / sql_median:.2f}")
    print(f"analyses in the report: {len(built.analyses)}")
    print(
        f"peak RSS of the process: {rss_before:.0f} MB before the report, {rss_after:.0f} MB after"
    )


if __name__ == "__main__":
    sys.exit(main())
