"""Properties of the engine, over generated definitions and answers (hypothesis):

- every generated valid definition loads, every total falls in exactly one band, and the bands
  cover every possible total exactly once (exhaustive, non-overlapping);
- the loader accepts a set of bands exactly when they cover the scores without gaps or overlaps;
- answering 'ja' (or a higher point on a scale) never lowers a score;
- mangled and random definitions give a list of problems, never a crash.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldwijzer.instruments.format import Instrument
from meldwijzer.instruments.loader import (
    DEFINITION_DIR,
    InstrumentDefinitionError,
    parse_definition,
    parse_upload,
)
from meldwijzer.instruments.scoring import score

SETTINGS = settings(
    max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
SHIPPED_TEXTS = [path.read_text(encoding="utf-8") for path in sorted(DEFINITION_DIR.glob("*.yaml"))]


def _base(items: list[dict[str, Any]], scores: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": 1,
        "key": "gegenereerd",
        "version": "1",
        "title": "Gegenereerd instrument",
        "kind": "screening",
        "validated": False,
        "source": "Test.",
        "licence": "Test.",
        "intended_users": ["Test"],
        "description": "Test.",
        "sections": [{"id": "deel", "title": "Deel", "items": items}],
        "scores": scores,
    }


@st.composite
def items(draw: st.DrawFn) -> list[dict[str, Any]]:
    result = []
    for index in range(draw(st.integers(1, 7))):
        kind = draw(st.sampled_from(["yes_no", "scale", "choice"]))
        item: dict[str, Any] = {"id": f"v{index}", "type": kind, "text": f"Vraag {index}"}
        if kind == "yes_no":
            item["weight"] = draw(st.integers(0, 5))
            item["unknown"] = draw(st.booleans())
        elif kind == "scale":
            low = draw(st.integers(0, 3))
            item |= {"min": low, "max": draw(st.integers(low + 1, low + 4))}
            item["weight"] = draw(st.integers(0, 3))
        else:
            item["options"] = [
                {"value": f"k{j}", "label": f"Keuze {j}", "score": draw(st.integers(0, 4))}
                for j in range(draw(st.integers(2, 4)))
            ]
        result.append(item)
    return result


def max_points(item: dict[str, Any]) -> int:
    if item["type"] == "yes_no":
        return item["weight"]
    if item["type"] == "scale":
        return item["max"] * item["weight"]
    return max(option["score"] for option in item["options"])


@st.composite
def valid_bands(draw: st.DrawFn, highest: int) -> list[dict[str, Any]]:
    """A random partition of 0…highest into consecutive bands, written in the allowed ways."""
    cuts = sorted(draw(st.sets(st.integers(1, highest), max_size=4))) if highest else []
    lows = [0, *cuts]
    bands = []
    for index, low in enumerate(lows):
        band: dict[str, Any] = {"code": f"b{index}", "label": f"Band {index}", "min": low}
        if index + 1 < len(lows):
            band["max"] = lows[index + 1] - 1
        elif draw(st.booleans()):
            band["max"] = highest + draw(st.integers(0, 3))
        bands.append(band)
    if draw(st.booleans()):
        del bands[0]["min"]  # the lowest band may leave out its minimum
    return bands


@st.composite
def definitions(draw: st.DrawFn) -> tuple[str, dict[str, Any]]:
    generated = draw(items())
    scores = []
    for index in range(draw(st.integers(1, 3))):
        chosen = draw(
            st.lists(
                st.sampled_from(generated),
                min_size=1,
                max_size=len(generated),
                unique_by=lambda i: i["id"],
            )
        )
        highest = sum(max_points(item) for item in chosen)
        scores.append(
            {
                "id": f"s{index}",
                "label": f"Score {index}",
                "items": [item["id"] for item in chosen],
                "bands": draw(valid_bands(highest)),
            }
        )
    raw = _base(generated, scores)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), raw


@st.composite
def answers_for(draw: st.DrawFn, instrument: Instrument) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in instrument.items.values():
        options: list[Any] = [None, *(value for value, _ in item.choices())]
        value = draw(st.sampled_from(options))
        if value is not None:
            answers[item.id] = int(value) if item.type == "scale" else value
    return answers


@SETTINGS
@given(definition=definitions(), data=st.data())
def test_every_total_falls_in_exactly_one_band(definition, data):
    text, _ = definition
    instrument = parse_definition(text, "gegenereerd.yaml")
    for definition_score in instrument.scores:
        # Exhaustive and non-overlapping over every total the items can produce.
        for total in range(definition_score.highest + 1):
            assert sum(band.contains(total) for band in definition_score.bands) == 1
    outcome = score(instrument, data.draw(answers_for(instrument)))
    for result, definition_score in zip(outcome.scores, instrument.scores, strict=True):
        assert 0 <= result.value <= definition_score.highest
        containing = [band.code for band in definition_score.bands if band.contains(result.value)]
        assert containing == [result.band]


@SETTINGS
@given(definition=definitions(), data=st.data())
def test_answering_yes_never_lowers_a_score(definition, data):
    text, _ = definition
    instrument = parse_definition(text, "gegenereerd.yaml")
    answers = data.draw(answers_for(instrument))
    before = {s.id: s.value for s in score(instrument, answers).scores}
    for item in instrument.items.values():
        raised = dict(answers)
        if item.type == "yes_no":
            raised[item.id] = "ja"
        elif item.type == "scale":
            current = answers.get(item.id, item.minimum)
            raised[item.id] = data.draw(st.integers(current, item.maximum))
        else:
            continue
        after = {s.id: s.value for s in score(instrument, raised).scores}
        assert all(after[key] >= before[key] for key in before), (item.id, before, after)


def _contains(band: dict[str, Any], value: int) -> bool:
    return ("min" not in band or value >= band["min"]) and (
        "max" not in band or value <= band["max"]
    )


def _partition(bands: list[dict[str, Any]], highest: int) -> bool:
    """The rule, stated independently of the loader: listed from low to high, each band
    reachable, and every whole number in the range they span in exactly one band."""
    if any("min" not in band for band in bands[1:]):
        return False
    lows = [band.get("min", -math.inf) for band in bands]
    if lows != sorted(lows):
        return False
    for band in bands:
        if not any(_contains(band, value) for value in range(highest + 1)):
            return False
    bounds = [b[k] for b in bands for k in ("min", "max") if k in b]
    low, high = min([0, *bounds]), max([highest, *bounds])
    return all(sum(_contains(b, v) for b in bands) == 1 for v in range(low, high + 1))


@st.composite
def random_bands(draw: st.DrawFn, highest: int) -> list[dict[str, Any]]:
    """Bands with independent random bounds."""
    bands = []
    for index in range(draw(st.integers(1, 4))):
        band: dict[str, Any] = {"code": f"b{index}", "label": f"Band {index}"}
        for bound in ("min", "max"):
            if draw(st.booleans()):
                band[bound] = draw(st.integers(-2, highest + 2))
        bands.append(band)
    return bands


@st.composite
def nudged_bands(draw: st.DrawFn, highest: int) -> list[dict[str, Any]]:
    """A valid partition with one small change at a boundary: a gap or overlap of one or two,
    a different lowest or highest bound, a bound left out or added, two bands swapped."""
    bands = draw(valid_bands(highest))
    change = draw(st.sampled_from(["gap", "overlap", "low", "high", "drop", "add", "swap"]))
    inner = list(range(len(bands) - 1))
    if change in ("gap", "overlap") and inner:
        i, size = draw(st.sampled_from(inner)), draw(st.integers(1, 2))
        sign = 1 if change == "overlap" else -1
        if draw(st.booleans()):
            bands[i]["max"] += sign * size
        else:
            bands[i + 1]["min"] -= sign * size
    elif change == "low":
        bands[0]["min"] = draw(st.integers(-2, 2))
    elif change == "high":
        bands[-1]["max"] = draw(st.integers(highest - 2, highest + 2))
    elif change in ("drop", "add"):
        band, bound = draw(st.sampled_from(bands)), draw(st.sampled_from(["min", "max"]))
        if change == "drop":
            band.pop(bound, None)
        else:
            band[bound] = draw(st.integers(-2, highest + 2))
    elif inner:
        i = draw(st.sampled_from(inner))
        bands[i], bands[i + 1] = bands[i + 1], bands[i]
    return bands


def _check_bands(weights: list[int], bands: list[dict[str, Any]]) -> None:
    highest = sum(weights)
    generated = [
        {"id": f"v{i}", "type": "yes_no", "text": f"Vraag {i}", "weight": w}
        for i, w in enumerate(weights)
    ]
    raw = _base(generated, [{"id": "s", "label": "Score", "sections": ["deel"], "bands": bands}])
    text = yaml.safe_dump(raw, allow_unicode=True)
    try:
        parse_definition(text, "banden.yaml")
    except InstrumentDefinitionError as error:
        assert not _partition(bands, highest), str(error)
        assert all(p.location.startswith("score 's'") for p in error.problems), str(error)
    else:
        assert _partition(bands, highest), bands


def _b(code: str, low: int | None = None, high: int | None = None) -> dict[str, Any]:
    band: dict[str, Any] = {"code": code, "label": code}
    if low is not None:
        band["min"] = low
    if high is not None:
        band["max"] = high
    return band


@pytest.mark.parametrize(
    "bands",
    [
        [_b("a", 0, 2), _b("b", 3)],  # fine
        [_b("a", None, 2), _b("b", 3, 5)],  # fine: first without min, last up to the top
        [_b("a", 0, 2), _b("b", 4)],  # gap of one
        [_b("a", 0, 2), _b("b", 2)],  # overlap of one
        [_b("a", 1, 2), _b("b", 3)],  # 0 is in no band
        [_b("a", 0, 2), _b("b", 3, 4)],  # 5 is in no band
        [_b("b", 3), _b("a", 0, 2)],  # wrong order
        [_b("a", 0), _b("b", 3)],  # open first band overlaps
        [_b("a", 0, 5), _b("b", 6)],  # unreachable band
        [_b("a", -3, -1), _b("b", 0)],  # unreachable below zero
        [_b("a", 0, 2), _b("b")],  # a later band without min
        [_b("a", 3, 1), _b("b", 2)],  # min above max
    ],
)
def test_known_band_edges(bands):
    _check_bands([2, 3], bands)


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(weights=st.lists(st.integers(0, 3), min_size=1, max_size=4), data=st.data())
def test_bands_are_accepted_exactly_when_they_cover_every_score_once(weights, data):
    bands = data.draw(
        st.one_of(valid_bands(sum(weights)), nudged_bands(sum(weights)), random_bands(sum(weights)))
    )
    _check_bands(weights, bands)


# --- Fuzzing: broken definitions give problems, never a crash --------------------------------------

LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["ja", "nee", "rood", "stap_1", "laag", "huisbezoek_scan", "", "-"])
)
VALUES = st.recursive(
    LEAVES,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@st.composite
def mangled(draw: st.DrawFn) -> str:
    """A shipped definition with a few random deletions, replacements and copies."""
    raw = yaml.safe_load(draw(st.sampled_from(SHIPPED_TEXTS)))
    for _ in range(draw(st.integers(1, 4))):
        parent, key = None, None
        node: Any = raw
        while isinstance(node, dict | list) and node and (parent is None or draw(st.booleans())):
            keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
            parent, key = node, draw(st.sampled_from(keys))
            node = node[key]
        if parent is None:
            continue
        action = draw(st.sampled_from(["delete", "replace", "copy"]))
        if action == "delete":
            del parent[key]
        elif action == "replace":
            parent[key] = draw(VALUES)
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        else:
            parent[draw(st.text(max_size=8))] = copy.deepcopy(parent[key])
    return yaml.safe_dump(raw, allow_unicode=True)


def _loads_or_lists_problems(text: str) -> None:
    try:
        instrument = parse_definition(text, "fuzz.yaml")
    except InstrumentDefinitionError as error:
        assert error.problems
        assert all(p.location and p.message for p in error.problems)
        assert str(error).startswith("fuzz.yaml: ")
    else:
        score(instrument, {})


@SETTINGS
@given(text=mangled())
def test_mangled_definitions_give_problems_never_a_crash(text):
    _loads_or_lists_problems(text)


@SETTINGS
@given(text=st.text(max_size=400) | VALUES.map(lambda v: yaml.safe_dump(v, allow_unicode=True)))
def test_random_text_gives_problems_never_a_crash(text):
    _loads_or_lists_problems(text)


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_uploads_give_problems_never_a_crash(data):
    try:
        parse_upload(data, "upload.yaml")
    except InstrumentDefinitionError as error:
        assert error.problems
