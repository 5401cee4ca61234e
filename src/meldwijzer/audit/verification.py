"""Checking the access log's chain: every row present, unchanged, in order, and matching the head."""

from __future__ import annotations

from dataclasses import dataclass, field

from meldwijzer.audit import chain
from meldwijzer.audit.models import AccessLogEntry, AccessLogHead


@dataclass
class VerificationResult:
    rows_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_chain_verify() -> VerificationResult:
    result = VerificationResult()
    previous_hash = chain.GENESIS
    expected_sequence = 1
    rows = AccessLogEntry.objects.order_by("sequence").values(
        *(name for name in chain.CHAINED_FIELDS), "previous_hash", "entry_hash"
    )
    for row in rows.iterator(chunk_size=2000):
        result.rows_checked += 1
        sequence = row["sequence"]
        if sequence != expected_sequence:
            result.problems.append(
                f"Regel(s) {expected_sequence}–{sequence - 1} ontbreken (verwijderd)."
                if sequence > expected_sequence
                else f"Regel {sequence} staat niet op zijn plaats."
            )
        if row["previous_hash"] != previous_hash:
            result.problems.append(f"Regel {sequence}: verwijst niet naar de vorige regel.")
        if chain.entry_hash(row["previous_hash"], row) != row["entry_hash"]:
            result.problems.append(f"Regel {sequence}: inhoud is gewijzigd.")
        previous_hash = row["entry_hash"]
        expected_sequence = sequence + 1

    head = AccessLogHead.objects.filter(pk=1).first()
    last_sequence = expected_sequence - 1
    if head is None:
        if result.rows_checked:
            result.problems.append("Het kopregister van het logboek ontbreekt.")
        return result
    if (head.sequence or head.mac) and head.mac != chain.head_mac(head.sequence, head.entry_hash):
        result.problems.append("Het kopregister van het logboek is gewijzigd.")
    if head.sequence != last_sequence or (result.rows_checked and head.entry_hash != previous_hash):
        result.problems.append(
            f"Het logboek eindigt bij regel {last_sequence}, maar hoort te lopen tot "
            f"regel {head.sequence}: regels aan het eind zijn verwijderd of vervangen."
        )
    return result
