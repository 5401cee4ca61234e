"""The copy as two files: JSON (the structure of `content.copy_build`, `COPY_SCHEMA_VERSION`)
and PDF (WeasyPrint, as the report to Veilig Thuis). Both are made at the moment the copy is
given, hashed, handed over and never stored."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string


def copy_json(data: dict[str, Any]) -> bytes:
    """The JSON file: UTF-8, keys in the order of the structure, indented by two spaces."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def copy_pdf(data: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # heavy import, only needed here
    from weasyprint.urls import URLFetcher

    html = render_to_string("rights/copy_pdf.html", {"copy": data})
    # Self-contained: the document may not fetch anything from the network or disk.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"]))
    return bytes(document.write_pdf())


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
