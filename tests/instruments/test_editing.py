"""Adjusting an instrument on the beheer page: a new version of the organisation's own, checked
by the same loader as an upload, used for new results while earlier results keep their version;
bands that leave a gap or overlap are refused at the right field and nothing is stored; only the
organisation's functioneel beheerder may do it."""

from __future__ import annotations

import pytest
import yaml
from django.core.exceptions import PermissionDenied
from django.http import Http404

from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.audit.models import AccessOutcome as LogOutcome
from meldwijzer.instruments import editing, selectors, services
from meldwijzer.instruments.editing import BandEdit, InstrumentEdit, QuestionEdit
from meldwijzer.instruments.forms import EditForm
from meldwijzer.instruments.loader import Problem, parse_definition
from meldwijzer.instruments.models import (
    InstrumentDefinition,
    InstrumentResult,
    OrganisationInstrument,
)
from meldwijzer.instruments.services import (
    InstrumentEditConflict,
    InstrumentEditError,
    instrument_edit_preview,
    instrument_edit_save,
)
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.instruments.builders import SCAN, neutral_answers, record_result, shipped
from tests.instruments.own_instrument import OWN_V1, OWN_V2

pytestmark = pytest.mark.django_db

NEW_YOUNG = "Er is een baby of peuter in het gezin die nog helemaal op de ouders is aangewezen."


def _bands(**limits: tuple[str, int | None, int | None]) -> dict[str, dict[str, BandEdit]]:
    return {"risico": {code: BandEdit(*value) for code, value in limits.items()}}


def _save(admin, edit: InstrumentEdit, key: str = SCAN, based_on: str = "2.0"):
    return instrument_edit_save(actor=admin, key=key, edit=edit, based_on_version=based_on)


def _definitions() -> int:
    return InstrumentDefinition.objects.filter(organisation__isnull=False).count()


ADJUSTMENT = InstrumentEdit(
    title="Huisbezoek-scan wijkteam",
    questions={
        "kind_afhankelijk": QuestionEdit(NEW_YOUNG, "Onze eigen toelichting."),
        "kind_prematuur": QuestionEdit("x", "", enabled=False),
    },
    bands=_bands(
        laag=("Weinig risicofactoren", 0, 4),
        verhoogd=("Verhoogd", 5, 8),
    ),
)


# --- A valid adjustment ---------------------------------------------------------------------------


def test_a_valid_adjustment_is_a_new_version_for_new_results_and_old_results_keep_theirs(
    actor, case, admin
):
    before = record_result(actor, case, kind_afhankelijk="ja", kind_prematuur="ja")
    saved = _save(admin, ADJUSTMENT)

    definition = saved.definition
    assert definition is not None
    assert (definition.organisation, definition.key, definition.version) == (
        admin.organisation,
        SCAN,
        "2.0-1",
    )
    assert definition.title == "Huisbezoek-scan wijkteam"
    assert definition.based_on.organisation is None  # the shipped version it starts from
    assert definition.based_on.digest == shipped().digest
    assert definition.uploaded_by == admin.user
    stored = parse_definition(definition.source_text, "opgeslagen.yaml")  # the loader accepts it
    assert stored.digest == definition.digest
    assert "kind_prematuur" not in stored.items
    assert stored.items["kind_afhankelijk"].text == NEW_YOUNG

    # New results use the adjusted version ...
    after = record_result(actor, case, kind_afhankelijk="ja")
    assert (after.version, after.definition) == ("2.0-1", definition)
    risk = next(s for s in after.outcome["scores"] if s["id"] == "risico")
    assert (risk["band_label"], risk["highest"]) == ("Weinig risicofactoren", 21)
    # ... and the earlier result keeps the shipped version, its questions and its outcome.
    before = InstrumentResult.objects.get(pk=before.pk)
    assert (before.version, before.digest) == ("2.0", shipped().digest)
    old = selectors.definition_instrument(before.definition)
    assert "kind_prematuur" in old.items
    assert old.items["kind_afhankelijk"].text == shipped().items["kind_afhankelijk"].text
    assert next(s for s in before.outcome["scores"] if s["id"] == "risico")["band"] == "laag"

    log = AccessLogEntry.objects.get(subject_type="instrument", action=Action.CREATE)
    assert (log.subject_id, log.part, log.user) == (SCAN, "versie 2.0-1 (aangepast)", admin.user)


def test_a_draft_started_before_the_adjustment_is_finished_on_its_own_version(actor, case, admin):
    services.instrument_draft_save(
        actor=actor, case=case, key=SCAN, answers={"kind_prematuur": "ja"}
    )
    _save(admin, ADJUSTMENT)
    result = record_result(actor, case, kind_prematuur="ja")
    assert result.version == "2.0" and result.answers["kind_prematuur"] == "ja"
    assert record_result(actor, case).version == "2.0-1"


def test_the_adjusted_version_is_only_the_own_organisations(
    actor, admin, make_member, other_organisation
):
    _save(admin, ADJUSTMENT)
    other = actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, other_organisation))
    assert selectors.instrument_offered(actor=actor, key=SCAN).instrument.version == "2.0-1"
    theirs = selectors.instrument_editable(actor=other, key=SCAN)
    assert theirs.offered.instrument.digest == shipped().digest and not theirs.offered.adjusted
    # The other organisation adjusts the shipped version, not ours, and numbers its own.
    saved = _save(other, InstrumentEdit(title="Scan Kinderopvang Ander"))
    assert saved.definition.version == "2.0-1"
    assert "kind_prematuur" in parse_definition(saved.definition.source_text, "x").items


def test_each_adjustment_starts_from_the_same_base_so_a_question_can_come_back(admin):
    _save(admin, ADJUSTMENT)
    editable = selectors.instrument_editable(actor=admin, key=SCAN)
    question = next(q for q in editable.editor.questions() if q.item.id == "kind_prematuur")
    assert not question.enabled and question.text == shipped().items["kind_prematuur"].text
    again = _save(
        admin,
        InstrumentEdit(questions={"kind_prematuur": QuestionEdit(question.text, "")}),
        based_on="2.0-1",
    )
    assert again.definition.version == "2.0-2"
    assert again.definition.based_on == editable.base_definition
    assert [(c.subject, c.summary) for c in again.preview.changes if "Vraag" in c.subject] == [
        (f"Vraag ‘{question.text}’", "aangezet")
    ]
    current = selectors.instrument_offered(actor=admin, key=SCAN, enabled_only=False)
    assert current.instrument.items["kind_afhankelijk"].text == NEW_YOUNG  # kept
    assert [d.version for d in current.versions] == ["2.0-1", "2.0-2"]


def test_an_uploaded_instrument_can_be_adjusted_too(admin):
    services.instrument_upload(actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True)
    saved = _save(
        admin,
        InstrumentEdit(description="Onze lijst, met een nieuwe inleiding."),
        key="eigen_lijst",
        based_on="1",
    )
    assert saved.definition.version == "1-1"
    assert saved.definition.based_on.version == "1"
    assert [c.subject for c in saved.preview.changes] == ["Inleiding"]
    assert saved.preview.shipped_changes == []


def test_the_preview_says_what_changes_in_words_and_stores_nothing(admin):
    preview = instrument_edit_preview(
        actor=admin, key=SCAN, edit=ADJUSTMENT, based_on_version="2.0"
    )
    summary = [(c.subject, c.summary) for c in preview.changes]
    assert ("Naam", "gewijzigd") in summary
    assert (
        f"Vraag ‘{shipped().items['kind_afhankelijk'].text[:79].rstrip()}…’",
        "tekst gewijzigd",
    ) in summary
    assert any(s == "toelichting gewijzigd" for _, s in summary)
    assert any(s == "uitgezet" for _, s in summary)
    assert ("Score ‘Risicofactoren’", "hoogst mogelijke score 22 → 21") in summary
    assert (
        "Band ‘Laag’ van ‘Risicofactoren’",
        "naam ‘Laag’ → ‘Weinig risicofactoren’; 0 tot en met 3 → 0 tot en met 4",
    ) in summary
    assert ("Band ‘Verhoogd’ van ‘Risicofactoren’", "4 tot en met 8 → 5 tot en met 8") in summary
    assert preview.instrument.version == "2.0-1" and preview.new_version
    assert preview.shipped_changes == preview.changes  # the first adjustment of a shipped one
    assert not any(preview.instrument.digest in c.after for c in preview.changes)
    assert _definitions() == 0
    assert not AccessLogEntry.objects.filter(subject_type="instrument").exists()


def test_switching_on_or_off_alone_makes_no_new_version(admin):
    saved = _save(admin, InstrumentEdit(enabled=False))
    assert saved.definition is None and not saved.preview.new_version
    assert OrganisationInstrument.objects.get(key=SCAN).enabled is False
    assert _definitions() == 0
    log = AccessLogEntry.objects.get(subject_type="instrument")
    assert (log.action, log.part) == (Action.UPDATE, "uitgeschakeld")


def test_an_adjustment_and_switching_off_happen_together(admin):
    saved = _save(admin, InstrumentEdit(title="Uit en aangepast", enabled=False))
    assert saved.definition.version == "2.0-1"
    assert OrganisationInstrument.objects.get(key=SCAN).enabled is False


def test_the_stored_file_is_plain_yaml_that_says_where_it_came_from(admin):
    text = _save(admin, ADJUSTMENT).definition.source_text
    assert text.startswith("# Huisbezoek-scan huiselijk geweld en kindermishandeling, aangepast")
    assert str(admin.organisation) in text.splitlines()[0]
    assert "&" not in text and "*id" not in text  # no anchors or aliases
    data = yaml.safe_load(text)
    assert (
        data["version"] == "2.0-1"
        and data["rules"] == yaml.safe_load(shipped().source_text)["rules"]
    )


# --- Refused adjustments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limits", "path", "message"),
    [
        (
            {"laag": ("Laag", 0, 4)},  # verhoogd still starts at 4
            ("band", "risico", "laag", "max"),
            "banden 'laag' en 'verhoogd' overlappen: score 4 valt in allebei",
        ),
        (
            {"laag": ("Laag", 0, 2)},
            ("band", "risico", "laag", "max"),
            "tussen band 'laag' en 'verhoogd' zit een gat: score 3 valt in geen enkele band",
        ),
        (
            {"laag": ("Laag", 1, 3)},
            ("band", "risico", "laag", "min"),
            "scores van 0 tot en met 0 vallen in geen enkele band",
        ),
        (
            {"hoog": ("Hoog", 9, 20)},
            ("band", "risico", "hoog", "max"),
            "de hoogst mogelijke score is 22, maar de laatste band 'hoog' houdt op bij 20",
        ),
        (
            {"verhoogd": ("", 4, 8)},
            ("band", "risico", "verhoogd", "label"),
            "mag niet leeg zijn",
        ),
    ],
)
def test_bands_with_a_gap_or_overlap_are_refused_at_the_field_and_nothing_is_stored(
    admin, limits, path, message
):
    with pytest.raises(InstrumentEditError) as caught:
        _save(admin, InstrumentEdit(bands=_bands(**limits)))
    assert [(p.path, p.message) for p in caught.value.problems if p.path == path]
    assert any(message in p.message for p in caught.value.problems)
    assert _definitions() == 0
    assert not OrganisationInstrument.objects.exists()
    assert not AccessLogEntry.objects.filter(subject_type="instrument").exists()


def test_switching_off_questions_so_a_band_cannot_be_reached_is_refused(admin):
    # Seven risk factors off leaves 15 points: a band 'hoog' from 16 could never be reached.
    editable = selectors.instrument_editable(actor=admin, key=SCAN)
    risk = [
        q
        for q in editable.editor.questions()
        if q.item.id in shipped().scores[0].items and not q.locked
    ]
    assert len(risk) == 7
    off = {q.item.id: QuestionEdit(q.text, q.help, enabled=False) for q in risk}
    bands = _bands(verhoogd=("Verhoogd", 4, 15), hoog=("Hoog", 16, None))
    with pytest.raises(InstrumentEditError) as caught:
        _save(admin, InstrumentEdit(questions=off, bands=bands))
    (problem,) = caught.value.problems
    assert problem.path == ("band", "risico", "hoog", "min")
    assert "onbereikbaar: de hoogst mogelijke score is 15" in problem.message
    assert _definitions() == 0
    # Without the unreachable band the same questions can go.
    bands = _bands(verhoogd=("Verhoogd", 4, 8), hoog=("Hoog", 9, None))
    assert _save(admin, InstrumentEdit(questions=off, bands=bands)).definition is not None


def test_a_question_a_rule_uses_cannot_be_switched_off(admin):
    with pytest.raises(InstrumentEditError) as caught:
        _save(admin, InstrumentEdit(questions={"sig_vertelt": QuestionEdit("x", "", False)}))
    (problem,) = caught.value.problems
    assert problem.path == ("question", "sig_vertelt", "enabled")
    assert problem.message == editing.LOCKED_BY_RULE
    assert _definitions() == 0


def test_a_part_cannot_lose_all_its_questions(admin):
    off = {
        item: QuestionEdit("x", "", enabled=False)
        for item in ("bf_ouder_warm", "bf_ouder_open", "bf_ouders_samen")
    }
    with pytest.raises(InstrumentEditError, match="houdt minstens één vraag"):
        _save(admin, InstrumentEdit(questions=off))


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (InstrumentEdit(title=""), ("title",), "mag niet leeg zijn"),
        (InstrumentEdit(title="x" * 301), ("title",), "is te lang (hoogstens 300 tekens)"),
        (
            InstrumentEdit(questions={"sig_letsel": QuestionEdit("", "")}),
            ("question", "sig_letsel", "text"),
            "mag niet leeg zijn",
        ),
        (
            InstrumentEdit(questions={"bestaat_niet": QuestionEdit("x", "")}),
            ("question", "bestaat_niet"),
            "deze vraag bestaat niet in dit instrument",
        ),
        (
            InstrumentEdit(bands={"risico": {"extreem": BandEdit("Extreem", 30, None)}}),
            ("band", "risico", "extreem"),
            "deze band bestaat niet in deze score",
        ),
        (InstrumentEdit(), (), "U hebt nog niets veranderd."),
        (InstrumentEdit(title=shipped().title), (), "U hebt nog niets veranderd."),
    ],
)
def test_bad_input_is_a_dutch_message_at_its_field(admin, edit, path, message):
    with pytest.raises(InstrumentEditError) as caught:
        _save(admin, edit)
    assert (path, message) in [(p.path, p.message) for p in caught.value.problems]
    assert _definitions() == 0


def test_an_edit_of_a_version_that_is_no_longer_current_is_refused(admin):
    _save(admin, ADJUSTMENT)
    with pytest.raises(InstrumentEditConflict, match="Intussen is er een andere versie"):
        _save(admin, InstrumentEdit(title="Te laat"), based_on="2.0")
    assert _definitions() == 1


# --- Who may adjust -------------------------------------------------------------------------------


def test_a_professional_may_not_adjust_and_the_refusal_is_logged(actor):
    for call in (instrument_edit_save, instrument_edit_preview):
        with pytest.raises(PermissionDenied):
            call(actor=actor, key=SCAN, edit=ADJUSTMENT, based_on_version="2.0")
    assert _definitions() == 0
    refused = AccessLogEntry.objects.filter(user=actor.user, outcome=LogOutcome.DENIED)
    assert refused.count() == 2
    assert set(refused.values_list("subject_id", flat=True)) == {SCAN}


def test_another_organisations_instrument_is_not_found_and_the_refusal_is_logged(
    admin, make_member, other_organisation
):
    services.instrument_upload(actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True)
    other = actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, other_organisation))
    with pytest.raises(Http404):
        _save(other, InstrumentEdit(title="Overgenomen"), key="eigen_lijst", based_on="1")
    assert InstrumentDefinition.objects.filter(key="eigen_lijst").count() == 1
    assert AccessLogEntry.objects.filter(
        user=other.user, outcome=LogOutcome.DENIED, subject_id="eigen_lijst"
    ).exists()


# --- The pure parts -------------------------------------------------------------------------------


def test_version_numbers_of_adjustments_count_up_and_fit():
    assert editing.next_version("2.0", set()) == "2.0-1"
    assert editing.next_version("2.0", {"2.0-1", "2.0-2"}) == "2.0-3"
    long = editing.next_version("x" * 20, set())
    assert len(long) == 20 and long.endswith("-1")


def test_questions_named_by_rules_are_locked_in_the_editor(admin):
    editable = selectors.instrument_editable(actor=admin, key=SCAN)
    locked = {q.item.id for q in editable.editor.questions() if q.locked}
    assert {"sig_vertelt", "veiligheid_nu", "gezin_controle", "omgeving_geld"} <= locked
    assert "kind_prematuur" not in locked and "toelichting" not in locked


def test_neutral_answers_still_finish_the_adjusted_version(actor, case, admin):
    _save(admin, ADJUSTMENT)
    instrument, _ = services.answering_instrument(actor=actor, case=case, key=SCAN)
    assert "kind_prematuur" not in neutral_answers(instrument)


def test_two_beheerders_saving_at_once_store_one_version(admin, make_member, organisation):
    # Both opened the editor on 2.0; the second save is checked again inside its transaction.
    second = actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, organisation))
    late = instrument_edit_preview(
        actor=second, key=SCAN, edit=InstrumentEdit(title="Tweede"), based_on_version="2.0"
    )
    _save(admin, ADJUSTMENT)
    with pytest.raises(InstrumentEditConflict):
        services._store_edit(second, late)
    assert [d.title for d in InstrumentDefinition.objects.filter(organisation=organisation)] == [
        "Huisbezoek-scan wijkteam"
    ]


def test_a_rule_the_adjustment_breaks_is_named_by_its_explanation_in_the_form(admin):
    editable = selectors.instrument_editable(actor=admin, key="voorbeeld_risicochecklist")
    form = EditForm({"gebruik": "uit", "basis": "1.0"}, editor=editable.editor, enabled=False)
    assert form.is_valid()
    form.add_problems(
        [Problem("regel 'rood_in_deel_a'", "geen van deze vragen kan de kleur 'rood' krijgen")]
    )
    (error,) = form.non_field_errors()
    assert error.startswith("De regel ‘Er is een ‘ja’ in deel A (ernstige signalen)")
    assert "rood_in_deel_a" not in error


def test_an_upload_between_the_preview_and_the_save_is_not_overwritten(admin):
    services.instrument_upload(actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True)
    late = instrument_edit_preview(
        actor=admin, key="eigen_lijst", edit=InstrumentEdit(title="Laat"), based_on_version="1"
    )
    services.instrument_upload(actor=admin, data=OWN_V2.encode(), filename="e.yaml", enable=True)
    with pytest.raises(InstrumentEditConflict):
        services._store_edit(admin, late)
    current = selectors.instrument_offered(actor=admin, key="eigen_lijst")
    assert current.instrument.version == "2"
