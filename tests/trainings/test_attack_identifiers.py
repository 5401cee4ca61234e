"""Identifying data written so that a simple pattern misses it: hidden characters, full-width
or other separators, an e-mail address with spaces. The check reads through all of them."""

from __future__ import annotations

import time

import pytest

from meldwijzer.trainings.identifiers import Kind, identifiers_find


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Nummer 111-222-333 staat erop.", Kind.BSN),
        ("Nummer 111/222/333 staat erop.", Kind.BSN),
        ("Nummer 111_222_333 staat erop.", Kind.BSN),
        ("Nummer 111,222,333 staat erop.", Kind.BSN),
        ("Nummer 1112\u200b22333 staat erop.", Kind.BSN),
        ("Nummer 111\u00ad222\u2060333 staat erop.", Kind.BSN),
        ("Nummer 111\u00a0222\u00a0333 staat erop.", Kind.BSN),
        ("Nummer 111  222  333 staat erop.", Kind.BSN),
        ("Geboren 03-\u200b03-2015 zegt de school.", Kind.DATE),
        ("Geboren op de 3e maart, zegt de school.", Kind.DATE),
        ("Geboren op drieëntwintig maart, zegt de school.", Kind.DATE),
        ("Geboren op twaalf april tweeduizend vijftien.", Kind.DATE),
        ("Het gezin woont in ８３０１ＡＢ sinds kort.", Kind.POSTCODE),
        ("Het gezin woont in 8301ab sinds kort.", Kind.POSTCODE),
        ("Het gezin woont in 8301 ab sinds kort.", Kind.POSTCODE),
        ("Mail naar jan @ voorbeeld.nl even.", Kind.EMAIL),
        ("Mail naar jan(at)voorbeeld.nl even.", Kind.EMAIL),
        ("Mail naar jan\u200b@voorbeeld.nl even.", Kind.EMAIL),
        ("Mail naar jan＠voorbeeld.nl even.", Kind.EMAIL),
        ("Bel 06 - 12 34 56 78 even.", Kind.PHONE),
        ("Bel ０６１２３４５６７８ even.", Kind.PHONE),
        ("Bel 06\u200b12345678 even.", Kind.PHONE),
    ],
)
def test_hidden_or_disguised_identifiers_are_found(text: str, kind: Kind) -> None:
    assert kind in [finding.kind for finding in identifiers_find(text)]


def test_ordinary_text_with_numbers_stays_clean() -> None:
    text = "Een mei-dag, eind mei, begin juni.\n"
    text += "In 2017 en 2018 kwam het kind 1500 mg tekort; 2000 is veel. 1200 op een dag.\n"
    text += "In 2017 en 2018 kwam het kind 3 keer te laat; 12 van de 30 dagen. Dat is 40 procent."
    assert identifiers_find(text) == []


@pytest.mark.parametrize("text", ["a-" * 10_000, "a" * 20_000, "Aa'" * 7_000])
def test_a_long_text_made_to_slow_the_check_is_read_quickly(text: str) -> None:
    started = time.monotonic()
    identifiers_find(text)
    assert time.monotonic() - started < 2
