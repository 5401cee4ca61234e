"""Pseudonyms: stable stand-ins for a client that never reveal who the client is.

A *client pseudonym* names the client of one file in the access log and wherever else a client must
be named without a name. It is random, given once when the file is opened and never changed, so it
stays the same when the family's details are corrected.

An *identity key* is a keyed hash of a BSN, or of name and date of birth, used to recognise the same
person in another file without storing either in the clear.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import unicodedata

from django.conf import settings

CLIENT_PSEUDONYM_PREFIX = "cl-"


def client_pseudonym_new() -> str:
    """A new client pseudonym: 'cl-' and 20 random hexadecimal characters (80 bits)."""
    return CLIENT_PSEUDONYM_PREFIX + secrets.token_hex(10)


def identity_key(
    *, bsn: str = "", name: str = "", date_of_birth: datetime.date | None = None
) -> str:
    """A keyed hash of a BSN, or of name + date of birth, for matching without storing either."""
    digits = "".join(ch for ch in bsn if ch.isdigit())
    decomposed = unicodedata.normalize("NFKD", name)
    folded = " ".join(
        "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split()
    )
    if digits:
        material = "bsn:" + digits
    elif folded and date_of_birth:
        material = f"naam:{folded}|{date_of_birth.isoformat()}"
    else:
        return ""
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, material.encode(), hashlib.sha256).hexdigest()
