"""The keyed hash chains over access log rows.

There is one chain per organisation and chain 0 for rows without one. A row's hash covers its
chain's id, so a row moved to another chain no longer matches. Chain 0 is the single chain from
before there were chains per organisation: its rows and head are hashed exactly as they were then
(the chain id is left out when it is 0), so rows written before still verify.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings

from meldwijzer.audit.models import NO_ORGANISATION_CHAIN
from meldwijzer.organisations.models import Organisation

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "sequence",
    "occurred_at",
    "user_id",
    "username",
    "organisation_id",
    "role",
    "action",
    "subject_type",
    "subject_id",
    "client_id",
    "part",
    "purpose",
    "outcome",
    "ip_address",
)


def _mac(message: str) -> str:
    key = settings.AUDIT_HMAC_KEY.encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def entry_hash(previous_hash: str, fields: dict[str, Any]) -> str:
    """HMAC over the previous hash and the row's fields as canonical JSON; `fields["chain"]` is
    hashed as `"chain"` unless it is chain 0, and `fields["ground"]` only when the row has one."""
    values = {name: fields[name] for name in CHAINED_FIELDS}
    values["occurred_at"] = values["occurred_at"].isoformat()
    if fields["chain"] != NO_ORGANISATION_CHAIN:
        values["chain"] = fields["chain"]
    if fields.get("ground"):  # rows from before grounds were logged have none, and hash as then
        values["ground"] = fields["ground"]
    return _mac(previous_hash + json.dumps(values, sort_keys=True, separators=(",", ":")))


def head_mac(chain: int, sequence: int, last_hash: str) -> str:
    if chain == NO_ORGANISATION_CHAIN:
        return _mac(f"head|{sequence}|{last_hash}")
    return _mac(f"head|{chain}|{sequence}|{last_hash}")


def anchor_mac(chain: int, sequence: int, last_hash: str, kept_from: str) -> str:
    """The signature of a chain's anchor after pruning (`models.AccessLogAnchor`)."""
    return _mac(f"anchor|{chain}|{sequence}|{last_hash}|{kept_from}")


def chain_of(organisation_id: int | None) -> int:
    """The chain a row written for this organisation (or for none) belongs to."""
    return organisation_id if organisation_id is not None else NO_ORGANISATION_CHAIN


class ChainLabels:
    """How messages name a chain: by its organisation, looked up once per chain when needed."""

    def __init__(self) -> None:
        self._labels: dict[int, str] = {NO_ORGANISATION_CHAIN: "de keten zonder organisatie"}

    def __getitem__(self, chain: int) -> str:
        if chain not in self._labels:
            name = Organisation.objects.filter(pk=chain).values_list("name", flat=True).first()
            self._labels[chain] = (
                f"de keten van {name} (organisatie {chain})"
                if name is not None
                else f"keten {chain} (geen bekende organisatie)"
            )
        return self._labels[chain]

    def capitalised(self, chain: int) -> str:
        label = self[chain]
        return label[0].upper() + label[1:]
