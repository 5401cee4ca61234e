"""The `meldwijzer` command as an operator uses it: in a subprocess, on a fresh data directory."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")), reason="the CLI runs on the embedded SQLite default"
)


def meldwijzer(*args: str, data_dir: Path, env: dict[str, str] | None = None, check: bool = True):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MELDWIJZER_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment.update({"MELDWIJZER_DATA_DIR": str(data_dir), **(env or {})})
    result = subprocess.run(
        [sys.executable, "-m", "meldwijzer.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.fixture(scope="module")
def _migrated_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("gemigreerd")
    meldwijzer("migrate", data_dir=directory)
    return directory


@pytest.fixture
def migrated(_migrated_once: Path, tmp_path: Path) -> Path:
    """A data directory as `meldwijzer migrate` leaves it (migrated once per module, then copied:
    every migration runs in a subprocess, which is the slow part)."""
    shutil.copytree(_migrated_once, tmp_path, dirs_exist_ok=True)
    return tmp_path


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def test_help_explains_every_command(tmp_path):
    text = meldwijzer("--help", data_dir=tmp_path).stdout
    for command in ["demo", "serve", "migrate", "createadmin", "audit", "demo-code", "check"]:
        assert command in text
    audit_help = meldwijzer("audit", "--help", data_dir=tmp_path).stdout
    assert "controleer de hashketen" in audit_help
    assert "controlepunt" in audit_help
    assert "inzag" in audit_help  # audit client
    assert "--port" in meldwijzer("demo", "--help", data_dir=tmp_path).stdout


def test_demo_loads_the_region_once_and_prints_how_to_log_in(tmp_path):
    data_dir = tmp_path / "nieuw"
    first = meldwijzer("demo", "--no-serve", data_dir=data_dir).stdout
    # A new directory is marked as the demo's.
    assert "nooit echte gegevens" in (data_dir / "meldwijzer-demo.txt").read_text()
    assert "http://localhost:8000/account/inloggen/" in first
    assert "Meldwijzer-demo-2026" in first
    for username in ["docent", "aandacht.school", "regisseur", "beleid", "beheer.school",
                     "platformbeheer"]:  # fmt: skip
        assert username in first
    db = data_dir / "meldwijzer.sqlite3"
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    users, organisations, memberships = (
        count(db, "accounts_user"),
        count(db, "organisations_organisation"),
        count(db, "organisations_membership"),
    )
    assert organisations >= 15
    meldwijzer("demo", "--no-serve", data_dir=data_dir)
    assert (users, organisations, memberships) == (
        count(db, "accounts_user"),
        count(db, "organisations_organisation"),
        count(db, "organisations_membership"),
    )


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def test_demo_refuses_a_database_server_and_writes_nothing(tmp_path):
    result = meldwijzer(
        "demo", "--no-serve", data_dir=tmp_path,
        env={"DATABASE_URL": "postgres://meldwijzer@127.0.0.1:1/echt"}, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "De demo start niet: DATABASE_URL is gezet" in result.stderr
    assert "Er is niets gewijzigd" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_demo_refuses_a_data_directory_that_is_not_the_demos(migrated):
    tmp_path = migrated  # a real installation's data directory
    before = _snapshot(tmp_path)
    result = meldwijzer("demo", "--no-serve", data_dir=tmp_path, check=False)
    assert result.returncode == 1
    assert f"De demo start niet: {tmp_path} is geen demomap" in result.stderr
    assert _snapshot(tmp_path) == before
    # Nor through the management command behind it.
    result = meldwijzer("manage", "demo_load", data_dir=tmp_path, check=False)
    assert result.returncode == 1
    assert "geen demomap" in result.stderr
    assert count(tmp_path / "meldwijzer.sqlite3", "accounts_user") == 0


def test_demo_refuses_a_demo_directory_whose_database_holds_other_accounts(migrated):
    tmp_path = migrated
    meldwijzer(
        "createadmin", "--username", "beheer", "--email", "beheer@example.invalid",
        "--organisation", "Gemeente Test", data_dir=tmp_path,
        env={"MELDWIJZER_ADMIN_PASSWORD": "Een-lang-wachtwoord-2026"},
    )  # fmt: skip
    (tmp_path / "meldwijzer-demo.txt").write_text("")
    before = _snapshot(tmp_path)
    result = meldwijzer("demo", "--no-serve", data_dir=tmp_path, check=False)
    assert result.returncode == 1
    assert "bevat al accounts die niet van de demo zijn" in result.stderr
    assert _snapshot(tmp_path) == before


def test_demo_code_is_the_current_six_digit_code(tmp_path):
    code = meldwijzer("demo-code", data_dir=tmp_path).stdout.strip()
    assert re.fullmatch(r"\d{6}", code)


def test_audit_verify_exit_code_follows_the_chain(migrated):
    tmp_path = migrated
    meldwijzer(
        "createadmin", "--username", "beheer", "--email", "beheer@example.invalid",
        "--organisation", "Gemeente Test", data_dir=tmp_path,
        env={"MELDWIJZER_ADMIN_PASSWORD": "Een-lang-wachtwoord-2026"},
    )  # fmt: skip
    # a failed login writes a log row through the real code path
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    db = tmp_path / "meldwijzer.sqlite3"
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='meldwijzer.conf.settings';"
        "django.setup();"
        "from meldwijzer.accounts.services import login_failed_record as f;"
        "[f(username='x') for _ in range(3)]"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "MELDWIJZER_DATA_DIR": str(tmp_path)},
        check=True,
        timeout=60,
    )
    ok = meldwijzer("audit", "verify", data_dir=tmp_path)
    assert "3 regels gecontroleerd" in ok.stdout
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE audit_accesslogentry SET username='y' WHERE sequence=2")
    broken = meldwijzer("audit", "verify", data_dir=tmp_path, check=False)
    assert broken.returncode == 1
    assert "Regel 2 in de keten zonder organisatie: inhoud is gewijzigd" in broken.stderr


def test_audit_client_prints_who_looked_at_one_clients_data(migrated):
    tmp_path = migrated
    meldwijzer(
        "createadmin", "--username", "beheer", "--email", "beheer@example.invalid",
        "--organisation", "Gemeente Test", data_dir=tmp_path,
        env={"MELDWIJZER_ADMIN_PASSWORD": "Een-lang-wachtwoord-2026"},
    )  # fmt: skip
    os.environ.pop("DJANGO_SETTINGS_MODULE", None)
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='meldwijzer.conf.settings';"
        "django.setup();"
        "from meldwijzer.accounts.models import User;"
        "from meldwijzer.organisations.models import Membership, Organisation;"
        "from meldwijzer.organisations.selectors import actor_for_user;"
        "from meldwijzer.cases.services import case_open;"
        "from meldwijzer.cases.selectors import case_get;"
        "u = User.objects.create_user(username='prof', password='x');"
        "Membership.objects.create(user=u, organisation=Organisation.objects.get(), "
        "role='professional');"
        "a = actor_for_user(user=u);"
        "c = case_open(actor=a, title='Zorg', profession='onderwijs', client='kind');"
        "case_get(actor=a, case_id=c.pk, part='dossier');"
        "print(c.reference)"
    )
    reference = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "MELDWIJZER_DATA_DIR": str(tmp_path)},
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout.strip()
    listed = meldwijzer("audit", "client", reference, data_dir=tmp_path).stdout
    assert f"(casus {reference})" in listed
    assert "prof (professional)" in listed and "namens Gemeente Test" in listed
    assert "[dossier]" in listed and "[casus]" in listed
    # The listing is itself a read of the client's data, by the command line, and listed too.
    assert "opdrachtregel  namens –  doel: Toezicht" in listed
    assert "3 regel(s)." in listed
    unknown = meldwijzer("audit", "client", "cl-onbekend", data_dir=tmp_path, check=False)
    assert unknown.returncode == 1
    assert "Geen casus of cliënt gevonden" in unknown.stderr


def test_createadmin_refuses_a_weak_password(migrated):
    tmp_path = migrated
    result = meldwijzer(
        "createadmin", "--username", "beheer", "--email", "b@example.invalid",
        "--organisation", "Gemeente Test", data_dir=tmp_path,
        env={"MELDWIJZER_ADMIN_PASSWORD": "kort"}, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "te kort" in result.stderr


def _production(tmp_path: Path) -> dict[str, str]:
    """Production settings: keys from the environment or a key file, checkpoints elsewhere."""
    keys = tmp_path / "sleutels"
    keys.mkdir()
    (keys / "audit.key").write_text("a" * 50 + "\n")
    (tmp_path / "controlepunten").mkdir()
    return {
        "MELDWIJZER_SECRET_KEY": "k" * 20 + "-Zq8#pL2!vX9@mN4$wR7%tY1^uI6&oP3*aS5",
        "MELDWIJZER_AUDIT_KEY_FILE": str(keys / "audit.key"),
        "MELDWIJZER_PSEUDONYM_KEY": "p" * 50,
        "MELDWIJZER_DATALAB_KEY": "d" * 50,
        "MELDWIJZER_AUDIT_CHECKPOINT_FILE": str(tmp_path / "controlepunten"),
        "MELDWIJZER_ALLOWED_HOSTS": "meldwijzer.gemeente.example",
        "MELDWIJZER_SSL_REDIRECT": "true",
        "MELDWIJZER_BEHIND_PROXY": "true",
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    data_dir = tmp_path / "data"
    result = meldwijzer("check", "--deploy", data_dir=data_dir, env=_production(tmp_path))
    assert "no issues" in result.stdout
    assert not list(data_dir.glob("*key*.txt"))  # no key was generated in the data directory


@pytest.mark.parametrize(
    ("leave_out", "add", "error"),
    [
        ("MELDWIJZER_AUDIT_KEY_FILE", {}, "meldwijzer.E001"),
        ("MELDWIJZER_SECRET_KEY", {}, "meldwijzer.E001"),
        ("", {"MELDWIJZER_DEMO_MODE": "1"}, "meldwijzer.E002"),
    ],
    ids=["logsleutel in de datamap", "geheime sleutel in de datamap", "demomodus"],
)
def test_check_deploy_fails_on_keys_in_the_data_directory_or_demo_mode(
    tmp_path, leave_out, add, error
):
    env = {**_production(tmp_path), **add}
    env.pop(leave_out, None)
    result = meldwijzer("check", "--deploy", data_dir=tmp_path / "data", env=env, check=False)
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_audit_verify_reports_a_wiped_log(tmp_path):
    """Checkpoints written by the application itself, outside the database, reveal a log that
    was emptied completely — head and all."""
    checkpoints = tmp_path / "elders" / "controlepunten.jsonl"
    env = {
        "MELDWIJZER_AUDIT_CHECKPOINT_FILE": str(checkpoints),
        "MELDWIJZER_AUDIT_CHECKPOINT_EVERY": "2",
    }
    data_dir = tmp_path / "data"
    meldwijzer("migrate", data_dir=data_dir, env=env)
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='meldwijzer.conf.settings';"
        "django.setup();"
        "from meldwijzer.audit.services import access_log_record as record;"
        "[record(actor=None, username='x', action='login', subject='sessie')"
        " for _ in range(5)]"
    )
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MELDWIJZER_", "DJANGO_")) and key != "DATABASE_URL"
    }
    subprocess.run(
        [sys.executable, "-c", script],
        env={**environment, "MELDWIJZER_DATA_DIR": str(data_dir), **env},
        check=True,
        timeout=60,
    )
    assert (
        "5 regels gecontroleerd" in meldwijzer("audit", "verify", data_dir=data_dir, env=env).stdout
    )
    with sqlite3.connect(data_dir / "meldwijzer.sqlite3") as connection:
        connection.execute("DELETE FROM audit_accesslogentry")
        connection.execute("DELETE FROM audit_accessloghead")
    broken = meldwijzer("audit", "verify", data_dir=data_dir, env=env, check=False)
    assert broken.returncode == 1
    assert "NIET in orde" in broken.stderr
    assert "het logboek is gewist" in broken.stderr
    refused = meldwijzer("audit", "checkpoint", data_dir=data_dir, env=env, check=False)
    assert refused.returncode == 1
    assert "Geen controlepunt geschreven" in refused.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_gunicorn_with_whitenoise_static_files(tmp_path):
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MELDWIJZER_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env["MELDWIJZER_DATA_DIR"] = str(tmp_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "meldwijzer.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        page = None
        while time.monotonic() < deadline:
            try:
                page = urllib.request.urlopen(f"{base}/account/inloggen/", timeout=5)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None, "server did not come up"
        assert page.status == 200
        assert page.headers["Server"].startswith("gunicorn")
        html = page.read().decode()
        stylesheet = re.search(
            r'href="(/static/vendor/utrecht/component-library\.[0-9a-f]+\.css)"', html
        )
        assert stylesheet, "static files are not served with hashed names"
        css = urllib.request.urlopen(base + stylesheet.group(1), timeout=5)  # noqa: S310
        assert css.status == 200
        assert "immutable" in css.headers["Cache-Control"]
        # A calendar address is a secret: the request log keeps the request, not the secret.
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}/nazorg/agenda/Geheim-Adres-42.ics", timeout=5)  # noqa: S310
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = server.stdout.read().decode() if server.stdout else ""
    assert "/nazorg/agenda/….ics" in log
    assert "Geheim-Adres-42" not in log
