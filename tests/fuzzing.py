"""Broken files for the importers' fuzz tests (hypothesis): random bytes, and valid files
truncated, with bytes replaced or inserted, in another encoding, or with a huge cell."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
"""Bounded: the same examples every run, each test well under 15 seconds."""

FORMULAS = ["=cmd|' /C calc'!A0", '+HYPERLINK("http://x")', "-2+3+cmd|'/C calc'!A0", "@SUM(1)"]


@st.composite
def mangled(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """One of `seeds`, broken in a few random ways."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["truncate", "replace", "insert", "latin-1", "huge"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "truncate":
            del data[at:]
        elif how == "replace" and data:
            data[at] = draw(st.integers(0, 255))
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif how == "latin-1":
            data[at:at] = "é".encode("latin-1")
        elif how == "huge":
            data[at:at] = b"9" * draw(st.sampled_from([300, 70_000]))
    return bytes(data)


def broken(seeds: list[bytes]) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=300), mangled(seeds))
