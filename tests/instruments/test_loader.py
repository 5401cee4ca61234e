"""Loading definitions: every shipped file loads; a broken file fails with the file, the place and
the problem, in Dutch, listing every problem at once."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from meldwijzer.cases.entries import CATEGORIES
from meldwijzer.cases.workflow import OPEN_PHASES
from meldwijzer.instruments.loader import (
    DEFINITION_DIR,
    MAX_SOURCE_BYTES,
    InstrumentDefinitionError,
    load_file,
    parse_definition,
    parse_upload,
    schema,
    shipped_instruments,
)
from meldwijzer.instruments.profiles import PROFILES

SHIPPED = sorted(DEFINITION_DIR.glob("*.yaml"))
EXAMPLE = (DEFINITION_DIR / "voorbeeld_risicochecklist.yaml").read_text(encoding="utf-8")


def problems_of(text: str, source: str = "eigen.yaml") -> list[str]:
    with pytest.raises(InstrumentDefinitionError) as caught:
        parse_definition(text, source)
    error = caught.value
    assert error.problems, "an error without problems"
    for line in str(error).splitlines():
        assert line.startswith(f"{source}: "), line
    return error.lines()


def edit(old: str, new: str, text: str = EXAMPLE) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_definition_loads(path: Path):
    instrument = load_file(path)
    assert instrument.key == path.stem
    assert instrument.digest == hashlib.sha256(path.read_bytes()).hexdigest()
    assert instrument.source_text == path.read_text(encoding="utf-8")
    assert instrument.sections and instrument.items
    assert set(instrument.phases) <= set(OPEN_PHASES)


def test_the_four_instruments_of_the_issue_are_shipped():
    shipped = shipped_instruments()
    assert set(shipped) == {
        "huisbezoek_scan",
        "gezinsprofielen",
        "mensenhandel_signalen",
        "voorbeeld_risicochecklist",
    }
    example = shipped["voorbeeld_risicochecklist"]
    assert example.format_example and not example.validated
    assert "geen gevalideerd instrument" in example.kind_label
    assert all(not i.validated for i in shipped.values())
    # The family-profile instrument can suggest each of the five profiles.
    suggested = {
        code
        for score in shipped["gezinsprofielen"].scores
        for band in score.bands
        for code in band.outputs.profiles
    }
    assert suggested == set(PROFILES)


def test_the_schema_is_a_valid_json_schema_and_knows_the_open_phases():
    document = schema()
    jsonschema.Draft202012Validator.check_schema(document)
    assert document["properties"]["phases"]["items"]["enum"] == list(OPEN_PHASES)


def test_a_json_definition_loads_like_its_yaml():
    raw = yaml.safe_load(EXAMPLE)
    from_json = parse_definition(json.dumps(raw, ensure_ascii=False), "voorbeeld.json")
    from_yaml = parse_definition(EXAMPLE, "voorbeeld.yaml")
    assert from_json.items.keys() == from_yaml.items.keys()
    assert from_json.scores == from_yaml.scores
    assert from_json.rules == from_yaml.rules


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            edit("min: 5\n        max: 7", "min: 4\n        max: 7"),
            "score 'totaal': banden 'standaard' en 'verhoogd' overlappen: score 4 valt in allebei",
        ),
        (
            edit("min: 5\n        max: 7", "min: 6\n        max: 7"),
            "score 'totaal': tussen band 'standaard' en 'verhoogd' zit een gat: score 5 valt in "
            "geen enkele band",
        ),
        (
            edit(
                "{code: standaard, label: Standaard, min: 0, max: 4}",
                "{code: standaard, label: Standaard, min: 1, max: 4}",
            ),
            "score 'totaal': scores van 0 tot en met 0 vallen in geen enkele band",
        ),
        (
            edit("        min: 8\n        flags", "        min: 8\n        max: 10\n        flags"),
            "score 'totaal': de hoogst mogelijke score is 12, maar de laatste band 'hoog' houdt op "
            "bij 10",
        ),
        (
            edit("{item: b_kinderen, is: ja}", "{item: b_kinders, is: ja}"),
            "regel 'geweld_en_kinderen': vraag 'b_kinders' bestaat niet",
        ),
        (
            edit("{item: b_kinderen, is: ja}", "{item: b_kinderen, is: misschien}"),
            "regel 'geweld_en_kinderen': 'misschien' is geen mogelijk antwoord op vraag "
            "'b_kinderen'",
        ),
        (
            edit("violence: [getuige]", "violence: [getuigen]"),
            "regel 'geweld_en_kinderen': onbekende vorm van geweld 'getuigen'",
        ),
        (
            edit("violence: [getuige]", "profiles: [terreur]"),
            "regel 'geweld_en_kinderen': onbekend gezinsprofiel 'terreur'",
        ),
        (
            edit("flags: [casusoverleg]\n    recommendation", "flags: [casus]\n    recommendation"),
            "regel 'professioneel_oordeel': markering 'casus' staat niet onder 'flags'",
        ),
        (
            edit("id: b_bang", "id: b_erger"),
            "vraag 'b_erger': deze naam is al gebruikt voor een andere vraag",
        ),
        (
            edit("sections: [deel_a, deel_b]", "sections: [deel_a, deel_c]"),
            "score 'totaal': onderdeel 'deel_c' bestaat niet",
        ),
        (
            edit("sections: [deel_a, deel_b]", "items: [a_wurgen, toelichting]"),
            "score 'totaal': vraag 'toelichting' is een tekstvraag en telt niet mee",
        ),
        (
            edit(
                "      - id: toelichting\n        type: text",
                "      - id: toelichting\n        type: text\n        weight: 2",
            ),
            "vraag 'toelichting': veld 'weight' hoort niet bij een tekstvraag",
        ),
        (
            edit(
                "when: {section: deel_a, colour: rood, at_least: 1}",
                "when: {section: deel_a, colour: groen, at_least: 1}",
            ),
            "regel 'rood_in_deel_a': geen van deze vragen kan de kleur 'groen' krijgen",
        ),
        (
            edit("not: {score: totaal, band: hoog}", "not: {score: totaal, band: extreem}"),
            "regel 'professioneel_oordeel': score 'totaal' heeft geen band 'extreem'",
        ),
        (
            edit("    violence: [getuige]\n", "    explanation_extra: x\n"),
            "regel 'geweld_en_kinderen': onbekend veld 'explanation_extra'",
        ),
        (
            edit('version: "1.0"', "version: 1.0"),
            "veld 'version': moet tekst zijn; zet de waarde tussen aanhalingstekens",
        ),
        (
            edit("intended_users:", "intended_user:"),
            "algemeen: verplicht veld ontbreekt: 'intended_users'",
        ),
        (
            edit(
                'colour: rood\n        text: "Voorbeeldvraag: heeft de ander met',
                'colour: paars\n        text: "Voorbeeldvraag: heeft de ander met',
            ),
            "vraag 'a_wapen', veld 'colour': 'paars' is niet toegestaan",
        ),
        (
            edit("key: voorbeeld_risicochecklist", "key: Voorbeeld Checklist"),
            "veld 'key': 'Voorbeeld Checklist' is geen geldige naam",
        ),
        (
            edit("format_example: true", "format_example: true\nvalidated_by: iemand"),
            "algemeen: onbekend veld 'validated_by'",
        ),
    ],
)
def test_a_broken_definition_names_the_place_and_the_problem(text, expected):
    problems = problems_of(text)
    assert any(expected in problem for problem in problems), problems


def test_every_problem_is_listed_at_once():
    text = edit("violence: [getuige]", "violence: [getuigen]")
    text = edit("{item: eigen_oordeel, is: hoger}", "{item: eigen_oordeel, is: veel_hoger}", text)
    text = edit("min: 5\n        max: 7", "min: 6\n        max: 7", text)
    problems = problems_of(text)
    assert len(problems) == 3, problems


def test_structure_problems_are_all_listed_too():
    text = edit("kind: risk_assessment", "kind: risico").replace("weight", "gewicht")
    text = edit("intended_users:", "gebruikers:", text)
    problems = problems_of(text)
    assert any("'risico' is niet toegestaan" in p for p in problems)
    assert any("verplicht veld ontbreekt: 'intended_users'" in p for p in problems)
    assert any("onbekend veld 'gebruikers'" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "het bestand is leeg"),
        ("- een\n- lijst\n", "moet een blok met velden zijn"),
        ("a: &anker [1]\nb: *anker\n", "verwijzingen (anchors en aliassen) zijn niet toegestaan"),
        ("key: a\nkey: b\n", "de naam 'key' komt twee keer voor"),
        ("key: a\n\tversion: b\n", "regel 2"),
        ("title: 'niet gesloten\n", "regel"),
        ("1: een getal als naam\n", "moet tekst zijn"),
        ("datum: 2024-13-45\n", "een waarde kan niet worden gelezen"),
        ("x: " + "[" * 2000 + "]" * 2000, "te diep genest"),
        ("a: \x00b\n", "binaire tekens"),
    ],
)
def test_unreadable_files_give_a_clear_problem(text, expected):
    problems = problems_of(text)
    assert any(expected in problem for problem in problems), problems


def test_text_a_database_cannot_store_is_refused_at_its_place():
    text = EXAMPLE.replace('title: "Voorbeeld: gescoorde', 'title: "Voorbeeld \\ud800')
    assert text != EXAMPLE
    with pytest.raises(InstrumentDefinitionError) as caught:
        parse_upload(text.encode("utf-8"), "escape.yaml")
    (problem,) = caught.value.problems
    assert (problem.location, problem.message, problem.path) == (
        "veld 'title'",
        "bevat een teken dat niet kan worden opgeslagen (U+D800)",
        ("title",),
    )


def test_uploads_must_be_utf8_and_not_too_large():
    with pytest.raises(InstrumentDefinitionError, match="geen UTF-8"):
        parse_upload("titel: é".encode("latin-1"), "oud.yaml")
    with pytest.raises(InstrumentDefinitionError, match="groter dan 256 kB"):
        parse_upload(b"#" * (MAX_SOURCE_BYTES + 1), "groot.yaml")
    with_bom = "\ufeff" + EXAMPLE
    assert parse_upload(with_bom.encode("utf-8"), "bom.yaml").key == "voorbeeld_risicochecklist"


def test_forms_of_violence_are_the_signal_categories_of_the_dossier():
    codes = {code for code, _ in CATEGORIES}
    for instrument in shipped_instruments().values():
        for score in instrument.scores:
            for band in score.bands:
                assert set(band.outputs.violence) <= codes
        for rule in instrument.rules:
            assert set(rule.outputs.violence) <= codes
            assert set(rule.outputs.profiles) <= set(PROFILES)


def test_recommendations_support_rather_than_instruct():
    for instrument in shipped_instruments().values():
        texts = [rule.outputs.recommendation for rule in instrument.rules] + [
            band.outputs.recommendation for score in instrument.scores for band in score.bands
        ]
        for text in filter(None, texts):
            assert " moet " not in f" {text} ", (instrument.key, text)


def test_a_broken_shipped_file_is_reported_by_the_system_check(tmp_path, monkeypatch):
    from meldwijzer.instruments import loader
    from meldwijzer.instruments.checks import shipped_definitions_load

    assert shipped_definitions_load() == []
    (tmp_path / "kapot.yaml").write_text(edit("violence: [getuige]", "violence: [x]"), "utf-8")
    monkeypatch.setattr(loader, "DEFINITION_DIR", tmp_path)
    try:
        (message,) = shipped_definitions_load()
        assert message.id == "instruments.E001"
        assert (
            "kapot.yaml: regel 'geweld_en_kinderen': onbekende vorm van geweld 'x'" in message.msg
        )
    finally:
        monkeypatch.undo()
        loader.shipped_instruments.cache_clear()
    assert len(shipped_instruments()) == 4


def test_the_example_in_the_format_documentation_loads():
    document = (Path(__file__).resolve().parents[2] / "docs" / "instrument-format.md").read_text(
        encoding="utf-8"
    )
    example = document.split("```yaml\n", 1)[1].split("```", 1)[0]
    instrument = parse_definition(example, "instrument-format.md")
    assert instrument.key == "eigen_checklist"
    assert [band.code for band in instrument.scores[0].bands] == ["laag", "verhoogd", "hoog"]
    assert instrument.scores[0].highest == 7
