"""The shipped knowledge texts load, and a broken file fails naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps

from meldwijzer.cases.entries import CATEGORIES
from meldwijzer.organisations.models import Profession
from meldwijzer.trainings import knowledge
from meldwijzer.trainings.knowledge import KnowledgeError
from tests.trainings.knowledge_builders import text_file, valid_directory

OWN_ADDITIONS = (
    "onderwijs",
    "kinderopvang",
    "artsen",
    "sociaal_werk_jeugd",
    "verpleging_verzorging",
)
GUIDED = ("ouderen", "uitbuiting", "eergerelateerd", "huwelijksdwang", "achterlating", "vgv")


def test_shipped_texts_cover_every_step_and_the_main_beroepsgroepen():
    texts = knowledge.load_all()
    for number in knowledge.STEP_NUMBERS:
        assert knowledge.step_key(number) in texts
        for profession in OWN_ADDITIONS:
            assert knowledge.step_key(number, profession) in texts
    for text in texts.values():
        assert text.title and text.source and text.body and text.as_of


def test_a_beroepsgroep_without_its_own_text_reads_the_general_one():
    assert knowledge.step_keys(3, Profession.HALT) == ["stap-3/algemeen"]
    assert knowledge.step_keys(3, Profession.GENERAL) == ["stap-3/algemeen"]
    assert knowledge.step_keys(3, Profession.EDUCATION) == ["stap-3/algemeen", "stap-3/onderwijs"]


def test_the_target_groups_and_the_signal_categories_that_link_to_them():
    keys = knowledge.target_group_keys()
    for name in (
        "ouderen",
        "uitbuiting",
        "eergerelateerd",
        "kopp",
        "arbeidsmigranten",
        "statushouders",
    ):
        assert f"doelgroep/{name}" in keys
    guides = knowledge.category_guides()
    assert set(guides) == set(GUIDED)
    assert guides["vgv"] == guides["huwelijksdwang"] == "doelgroep/eergerelateerd"
    assert set(guides) <= {code for code, _ in CATEGORIES}


BROKEN = [
    ("stap-1/onderwijs", "titel: ''\nstand: 2026-11-01\nbron: b", "Tekst.", "'titel'"),
    ("stap-1/onderwijs", "titel: t\nstand: morgen\nbron: b", "Tekst.", "'stand'"),
    ("stap-1/onderwijs", "titel: t\nstand: 2026-11-01", "Tekst.", "'bron'"),
    ("stap-1/onderwijs", "titel: t\nstand: 2026-11-01\nbron: b\nauteur: x", "Tekst.", "'auteur'"),
    ("stap-1/onderwijs", "titel: t\nstand: 2026-11-01\nbron: b", "", "tekst onder de kop"),
    ("stap-1/onderwijs", "titel: t\nstand: 2026-11-01\nbron: b", "x" * 20001, "langer dan"),
    ("stap-1/bakkers", None, "Tekst.", "beroepsgroep 'bakkers'"),
    ("stap-9/onderwijs", None, "Tekst.", "map 'stap-9'"),
    (
        "doelgroep/ouderen",
        "titel: t\nstand: 2026-11-01\nbron: b\ncategorieen: [fietsen]",
        "x",
        "categorieen.fietsen",
    ),
    ("stap-1/onderwijs", "titel: [t\nstand: 2026-11-01", "Tekst.", "geen geldige YAML"),
]


@pytest.mark.parametrize(("key", "head", "body", "message"), BROKEN)
def test_a_broken_file_names_the_file_and_the_field(tmp_path, key, head, body, message):
    directory = valid_directory(tmp_path)
    text_file(directory, key, head, body)
    with pytest.raises(KnowledgeError) as raised:
        knowledge.load_all(directory)
    assert f"{key}.md" in str(raised.value)
    assert message in str(raised.value)


def test_a_file_without_front_matter_is_refused(tmp_path):
    directory = valid_directory(tmp_path)
    (directory / "stap-2" / "artsen.md").write_text("Alleen tekst.\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"stap-2/artsen\.md: .*begint niet met '---'"):
        knowledge.load_all(directory)


def test_every_step_needs_its_general_text(tmp_path):
    directory = valid_directory(tmp_path)
    (directory / "stap-4" / "algemeen.md").unlink()
    with pytest.raises(KnowledgeError, match=r"stap-4/algemeen\.md: .*stap 4 ontbreekt"):
        knowledge.load_all(directory)


def test_a_signal_category_links_to_one_guide_only(tmp_path):
    directory = valid_directory(tmp_path)
    head = "titel: t\nstand: 2026-11-01\nbron: b\ncategorieen: [ouderen]"
    text_file(directory, "doelgroep/ouderen", head)
    text_file(directory, "doelgroep/mantelzorg", head)
    with pytest.raises(KnowledgeError, match=r"'ouderen' hoort al bij doelgroep/mantelzorg\.md"):
        knowledge.load_all(directory)


def test_a_broken_file_stops_the_start_up(tmp_path, monkeypatch):
    directory = valid_directory(tmp_path)
    text_file(directory, "stap-1/onderwijs", "titel: t\nstand: gisteren\nbron: b")
    monkeypatch.setattr(knowledge, "KNOWLEDGE_DIR", directory)
    try:
        with pytest.raises(KnowledgeError, match=r"stap-1/onderwijs\.md: 'stand'"):
            apps.get_app_config("trainings").ready()
    finally:
        monkeypatch.undo()
        knowledge.load_all()


def test_the_shipped_texts_hold_only_links_of_the_allowed_kinds():
    """Every link in the shipped Markdown goes to a web page, e-mail address or phone number."""
    import re

    for text in knowledge.load_all().values():
        for target in re.findall(r"\]\(([^)]*)\)", text.body):
            assert target.startswith(("https://", "tel:", "mailto:")), (text.key, target)


def test_files_are_markdown_with_front_matter_in_the_package():
    assert Path(knowledge.KNOWLEDGE_DIR, "stap-1", "algemeen.md").is_file()
