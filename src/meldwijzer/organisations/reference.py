"""Reference data shipped with the product: municipalities and postcode areas (CBS, 2021)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class PostcodeArea:
    postcode: str
    place: str
    municipality: str
    province: str
    inhabitants: int
    x_rd: float | None
    y_rd: float | None


@cache
def postcode_areas() -> dict[str, PostcodeArea]:
    with (DATA_DIR / "pc4.csv").open(newline="", encoding="utf-8") as handle:
        return {
            row["postcode"]: PostcodeArea(
                postcode=row["postcode"],
                place=row["plaats"],
                municipality=row["gemeente"],
                province=row["provincie"],
                inhabitants=int(row["inwoners"]),
                x_rd=float(row["x_rd"]) if row["x_rd"] else None,
                y_rd=float(row["y_rd"]) if row["y_rd"] else None,
            )
            for row in csv.DictReader(handle)
        }


def municipality_rows() -> list[dict[str, str]]:
    with (DATA_DIR / "municipalities.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
