"""The simulated professionals of `benchmarks/load.py`, for locust.

`load.py` logs every simulated person in (password and authenticator code, through the real
login pages) before the load starts, and writes each one's session cookie and the pages they open
with their weights to the file named by `MELDWIJZER_LOAD_USERS`. Each locust user takes the next
person of that file and, after a pause to read, opens one of their pages, chosen by weight.

Every answer is recorded — the name of the page, milliseconds, and whether it was an error: an
exception, a status of 400 or more, or a redirect to the login page (a session that ran out) —
and written to `MELDWIJZER_LOAD_RESULTS` when locust stops, so `load.py` computes exact medians
and p95 and counts the access-log rows against the pages that were read.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path
from typing import Any

from locust import FastHttpUser, between, events, task

PEOPLE: list[dict[str, Any]] = json.loads(Path(os.environ["MELDWIJZER_LOAD_USERS"]).read_text())
RESULTS = Path(os.environ["MELDWIJZER_LOAD_RESULTS"])
LOGIN_PATH = "/account/inloggen/"

_next_person = itertools.count()
_answers: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _record(name: str, response_time: float, exception: BaseException | None, **_: Any) -> None:
    _answers.append((name, response_time, exception is None))


@events.quitting.add_listener
def _write(**_: Any) -> None:
    RESULTS.write_text(json.dumps(_answers))


class Professional(FastHttpUser):
    """One person at work: reads a page for 2 to 8 seconds, then opens the next."""

    wait_time = between(2, 8)
    # An answer that takes longer is an error (`load.py` lets locust wait this long at the end).
    network_timeout = 60.0
    connection_timeout = 60.0

    def on_start(self) -> None:
        person = PEOPLE[next(_next_person) % len(PEOPLE)]
        self.headers = {"Cookie": person["cookie"]}
        self.pages: list[tuple[str, list[str]]] = [
            (name, urls) for name, urls, _ in person["pages"]
        ]
        self.weights: list[int] = [weight for _, _, weight in person["pages"]]

    @task
    def open_a_page(self) -> None:
        name, urls = random.choices(self.pages, weights=self.weights)[0]  # noqa: S311 - a mix, not a secret
        with self.client.get(
            random.choice(urls),  # noqa: S311
            name=name,
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location") or ""
            if response.status_code >= 400 or response.status_code < 200:
                response.failure(f"status {response.status_code}")
            elif LOGIN_PATH in location:
                response.failure("sent to the login page")
            else:
                response.success()
