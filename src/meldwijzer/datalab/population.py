"""Public population figures: CBS inhabitants per 4-digit postcode (2021) and the comparison
figures for province and country (`data/`, sources in `data/BRON.md`).

The files are read once per process. Population figures are public, so they need no disclosure
control; they are the denominators of the datalab's rates.
"""

from __future__ import annotations

import csv
import functools
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"

AGE_BANDS = (
    "0-4",
    "5-9",
    "10-14",
    "15-19",
    "20-24",
    "25-29",
    "30-34",
    "35-39",
    "40-44",
    "45-49",
    "50-54",
    "55-59",
    "60-64",
    "65-69",
    "70-74",
    "75-79",
    "80-84",
    "85-89",
    "90-94",
    "95+",
)


@dataclass(frozen=True)
class Area:
    pc4: str
    inhabitants: int
    place: str
    municipality: str
    province: str


@dataclass(frozen=True)
class Comparison:
    area: str
    year: int
    reports: int
    inhabitants: int
    source: str

    @property
    def per_100k(self) -> float:
        return 100_000 * self.reports / self.inhabitants


@functools.cache
def areas() -> dict[str, Area]:
    """Every PC4 area of the Netherlands with its inhabitants (CBS 2021)."""
    result: dict[str, Area] = {}
    with (DATA / "pc4_population_2021.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            result[row["postcode"]] = Area(
                pc4=row["postcode"],
                inhabitants=round(float(row["inwoners"] or 0)),
                place=row["plaats"],
                municipality=row["gemeente"],
                province=row["provincie"],
            )
    return result


@functools.cache
def _ages() -> dict[str, dict[str, int]]:
    result: dict[str, dict[str, int]] = defaultdict(dict)
    with (DATA / "pc4_population_by_age_2021.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            result[row["postcode"]][row["leeftijd"]] = round(float(row["inwoners"] or 0))
    return dict(result)


def pc4_areas(municipality: str) -> list[Area]:
    """The PC4 areas of a municipality, by postcode."""
    return sorted(
        (a for a in areas().values() if a.municipality == municipality), key=lambda a: a.pc4
    )


def place(pc4: str) -> str:
    area = areas().get(pc4)
    return area.place if area else ""


def pc4_label(pc4: str) -> str:
    """'8302 Emmeloord'."""
    name = place(pc4)
    return f"{pc4} {name}" if name else pc4


def of_pc4(pc4: str) -> int:
    area = areas().get(pc4)
    return area.inhabitants if area else 0


def of_municipality(municipality: str) -> int:
    return sum(a.inhabitants for a in pc4_areas(municipality))


def province_of(municipality: str) -> str:
    found = pc4_areas(municipality)
    return found[0].province if found else ""


def by_age(municipality: str) -> dict[str, int]:
    """Inhabitants per five-year age band of a municipality (sum over its PC4 areas)."""
    ages = _ages()
    totals = dict.fromkeys(AGE_BANDS, 0)
    for area in pc4_areas(municipality):
        for band, value in ages.get(area.pc4, {}).items():
            totals[band] = totals.get(band, 0) + value
    return totals


def children(municipality: str) -> float:
    """Children 0-17: the bands 0-4, 5-9, 10-14 and 3/5 of 15-19 (ages 15, 16, 17), assuming
    the ages in a band are equally many."""
    ages = by_age(municipality)
    return ages["0-4"] + ages["5-9"] + ages["10-14"] + 3 / 5 * ages["15-19"]


def adults_16(municipality: str) -> float:
    """People aged 16 and over: 4/5 of the band 15-19 (ages 16 to 19) and every band from 20."""
    ages = by_age(municipality)
    older = sum(v for band, v in ages.items() if band not in ("0-4", "5-9", "10-14", "15-19"))
    return 4 / 5 * ages["15-19"] + older


@functools.cache
def comparisons() -> tuple[Comparison, ...]:
    """Reports per area and year for the comparison (`data/vergelijking.csv`)."""
    with (DATA / "vergelijking.csv").open(encoding="utf-8", newline="") as handle:
        return tuple(
            Comparison(
                area=row["gebied"],
                year=int(row["jaar"]),
                reports=int(row["meldingen"]),
                inhabitants=int(row["inwoners"]),
                source=row["bron"],
            )
            for row in csv.DictReader(handle)
        )
