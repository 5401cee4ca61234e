"""Sociale kaart search at national scale: the selector against the same query written in SQL.

Generates a directory of 50,000 services (12,500 providers with a location in a random Dutch PC4,
a municipality, province or national service area, taxonomy terms, languages) in a throw-away
database — a temporary SQLite file, or `test_<name>` beside `<DATABASE_URL>` with PostgreSQL —
and runs three typical searches many times, each three ways: through `selectors.service_search`
(what the pages and the API call: count plus one page of 20 with its related rows), as the
selector's query alone (count plus the page of ids), and as hand-written SQL doing the same
filtering, ranking and ordering. It checks that all three return the same services, then prints
the median and 95th percentile per kind of search and the ratios to the SQL.

    .venv/bin/python benchmarks/social_map_search.py [--services 50000] [--rounds 60]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code and its tests/ (factories, generators), whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))
from benchmarks.support.throwaway import throwaway_database  # noqa: E402
from tests.social_map.generated_hsds import KINDS, SENTENCES  # noqa: E402 (needs the path above)

PAGE = 20
HELP = [
    "advies", "ambulante_hulp", "opvang", "daderhulp", "traumabehandeling", "juridisch",
    "opvoedondersteuning", "praktische_hulp", "langdurige_begeleiding", "medische_hulp",
    "consultatie", "acute_hulp", "gezinstherapie",
]  # fmt: skip
GROUPS = [
    "kinderen", "jongeren", "ouders", "volwassenen", "plegers", "ouderen", "arbeidsmigranten",
    "statushouders", "lvb", "psychiatrie_verslaving", "professionals",
]  # fmt: skip
VIOLENCE = [
    "lichamelijk",
    "emotioneel",
    "verwaarlozing",
    "seksueel",
    "getuige",
    "ouderen",
    "uitbuiting",
]
LANGUAGES = ["en", "pl", "ro", "bg", "ar", "ti", "tr", "uk"]
QUERIES = [
    "opvang", "hulp voor kinderen", "daderhulp", "huiselijk geweld", "traumabehandeling",
    "schulden", "ouderen", "arbeidsmigranten", "veiligheidsplan", "jongeren",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    with throwaway_database() as (vendor, test_db):
        run(vendor, test_db, args.services, args.rounds)


# --- The directory ---------------------------------------------------------------------------------


def generate(services: int, rng: random.Random) -> None:
    from django.db import transaction

    from meldwijzer.organisations.reference import postcode_areas
    from meldwijzer.social_map.models import (
        AreaKind,
        Language,
        Location,
        Phone,
        Provider,
        Service,
        ServiceArea,
        ServiceLocation,
        ServiceTerm,
    )  # fmt: skip

    areas = [a for a in postcode_areas().values() if a.x_rd is not None and a.inhabitants > 0]
    per_provider = 4
    with transaction.atomic():
        providers = Provider.objects.bulk_create(
            [
                Provider(name=f"Stichting Hulp {i}", description=rng.choice(SENTENCES))
                for i in range(services // per_provider)
            ],
            batch_size=2000,
        )
        homes = [rng.choice(areas) for _ in providers]
        locations = Location.objects.bulk_create(
            [
                Location(
                    provider=provider,
                    name=f"Vestiging {home.place}",
                    address_1="Straat 1",
                    postal_code=f"{home.postcode} AA",
                    city=home.place,
                    state_province=home.province,
                    pc4=home.postcode,
                    x_rd=home.x_rd,
                    y_rd=home.y_rd,
                    confidential=rng.random() < 0.03,
                    address_type="physical",
                )
                for provider, home in zip(providers, homes, strict=True)
            ],
            batch_size=2000,
        )
        rows = []
        for provider, home, location in zip(providers, homes, locations, strict=True):
            for n in range(per_provider):
                kind = rng.choice(KINDS)
                rows.append(
                    (
                        Service(
                            provider=provider,
                            name=f"{kind} {home.place} {n + 1}",
                            description=" ".join(rng.sample(SENTENCES, 3)),
                            eligibility_description=rng.choice(SENTENCES),
                        ),
                        home,
                        location,
                    )
                )
        created = Service.objects.bulk_create([row[0] for row in rows], batch_size=2000)
        terms, service_areas, languages, links, phones = [], [], [], [], []
        for service, (_, home, location) in zip(created, rows, strict=True):
            for code in rng.sample(HELP, rng.randint(1, 3)):
                terms.append(ServiceTerm(service=service, taxonomy="soorten_hulp", code=code))
            for code in rng.sample(GROUPS, rng.randint(1, 3)):
                terms.append(ServiceTerm(service=service, taxonomy="doelgroepen", code=code))
            for code in rng.sample(VIOLENCE, rng.randint(0, 3)):
                terms.append(ServiceTerm(service=service, taxonomy="vormen_van_geweld", code=code))
            scope = rng.random()
            if scope < 0.02:
                kind, code = AreaKind.NATIONAL, "NL"
            elif scope < 0.12:
                kind, code = AreaKind.PROVINCE, home.province
            else:
                kind, code = AreaKind.MUNICIPALITY, home.municipality
            service_areas.append(ServiceArea(service=service, kind=kind, code=code))
            languages.append(Language(service=service, code="nl", name="Nederlands"))
            for code in rng.sample(LANGUAGES, rng.choice([0, 0, 0, 1, 2])):
                languages.append(Language(service=service, code=code, name=code))
            if rng.random() < 0.9:
                links.append(ServiceLocation(service=service, location=location))
            phones.append(Phone(service=service, number="0000-000 000"))
        for model, objects in (
            (ServiceTerm, terms), (ServiceArea, service_areas), (Language, languages),
            (ServiceLocation, links), (Phone, phones),
        ):  # fmt: skip
            model.objects.bulk_create(objects, batch_size=2000)


# --- The same searches, in SQL -------------------------------------------------------------------


def sql_search(vendor: str, criteria: Any) -> tuple[int, list[int]]:
    """Count and the first page of ids, by hand, with the selector's filters and ordering."""
    from django.db import connection

    from meldwijzer.social_map import search

    params: list[Any] = []
    joins, where = "", ["s.status IN ('active', 'temporarily closed')"]
    rank = "NULL"
    if criteria.text:
        if vendor == "sqlite":
            joins = (
                " JOIN (SELECT rowid AS id, -bm25(social_map_service_fts, 10.0, 4.0, 1.0, 2.5)"
                " AS rank FROM social_map_service_fts WHERE social_map_service_fts MATCH %s) m"
                " ON m.id = s.id"
            )
            params.append(search.sqlite_match(criteria.text))
            rank = "m.rank"
        else:
            terms = search.postgres_terms(criteria.text)
            query = " && ".join("to_tsquery('dutch', %s)" for _ in terms)
            joins = f", ({'SELECT ' + query} AS q) qq"
            params += terms
            where.append("s.search_vector @@ qq.q")
            rank = "ts_rank(s.search_vector, qq.q)"
    for taxonomy, codes in (
        ("soorten_hulp", criteria.help_types),
        ("doelgroepen", criteria.target_groups),
    ):
        if codes:
            placeholders = ", ".join(["%s"] * len(codes))
            where.append(
                "s.id IN (SELECT t.service_id FROM social_map_serviceterm t"  # noqa: S608
                f" WHERE t.taxonomy = %s AND t.code IN ({placeholders}))"
            )
            params += [taxonomy, *codes]
    if criteria.language:
        where.append("s.id IN (SELECT g.service_id FROM social_map_language g WHERE g.code = %s)")
        params.append(criteria.language)
    origin = criteria.origin
    distance = "NULL"
    distance_params: list[Any] = []
    if origin is not None:
        where.append(
            "(s.id IN (SELECT a.service_id FROM social_map_servicearea a WHERE a.kind = 'landelijk'"
            " OR (a.kind = 'provincie' AND a.code = %s) OR (a.kind = 'gemeente' AND a.code = %s)"
            " OR (a.kind = 'pc4' AND a.code = %s)) OR NOT EXISTS (SELECT 1 FROM"
            " social_map_servicearea a WHERE a.service_id = s.id AND a.kind <> 'overig'))"
        )
        params += [origin.province, origin.municipality, origin.postcode]
        distance = (
            "(SELECT MIN((l.x_rd - %s) * (l.x_rd - %s) + (l.y_rd - %s) * (l.y_rd - %s))"
            " FROM social_map_servicelocation sl JOIN social_map_location l"
            " ON l.id = sl.location_id WHERE sl.service_id = s.id AND NOT l.confidential"
            " AND l.x_rd IS NOT NULL AND l.y_rd IS NOT NULL)"
        )
        distance_params = [origin.x_rd, origin.x_rd, origin.y_rd, origin.y_rd]
    order = []
    if criteria.text:
        order.append("rank DESC")
    if origin is not None:
        order.append("d2 ASC NULLS LAST")
    order += ["s.name", "s.id"]
    base = f"FROM social_map_service s{joins} WHERE {' AND '.join(where)}"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) {base}", params)
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT s.id, {rank} AS rank, {distance} AS d2 {base} "
            f"ORDER BY {', '.join(order)} LIMIT {PAGE}",
            distance_params + params,
        )
        ids = [row[0] for row in cursor.fetchall()]
    return total, ids


# --- Measuring ------------------------------------------------------------------------------------


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def orm_search(criteria: Any) -> tuple[int, list[int]]:
    """The selector's query alone: count and the page of ids, without loading the services."""
    from meldwijzer.social_map.selectors import service_queryset

    queryset, _, _ = service_queryset(criteria)
    return queryset.count(), list(queryset.values_list("pk", flat=True)[:PAGE])


def run(vendor: str, database: str, size: int, rounds: int) -> None:
    from django.db import connection

    from meldwijzer.organisations.reference import postcode_areas
    from meldwijzer.social_map.selectors import Criteria, service_search
    from meldwijzer.social_map.services import search_index_rebuild

    rng = random.Random(2025)  # noqa: S311 - reproducible test data, not security
    took, _ = timed(lambda: generate(size, rng))
    print(f"database: {vendor} ({database})")
    print(f"generated {size:,} services in {took:.1f} s", flush=True)
    took, indexed = timed(search_index_rebuild)
    print(f"search index: {indexed:,} services in {took:.1f} s", flush=True)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    postcodes = [
        a.postcode for a in postcode_areas().values() if a.x_rd is not None and a.inhabitants > 0
    ]

    def text_and_postcode() -> Criteria:
        return Criteria(text=rng.choice(QUERIES), postcode=rng.choice(postcodes))

    def filters_only() -> Criteria:
        return Criteria(
            help_types=(rng.choice(HELP),),
            target_groups=(rng.choice(GROUPS),),
            language=rng.choice(["", "", "pl", "ar"]),
        )

    def postcode_only() -> Criteria:
        return Criteria(postcode=rng.choice(postcodes))

    print(f"rounds: {rounds} per kind of search; each: the count and a page of {PAGE}")
    print("selector: service_search, as the pages call it (also loads the page's related rows)")
    print("ORM:      the selector's query alone (count + page of ids)")
    print("SQL:      the same search written by hand (count + page of ids)")
    header = (
        "search",
        "selector",
        "p95",
        "ORM",
        "p95",
        "SQL",
        "p95",
        "sel/SQL",
        "ORM/SQL",
        "found",
    )
    print("{:<16}{:>11}{:>11}{:>11}{:>11}{:>11}{:>11}{:>9}{:>9}{:>8}".format(*header))
    for label, make in (
        ("text + postcode", text_and_postcode),
        ("filters only", filters_only),
        ("postcode only", postcode_only),
    ):
        times: dict[str, list[float]] = {"selector": [], "orm": [], "sql": []}
        totals = []
        for index in range(rounds + 3):
            criteria = make()
            took_selector, results = timed(lambda c=criteria: service_search(c, limit=PAGE))
            took_orm, orm = timed(lambda c=criteria: orm_search(c))
            took_sql, (total, ids) = timed(lambda c=criteria: sql_search(vendor, c))
            found = (results.total, [hit.service.pk for hit in results.hits])
            if not found == orm == (total, ids):
                raise AssertionError(f"{criteria}: selector {found}, ORM {orm}, SQL {total} {ids}")
            if index >= 3:  # the first rounds warm the caches
                for key, took in (
                    ("selector", took_selector),
                    ("orm", took_orm),
                    ("sql", took_sql),
                ):
                    times[key].append(took * 1000)
                totals.append(total)
        medians = {key: statistics.median(values) for key, values in times.items()}
        p95 = {key: percentile(values, 0.95) for key, values in times.items()}
        cells = "".join(
            f"{value:>8.1f} ms"
            for key in ("selector", "orm", "sql")
            for value in (medians[key], p95[key])
        )
        print(
            f"{label:<16}{cells}{medians['selector'] / medians['sql']:>9.2f}"
            f"{medians['orm'] / medians['sql']:>9.2f}{statistics.median(totals):>8,.0f}"
        )


if __name__ == "__main__":
    sys.exit(main())
