"""The real server (gunicorn, as `meldwijzer serve` starts it) killed with SIGKILL while a client
streams acknowledged writes at it, then started again: shared by the fault test and
`benchmarks/faults.py`.

The client adds signals to one case through the API, one after another, each with the version
the previous answer gave. Another thread kills the server's whole process group — master and
workers, like a power cut of the machine's processes — once a chosen number of writes has been
acknowledged, whether a request is under way or not. What was acknowledged before the kill is
what the checks afterwards hold the database to."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import meldwijzer

SRC = Path(meldwijzer.__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(data_dir: Path, **extra: str) -> dict[str, str]:
    """A production environment on `data_dir`: none of the caller's Meldwijzer or Django
    settings leak in, only what `extra` names (keys, the database's address)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MELDWIJZER_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environment.update(
        {
            "PYTHONPATH": str(SRC),
            "DJANGO_SETTINGS_MODULE": "meldwijzer.conf.settings",
            "MELDWIJZER_DATA_DIR": str(data_dir),
            "MELDWIJZER_API_RATE": "100000/min",
            **extra,
        }
    )
    return environment


class Server:
    """gunicorn with the arguments `meldwijzer serve` gives it, in its own process group."""

    def __init__(self, environment: dict[str, str], log: Path) -> None:
        self.environment = environment
        self.log = log
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, token: str, probe: str, timeout: float = 90) -> None:
        command = [
            sys.executable, "-m", "gunicorn", "meldwijzer.conf.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "1", "--threads", "4",
            "--access-logfile", "-", "--logger-class", "meldwijzer.core.server_log.RedactingLogger",
        ]  # fmt: skip
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                command,
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                status, _ = self.request("GET", probe, token=token)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise AssertionError("de server kwam niet op:\n" + self.log.read_text()[-3000:])

    def request(
        self, method: str, path: str, *, token: str, body: dict[str, object] | None = None
    ) -> tuple[int, dict[str, object]]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(
                method,
                path,
                body=json.dumps(body) if body is not None else None,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            body = response.read()
            if not response.getheader("Content-Type", "").startswith("application/json"):
                return response.status, {}  # a page, e.g. the login page as a probe
            return response.status, json.loads(body or b"{}")
        finally:
            connection.close()

    def kill(self) -> None:
        """SIGKILL to the master and its workers at once."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@dataclass
class Stream:
    acknowledged: list[str] = field(default_factory=list)
    """The facts of every signal the server answered 201 to, in order."""
    unanswered: list[str] = field(default_factory=list)
    """Sent, but the server died before it answered: may or may not be there."""
    refused: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    last_version: int = 0
    seconds: float = 0.0
    durations: list[float] = field(default_factory=list)
    """Seconds from sending to the answer, of each acknowledged write."""


def signal_body(version: int, facts: str, today: str) -> dict[str, object]:
    return {
        "version": version,
        "kind": "signal",
        "data": {"date": today, "category": "lichamelijk", "source": "eigen", "facts": facts},
    }


def stream_until_killed(
    server: Server,
    *,
    token: str,
    case_id: int,
    version: int,
    writes: int,
    kill_after: int,
    today: str,
) -> Stream:
    """Send up to `writes` signals one after another; a thread kills the server as soon as
    `kill_after` of them are acknowledged. Stops at the first request the dead server cannot
    answer."""
    stream = Stream(last_version=version)
    reached = threading.Event()
    killer = threading.Thread(target=lambda: (reached.wait(), server.kill()))
    killer.start()
    started = time.monotonic()
    try:
        for number in range(writes):
            facts = f"Schrijfactie {number}"
            sent = time.monotonic()
            try:
                status, body = server.request(
                    "POST",
                    f"/api/v1/cases/{case_id}/entries/",
                    token=token,
                    body=signal_body(stream.last_version, facts, today),
                )
            except (OSError, http.client.HTTPException):
                stream.unanswered.append(facts)
                break
            if status != 201:
                stream.refused.append((status, body))
                break
            stream.acknowledged.append(facts)
            stream.durations.append(time.monotonic() - sent)
            stream.last_version = int(body["version"])  # type: ignore[call-overload]
            if len(stream.acknowledged) == kill_after:
                reached.set()
    finally:
        stream.seconds = time.monotonic() - started
        reached.set()
        killer.join(timeout=60)
    return stream


def survival_problems(
    *, case_id: int, first_version: int, stream: Stream, last_facts: str, checkpoints: Path
) -> list[str]:
    """What is wrong with the database after the kill and a restart, in which one more signal
    (`last_facts`) was acknowledged: empty when every acknowledged write is there in order and
    none twice (the one request under way at the kill may have landed), each entry moved the
    case's version once and has its access-log row, SQLite's own check passes and every chain of
    the access log verifies against the checkpoints the server wrote."""
    from django.db import connection

    from meldwijzer.audit.models import AccessLogEntry, Action
    from meldwijzer.audit.verification import audit_chain_verify
    from meldwijzer.cases.models import Case, Entry, EntryKind

    problems = []
    facts = list(
        Entry.objects.filter(case_id=case_id).order_by("pk").values_list("data__facts", flat=True)
    )
    acknowledged = len(stream.acknowledged)
    if facts[:acknowledged] != stream.acknowledged:
        problems.append("acknowledged writes are missing or out of order")
    if facts[acknowledged:-1] not in ([], stream.unanswered[:1]):
        problems.append(f"unexpected entries after the acknowledged ones: {facts[acknowledged:-1]}")
    if facts[-1:] != [last_facts]:
        problems.append("the write after the restart is missing")
    version = Case.objects.values_list("version", flat=True).get(pk=case_id)
    if version != first_version + len(facts):
        problems.append(f"version {version} for {len(facts)} entries from {first_version}")
    logged = AccessLogEntry.objects.filter(
        subject_id=str(case_id), action=Action.CREATE, part=EntryKind.SIGNAL.label.lower()
    ).count()
    if logged != len(facts):
        problems.append(f"{logged} access-log rows for {len(facts)} entries")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            integrity = cursor.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity}")
    result = audit_chain_verify([checkpoints])
    problems.extend(result.problems)
    if not result.checkpoints_checked:
        problems.append("the server wrote no checkpoint")
    return problems


AFTER_RESTART = "Na de herstart"


@dataclass
class Run:
    stream: Stream
    checkpoints: Path
    restart_seconds: float


def kill_and_restart(
    *,
    data_dir: Path,
    environment: dict[str, str],
    token: str,
    case_id: int,
    version: int,
    writes: int,
    kill_after: int,
) -> Run:
    """Start the server on `data_dir`, stream `writes` signals and kill it after `kill_after`
    acknowledgements, start it again and add one more signal (`AFTER_RESTART`). The server
    writes a checkpoint of the access log every 25 rows, next to `data_dir`."""
    from django.conf import settings
    from django.utils import timezone

    checkpoints = data_dir.parent / "controlepunten.jsonl"
    server = Server(
        server_environment(
            data_dir,
            MELDWIJZER_AUDIT_KEY=settings.AUDIT_HMAC_KEY,
            MELDWIJZER_PSEUDONYM_KEY=settings.PSEUDONYM_KEY,
            MELDWIJZER_DATALAB_KEY=settings.DATALAB_KEY,
            MELDWIJZER_AUDIT_CHECKPOINT_FILE=str(checkpoints),
            MELDWIJZER_AUDIT_CHECKPOINT_EVERY="25",
            **environment,
        ),
        data_dir.parent / "server.log",
    )
    probe = f"/api/v1/cases/{case_id}/"
    today = timezone.localdate().isoformat()
    try:
        server.start(token=token, probe=probe)
        stream = stream_until_killed(
            server, token=token, case_id=case_id, version=version, writes=writes,
            kill_after=kill_after, today=today,
        )  # fmt: skip
        started = time.monotonic()
        server.start(token=token, probe=probe)
        restart_seconds = time.monotonic() - started
        status, body = server.request("GET", probe, token=token)
        assert status == 200, body
        status, body = server.request(
            "POST", f"/api/v1/cases/{case_id}/entries/", token=token,
            body=signal_body(int(body["version"]), AFTER_RESTART, today),  # type: ignore[call-overload]
        )  # fmt: skip
        assert status == 201, body
    finally:
        server.stop()
    return Run(stream=stream, checkpoints=checkpoints, restart_seconds=restart_seconds)
