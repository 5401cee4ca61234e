"""The public population figures the datalab divides by (CBS, Kerncijfers per postcode 2021)."""

from __future__ import annotations

import pytest

from meldwijzer.datalab import population


def test_postcode_areas_of_the_municipality_with_their_place():
    areas = population.pc4_areas("Noordoostpolder")
    assert [a.pc4 for a in areas][:3] == ["8301", "8302", "8303"]
    assert population.pc4_label("8308") == "8308 Nagele"
    assert population.pc4_label("8315") == "8315 Luttelgeest"
    assert population.pc4_label("0000") == "0000"
    assert population.of_pc4("8315") == 2285
    assert population.of_municipality("Noordoostpolder") == sum(a.inhabitants for a in areas)
    assert population.province_of("Noordoostpolder") == "Flevoland"


def test_age_bands_add_up_to_the_municipality():
    ages = population.by_age("Noordoostpolder")
    assert list(ages) == list(population.AGE_BANDS)
    # CBS rounds every cell to fives, so the bands add up to the total only roughly.
    assert sum(ages.values()) == pytest.approx(population.of_municipality("Noordoostpolder"), 0.01)


def test_children_and_people_of_16_and_over_from_five_year_bands():
    ages = population.by_age("Noordoostpolder")
    children = population.children("Noordoostpolder")
    adults = population.adults_16("Noordoostpolder")
    assert children == ages["0-4"] + ages["5-9"] + ages["10-14"] + 0.6 * ages["15-19"]
    # Together they count the ages 16 and 17 twice: 2/5 of the band 15-19.
    assert children + adults == pytest.approx(sum(ages.values()) + 0.4 * ages["15-19"])


def test_comparison_figures_say_which_are_indicative():
    rows = population.comparisons()
    nl_2023 = next(r for r in rows if (r.area, r.year) == ("Nederland", 2023))
    assert nl_2023.reports == 127340
    assert all("indicatief" in r.source for r in rows if r != nl_2023)
