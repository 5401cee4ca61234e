"""Signed checkpoints of the access log's head, kept outside the database.

The hash chain shows a changed, inserted or removed row, and the head shows rows cut off the end.
Neither shows a log that was emptied altogether, or cut back to an older head that someone kept:
what is gone leaves no trace in the database. A checkpoint is that trace. It records the head at
one moment — sequence number, hash, time — with an HMAC under the log key, and is appended to a
file outside the database (`settings.AUDIT_CHECKPOINT_FILE`, one JSON object per line) and written
to the log output (`meldwijzer.audit.checkpoints`; to syslog with `MELDWIJZER_AUDIT_SYSLOG`).

The application writes one after every `AUDIT_CHECKPOINT_EVERY` rows, once the row has been
committed; `meldwijzer audit checkpoint` writes one on demand (e.g. every quarter of an hour from
cron). `verification.audit_chain_verify` compares the database with every checkpoint: a log that
is shorter than one, or holds another hash at a checkpointed row, is not in order.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from meldwijzer.audit.chain import head_mac
from meldwijzer.audit.models import AccessLogEntry, AccessLogHead

logger = logging.getLogger("meldwijzer.audit.checkpoints")


class CheckpointRefused(Exception):
    """The log's current state does not match what was checkpointed before; no new checkpoint."""


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    entry_hash: str
    at: datetime.datetime
    mac: str

    @staticmethod
    def message(sequence: int, entry_hash: str, at: str) -> str:
        return f"checkpoint|{sequence}|{entry_hash}|{at}"

    @classmethod
    def sign(cls, sequence: int, entry_hash: str, at: datetime.datetime) -> Checkpoint:
        return cls(
            sequence, entry_hash, at, _mac(cls.message(sequence, entry_hash, at.isoformat()))
        )

    @property
    def valid(self) -> bool:
        expected = _mac(self.message(self.sequence, self.entry_hash, self.at.isoformat()))
        return hmac.compare_digest(expected, self.mac)

    @property
    def when(self) -> str:
        """The moment in Dutch local time, for messages."""
        return f"{timezone.localtime(self.at):%d-%m-%Y %H:%M:%S}"

    def line(self) -> str:
        return json.dumps(
            {
                "controlepunt": "meldwijzer-toegangslogboek",
                "sequence": self.sequence,
                "entry_hash": self.entry_hash,
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


def _parse(text: str) -> Checkpoint:
    # A line as syslog or the journal stores it has a prefix before the JSON: skip it.
    start = text.find("{")
    if start < 0:
        raise ValueError("geen controlepunt")
    raw = json.loads(text[start:])
    at = datetime.datetime.fromisoformat(str(raw["at"]))
    if at.tzinfo is None:
        raise ValueError("tijdstip zonder tijdzone")
    sequence = raw["sequence"]
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise ValueError("ongeldig volgnummer")
    return Checkpoint(sequence, str(raw["entry_hash"]), at, str(raw["mac"]))


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


def _append(checkpoint: Checkpoint, path: Path) -> None:
    """Append one line in a single write, so lines of concurrent writers never interleave."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (checkpoint.line() + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)


def checkpoint_write(sequence: int, entry_hash: str, path: Path | None = None) -> Checkpoint:
    """Sign the head as it is now, append it to the file and write it to the log output."""
    checkpoint = Checkpoint.sign(sequence, entry_hash, timezone.now())
    _append(checkpoint, path or settings.AUDIT_CHECKPOINT_FILE)
    logger.info("Controlepunt toegangslogboek %s", checkpoint.line())
    return checkpoint


def checkpoint_after_commit(sequence: int, entry_hash: str) -> None:
    """The automatic checkpoint, run once the row it records has been committed. The action it
    belongs to has happened by then, so a failure is reported, not raised."""
    try:
        checkpoint_write(sequence, entry_hash)
    except OSError:
        logger.exception(
            "Het controlepunt van het toegangslogboek bij regel %s kon niet worden geschreven "
            "naar %s.",
            sequence,
            settings.AUDIT_CHECKPOINT_FILE,
        )


def is_checkpoint_due(sequence: int) -> bool:
    every = settings.AUDIT_CHECKPOINT_EVERY
    return every > 0 and sequence % every == 0


def latest(checkpoints: Iterable[Checkpoint]) -> Checkpoint | None:
    return max(checkpoints, key=lambda c: (c.sequence, c.at), default=None)


def audit_checkpoint_create(path: Path | None = None) -> Checkpoint | None:
    """A checkpoint of the current head, on demand. It is refused when the log no longer matches
    the head's signature or the latest checkpoint (a cheap check; `audit verify` reads every row),
    so a wiped or cut log is reported at once instead of being signed. None when there is
    nothing new to record."""
    path = path or settings.AUDIT_CHECKPOINT_FILE
    existing = checkpoints_read(path)
    if existing.problems:
        raise CheckpointRefused(" ".join(existing.problems))
    last = latest(existing.checkpoints)
    head = AccessLogHead.objects.filter(pk=1).first()
    sequence = head.sequence if head else 0
    if head is not None and (head.sequence or head.mac):
        if not hmac.compare_digest(head.mac, head_mac(head.sequence, head.entry_hash)):
            raise CheckpointRefused("Het kopregister van het logboek is gewijzigd.")
        row = AccessLogEntry.objects.filter(sequence=head.sequence).values("entry_hash").first()
        if row is None or row["entry_hash"] != head.entry_hash:
            raise CheckpointRefused(
                f"Regel {head.sequence}, de laatste volgens het kopregister, ontbreekt of is "
                "gewijzigd."
            )
    if last is not None:
        if sequence < last.sequence:
            raise CheckpointRefused(
                f"Het logboek loopt tot regel {sequence}, maar volgens het controlepunt van "
                f"{last.when} liep het al tot regel {last.sequence}: regels zijn verwijderd."
            )
        row = AccessLogEntry.objects.filter(sequence=last.sequence).values("entry_hash").first()
        if row is None or row["entry_hash"] != last.entry_hash:
            raise CheckpointRefused(
                f"Regel {last.sequence} wijkt af van het controlepunt van {last.when}."
            )
        if sequence == last.sequence:
            return None
    if head is None or not sequence:
        return None
    return checkpoint_write(head.sequence, head.entry_hash, path)
