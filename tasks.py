#!/usr/bin/env python3
"""Set up and run Meldwijzer with nothing but Python 3.11 and pip.

    python3 tasks.py demo [--port N]   install, load the demo region Noordoostpolder and serve it
    python3 tasks.py test              install, then run lint, type check and the whole test suite
                                       (pytest on SQLite and on PostgreSQL, browser tests in Chromium)

Everything is installed into .venv beside this file, with the versions pinned in
requirements/constraints.txt.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CONSTRAINTS = ROOT / "requirements" / "constraints.txt"
DEFAULT_TEST_DATABASE = "postgres://postgres@127.0.0.1:5432/meldwijzer"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def say(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*command: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    result = subprocess.run([str(part) for part in command], cwd=ROOT, env=env, check=False)
    if check and result.returncode != 0:
        say(f"Mislukt (afsluitcode {result.returncode}): {' '.join(map(str, command))}")
        sys.exit(result.returncode)
    return result.returncode


def find_python311() -> str:
    if sys.version_info[:2] == (3, 11):
        return sys.executable
    for candidate in ("python3.11", "python3"):
        path = shutil.which(candidate)
        if (
            path
            and subprocess.run(
                [path, "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 11))"], check=False
            ).returncode
            == 0
        ):
            return path
    sys.exit("Meldwijzer heeft Python 3.11 nodig (python3.11 niet gevonden).")


def ensure_venv(extras: str) -> None:
    """Create .venv and install the package; skipped when nothing changed since last time."""
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256(
        (ROOT / "pyproject.toml").read_bytes() + CONSTRAINTS.read_bytes()
    ).hexdigest()
    if stamp.exists() and stamp.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        say("Virtuele omgeving maken in .venv")
        run(find_python311(), "-m", "venv", VENV)
    say("Meldwijzer en afhankelijkheden installeren (vastgepinde versies)")
    target = f".[{extras}]" if extras else "."
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "-c", CONSTRAINTS, "-e", target)  # fmt: skip
    stamp.write_text(digest)


def chromium_path() -> str | None:
    configured = os.environ.get("MELDWIJZER_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return None


def pango_installed() -> bool:
    return (
        any(Path("/usr/lib").glob("*/libpango-1.0.so.0"))
        or Path("/usr/lib/libpango-1.0.so.0").exists()
    )


def ensure_system_packages() -> None:
    """Chromium for the browser tests and Pango for PDF rendering, from Debian's packages."""
    if chromium_path() is not None and pango_installed():
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        say("Chromium en Pango installeren (Debian-pakketten) voor browsertests en PDF's")
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "chromium", "fonts-dejavu-core",
            "libpango-1.0-0", "libpangoft2-1.0-0")  # fmt: skip


def postgres_url() -> str | None:
    """The PostgreSQL server for the second test run, started if it is installed but down."""
    url = os.environ.get("MELDWIJZER_TEST_DATABASE_URL", DEFAULT_TEST_DATABASE)
    # The test database itself may not exist yet: probe the server's maintenance database.
    server = urlsplit(url)._replace(path="/postgres").geturl()
    probe = [str(PYTHON), "-c", "import sys, psycopg; psycopg.connect(sys.argv[1], "
             "connect_timeout=3).close()", server]  # fmt: skip
    if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
        return url
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") and clusters.exists() and os.geteuid() == 0:
        for version in sorted(p.name for p in clusters.iterdir()):
            say(f"PostgreSQL {version} starten")
            subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
                           check=False)  # fmt: skip
        for _ in range(20):
            if subprocess.run(probe, capture_output=True, check=False).returncode == 0:
                return url
            time.sleep(0.5)
    return None


def cmd_demo(args: list[str]) -> None:
    ensure_venv("")
    os.execv(BIN / "meldwijzer", [str(BIN / "meldwijzer"), "demo", *args])


def cmd_test(args: list[str]) -> None:
    ensure_venv("dev")
    ensure_system_packages()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    chromium = chromium_path()
    if chromium:
        env["MELDWIJZER_CHROMIUM"] = chromium
    elif IN_CI:
        sys.exit("Chromium ontbreekt; de browsertests kunnen niet draaien.")
    else:
        say("Let op: Chromium niet gevonden; browsertests worden overgeslagen.")

    say("Lint (ruff)")
    run(BIN / "ruff", "check", "src", "tests", "benchmarks", "tasks.py")
    run(BIN / "ruff", "format", "--check", "src", "tests", "benchmarks", "tasks.py")
    say("Typecontrole domeincode (mypy)")
    run(BIN / "mypy", "src/meldwijzer")
    say("Migraties compleet?")
    run(PYTHON, "-m", "django", "makemigrations", "--check", "--dry-run",
        env={**env, "DJANGO_SETTINGS_MODULE": "meldwijzer.conf.test"})  # fmt: skip

    say("Tests op SQLite (pytest)")
    run_tests(env, args)

    url = postgres_url()
    if url is None:
        if IN_CI:
            sys.exit(
                "PostgreSQL op 127.0.0.1:5432 is niet bereikbaar; de tweede testronde kan niet draaien."
            )
        say("Let op: PostgreSQL niet bereikbaar; de PostgreSQL-testronde wordt overgeslagen.")
        return
    say(f"Tests op PostgreSQL (pytest, {url})")
    # Tests that reach no database ran on SQLite already; tests/conftest.py leaves them out.
    run_tests(
        {**env, "DATABASE_URL": url, "MELDWIJZER_SECOND_DATABASE_RUN": "1"}, ["--create-db", *args]
    )


def run_tests(env: dict[str, str], args: list[str]) -> None:
    """The suite in two runs on every core (pytest-xdist: a database, a live server and a
    Chromium per worker): first everything but the browser, then the browser tests."""
    workers = str(max(2, min(os.cpu_count() or 1, 8)))
    codes = [
        run(
            PYTHON, "-m", "pytest", "-n", workers, "-m", "not browser", *args, env=env, check=False
        ),
        run(PYTHON, "-m", "pytest", "-n", workers, "-m", "browser", *args, env=env, check=False),
    ]
    # Exit code 5 means the selection held no tests of that kind (e.g. `test tests/cases`);
    # that is fine for one run, not for both.
    failed = [code for code in codes if code not in (0, 5)]
    if failed or codes == [5, 5]:
        say(f"Tests mislukt (afsluitcodes {codes})")
        sys.exit(failed[0] if failed else 5)


COMMANDS = {"demo": cmd_demo, "test": cmd_test}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])
