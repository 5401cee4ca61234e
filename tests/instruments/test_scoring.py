"""Scoring the shipped instruments: scores, bands, rules, suggestions, and the reasons for each."""

from __future__ import annotations

import json

import pytest

from meldwijzer.instruments.scoring import JUDGEMENT_NOTE, score
from tests.instruments.builders import neutral_answers, shipped


def _codes(entries) -> list[str]:
    return [entry.code for entry in entries]


def _scores(outcome) -> dict[str, tuple[int, str]]:
    return {s.id: (s.value, s.band) for s in outcome.scores}


def test_a_quiet_home_visit_scores_low_and_suggests_nothing():
    scan = shipped("huisbezoek_scan")
    outcome = score(scan, neutral_answers(scan))
    assert outcome.complete and not outcome.missing
    assert _scores(outcome) == {
        "risico": (0, "laag"),
        "bescherming": (0, "weinig"),
        "signalen": (0, "geen"),
    }
    assert not outcome.flags and not outcome.profiles and not outcome.violence
    assert outcome.note == JUDGEMENT_NOTE


def test_home_visit_scan_suggests_profiles_and_violence_with_the_answers_behind_them():
    scan = shipped("huisbezoek_scan")
    answers = {
        **neutral_answers(scan),
        "gezin_controle": "ja",
        "sig_ouder_angst": "ja",
        "sig_letsel": "ja",
        "sig_getuige": "ja",
        "omgeving_geld": "ja",
        "ouder_stress": "ja",
        "gezin_negatief": "ja",
        "omgeving_buurt": "ja",
        "bf_netwerk": "ja",
    }
    outcome = score(scan, answers)
    assert _scores(outcome)["risico"] == (4, "verhoogd")
    assert _scores(outcome)["signalen"] == (4, "meerdere")
    assert _codes(outcome.profiles) == ["intieme_terreur", "gezin_in_de_stress"]
    assert set(_codes(outcome.violence)) == {"lichamelijk", "getuige"}
    terror = outcome.profiles[0]
    assert terror.reasons[0].rule == "profiel_intieme_terreur"
    assert set(terror.reasons[0].items) == {"gezin_controle", "sig_ouder_angst"}
    stress = outcome.profiles[1]
    assert set(stress.reasons[0].items) == {
        "omgeving_geld",
        "ouder_stress",
        "gezin_negatief",
        "omgeving_buurt",
    }
    # Band outputs carry the score and the items that added points.
    discuss = next(flag for flag in outcome.flags if flag.code == "bespreken")
    assert discuss.reasons[0].scores == ("signalen",)
    assert set(discuss.reasons[0].items) == {
        "gezin_controle",
        "sig_ouder_angst",
        "sig_letsel",
        "sig_getuige",
    }
    # More risk than protection: the balance rule adds a recommendation with both scores.
    balance = next(r for r in outcome.recommendations if r.reasons[0].rule == "balans")
    assert set(balance.reasons[0].scores) == {"risico", "bescherming"}


def test_every_home_visit_question_counts_one_point_and_no_age_limit_is_invented():
    # The source gives risk factors without weights, and young children without an age.
    scan = shipped("huisbezoek_scan")
    assert {item.weight for item in scan.items.values() if item.type == "yes_no"} == {1}
    text = " ".join(f"{item.text} {item.help}" for item in scan.items.values())
    assert "jonger dan" not in text and " jaar" not in text
    young = scan.items["kind_afhankelijk"]
    assert "erg afhankelijk" in young.text and "geen vaste leeftijdsgrens" in young.help


def test_a_disclosure_or_own_judgement_of_danger_flags_consultation_today_first():
    scan = shipped("huisbezoek_scan")
    outcome = score(scan, {**neutral_answers(scan), "veiligheid_nu": 4, "sig_vertelt": "ja"})
    assert outcome.flags[0].code == "vandaag_overleggen"
    assert outcome.flags[0].level == "urgent"
    assert [r.rule for r in outcome.flags[0].reasons] == [
        "onthulling",
        "eigen_inschatting_onveilig",
    ]
    assert score(scan, {**neutral_answers(scan), "veiligheid_nu": 2}).flags == []


def test_unanswered_and_unknown_are_not_counted_and_required_questions_are_listed():
    scan = shipped("huisbezoek_scan")
    outcome = score(
        scan, {"kind_afhankelijk": "onbekend", "onbekende_vraag": "ja", "sig_letsel": "ja"}
    )
    assert not outcome.complete
    assert "kind_prematuur" in outcome.missing and "kind_afhankelijk" not in outcome.missing
    assert "toelichting" not in outcome.missing  # optional
    assert _scores(outcome)["risico"] == (0, "laag")
    assert outcome.answered == 2


def test_family_profiles_are_suggested_from_two_signs_and_terror_in_a_divorce_is_flagged():
    profiles = shipped("gezinsprofielen")
    answers = {
        **neutral_answers(profiles),
        "kinderen_in_huis": "ja",
        "it_controle": "ja",
        "it_angst": "ja",
        "cs_scheiding": "ja",
        "cs_strijd": "ja",
        "cs_klem": "ja",
        "kg_kind": "ja",  # one sign only: not suggested
    }
    outcome = score(profiles, answers)
    assert _codes(outcome.profiles) == ["intieme_terreur", "complexe_conflictscheiding"]
    assert _scores(outcome)["complexe_conflictscheiding"] == (3, "waarschijnlijk")
    assert _scores(outcome)["kindgedrag_opvoedstress"] == (1, "weinig")
    assert _codes(outcome.flags) == ["partners_apart"]
    assert set(_codes(outcome.violence)) == {"getuige", "emotioneel"}
    assert any("bemiddeling" in r.text for r in outcome.recommendations)


def test_trafficking_signals_of_a_minor_are_urgent_and_suggest_exploitation():
    signals = shipped("mensenhandel_signalen")
    base = neutral_answers(signals)
    one = score(signals, {**base, "minderjarig": "ja", "nl_geld": "ja"})
    assert _codes(one.flags) == ["minderjarig"]
    assert one.violence == []
    forced = score(signals, {**base, "gr_paspoort": "ja", "gr_schuld": "ja", "geslacht": "vrouw"})
    assert _codes(forced.violence) == ["uitbuiting"]
    sexual = score(signals, {**base, "nl_afpersing": "ja"})
    assert _codes(sexual.violence) == ["seksueel", "uitbuiting"]
    profile = score(signals, {**base, "pj_overleven": "ja"})
    assert _scores(profile)["risicoprofiel"] == (1, "past")


@pytest.mark.parametrize(
    ("item", "violence"),
    [
        ("vu_werk", ["uitbuiting"]),  # de bouw, de landbouw, huishoudelijk werk
        ("vu_loon", ["uitbuiting"]),  # not paid, or the earnings taken away
        ("vu_crimineel", ["uitbuiting"]),  # diefstal, wietteelt, drugs dealen
        ("vu_orgaan", ["uitbuiting"]),
        ("vu_draagmoeder", ["uitbuiting"]),
        ("vu_seks", ["seksueel", "uitbuiting"]),
    ],
)
def test_every_form_of_trafficking_suggests_exploitation_and_asks_for_advice(item, violence):
    signals = shipped("mensenhandel_signalen")
    outcome = score(signals, {**neutral_answers(signals), item: "ja"})
    assert _codes(outcome.violence) == violence
    assert _codes(outcome.flags) == ["advies_vragen"]
    assert _scores(outcome)["signalen"] == (1, "enkele")
    minor = score(signals, {**neutral_answers(signals), item: "ja", "minderjarig": "ja"})
    assert _codes(minor.flags) == ["minderjarig", "advies_vragen"]


def test_the_trafficking_list_covers_exploitation_outside_the_sex_industry():
    signals = shipped("mensenhandel_signalen")
    text = " ".join([signals.description] + [f"{i.text} {i.help}" for i in signals.items.values()])
    for fact in (
        "de bouw",
        "de landbouw",
        "huishoudelijk werk",
        "diefstal",
        "wietteelt",
        "drugs dealen",
        "niet uit te betalen",
        "ongelukken bij werk in de bouw",
        "Orgaanhandel",
        "gedwongen draagmoederschap",
    ):
        assert fact in text, fact


def test_the_scored_checklist_example_refers_on_score_on_red_and_on_judgement():
    checklist = shipped("voorbeeld_risicochecklist")
    base = neutral_answers(checklist)
    high = {f"b_{name}": "ja" for name in ("erger", "bang", "vertrek", "controle", "kinderen")}
    high |= {"b_zwanger": "ja", "b_verbod": "ja", "b_middelen": "ja"}
    outcome = score(checklist, {**base, **high})
    assert _scores(outcome)["totaal"] == (8, "hoog")
    assert _codes(outcome.flags) == ["casusoverleg", "herbeoordelen"]

    red = score(checklist, {**base, "a_wurgen": "ja"})
    assert _scores(red)["totaal"] == (1, "standaard")
    assert _codes(red.flags) == ["casusoverleg"]
    assert red.flags[0].reasons[0].items == ("a_wurgen",)

    judged = score(checklist, {**base, "eigen_oordeel": "hoger"})
    assert _codes(judged.flags) == ["casusoverleg"]
    judged_high = score(checklist, {**base, **high, "eigen_oordeel": "hoger"})
    # 'not hoog' keeps the judgement rule quiet when the score already refers.
    rules = [r.rule for f in judged_high.flags for r in f.reasons]
    assert "professioneel_oordeel" not in rules


def test_the_outcome_is_plain_data_for_storage():
    scan = shipped("huisbezoek_scan")
    data = json.loads(
        json.dumps(score(scan, {**neutral_answers(scan), "sig_letsel": "ja"}).as_data())
    )
    violence = data["violence"][0]
    assert (violence["code"], violence["label"]) == (
        "lichamelijk",
        "Lichamelijk geweld of mishandeling",
    )
    assert violence["reasons"][0]["items"] == ["sig_letsel"]
    assert {
        "complete",
        "scores",
        "flags",
        "profiles",
        "violence",
        "recommendations",
        "note",
    } <= set(data)
