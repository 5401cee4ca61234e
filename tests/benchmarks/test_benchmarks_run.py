"""Every script in benchmarks/ runs from the project's root on tiny data and prints its figures.

Each runs in its own process on its own throw-away SQLite database, as someone would run it
(`.venv/bin/python benchmarks/<script>.py`), so an import that works only inside the test suite, a
renamed function or a changed fixture shows here and not on the day the figures are needed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Each script with arguments for tiny sizes, and a line its output must hold.
TINY = {
    "audit_log.py": (
        ["--rounds", "2", "--rows", "5", "--writers", "2", "--rows-per-writer", "5",
         "--parallel-rounds", "1"],
        "ratio chained / plain",
    ),
    "audit_prune.py": (["--months", "2", "--rows", "50", "--chains", "2"], "audit verify afterwards"),
    "case_page.py": (
        ["--cases", "100", "--rounds", "3", "--pdf-rounds", "1", "--pdf-pause", "0.1"],
        "case page ÷ bare view",
    ),
    "datalab.py": (["--records", "300", "--repeats", "1"], "report ÷ SQL"),
    "lists.py": (["--rows", "60", "--rounds", "1"], "| List | page size |"),
    # Enough writes that the server reaches its first checkpoint (every 25 log rows) before the kill.
    "faults.py": (["--writes", "100"], "after the restart: all in order"),
    # Its locustfile is in benchmarks/load_users/, not a script of its own.
    "load.py": (["--users", "3", "--duration", "10s"], "file reads = access-log rows"),
    "national.py": (
        ["--cases", "200", "--coordination", "30", "--followups", "20", "--datalab", "200",
         "--services", "50", "--users", "100", "--organisations", "40"],
        "smoke check: all 200",
    ),
    "queries.py": (
        ["--cases", "100", "--services", "100", "--plans", "1", "--reports", "1", "--rounds", "2"],
        "total ratio ORM ÷ SQL",
    ),
    "social_map_import.py": (["--organizations", "5", "--rounds", "1"], "again: import"),
    "social_map_search.py": (["--services", "100", "--rounds", "2"], "postcode only"),
}  # fmt: skip


def test_every_benchmark_is_listed():
    scripts = {path.name for path in (ROOT / "benchmarks").glob("*.py")}
    assert scripts == set(TINY), "list a new benchmark in TINY with arguments for tiny data"


@pytest.mark.parametrize("script", sorted(TINY))
def test_the_benchmark_runs_on_tiny_data(script, tmp_path):
    arguments, expected = TINY[script]
    environment = {
        name: value
        for name, value in os.environ.items()
        # Its own database and data directory, never the test run's.
        if name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "MELDWIJZER_DATA_DIR"}
    }
    environment["MELDWIJZER_DATA_DIR"] = str(tmp_path)
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert expected in done.stdout, done.stdout[-3000:]
