"""A national-scale Meldwijzer database, generated and kept, for load tests to run against.

Fills an empty database — PostgreSQL from `DATABASE_URL` (created when it does not exist), or
without it the SQLite file in `MELDWIJZER_DATA_DIR` — with synthetic data in the product's own
shape, and KEEPS it. It migrates first and refuses (exit code 2) a database that already holds
organisations, users or cases. Everything is made up: names, addresses, postcodes (the PC4 areas
and municipalities are CBS's), facts; never a real person.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/meldwijzer_national \\
      MELDWIJZER_DATA_DIR=/tmp/national-data PYTHONPATH=src \\
      .venv/bin/python benchmarks/national.py [--cases 1000000 --entries 4 --coordination 100000
      --followups 150000 --datalab 1300000 --services 50000 --users 100000 --organisations 8000]

What it makes (defaults):

- organisations of every sector (`organisations.Sector`) in every municipality: one of each in
  Noordoostpolder, a Veilig Thuis and a GGD per GGD region, a gemeente and a wijkteam per
  municipality, the rest (schools, childcare, GPs, youth care, ...) spread by inhabitants;
- professionals with memberships as the product models them: per organisation a functioneel
  beheerder and an aandachtsfunctionaris, casusregisseurs at Veilig Thuis, wijkteams and youth
  care, beleidsadviseurs at the gemeente, professionals with their beroepsgroep; one in fifty has
  a second role elsewhere (their home organisation is the first);
- cases in every step and state (stap 1–5, hulp, gemeld, afgesloten) with `--entries` entries
  each (signals, consultation, conversation, decision, report, notes, as the step asks), the
  people involved and every phase change; references `MW-<year>-<n>` with the year's counter
  raised, so cases opened in the app continue the numbering;
- coordination files (open and closed) with family, team (the casusregisseur and colleagues; a
  third also a member of another organisation on consent and an access grant), agreements,
  safety-plan revisions and contact notes;
- follow-up plans after closed cases (with the decision 'afsluiten met afspraken') and closed
  coordination files, on the schedules of `followups/schedules.yaml`: planned contacts, held ones
  with their safety status, overdue ones, ones due this week, ended plans with their decision,
  alerts for 'niet veilig';
- datalab records (as `benchmarks/datalab.py` makes them) for the datalab of Gemeente
  Noordoostpolder, and the sociale kaart (as `benchmarks/social_map_search.py` makes it) with the
  search index built.

PostgreSQL gets every table by COPY (the sociale kaart by bulk inserts), SQLite by bulk_create.
Progress, rows and seconds per table and in total are printed; then ANALYZE, the row counts and
the database's size, and a smoke check: one generated professional logs in with password and
code and opens their cases, one case, one coordination file and their follow-ups (all 200).

Interface for load tests (import this module after `django.setup()` for `pick_targets`):

- `PASSWORD`: every generated account's password (the demo's accounts use
  `accounts.demo.DEMO_PASSWORD`).
- `totp_key_hex(username)`: the TOTP secret of a generated account's authenticator (hex, as
  django-otp stores it); `totp_code(key_hex, at=None)` the six-digit code for a moment. A code is
  accepted once per device: log one user in again in the same 30 seconds with the next step's
  code (`at=time.time() + 30`), which the tolerance of one step accepts.
- `pick_targets(limit)`: from any populated database (this one, the demo's) up to `limit`
  `Target`s — username, password, TOTP key, the organisation they act for, and ids of their own
  cases, the coordination files they lead and the active follow-up plans they follow (their
  week page is `followups:week`). Each list may be empty for a given user; the users who lead
  open coordination files come first, then those who follow plans, then those with cases.

Keys: no generated value depends on the data directory's keys (identity keys are left empty),
but sessions (`MELDWIJZER_SECRET_KEY`) and the access log (`MELDWIJZER_AUDIT_KEY`, verification
against checkpoints) do: run the generator and every load test against the national database
with the same `MELDWIJZER_DATA_DIR` (for `meldwijzer_national`: `/tmp/national-data`).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This checkout's code and the other benchmarks' generators, whatever the venv installed.
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "Landelijk-meten-2026"  # noqa: S105 - the published password of generated accounts
TOTP_KEY_SALT = b"meldwijzer-national-totp:"
BATCH = 20_000
SEED = 2026

REFUSED = 2


def totp_key_hex(username: str) -> str:
    """The TOTP secret (20 bytes, hex) of a generated account's authenticator."""
    return hashlib.sha1(TOTP_KEY_SALT + username.encode()).hexdigest()  # noqa: S324 - a seed


def totp_code(key_hex: str, at: float | None = None) -> str:
    """The six-digit code of an authenticator with this secret at `at` (default: now)."""
    from django_otp.oath import TOTP

    code = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6, drift=0)
    if at is not None:
        code.time = at
    return f"{code.token():06d}"


# --- Command line ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=4, help="entries per case")
    parser.add_argument("--coordination", type=int, default=100_000, help="coordination files")
    parser.add_argument("--followups", type=int, default=150_000, help="follow-up plans")
    parser.add_argument("--datalab", type=int, default=1_300_000, help="datalab records")
    parser.add_argument("--services", type=int, default=50_000, help="sociale kaart services")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--organisations", type=int, default=8_000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "meldwijzer.conf.settings"
    database_create()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    refusal = database_refusal()
    if refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return REFUSED
    started = time.perf_counter()
    Generator(args, Writer(connection.vendor), random.Random(args.seed)).run()  # noqa: S311 - test data
    print(f"total: {time.perf_counter() - started:.1f} s", flush=True)
    report_sizes()
    smoke_check()
    return 0


def database_create() -> None:
    """Create the PostgreSQL database of `DATABASE_URL` when it does not exist yet."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import dj_database_url
    import psycopg
    from psycopg import sql

    settings = dj_database_url.parse(url)
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [settings["NAME"]]
        ).fetchone()
        if not found:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings["NAME"]))
            )
            print(f"created database {settings['NAME']}", flush=True)


def database_refusal() -> str:
    """Why this database may not be filled: it already holds organisations, users or cases."""
    from meldwijzer.accounts.models import User
    from meldwijzer.cases.models import Case
    from meldwijzer.organisations.models import Organisation

    for model in (Organisation, User, Case):
        if model.objects.exists():
            return (
                f"the database already holds {model._meta.verbose_name_plural}; the generator "
                "fills only an empty database (drop it or name another one)"
            )
    return ""


# --- Writing rows ----------------------------------------------------------------------------------


class Writer:
    """Writes generated rows into one model's table: COPY on PostgreSQL, bulk_create on SQLite.

    A row is a tuple in the order of the given field names (attnames: `case_id`); every other
    concrete field gets its model default. Seconds and rows are kept per table."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self.seconds: dict[str, float] = {}
        self.rows: dict[str, int] = {}

    def write(self, model: Any, fields: Sequence[str], rows: Iterable[tuple]) -> None:
        rows = list(rows)
        table = model._meta.db_table
        start = time.perf_counter()
        if self.vendor == "postgresql":
            self._copy(model, fields, rows)
        else:
            model.objects.bulk_create(
                (model(**dict(zip(fields, row, strict=True))) for row in rows), batch_size=2000
            )
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - start
        self.rows[table] = self.rows.get(table, 0) + len(rows)

    def _copy(self, model: Any, fields: Sequence[str], rows: list[tuple]) -> None:
        from django.db import connection
        from django.db.models import JSONField

        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for name, f in by_attname.items() if name not in fields and not f.primary_key]
        columns = [by_attname[name].column for name in fields] + [f.column for f in rest]
        defaults = tuple(
            _json(f.get_default()) if isinstance(f, JSONField) else f.get_default() for f in rest
        )
        json_at = [i for i, name in enumerate(fields) if isinstance(by_attname[name], JSONField)]
        statement = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                if json_at:
                    values = list(row)
                    for i in json_at:
                        values[i] = _json(values[i])
                    row = tuple(values)
                copy.write_row(row + defaults)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def foreign_keys_drop() -> list[tuple[str, str, str]]:
    """Drop every foreign key of the (empty) database for the load and return them (table, name,
    definition); PostgreSQL only. Django makes them DEFERRABLE INITIALLY DEFERRED, so each
    loaded row would queue a check until the commit — for millions of rows that commit takes
    longer than the load. `foreign_keys_add` puts them back and checks every row at once."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conparentid = 0 AND connamespace = 'public'::regnamespace"
            " ORDER BY 1, 2"
        )
        found = cursor.fetchall()
        for table, name, _ in found:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    return found


def foreign_keys_add(found: list[tuple[str, str, str]]) -> None:
    """Put the foreign keys back; adding one checks every row of its table in one query."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table, name, definition in found:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")


def sequences_reset() -> None:
    """Set every table's id sequence past the generated ids (PostgreSQL; SQLite needs none)."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# --- Synthetic people ------------------------------------------------------------------------------

FIRST_NAMES = [
    "Anna", "Bram", "Daan", "Emma", "Fenna", "Gijs", "Hanna", "Isa", "Jesse", "Julia", "Lars",
    "Lotte", "Milan", "Noa", "Olivier", "Puck", "Ruben", "Sara", "Thijs", "Yara", "Zoë", "Ahmed",
    "Amira", "Mehmet", "Elif", "Kofi", "Priya", "Wiktor", "Ioana", "Sem", "Mila", "Finn", "Liv",
]  # fmt: skip
LAST_NAMES = [
    "Verzonnen", "Proefmans", "Denkbeeld", "Testerink", "Voorbeeld", "Fictief", "Oefenaar",
    "Naamloos", "Bedacht", "Gemaakt", "Schijnveld", "Ontwerpen", "Probeersma", "Modelman",
]  # fmt: skip
STREETS = ["Verzonnenlaan", "Proefstraat", "Oefenweg", "Denkbeeldhof", "Voorbeeldkade"]


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


# --- The generator ---------------------------------------------------------------------------------

SECTOR_WEIGHTS = {
    "onderwijs": 30, "kinderopvang": 14, "huisartsenpraktijk": 16, "gezondheidszorg": 10,
    "jeugdhulp": 10, "wijkteam": 5, "ggd_jgz": 3, "politie_justitie": 3, "overig": 5,
}  # fmt: skip
SECTOR_NAMES = {
    "onderwijs": "Basisschool", "kinderopvang": "Kinderopvang", "gezondheidszorg": "Zorggroep",
    "huisartsenpraktijk": "Huisartsenpraktijk", "jeugdhulp": "Jeugdhulp",
    "wijkteam": "Sociaal Wijkteam", "ggd_jgz": "GGD", "politie_justitie": "Politie",
    "veilig_thuis": "Veilig Thuis", "gemeente": "Gemeente", "overig": "Stichting",
}  # fmt: skip
SECTOR_PROFESSIONS = {
    "gezondheidszorg": "verpleging_verzorging", "ggd_jgz": "artsen",
    "politie_justitie": "algemeen", "veilig_thuis": "sociaal_werk_jeugd", "overig": "algemeen",
}  # fmt: skip
# The afwegingskader of a case, by its organisation's sector (else sociaal werk en jeugd).
CASE_PROFESSIONS = {
    **SECTOR_PROFESSIONS, "onderwijs": "onderwijs", "kinderopvang": "kinderopvang",
    "huisartsenpraktijk": "artsen",
}  # fmt: skip
COORDINATING = ("veilig_thuis", "wijkteam", "jeugdhulp")
# The phase a case ends in, and its share of the cases.
PHASES = [
    ("stap_1", 15), ("stap_2", 10), ("stap_3", 9), ("stap_4", 8), ("stap_5", 5), ("hulp", 12),
    ("gemeld", 11), ("afgesloten", 30),
]  # fmt: skip
STEPS = ["stap_1", "stap_2", "stap_3", "stap_4", "stap_5"]
YEARS_OF_CASES = 3


@dataclass
class Org:
    id: int
    sector: str
    municipality_id: int
    region: str
    workers: list[int] = field(default_factory=list)  # may work on cases
    coordinators: list[int] = field(default_factory=list)


@dataclass
class ClosedCase:
    id: int
    organisation_id: int
    responsible_id: int
    pseudonym: str
    closed_at: datetime.datetime


@dataclass
class ClosedFile:
    id: int
    organisation_id: int
    coordinator_id: int
    members: list[int]
    pseudonym: str
    closed_at: datetime.datetime


class Generator:
    def __init__(self, args: argparse.Namespace, writer: Writer, rng: random.Random) -> None:
        from django.utils import timezone

        self.args = args
        self.writer = writer
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.orgs: list[Org] = []
        self.usernames: dict[int, str] = {}
        self.closed_cases: list[ClosedCase] = []
        self.closed_files: list[ClosedFile] = []

    def run(self) -> None:
        from django.db import transaction

        foreign_keys = foreign_keys_drop()
        for name, step in (
            ("organisations", self.organisations),
            ("users", self.users),
            ("cases", self.cases),
            ("coordination files", self.coordination),
            ("follow-up plans", self.followups),
            ("datalab records", self.datalab),
            ("sociale kaart", self.social_map),
        ):
            start = time.perf_counter()
            before = dict(self.writer.seconds)
            with transaction.atomic():
                step()
            print(f"{name}: {time.perf_counter() - start:.1f} s", flush=True)
            for table, seconds in self.writer.seconds.items():
                if seconds != before.get(table):
                    print(
                        f"  {table:<40}{self.writer.rows[table]:>12,} rows"
                        f"{seconds - before.get(table, 0.0):>9.1f} s writing",
                        flush=True,
                    )
        start = time.perf_counter()
        sequences_reset()
        print(f"sequences reset: {time.perf_counter() - start:.1f} s", flush=True)
        start = time.perf_counter()
        foreign_keys_add(foreign_keys)
        print(
            f"foreign keys added and checked: {len(foreign_keys)} in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )

    def moment(self, years: float) -> datetime.datetime:
        """A random moment in the last `years` years."""
        return self.now - datetime.timedelta(seconds=self.rng.random() * years * 365 * 86400)

    # --- Organisations and people ----------------------------------------------------------------

    def organisations(self) -> None:
        from meldwijzer.organisations.models import Municipality, Organisation
        from meldwijzer.organisations.reference import postcode_areas

        municipalities = list(Municipality.objects.order_by("name").values("id", "name", "region"))
        home = next(m for m in municipalities if m["name"] == "Noordoostpolder")
        areas: dict[str, list[Any]] = {}
        for area in postcode_areas().values():
            areas.setdefault(area.municipality, []).append(area)
        inhabitants = [
            sum(a.inhabitants for a in areas.get(m["name"], [])) + 1 for m in municipalities
        ]
        regions: dict[str, list[dict]] = {}
        for m in municipalities:
            regions.setdefault(m["region"], []).append(m)
        plan: list[tuple[str, dict]] = [(sector, home) for sector in SECTOR_NAMES]
        for members in regions.values():
            plan += [("veilig_thuis", members[0]), ("ggd_jgz", members[0])]
        for m in municipalities:
            plan += [("gemeente", m), ("wijkteam", m)]
        sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
        people = list(accumulate(inhabitants))
        while len(plan) < self.args.organisations:
            municipality = self.rng.choices(municipalities, cum_weights=people)[0]
            plan.append((self.rng.choices(sectors, weights)[0], municipality))
        plan = plan[: self.args.organisations]
        rows, works_in = [], []
        for number, (sector, municipality) in enumerate(plan, start=1):
            places = areas.get(municipality["name"]) or [None]
            area = self.rng.choice(places)
            place = area.place if area else municipality["name"]
            name = f"{SECTOR_NAMES[sector]} {place} {number}"
            rows.append(
                (
                    number,
                    name,
                    sector,
                    municipality["id"],
                    area.postcode if area else "",
                    place,
                    True,
                    self.now,
                )
            )
            served = (
                regions[municipality["region"]]
                if sector in ("veilig_thuis", "ggd_jgz")
                else [municipality]
            )
            works_in += [(number, m["id"]) for m in served]
            self.orgs.append(Org(number, sector, municipality["id"], municipality["region"]))
        self.writer.write(
            Organisation,
            [
                "id",
                "name",
                "sector",
                "municipality_id",
                "postcode",
                "place",
                "is_active",
                "created_at",
            ],
            rows,
        )
        through = Organisation.works_in.through
        self.writer.write(through, ["organisation_id", "municipality_id"], works_in)

    def users(self) -> None:
        from django.contrib.auth.hashers import make_password
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from meldwijzer.accounts.models import User
        from meldwijzer.organisations.models import SECTOR_PROFESSION, Membership

        password = make_password(PASSWORD)  # one hash for all: hashing 100,000 takes hours
        users, devices, memberships = [], [], []
        seen: dict[int, int] = {}  # members so far per organisation
        membership_id = 0
        sizes = list(accumulate(self._size(org) for org in self.orgs))
        for user_id in range(1, self.args.users + 1):
            org = (
                self.orgs[(user_id - 1) % len(self.orgs)]
                if user_id <= len(self.orgs)
                else (self.rng.choices(self.orgs, cum_weights=sizes)[0])
            )
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            username = f"prof{user_id:06d}"
            self.usernames[user_id] = username
            joined = self.moment(5)
            users.append(
                (
                    user_id,
                    password,
                    username,
                    first,
                    last,
                    f"{username}@landelijk.meldwijzer.invalid",
                    joined,
                )
            )
            devices.append(
                (user_id, user_id, "Authenticator", True, totp_key_hex(username), joined)
            )
            rank = seen.get(org.id, 0)
            seen[org.id] = rank + 1
            profession = SECTOR_PROFESSION.get(org.sector) or SECTOR_PROFESSIONS.get(org.sector, "")
            for role in self._roles(org, rank):
                membership_id += 1
                memberships.append((membership_id, user_id, org.id, role, profession, joined))
                works = role in ("professional", "meldcode_officer", "case_coordinator")
                if works and user_id not in org.workers:
                    org.workers.append(user_id)
                if role == "case_coordinator":
                    org.coordinators.append(user_id)
            if self.rng.random() < 0.02:  # a second role elsewhere, e.g. a GP who also teaches
                other = self.rng.choice(self.orgs)
                if other.id != org.id:
                    membership_id += 1
                    memberships.append(
                        (
                            membership_id,
                            user_id,
                            other.id,
                            "professional",
                            profession,
                            joined + datetime.timedelta(days=1),
                        )
                    )
        self.writer.write(
            User,
            ["id", "password", "username", "first_name", "last_name", "email", "date_joined"],
            users,
        )
        self.writer.write(
            TOTPDevice, ["id", "user_id", "name", "confirmed", "key", "created_at"], devices
        )
        self.writer.write(
            Membership,
            ["id", "user_id", "organisation_id", "role", "profession", "created_at"],
            memberships,
        )

    @staticmethod
    def _size(org: Org) -> int:
        return {
            "veilig_thuis": 60,
            "wijkteam": 25,
            "jeugdhulp": 20,
            "ggd_jgz": 30,
            "gemeente": 6,
            "gezondheidszorg": 25,
        }.get(org.sector, 10)

    @staticmethod
    def _roles(org: Org, rank: int) -> list[str]:
        """The roles of an organisation's `rank`-th member."""
        if rank == 1:
            return ["functional_admin"]
        if org.sector == "gemeente":
            return ["policy_adviser"] if rank % 3 else ["professional"]
        if rank == 2:
            return ["meldcode_officer"]
        if org.sector in COORDINATING and rank % 3 == 0:
            return ["case_coordinator", "professional"]
        return ["professional"]

    # --- Cases -----------------------------------------------------------------------------------

    def cases(self) -> None:
        from meldwijzer.cases.models import Case, Entry, Person, PhaseChange, ReferenceCounter

        workers = [org for org in self.orgs if org.workers]
        weights = list(accumulate(len(org.workers) for org in workers))
        phases, shares = [p for p, _ in PHASES], [s for _, s in PHASES]
        span = datetime.timedelta(days=365 * YEARS_OF_CASES)
        first = self.now - span
        counters: dict[int, int] = {}
        total = self.args.cases
        for start in range(1, total + 1, BATCH):
            batch: dict[str, list[tuple]] = {"case": [], "person": [], "entry": [], "phase": []}
            for case_id in range(start, min(start + BATCH, total + 1)):
                opened = first + span * ((case_id - 0.5) / total)  # in order of id, for numbers
                counters[opened.year] = counters.get(opened.year, 0) + 1
                reference = f"MW-{opened.year}-{counters[opened.year]:05d}"
                org = self.rng.choices(workers, cum_weights=weights)[0]
                phase = self.rng.choices(phases, shares)[0]
                self._case(batch, case_id, reference, org, phase, opened)
            self.writer.write(Case, CASE_FIELDS, batch["case"])
            self.writer.write(Person, PERSON_FIELDS, batch["person"])
            self.writer.write(PhaseChange, PHASE_FIELDS, batch["phase"])
            self.writer.write(Entry, ENTRY_FIELDS, batch["entry"])
            print(f"  cases: {min(start + BATCH - 1, total):,} of {total:,}", flush=True)
        self.writer.write(ReferenceCounter, ["year", "last"], sorted(counters.items()))

    def _case(
        self,
        batch: dict[str, list[tuple]],
        case_id: int,
        reference: str,
        org: Org,
        phase: str,
        opened: datetime.datetime,
    ) -> None:
        rng = self.rng
        author = rng.choice(org.workers)
        moves = self._moves(phase)
        times = sorted(opened + (self.now - opened) * rng.random() ** 2 for _ in moves[1:])
        times = [opened, *times]
        outcome, review, closed = "", None, None
        if phase == "hulp":
            outcome = "help"
            review = (times[-1] + datetime.timedelta(days=rng.randint(14, 120))).date()
        elif phase == "gemeld":
            outcome = rng.choice(["report", "report_and_help"])
        elif phase == "afgesloten":
            outcome = "close_followup" if rng.random() < 0.5 else "close"
            outcome = "report" if "gemeld" in moves else outcome
            closed = times[-1]
        pseudonym = f"cl-{case_id:08x}{rng.getrandbits(48):012x}"
        client = "volwassene" if rng.random() < 0.15 else "kind"
        entries = self._entries(moves, times, outcome, review)
        profession = CASE_PROFESSIONS.get(org.sector, "sociaal_werk_jeugd")
        batch["case"].append(
            (
                case_id,
                reference,
                f"Zorgen {reference}",
                org.id,
                author,
                profession,
                client,
                phase,
                times[-1],
                outcome,
                review,
                pseudonym,
                1 + len(entries),
                opened,
                closed,
                times[-1],
            )
        )
        for source, target, at in zip(["", *moves[:-1]], moves, times, strict=True):
            batch["phase"].append((case_id, source, target, _reason(source, target), author, at))
        for kind, entry_phase, data, at in entries:
            batch["entry"].append((case_id, kind, entry_phase, data, author, org.id, at))
        self._persons(batch, case_id, client, author, opened)
        if closed is not None and outcome == "close_followup":  # only this decision is followed
            self.closed_cases.append(ClosedCase(case_id, org.id, author, pseudonym, closed))

    def _moves(self, phase: str) -> list[str]:
        """The phases a case went through to reach `phase`, in order."""
        if phase in STEPS:
            return STEPS[: STEPS.index(phase) + 1]
        if phase == "gemeld" and self.rng.random() < 0.1:  # direct melden at acute danger
            return ["stap_1", "gemeld"]
        if phase == "afgesloten" and self.rng.random() < 0.2:
            return [*STEPS, "gemeld", "afgesloten"]
        return [*STEPS, phase]

    def _entries(
        self,
        moves: list[str],
        times: list[datetime.datetime],
        outcome: str,
        review: datetime.date | None,
    ) -> list[tuple]:
        """`--entries` entries: what each step reached asks first, then more signals and notes."""
        rng = self.rng
        at = dict(zip(moves, times, strict=True))
        wanted = [("signal", "stap_1")]
        if "stap_2" in at:
            wanted.append(("consultation", "stap_2"))
        if "stap_3" in at:
            wanted.append(("conversation", "stap_3"))
        if outcome and "stap_5" in at:
            wanted.append(("decision", "stap_5"))
        if "gemeld" in at:
            wanted.append(("report", "gemeld"))
        while len(wanted) < self.args.entries:
            wanted.append(
                (
                    rng.choice(["signal", "signal", "counter_signal", "note"]),
                    rng.choice(moves[:-1] or moves) if moves[-1] == "afgesloten" else moves[-1],
                )
            )
        wanted = wanted[: self.args.entries]
        found = []
        for kind, phase in wanted:
            moment = at.get(phase, times[-1]) + datetime.timedelta(minutes=rng.randint(1, 600))
            moment = min(moment, self.now)
            found.append(
                (kind, phase, entry_data(kind, rng, moment.date(), outcome, review), moment)
            )
        return sorted(found, key=lambda entry: entry[3])

    def _persons(
        self,
        batch: dict[str, list[tuple]],
        case_id: int,
        client: str,
        author: int,
        opened: datetime.datetime,
    ) -> None:
        rng = self.rng
        last = rng.choice(LAST_NAMES)
        street = f"{rng.choice(STREETS)} {rng.randint(1, 200)}"
        postcode = (
            f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
            f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
        )
        subject = "client" if client == "volwassene" else "child"
        age_years = rng.randint(20, 70) if subject == "client" else rng.randint(0, 17)
        born = opened.date() - datetime.timedelta(days=age_years * 365 + rng.randint(0, 364))
        people = [(subject, born, "", "")]
        for _ in range(rng.choice([0, 1, 1, 2])):
            people.append(("parent", None, rng.choice(["moeder", "vader"]), "ja"))
        for kind, born_on, relation, authority in people:
            batch["person"].append(
                (
                    case_id,
                    kind,
                    f"{rng.choice(FIRST_NAMES)} {last}",
                    born_on,
                    rng.choice("vmx") if kind != "parent" else rng.choice("vm"),
                    street,
                    postcode,
                    "Emmeloord",
                    relation,
                    authority,
                    author,
                    opened,
                )
            )

    # --- Coordination files ----------------------------------------------------------------------

    def coordination(self) -> None:
        from meldwijzer.coordination.models import (
            Agreement,
            ContactNote,
            CoordinationFile,
            FamilyMember,
            SafetyPlanRevision,
            TeamMember,
        )
        from meldwijzer.privacy.models import AccessGrant, SharingGround

        leads = [org for org in self.orgs if org.coordinators]
        if not leads:
            return
        weights = list(accumulate(len(org.coordinators) for org in leads))
        counters: dict[int, int] = {}
        total = self.args.coordination
        tables = [
            (CoordinationFile, FILE_FIELDS, "file"),
            (FamilyMember, FAMILY_FIELDS, "family"),
            (SharingGround, GROUND_FIELDS, "ground"),
            (AccessGrant, GRANT_FIELDS, "grant"),
            (TeamMember, TEAM_FIELDS, "team"),
            (Agreement, AGREEMENT_FIELDS, "agreement"),
            (SafetyPlanRevision, PLAN_FIELDS, "plan"),
            (ContactNote, NOTE_FIELDS, "note"),
        ]
        ids = {"ground": 0, "grant": 0}
        for start in range(1, total + 1, BATCH):
            batch: dict[str, list[tuple]] = {key: [] for _, _, key in tables}
            for file_id in range(start, min(start + BATCH, total + 1)):
                org = self.rng.choices(leads, cum_weights=weights)[0]
                opened = self.moment(2)
                counters[opened.year] = counters.get(opened.year, 0) + 1
                reference = f"RD-{opened.year}-{counters[opened.year]:04d}"
                self._file(batch, ids, file_id, reference, org, opened)
            for model, fields, key in tables:
                self.writer.write(model, fields, batch[key])
            print(
                f"  coordination files: {min(start + BATCH - 1, total):,} of {total:,}", flush=True
            )

    def _file(
        self,
        batch: dict[str, list[tuple]],
        ids: dict[str, int],
        file_id: int,
        reference: str,
        org: Org,
        opened: datetime.datetime,
    ) -> None:
        rng = self.rng
        coordinator = rng.choice(org.coordinators)
        closed = opened + (self.now - opened) * rng.random() if rng.random() < 0.3 else None
        updated = closed or opened + (self.now - opened) * rng.random()
        pseudonym = f"cl-{0x80000000 + file_id:08x}{rng.getrandbits(48):012x}"
        last = rng.choice(LAST_NAMES)
        next_contact = None if closed else self.today + datetime.timedelta(days=rng.randint(-5, 30))
        batch["file"].append(
            (
                file_id,
                reference,
                f"Gezin {last}, {rng.randint(1, 4)} kinderen",
                org.id,
                coordinator,
                "gesloten" if closed else "open",
                pseudonym,
                next_contact,
                1,
                coordinator,
                opened,
                closed,
                updated,
            )
        )
        for role, relation in [
            ("ouder", "moeder"),
            ("ouder", "vader"),
            *[("kind", "kind")] * rng.randint(1, 3),
        ]:
            batch["family"].append(
                (file_id, role, f"{rng.choice(FIRST_NAMES)} {last}", relation, opened)
            )
        colleagues = [u for u in org.workers if u != coordinator]
        members = [(coordinator, org.id, "Casusregisseur: houdt overzicht en belt bij zorgen.")]
        for user in rng.sample(colleagues, min(len(colleagues), rng.randint(0, 2))):
            members.append((user, org.id, "Gezinscoach: wekelijks huisbezoek."))
        for user, organisation, description in members:
            batch["team"].append(
                (
                    file_id,
                    user,
                    organisation,
                    description,
                    "actief",
                    None,
                    None,
                    [],
                    None,
                    coordinator,
                    opened,
                    opened,
                )
            )
        if rng.random() < 0.33:  # someone of another organisation, on consent and a grant
            other = rng.choice(self.orgs)
            user = rng.choice(other.workers) if other.workers else 0
            if user and other.id != org.id and user not in [m[0] for m in members]:
                ids["ground"] += 1
                ids["grant"] += 1
                until = (opened + datetime.timedelta(days=730)).date()
                batch["ground"].append(
                    (
                        ids["ground"],
                        pseudonym,
                        org.id,
                        "toestemming",
                        "Het regiedossier",
                        "De professional van de school",
                        "Samen de veiligheid volgen",
                        "beide ouders",
                        until,
                        coordinator,
                        opened,
                    )
                )
                batch["grant"].append(
                    (
                        ids["grant"],
                        user,
                        other.id,
                        "regiedossier",
                        file_id,
                        pseudonym,
                        ids["ground"],
                        [],
                        coordinator,
                        org.id,
                        opened,
                        opened + datetime.timedelta(days=730),
                    )
                )
                batch["team"].append(
                    (
                        file_id,
                        user,
                        other.id,
                        "Mentor op school: let op signalen in de klas.",
                        "actief",
                        ids["grant"],
                        ids["ground"],
                        [],
                        until,
                        coordinator,
                        opened,
                        opened,
                    )
                )
                members.append((user, other.id, ""))
        for number in range(rng.randint(1, 3)):
            owner = rng.choice(members)[0]
            due = (opened + datetime.timedelta(days=rng.randint(7, 120))).date()
            state = (
                "open"
                if closed is None and due >= self.today
                else rng.choice(["gedaan", "gedaan", "niet_gedaan"])
            )
            batch["agreement"].append(
                (
                    file_id,
                    f"Afspraak {number + 1}: wekelijks contact over de rust in huis",
                    "professional",
                    owner,
                    "",
                    due,
                    state,
                    number == 0,
                    coordinator,
                    opened,
                    opened,
                )
            )
        for number in range(1, rng.randint(1, 2) + 1):
            at = opened + datetime.timedelta(days=14 * (number - 1))
            batch["plan"].append(
                (
                    file_id,
                    number,
                    safety_plan(last),
                    (at + datetime.timedelta(days=90)).date(),
                    "" if number == 1 else "Doelen bijgesteld na het evaluatiegesprek.",
                    coordinator,
                    org.id,
                    at,
                )
            )
        for _ in range(rng.randint(1, 4)):
            author, organisation, _ = rng.choice(members)
            at = opened + (updated - opened) * rng.random()
            unsafe = rng.random() < 0.05
            batch["note"].append(
                (
                    file_id,
                    at.date(),
                    "moeder en de kinderen",
                    "Huisbezoek. Het is rustiger; de afspraken over de avonden lopen.",
                    rng.choice(["ja", "ja", "deels", "nee"]),
                    "Vader slaapt weer thuis." if unsafe else "",
                    "onveilig" if unsafe else "veilig",
                    author,
                    organisation,
                    at,
                )
            )
        if closed is not None:
            self.closed_files.append(
                ClosedFile(
                    file_id,
                    org.id,
                    coordinator,
                    [m[0] for m in members if m[1] == org.id],
                    pseudonym,
                    closed,
                )
            )

    # --- Follow-up plans -------------------------------------------------------------------------

    def followups(self) -> None:
        from meldwijzer.followups.models import (
            Alert,
            FollowupContact,
            FollowupPlan,
            PlanDecision,
            PlannedContact,
        )

        rng = self.rng
        total = self.args.followups
        from_files = min(len(self.closed_files), total // 5)
        from_cases = min(len(self.closed_cases), total - from_files)
        sources = [("regiedossier", f) for f in rng.sample(self.closed_files, from_files)] + [
            ("casus", c) for c in rng.sample(self.closed_cases, from_cases)
        ]
        self.closed_cases, self.closed_files = [], []  # no longer needed
        tables = [
            (FollowupPlan, FOLLOWUP_FIELDS, "plan"),
            (PlannedContact, PLANNED_FIELDS, "planned"),
            (FollowupContact, CONTACT_FIELDS, "contact"),
            (PlanDecision, DECISION_FIELDS, "decision"),
            (Alert, ALERT_FIELDS, "alert"),
        ]
        ids = {"planned": 0, "contact": 0, "decision": 0}
        counters: dict[int, int] = {}
        for start in range(0, len(sources), BATCH):
            batch: dict[str, list[tuple]] = {key: [] for _, _, key in tables}
            for index in range(start, min(start + BATCH, len(sources))):
                kind, source = sources[index]
                year = source.closed_at.year
                counters[year] = counters.get(year, 0) + 1
                self._plan(batch, ids, index + 1, f"NZ-{year}-{counters[year]:04d}", kind, source)
            for model, fields, key in tables:
                self.writer.write(model, fields, batch[key])
            print(
                f"  follow-up plans: {min(start + BATCH, len(sources)):,} of {len(sources):,}",
                flush=True,
            )

    def _plan(
        self,
        batch: dict[str, list[tuple]],
        ids: dict[str, int],
        plan_id: int,
        reference: str,
        kind: str,
        source: ClosedCase | ClosedFile,
    ) -> None:
        from meldwijzer.followups import schedules

        rng = self.rng
        schedule = schedules.schedules().get(
            rng.choice(["standaard_18", "standaard_18", "intensief_18", "licht_12"])
        )
        if isinstance(source, ClosedFile):
            owner, coordinator = source.coordinator_id, source.coordinator_id
            follower = rng.choice(source.members or [owner])
            case_id, file_id = None, source.id
        else:
            owner, coordinator, follower = source.responsible_id, None, source.responsible_id
            case_id, file_id = source.id, None
        starts = source.closed_at.date()
        ends = schedules.months_after(starts, schedule.months)
        ended = ends < self.today
        ended_at = _at(ends) if ended else None
        batch["plan"].append(
            (
                plan_id,
                reference,
                kind,
                case_id,
                file_id,
                source.pseudonym,
                owner,
                source.organisation_id,
                follower,
                source.organisation_id,
                coordinator,
                schedule.key,
                "Contact met moeder op de afgesproken momenten; school let op signalen.",
                starts,
                ends,
                "beeindigd" if ended else "lopend",
                ended_at,
                source.closed_at,
                ended_at or source.closed_at,
            )
        )
        for planned in schedules.plan_dates(schedule, starts_on=starts, ends_on=ends):
            ids["planned"] += 1
            batch["planned"].append(
                (
                    ids["planned"],
                    plan_id,
                    planned.number,
                    planned.level,
                    planned.due_on,
                    planned.due_on,
                )
            )
            if planned.due_on >= self.today or rng.random() < (0.03 if ended else 0.12):
                continue  # still to come, or overdue
            ids["contact"] += 1
            held = min(planned.due_on + datetime.timedelta(days=rng.randint(-3, 5)), self.today)
            safety = rng.choices(["veilig", "zorgen", "onveilig"], [85, 12, 3])[0]
            batch["contact"].append(
                (
                    ids["contact"],
                    plan_id,
                    ids["planned"],
                    held,
                    rng.choice(["huisbezoek", "telefoon", "spreekuur"]),
                    "Moeder vertelt dat het rustig is; de kinderen gaan goed naar school.",
                    safety,
                    "De afspraken van het veiligheidsplan worden nagekomen."
                    if safety == "veilig"
                    else "Er was weer ruzie; eerder opnieuw contact.",
                    follower,
                    source.organisation_id,
                    _at(held),
                )
            )
            if safety == "onveilig":
                batch["alert"].append((plan_id, ids["contact"], coordinator or owner, _at(held)))
        if ended:
            ids["decision"] += 1
            batch["decision"].append(
                (
                    ids["decision"],
                    plan_id,
                    "afgerond",
                    "De afspraken werken al een jaar; de veiligheid is duurzaam.",
                    follower,
                    source.organisation_id,
                    ended_at,
                )
            )

    # --- Datalab and sociale kaart ---------------------------------------------------------------

    def datalab(self) -> None:
        from benchmarks import datalab as datalab_benchmark
        from meldwijzer.datalab.models import (
            Import,
            ImportState,
            Record,
            RecordForm,
            RecordPerson,
            Source,
            SourceKind,
        )
        from meldwijzer.organisations.models import Organisation

        if not self.args.datalab:
            return
        organisation = Organisation.objects.filter(sector="gemeente").order_by("pk").first()
        assert organisation is not None
        source = Source.objects.create(
            datalab=organisation, name="Veilig Thuis", kind=SourceKind.VEILIG_THUIS
        )
        imported = Import.objects.create(
            source=source,
            filename="meldingen.csv",
            file_format="csv",
            sha256="0" * 64,
            state=ImportState.DONE,
            rows_total=self.args.datalab,
            rows_done=self.args.datalab,
            records_added=self.args.datalab,
            finished_at=self.now,
        )
        generated = datalab_benchmark.rows(
            self.args.datalab, organisation.pk, source.pk, imported.pk
        )
        record_fields = list(datalab_benchmark.RECORD_COLUMNS)  # attnames, as columns
        done = 0
        while True:
            records: list[tuple] = []
            forms: list[tuple] = []
            persons: list[tuple] = []
            for record, record_forms, record_persons in generated:
                records.append(record)
                forms += record_forms
                persons += record_persons
                if len(records) == BATCH * 2:
                    break
            if not records:
                break
            self.writer.write(Record, record_fields, records)
            self.writer.write(RecordForm, ["id", "record_id", "form"], forms)
            self.writer.write(RecordPerson, list(datalab_benchmark.PERSON_COLUMNS), persons)
            done += len(records)
            print(f"  datalab records: {done:,} of {self.args.datalab:,}", flush=True)

    def social_map(self) -> None:
        from benchmarks import social_map_search
        from meldwijzer.social_map.services import search_index_rebuild

        if not self.args.services:
            return
        start = time.perf_counter()
        social_map_search.generate(self.args.services, self.rng)
        print(f"  services and their locations: {time.perf_counter() - start:.1f} s", flush=True)
        start = time.perf_counter()
        indexed = search_index_rebuild()
        print(
            f"  search index: {indexed:,} services, {time.perf_counter() - start:.1f} s", flush=True
        )


def _at(day: datetime.date) -> datetime.datetime:
    """Noon on `day`, in the current time zone."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _reason(source: str, target: str) -> str:
    if not source:
        return "Casus geopend"
    if target in ("hulp", "afgesloten") or (target == "gemeld" and source == "stap_5"):
        return "Besluit"
    if target == "gemeld":
        return "Direct melden: acuut gevaar"
    if source == "gemeld":
        return "De school is niet meer betrokken; Veilig Thuis heeft het overgenomen."
    return ""


CASE_FIELDS = [
    "id", "reference", "title", "organisation_id", "responsible_id", "profession", "client",
    "phase", "phase_entered_at", "outcome", "review_date", "client_pseudonym", "version",
    "opened_at", "closed_at", "updated_at",
]  # fmt: skip
PERSON_FIELDS = [
    "case_id", "kind", "name", "date_of_birth", "gender", "street_address", "postcode", "place",
    "relation", "authority", "author_id", "created_at",
]  # fmt: skip
PHASE_FIELDS = ["case_id", "source", "target", "reason", "author_id", "created_at"]
ENTRY_FIELDS = ["case_id", "kind", "phase", "data", "author_id", "organisation_id", "created_at"]
FILE_FIELDS = [
    "id", "reference", "title", "lead_organisation_id", "coordinator_id", "state",
    "client_pseudonym", "next_contact", "version", "opened_by_id", "opened_at", "closed_at",
    "updated_at",
]  # fmt: skip
FAMILY_FIELDS = ["file_id", "role", "name", "relation", "added_at"]
GROUND_FIELDS = [
    "id", "client_pseudonym", "organisation_id", "kind", "what", "with_whom", "purpose",
    "given_by", "valid_until", "recorded_by_id", "recorded_at",
]  # fmt: skip
GRANT_FIELDS = [
    "id", "user_id", "organisation_id", "resource_kind", "resource_id", "client_pseudonym",
    "ground_id", "parts", "granted_by_id", "granted_by_organisation_id", "starts_at", "ends_at",
]  # fmt: skip
TEAM_FIELDS = [
    "file_id", "user_id", "organisation_id", "role_description", "state", "grant_id",
    "ground_id", "parts", "until", "invited_by_id", "invited_at", "answered_at",
]  # fmt: skip
AGREEMENT_FIELDS = [
    "file_id", "what", "party", "owner_id", "owner_name", "due_date", "state", "in_safety_plan",
    "created_by_id", "created_at", "updated_at",
]  # fmt: skip
PLAN_FIELDS = [
    "file_id", "number", "content", "review_date", "change_note", "author_id", "organisation_id",
    "created_at",
]  # fmt: skip
NOTE_FIELDS = [
    "file_id", "contact_date", "with_whom", "summary", "plan_kept", "new_worries", "safety",
    "author_id", "organisation_id", "created_at",
]  # fmt: skip
FOLLOWUP_FIELDS = [
    "id", "reference", "source_kind", "case_id", "file_id", "client_pseudonym", "owner_id",
    "owner_organisation_id", "follower_id", "follower_organisation_id", "coordinator_id",
    "schedule", "how", "starts_on", "ends_on", "state", "ended_at", "created_at", "updated_at",
]  # fmt: skip
PLANNED_FIELDS = ["id", "plan_id", "number", "level", "due_on", "scheduled_on"]
CONTACT_FIELDS = [
    "id", "plan_id", "planned_id", "held_on", "mode", "summary", "safety", "safety_note",
    "recorded_by_id", "recorded_organisation_id", "recorded_at",
]  # fmt: skip
DECISION_FIELDS = [
    "id", "plan_id", "kind", "note", "decided_by_id", "decided_organisation_id", "decided_at",
]  # fmt: skip
ALERT_FIELDS = ["plan_id", "contact_id", "to_user_id", "created_at"]

SIGNAL_FACTS = [
    "Blauwe plekken op beide bovenarmen gezien, in de vorm van vingers.",
    "Komt al een week zonder ontbijt en in dezelfde kleren naar school.",
    "Vertelde in de kring dat papa en mama hard schreeuwen en dat er iets kapot ging.",
    "Schrikt op bij harde geluiden en wil na schooltijd niet naar huis.",
    "Moeder vertelde op het spreekuur dat haar partner haar telefoon controleert.",
]


def entry_data(
    kind: str, rng: random.Random, day: datetime.date, outcome: str, review: datetime.date | None
) -> dict[str, Any]:
    """An entry's fields as the forms of `cases.entries` record them."""
    date = day.isoformat()
    if kind == "signal":
        return {
            "date": date,
            "category": rng.choice(["lichamelijk", "emotioneel", "verwaarlozing", "getuige"]),
            "source": rng.choice(["eigen", "collega", "kind"]),
            "source_name": "",
            "source_confidential": False,
            "facts": rng.choice(SIGNAL_FACTS),
            "interpretation": "",
            "interpretation_of": "",
            "interpretation_by": "",
            "interpretation_by_confidential": False,
        }
    if kind == "counter_signal":
        return {
            "date": date,
            "source": "collega",
            "facts": "Komt verzorgd op school en speelt vrolijk met anderen.",
        }
    if kind == "consultation":
        return {
            "date": date,
            "consulted": "aandachtsfunctionaris",
            "consulted_name": "",
            "anonymous": False,
            "advice": "Bespreek wat u zag met beide ouders, zonder oordeel.",
        }
    if kind == "conversation":
        return {
            "date": date,
            "participants": "Moeder, mentor",
            "said": "De signalen besproken.",
            "reaction": "Moeder herkent de spanningen thuis en staat open voor hulp.",
            "agreements": "Over drie weken een nieuw gesprek.",
            "reflection": ["luisteren", "transparant"],
        }
    if kind == "decision":
        return {
            "outcome": outcome,
            "indicated": "report" if "report" in outcome else outcome,
            "follows_framework": True,
            "justification": "De signalen samen en het gesprek.",
            "agreements": "Hulp via het wijkteam; evaluatie met de ouders.",
            "review_date": review.isoformat() if review else None,
            "unidentified_reason": "",
        }
    if kind == "report":
        return {
            "date": date,
            "time": "10:40",
            "channel": "telefoon",
            "veilig_thuis": "Veilig Thuis",
            "contact": "dienstdoende medewerker",
            "vt_reference": "",
            "informed": "ja",
            "not_informed_reason": "",
            "not_informed_explanation": "",
            "reporter_unknown": False,
        }
    return {"text": "Kort overleg met de intern begeleider; we blijven het volgen."}


def safety_plan(last_name: str) -> dict[str, Any]:
    """A safety plan in the structure of `coordination.safety_plan`."""
    return {
        "worries": {
            "happened": "Er is thuis vaak ruzie; een kind werd daar bang van.",
            "afraid_of": "Dat er weer geweld is waar de kinderen bij zijn.",
        },
        "goals": [
            {
                "behaviour": "Bij ruzie gaat vader naar buiten en belt hij oma.",
                "scores": [{"who": "moeder", "score": 4}, {"who": "vader", "score": 5}],
            }
        ],
        "child_view": "",
        "network": [
            {
                "name": f"Oma {last_name}",
                "relation": "oma",
                "phone": "06 0000 0000",
                "helps_with": "Vader kan bij haar terecht.",
            }
        ],
        "when_wrong": {
            "what_to_do": "Ga met de kinderen naar de buren; bel de casusregisseur.",
            "call": [{"name": "Veilig Thuis", "phone": "0800 2000", "when": "dag en nacht"}],
        },
    }


# --- What load tests use ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A user to log in as, with their own files to open."""

    username: str
    password: str
    totp_key_hex: str
    organisation_id: int
    case_ids: list[int]
    file_ids: list[int]
    plan_ids: list[int]


def pick_targets(limit: int = 100, per_user: int = 5) -> list[Target]:
    """Up to `limit` users of this database who can log in (password `PASSWORD` or the demo's, a
    confirmed authenticator), with up to `per_user` of their own cases, coordination files they
    lead and follow-up plans they follow. Coordinators first, then followers, then the rest."""
    from django.contrib.auth.hashers import check_password
    from django.db.models import Q
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from meldwijzer.accounts.demo import DEMO_PASSWORD
    from meldwijzer.accounts.models import User
    from meldwijzer.cases.models import Case
    from meldwijzer.coordination.models import CoordinationFile
    from meldwijzer.followups.models import FollowupPlan, PlanState
    from meldwijzer.organisations.selectors import actor_for_user

    candidates: list[int] = []
    for ids in (
        CoordinationFile.objects.filter(state="open").values_list("coordinator_id", flat=True),
        FollowupPlan.objects.filter(state=PlanState.ACTIVE).values_list("follower_id", flat=True),
        Case.objects.values_list("responsible_id", flat=True),
    ):
        for user_id in ids.order_by("pk")[: limit * 4]:
            if user_id not in candidates:
                candidates.append(user_id)
    users = User.objects.filter(pk__in=candidates, is_active=True).in_bulk()
    passwords: dict[str, str] = {}
    targets: list[Target] = []
    for user in (users[user_id] for user_id in candidates if user_id in users):
        if len(targets) == limit:
            break
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        actor = actor_for_user(user=user)
        if device is None or actor is None:
            continue
        if user.password not in passwords:
            passwords[user.password] = next(
                (p for p in (PASSWORD, DEMO_PASSWORD) if check_password(p, user.password)), ""
            )
        if not passwords[user.password]:
            continue
        org = actor.organisation
        cases = Case.objects.filter(responsible=user, organisation=org).order_by("-updated_at")
        files = CoordinationFile.objects.filter(coordinator=user, lead_organisation=org)
        plans = FollowupPlan.objects.filter(
            Q(follower=user, follower_organisation=org), state=PlanState.ACTIVE
        ).order_by("-pk")
        targets.append(
            Target(
                username=user.username,
                password=passwords[user.password],
                totp_key_hex=device.key,
                organisation_id=org.pk,
                case_ids=list(cases.values_list("pk", flat=True)[:per_user]),
                file_ids=list(files.order_by("-pk").values_list("pk", flat=True)[:per_user]),
                plan_ids=list(plans.values_list("pk", flat=True)[:per_user]),
            )
        )
    return targets


# --- After generating ------------------------------------------------------------------------------


def report_sizes() -> None:
    """ANALYZE, then the rows of every table that has any, and the database's size."""
    from django.db import connection

    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        print(f"ANALYZE: {time.perf_counter() - start:.1f} s", flush=True)
        tables = sorted(connection.introspection.table_names(cursor))
        print("rows per table:")
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            (count,) = cursor.fetchone()
            if count:
                print(f"  {table:<44}{count:>12,}")
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            print(f"database size: {cursor.fetchone()[0]}", flush=True)
        else:
            size = Path(connection.settings_dict["NAME"]).stat().st_size
            print(f"database size: {size / 2**20:.1f} MB", flush=True)


def smoke_check() -> None:
    """One generated professional logs in with password and code and opens their pages."""
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    targets = [t for t in pick_targets(20) if t.case_ids and t.file_ids and t.plan_ids]
    target = targets[0] if targets else pick_targets(1)[0]
    client = Client()
    client.post(
        reverse("accounts:login"), {"username": target.username, "password": target.password}
    )
    response = client.post(reverse("accounts:mfa"), {"token": totp_code(target.totp_key_hex)})
    assert response.status_code == 302, f"login with the code: {response.status_code}"
    pages = [("my cases", reverse("cases:list"))]
    if target.case_ids:
        pages.append(("a case", reverse("cases:detail", args=[target.case_ids[0]])))
    if target.file_ids:
        pages.append(
            ("a coordination file", reverse("coordination:detail", args=[target.file_ids[0]]))
        )
    pages.append(("follow-ups this week", reverse("followups:week")))
    if target.plan_ids:
        pages.append(("a follow-up plan", reverse("followups:plan", args=[target.plan_ids[0]])))
    print(f"smoke check as {target.username}:")
    for name, url in pages:
        start = time.perf_counter()
        status = client.get(url).status_code
        print(f"  {name:<24}{url:<36}{status}  {(time.perf_counter() - start) * 1000:.0f} ms")
        assert status == 200, f"{url}: {status}"
    print("smoke check: all 200", flush=True)


if __name__ == "__main__":
    sys.exit(main())
