"""Demo data for the datalab: Noordoostpolder, shaped like the regional datalab's figures.

Made-up records for the datalab of Gemeente Noordoostpolder (the organisation of the demo policy
adviser `beleid`), with the figures of the regional datalab report (seed 003):

- *Veilig Thuis Flevoland*: 2068 reports from 1 January 2019 to 30 June 2023, 96 to 145 per
  quarter (mean 115), the peak in 2021 and every quarter of 2022 below the mean; in 2022 a third
  each of first, re- and follow-up reports; 90% from professionals (police 60%, health care 11%,
  education 8% of all reports), 46 citizen reports in 2019–2022; child abuse most, then other
  problems, then (ex-)partner violence, together 85%; 1770 cases started in 2019–2022, most from
  8302 and 8303, the highest rates per 100,000 in Nagele (8308), Luttelgeest (8315) and 8303.
- *Meldwijzer (eigen dossiers)*: the platform's own dossiers since 1 July 2023, when the region
  started using it, after Veilig Thuis's last delivery; part of the persons are known from
  Veilig Thuis's records (the same research pseudonyms), so repeat figures link the two.

Every person is a made-up BSN that passes the elfproef, pseudonymised as a partner does it (the
regional keyed hash, `rp-` and 32 characters) with the public demo key `DEMO_REGIONAL_KEY`;
nothing comes from real people. The loader also writes, under the data directory in
`datalab-voorbeeld/`, the demo key and two example files to try: the wijkteam's own export (to
pseudonymise with the key) and a GGD shared file (to import as it is); both name persons of
Veilig Thuis's demo records.
The numbers are drawn with a fixed seed, so every load gives the same records. Loading twice
changes nothing (the sources already exist).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from meldwijzer.datalab.models import (
    Import,
    ImportState,
    Outcome,
    Record,
    RecordForm,
    RecordPerson,
    ReporterRole,
    ReporterSector,
    ReportKind,
    Source,
    SourceKind,
    ViolenceForm,
    ViolenceKind,
)
from meldwijzer.organisations.models import Organisation
from meldwijzer.privacy.pseudonyms import key_id, regional_pseudonym

ORGANISATION = "Gemeente Noordoostpolder"
VEILIG_THUIS = "Veilig Thuis Flevoland"
PLATFORM = "Meldwijzer (eigen dossiers)"
DEMO_REGIONAL_KEY = "meldwijzer-demo-regiosleutel"
"""The region's key IN THE DEMO ONLY: public, so that anyone can try `meldwijzer datalab
pseudonymise` on the demo's example export. A real region's key is secret and never in code."""
KEY_ID = key_id(DEMO_REGIONAL_KEY, "datalab")
EXAMPLES = "datalab-voorbeeld"
"""The folder under the data directory with the demo key and the example files."""
EXAMPLE_KEY_FILE = "demo-regiosleutel.txt"
EXAMPLE_EXPORT = "wijkteam-noordoostpolder-export.csv"
EXAMPLE_SHARED = "ggd-flevoland-jgz-gedeeld.csv"
SEED = 2023
BATCH = 1000

QUARTERS: dict[int, tuple[int, ...]] = {
    2019: (108, 112, 116, 110),
    2020: (110, 118, 124, 114),
    2021: (132, 145, 138, 126),
    2022: (104, 98, 109, 108),
    2023: (96, 100),
}
"""Veilig Thuis's reports per quarter: 2068 in all, mean 114.9."""

CASES = 1770
"""Cases started in 2019–2022."""

CITIZENS = {2019: 11, 2020: 12, 2021: 12, 2022: 11, 2023: 5}
"""Citizen reports per year: 46 in 2019–2022."""

PLATFORM_QUARTERS = {(2023, 3): 118, (2023, 4): 124}

PC4_WEIGHT = {
    "8301": 0.85,
    "8302": 1.0,
    "8303": 1.6,
    "8304": 0.85,
    "8305": 0.85,
    "8307": 0.8,
    "8308": 2.2,
    "8309": 0.8,
    "8311": 0.8,
    "8312": 0.85,
    "8313": 0.8,
    "8314": 0.8,
    "8315": 2.0,
    "8316": 0.85,
    "8317": 0.8,
}
"""How often a PC4 area reports, per inhabitant, relative to 8302 (Emmeloord centre)."""

OUTSIDE_SHARE = 0.01
"""Reports without a postcode or from outside the municipality."""

KIND_SHARE = {
    ViolenceKind.CHILD_ABUSE: 40,
    ViolenceKind.OTHER_PROBLEMS: 27,
    ViolenceKind.PARTNER: 18,
    ViolenceKind.OTHER_DOMESTIC: 10,
    ViolenceKind.ELDER: 5,
}

SECTOR_SHARE = {
    ReporterSector.POLICE: 60,
    ReporterSector.HEALTH: 11,
    ReporterSector.EDUCATION: 8,
    ReporterSector.YOUTH: 3.5,
    ReporterSector.SOCIAL: 3.5,
    ReporterSector.CHILDCARE: 1.5,
    ReporterSector.JUSTICE: 1.5,
    ReporterSector.OTHER: 1,
}
"""Percentages of all reports (professionals make 90%)."""

REPORT_KIND_SHARE = {
    2022: {ReportKind.FIRST: 1, ReportKind.REPEAT: 1, ReportKind.FOLLOW_UP: 1},
}
OTHER_YEARS_KIND_SHARE = {ReportKind.FIRST: 36, ReportKind.REPEAT: 34, ReportKind.FOLLOW_UP: 30}

OUTCOMES = [str(o) for o in Outcome.values]

T = TypeVar("T")


def allot(rng: random.Random, n: int, weights: Mapping[T, float]) -> list[T]:
    """Exactly n values in the proportions of `weights` (largest remainder), shuffled."""
    total = sum(weights.values())
    exact = {k: n * w / total for k, w in weights.items()}
    counts = {k: int(v) for k, v in exact.items()}
    rest = n - sum(counts.values())
    for k in sorted(exact, key=lambda k: exact[k] - counts[k], reverse=True)[:rest]:
        counts[k] += 1
    values = [k for k, c in counts.items() for _ in range(c)]
    rng.shuffle(values)
    return values


def demo_bsn(number: int) -> str:
    """A made-up BSN that passes the elfproef, one for each demo person number."""
    for last in range(10):
        digits = f"{10_000_000 + number * 10 + last:08d}"
        check = sum(int(d) * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return digits + str(check)
    raise ValueError(number)  # pragma: no cover - one of ten always fits


def pseudonym(number: int) -> str:
    """The demo person's research pseudonym, made as a partner makes it: the regional keyed hash
    of its BSN, with the demo key."""
    return regional_pseudonym(key=DEMO_REGIONAL_KEY, bsn=demo_bsn(number))


def _days(rng: random.Random, year: int, quarter: int, n: int) -> list[datetime.date]:
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    span = (end - start).days
    return sorted(start + datetime.timedelta(days=rng.randrange(span)) for _ in range(n))


def _pc4s(rng: random.Random, n: int) -> list[str]:
    from meldwijzer.datalab import population

    weights: dict[str, float] = {pc4: population.of_pc4(pc4) * w for pc4, w in PC4_WEIGHT.items()}
    inside = sum(weights.values())
    weights[""] = inside * OUTSIDE_SHARE / 2
    weights["8251"] = inside * OUTSIDE_SHARE / 2  # Dronten: outside the municipality
    return rng.choices(list(weights), weights=list(weights.values()), k=n)


def _first_action(rng: random.Random, day: datetime.date) -> datetime.date:
    bucket = rng.random()
    if bucket < 0.45:
        days = rng.randint(0, 5)
    elif bucket < 0.75:
        days = rng.randint(6, 10)
    elif bucket < 0.93:
        days = rng.randint(11, 28)
    else:
        days = rng.randint(29, 90)
    return day + datetime.timedelta(days=days)


class _People:
    """Made-up persons, so that re- and follow-up reports name someone reported before."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: list[tuple[str, str]] = []
        self.next_number = 0
        self.number_of: dict[str, int] = {}

    def new(self, band: str) -> tuple[str, str]:
        self.next_number += 1
        person = (pseudonym(self.next_number), band)
        self.number_of[person[0]] = self.next_number
        self.seen.append(person)
        return person

    def known(self, recent: bool) -> tuple[str, str] | None:
        if not self.seen:
            return None
        pool = self.seen[-400:] if recent else self.seen[:-400] or self.seen
        return self.rng.choice(pool)


CHILD_BANDS = ("0-4", "5-9", "10-14", "15-19")
ADULT_BANDS = ("20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54")
ELDER_BANDS = ("65-69", "70-74", "75-79", "80-84")


def _persons(
    rng: random.Random, people: _People, kind: str, report_kind: str
) -> list[tuple[str, str, str]]:
    """(pseudonym, age band, role) for one report."""
    if kind == ViolenceKind.CHILD_ABUSE:
        victim_band = rng.choice(CHILD_BANDS)
    elif kind == ViolenceKind.ELDER:
        victim_band = rng.choice(ELDER_BANDS)
    else:
        victim_band = rng.choice(ADULT_BANDS)
    known = None
    if report_kind != ReportKind.FIRST:
        known = people.known(recent=report_kind == ReportKind.FOLLOW_UP)
    victim = known or people.new(victim_band)
    result = [(victim[0], victim[1], "slachtoffer")]
    if rng.random() < 0.6:
        perpetrator = people.new(rng.choice(ADULT_BANDS))
        result.append((perpetrator[0], perpetrator[1], "pleger"))
    return result


def _import(source: Source, filename: str, rows: int, finished: datetime.datetime) -> Import:
    imported = Import.objects.create(
        source=source,
        filename=filename,
        file_format="csv",
        sha256=hashlib.sha256(filename.encode()).hexdigest(),
        key_id=KEY_ID,
        state=ImportState.DONE,
        rows_total=rows,
        rows_done=rows,
        records_added=rows,
        finished_at=finished,
    )
    _started(imported, finished)
    return imported


def _started(imported: Import, finished: datetime.datetime) -> None:
    """The demo's imports took place in the past: their start a few minutes before their end."""
    started = finished - datetime.timedelta(minutes=3)
    Import.objects.filter(pk=imported.pk).update(started_at=started)


def _insert(table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row inserts: the demo must load in seconds, and these rows need nothing from
    the models but their values."""
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _store(
    records: list[dict[str, Any]],
    forms: list[list[str]],
    persons: list[list[tuple[str, str, str]]],
) -> None:
    defaults: dict[str, object] = {"case_ended_on": None, "outcome": ""}
    columns = list(defaults | records[0])
    adapt = connection.ops.adapt_datefield_value
    _insert(
        Record._meta.db_table,
        columns,
        [
            tuple(
                adapt(v) if isinstance(v, datetime.date) else v
                for v in ((defaults | r)[c] for c in columns)
            )
            for r in records
        ],
    )
    ids = dict(
        Record.objects.filter(source_id=records[0]["source_id"]).values_list("reference", "pk")
    )
    _insert(
        RecordForm._meta.db_table,
        ["record_id", "form"],
        [(ids[r["reference"]], f) for r, fs in zip(records, forms, strict=True) for f in fs],
    )
    _insert(
        RecordPerson._meta.db_table,
        ["record_id", "pseudonym", "role", "age_band"],
        [
            (ids[r["reference"]], p, role, band)
            for r, ps in zip(records, persons, strict=True)
            for p, band, role in ps
        ],
    )


def _forms(rng: random.Random, kind: str) -> list[str]:
    if kind == ViolenceKind.CHILD_ABUSE:
        pool = [
            ViolenceForm.EMOTIONAL_NEGLECT,
            ViolenceForm.PHYSICAL_NEGLECT,
            ViolenceForm.PHYSICAL,
            ViolenceForm.EMOTIONAL,
            ViolenceForm.WITNESS,
            ViolenceForm.SEXUAL,
        ]
    elif kind == ViolenceKind.PARTNER:
        pool = [ViolenceForm.PHYSICAL, ViolenceForm.EMOTIONAL, ViolenceForm.COERCIVE]
    elif kind == ViolenceKind.ELDER:
        pool = [ViolenceForm.FINANCIAL, ViolenceForm.EMOTIONAL, ViolenceForm.PHYSICAL_NEGLECT]
    else:
        pool = [ViolenceForm.EMOTIONAL, ViolenceForm.PHYSICAL, ViolenceForm.OTHER]
    return rng.sample(pool, k=1 if rng.random() < 0.6 else 2)


def _veilig_thuis(
    rng: random.Random, organisation: Organisation, people: _People
) -> tuple[list[dict[str, Any]], list[list[str]], list[list[tuple[str, str, str]]]]:
    source = Source.objects.create(
        datalab=organisation, name=VEILIG_THUIS, kind=SourceKind.VEILIG_THUIS
    )
    imported = _import(
        source,
        "veilig-thuis-flevoland-2019-2023h1.csv",
        sum(sum(q) for q in QUARTERS.values()),
        datetime.datetime(2023, 7, 14, 10, 0, tzinfo=datetime.UTC),
    )
    records: list[dict[str, Any]] = []
    forms: list[list[str]] = []
    persons: list[list[tuple[str, str, str]]] = []
    number = 0
    dated: dict[int, list[datetime.date]] = {}
    for year, quarters in QUARTERS.items():
        dated[year] = [
            day for q, n in enumerate(quarters, start=1) for day in _days(rng, year, q, n)
        ]
    # Which reports of 2019–2022 start a case within the same year: exactly CASES of them.
    early = [(y, i) for y in (2019, 2020, 2021, 2022) for i in range(len(dated[y]))]
    with_case = set(rng.sample(early, CASES))
    for year, days in dated.items():
        n = len(days)
        kinds = allot(rng, n, KIND_SHARE)
        report_kinds = allot(rng, n, REPORT_KIND_SHARE.get(year, OTHER_YEARS_KIND_SHARE))
        pc4s = _pc4s(rng, n)
        citizens = CITIZENS[year]
        professional = round(0.9 * n)
        roles = allot(
            rng,
            n,
            {
                ReporterRole.PROFESSIONAL: professional,
                ReporterRole.CITIZEN: citizens,
                ReporterRole.SELF: (n - professional - citizens) // 2,
                ReporterRole.ANONYMOUS: n
                - professional
                - citizens
                - (n - professional - citizens) // 2,
            },
        )
        sectors = iter(allot(rng, professional, SECTOR_SHARE))
        for i, day in enumerate(days):
            number += 1
            role = roles[i]
            sector = next(sectors) if role == ReporterRole.PROFESSIONAL else ReporterSector.NONE
            case = (year, i) in with_case if year < 2023 else rng.random() < 0.94
            started = None
            first_action = None
            ended = None
            outcome = ""
            if case:
                started = min(
                    day + datetime.timedelta(days=rng.randint(0, 3)), datetime.date(year, 12, 31)
                )
                first_action = _first_action(rng, started)
                ended = first_action + datetime.timedelta(days=rng.randint(20, 200))
                outcome = rng.choice(OUTCOMES)
            records.append(
                {
                    "datalab_id": organisation.pk,
                    "source_id": source.pk,
                    "imported_id": imported.pk,
                    "reference": f"VTF-{year}-{number:05d}",
                    "reported_on": day,
                    "pc4": pc4s[i],
                    "reporter_role": role,
                    "reporter_sector": sector,
                    "report_kind": report_kinds[i],
                    "report_kind_derived": False,
                    "violence_kind": kinds[i],
                    "case_started_on": started,
                    "first_action_on": first_action,
                    "case_ended_on": ended,
                    "outcome": outcome,
                    "key_id": KEY_ID,
                }
            )
            forms.append(_forms(rng, kinds[i]))
            persons.append(_persons(rng, people, kinds[i], report_kinds[i]))
    return records, forms, persons


def _platform(
    rng: random.Random, organisation: Organisation, people: _People
) -> tuple[list[dict[str, Any]], list[list[str]], list[list[tuple[str, str, str]]]]:
    source = Source.objects.create(datalab=organisation, name=PLATFORM, kind=SourceKind.PLATFORM)
    total = sum(PLATFORM_QUARTERS.values())
    imported = _import(
        source,
        "meldwijzer-dossiers-2023h2.csv",
        total,
        datetime.datetime(2024, 1, 8, 9, 0, tzinfo=datetime.UTC),
    )
    failed = Import.objects.create(
        source=source,
        filename="meldwijzer-dossiers-2023h2-eerste-poging.csv",
        file_format="csv",
        sha256=hashlib.sha256(b"mislukt").hexdigest(),
        key_id=KEY_ID,
        state=ImportState.FAILED,
        rows_total=total,
        rows_done=0,
        errors=[
            {"rij": 14, "kolom": "pc4", "melding": "'83O2' is geen postcode van vier cijfers."},
            {
                "rij": 87,
                "kolom": "meldingsdatum",
                "melding": "'31-02-2023' is geen bestaande datum.",
            },
        ],
        finished_at=datetime.datetime(2024, 1, 8, 8, 40, tzinfo=datetime.UTC),
    )
    _started(failed, failed.finished_at or timezone.now())
    records: list[dict[str, Any]] = []
    forms: list[list[str]] = []
    persons: list[list[tuple[str, str, str]]] = []
    sectors = {
        ReporterSector.EDUCATION: 30,
        ReporterSector.CHILDCARE: 15,
        ReporterSector.HEALTH: 25,
        ReporterSector.SOCIAL: 20,
        ReporterSector.YOUTH: 10,
    }
    number = 0
    for (year, quarter), n in PLATFORM_QUARTERS.items():
        days = _days(rng, year, quarter, n)
        kinds = allot(rng, n, KIND_SHARE)
        pc4s = _pc4s(rng, n)
        chosen = allot(rng, n, sectors)
        report_kinds = allot(
            rng, n, {ReportKind.FIRST: 40, ReportKind.REPEAT: 40, ReportKind.FOLLOW_UP: 20}
        )
        for i, day in enumerate(days):
            number += 1
            first_action = day + datetime.timedelta(days=rng.randint(0, 20))
            records.append(
                {
                    "datalab_id": organisation.pk,
                    "source_id": source.pk,
                    "imported_id": imported.pk,
                    "reference": f"MW-{number:05d}",
                    "reported_on": day,
                    "pc4": pc4s[i],
                    "reporter_role": ReporterRole.PROFESSIONAL,
                    "reporter_sector": chosen[i],
                    "report_kind": report_kinds[i],
                    "report_kind_derived": True,
                    "violence_kind": kinds[i],
                    "case_started_on": day,
                    "first_action_on": first_action,
                    "key_id": KEY_ID,
                }
            )
            forms.append(_forms(rng, kinds[i]))
            persons.append(_persons(rng, people, kinds[i], report_kinds[i]))
    return records, forms, persons


@transaction.atomic
def load(organisation: Organisation | None = None) -> None:
    """Add the datalab's demo records to Gemeente Noordoostpolder (or `organisation`)."""
    if organisation is None:
        organisation = Organisation.objects.filter(name=ORGANISATION).first()
    if organisation is None or Source.objects.filter(datalab=organisation).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 - made-up demo data, not security
    people = _People(rng)
    linked: list[int] = []
    for part in (_veilig_thuis, _platform):
        records, forms, persons = part(rng, organisation, people)
        _store(records, forms, persons)
        if part is _veilig_thuis:
            linked = [
                people.number_of[p[0]]
                for record, named in zip(records, persons, strict=True)
                if record["reported_on"] >= datetime.date(2022, 7, 1)
                for p in named
                if p[2] == "slachtoffer"
            ]
    examples_write(Path(settings.DATA_DIR) / EXAMPLES, linked=linked, unused=people.next_number + 1)


FIRST_NAMES = (
    "Anouk", "Bram", "Daan", "Emma", "Fenna", "Gijs", "Hanna", "Ilse", "Jesse", "Lotte",
    "Milan", "Noor", "Olaf", "Pien", "Ruben", "Sanne", "Thijs", "Vera", "Wout", "Yara",
)  # fmt: skip
SURNAMES = (
    "de Boer", "Bakker", "Visser", "Smit", "Meijer", "de Groot", "Mulder", "Bos", "Vos",
    "Peters", "Hendriks", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kok", "Jansma", "Postma",
)  # fmt: skip
EXAMPLE_PC4 = ("8302", "8303", "8304", "8305", "8307", "8308", "8311", "8312", "8314", "8316")


def _export_row(
    rng: random.Random, n: int, day: datetime.date, victim: int | None
) -> dict[str, str]:
    """One row of the wijkteam's own export: made-up people, identified as a partner would."""
    child_born = day - datetime.timedelta(days=rng.randint(2 * 365, 16 * 365))
    parent_born = day - datetime.timedelta(days=rng.randint(25 * 365, 50 * 365))
    surname = rng.choice(SURNAMES)
    row = {
        "kenmerk": f"WT-NOP-{day.year}-{n:03d}",
        "meldingsdatum": day.isoformat(),
        "melder_rol": str(ReporterRole.PROFESSIONAL),
        "melder_sector": str(ReporterSector.SOCIAL),
        "soort_melding": "",
        "aard": str(ViolenceKind.CHILD_ABUSE),
        "vormen": "|".join(_forms(rng, ViolenceKind.CHILD_ABUSE)),
        "casus_start": day.isoformat(),
        "eerste_actie": (day + datetime.timedelta(days=rng.randint(1, 14))).isoformat(),
        "postcode": f"{rng.choice(EXAMPLE_PC4)} {rng.choice('ABCDEGHJKLMN')}{rng.choice('BDGKLNPRST')}",
        "adres": f"Voorbeeldstraat {rng.randint(1, 120)}",
        # A person known to Veilig Thuis by BSN; the others by name and date of birth only.
        "persoon_1_bsn": demo_bsn(victim) if victim is not None else "",
        "persoon_1_naam": f"{rng.choice(FIRST_NAMES)} {surname}",
        "persoon_1_geboortedatum": child_born.isoformat(),
        "persoon_1_rol": "slachtoffer",
        "persoon_2_naam": f"{rng.choice(FIRST_NAMES)} {surname}",
        "persoon_2_geboortedatum": parent_born.isoformat(),
        "persoon_2_rol": "pleger",
    }
    return row


def examples_write(directory: Path, *, linked: Sequence[int], unused: int) -> None:
    """The demo key and two example files a policy adviser can try: the wijkteam's own export
    (identifying made-up people; some of them Veilig Thuis's demo persons) to pseudonymise with
    the key, and a shared file of the GGD, already pseudonymised with the same key."""
    from meldwijzer.datalab import pseudonymise, schema

    rng = random.Random(SEED + 1)  # noqa: S311 - made-up demo data, not security
    directory.mkdir(parents=True, exist_ok=True)
    (directory / EXAMPLE_KEY_FILE).write_text(DEMO_REGIONAL_KEY + "\n", encoding="utf-8")
    known = sorted(set(linked))[-40:]
    export = []
    for n in range(1, 41):
        day = datetime.date(2023, 9, 1) + datetime.timedelta(days=rng.randrange(180))
        victim = known[n % len(known)] if known and n % 3 == 0 else None
        export.append(_export_row(rng, n, day, victim))
    names = [c.name for c in schema.EXPORT_COLUMNS]
    with (directory / EXAMPLE_EXPORT).open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=names, delimiter=";", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(sorted(export, key=lambda r: r["kenmerk"]))
    shared = []
    for n in range(1, 31):
        day = datetime.date(2023, 8, 1) + datetime.timedelta(days=rng.randrange(200))
        number = known[-n % len(known)] if known and n % 4 == 0 else unused + n
        shared.append(
            {
                "kenmerk": f"JGZ-{n:04d}",
                "meldingsdatum": day.isoformat(),
                "melder_rol": str(ReporterRole.PROFESSIONAL),
                "melder_sector": str(ReporterSector.HEALTH),
                "soort_melding": "",
                "aard": str(ViolenceKind.CHILD_ABUSE),
                "vormen": "|".join(_forms(rng, ViolenceKind.CHILD_ABUSE)),
                "pc4": rng.choice(EXAMPLE_PC4),
                "sleutel_id": KEY_ID,
                "persoon_1_pseudoniem": pseudonym(number),
                "persoon_1_leeftijdsklasse": rng.choice(CHILD_BANDS),
                "persoon_1_rol": "slachtoffer",
            }
        )
    pseudonymise.table_write(directory / EXAMPLE_SHARED, shared)
