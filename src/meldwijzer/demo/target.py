"""Where the demo may go: only into a database of its own.

The demo loads accounts with a published password and a published TOTP secret, a
platformbeheerder among them. In a database with real data they would let in anyone who read the
README. So `meldwijzer demo` (and the `demo_load` command behind it) refuses, with nothing
written, unless the target is a demo database:

- never with `DATABASE_URL`: a database server is not the demo's own;
- the data directory is new (missing or empty), or marked as the demo's by the file
  `meldwijzer-demo.txt` that the demo writes when it takes a new directory, or it is the demo's
  own default directory (`<user data directory>/meldwijzer/demo`);
- the database in it holds no accounts yet, or the demo's accounts (the demo ran there before;
  people added while trying the demo out do not make it real).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

DEMO_MARKER = "meldwijzer-demo.txt"
_WHY = (
    "De demo zet accounts met een openbaar wachtwoord en een openbare inlogsleutel (ook een "
    "platformbeheerder) in de database; die horen alleen in een eigen demodatabase."
)
_NOTHING_CHANGED = "Er is niets gewijzigd."


class DemoRefused(Exception):
    """The target is not a demo database; the message says why, in Dutch."""


def default_demo_dir() -> Path:
    return Path(platformdirs.user_data_dir("meldwijzer")) / "demo"


def demo_directory_check(*, data_dir: Path, database_url: str) -> None:
    """Before anything is written: refuse a database server or a data directory that is not the
    demo's. Reads only."""
    if database_url:
        raise DemoRefused(
            f"De demo start niet: DATABASE_URL is gezet. {_WHY} Start de demo zonder "
            f"DATABASE_URL. {_NOTHING_CHANGED}"
        )
    if not is_demo_directory(data_dir) and not _is_new(data_dir):
        raise DemoRefused(
            f"De demo start niet: {data_dir} is geen demomap. {_WHY} Kies voor "
            "MELDWIJZER_DATA_DIR een nieuwe of lege map, of laat MELDWIJZER_DATA_DIR weg: dan "
            f"gebruikt de demo een eigen map. {_NOTHING_CHANGED}"
        )


def is_demo_directory(data_dir: Path) -> bool:
    return (data_dir / DEMO_MARKER).is_file() or data_dir.resolve() == default_demo_dir().resolve()


def _is_new(data_dir: Path) -> bool:
    return not data_dir.exists() or (data_dir.is_dir() and not any(data_dir.iterdir()))


def demo_directory_mark(data_dir: Path) -> None:
    """Mark `data_dir` as the demo's, so it is recognised next time (and nothing else goes in)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    marker = data_dir / DEMO_MARKER
    if not marker.exists():
        marker.write_text(
            "Deze map is gemaakt door `meldwijzer demo`. De gegevens hierin zijn verzonnen en de\n"
            "inloggegevens zijn openbaar. Zet hier nooit echte gegevens in.\n",
            encoding="utf-8",
        )


def demo_database_check() -> None:
    """With Django set up, before migrating: refuse a database that holds accounts the demo did
    not make. Reads only."""
    from django.conf import settings
    from django.db import connection

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        raise DemoRefused(
            f"De demo start niet: de database is geen SQLite-database in een demomap. {_WHY} "
            f"{_NOTHING_CHANGED}"
        )
    if not is_demo_directory(Path(settings.DATA_DIR)):
        raise DemoRefused(
            f"De demo start niet: {settings.DATA_DIR} is geen demomap. {_WHY} Start de demo met "
            f"`meldwijzer demo`. {_NOTHING_CHANGED}"
        )
    if "accounts_user" not in connection.introspection.table_names():
        return
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meldwijzer.accounts.demo import DEMO_TOTP_KEY_HEX
    from meldwijzer.accounts.models import User

    if User.objects.exists() and not TOTPDevice.objects.filter(key=DEMO_TOTP_KEY_HEX).exists():
        raise DemoRefused(
            f"De demo start niet: de database in {settings.DATA_DIR} bevat al accounts die niet "
            f"van de demo zijn. {_WHY} {_NOTHING_CHANGED}"
        )
