"""The afwegingskader files as content: every beroepsgroep is there, says whom it works with and
what its kindcheck asks, and speaks to the professional as 'u'.

The files are read with plain `yaml.safe_load`, not through `cases.frameworks`, so this checks
the data itself, whatever the loader makes of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import meldwijzer.cases

FRAMEWORK_DIR = Path(meldwijzer.cases.__file__).resolve().parent / "frameworks"
BASE = "algemeen"
IDS = [
    "algemeen",
    "artsen",
    "kinderopvang",
    "onderwijs",
    "sociaal_werk_jeugd",
    "paramedici",
    "verpleging_verzorging",
    "dji",
    "reclassering",
    "halt",
    "verloskundigen",
]
CLIENTS = {"volwassenen", "kinderen", "beide"}
INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
WRONG = "forensisch arts van Veilig Thuis"  # Veilig Thuis has vertrouwensartsen; forensic: GGD

# A few facts each new group's text must carry (case-insensitive).
KEY_FACTS = {
    "paramedici": ["fysiotherapeut", "logopedist", "diëtist", "ergotherapeut", "huidtherapeut"],
    "verpleging_verzorging": ["ouderenmishandeling", "mantelzorg", "kraam", "pasgeboren"],
    "dji": ["kindcheck", "huisverbod", "registratie"],
    "reclassering": ["kindcheck", "huisverbod", "registratie"],
    "halt": ["12 tot 18", "ouders"],
    "verloskundigen": ["ongeboren kind", "Veilig Thuis", "pasgeboren"],
    "artsen": ["vertrouwensarts van Veilig Thuis", "forensisch arts van de GGD"],
}


def load(framework_id: str) -> dict[str, Any]:
    data = yaml.safe_load((FRAMEWORK_DIR / f"{framework_id}.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict), framework_id
    return data


def texts(node: Any) -> Iterator[str]:
    """Every string in a YAML tree, keys included."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from texts(key)
            yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def test_every_beroepsgroep_has_a_file_under_its_own_id():
    assert sorted(path.stem for path in FRAMEWORK_DIR.glob("*.yaml")) == sorted(IDS)
    for framework_id in IDS:
        assert load(framework_id)["id"] == framework_id


@pytest.mark.parametrize("framework_id", IDS)
def test_each_file_states_its_groups_clients_and_kindcheck(framework_id):
    data = load(framework_id)
    if framework_id != BASE:
        assert data["extends"] == BASE
    assert isinstance(data["title"], str) and data["title"].strip()
    professions = data["professions"]
    assert isinstance(professions, list) and professions
    assert all(isinstance(label, str) and label.strip() for label in professions)
    assert data["clients"] in CLIENTS
    assert isinstance(data["child_check"]["text"], str) and data["child_check"]["text"].strip()
    for rule in data.get("rules") or []:
        assert rule["title"].strip() and rule["text"].strip()
    for question in (data.get("questions") or {}).values():
        assert "help" not in question or question["help"].strip()


@pytest.mark.parametrize("framework_id", IDS)
def test_texts_say_u_and_name_the_vertrouwensarts_right(framework_id):
    data = load(framework_id)
    for text in texts(data):
        assert not INFORMAL.search(text), f"{framework_id}: informal 'je/jij/jouw' in {text!r}"
        assert " je " not in f" {text.lower()} "
        assert WRONG.lower() not in text.lower(), f"{framework_id}: {text!r}"


@pytest.mark.parametrize("framework_id", sorted(KEY_FACTS))
def test_each_group_carries_its_own_key_facts(framework_id):
    everything = " ".join(texts(load(framework_id))).lower()
    for fact in KEY_FACTS[framework_id]:
        assert fact.lower() in everything, f"{framework_id}: '{fact}' missing"


@pytest.mark.parametrize(
    ("framework_id", "clients"),
    [
        ("dji", "volwassenen"),
        ("reclassering", "volwassenen"),
        ("verloskundigen", "volwassenen"),
        ("halt", "kinderen"),
        ("kinderopvang", "kinderen"),
    ],
)
def test_groups_that_work_with_one_age_group_say_so(framework_id, clients):
    assert load(framework_id)["clients"] == clients


def test_the_new_groups_state_their_own_help_for_afweging_1_and_3():
    for framework_id in IDS[5:]:
        questions = load(framework_id)["questions"]
        assert {"afweging_1", "afweging_3"} <= set(questions), framework_id
