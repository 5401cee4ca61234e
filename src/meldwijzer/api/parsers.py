"""The one parser for JSON request bodies: bounded in size and nesting depth, and only text that
a database can store.

Python's JSON decoder recurses per level of nesting, so a body of a few kilobytes of `[[[[…` ends
in a RecursionError, and deep structures that do decode can crash the code that walks them later.
The body is therefore read up to a size limit and its nesting depth is counted before it is
decoded. A lone surrogate (an escape such as "\\ud800") decodes to a string that PostgreSQL
refuses to store, so it is refused here too. Every refusal is a 400 in the API's error format
with a Dutch message; nothing reaches a view.
"""

from __future__ import annotations

import codecs
import json
import re
from typing import IO, Any

from django.conf import settings
from rest_framework import status
from rest_framework.parsers import BaseParser

from meldwijzer.api.errors import ApiError

# Real bodies nest a few levels (an instrument edit: bands → score → band → field, 4).
MAX_DEPTH = 32

_SURROGATE = re.compile("[\ud800-\udfff]")
# Strings (their brackets do not count) and runs of anything that is not a bracket or a quote.
_NOT_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[^\[\]{}"]+', re.DOTALL)


class BodyRefused(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    error_code = "ongeldige_invoer"
    default_detail = "De gegevens zijn geen geldige JSON."


class BodyTooLarge(BodyRefused):
    error_code = "te_groot"


class BodyTooDeep(BodyRefused):
    error_code = "te_diep_genest"


def max_body_bytes() -> int:
    """Django's limit for request bodies in memory, the same for forms and JSON."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0) or 2_621_440


def nesting_depth(text: str, limit: int) -> int:
    """How deep arrays and objects nest in `text`, counting no further than `limit` + 1, without
    decoding it (so without recursion)."""
    depth = deepest = 0
    for char in _NOT_BRACKETS.sub("", text):
        if char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif char in "]}":
            depth -= 1
    return deepest


def _size_label(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.1f} MB".replace(".", ",")
    return f"{size // 1024} kB"


class BoundedJSONParser(BaseParser):
    """Not a subclass of DRF's JSONParser: DRF reads the whole body of those into memory first."""

    media_type = "application/json"

    def parse(
        self, stream: IO[bytes] | None, media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        if stream is None:
            return {}
        limit = max_body_bytes()
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise BodyTooLarge(
                f"De gegevens zijn te groot: hoogstens {_size_label(limit)} per verzoek."
            )
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        try:
            # Text encodings only: str.encode refuses bytes codecs such as bz2_codec, which
            # would expand a small body without bound.
            "".encode(encoding)
        except (LookupError, ValueError) as error:
            raise BodyRefused("Onbekende tekenset; stuur de gegevens als UTF-8.") from error
        try:
            text = codecs.decode(raw, encoding)
        except ValueError as error:
            raise BodyRefused(f"De gegevens zijn geen geldige tekst ({encoding}).") from error
        if nesting_depth(text, MAX_DEPTH) > MAX_DEPTH:
            raise BodyTooDeep(
                f"De gegevens zijn te diep genest: hoogstens {MAX_DEPTH} niveaus van lijsten "
                "en objecten."
            )
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except ValueError as error:
            raise BodyRefused(
                f"De gegevens zijn geen geldige JSON ({_position(error)})."
            ) from error
        surrogate = _first_surrogate(data)
        if surrogate is not None:
            place, code = surrogate
            place = _SURROGATE.sub("\ufffd", place)[:80]
            raise BodyRefused(
                f"De tekst in {place} bevat een teken dat niet kan worden opgeslagen ({code})."
            )
        return data


def _refuse_constant(name: str) -> Any:
    """NaN and Infinity are not JSON."""
    raise ValueError(f"'{name}' is geen geldige waarde")


def _first_surrogate(data: Any) -> tuple[str, str] | None:
    """The place ('data.text') and code point of the first lone surrogate in a key or a text."""
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        place, value = pending.pop()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found is not None:
                return place or "de gegevens", f"U+{ord(found.group()):04X}"
        elif isinstance(value, dict):
            for key, child in value.items():
                path = f"{place}.{key}" if place else str(key)
                pending.extend([(path, key), (path, child)])
        elif isinstance(value, list):
            pending.extend((f"{place}[{index}]", child) for index, child in enumerate(value))
    return None


def _position(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"regel {error.lineno}, teken {error.colno}"
    return str(error)
