"""The guidance professionals read is data with a date and a source, checked when it is loaded."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from django.apps import apps

from meldwijzer.cases import guidance, workflow
from meldwijzer.cases.entries import MELDRECHT
from meldwijzer.cases.frameworks import OUTCOMES
from meldwijzer.cases.guidance import GuidanceError
from meldwijzer.organisations.roles import Role
from tests.cases.builders import weighing_case


def test_the_shipped_guidance_loads_with_a_date_and_a_source():
    loaded = guidance.load_all()
    assert [item.name for item in loaded] == [
        "stappen.yaml",
        "dossierregels.yaml",
        "indicaties.yaml",
    ]
    for item in loaded:
        assert isinstance(item.stand, datetime.date)
        assert "Rijksoverheid" in item.bron
    assert set(guidance.steps().texts) == set(workflow.STEPS)
    assert set(guidance.indications().texts) == OUTCOMES


def test_the_wording_is_the_wording_professionals_knew():
    assert workflow.STEP_INFO["stap_1"].guidance == (
        "Leg vast wat u zag of hoorde, met datum en bron. Houd feiten en interpretaties uit "
        "elkaar, en noteer ook wat de zorg tegenspreekt."
    )
    assert guidance.indicated("report") == "Melden bij Veilig Thuis"
    assert guidance.indicated(None) == ""
    assert str(MELDRECHT).startswith("Het meldrecht geldt alleen voor Veilig Thuis.")
    # The consultation's explanation ends with the meldrecht, written once in the file.
    assert guidance.entry_intro("consultation").endswith(" " + guidance.meldrecht())
    assert guidance.entry_intro("consultation").startswith("Leg vast wie u raadpleegde")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    for path in guidance.GUIDANCE_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _break(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("stappen.yaml", "stand: 2026-12-02", "stand: binnenkort", "stappen.yaml: 'stand'"),
        ("stappen.yaml", "stand: 2026-12-02", "", "stappen.yaml: 'stand' moet een datum"),
        ("indicaties.yaml", "bron:", "herkomst:", "indicaties.yaml: 'bron'"),
        ("stappen.yaml", "  stap_5:", "  stap_9:", "stappen.yaml: onbekende tekst 'teksten.stap_9'"),
        ("indicaties.yaml", "  help: Hulp", "  # help: Hulp", "'teksten.help' ontbreekt"),
        ("dossierregels.yaml", "  note: Een korte", "  note: []\n  x_note: Een", "dossierregels"),
        ("dossierregels.yaml", "  note: Een korte notitie bij het dossier.", "  note: ''",
         "dossierregels.yaml: 'teksten.note' moet een (niet-lege) tekst zijn"),
        ("dossierregels.yaml", "meldrecht: &meldrecht", "recht: &meldrecht",
         "dossierregels.yaml: 'meldrecht'"),
        ("stappen.yaml", "teksten:", "teksten: [\n", "stappen.yaml: geen geldige YAML"),
    ],
)  # fmt: skip
def test_a_broken_file_names_the_file_and_the_field(copy, name, old, new, message):
    _break(copy, name, old, new)
    with pytest.raises(GuidanceError) as caught:
        guidance.load_all(copy)
    assert message in str(caught.value)
    guidance.load_all()


def test_a_missing_file_is_named(copy):
    (copy / "indicaties.yaml").unlink()
    with pytest.raises(GuidanceError, match=r"indicaties\.yaml: het bestand bestaat niet"):
        guidance.load_all(copy)
    guidance.load_all()


def test_the_application_does_not_start_with_broken_guidance(copy, monkeypatch):
    _break(copy, "stappen.yaml", "  stap_3:", "  stap_33:")
    monkeypatch.setattr(guidance, "GUIDANCE_DIR", copy)
    with pytest.raises(GuidanceError, match=r"stappen\.yaml"):
        apps.get_app_config("cases").ready()
    monkeypatch.undo()
    guidance.load_all()


@pytest.mark.django_db
def test_the_pages_show_as_of_when_the_guidance_is_right(verified, make_member, organisation):
    from meldwijzer.organisations.selectors import actor_for_user

    user = make_member(Role.PROFESSIONAL, organisation)
    actor = actor_for_user(user=user)
    assert actor is not None
    case = weighing_case(actor)
    client = verified(user)
    stand = "Stand: 2 december 2026"
    detail = client.get(f"/casussen/{case.pk}/").content.decode()
    assert guidance.steps().texts["stap_4"] in detail and stand in detail
    entry = client.get(f"/casussen/{case.pk}/vastleggen/signal/").content.decode()
    assert guidance.entry_intro("signal") in entry and stand in entry
