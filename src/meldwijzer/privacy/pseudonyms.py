"""Pseudonyms: stable stand-ins for a client that never reveal who the client is.

A *client pseudonym* names the client of one file in the access log and wherever else a client must
be named without a name. It is random, given once when the file is opened and never changed, so it
stays the same when the family's details are corrected.

An *identity key* is a keyed hash of a BSN, or of name and date of birth, used to recognise the same
person in another file without storing either in the clear.

A *research pseudonym* stands for a client in the datalab. It is made with a key of its own
(`MELDWIJZER_DATALAB_KEY`), so nobody holding the datalab's records can match them with identity
keys, and no identity key can be looked up in the datalab.

Every key has a *key id*: a short fingerprint derived from the key itself, stored beside each
pseudonym it made (`identity_key_id` on a case and a person). A key can then be replaced: old and
new pseudonyms are told apart by their key id, and two pseudonyms are compared only when their key
ids are the same (`same_pseudonym`) — a pseudonym made with another key is simply unknown, never a
false "not the same person".
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
import unicodedata
from typing import NamedTuple

from django.conf import settings

CLIENT_PSEUDONYM_PREFIX = "cl-"
RESEARCH_PSEUDONYM_PREFIX = "rp-"


class Pseudonym(NamedTuple):
    """A pseudonym with the id of the key that made it."""

    value: str
    key_id: str


def key_id(secret: str, purpose: str) -> str:
    """A short fingerprint of a key: the same key gives the same id, another key another id, and
    the id reveals nothing of the key (it is itself a keyed hash of a fixed text)."""
    message = f"meldwijzer-sleutel:{purpose}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:12]


def identity_key_id() -> str:
    """The id of the key `identity_key` uses now."""
    return key_id(settings.PSEUDONYM_KEY, "matching")


def datalab_key_id() -> str:
    """The id of the key `research_pseudonym` uses now."""
    return key_id(settings.DATALAB_KEY, "datalab")


def client_pseudonym_new() -> str:
    """A new client pseudonym: 'cl-' and 20 random hexadecimal characters (80 bits)."""
    return CLIENT_PSEUDONYM_PREFIX + secrets.token_hex(10)


def identity_key(
    *, bsn: str = "", name: str = "", date_of_birth: datetime.date | None = None
) -> str:
    """A keyed hash of a BSN, or of name + date of birth, for matching without storing either."""
    material = identity_material(bsn=bsn, name=name, date_of_birth=date_of_birth)
    return keyed_hash(settings.PSEUDONYM_KEY, material) if material else ""


def identity_material(
    *, bsn: str = "", name: str = "", date_of_birth: datetime.date | None = None
) -> str:
    """What a person's keyed hashes are made of: 'bsn:<digits>', or 'naam:<name>|<date of birth>'
    with the name case-folded, without accents and with single spaces; empty without either."""
    digits = "".join(ch for ch in bsn if ch.isdigit())
    decomposed = unicodedata.normalize("NFKD", name)
    folded = " ".join(
        "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold().split()
    )
    if digits:
        return "bsn:" + digits
    if folded and date_of_birth:
        return f"naam:{folded}|{date_of_birth.isoformat()}"
    return ""


def keyed_hash(secret: str, material: str) -> str:
    """HMAC-SHA256 of `material` with `secret`, hexadecimal: the one keyed hash of a person."""
    return hmac.new(secret.encode(), material.encode(), hashlib.sha256).hexdigest()


def regional_pseudonym(
    *, key: str, bsn: str = "", name: str = "", date_of_birth: datetime.date | None = None
) -> str:
    """A person's research pseudonym made by a partner with the region's key (`key`, which the
    datalab never holds): 'rp-' and 32 hexadecimal characters, the same for the same person in
    every partner's file; empty without a BSN or a name with a date of birth. The caller passes a
    BSN only when it is valid, as nine digits."""
    material = identity_material(bsn=bsn, name=name, date_of_birth=date_of_birth)
    if not material:
        return ""
    return RESEARCH_PSEUDONYM_PREFIX + keyed_hash(key, material)[:32]


def identity_fields(
    *, bsn: str = "", name: str = "", date_of_birth: datetime.date | None = None
) -> dict[str, str]:
    """`identity_key` and `identity_key_id` for a model's fields; both empty without material."""
    value = identity_key(bsn=bsn, name=name, date_of_birth=date_of_birth)
    return {"identity_key": value, "identity_key_id": identity_key_id() if value else ""}


def same_pseudonym(first: Pseudonym, second: Pseudonym) -> bool:
    """Whether two pseudonyms name the same person: only when both exist and were made with the
    same key. Pseudonyms of different keys are never compared."""
    if not (first.value and second.value) or first.key_id != second.key_id:
        return False
    return hmac.compare_digest(first.value, second.value)


def research_pseudonym(*, identity: str = "", client_pseudonym: str = "") -> Pseudonym:
    """The datalab's pseudonym for a client, with the datalab's own key and its key id.

    From the identity key when there is one, so the same person in two files has the same research
    pseudonym (needed to count re-reports); otherwise from the file's client pseudonym, which
    stands for that one file only."""
    if identity:
        material = "identiteit:" + identity
    elif client_pseudonym:
        material = "dossier:" + client_pseudonym
    else:
        return Pseudonym("", "")
    digest = keyed_hash(settings.DATALAB_KEY, material)[:32]
    return Pseudonym(RESEARCH_PSEUDONYM_PREFIX + digest, datalab_key_id())
