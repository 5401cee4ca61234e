"""The server's request log without secrets in addresses.

A professional's calendar address holds its secret in the path (`/nazorg/agenda/<secret>.ics`):
calendar apps cannot log in, so the address is the credential. The application stores only its
hash; the logs must not keep it either. `RedactingLogger` is gunicorn's request logger with such
secrets replaced by '…' in every part of a line that carries the address (`meldwijzer serve`
uses it); `RedactSecrets` does the same for the application's own log lines, such as Django's
'Not Found: <path>' (`settings.LOGGING`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from gunicorn.glogging import Logger

SECRET_PATHS = re.compile(r"(/nazorg/agenda/)[^/?#\s]+(\.ics)")


def redact(text: str) -> str:
    return SECRET_PATHS.sub(r"\1…\2", text)


class RedactingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = redact(atoms[key])
        return atoms


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
