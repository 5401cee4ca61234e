"""The routekaart: rules as data, validated when loaded, and routes built from them."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from meldwijzer.social_map import routes
from meldwijzer.social_map.demo import load as load_demo
from meldwijzer.social_map.forms import RouteForm
from meldwijzer.social_map.routes import RouteRulesError, Situation, build_rules, route_build

RAW = yaml.safe_load(routes.RULES_FILE.read_text(encoding="utf-8"))


def test_the_shipped_rules_are_valid():
    ruleset = routes.rules()
    assert {level.id for level in ruleset.levels} == {"direct_melden", "melden", "advies", "geen"}
    assert len(ruleset.rules) >= 15
    assert set(ruleset.profiles) == {
        "intieme_terreur",
        "gezin_in_de_stress",
        "langdurige_zorg",
        "kindgedrag_opvoedstress",
        "complexe_conflictscheiding",
    }


def test_the_profile_codes_are_the_instruments_app_codes():
    profiles = pytest.importorskip("meldwijzer.instruments.profiles")
    assert set(routes.rules().profiles) == set(profiles.PROFILES)


def _broken(change) -> dict:
    raw = copy.deepcopy(RAW)
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r["rules"][3]["when"].update(violence=["schoppen"]),
            "onbekende code(s) bij violence: schoppen",
        ),
        (lambda r: r["rules"][3]["when"].update(weer=["regen"]), "onbekende voorwaarde 'weer'"),
        (lambda r: r["rules"][3].pop("why"), "'why' ontbreekt"),
        (lambda r: r["rules"][3].update(help=["wonderolie"]), "onbekende soort hulp: wonderolie"),
        (
            lambda r: r["rules"][3].update(consult=["waarzegger"]),
            "onbekend wie te raadplegen: waarzegger",
        ),
        (
            lambda r: r["rules"][3].update(veilig_thuis="later"),
            "onbekend Veilig Thuis-niveau 'later'",
        ),
        (lambda r: r["rules"].append(dict(r["rules"][0])), "dit id komt twee keer voor"),
        (lambda r: r["rules"][3]["when"].update(steps=["stap_9"]), "onbekende code(s) bij steps"),
        (lambda r: r.pop("veilig_thuis"), "'veilig_thuis' ontbreekt"),
        (lambda r: r["rules"][3].update(help="opvang"), "verwacht een lijst met codes"),
        (lambda r: r["rules"][3].update(avoid=["zweverig"]), "onbekende soort hulp: zweverig"),
        (
            lambda r: r.update(specialised=["heimwee"]),
            "onbekende vorm(en) van geweld bij specialised: heimwee",
        ),
        (
            lambda r: r["consult"]["politie"].pop("anonymous"),
            "raadplegen 'politie': zeg met 'anonymous: true' of 'false'",
        ),
        (lambda r: r.pop("anonymous_reminder"), "'anonymous_reminder' ontbreekt"),
    ],
)
def test_broken_rules_fail_with_the_rule_and_the_problem(change, message):
    with pytest.raises(RouteRulesError) as error:
        build_rules(_broken(change), "routes.yaml")
    assert message in str(error.value)
    assert str(error.value).startswith("routes.yaml")


def test_a_file_that_is_not_yaml(tmp_path: Path):
    path = tmp_path / "routes.yaml"
    path.write_text("rules: [unclosed")
    with pytest.raises(RouteRulesError, match="geen geldige YAML"):
        routes.load_rules(path)


# --- Routes -----------------------------------------------------------------------------------


@pytest.fixture
def demo_map(db):
    from meldwijzer.accounts.demo import load as load_accounts
    from meldwijzer.organisations.demo import load as load_organisations

    load_organisations()
    load_accounts()
    load_demo()


def test_without_a_situation_the_route_is_calm_and_points_at_the_officer():
    route = route_build(Situation())
    assert route.level.id == "geen"
    assert [advice.consult.id for advice in route.consult] == ["aandachtsfunctionaris"]
    assert route.help == []


def test_acute_unsafety_means_reporting_now_and_calling_the_police(db):
    route = route_build(Situation(urgency=frozenset({"acuut"}), step="stap_2"))
    assert route.level.id == "direct_melden"
    assert "politie" in [advice.consult.id for advice in route.consult]
    assert {need.code for need in route.help} >= {"acute_hulp", "opvang"}
    assert route.step_label.startswith("Stap 2")
    assert "Veilig Thuis" in route.step_guidance


def test_acute_and_structural_unsafety_can_hold_together(db):
    route = route_build(Situation(urgency=frozenset({"acuut", "structureel"})))
    assert route.level.id == "direct_melden"
    assert {"acuut", "structureel"} <= {rule.id for rule in route.applied}
    assert {need.code for need in route.help} >= {"acute_hulp", "opvang", "ambulante_hulp"}
    assert ("Onveiligheid", "Acute onveiligheid en structurele onveiligheid") in route.summary


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        (
            ["geen", "acuut"],
            "U kunt ‘Geen acute of structurele onveiligheid’ niet samen met acute onveiligheid "
            "kiezen. Kies het een of het ander.",
        ),
        (
            ["structureel", "geen", "acuut"],
            "niet samen met acute onveiligheid en structurele onveiligheid kiezen.",
        ),
    ],
)
def test_no_unsafety_cannot_be_combined_with_acute_or_structural(codes, message):
    form = RouteForm({"urgency": codes})
    assert not form.is_valid()
    assert message in form.errors["urgency"][0]


@pytest.mark.parametrize("codes", [["acuut"], ["acuut", "structureel"], ["geen"], []])
def test_acute_and_structural_may_be_chosen_together(codes):
    form = RouteForm({"urgency": codes})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["urgency"] == codes


def test_the_most_urgent_level_wins_and_says_why(db):
    route = route_build(
        Situation(violence=frozenset({"seksueel"}), urgency=frozenset({"structureel"}))
    )
    assert route.level.id == "melden"
    assert route.level_reasons == [
        "Bij structurele onveiligheid is melden de norm; hulp blijft nodig."
    ]


def test_intimate_terror_near_emmeloord_finds_help_and_explains_it(demo_map):
    route = route_build(
        Situation(
            violence=frozenset({"getuige"}),
            target_groups=frozenset({"plegers"}),
            profiles=frozenset({"intieme_terreur"}),
            urgency=frozenset({"structureel"}),
            step="stap_4",
            postcode="8302",
        )
    )
    assert route.level.id == "melden"
    needs = {need.code: need for need in route.help}
    assert {"opvang", "ambulante_hulp", "daderhulp", "juridisch"} <= set(needs)
    assert any("intieme terreur" in reason.lower() for reason in needs["daderhulp"].reasons)
    # No daderhulp in the region: the nearest is in Zwolle (34 km), then Almere (53 km).
    found = [(fit.hit.service.provider.name, fit.reasons) for fit in needs["daderhulp"].services]
    assert [name for name, _ in found] == ["Centrum Omslag Zwolle", "Poli Keerpunt Almere"]
    assert found[0][1][0] == "biedt hulp voor plegers"
    assert "voor plegers" in found[0][1]
    assert "op 34 km" in found[0][1]
    # The shelter's address is secret: it fits, without a distance.
    shelter = needs["opvang"].services[0]
    assert shelter.hit.service.name == "Vrouwenopvang"
    assert shelter.hit.distance_km is None
    assert any("partners apart" in note for note in route.notes)
    # Joint family or couple therapy does not fit intimate terror: it is left out everywhere.
    listed = {fit.hit.service.name for need in route.help for fit in need.services}
    assert "Gezinstherapie" not in listed and "gezinstherapie" not in needs
    # Nor does help specialised in other forms of violence only.
    assert "Acute hulp na seksueel geweld" not in listed
    assert "Hulp bij mensenhandel en uitbuiting" not in listed


def test_family_therapy_fits_a_family_under_stress(demo_map):
    route = route_build(Situation(profiles=frozenset({"gezin_in_de_stress"}), postcode="8302"))
    needs = {need.code: need for need in route.help}
    assert [fit.hit.service.name for fit in needs["gezinstherapie"].services] == ["Gezinstherapie"]


def test_the_officer_is_the_one_of_the_professionals_own_organisation(demo_map):
    from meldwijzer.organisations.models import Organisation
    from meldwijzer.social_map.selectors import officer_for

    officer = officer_for(Organisation.objects.get(name="Sociaal Wijkteam Emmeloord"))
    route = route_build(Situation(step="stap_1"), officer=officer)
    advice = next(a for a in route.consult if a.consult.id == "aandachtsfunctionaris")
    assert advice.officer is not None and advice.officer.name == "Marieke Postma"


# --- What the meldrecht covers ----------------------------------------------------------------


def test_only_veilig_thuis_and_the_own_officer_are_covered_by_the_meldrecht():
    ruleset = routes.rules()
    covered = {code for code, consult in ruleset.consult.items() if not consult.anonymous}
    assert covered == {"veilig_thuis", "aandachtsfunctionaris"}
    assert "artikel 5.2.6 Wmo 2015" in ruleset.anonymous_reminder.text


def test_consulting_outside_veilig_thuis_comes_with_the_meldrecht_reminder(db):
    route = route_build(
        Situation(
            violence=frozenset({"seksueel"}),
            profiles=frozenset({"gezin_in_de_stress"}),
            urgency=frozenset({"acuut"}),
            step="stap_2",
        )
    )
    reminders = {advice.consult.id: advice.reminder for advice in route.consult}
    assert {"politie", "csg", "wijkteam", "veilig_thuis", "aandachtsfunctionaris"} <= set(reminders)
    for outside in ("politie", "csg", "wijkteam"):
        assert reminders[outside] == routes.rules().anonymous_reminder, outside
    assert reminders["veilig_thuis"] is None
    assert reminders["aandachtsfunctionaris"] is None


# --- Forms of violence with their own guidance ----------------------------------------------------


@pytest.mark.parametrize(
    ("forms", "rule", "consult", "says"),
    [
        (
            {"eergerelateerd"},
            "eergerelateerd_geweld",
            {"veilig_thuis"},
            "Bespreek de signalen niet met de ouders of de familie voordat u een deskundige hebt "
            "geraadpleegd: Veilig Thuis heeft die deskundigheid.",
        ),
        (
            {"huwelijksdwang"},
            "huwelijksdwang_en_achterlating",
            {"lkha", "veilig_thuis"},
            "Handel vóór een reis naar het buitenland",
        ),
        (
            {"achterlating"},
            "huwelijksdwang_en_achterlating",
            {"lkha", "veilig_thuis"},
            "Landelijk Knooppunt Huwelijksdwang en Achterlating",
        ),
        (
            {"vgv"},
            "vrouwelijke_genitale_verminking",
            {"jgz", "veilig_thuis"},
            "Handel vóór de zomervakantie",
        ),
        ({"ouderen"}, "ouderenmishandeling", {"veilig_thuis", "wijkteam"}, "financiële uitbuiting"),
    ],
)
def test_each_form_of_violence_has_its_own_guidance(db, forms, rule, consult, says):
    route = route_build(Situation(violence=frozenset(forms), step="stap_2"))
    assert rule in {applied.id for applied in route.applied}
    assert any(says in note for note in route.notes), route.notes
    assert consult <= {advice.consult.id for advice in route.consult}
    assert route.level.id == "advies"


def test_honour_related_violence_leaves_out_family_therapy(db):
    route = route_build(
        Situation(
            violence=frozenset({"eergerelateerd"}), profiles=frozenset({"gezin_in_de_stress"})
        )
    )
    assert "gezinstherapie" not in {need.code for need in route.help}
    assert {"opvang", "juridisch"} <= {need.code for need in route.help}
    assert any("meerdere familieleden" in reason for reason in route.level_reasons)


def test_forced_marriage_and_leaving_behind_are_criminal_and_urgent(db):
    route = route_build(Situation(violence=frozenset({"huwelijksdwang"})))
    assert any("strafbaar" in note for note in route.notes)
    assert any("telt de tijd" in reason for reason in route.level_reasons)


def test_female_genital_mutilation_is_a_criminal_offence_and_a_threat_means_reporting(db):
    route = route_build(Situation(violence=frozenset({"vgv"})))
    assert any("strafbaar, ook als het in het buitenland gebeurt" in r for r in route.level_reasons)
    assert any("bij een concrete dreiging" in note for note in route.notes)
    assert {"medische_hulp", "ambulante_hulp"} <= {need.code for need in route.help}
    # A planned trip makes it acute: report now.
    acute = route_build(Situation(violence=frozenset({"vgv"}), urgency=frozenset({"acuut"})))
    assert acute.level.id == "direct_melden"


def test_elder_abuse_points_at_the_carer_and_at_veilig_thuis_for_adults(db):
    route = route_build(Situation(violence=frozenset({"ouderen"})))
    assert any("ontspoorde mantelzorg" in note for note in route.notes)
    assert any("Veilig Thuis is er ook voor volwassenen" in r for r in route.level_reasons)
    assert {"praktische_hulp", "juridisch"} <= {need.code for need in route.help}
    older = route_build(Situation(target_groups=frozenset({"ouderen"})))
    assert "praktische_hulp" in {need.code for need in older.help}


def test_the_new_partners_come_with_the_meldrecht_reminder(db):
    route = route_build(Situation(violence=frozenset({"huwelijksdwang", "vgv"})))
    reminders = {advice.consult.id: advice.reminder for advice in route.consult}
    assert reminders["lkha"] is not None and reminders["jgz"] is not None


def test_the_demo_has_help_for_each_form_and_the_route_finds_it(demo_map):
    def listed(route) -> dict[str, list[str]]:
        return {need.code: [fit.hit.service.name for fit in need.services] for need in route.help}

    marriage = listed(
        route_build(Situation(violence=frozenset({"huwelijksdwang"}), postcode="8302"))
    )
    assert "Advies bij huwelijksdwang en achterlating" in marriage["advies"]
    assert "Vrouwenopvang" in marriage["opvang"]
    fgm = listed(route_build(Situation(violence=frozenset({"vgv"}), postcode="8302")))
    assert "Jeugdgezondheidszorg 0-18 jaar" in fgm["advies"]
    elder = listed(route_build(Situation(violence=frozenset({"ouderen"}), postcode="8302")))
    assert "Mantelzorgondersteuning en respijtzorg" in elder["praktische_hulp"]
    # Help meant only for these forms does not turn up for other violence.
    other = listed(route_build(Situation(violence=frozenset({"lichamelijk"}), postcode="8302")))
    shown = {name for names in other.values() for name in names}
    assert "Advies bij huwelijksdwang en achterlating" not in shown
    assert "Voorlichting over meisjesbesnijdenis en huwelijksdwang" not in shown
