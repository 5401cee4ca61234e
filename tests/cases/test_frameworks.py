"""The afwegingskader as data: every path of every beroepsgroep, and broken definitions."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meldwijzer.cases import frameworks
from meldwijzer.cases.frameworks import (
    DEFAULT_FRAMEWORK,
    FRAMEWORK_DIR,
    Framework,
    FrameworkError,
    build_framework,
    load_file,
)

FILES = sorted(FRAMEWORK_DIR.glob("*.yaml"))
IDS = sorted(path.stem for path in FILES)


def expected(answers: dict[str, str]) -> tuple[str | None, str | None]:
    """The indicated outcome and open review question, straight from the afwegingskader (2019)."""
    if answers.get("afweging_1") == "nee":
        return "close", None
    if answers.get("afweging_2") == "ja":
        return "report", None
    if answers.get("afweging_3") == "nee":
        return "report", None
    if answers.get("afweging_4") == "nee":
        return "report", None
    assert answers.get("afweging_4") == "ja", answers
    review = answers.get("afweging_5")
    if review is None:
        return "help", "afweging_5"
    return ("close_followup" if review == "ja" else "report"), None


# Every complete answer combination of the kader, in the order the questions are asked.
ALL_PATHS = [
    {"afweging_1": "nee"},
    {"afweging_1": "ja", "afweging_2": "ja"},
    {"afweging_1": "ja", "afweging_2": "nee", "afweging_3": "nee"},
    {"afweging_1": "ja", "afweging_2": "nee", "afweging_3": "ja", "afweging_4": "nee"},
    {"afweging_1": "ja", "afweging_2": "nee", "afweging_3": "ja", "afweging_4": "ja"},
    {
        "afweging_1": "ja",
        "afweging_2": "nee",
        "afweging_3": "ja",
        "afweging_4": "ja",
        "afweging_5": "ja",
    },
    {
        "afweging_1": "ja",
        "afweging_2": "nee",
        "afweging_3": "ja",
        "afweging_4": "ja",
        "afweging_5": "nee",
    },
]


def paths(framework: Framework) -> Iterator[dict[str, str]]:
    """Every answer combination that ends in an outcome, found by walking the graph."""

    def follow(qid: str, given: dict[str, str]) -> Iterator[dict[str, str]]:
        for name, answer in framework.questions[qid].answers.items():
            answered = {**given, qid: name}
            if answer.next is not None:
                yield from follow(answer.next, answered)
            else:
                yield answered
                if answer.review is not None:
                    yield from follow(answer.review, answered)

    yield from follow(framework.start, {})


@pytest.fixture(params=IDS)
def framework(request: pytest.FixtureRequest) -> Framework:
    return frameworks.frameworks()[request.param]


def test_every_file_loads_under_its_own_id():
    loaded = frameworks.frameworks()
    assert sorted(loaded) == IDS
    assert {"algemeen", "artsen", "kinderopvang", "onderwijs", "sociaal_werk_jeugd"} <= set(IDS)
    for path in FILES:
        assert load_file(path).id == path.stem


def test_the_graph_has_exactly_the_paths_of_the_kader(framework):
    found = list(paths(framework))
    assert sorted(map(sorted, map(dict.items, found))) == sorted(
        map(sorted, map(dict.items, ALL_PATHS))
    )


@pytest.mark.parametrize("answers", ALL_PATHS, ids=lambda a: "-".join(a.values()))
def test_every_path_indicates_what_the_kader_says(framework, answers):
    walk = framework.walk(answers)
    outcome, review = expected(answers)
    assert walk.next_question is None
    assert walk.outcome == outcome
    assert (walk.review_question.id if walk.review_question else None) == review
    assert [(question.id, answer) for question, answer in walk.path] == list(answers.items())
    assert walk.explanation.strip()


@pytest.mark.parametrize("answers", ALL_PATHS, ids=lambda a: "-".join(a.values()))
def test_partial_answers_ask_the_next_question(framework, answers):
    questions = list(answers)
    for cut in range(len(questions)):
        if questions[cut] == "afweging_5":
            continue  # help is indicated until the review question is answered
        partial = {q: answers[q] for q in questions[:cut]}
        walk = framework.walk(partial)
        assert walk.outcome is None
        assert walk.next_question is not None
        assert walk.next_question.id == questions[cut]
        assert len(walk.path) == cut


def test_answers_off_the_path_and_invalid_answers_are_ignored(framework):
    walk = framework.walk({"afweging_1": "nee", "afweging_2": "nee", "afweging_3": "ja"})
    assert walk.outcome == "close"
    assert [q.id for q, _ in walk.path] == ["afweging_1"]
    walk = framework.walk({"afweging_1": "misschien", "afweging_2": "ja"})
    assert walk.outcome is None
    assert walk.next_question is not None and walk.next_question.id == "afweging_1"


def test_questions_sit_in_the_steps_of_the_meldcode(framework):
    phases = {qid: q.phase for qid, q in framework.questions.items()}
    assert phases == {
        "afweging_1": "stap_4",
        "afweging_2": "stap_4",
        "afweging_3": "stap_5",
        "afweging_4": "stap_5",
        "afweging_5": "hulp",
    }
    assert "acute of structurele" in framework.norm
    assert {"acuut", "structureel"} <= set(framework.definitions)


@pytest.mark.parametrize("name", [i for i in IDS if i != DEFAULT_FRAMEWORK])
def test_variants_inherit_the_default_and_override_only_what_they_state(name):
    default = frameworks.frameworks()[DEFAULT_FRAMEWORK]
    variant = frameworks.frameworks()[name]
    stated = yaml.safe_load((FRAMEWORK_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    assert stated["extends"] == DEFAULT_FRAMEWORK
    assert variant.id == name
    assert variant.title == stated["title"] != default.title
    assert variant.norm == default.norm
    assert variant.definitions == default.definitions
    assert variant.start == default.start
    assert variant.version == stated.get("version", default.version)
    assert variant.rules == stated.get("rules", default.rules)
    assert set(variant.questions) == set(default.questions)
    overridden = stated.get("questions", {})
    for qid, question in default.questions.items():
        mine = variant.questions[qid]
        own = overridden.get(qid, {})
        assert mine.help.split() == (
            own["help"].split() if "help" in own else question.help.split()
        )
        if "text" not in own:
            assert mine.text == question.text
        assert mine.phase == question.phase
        if "answers" not in own:
            assert mine.answers == question.answers
    assert overridden, "a variant states at least one difference in its questions"
    assert any(variant.questions[qid].help != default.questions[qid].help for qid in overridden)


@pytest.mark.parametrize("name", ["onderwijs", "kinderopvang"])
def test_staff_abuse_rule_points_to_the_vertrouwensinspecteur(name):
    rules = frameworks.frameworks()[name].rules
    assert any("vertrouwensinspecteur" in rule["text"] for rule in rules)
    assert all(rule["title"] and rule["text"] for rule in rules)


def test_the_default_has_no_staff_rule_and_unknown_professions_get_the_default():
    assert frameworks.frameworks()[DEFAULT_FRAMEWORK].rules == []
    assert frameworks.framework_for("bestaat_niet").id == DEFAULT_FRAMEWORK
    assert frameworks.framework_for("onderwijs").id == "onderwijs"
    assert {choice for choice, _ in frameworks.profession_choices()} == set(IDS)


# --- Broken definitions fail when loaded, naming the file and the problem ---------------------


@pytest.fixture
def copies(tmp_path: Path) -> Path:
    for path in FILES:
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def edit(directory: Path, name: str, change: Callable[[dict[str, Any]], None]) -> Path:
    path = directory / f"{name}.yaml"
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def fails(path: Path, directory: Path, *fragments: str) -> str:
    with pytest.raises(FrameworkError) as caught:
        load_file(path, directory=directory)
    message = str(caught.value)
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_copies_load_unchanged(copies):
    for path in FILES:
        assert load_file(copies / path.name, directory=copies) == frameworks.frameworks()[path.stem]


def _q(raw: dict[str, Any], qid: str) -> dict[str, Any]:
    return raw["questions"][qid]


BROKEN: list[tuple[str, str, Callable[[dict[str, Any]], None], list[str]]] = [
    ("missing norm", "algemeen", lambda r: r.pop("norm"), ["algemeen.yaml", "'norm' ontbreekt"]),
    ("missing start", "algemeen", lambda r: r.pop("start"), ["'start' ontbreekt"]),
    (
        "missing questions",
        "algemeen",
        lambda r: r.pop("questions"),
        ["'questions' ontbreekt"],
    ),
    (
        "question without text",
        "algemeen",
        lambda r: _q(r, "afweging_2").pop("text"),
        ["vraag 'afweging_2'", "'text' ontbreekt"],
    ),
    (
        "question without phase",
        "algemeen",
        lambda r: _q(r, "afweging_3").pop("phase"),
        ["vraag 'afweging_3'", "'phase' ontbreekt"],
    ),
    (
        "unknown phase",
        "algemeen",
        lambda r: _q(r, "afweging_3").update(phase="stap_9"),
        ["onbekende fase 'stap_9'"],
    ),
    (
        "answer missing",
        "algemeen",
        lambda r: _q(r, "afweging_1")["answers"].pop("nee"),
        ["vraag 'afweging_1'", "'ja' en 'nee'"],
    ),
    (
        "unknown next question",
        "algemeen",
        lambda r: _q(r, "afweging_1")["answers"].update(ja={"next": "afweging_9"}),
        ["vraag 'afweging_1', antwoord 'ja'", "'afweging_9' bestaat niet"],
    ),
    (
        "unknown start",
        "algemeen",
        lambda r: r.update(start="afweging_0"),
        ["startvraag 'afweging_0' bestaat niet"],
    ),
    (
        "cycle",
        "algemeen",
        lambda r: _q(r, "afweging_3")["answers"].update(ja={"next": "afweging_1"}),
        ["kringloop"],
    ),
    (
        "review cycle",
        "algemeen",
        lambda r: _q(r, "afweging_5")["answers"].update(nee={"next": "afweging_4"}),
        ["kringloop"],
    ),
    (
        "unreachable question",
        "algemeen",
        lambda r: r["questions"].update(
            afweging_6={
                "phase": "stap_5",
                "text": "Los?",
                "answers": {"ja": {"outcome": "close"}, "nee": {"outcome": "report"}},
            }
        ),
        ["afweging_6", "niet bereikbaar"],
    ),
    (
        "unknown outcome",
        "algemeen",
        lambda r: _q(r, "afweging_4")["answers"]["nee"].update(outcome="escaleren"),
        ["vraag 'afweging_4', antwoord 'nee'", "onbekende uitkomst 'escaleren'"],
    ),
    (
        "review on a report",
        "algemeen",
        lambda r: _q(r, "afweging_2")["answers"]["ja"].update(review="afweging_5"),
        ["vraag 'afweging_2', antwoord 'ja'", "'review' hoort alleen bij de uitkomst 'help'"],
    ),
    (
        "help without review",
        "algemeen",
        lambda r: _q(r, "afweging_4")["answers"]["ja"].pop("review"),
        ["vraag 'afweging_4', antwoord 'ja'", "'review'"],
    ),
    (
        "next without a question",
        "algemeen",
        lambda r: _q(r, "afweging_1")["answers"].update(ja={"next": None}),
        ["vraag 'afweging_1', antwoord 'ja'", "'next'"],
    ),
    (
        "neither next nor outcome",
        "algemeen",
        lambda r: _q(r, "afweging_1")["answers"].update(ja={"explanation": "Verder."}),
        ["geef 'next' óf 'outcome'"],
    ),
    (
        "variant states next where the default has an outcome",
        "onderwijs",
        lambda r: r["questions"].update(afweging_3={"answers": {"nee": {"next": "afweging_4"}}}),
        ["onderwijs.yaml", "vraag 'afweging_3', antwoord 'nee'", "geef 'next' óf 'outcome'"],
    ),
    (
        "variant forgets its id",
        "artsen",
        lambda r: r.pop("id"),
        ["artsen.yaml", "'id' is 'algemeen'", "bestandsnaam"],
    ),
    (
        "rule without text",
        "onderwijs",
        lambda r: r["rules"][0].pop("text"),
        ["onderwijs.yaml", "'rules'"],
    ),
    (
        "phase is a list",
        "algemeen",
        lambda r: _q(r, "afweging_3").update(phase=["stap_5"]),
        ["vraag 'afweging_3'", "onbekende fase"],
    ),
    (
        "outcome is a list",
        "algemeen",
        lambda r: _q(r, "afweging_2")["answers"]["ja"].update(outcome=["report"]),
        ["vraag 'afweging_2', antwoord 'ja'", "onbekende uitkomst"],
    ),
    (
        "next is a mapping",
        "algemeen",
        lambda r: _q(r, "afweging_1")["answers"].update(ja={"next": {"vraag": "afweging_2"}}),
        ["vraag 'afweging_1', antwoord 'ja'", "'next'"],
    ),
    (
        "review is a list",
        "algemeen",
        lambda r: _q(r, "afweging_4")["answers"]["ja"].update(review=["afweging_5"]),
        ["vraag 'afweging_4', antwoord 'ja'", "'review'"],
    ),
    ("start is a list", "algemeen", lambda r: r.update(start=["afweging_1"]), ["'start'"]),
    (
        "question name is a number",
        "algemeen",
        lambda r: r["questions"].update({6: {"phase": "stap_5"}}),
        ["vraag 6"],
    ),
    (
        "definitions is a list",
        "algemeen",
        lambda r: r.update(definitions=["acuut"]),
        ["'definitions'"],
    ),
    ("rules is text", "algemeen", lambda r: r.update(rules="Meld altijd."), ["'rules'"]),
    ("professions is a number", "algemeen", lambda r: r.update(professions=3), ["'professions'"]),
    ("extends is a list", "onderwijs", lambda r: r.update(extends=["algemeen"]), ["'extends'"]),
    (
        "extends a missing file",
        "onderwijs",
        lambda r: r.update(extends="bestaat_niet"),
        ["onderwijs.yaml", "'bestaat_niet.yaml' bestaat niet"],
    ),
    (
        "extends itself",
        "onderwijs",
        lambda r: r.update(extends="onderwijs"),
        ["onderwijs.yaml", "'extends' vormt een kringloop"],
    ),
    (
        "extends outside the directory",
        "onderwijs",
        lambda r: r.update(extends="../algemeen"),
        ["onderwijs.yaml", "'extends'"],
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "fragments"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_broken_definitions_fail_with_file_and_problem(copies, name, change, fragments):
    path = edit(copies, name, change)
    message = fails(path, copies, f"{name}.yaml: ", *fragments)
    assert message.startswith(f"{name}.yaml: ")


def test_a_broken_default_breaks_every_variant_with_its_name(copies):
    edit(copies, "algemeen", lambda r: _q(r, "afweging_1")["answers"].update(ja={"next": "x"}))
    for path in FILES:
        fails(copies / path.name, copies, f"{path.stem}.yaml: ", "'x' bestaat niet")


def test_extends_cycle_between_two_files(copies):
    edit(copies, "onderwijs", lambda r: r.update(extends="kinderopvang"))
    edit(copies, "kinderopvang", lambda r: r.update(extends="onderwijs"))
    fails(copies / "onderwijs.yaml", copies, "'extends' vormt een kringloop")
    fails(copies / "kinderopvang.yaml", copies, "'extends' vormt een kringloop")
    assert load_file(copies / "artsen.yaml", directory=copies).id == "artsen"


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("questions: [niet afgesloten\n", "geen geldige YAML"),
        ("id: algemeen\n  title: verkeerd ingesprongen\n", "geen geldige YAML"),
        ("version: 2019-02-30\n", "geen geldige YAML"),
        ("- een lijst\n- geen definitie\n", "het bestand bevat geen definitie"),
        ("", "het bestand bevat geen definitie"),
    ],
)
def test_bad_yaml_fails_with_the_file_name(copies, content, fragment):
    (copies / "algemeen.yaml").write_text(content, encoding="utf-8")
    fails(copies / "algemeen.yaml", copies, "algemeen.yaml: ", fragment)
    fails(copies / "onderwijs.yaml", copies, "algemeen.yaml: ", fragment)


def test_a_file_that_is_not_utf8_fails_cleanly(copies):
    (copies / "algemeen.yaml").write_bytes("title: caf\u00e9\n".encode("latin-1"))
    fails(copies / "algemeen.yaml", copies, "algemeen.yaml: ", "geen geldige YAML")


def test_missing_file(copies):
    fails(copies / "bestaat_niet.yaml", copies, "bestaat_niet.yaml: ", "bestaat niet")


# --- Fuzzing: anything in any place gives a Framework or a FrameworkError --------------------

DEFAULT_RAW = frameworks._resolve(DEFAULT_FRAMEWORK, FRAMEWORK_DIR, ())
KEYS = st.sampled_from(
    [
        "id", "title", "version", "start", "norm", "questions", "definitions", "rules",
        "professions", "phase", "text", "help", "answers", "ja", "nee", "next", "outcome",
        "review", "explanation", "afweging_1", "afweging_5", "title",
    ]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=True)
    | st.sampled_from(["", "ja", "nee", "help", "close", "report", "stap_4", "hulp"])
    | st.sampled_from(["afweging_1", "afweging_2", "afweging_5", "algemeen"])
    | st.text(max_size=8)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(KEYS | st.text(max_size=4) | st.integers(0, 3), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    raw: Any = copy.deepcopy(DEFAULT_RAW)
    for _ in range(draw(st.integers(1, 4))):
        holder: Any = None
        key: Any = None
        node = raw
        while isinstance(node, dict | list) and node and draw(st.booleans()):
            holder = node
            key = draw(
                st.sampled_from(
                    sorted(node, key=repr) if isinstance(node, dict) else range(len(node))
                )
            )
            node = node[key]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if holder is None:
            if action == "replace" and draw(st.booleans()):
                raw = draw(VALUES)
            elif isinstance(raw, dict):
                raw[draw(KEYS)] = draw(VALUES)
            continue
        if action == "delete" and isinstance(holder, dict):
            del holder[key]
        elif action == "add" and isinstance(node, dict):
            node[draw(KEYS | st.integers(0, 2))] = draw(VALUES)
        else:
            holder[key] = draw(VALUES)
    return raw


def _walks_terminate(framework: Framework, answers: dict[str, str]) -> None:
    walk = framework.walk(answers)
    assert (walk.outcome is None) != (walk.next_question is None)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=mutated(), answer_values=st.lists(st.sampled_from(["ja", "nee", "x"]), max_size=6))
def test_mutated_definitions_give_a_framework_or_a_framework_error(raw, answer_values):
    try:
        framework = build_framework(raw, "fuzz.yaml")
    except FrameworkError as error:
        assert str(error).startswith("fuzz.yaml: ")
        return
    assert isinstance(framework, Framework)
    ids = sorted(framework.questions)
    _walks_terminate(framework, dict(zip(ids, answer_values, strict=False)))
    _walks_terminate(framework, dict.fromkeys(ids, "ja"))
    _walks_terminate(framework, dict.fromkeys(ids, "nee"))


@settings(max_examples=200, deadline=None)
@given(raw=VALUES)
def test_arbitrary_values_give_a_framework_or_a_framework_error(raw):
    try:
        result = build_framework(raw, "fuzz.yaml")
    except FrameworkError as error:
        assert str(error).startswith("fuzz.yaml: ")
    else:
        assert isinstance(result, Framework)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(max_size=60)
    | st.sampled_from(["a: &x [*x]", "a: !!python/name:os.system", "v: 2019-13-01"])
)
def test_arbitrary_file_content_gives_a_framework_error(tmp_path, text):
    path = tmp_path / "fuzz.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError, match=r"^fuzz\.yaml: "):
        load_file(path, directory=tmp_path)
