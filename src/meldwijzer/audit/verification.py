"""Checking the access log: every row present, unchanged, in order, matching the head, and as long
as the signed checkpoints kept outside the database say it was (`audit.checkpoints`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from meldwijzer.audit import chain
from meldwijzer.audit.checkpoints import Checkpoint, checkpoints_read, latest
from meldwijzer.audit.models import AccessLogEntry, AccessLogHead


@dataclass
class VerificationResult:
    rows_checked: int = 0
    problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    latest_checkpoint: Checkpoint | None = None
    checkpoint_files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader should know that is not a fault, such as no checkpoint written yet."""

    @property
    def ok(self) -> bool:
        return not self.problems


def _load_checkpoints(result: VerificationResult, paths: Sequence[Path] | None) -> list[Checkpoint]:
    """The checkpoints of the configured file, or of the files given (a copy from syslog or a
    backup); a file named explicitly must exist."""
    explicit = paths is not None
    found: list[Checkpoint] = []
    for path in paths if paths is not None else [settings.AUDIT_CHECKPOINT_FILE]:
        read = checkpoints_read(Path(path))
        result.checkpoint_files.append(read.path)
        result.problems.extend(read.problems)
        if not read.found and explicit:
            result.problems.append(f"Het bestand met controlepunten {path} bestaat niet.")
        found.extend(read.checkpoints)
    if not found:
        result.notes.append(
            f"Er zijn nog geen controlepunten in {', '.join(map(str, result.checkpoint_files))}. "
            "Zonder controlepunt valt een volledig gewist logboek niet op; maak er een met "
            "`meldwijzer audit checkpoint`."
        )
    return found


def audit_chain_verify(checkpoint_files: Sequence[Path] | None = None) -> VerificationResult:
    result = VerificationResult()
    checkpoints = _load_checkpoints(result, checkpoint_files)
    result.checkpoints_checked = len(checkpoints)
    result.latest_checkpoint = latest(checkpoints)
    by_sequence: dict[int, list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        by_sequence.setdefault(checkpoint.sequence, []).append(checkpoint)

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
        for checkpoint in by_sequence.get(sequence, []):
            if checkpoint.entry_hash != row["entry_hash"]:
                result.problems.append(
                    f"Regel {sequence} is niet meer de regel die het controlepunt van "
                    f"{checkpoint.when} vastlegde: het logboek is vanaf daar herschreven."
                )
        previous_hash = row["entry_hash"]
        expected_sequence = sequence + 1
    last_sequence = expected_sequence - 1
    _compare_with_latest_checkpoint(result, last_sequence)

    head = AccessLogHead.objects.filter(pk=1).first()
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


def _compare_with_latest_checkpoint(result: VerificationResult, last_sequence: int) -> None:
    """The database must reach at least as far as the latest checkpoint."""
    checkpoint = result.latest_checkpoint
    if checkpoint is None or last_sequence >= checkpoint.sequence:
        return
    if not result.rows_checked:
        result.problems.append(
            f"Het logboek is leeg, maar volgens het controlepunt van {checkpoint.when} telde het "
            f"toen al {checkpoint.sequence} regels: het logboek is gewist."
        )
        return
    result.problems.append(
        f"Het logboek eindigt bij regel {last_sequence}, maar volgens het controlepunt van "
        f"{checkpoint.when} liep het toen al tot regel {checkpoint.sequence}: regels aan het "
        "eind zijn verwijderd."
    )
