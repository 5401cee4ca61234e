"""A thousand acknowledged writes and a SIGKILL: the real server (gunicorn, as `meldwijzer serve`
runs it) takes a stream of signals added to one case through the API, is killed with SIGKILL —
master and workers — after a random 300 to 700 acknowledgements, and started again. Prints the
writes per second before the kill, how long the restart took, and whether every acknowledged
write is there, nothing is half-written, the database is sound and the access log verifies
(`tests/faults/killed_server.py`, which the test `tests/faults/test_killed_server.py` runs on a
shorter stream).

Creates a throw-away database (a temporary SQLite file, or `test_<name>` next to the database
`DATABASE_URL` names), so it never touches real data.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITES = 1000


def main() -> int:
    sys.path.insert(0, str(ROOT))  # the server and checks in tests/faults, the factories
    work = Path(tempfile.mkdtemp(prefix="meldwijzer-faults-"))
    data_dir = work / "data"
    data_dir.mkdir()
    os.environ.setdefault("MELDWIJZER_DATA_DIR", str(work / "bench"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "meldwijzer.conf.settings"
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":  # the server opens the file in its data directory
        connection.settings_dict["TEST"]["NAME"] = str(data_dir / "meldwijzer.sqlite3")
    from django.test.utils import setup_test_environment

    setup_test_environment()
    test_db = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        return run(connection.vendor, data_dir)
    finally:
        connection.close()
        connection.creation.destroy_test_db(test_db, verbosity=0)


def run(vendor: str, data_dir: Path) -> int:
    from django.db import connection
    from tests.factories import MembershipFactory, allow_api_keys_for
    from tests.faults.conftest import postgres_url
    from tests.faults.killed_server import AFTER_RESTART, kill_and_restart, survival_problems

    from meldwijzer.accounts.services import api_token_create
    from meldwijzer.cases import services
    from meldwijzer.organisations.roles import Role
    from meldwijzer.organisations.selectors import actor_for_user

    user = MembershipFactory(role=Role.PROFESSIONAL).user
    allow_api_keys_for(user)
    actor = actor_for_user(user=user)
    _, token = api_token_create(actor=actor, name="stroom")
    case = services.case_open(actor=actor, title="Stroom", profession="onderwijs", client="kind")
    environment = (
        {} if vendor == "sqlite" else {"DATABASE_URL": postgres_url(connection.settings_dict)}
    )
    kill_after = random.randint(300, 700)  # noqa: S311 - a point to kill at, not a secret
    run = kill_and_restart(
        data_dir=data_dir, environment=environment, token=token, case_id=case.pk,
        version=case.version, writes=WRITES, kill_after=kill_after,
    )  # fmt: skip
    stream = run.stream
    problems = survival_problems(
        case_id=case.pk, first_version=case.version, stream=stream, last_facts=AFTER_RESTART,
        checkpoints=run.checkpoints,
    )  # fmt: skip
    print(f"database: {vendor}")
    print(f"killed after {kill_after} acknowledgements; acknowledged {len(stream.acknowledged)}")
    print(
        f"under way at the kill: {len(stream.unanswered)} (may have landed or not, both are fine)"
    )
    print(f"writes per second before the kill: {len(stream.acknowledged) / stream.seconds:.1f}")
    first, last = stream.durations[:50], stream.durations[-50:]
    print(
        f"median answer, first 50 writes: {statistics.median(first) * 1000:.0f} ms; "
        f"last 50: {statistics.median(last) * 1000:.0f} ms"
    )
    print(f"restart until the API answered: {run.restart_seconds:.1f} s")
    print("after the restart: " + ("all in order" if not problems else "; ".join(problems)))
    return 1 if problems or stream.refused else 0


if __name__ == "__main__":
    sys.exit(main())
