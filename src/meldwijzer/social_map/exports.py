"""The public HSDS downloads, built once per version of the sociale kaart.

Anyone may download the public export, and building it reads and checks the whole map (about a
second of work for a regional map). So it is kept in Django's cache under a tag of the map's
version (`MapVersion`, which every change moves on in its own transaction) and of the Meldwijzer
release: a change makes the next download build it anew, an unchanged map comes from the cache,
and a client that sends back the tag (ETag) or the date (Last-Modified) it has gets 304.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache

from meldwijzer import __version__
from meldwijzer.social_map import hsds
from meldwijzer.social_map.models import MapVersion
from meldwijzer.social_map.selectors import map_version

JSON = "json"
CSV = "csv"
BUILDERS: dict[str, Callable[..., bytes]] = {JSON: hsds.export_json, CSV: hsds.export_csv_zip}
# A version that is no longer current is never asked for again; this only bounds the cache.
CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Stamp:
    """Which version of a download: its tag (ETag) and when the map last changed."""

    tag: str
    changed_at: datetime.datetime | None


@dataclass(frozen=True)
class Download:
    content: bytes
    stamp: Stamp


def _stamp(version: MapVersion, kind: str) -> Stamp:
    changed = version.changed_at.isoformat() if version.changed_at else ""
    key = f"{__version__}:{kind}:{version.number}:{changed}"
    return Stamp(hashlib.sha256(key.encode()).hexdigest()[:32], version.changed_at)


def public_stamp(kind: str) -> Stamp:
    """The current version of the public download `kind` (one small query)."""
    return _stamp(map_version(), kind)


def public_download(kind: str) -> Download:
    """The public download `kind` for the current version of the map, from the cache if it was
    built for that version already. It is stored only if the map did not change while it was
    built, so the cache never holds one version's content under another's tag."""
    stamp = public_stamp(kind)
    key = f"sociale-kaart:download:{stamp.tag}"
    content = cache.get(key)
    if content is None:
        content = BUILDERS[kind](audience=hsds.PUBLIC)
        if public_stamp(kind) == stamp:
            cache.set(key, content, CACHE_SECONDS)
    return Download(content, stamp)
