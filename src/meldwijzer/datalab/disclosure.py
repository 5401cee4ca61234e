"""Disclosure control: how every figure leaves the datalab, as CBS protects Veilig Thuis's tables.

The rule, printed under every output (`RULE`):

1. *Primary suppression* — a count from 1 to 9 is not published (reason `P`).
2. *Rounding* — every published count is rounded to the nearest multiple of 5 (0 stays 0).
3. *Secondary suppression* — wherever counts add up to a total (the quarters to the year, the
   postcode areas to the municipality, the reporter sectors to the year's total, in any table of
   the same period), a sum with exactly one hidden member would give that member away by
   subtraction; another member is hidden too (reason `S`), the smallest first, the total itself
   when no member is left. This repeats until no sum has exactly one hidden member.
4. *Percentages* are computed from the published (rounded) counts, and not at all from a hidden
   count or a hidden total.

All figures of one datalab are protected together, in one `Publication`: a cell hidden in one table
is hidden in every table and every output that shows it, so no page, export, PDF or API answer can
be set beside another to recover it.
"""

from __future__ import annotations

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


ZERO = Cell(0)


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
    hidden: dict[Key, str] = {k: PRIMARY for k, v in counts.items() if 0 < v < THRESHOLD}
    relations = [(total, parts) for total, parts in sums]
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = (total, *parts)
            if sum(1 for k in members if k in hidden) != 1:
                continue
            candidates = [k for k in parts if k not in hidden]
            # Hide the smallest count that is not zero; a zero only when nothing else is left,
            # the total last.
            nonzero = [k for k in candidates if counts[k] > 0]
            pool = nonzero or candidates
            if pool:
                choice = min(pool, key=lambda k: (counts[k], repr(k)))
            elif total not in hidden:
                choice = total
            else:  # pragma: no cover - the total is the only hidden member, handled above
                continue
            hidden[choice] = SECONDARY
            changed = True
    return {
        k: Cell(None, hidden[k]) if k in hidden else Cell(rounded(v)) for k, v in counts.items()
    }
