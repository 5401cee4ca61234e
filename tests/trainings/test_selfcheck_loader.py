"""The self-check's question files: the shipped ones load and are short, and a broken file fails
with its name and the field at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from meldwijzer.trainings import selfcheck
from meldwijzer.trainings.selfcheck import SelfCheckError

GOOD_QUESTION = """
  - id: {id}
    vraag: Met wie mag u zonder toestemming delen op grond van het meldrecht?
    opties:
      a: Met iedereen
      b: Alleen met Veilig Thuis
    goed: b
    uitleg: Het meldrecht geldt alleen tegenover Veilig Thuis.
"""


def _file(beroepsgroep: str, questions: str, /, **head: str) -> str:
    fields = {
        "beroepsgroep": beroepsgroep,
        "titel": "Toets",
        "versie": "1",
        "stand": "2026-12-04",
        "bron": "Basismodel meldcode",
        **head,
    }
    top = "".join(f"{key}: {value}\n" for key, value in fields.items() if value != "-")
    return f"{top}vragen:{questions}"


def _write(directory: Path, name: str, text: str) -> Path:
    path = directory / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_files_load_and_are_short():
    files = selfcheck.load_all()
    assert 8 <= len(files["algemeen"].questions) <= 10
    for profession in ("onderwijs", "kinderopvang", "artsen", "sociaal_werk_jeugd"):
        assert 2 <= len(files[profession].questions) <= 4, profession
    assert 2 <= len(files["verpleging_verzorging"].questions) <= 4
    quiz = selfcheck.quiz_for("onderwijs")
    assert quiz is not None
    assert quiz.version == "algemeen:1+onderwijs:1"
    assert [q.id for q in quiz.questions[:1]] == ["vijf-stappen"]
    assert quiz.own_questions == len(files["onderwijs"].questions)


def test_a_beroepsgroep_without_a_file_gets_the_general_questions_and_a_code_none():
    quiz = selfcheck.quiz_for("paramedici")
    assert quiz is not None
    assert quiz.version == "algemeen:1"
    assert selfcheck.quiz_for("tandartsen") is None
    assert selfcheck.quiz_for("") is None


def test_the_right_answers_are_spread_over_the_options():
    """Where the right option stands says nothing: not always the first."""
    firsts = [q.right[0] for f in selfcheck.load_all().values() for q in f.questions]
    assert len(set(firsts)) >= 3


@pytest.mark.parametrize(
    ("question", "field", "problem"),
    [
        (GOOD_QUESTION.format(id="x") + GOOD_QUESTION.format(id="x"), "vragen[2].id", "twee keer"),
        (GOOD_QUESTION.format(id="x").replace("    goed: b\n", ""), "vragen[1].goed", "juiste"),
        (GOOD_QUESTION.format(id="x").replace("goed: b", "goed: c"), "vragen[1].goed", "'c'"),
        (GOOD_QUESTION.format(id="x").replace("goed: b", "goed: [a, b]"), "vragen[1].goed", "alle"),
        (GOOD_QUESTION.format(id="x").replace("goed: b", "goed: [b, b]"), "vragen[1].goed", "twee"),
        (
            GOOD_QUESTION.format(id="x").replace("      b: Alleen met Veilig Thuis\n", ""),
            "vragen[1].opties",
            "2 tot 4",
        ),
        (
            GOOD_QUESTION.format(id="x").replace(
                "      b: Alleen", "      c: Een\n      d: Twee\n      e: Drie\n      b: Alleen"
            ),
            "vragen[1].opties",
            "niet 5",
        ),
        (
            GOOD_QUESTION.format(id="x").replace("b: Alleen met Veilig Thuis", "b: Met iedereen"),
            "vragen[1].opties",
            "dezelfde",
        ),
        (GOOD_QUESTION.format(id="x").replace("    uitleg:", "    uitlg:"), "vragen[1].uitlg", ""),
        (GOOD_QUESTION.format(id="x").replace("    uitleg: Het", "    toelichting: Het"), "", ""),
        (GOOD_QUESTION.format(id="Vraag 1"), "vragen[1].id", "korte naam"),
        (
            GOOD_QUESTION.format(id="x").replace("    vraag: Met", "    vraag: ''\n    x: Met"),
            "",
            "",
        ),
        (" []", "vragen", "ontbreekt"),
    ],
)
def test_a_broken_question_names_the_file_and_field(tmp_path, question, field, problem):
    path = _write(tmp_path, "algemeen", _file("algemeen", question))
    with pytest.raises(SelfCheckError) as raised:
        selfcheck.load_file(path)
    message = str(raised.value)
    assert message.startswith("algemeen.yaml: "), message
    assert f"'{field}" in message, message
    assert problem in message, message


@pytest.mark.parametrize(
    ("head", "field"),
    [
        ({"stand": "morgen"}, "stand"),
        ({"stand": "-"}, "stand"),
        ({"versie": "een"}, "versie"),
        ({"versie": "0"}, "versie"),
        ({"bron": "''"}, "bron"),
        ({"titel": "-"}, "titel"),
        ({"beroepsgroep": "onderwijs"}, "beroepsgroep"),
        ({"auteur": "Iemand"}, "auteur"),
    ],
)
def test_a_broken_head_names_the_field(tmp_path, head, field):
    path = _write(tmp_path, "algemeen", _file("algemeen", GOOD_QUESTION.format(id="x"), **head))
    with pytest.raises(SelfCheckError, match=rf"^algemeen\.yaml: .*'{field}'"):
        selfcheck.load_file(path)


def test_a_file_for_no_beroepsgroep_is_refused(tmp_path):
    path = _write(tmp_path, "tandartsen", _file("tandartsen", GOOD_QUESTION.format(id="x")))
    with pytest.raises(SelfCheckError, match=r"^tandartsen\.yaml: 'beroepsgroep'"):
        selfcheck.load_file(path)


def test_invalid_yaml_names_the_file(tmp_path):
    path = _write(tmp_path, "algemeen", "vragen: [\n  - id: x: y")
    with pytest.raises(SelfCheckError, match=r"^algemeen\.yaml: geen geldige YAML"):
        selfcheck.load_file(path)


def test_a_beroepsgroep_may_not_reuse_a_general_question_id(tmp_path):
    _write(tmp_path, "algemeen", _file("algemeen", GOOD_QUESTION.format(id="meldrecht")))
    _write(
        tmp_path,
        "artsen",
        _file("artsen", GOOD_QUESTION.format(id="eigen") + GOOD_QUESTION.format(id="meldrecht")),
    )
    try:
        with pytest.raises(
            SelfCheckError, match=r"^artsen\.yaml: 'vragen\[2\]\.id' 'meldrecht' is al een vraag"
        ):
            selfcheck.load_all(tmp_path)
    finally:
        selfcheck.load_all()


def test_the_general_file_is_required(tmp_path):
    _write(tmp_path, "artsen", _file("artsen", GOOD_QUESTION.format(id="eigen")))
    try:
        with pytest.raises(SelfCheckError, match=r"^algemeen\.yaml: het bestand bestaat niet"):
            selfcheck.load_all(tmp_path)
    finally:
        selfcheck.load_all()


def test_the_files_are_checked_at_start_up(tmp_path, monkeypatch):
    """`TrainingsConfig.ready` reads every file: a broken one stops the start."""
    from django.apps import apps

    _write(tmp_path, "algemeen", _file("algemeen", GOOD_QUESTION.format(id="x") * 2))
    monkeypatch.setattr(selfcheck, "QUIZ_DIR", tmp_path)
    try:
        with pytest.raises(SelfCheckError, match=r"^algemeen\.yaml: 'vragen\[2\]\.id'"):
            apps.get_app_config("trainings").ready()
    finally:
        monkeypatch.undo()
        selfcheck.load_all()
