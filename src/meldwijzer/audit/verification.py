"""Checking the access log: in every chain every row present, unchanged, in order and in its own
chain, matching the chain's head, and as long as the signed checkpoints kept outside the database
say it was (`audit.checkpoints`). A chain whose oldest months were pruned starts at its signed
anchor (`audit.anchors`) instead of at its first row. Each problem names the chain, by its
organisation."""

from __future__ import annotations

import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max, Min
from django.utils import timezone

from meldwijzer.audit import chain
from meldwijzer.audit.anchors import anchor_valid, anchors_latest
from meldwijzer.audit.checkpoints import (
    ChainHead,
    Checkpoint,
    checkpoints_read,
    latest,
    latest_per_chain,
)
from meldwijzer.audit.models import (
    NO_ORGANISATION_CHAIN,
    AccessLogAnchor,
    AccessLogEntry,
    AccessLogHead,
)
from meldwijzer.audit.partitions import Month, months_between


@dataclass
class VerificationResult:
    rows_checked: int = 0
    chains_checked: int = 0
    problems: list[str] = field(default_factory=list)
    checkpoints_checked: int = 0
    latest_checkpoint: Checkpoint | None = None
    checkpoint_files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader should know that is not a fault, such as no checkpoint written yet."""

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _ChainEnd:
    """Where one chain's rows ended while reading them."""

    rows: int = 0
    sequence: int = 0
    entry_hash: str = chain.GENESIS
    anchored: bool = False
    """The chain starts at an anchor: its rows up to `sequence` were pruned."""


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
    by_place: dict[tuple[int, int], list[Checkpoint]] = {}
    for checkpoint in checkpoints:
        for head in checkpoint.heads:
            by_place.setdefault((head.chain, head.sequence), []).append(checkpoint)
    labels = chain.ChainLabels()
    problems = result.problems

    ends = _anchored_ends(result, labels)
    rows = AccessLogEntry.objects.order_by("chain", "sequence").values(*_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        result.rows_checked += 1
        _check_row(problems, labels, ends.setdefault(row["chain"], _ChainEnd()), row, by_place)

    heads = {head.chain: head for head in AccessLogHead.objects.all()}
    checkpointed = latest_per_chain(checkpoints)
    result.chains_checked = len(ends)
    if not result.rows_checked and checkpointed:
        newest = max(checkpoint.at for _, checkpoint in checkpointed.values())
        when = next(c for _, c in checkpointed.values() if c.at == newest).when
        problems.append(
            f"Het logboek is leeg, maar volgens de controlepunten (het laatste van {when}) telde "
            f"het toen al {sum(head.sequence for head, _ in checkpointed.values())} regels: het "
            "logboek is gewist."
        )
    for chain_id in sorted(ends.keys() | heads.keys() | checkpointed.keys()):
        end = ends.get(chain_id, _ChainEnd())
        if result.rows_checked:
            _compare_with_checkpoint(problems, labels, chain_id, end, checkpointed.get(chain_id))
        _compare_with_head(problems, labels, chain_id, end, heads.get(chain_id))
    return result


_FIELDS = ("chain", *chain.CHAINED_FIELDS, "ground", "previous_hash", "entry_hash")


def _anchored_ends(result: VerificationResult, labels: chain.ChainLabels) -> dict[int, _ChainEnd]:
    """The start of every pruned chain: its latest anchor, whose signature must hold."""
    ends: dict[int, _ChainEnd] = {}
    anchors = anchors_latest()
    for chain_id, anchor in anchors.items():
        if not anchor_valid(anchor):
            result.problems.append(
                f"Het anker van {labels[chain_id]} bij regel {anchor.sequence} is gewijzigd."
            )
        ends[chain_id] = _ChainEnd(
            sequence=anchor.sequence, entry_hash=anchor.entry_hash, anchored=True
        )
    if ends:
        kept_from = min(anchor.kept_from for anchor in anchors.values())
        result.notes.append(
            f"{len(ends)} keten(s) zijn opgeschoond (bewaartermijn) en beginnen bij hun anker; "
            f"regels van vóór {timezone.localtime(kept_from):%d-%m-%Y} zijn verwijderd."
        )
    return ends


def _check_row(
    problems: list[str],
    labels: chain.ChainLabels,
    end: _ChainEnd,
    row: dict[str, Any],
    by_place: dict[tuple[int, int], list[Checkpoint]],
) -> None:
    """Check one row against the end of its chain as read so far, and move that end along."""
    chain_id, sequence = row["chain"], row["sequence"]
    end.rows += 1
    expected = end.sequence + 1
    if sequence != expected:
        problems.append(
            f"Regel(s) {expected}–{sequence - 1} in {labels[chain_id]} ontbreken (verwijderd)."
            if sequence > expected
            else f"Regel {sequence} in {labels[chain_id]} staat niet op zijn plaats."
        )
    if chain_id != NO_ORGANISATION_CHAIN and row["organisation_id"] != chain_id:
        # Chain 0 also holds the rows of organisations from before there was a chain each.
        problems.append(
            f"Regel {sequence} in {labels[chain_id]} hoort in "
            f"{labels[chain.chain_of(row['organisation_id'])]}: ze is verplaatst."
        )
    if row["previous_hash"] != end.entry_hash:
        problems.append(
            f"Regel {sequence} in {labels[chain_id]}: verwijst niet naar de vorige regel."
        )
    if chain.entry_hash(row["previous_hash"], row) != row["entry_hash"]:
        problems.append(f"Regel {sequence} in {labels[chain_id]}: inhoud is gewijzigd.")
    for checkpoint in by_place.get((chain_id, sequence), []):
        if not any(
            head.chain == chain_id and head.entry_hash == row["entry_hash"]
            for head in checkpoint.heads
        ):
            problems.append(
                f"Regel {sequence} in {labels[chain_id]} is niet meer de regel die het "
                f"controlepunt van {checkpoint.when} vastlegde: de keten is vanaf daar "
                "herschreven."
            )
    end.sequence, end.entry_hash = sequence, row["entry_hash"]


@dataclass
class MonthResult:
    month: Month
    rows_checked: int = 0
    chains_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_months() -> list[Month]:
    """The months that hold access log rows, oldest first."""
    found = AccessLogEntry.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    if found["first"] is None:
        return []
    return months_between(Month.of(found["first"]), Month.of(found["last"]))


def audit_month_verify(month: Month, checkpoint_files: Sequence[Path] | None = None) -> MonthResult:
    """Check one month on its own: in every chain, the stretch of rows written in that month, the
    first one anchored on the hash of the chain's row just before it (in an earlier month). On
    PostgreSQL this reads one partition plus one row per chain. Rows after the month, heads and
    whether the log reaches as far as its checkpoints are for `audit_chain_verify`."""
    result = MonthResult(month)
    by_place: dict[tuple[int, int], list[Checkpoint]] = {}
    for checkpoint in _load_checkpoints(VerificationResult(), checkpoint_files):
        for head in checkpoint.heads:
            by_place.setdefault((head.chain, head.sequence), []).append(checkpoint)
    labels = chain.ChainLabels()
    in_month = AccessLogEntry.objects.filter(
        occurred_at__gte=month.start, occurred_at__lt=month.end
    )
    stretches = in_month.values("chain").annotate(first=Min("sequence")).order_by("chain")
    ends: dict[int, _ChainEnd] = {}
    for stretch in stretches:
        anchor = _hash_of(stretch["chain"], stretch["first"] - 1)
        if anchor is None and stretch["first"] > 1:
            result.problems.append(
                f"Regel {stretch['first'] - 1} in {labels[stretch['chain']]}, vlak voor deze "
                "maand, ontbreekt (verwijderd)."
            )
        ends[stretch["chain"]] = _ChainEnd(
            sequence=stretch["first"] - 1, entry_hash=anchor or chain.GENESIS
        )
    result.chains_checked = len(ends)
    rows = in_month.order_by("chain", "sequence").values(*_FIELDS)
    for row in rows.iterator(chunk_size=2000):
        result.rows_checked += 1
        _check_row(result.problems, labels, ends[row["chain"]], row, by_place)
    return result


def _hash_of(chain_id: int, sequence: int) -> str | None:
    """The hash of a chain's row `sequence`: from the row, or, when pruning removed it, from the
    anchor it left there (if its signature holds)."""
    rows = AccessLogEntry.objects.filter(chain=chain_id, sequence=sequence)
    found = rows.values_list("entry_hash", flat=True).first()
    if found is not None:
        return found
    anchor = AccessLogAnchor.objects.filter(chain=chain_id, sequence=sequence).first()
    return anchor.entry_hash if anchor is not None and anchor_valid(anchor) else None


def _compare_with_checkpoint(
    problems: list[str],
    labels: chain.ChainLabels,
    chain_id: int,
    end: _ChainEnd,
    checkpointed: tuple[ChainHead, Checkpoint] | None,
) -> None:
    """The chain must reach at least as far as its latest checkpoint."""
    if checkpointed is None or end.sequence >= checkpointed[0].sequence:
        return
    head, checkpoint = checkpointed
    if not end.rows:
        problems.append(
            f"{labels.capitalised(chain_id)} is leeg, maar volgens het controlepunt van "
            f"{checkpoint.when} telde ze toen al {head.sequence} regels: de keten is gewist."
        )
        return
    problems.append(
        f"{labels.capitalised(chain_id)} eindigt bij regel {end.sequence}, maar volgens het "
        f"controlepunt van {checkpoint.when} liep ze toen al tot regel {head.sequence}: regels "
        "aan het eind zijn verwijderd."
    )


def _compare_with_head(
    problems: list[str],
    labels: chain.ChainLabels,
    chain_id: int,
    end: _ChainEnd,
    head: AccessLogHead | None,
) -> None:
    """The chain must end where its signed head says it does."""
    if head is None:
        if end.rows:
            problems.append(f"Het kopregister van {labels[chain_id]} ontbreekt.")
        return
    signed = chain.head_mac(chain_id, head.sequence, head.entry_hash)
    if (head.sequence or head.mac) and not hmac.compare_digest(head.mac, signed):
        problems.append(f"Het kopregister van {labels[chain_id]} is gewijzigd.")
    reached = end.rows or end.anchored
    if head.sequence != end.sequence or (reached and head.entry_hash != end.entry_hash):
        problems.append(
            f"{labels.capitalised(chain_id)} eindigt bij regel {end.sequence}, maar hoort te "
            f"lopen tot regel {head.sequence}: regels aan het eind zijn verwijderd of vervangen."
        )
