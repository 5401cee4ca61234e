"""Reading configuration from environment variables, with safe defaults.

Every variable read here is listed in `.env.example` at the project root.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs


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


def secret_from_env_or_file(name: str, directory: Path) -> str:
    """Return the secret from the environment, or one generated once and kept in the data directory."""
    value = os.environ.get(name)
    if value:
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
