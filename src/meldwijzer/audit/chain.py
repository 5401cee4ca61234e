"""The keyed hash chain over access log rows."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from django.conf import settings

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
    values = {name: fields[name] for name in CHAINED_FIELDS}
    values["occurred_at"] = values["occurred_at"].isoformat()
    return _mac(previous_hash + json.dumps(values, sort_keys=True, separators=(",", ":")))


def head_mac(sequence: int, last_hash: str) -> str:
    return _mac(f"head|{sequence}|{last_hash}")
