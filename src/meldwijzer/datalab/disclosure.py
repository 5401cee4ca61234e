"""Disclosure control: how every figure leaves the datalab, as CBS protects Veilig Thuis's tables.

The rule, printed under every output (`RULE`):

1. *Primary suppression* — a count from 1 to 9 is not published (reason `P`).
2. *Rounding* — every published count is rounded to the nearest multiple of 5 (0 stays 0).
3. *Secondary suppression* — wherever counts add up to a total (the quarters to the year, the
   postcode areas to the municipality, the reporter sectors to the year's total, in any table of
   the same period), a sum with exactly one hidden member would give that member away by
   subtraction; another member is hidden too (reason `S`), the smallest first, the total itself
   when no member is left. This repeats until no sum has exactly one hidden member.
   Two further checks then add a hidden member to a sum, and the whole repeats: two or three
   small counts (reason `P`, each known to be 1 to 9) may not be the only hidden members of a
   sum, and no hidden count may be narrowed, by following what a reader knows of every cell
   along the sums, to less than a published count's own margin (the rounded count ± 2). The
   tests check the outcome against a reader who solves the linear program of all sums at once.
4. *Percentages* are computed from the published (rounded) counts, and not at all from a hidden
   count or a hidden total.

All figures of one datalab are protected together, in one `Publication`: a cell hidden in one table
is hidden in every table and every output that shows it, so no page, export, PDF or API answer can
be set beside another to recover it.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

THRESHOLD = 10
"""Counts from 1 up to this (exclusive) are suppressed."""

BASE = 5
"""Published counts are rounded to a multiple of this."""

SUPPRESSED = "."
"""How a suppressed cell is shown, as CBS shows it."""

PRIMARY = "P"
SECONDARY = "S"

REASONS: dict[str, str] = {
    PRIMARY: "minder dan 10 (1 tot en met 9)",
    SECONDARY: "afgeschermd, zodat een ander verborgen getal niet terug te rekenen is",
}

RULE = (
    "Beveiliging tegen onthulling zoals het CBS die toepast: aantallen van 1 tot en met 9 worden "
    "niet getoond; alle getoonde aantallen zijn afgerond op vijftallen; waar een verborgen aantal "
    "uit een totaal terug te rekenen zou zijn, is ook een ander aantal verborgen. Een punt (.) is "
    "een verborgen aantal, met de reden: P = minder dan 10, S = afgeschermd om terugrekenen te "
    "voorkomen. Percentages zijn berekend uit de afgeronde aantallen."
)

Key = Hashable


def rounded(value: int) -> int:
    """Round half up to the nearest multiple of BASE."""
    return ((value + BASE // 2) // BASE) * BASE


@dataclass(frozen=True)
class Cell:
    """A published cell: a rounded count, or nothing and the reason why. Never the true count."""

    value: int | None
    reason: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None

    @property
    def shown(self) -> str:
        """The cell as text: the rounded count in Dutch notation, or '.'."""
        if self.value is None:
            return SUPPRESSED
        return f"{self.value:,}".replace(",", ".")

    def share_of(self, total: Cell) -> float | None:
        """This cell as a percentage of `total`, from the published counts only."""
        if self.value is None or total.value is None or total.value == 0:
            return None
        return 100 * self.value / total.value


@dataclass
class Publication:
    """Every count one datalab publishes, with the sums that tie them together.

    Add cells with `count`, say which cells add up to which with `adds_up`, then `protect` once;
    `cell` gives the published cell for a key."""

    counts: dict[Key, int] = field(default_factory=dict)
    sums: list[tuple[Key, tuple[Key, ...]]] = field(default_factory=list)
    _protected: dict[Key, Cell] | None = None

    def count(self, key: Key, value: int) -> None:
        if self._protected is not None:
            raise RuntimeError("Publication already protected")
        if value < 0:
            raise ValueError("counts are never negative")
        self.counts[key] = int(value)

    def adds_up(self, total: Key, parts: Iterable[Key]) -> None:
        """`total` is the sum of `parts`; every key must have been counted."""
        parts = tuple(parts)
        missing = [k for k in (total, *parts) if k not in self.counts]
        if missing:
            raise KeyError(f"not counted: {missing!r}")
        if sum(self.counts[p] for p in parts) != self.counts[total]:
            raise ValueError(f"parts do not add up to {total!r}")
        self.sums.append((total, parts))

    def protect(self) -> Mapping[Key, Cell]:
        if self._protected is None:
            self._protected = protect(self.counts, self.sums)
        return self._protected

    def cell(self, key: Key) -> Cell:
        return self.protect()[key]


def protect(
    counts: Mapping[Key, int], sums: Iterable[tuple[Key, tuple[Key, ...]]]
) -> dict[Key, Cell]:
    """The published cells for `counts`, with primary and secondary suppression and rounding."""
    return _Protection(counts, sums).run()


INF = float("inf")
SHIELD = 3
"""Up to this many small counts, hidden alone in a sum, get a larger count hidden beside them."""


def _published_bounds(value: int) -> tuple[float, float]:
    """What a reader knows of a published count: 0 exactly, or within BASE // 2 of the rounded
    count and at least THRESHOLD."""
    if value == 0:
        return 0.0, 0.0
    shown = rounded(value)
    return float(max(shown - BASE // 2, THRESHOLD)), float(shown + BASE // 2)


class _Protection:
    """Suppression over every sum at once, with the relations indexed by the keys in them."""

    def __init__(
        self, counts: Mapping[Key, int], sums: Iterable[tuple[Key, tuple[Key, ...]]]
    ) -> None:
        self.counts = counts
        relations: list[tuple[Key, tuple[Key, ...]]] = []
        seen: set[tuple[Key, tuple[Key, ...]]] = set()
        for total, parts in sums:
            unique = tuple(dict.fromkeys(p for p in parts if p != total))
            if (total, unique) not in seen and unique:
                seen.add((total, unique))
                relations.append((total, unique))
        # In an order of their own, so the outcome does not depend on the order they were added.
        relations.sort(key=lambda r: (repr(r[0]), sorted(map(repr, r[1]))))
        self.relations = relations
        self.of_key: dict[Key, list[int]] = {}
        for i, (total, parts) in enumerate(relations):
            for k in (total, *parts):
                self.of_key.setdefault(k, []).append(i)
        self.hidden: dict[Key, str] = {}
        self.hidden_in = [0] * len(relations)
        self.pending: list[int] = []

    def run(self) -> dict[Key, Cell]:
        for k in sorted((k for k, v in self.counts.items() if 0 < v < THRESHOLD), key=repr):
            self.hide(k, PRIMARY)
        while True:
            self.secondary()
            weak = self.weak_relations()
            if not weak:
                break
            for i in weak:
                choice = self.partner(i)
                if choice is not None:
                    self.hide(choice, SECONDARY)
        return {
            k: Cell(None, self.hidden[k]) if k in self.hidden else Cell(rounded(v))
            for k, v in self.counts.items()
        }

    def hide(self, key: Key, reason: str) -> None:
        if key in self.hidden:
            return
        self.hidden[key] = reason
        for i in self.of_key.get(key, ()):
            self.hidden_in[i] += 1
            if self.hidden_in[i] == 1:
                heapq.heappush(self.pending, i)

    def partner(self, i: int) -> Key | None:
        """The cell to hide beside the hidden ones of relation `i`: the smallest count that is
        not zero; a zero only when nothing else is left; the total last."""
        total, parts = self.relations[i]
        counts, hidden = self.counts, self.hidden
        best: Key | None = None
        best_rank: tuple[int, int, str] | None = None
        for k in parts:
            if k in hidden:
                continue
            rank = (counts[k] == 0, counts[k], repr(k))
            if best_rank is None or rank < best_rank:
                best, best_rank = k, rank
        if best is None and total not in hidden:
            return total
        return best

    def secondary(self) -> None:
        """Until no sum has exactly one hidden member: hide a partner in each that has."""
        while self.pending:
            i = heapq.heappop(self.pending)
            if self.hidden_in[i] != 1:
                continue
            choice = self.partner(i)
            if choice is not None:
                self.hide(choice, SECONDARY)

    def weak_relations(self) -> list[int]:
        """Relations through which a hidden count can be narrowed to less than a published
        count's margin (2 * (BASE // 2) wide), by propagating what a reader knows of every cell
        along every sum until nothing changes: each gets one more hidden member."""
        counts, hidden = self.counts, self.hidden
        low: dict[Key, float] = {}
        high: dict[Key, float] = {}
        for k in self.counts:
            if k in hidden:
                low[k], high[k] = (
                    (1.0, float(THRESHOLD - 1)) if hidden[k] == PRIMARY else (0.0, INF)
                )
            else:
                low[k], high[k] = _published_bounds(counts[k])
        active = [i for i, n in enumerate(self.hidden_in) if n]
        narrowed_by: dict[Key, int] = {}
        for _ in range(50):
            changed = False
            for i in active:
                total, parts = self.relations[i]
                for k, lo, hi in _narrow(total, parts, low, high):
                    if k not in hidden:
                        continue
                    if lo > low[k] + 1e-9:
                        low[k] = lo
                        changed = True
                        narrowed_by[k] = i
                    if hi < high[k] - 1e-9:
                        high[k] = hi
                        changed = True
                        narrowed_by[k] = i
            if not changed:
                break
        margin = 2 * (BASE // 2)
        weak = {
            narrowed_by[k] for k in hidden if high[k] - low[k] < margin - 1e-9 and k in narrowed_by
        }
        # Two or three small counts may not only shield each other: each is 1 to 9, so beside a
        # rounded total, in tables that share totals, they can be pinned to a count or two.
        for i in active:
            if self.hidden_in[i] > SHIELD:
                continue
            total, parts = self.relations[i]
            if all(hidden[k] == PRIMARY for k in (total, *parts) if k in hidden):
                weak.add(i)
        return sorted(i for i in weak if self.partner(i) is not None)


def _narrow(
    total: Key, parts: tuple[Key, ...], low: dict[Key, float], high: dict[Key, float]
) -> Iterable[tuple[Key, float, float]]:
    """Bounds on each member of `total = sum(parts)` from the bounds of the others."""
    lo_sum = sum(low[p] for p in parts)
    finite_high = [high[p] for p in parts if high[p] != INF]
    unbounded = len(parts) - len(finite_high)
    hi_sum = sum(finite_high)
    yield total, lo_sum, (hi_sum if unbounded == 0 else INF)
    for p in parts:
        others_lo = lo_sum - low[p]
        if high[p] == INF:
            others_hi = hi_sum if unbounded == 1 else INF
        else:
            others_hi = hi_sum - high[p] if unbounded == 0 else INF
        yield p, low[total] - others_hi, high[total] - others_lo
