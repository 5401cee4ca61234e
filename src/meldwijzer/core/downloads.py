"""Downloads of files that people uploaded (a meldcode PDF, an instrument definition).

A file someone uploaded is never shown in the browser as if it were a page of Meldwijzer: it is
always a download (`Content-Disposition: attachment`), with a fixed content type that the browser
may not second-guess (`nosniff`) and a policy that runs nothing in it (`sandbox`), so a PDF or YAML
file with a script in it cannot act on the professional's session. Files are kept outside
`MEDIA_URL` under server-chosen names and reach a browser only through a view with the access
check.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

DOWNLOAD_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
"""The policy on every download of an uploaded file: nothing loads, nothing runs."""


def attachment_response(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    """`content` as a download named `filename` (a name suggestion only, never a path)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=filename)
        or 'attachment; filename="download"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
