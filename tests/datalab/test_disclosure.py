"""Disclosure control: hand-checked tables, random tables, and an attacker with a linear program.

The attacker knows every sum relation, every published (rounded) count, that a cell hidden for
being small (P) is 1 to 9 and that any other hidden cell (S) is at least 0. For every hidden cell
the smallest and largest value consistent with all of that are computed with `linprog`; the cell
must stay at least as uncertain as a published count (4 wide: the rounded count ± 2).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from meldwijzer.datalab import disclosure
from meldwijzer.datalab.disclosure import (
    BASE,
    PRIMARY,
    REASONS,
    RULE,
    SECONDARY,
    THRESHOLD,
    Cell,
    Publication,
    rounded,
)

MARGIN = 2 * (BASE // 2)  # what a reader knows of a published count: 4 wide


# --- The attacker ---------------------------------------------------------------------------------


def intervals(publication: Publication) -> dict[object, tuple[float, float]]:
    """For every hidden cell: the narrowest interval the published cells and the sums allow."""
    cells = publication.protect()
    keys = list(publication.counts)
    index = {k: n for n, k in enumerate(keys)}
    bounds: list[tuple[float, float | None]] = []
    for k in keys:
        cell = cells[k]
        if cell.value is None:
            bounds.append((1, THRESHOLD - 1) if cell.reason == PRIMARY else (0, None))
        elif cell.value == 0:
            bounds.append((0, 0))
        else:
            bounds.append((max(cell.value - BASE // 2, THRESHOLD), cell.value + BASE // 2))
    rows = []
    for total, parts in publication.sums:
        row = [0.0] * len(keys)
        for p in parts:
            row[index[p]] += 1
        row[index[total]] -= 1
        rows.append(row)
    found = {}
    for k in keys:
        if cells[k].value is not None:
            continue
        ends = []
        for sign in (1, -1):
            objective = [0.0] * len(keys)
            objective[index[k]] = sign
            result = linprog(
                objective,
                A_eq=rows or None,
                b_eq=[0.0] * len(rows) if rows else None,
                bounds=bounds,
                method="highs",
            )
            if result.status == 3:  # unbounded above
                ends.append(float("inf"))
                continue
            assert result.status == 0, result.message  # the true table is always feasible
            ends.append(sign * result.fun)
        found[k] = (ends[0], ends[1])
    return found


def assert_protected(publication: Publication) -> None:
    """Everything the rule promises, against the true counts."""
    cells = publication.protect()
    counts = publication.counts
    for key, true in counts.items():
        cell = cells[key]
        if cell.value is None:
            assert cell.reason in REASONS
            assert (cell.reason == PRIMARY) == (0 < true < THRESHOLD), key
        else:
            assert true == 0 or true >= THRESHOLD, (key, true)
            assert cell.value % BASE == 0
            assert abs(cell.value - true) <= BASE // 2
            assert (cell.value == 0) == (true == 0)
    for total, parts in publication.sums:
        hidden = [k for k in (total, *parts) if cells[k].value is None]
        assert len(hidden) != 1, (total, hidden)
    for key, (low, high) in intervals(publication).items():
        assert low <= counts[key] <= high + 1e-6
        if high - low < MARGIN - 1e-6:
            # Only where nothing is left to hide: a small total of small counts, all of them
            # hidden (zeros apart), each known to be 1 to 9 from its reason code: the sum of six
            # such counts is 6 to 9 whatever else is hidden.
            around = [m for t, ps in publication.sums if key in (t, *ps) for m in (t, *ps)]
            assert around, (key, counts[key], low, high)
            shown_nonzero = [m for m in around if cells[m].value]
            assert not shown_nonzero, (key, counts[key], low, high, shown_nonzero)


# --- Hand-checked tables -------------------------------------------------------------------------


def one_way(values: dict[str, int]) -> Publication:
    publication = Publication()
    for key, value in values.items():
        publication.count(key, value)
    publication.count("totaal", sum(values.values()))
    publication.adds_up("totaal", values)
    return publication


def shown(publication: Publication) -> dict[object, str]:
    return {
        k: c.shown + (f" {c.reason}" if c.reason else "") for k, c in publication.protect().items()
    }


def test_rounding_half_up_to_five():
    assert [rounded(v) for v in (0, 10, 12, 13, 17, 18, 1234, 1237)] == [
        0, 10, 10, 15, 15, 20, 1235, 1235,
    ]  # fmt: skip


def test_one_way_table_with_total():
    publication = one_way({"politie": 412, "onderwijs": 7, "jeugdhulp": 33, "burger": 0})
    assert shown(publication) == {
        "politie": "410",
        "onderwijs": ". P",
        "jeugdhulp": ". S",  # the smallest other count, so 7 is not 452 - 412 - 0
        "burger": "0",
        "totaal": "450",
    }
    assert_protected(publication)


def test_nothing_hidden_when_nothing_is_small():
    publication = one_way({"a": 10, "b": 0, "c": 1002})
    assert shown(publication) == {"a": "10", "b": "0", "c": "1.000", "totaal": "1.010"}


def test_two_small_cells_protect_each_other():
    """3 + 4 hidden beside 100 would be known to add up to 3 to 9; small counts never shield
    only each other: a larger count is hidden too."""
    publication = one_way({"a": 3, "b": 4, "c": 100})
    assert shown(publication) == {"a": ". P", "b": ". P", "c": ". S", "totaal": "105"}
    assert_protected(publication)


def test_two_nines_that_the_rounded_total_would_give_away():
    """Regression (found by the interval audit): 9 + 9 = 18 is published as 20, so both hidden
    cells are at least 18 - 9 = 9: both would be known exactly. A third cell is hidden."""
    publication = one_way({"a": 9, "b": 9, "c": 0, "d": 40})
    cells = publication.protect()
    assert cells["a"].reason == cells["b"].reason == PRIMARY
    assert cells["d"].value is None or cells["totaal"].value is None
    assert_protected(publication)


def test_total_below_ten():
    publication = one_way({"a": 2, "b": 0, "c": 5})
    # every count not zero is hidden; the zero is too, so it cannot bound the others
    assert shown(publication) == {"a": ". P", "b": ". S", "c": ". P", "totaal": ". P"}
    assert_protected(publication)


def test_all_zero_row():
    publication = one_way({"a": 0, "b": 0})
    assert shown(publication) == {"a": "0", "b": "0", "totaal": "0"}
    assert_protected(publication)


def two_way(matrix: list[list[int]]) -> Publication:
    publication = Publication()
    rows, columns = len(matrix), len(matrix[0])
    for r in range(rows):
        for c in range(columns):
            publication.count((r, c), matrix[r][c])
        publication.count((r, "t"), sum(matrix[r]))
        publication.adds_up((r, "t"), [(r, c) for c in range(columns)])
    for c in range(columns):
        publication.count(("t", c), sum(matrix[r][c] for r in range(rows)))
        publication.adds_up(("t", c), [(r, c) for r in range(rows)])
    publication.count(("t", "t"), sum(map(sum, matrix)))
    publication.adds_up(("t", "t"), [(r, "t") for r in range(rows)])
    publication.adds_up(("t", "t"), [("t", c) for c in range(columns)])
    return publication


def test_two_way_table_with_row_and_column_totals():
    publication = two_way([[40, 5, 60], [30, 25, 0], [12, 50, 80]])
    cells = publication.protect()
    assert cells[(0, 1)].reason == PRIMARY
    # row 0 and column 1 each need a second hidden cell, which then need partners in turn
    assert cells[(0, 0)].reason == SECONDARY  # 40 < 60 in row 0
    assert cells[(2, 1)].reason == SECONDARY or cells[(1, 1)].reason == SECONDARY
    assert_protected(publication)


def test_two_way_table_with_an_all_zero_row():
    publication = two_way([[0, 0, 0], [3, 20, 40], [15, 11, 0]])
    assert publication.cell((0, "t")).value == 0
    assert_protected(publication)


def test_linked_tables_share_the_period_total():
    """By sector and by kind, in one year: a cell hidden in one is not recovered via the other,
    and the year's total is one cell in both."""
    publication = Publication()
    sectors = {"politie": 50, "onderwijs": 4, "zorg": 26}
    kinds = {"kind": 60, "partner": 12, "ouderen": 8}
    for key, value in sectors.items():
        publication.count(("sector", key), value)
    for key, value in kinds.items():
        publication.count(("soort", key), value)
    publication.count("2024", 80)
    publication.adds_up("2024", [("sector", k) for k in sectors])
    publication.adds_up("2024", [("soort", k) for k in kinds])
    assert publication.cell(("sector", "onderwijs")).reason == PRIMARY
    assert publication.cell(("sector", "zorg")).reason == SECONDARY
    assert publication.cell(("soort", "ouderen")).reason == PRIMARY
    assert publication.cell(("soort", "partner")).reason == SECONDARY
    assert publication.cell("2024").shown == "80"
    assert_protected(publication)


def hierarchy(quarters: list[int]) -> Publication:
    publication = Publication()
    for q, value in enumerate(quarters, start=1):
        publication.count(f"K{q}", value)
    publication.count("H1", quarters[0] + quarters[1])
    publication.count("H2", quarters[2] + quarters[3])
    publication.count("jaar", sum(quarters))
    publication.adds_up("H1", ["K1", "K2"])
    publication.adds_up("H2", ["K3", "K4"])
    publication.adds_up("jaar", ["H1", "H2"])
    publication.adds_up("jaar", ["K1", "K2", "K3", "K4"])
    return publication


def test_quarters_half_years_and_year():
    publication = hierarchy([3, 40, 22, 31])
    cells = publication.protect()
    assert cells["K1"].reason == PRIMARY
    assert cells["K2"].reason == SECONDARY  # else K1 = H1 - K2
    # with K1 and K2 hidden, the year's four quarters have two hidden: H1 stays shown
    assert cells["H1"].value == 45
    assert_protected(publication)


def test_hidden_half_year_hides_a_partner_in_the_year():
    publication = hierarchy([3, 4, 22, 31])
    cells = publication.protect()
    assert cells["H1"].reason == PRIMARY  # 7
    assert cells["H2"].value is None or cells["jaar"].value is None
    assert_protected(publication)


def test_percentages_come_from_published_counts_only():
    publication = one_way({"a": 412, "b": 7, "c": 33})
    cells = publication.protect()
    assert cells["a"].share_of(cells["totaal"]) == pytest.approx(100 * 410 / 450)
    assert cells["b"].share_of(cells["totaal"]) is None
    assert cells["a"].share_of(Cell(None, PRIMARY)) is None


def test_rule_is_printed_with_every_reason():
    assert "1 tot en met 9" in RULE and "vijftallen" in RULE
    for code in REASONS:
        assert f"{code} =" in RULE


def test_publication_refuses_wrong_sums_and_late_counts():
    publication = Publication()
    publication.count("a", 3)
    publication.count("t", 4)
    with pytest.raises(ValueError):
        publication.adds_up("t", ["a"])
    with pytest.raises(KeyError):
        publication.adds_up("t", ["b"])
    with pytest.raises(ValueError):
        publication.count("b", -1)
    publication.protect()
    with pytest.raises(RuntimeError):
        publication.count("c", 1)


def test_protect_is_deterministic_whatever_the_order():
    matrix = [[3, 14, 8, 0], [21, 6, 40, 11], [9, 12, 0, 70]]
    first = two_way(matrix).protect()
    backwards = Publication()
    reference = two_way(matrix)
    for key in reversed(list(reference.counts)):
        backwards.count(key, reference.counts[key])
    for total, parts in reversed(reference.sums):
        backwards.adds_up(total, reversed(parts))
    assert backwards.protect() == first


# --- The rules can fail ------------------------------------------------------------------------


def test_without_secondary_suppression_a_cell_is_recovered(monkeypatch):
    """The audit catches a protection without secondary suppression: a check that can fail."""
    publication = one_way({"a": 5, "b": 40, "c": 60})
    monkeypatch.setattr(disclosure._Protection, "secondary", lambda self: None)
    monkeypatch.setattr(disclosure._Protection, "weak_relations", lambda self: [])
    with pytest.raises(AssertionError):
        assert_protected(publication)


def test_without_rounding_the_audit_fails(monkeypatch):
    publication = one_way({"a": 5, "b": 41, "c": 62})
    monkeypatch.setattr(disclosure, "rounded", lambda value: value)
    with pytest.raises(AssertionError):
        assert_protected(publication)


# --- Random tables -------------------------------------------------------------------------------

small_counts = st.one_of(
    st.integers(0, 12), st.integers(0, 12), st.integers(0, 40), st.integers(0, 400)
)
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(st.lists(small_counts, min_size=1, max_size=8))
def test_random_one_way_tables(values):
    assert_protected(one_way({f"c{n}": v for n, v in enumerate(values)}))


@settings(PROPERTY, max_examples=40)
@given(
    st.integers(1, 6).flatmap(
        lambda rows: st.integers(1, 5).flatmap(
            lambda columns: st.lists(
                st.lists(small_counts, min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_random_two_way_tables(matrix):
    assert_protected(two_way(matrix))


def linked(years: list[tuple[list[int], list[int], list[int]]]) -> Publication:
    """Per year the same reports by sector, by kind and by quarter, each adding up to the year;
    over the years per sector, kind and quarter; all adding up to one grand total: three tables
    of the same period tied together."""
    publication = Publication()
    for y, splits in enumerate(years):
        publication.count(("jaar", y), sum(splits[0]))
        for name, split in zip(("sector", "soort", "kwartaal"), splits, strict=True):
            assert sum(split) == sum(splits[0])
            for n, value in enumerate(split):
                publication.count((name, y, n), value)
            publication.adds_up(("jaar", y), [(name, y, n) for n in range(len(split))])
    publication.count("alles", sum(sum(splits[0]) for splits in years))
    publication.adds_up("alles", [("jaar", y) for y in range(len(years))])
    for t, name in enumerate(("sector", "soort", "kwartaal")):
        for n in range(len(years[0][t])):
            publication.count((name, "alle jaren", n), sum(splits[t][n] for splits in years))
            publication.adds_up((name, "alle jaren", n), [(name, y, n) for y in range(len(years))])
        publication.adds_up("alles", [(name, "alle jaren", n) for n in range(len(years[0][t]))])
    return publication


def test_small_counts_shielding_each_other_across_linked_tables():
    """Regression (found by the interval audit): with only 4 and 1 hidden in the second year's
    quarters and 9 and 4 in the second quarter of both years, the sums of the three tables pinned
    the 9 to 8 or 9 and the 4 to 4 or 5. Now a larger count is hidden beside them."""
    publication = linked([([4, 8, 24], [36], [12, 9, 11, 4]), ([0, 3, 24], [27], [22, 4, 1, 0])])
    assert_protected(publication)
    for key, (low, high) in intervals(publication).items():
        assert high - low >= MARGIN, key


@settings(PROPERTY, max_examples=30)
@given(st.data())
def test_random_linked_tables(data):
    years = data.draw(st.integers(1, 2))
    widths = (data.draw(st.integers(1, 5)), data.draw(st.integers(1, 4)), 4)
    drawn = []
    for _ in range(years):
        by_sector = data.draw(st.lists(small_counts, min_size=widths[0], max_size=widths[0]))
        total = sum(by_sector)
        others = []
        for width in widths[1:]:  # the same reports split another way
            cuts = sorted(
                data.draw(st.lists(st.integers(0, total), min_size=width - 1, max_size=width - 1))
            )
            bounds = [0, *cuts, total]
            others.append([bounds[n + 1] - bounds[n] for n in range(width)])
        drawn.append((by_sector, *others))
    assert_protected(linked(drawn))


# --- A report of national size ---------------------------------------------------------------


def national(municipalities: int = 60, years: int = 10, seed: int = 7) -> Publication:
    """Years × quarters, years × municipalities, years × sectors, years × kinds, as a datalab
    report is counted: several thousand cells and sums."""
    import random

    rng = random.Random(seed)
    publication = Publication()
    grand = 0
    for y in range(years):
        cells = {"gemeente": [rng.choice([0, 2, 5, 9, 14, 40, 300]) for _ in range(municipalities)]}
        total = sum(cells["gemeente"])
        for name, width in (("kwartaal", 4), ("sector", 9), ("soort", 5)):
            split = [0] * width
            for _ in range(min(total, 400)):
                split[rng.randrange(width)] += 1
            split[0] += total - sum(split)
            cells[name] = split
        publication.count(("jaar", y), total)
        for name, split in cells.items():
            for n, value in enumerate(split):
                publication.count((name, y, n), value)
            publication.adds_up(("jaar", y), [(name, y, n) for n in range(len(split))])
        grand += total
    publication.count("alles", grand)
    publication.adds_up("alles", [("jaar", y) for y in range(years)])
    return publication


def test_a_report_of_national_shape_is_protected():
    # How long protecting takes at national size is measured in benchmarks/datalab.py.
    publication = national(municipalities=30, years=5)
    assert len(publication.counts) > 200
    publication.protect()
    assert_protected(publication)
