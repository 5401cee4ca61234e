"""Saving halfway, finishing into an immutable result in the dossier, versions kept with results,
and the functioneel beheerder's choices and uploads."""

from __future__ import annotations

import pytest
from django.http import Http404

from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.audit.models import AccessOutcome as LogOutcome
from meldwijzer.cases import services as case_services
from meldwijzer.cases.entries import SignalForm
from meldwijzer.cases.models import Entry, EntryKind, ImmutableError
from meldwijzer.cases.workflow import Phase
from meldwijzer.instruments import selectors, services
from meldwijzer.instruments.loader import InstrumentDefinitionError
from meldwijzer.instruments.models import (
    InstrumentDefinition,
    InstrumentDraft,
    InstrumentResult,
    OrganisationInstrument,
)
from meldwijzer.instruments.services import InstrumentError
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.instruments.builders import SCAN, neutral_answers, record_result, shipped
from tests.instruments.own_instrument import OWN_V1, OWN_V2

pytestmark = pytest.mark.django_db


def _draft(actor, case, key=SCAN, **answers):
    return services.instrument_draft_save(actor=actor, case=case, key=key, answers=answers)


def _finish(actor, case, key=SCAN, **answers):
    instrument, _ = services.answering_instrument(actor=actor, case=case, key=key)
    return services.instrument_result_record(
        actor=actor, case=case, key=key, answers={**neutral_answers(instrument), **answers}
    )


def _upload(admin, text, enable=True, name="eigen_lijst.yaml"):
    return services.instrument_upload(actor=admin, data=text.encode(), filename=name, enable=enable)


# --- Drafts ---------------------------------------------------------------------------------------


def test_saving_halfway_keeps_a_draft_outside_the_dossier(actor, case):
    version = case.version
    draft = _draft(actor, case, kind_afhankelijk="ja", veiligheid_nu=2)
    assert draft.answers == {"kind_afhankelijk": "ja", "veiligheid_nu": 2}
    assert draft.definition.key == SCAN and draft.definition.digest == shipped().digest
    assert not InstrumentResult.objects.exists()
    assert not Entry.objects.filter(kind=EntryKind.INSTRUMENT_RESULT).exists()
    case.refresh_from_db()
    assert case.version == version  # a draft does not change the case

    again = _draft(actor, case, kind_afhankelijk="nee")
    assert again.pk == draft.pk and again.answers == {"kind_afhankelijk": "nee"}
    logged = AccessLogEntry.objects.filter(part="instrument-concept", subject_id=str(case.pk))
    assert list(logged.order_by("sequence").values_list("action", flat=True)) == [
        Action.CREATE,
        Action.UPDATE,
    ]


def test_a_draft_is_personal(actor, case, officer):
    _draft(actor, case, kind_afhankelijk="ja")
    assert selectors.instrument_draft(case, officer, SCAN) is None
    _draft(officer, case, kind_afhankelijk="nee")
    assert InstrumentDraft.objects.filter(case=case).count() == 2


def test_a_draft_can_be_discarded(actor, case):
    _draft(actor, case, kind_afhankelijk="ja")
    services.instrument_draft_discard(actor=actor, case=case, key=SCAN)
    assert not InstrumentDraft.objects.exists()
    assert AccessLogEntry.objects.filter(part="instrument-concept", action=Action.DELETE).exists()


# --- Results --------------------------------------------------------------------------------------


def test_finishing_records_a_result_with_its_dossier_entry_and_removes_the_draft(actor, case):
    _draft(actor, case, sig_letsel="ja")
    version = case.version
    result = _finish(actor, case, sig_letsel="ja", gezin_controle="ja")
    case.refresh_from_db()
    assert case.version == version + 1
    assert not InstrumentDraft.objects.exists()
    assert (result.key, result.version, result.digest) == (SCAN, "2.0", shipped().digest)
    assert result.definition.source_text == shipped().source_text
    assert result.phase == Phase.SIGNALS
    assert result.answers["sig_letsel"] == "ja"
    assert [v["code"] for v in result.outcome["violence"]] == ["lichamelijk"]
    assert [p["code"] for p in result.outcome["profiles"]] == ["intieme_terreur"]
    entry = result.entry
    assert entry.kind == EntryKind.INSTRUMENT_RESULT and entry.case == case
    assert entry.data["instrument"] == shipped().title
    assert "Intieme terreur" in entry.data["suggested_profiles"]
    log = AccessLogEntry.objects.get(part="instrument")
    assert (log.action, log.subject_id, log.subject_type) == (Action.CREATE, str(case.pk), "casus")


def test_results_are_immutable_and_a_new_assessment_is_a_new_result(actor, case):
    first = record_result(actor, case)
    first.answers = {"sig_letsel": "ja"}
    with pytest.raises(ImmutableError):
        first.save()
    with pytest.raises(ImmutableError):
        first.delete()
    second = record_result(actor, case, sig_letsel="ja")
    assert list(selectors.case_instrument_results(case)) == [
        InstrumentResult.objects.get(pk=first.pk),
        second,
    ]
    assert InstrumentResult.objects.get(pk=first.pk).answers["sig_letsel"] == "nee"


def test_finishing_needs_every_required_answer(actor, case):
    instrument = shipped()
    answers = neutral_answers(instrument)
    del answers["kind_afhankelijk"]
    with pytest.raises(InstrumentError) as refused:
        services.instrument_result_record(actor=actor, case=case, key=SCAN, answers=answers)
    assert refused.value.errors["kind_afhankelijk"] == ["Beantwoord deze vraag."]
    assert (
        not InstrumentResult.objects.exists()
        and not Entry.objects.filter(kind=EntryKind.INSTRUMENT_RESULT).exists()
    )


def test_an_instrument_is_started_only_in_its_phases_but_a_draft_can_be_finished(actor, case):
    _draft(actor, case, kind_afhankelijk="ja")
    case_services.case_record_entry(
        actor=actor,
        case=case,
        expected_version=case.version,
        kind=SignalForm.kind,
        data={"date": "2024-01-01", "category": "overig", "source": "eigen", "facts": "Feit."},
    )
    case_services.case_move(
        actor=actor, case=case, expected_version=case.version, target=Phase.CONSULTATION
    )
    with pytest.raises(InstrumentError, match="stap 1, stap 4 of de evaluatie van de hulp"):
        services.answering_instrument(actor=actor, case=case, key="mensenhandel_signalen")
    result = _finish(actor, case)
    assert result.phase == Phase.CONSULTATION


def test_only_people_who_may_change_the_case_fill_in(actor, case, colleague, officer, stranger):
    for outsider in (colleague, stranger):
        with pytest.raises(InstrumentError, match="mag in deze casus geen instrument"):
            services.answering_instrument(actor=outsider, case=case, key=SCAN)
    assert _finish(officer, case).author == officer.user


def test_a_closed_case_takes_no_new_results(actor, case):
    case.phase = Phase.CLOSED
    case.save(update_fields=["phase"])
    with pytest.raises(InstrumentError, match="afgesloten"):
        services.answering_instrument(actor=actor, case=case, key=SCAN)


def test_a_stale_case_version_is_a_concurrent_edit(actor, case):
    instrument = shipped()
    stale = type(case).objects.get(pk=case.pk)
    record_result(actor, case)
    with pytest.raises(case_services.ConcurrentEditError):
        services.instrument_result_record(
            actor=actor, case=stale, key=SCAN, answers=neutral_answers(instrument)
        )


# --- Which instruments, and their versions ----------------------------------------------------------


def test_shipped_instruments_are_on_except_the_format_example(actor, admin):
    offered = {o.key: o.enabled for o in selectors.instrument_catalogue(actor=admin)}
    assert offered == {
        "gezinsprofielen": True,
        "huisbezoek_scan": True,
        "mensenhandel_signalen": True,
        "voorbeeld_risicochecklist": False,
    }
    assert {o.key for o in selectors.instrument_list(actor=actor) if o.enabled} == {
        "gezinsprofielen",
        "huisbezoek_scan",
        "mensenhandel_signalen",
    }


def test_switching_off_stops_new_work_but_keeps_results(actor, case, admin):
    result = record_result(actor, case)
    _draft(actor, case, key="gezinsprofielen", kinderen_in_huis="ja")
    services.instrument_set_enabled(actor=admin, key=SCAN, enabled=False)
    with pytest.raises(InstrumentError, match="niet \\(meer\\) ingeschakeld"):
        services.answering_instrument(actor=actor, case=case, key=SCAN)
    rows = {row.offered.key: row for row in selectors.case_instruments(case=case, actor=actor)}
    assert rows[SCAN].results == [result] and not rows[SCAN].can_start
    assert rows["gezinsprofielen"].draft is not None
    log = AccessLogEntry.objects.get(subject_type="instrument", subject_id=SCAN)
    assert (log.action, log.part, log.role) == (Action.UPDATE, "uitgeschakeld", "functional_admin")
    services.instrument_set_enabled(actor=admin, key="voorbeeld_risicochecklist", enabled=True)
    assert selectors.instrument_offered(actor=actor, key="voorbeeld_risicochecklist") is not None


def test_only_the_functioneel_beheerder_manages_instruments(actor, admin):
    with pytest.raises(InstrumentError):
        services.instrument_set_enabled(actor=actor, key=SCAN, enabled=False)
    with pytest.raises(InstrumentError):
        services.instrument_upload(
            actor=actor, data=OWN_V1.encode(), filename="x.yaml", enable=True
        )
    with pytest.raises(InstrumentError, match="bestaat niet"):
        services.instrument_set_enabled(actor=admin, key="onbekend", enabled=True)
    assert not OrganisationInstrument.objects.exists()


def test_an_uploaded_instrument_is_offered_only_to_its_own_organisation(actor, admin, stranger):
    definition = _upload(admin, OWN_V1)
    assert (definition.key, definition.version, definition.organisation) == (
        "eigen_lijst",
        "1",
        admin.organisation,
    )
    assert definition.source_text == OWN_V1 and definition.uploaded_by == admin.user
    assert selectors.instrument_offered(actor=actor, key="eigen_lijst") is not None
    assert (
        selectors.instrument_offered(actor=stranger, key="eigen_lijst", enabled_only=False) is None
    )
    log = AccessLogEntry.objects.get(subject_type="instrument", action=Action.CREATE)
    assert (log.subject_id, log.part) == ("eigen_lijst", "versie 1")


def test_an_upload_that_is_switched_off_is_not_offered(actor, admin):
    _upload(admin, OWN_V1, enable=False)
    assert selectors.instrument_offered(actor=actor, key="eigen_lijst") is None


def test_a_new_version_keeps_the_old_one_for_its_results(actor, case, admin):
    _upload(admin, OWN_V1)
    _draft(actor, case, key="eigen_lijst", moe="ja")
    old = _finish(actor, case, key="eigen_lijst", moe="ja", honger="ja")
    _draft(actor, case, key="eigen_lijst", moe="ja")  # started on version 1
    _upload(admin, OWN_V2)
    assert InstrumentDefinition.objects.filter(key="eigen_lijst").count() == 2

    # The draft stays on the version it was started with; a new start takes version 2.
    pinned = _finish(actor, case, key="eigen_lijst", moe="ja")
    fresh = _finish(actor, case, key="eigen_lijst", moe="ja", kleding="ja")
    assert (old.version, pinned.version, fresh.version) == ("1", "1", "2")
    assert "kleding" in fresh.answers and "kleding" not in pinned.answers
    old.refresh_from_db()
    assert (
        selectors.definition_instrument(old.definition).items["moe"].text == "Het kind is vaak moe."
    )
    assert [v["code"] for v in old.outcome["violence"]] == ["verwaarlozing"]


def test_an_invalid_upload_stores_nothing_and_lists_every_problem(admin):
    broken = OWN_V1.replace("violence: [verwaarlozing]", "violence: [honger]").replace(
        "min: 1}", "min: 2}"
    )
    with pytest.raises(InstrumentDefinitionError) as caught:
        _upload(admin, broken, name="kapot.yaml")
    assert len(caught.value.problems) == 2
    assert caught.value.source == "kapot.yaml"
    assert not InstrumentDefinition.objects.exists()
    assert not OrganisationInstrument.objects.exists()
    assert not AccessLogEntry.objects.filter(subject_type="instrument").exists()


def test_uploads_refuse_shipped_keys_and_reused_version_numbers(admin):
    shipped_key = OWN_V1.replace("key: eigen_lijst", "key: huisbezoek_scan")
    with pytest.raises(InstrumentDefinitionError, match="meegeleverd"):
        _upload(admin, shipped_key)
    _upload(admin, OWN_V1)
    with pytest.raises(InstrumentDefinitionError, match="al geladen"):
        _upload(admin, OWN_V1)
    with pytest.raises(InstrumentDefinitionError, match="bestaat al met een andere inhoud"):
        _upload(admin, OWN_V1.replace("Eigen zorgenlijst", "Andere titel"))
    assert InstrumentDefinition.objects.count() == 1


def test_the_same_key_and_version_may_exist_in_two_organisations(
    admin, make_member, other_organisation
):
    other_admin = actor_for_user(user=make_member(Role.FUNCTIONAL_ADMIN, other_organisation))
    _upload(admin, OWN_V1)
    _upload(other_admin, OWN_V1)
    assert InstrumentDefinition.objects.filter(key="eigen_lijst", version="1").count() == 2


# --- Outcomes for other apps (the routekaart) ---------------------------------------------------------


def test_latest_outcomes_per_instrument_with_suggested_profiles(actor, case):
    record_result(actor, case, gezin_controle="ja")
    latest = record_result(actor, case, omgeving_geld="ja", ouder_stress="ja", sig_hardhandig="ja")
    record_result(actor, case, key="gezinsprofielen", cs_scheiding="ja", cs_strijd="ja")
    outcomes = selectors.latest_outcomes_for_case(actor, case)
    assert [o.key for o in outcomes] == ["gezinsprofielen", SCAN]
    scan = outcomes[1]
    assert scan.result_id == latest.pk
    assert scan.profiles == ("gezin_in_de_stress",)
    assert set(scan.violence) == {"lichamelijk", "emotioneel"}
    assert scan.profile_labels == ["Gezin in de stress"]
    assert {s["id"] for s in scan.scores} == {"risico", "bescherming", "signalen"}
    assert AccessLogEntry.objects.filter(part="instrumenten", action=Action.READ).count() == 1


def test_latest_outcomes_follow_the_case_access_rules(actor, case, colleague, stranger, officer):
    record_result(actor, case)
    assert selectors.latest_outcomes_for_case(officer, case)
    for outsider in (colleague, stranger):
        with pytest.raises(Http404):
            selectors.latest_outcomes_for_case(outsider, case)
        assert AccessLogEntry.objects.filter(
            user=outsider.user, outcome=LogOutcome.DENIED, part="instrumenten"
        ).exists()
