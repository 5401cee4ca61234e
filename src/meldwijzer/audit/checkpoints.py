"""Signed checkpoints of the access log's chain heads, kept outside the database.

The hash chains show a changed, inserted or removed row, and the heads show rows cut off the end.
Neither shows a log or a chain that was emptied altogether, or cut back to an older head that
someone kept: what is gone leaves no trace in the database. A checkpoint is that trace. It records
the head of every chain at one moment — chain, sequence number, hash — and the time, with an HMAC
under the log key, and is appended to a file outside the database
(`settings.AUDIT_CHECKPOINT_FILE`, one JSON object per line) and written to the log output
(`meldwijzer.audit.checkpoints`; to syslog with `MELDWIJZER_AUDIT_SYSLOG`). So that a line fits a
syslog message, a checkpoint of many chains is written as several lines of at most
`HEADS_PER_LINE` heads, each signed, with the same time. Lines from before there were chains per
organisation hold one head without a chain: they are read as chain 0's.

The application writes one whenever a chain reaches a multiple of `AUDIT_CHECKPOINT_EVERY` rows,
once that row has been committed; `meldwijzer audit checkpoint` writes one on demand (e.g. every
quarter of an hour from cron). `verification.audit_chain_verify` compares the database with the
latest checkpoint of each chain: a chain that is shorter than it, or holds another hash at a
checkpointed row, is not in order.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone

from meldwijzer.audit.anchors import anchor_valid, anchors_latest
from meldwijzer.audit.chain import ChainLabels, head_mac
from meldwijzer.audit.models import AccessLogEntry, AccessLogHead

logger = logging.getLogger("meldwijzer.audit.checkpoints")

HEADS_PER_LINE = 40
"""About 4 kB a line: under the 8 kB that rsyslog accepts by default."""


class CheckpointRefused(Exception):
    """The log's current state does not match what was checkpointed before; no new checkpoint."""


@dataclass(frozen=True)
class ChainHead:
    chain: int
    sequence: int
    entry_hash: str


@dataclass(frozen=True)
class Checkpoint:
    heads: tuple[ChainHead, ...]
    at: datetime.datetime
    mac: str
    single: bool = False
    """A line from before there were chains per organisation: chain 0's head, signed as then."""

    @staticmethod
    def message(heads: Sequence[ChainHead], at: str, *, single: bool = False) -> str:
        if single:
            (head,) = heads
            return f"checkpoint|{head.sequence}|{head.entry_hash}|{at}"
        listed = ";".join(f"{h.chain}:{h.sequence}:{h.entry_hash}" for h in heads)
        return f"checkpoints|{at}|{listed}"

    @classmethod
    def sign(cls, heads: Sequence[ChainHead], at: datetime.datetime) -> Checkpoint:
        ordered = tuple(sorted(heads, key=lambda head: head.chain))
        return cls(ordered, at, _mac(cls.message(ordered, at.isoformat())))

    @property
    def valid(self) -> bool:
        expected = _mac(self.message(self.heads, self.at.isoformat(), single=self.single))
        return hmac.compare_digest(expected, self.mac)

    @property
    def when(self) -> str:
        """The moment in Dutch local time, for messages."""
        return f"{timezone.localtime(self.at):%d-%m-%Y %H:%M:%S}"

    @property
    def rows(self) -> int:
        """How many rows its chains held together."""
        return sum(head.sequence for head in self.heads)

    def line(self) -> str:
        if self.single:
            (head,) = self.heads
            fields: dict[str, object] = {
                "sequence": head.sequence,
                "entry_hash": head.entry_hash,
            }
        else:
            fields = {"heads": [[h.chain, h.sequence, h.entry_hash] for h in self.heads]}
        return json.dumps(
            {
                "controlepunt": "meldwijzer-toegangslogboek",
                **fields,
                "at": self.at.isoformat(),
                "mac": self.mac,
            },
            separators=(",", ":"),
        )


def _mac(message: str) -> str:
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


@dataclass
class CheckpointFile:
    """What one checkpoint file holds: its checkpoints, and what was wrong with its lines."""

    path: Path
    found: bool = False
    checkpoints: list[Checkpoint] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _count(value: object, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError("ongeldig getal")
    return value


def _parse(text: str) -> Checkpoint:
    # A line as syslog or the journal stores it has a prefix before the JSON: skip it.
    start = text.find("{")
    if start < 0:
        raise ValueError("geen controlepunt")
    raw = json.loads(text[start:])
    at = datetime.datetime.fromisoformat(str(raw["at"]))
    if at.tzinfo is None:
        raise ValueError("tijdstip zonder tijdzone")
    if "heads" not in raw:
        head = ChainHead(0, _count(raw["sequence"], 1), str(raw["entry_hash"]))
        return Checkpoint((head,), at, str(raw["mac"]), single=True)
    heads = tuple(
        ChainHead(_count(chain, 0), _count(sequence, 1), str(entry_hash))
        for chain, sequence, entry_hash in raw["heads"]
    )
    if not heads or len({head.chain for head in heads}) != len(heads):
        raise ValueError("geen of dubbele ketens")
    return Checkpoint(heads, at, str(raw["mac"]))


def checkpoints_read(path: Path) -> CheckpointFile:
    """Every checkpoint in the file. A line that is not one, or whose signature does not match,
    is a problem: the file is append-only, so it was written by someone without the key."""
    result = CheckpointFile(path=path)
    try:
        handle = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return result
    except OSError as error:
        result.problems.append(
            f"Het bestand met controlepunten {path} kan niet worden gelezen ({error.strerror})."
        )
        return result
    result.found = True
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip() or "meldwijzer-toegangslogboek" not in text:
                continue
            try:
                checkpoint = _parse(text)
            except (ValueError, KeyError, TypeError):
                result.problems.append(
                    f"{path}, regel {number}: dit controlepunt is onleesbaar of onvolledig."
                )
                continue
            if not checkpoint.valid:
                result.problems.append(
                    f"{path}, regel {number}: de handtekening van het controlepunt van "
                    f"{checkpoint.when} klopt niet; het is niet door Meldwijzer geschreven."
                )
                continue
            result.checkpoints.append(checkpoint)
    return result


def _append(checkpoints: Sequence[Checkpoint], path: Path) -> None:
    """Append the lines in a single write, so lines of concurrent writers never interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, "".join(checkpoint.line() + "\n" for checkpoint in checkpoints).encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint_write(heads: Sequence[ChainHead], path: Path | None = None) -> list[Checkpoint]:
    """Sign the heads as they are now, append them to the file and write them to the log output,
    `HEADS_PER_LINE` heads a line."""
    at = timezone.now()
    ordered = sorted(heads, key=lambda head: head.chain)
    written = [
        Checkpoint.sign(ordered[start : start + HEADS_PER_LINE], at)
        for start in range(0, len(ordered), HEADS_PER_LINE)
    ]
    _append(written, path or settings.AUDIT_CHECKPOINT_FILE)
    for checkpoint in written:
        logger.info("Controlepunt toegangslogboek %s", checkpoint.line())
    return written


def _signed_heads() -> tuple[list[ChainHead], list[AccessLogHead]]:
    """The heads of every chain with rows, split into those whose signature holds and those
    whose signature does not."""
    good, bad = [], []
    for head in AccessLogHead.objects.filter(sequence__gt=0).order_by("chain"):
        if hmac.compare_digest(head.mac, head_mac(head.chain, head.sequence, head.entry_hash)):
            good.append(ChainHead(head.chain, head.sequence, head.entry_hash))
        else:
            bad.append(head)
    return good, bad


def checkpoint_after_commit(chain: int, sequence: int, entry_hash: str) -> None:
    """The automatic checkpoint, run once a chain's row at a multiple of `AUDIT_CHECKPOINT_EVERY`
    has been committed: that row as its chain's head, and the other chains' heads as they are
    then (a head whose signature does not hold is left out; `audit verify` reports it). The action
    it belongs to has happened by then, so a failure is reported, not raised."""
    try:
        heads, _ = _signed_heads()
        others = [head for head in heads if head.chain != chain]
        checkpoint_write([ChainHead(chain, sequence, entry_hash), *others])
    except (OSError, DatabaseError):
        logger.exception(
            "Het controlepunt van het toegangslogboek bij regel %s van keten %s kon niet worden "
            "geschreven naar %s.",
            sequence,
            chain,
            settings.AUDIT_CHECKPOINT_FILE,
        )


def is_checkpoint_due(sequence: int) -> bool:
    every = settings.AUDIT_CHECKPOINT_EVERY
    return every > 0 and sequence % every == 0


def latest(checkpoints: Iterable[Checkpoint]) -> Checkpoint | None:
    return max(checkpoints, key=lambda c: (c.at, c.rows), default=None)


def latest_per_chain(checkpoints: Iterable[Checkpoint]) -> dict[int, tuple[ChainHead, Checkpoint]]:
    """For each chain, the furthest head any checkpoint recorded, with that checkpoint."""
    found: dict[int, tuple[ChainHead, Checkpoint]] = {}
    for checkpoint in checkpoints:
        for head in checkpoint.heads:
            known = found.get(head.chain)
            if known is None or (head.sequence, checkpoint.at) > (known[0].sequence, known[1].at):
                found[head.chain] = (head, checkpoint)
    return found


def row_hashes(places: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """The entry hash of the row at each (chain, sequence), in a few indexed reads."""
    wanted = list(places)
    found: dict[tuple[int, int], str] = {}
    for start in range(0, len(wanted), 200):
        condition = Q()
        for chain, sequence in wanted[start : start + 200]:
            condition |= Q(chain=chain, sequence=sequence)
        rows = AccessLogEntry.objects.filter(condition).values_list(
            "chain", "sequence", "entry_hash"
        )
        found.update({(chain, sequence): digest for chain, sequence, digest in rows})
    return found


def _pruned_hashes(
    stored: dict[tuple[int, int], str], checkpointed: dict[int, tuple[ChainHead, Checkpoint]]
) -> dict[tuple[int, int], str]:
    """For rows that pruning removed, what a checkpoint or head may be compared with: at a
    chain's anchor, the anchor's hash; before it, the checkpoint's own hash (the row is gone
    by the retention term, not by tampering, and the anchor's signature covers what followed)."""
    anchors = anchors_latest()
    found: dict[tuple[int, int], str] = {}
    for chain, anchor in anchors.items():
        if not anchor_valid(anchor):
            continue
        found[(chain, anchor.sequence)] = anchor.entry_hash
        old = checkpointed.get(chain)
        if old is not None and old[0].sequence < anchor.sequence:
            found[(chain, old[0].sequence)] = old[0].entry_hash
    return {place: digest for place, digest in found.items() if place not in stored}


def audit_checkpoint_create(path: Path | None = None) -> list[Checkpoint]:
    """A checkpoint of every chain's current head, on demand. It is refused when a chain no longer
    matches its head's signature or its latest checkpoint (a cheap check; `audit verify` reads
    every row), so a wiped or cut chain is reported at once instead of being signed. Empty when
    no chain has moved since its latest checkpoint."""
    path = path or settings.AUDIT_CHECKPOINT_FILE
    existing = checkpoints_read(path)
    if existing.problems:
        raise CheckpointRefused(" ".join(existing.problems))
    heads, bad = _signed_heads()
    labels = ChainLabels()
    if bad:
        raise CheckpointRefused(
            " ".join(f"Het kopregister van {labels[head.chain]} is gewijzigd." for head in bad)
        )
    checkpointed = latest_per_chain(existing.checkpoints)
    stored = row_hashes(
        [(head.chain, head.sequence) for head in heads]
        + [(head.chain, head.sequence) for head, _ in checkpointed.values()]
    )
    stored.update(_pruned_hashes(stored, checkpointed))
    for head in heads:
        if stored.get((head.chain, head.sequence)) != head.entry_hash:
            raise CheckpointRefused(
                f"Regel {head.sequence} in {labels[head.chain]}, de laatste volgens het "
                "kopregister, ontbreekt of is gewijzigd."
            )
    current = {head.chain: head for head in heads}
    for chain, (old, checkpoint) in sorted(checkpointed.items()):
        now = current.get(chain)
        if now is None or now.sequence < old.sequence:
            raise CheckpointRefused(
                f"{labels.capitalised(chain)} loopt tot regel {now.sequence if now else 0}, maar "
                f"volgens het controlepunt van {checkpoint.when} liep ze al tot regel "
                f"{old.sequence}: regels zijn verwijderd."
            )
        if stored.get((chain, old.sequence)) != old.entry_hash:
            raise CheckpointRefused(
                f"Regel {old.sequence} in {labels[chain]} wijkt af van het controlepunt van "
                f"{checkpoint.when}."
            )
    moved = any(
        chain not in checkpointed or head.sequence > checkpointed[chain][0].sequence
        for chain, head in current.items()
    )
    if not moved:
        return []
    return checkpoint_write(heads, path)
