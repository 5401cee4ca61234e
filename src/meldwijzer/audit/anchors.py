"""Anchors: where a chain of the access log starts after its oldest months were pruned.

Pruning removes whole months (ADR 0040). Before it does, it records for every chain with
rows in those months the sequence number and hash of its last removed row, signed under the log
key (`models.AccessLogAnchor`). Verification then starts the chain at that anchor: the first row
kept must carry the next number and point at the anchor's hash. Without the key no one can make
an anchor that fits rows removed later; a removed anchor leaves the chain starting at an earlier
one (or at its first row), and the rows kept no longer follow on.
"""

from __future__ import annotations

import datetime
import hmac

from django.utils import timezone

from meldwijzer.audit.chain import anchor_mac
from meldwijzer.audit.models import AccessLogAnchor


def anchor_record(
    *, chain: int, sequence: int, entry_hash: str, kept_from: datetime.datetime
) -> AccessLogAnchor:
    """Record, in the caller's transaction, that `chain` now starts after row `sequence`."""
    return AccessLogAnchor.objects.create(
        chain=chain,
        sequence=sequence,
        entry_hash=entry_hash,
        kept_from=kept_from,
        created_at=timezone.now(),
        mac=anchor_mac(chain, sequence, entry_hash, kept_from.isoformat()),
    )


def anchor_valid(anchor: AccessLogAnchor) -> bool:
    """Whether the anchor is as the pruning signed it."""
    signed = anchor_mac(
        anchor.chain, anchor.sequence, anchor.entry_hash, anchor.kept_from.isoformat()
    )
    return hmac.compare_digest(anchor.mac, signed)


def anchors_latest() -> dict[int, AccessLogAnchor]:
    """For each pruned chain its latest anchor (the furthest row removed)."""
    latest: dict[int, AccessLogAnchor] = {}
    for anchor in AccessLogAnchor.objects.order_by("chain", "sequence"):
        latest[anchor.chain] = anchor
    return latest
