"""Meldwijzer under load: the real server (gunicorn, as `meldwijzer serve` runs it) on the database
in `DATABASE_URL`, and `--users` simulated professionals (locust, `load_users/locustfile.py`)
working for `--duration`.

Each simulated person is logged in first, through the real login pages with password and
authenticator code (the code computed from their device's secret, as their app would); none of
that counts in the figures. Then each opens, with a pause to read between pages, a mix of what
their role does: 'Mijn casussen', the case page of one of their own cases, the family's
coordination file where they coordinate one, the follow-ups of this week, a search of their cases
and of the sociale kaart, a few `/api/v1/` calls; a policy adviser the datalab's dashboard.

Printed: per page and API call the count, median and p95 in milliseconds and the errors (an
exception, a status of 400 or more, or a redirect to the login page), the total of errors (the
target is 0); the access-log rows written during the run for the file reads against the number of
reads (each part a page logs, row for row); the memory of every gunicorn worker (RSS and its peak,
VmHWM) before and after the load.

The database is used as it is, not copied: an empty database (no accounts) is filled with the demo
region first. Without `DATABASE_URL` the SQLite database in `MELDWIJZER_DATA_DIR`, or in a new
temporary directory when that is not set either.

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/load.py [--users 100] [--duration 5m]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = ROOT / "benchmarks" / "load_users" / "locustfile.py"
PROFESSIONAL = "professional"
POLICY = "policy"
ANSWER_TIMEOUT = 60
"""Seconds the simulated people wait for an answer (`load_users/locustfile.py`)."""
SOCIAL_MAP_WORDS = ["opvoeding", "schulden", "huiselijk geweld", "jeugd", "verslaving", "gezin"]


@dataclass
class Target:
    """One account the simulated people log in as, and the files they open."""

    username: str
    password: str
    kind: str
    """`PROFESSIONAL` (works on cases) or `POLICY` (figures only)."""
    cases: list[int] = field(default_factory=list)
    """Cases the person is responsible for: their case page shows every part, logged."""
    files: list[int] = field(default_factory=list)
    """Coordination files the person coordinates for their organisation."""


@dataclass
class Person:
    """One simulated person: the account and the session its login gave."""

    target: Target
    cookie: str


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--duration", default="5m", help="as locust reads it: 30s, 5m, 1h")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="meldwijzer-load-"))
    if not os.environ.get("DATABASE_URL") and not os.environ.get("MELDWIJZER_DATA_DIR"):
        os.environ["MELDWIJZER_DATA_DIR"] = str(work / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "meldwijzer.conf.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", "--noinput", "--verbosity", "0")
    if database_fill_if_empty():
        print("the database held no accounts: filled with the demo region", flush=True)
    targets = targets_pick(args.users)
    if not targets:
        sys.exit("no accounts to log in as: neither the demo's nor those of benchmarks/national.py")
    server = Server(work, workers=args.workers)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    try:
        server.start()
        started = time.monotonic()
        people = log_in_all(server.url, targets, args.users)
        accounts = len({person.target.username for person in people})
        print(
            f"logged in {len(people)} simulated people on {accounts} accounts (password and "
            f"authenticator code) in {time.monotonic() - started:.0f} s",
            flush=True,
        )
        memory_before = worker_memory(server.pid)
        since = timezone.now()  # the access-log rows from here on are the run's
        answers = locust_run(server.url, people, args, work)
        memory_after = worker_memory(server.pid)
    finally:
        server.stop()
    print(
        f"load: {args.users} users, {args.spawn_rate:g} started per second, {args.duration}; "
        f"gunicorn {args.workers} workers x 4 threads"
    )
    errors = answers_report(answers)
    equal = access_log_report(answers, since)
    memory_report(memory_before, memory_after)
    return 0 if errors == 0 and equal else 1


# --- The database and whom to log in as ---------------------------------------------------------


def database_fill_if_empty() -> bool:
    """An empty database (no accounts) gets the demo region, as `meldwijzer demo` loads it."""
    from meldwijzer.accounts.models import User
    from meldwijzer.demo import demo_load

    if User.objects.exists():
        return False
    demo_load()
    return True


def targets_pick(count: int) -> list[Target]:
    """The accounts to log in as, one of each kind first, so that even a few simulated people
    open every kind of page: as `benchmarks/national.py` picks them (it knows the generated
    national database's accounts and the demo's) when it is there, else the demo's accounts."""
    from meldwijzer.accounts.demo import DEMO_PASSWORD

    national = _national()
    if national is None:
        return _one_of_each_kind_first(demo_targets())
    policy = max(1, count // 20)
    targets = [
        Target(picked.username, picked.password, PROFESSIONAL, picked.case_ids, picked.file_ids)
        for picked in national.pick_targets(max(1, count - policy))
    ]
    targets += policy_targets(policy, passwords=(national.PASSWORD, DEMO_PASSWORD))
    return _one_of_each_kind_first(targets)


def _national() -> Any:
    """`benchmarks/national.py`, the generator of the national database, if it is there."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import national  # type: ignore[import-not-found]
    except ImportError:
        return None
    return national


def demo_targets() -> list[Target]:
    """Every demo account that works on its own cases or coordination files, or reads figures."""
    from meldwijzer.accounts.demo import DEMO_PASSWORD, DEMO_USERS
    from meldwijzer.accounts.models import User

    targets = []
    for username, *_ in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        target = _target(user, DEMO_PASSWORD) if user is not None else None
        if target is not None:
            targets.append(target)
    return targets


def policy_targets(count: int, *, passwords: tuple[str, ...]) -> list[Target]:
    """Up to `count` beleidsadviseurs whose password is one of `passwords`."""
    from django.contrib.auth.hashers import check_password

    from meldwijzer.accounts.models import User
    from meldwijzer.organisations.roles import Role

    advisers = User.objects.filter(
        is_active=True, memberships__role=Role.POLICY_ADVISER, memberships__is_active=True
    )
    targets: list[Target] = []
    for user in advisers.distinct().order_by("pk")[: count * 4]:
        password = next((p for p in passwords if check_password(p, user.password)), None)
        target = _target(user, password) if password else None
        if target is not None and target.kind == POLICY and len(targets) < count:
            targets.append(target)
    return targets


def _target(user: Any, password: str) -> Target | None:
    """What `user` opens on behalf of their home organisation (the one a login starts in), read
    without logging: the cases they are responsible for and the files they coordinate there."""
    from meldwijzer.cases.models import Case
    from meldwijzer.coordination.models import CoordinationFile
    from meldwijzer.organisations.roles import Permission
    from meldwijzer.organisations.selectors import actor_for_user

    actor = actor_for_user(user=user)
    if actor is None:
        return None
    if actor.can(Permission.AGGREGATES_VIEW):
        return Target(user.username, password, POLICY)
    if not actor.can(Permission.CASE_WORK):
        return None
    cases = Case.objects.filter(responsible=user, organisation=actor.organisation)
    files = CoordinationFile.objects.filter(coordinator=user, lead_organisation=actor.organisation)
    target = Target(
        user.username,
        password,
        PROFESSIONAL,
        cases=list(cases.order_by("pk").values_list("pk", flat=True)[:20]),
        files=list(files.order_by("pk").values_list("pk", flat=True)[:20]),
    )
    return target if target.cases or target.files else None


def _one_of_each_kind_first(targets: list[Target]) -> list[Target]:
    """A coordinator, a policy adviser and a professional with cases first, then the rest."""
    first: list[Target] = []
    for wanted in (
        lambda t: t.kind == PROFESSIONAL and t.cases,
        lambda t: t.files,
        lambda t: t.kind == POLICY,
    ):
        found = next((t for t in targets if wanted(t) and t not in first), None)
        if found is not None:
            first.append(found)
    return first + [t for t in targets if t not in first]


def pages(target: Target) -> list[tuple[str, list[str], int]]:
    """What a person of this kind opens, by name, with the URLs to choose from and a weight."""
    from django.urls import reverse

    def api(name: str, query: str = "") -> str:
        return reverse(f"api:{name}") + query

    social_map = [
        reverse("social_map:search") + f"?q={word}&postcode=8301" for word in SOCIAL_MAP_WORDS
    ]
    api_social_map = [api("directory-service-list", f"?q={word}") for word in SOCIAL_MAP_WORDS]
    if target.kind == POLICY:
        return [
            ("dashboard", [reverse("datalab:overview")], 5),
            ("sociale kaart search", social_map, 2),
            ("API datalab", [api("datalab-report")], 1),
            ("API me", [api("me")], 1),
        ]
    mix = [
        ("my cases", [reverse("cases:list")], 3),
        ("case search", [reverse("cases:list") + q for q in ("?phase=signals", "?overdue=ja")], 1),
        ("follow-ups this week", [reverse("followups:week")], 2),
        ("sociale kaart search", social_map, 2),
        ("API cases", [api("case-list")], 1),
        ("API follow-ups week", [api("followup-week")], 1),
        ("API sociale kaart", api_social_map, 1),
        ("API me", [api("me")], 1),
    ]
    if target.cases:
        mix.append(("case page", [reverse("cases:detail", args=[pk]) for pk in target.cases], 4))
    if target.files:
        files = [reverse("coordination:detail", args=[pk]) for pk in target.files]
        mix.append(("family file", files, 3))
    return mix


# --- The server ---------------------------------------------------------------------------------


class Server:
    """`meldwijzer serve` on a free port of this machine, in its own process group."""

    def __init__(self, work: Path, *, workers: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.workers = workers
        self.log = work / "server.log"
        self.static = work / "static"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, timeout: float = 180) -> None:
        import requests

        environment = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
            # Plain HTTP on this machine: the cookies cannot be Secure ones.
            "MELDWIJZER_SECURE_COOKIES": "0",
            # Collected here, so the data directory (perhaps another run's) gets nothing new.
            "MELDWIJZER_STATIC_ROOT": str(self.static),
        }
        command = [
            sys.executable, "-m", "meldwijzer.cli", "serve",
            "--port", str(self.port), "--workers", str(self.workers),
        ]  # fmt: skip
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                command, env=environment, stdout=output, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("the server stopped:\n" + self.log.read_text()[-3000:])
            try:
                if requests.get(self.url + "/account/inloggen/", timeout=30).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        sys.exit("the server did not answer:\n" + self.log.read_text()[-3000:])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)


# --- Logging in ---------------------------------------------------------------------------------


def log_in_all(url: str, targets: list[Target], count: int) -> list[Person]:
    """`count` sessions, the accounts taken in turn. An authenticator code counts once, so a
    second session of an account waits for the account's next code (at most 30 seconds)."""
    return [log_in(url, targets[number % len(targets)]) for number in range(count)]


def log_in(url: str, target: Target) -> Person:
    import requests
    from django.urls import reverse

    browser = requests.Session()
    login = url + reverse("accounts:login")
    fields = {"username": target.username, "password": target.password}
    answer = browser.post(login, {**fields, **_csrf(browser, login)}, allow_redirects=False)
    if answer.status_code != 302:
        sys.exit(f"the password of {target.username} was refused ({answer.status_code})")
    mfa = url + reverse("accounts:mfa")
    token = _csrf(browser, mfa)
    answer = browser.post(
        mfa, {**token, "token": code_unused(target.username)}, allow_redirects=False
    )
    if answer.status_code != 302 or "inloggen" in answer.headers.get("Location", ""):
        sys.exit(f"the code of {target.username} was refused ({answer.status_code})")
    cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    return Person(target, cookie)


def _csrf(browser: Any, url: str) -> dict[str, str]:
    page = browser.get(url, allow_redirects=False)
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or match is None:
        sys.exit(f"no form at {url} ({page.status_code})")
    return {"csrfmiddlewaretoken": match.group(1)}


def code_unused(username: str) -> str:
    """The authenticator's current code for `username`, once the server has not yet taken it:
    the code of a time step counts once per account."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    while True:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if totp.t() > device.last_t:
            return f"{totp.token():06d}"
        time.sleep(1)


# --- The load -----------------------------------------------------------------------------------


def locust_run(
    url: str, people: list[Person], args: argparse.Namespace, work: Path
) -> list[tuple[str, float, bool]]:
    users = work / "people.json"
    results = work / "answers.json"
    users.write_text(
        json.dumps([
            {"cookie": p.cookie, "pages": pages(p.target)} for p in people
        ])
    )  # fmt: skip
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate),
        "--run-time", args.duration, "--host", url, "--only-summary",
        # At the end every request under way gets its answer (or its timeout, an error), so each
        # read the server logged is counted.
        "--stop-timeout", str(ANSWER_TIMEOUT + 30),
    ]  # fmt: skip
    environment = {
        **os.environ,
        "MELDWIJZER_LOAD_USERS": str(users),
        "MELDWIJZER_LOAD_RESULTS": str(results),
    }
    log = work / "locust.log"
    try:
        with log.open("wb") as output:
            subprocess.run(  # noqa: S603 - our own command
                command, env=environment, stdout=output, stderr=subprocess.STDOUT, check=False
            )
    finally:
        users.unlink()  # the sessions stay valid for a while: no copy of them left behind
    if not results.exists():
        sys.exit("locust wrote no answers:\n" + log.read_text()[-3000:])
    return [tuple(answer) for answer in json.loads(results.read_text())]  # type: ignore[misc]


# --- What is printed ----------------------------------------------------------------------------


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[18] if len(times) > 1 else times[0]


def answers_report(answers: list[tuple[str, float, bool]]) -> int:
    """Count, median, p95 and errors per page; the total of errors."""
    if not answers:
        print("errors: no answers at all")
        return 1
    names = sorted({name for name, _, _ in answers})
    print(f"{'page or API call':<24}{'count':>8}{'median ms':>11}{'p95 ms':>9}{'errors':>8}")
    for name in [*names, "all"]:
        times = [ms for n, ms, _ in answers if name in (n, "all")]
        errors = sum(1 for n, _, ok in answers if name in (n, "all") and not ok)
        median = statistics.median(times)
        print(f"{name:<24}{len(times):>8}{median:>11.1f}{p95(times):>9.1f}{errors:>8}")
    total = sum(1 for _, _, ok in answers if not ok)
    print(f"errors: {total} (target 0)")
    return total


def logged_parts() -> dict[str, list[tuple[str, str]]]:
    """Each page that reads a client's file, and the access-log rows one read of it writes, as
    subject and part (for their own case, the case page also shows who looked at it). Nothing
    else in the mix writes these rows."""
    from meldwijzer.audit.models import Subject
    from meldwijzer.cases.selectors import ACCESS_HISTORY_PART
    from meldwijzer.coordination.models import FileParts

    return {
        "case page": [(Subject.CASE, "dossier"), (Subject.CASE, ACCESS_HISTORY_PART)],
        "family file": [(Subject.COORDINATION_FILE, FileParts.TEAM)],
    }


def access_log_report(answers: list[tuple[str, float, bool]], since: datetime) -> bool:
    """The rows written since `since` for each part the file pages log, against their reads."""
    from django.db.models import Count

    from meldwijzer.audit.models import AccessLogEntry

    rows = {
        (row["subject_type"], row["part"]): row["rows"]
        for row in AccessLogEntry.objects.filter(occurred_at__gte=since, action="read")
        .values("subject_type", "part")
        .annotate(rows=Count("id"))
    }
    equal = True
    for page, parts in logged_parts().items():
        reads = sum(1 for name, _, ok in answers if name == page and ok)
        for subject, part in parts:
            logged = rows.get((str(subject), str(part)), 0)
            equal = equal and logged == reads
            sign = "=" if logged == reads else "≠"
            print(f"{page}: {reads} reads {sign} {logged} access-log rows '{subject}: {part}'")
    print("file reads = access-log rows" if equal else "file reads ≠ access-log rows")
    return equal


def worker_memory(master: int) -> dict[int, tuple[int, int]]:
    """RSS and its peak (VmHWM), kB, of each process the gunicorn master started."""
    memory = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue  # ended meanwhile
        if int(fields["PPid"]) == master:
            memory[int(status.parent.name)] = (
                int(fields["VmRSS"].split()[0]),
                int(fields["VmHWM"].split()[0]),
            )
    return memory


def memory_report(before: dict[int, tuple[int, int]], after: dict[int, tuple[int, int]]) -> None:
    """Per worker, MB: RSS and peak before the load, RSS and peak after it."""
    print("gunicorn worker memory, MB (RSS / peak VmHWM): before the load, after it")
    for pid in sorted(before.keys() | after.keys()):
        print(f"  worker {pid}: {_megabytes(before.get(pid))}, {_megabytes(after.get(pid))}")


def _megabytes(memory: tuple[int, int] | None) -> str:
    return "-" if memory is None else f"{memory[0] / 1024:.0f} / {memory[1] / 1024:.0f}"


if __name__ == "__main__":
    sys.exit(main())
