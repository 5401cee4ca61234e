"""Reading configuration from environment variables, with safe defaults.

Every variable read here is listed in `.env.example` at the project root.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs
from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def data_dir() -> Path:
    """The directory that holds the SQLite database, the generated secret and collected static files."""
    configured = os.environ.get("MELDWIJZER_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("meldwijzer"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_origin(name: str, directory: Path) -> Path | None:
    """Where a secret comes from: None for the environment variable itself, else the file it is
    read from — the one `<NAME>_FILE` names, or the one generated in the data directory."""
    if os.environ.get(name):
        return None
    configured = os.environ.get(f"{name}_FILE")
    return Path(configured) if configured else directory / f"{name.lower()}.txt"


def secret_from_env_or_file(name: str, directory: Path) -> str:
    """Return the secret from the environment, from the key file `<NAME>_FILE` names (outside the
    data directory in production), or one generated once and kept in the data directory (fine
    for the demo and development; `check --deploy` refuses it)."""
    value = os.environ.get(name)
    if value:
        return value
    configured = os.environ.get(f"{name}_FILE")
    if configured:
        try:
            value = Path(configured).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"{name}_FILE: het sleutelbestand {configured} kan niet worden gelezen "
                f"({error.strerror})."
            ) from error
        if not value:
            raise ImproperlyConfigured(f"{name}_FILE: het sleutelbestand {configured} is leeg.")
        return value
    secret_file = directory / f"{name.lower()}.txt"
    if secret_file.exists():
        return secret_file.read_text().strip()
    value = secrets.token_urlsafe(50)
    try:
        fd = os.open(secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return secret_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


AUDIT_CHECKPOINT_NAME = "meldwijzer-toegangslogboek-controlepunten.jsonl"


def audit_checkpoint_file(directory: Path) -> Path:
    """The append-only file that receives the access log's signed checkpoints: the file (or, for
    an existing directory, a file in it) `MELDWIJZER_AUDIT_CHECKPOINT_FILE` names, else one in
    the data directory."""
    configured = os.environ.get("MELDWIJZER_AUDIT_CHECKPOINT_FILE")
    path = Path(configured) if configured else directory / AUDIT_CHECKPOINT_NAME
    return path / AUDIT_CHECKPOINT_NAME if path.is_dir() else path


def syslog_address(value: str) -> str | tuple[str, int]:
    """A syslog destination as `logging.handlers.SysLogHandler` takes it: a socket path such as
    /dev/log, or host[:port] over UDP (port 514 unless given)."""
    if value.startswith("/"):
        return value
    host, separator, port = value.rpartition(":")
    if separator and port.isdigit() and host and not host.endswith(":"):
        return host.strip("[]"), int(port)
    return value.strip("[]"), 514
