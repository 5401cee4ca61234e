"""The screening of a pseudonymised conference item: the family as role and age band, and free
text refused when it holds the family's names, a date, a postcode or address, a BSN or a phone
number — each check on its own, so removing one fails a test here."""

from __future__ import annotations

import datetime

import pytest

from meldwijzer.coordination.conference_screening import (
    ScreeningError,
    age_band,
    family_view,
    fields_screen,
    screening_message,
    text_screen,
)
from meldwijzer.coordination.models import FamilyMember

DAY = datetime.date(2026, 12, 3)


def member(name: str, role: str = "kind", born: datetime.date | None = None, phone: str = ""):
    return FamilyMember(name=name, role=role, date_of_birth=born, phone=phone)


FAMILY = [
    member("Sem Verhoeven", born=datetime.date(2017, 3, 14)),
    member("Anaïs van der Berg", role="ouder", phone="06 1234 5678"),
    member("Gerda Aalbersberg", role="netwerk"),
]


def whats(text: str, family=FAMILY) -> list[str]:
    return [finding.what for finding in text_screen(text, family)]


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (datetime.date(2026, 12, 3), "0–3 jaar"),
        (datetime.date(2022, 12, 4), "0–3 jaar"),  # 3 until the day before the 4th birthday
        (datetime.date(2022, 12, 3), "4–11 jaar"),
        (datetime.date(2014, 12, 4), "4–11 jaar"),
        (datetime.date(2014, 12, 3), "12–17 jaar"),
        (datetime.date(2008, 12, 4), "12–17 jaar"),
        (datetime.date(2008, 12, 3), "18+ jaar"),
        (datetime.date(1950, 1, 1), "18+ jaar"),
        (None, "leeftijd onbekend"),
        (datetime.date(2027, 1, 1), "nog niet geboren"),
    ],
)
def test_age_bands_at_their_edges(born, band):
    assert age_band(born, DAY) == band


def test_the_family_view_is_role_and_age_band_only_children_first():
    view = family_view(
        [
            member("Linda Verhoeven", role="ouder", born=datetime.date(1990, 6, 21), phone="06"),
            member("Sem Verhoeven", born=datetime.date(2017, 3, 14)),
            member("Gerda", role="netwerk"),
        ],
        DAY,
    )
    assert [m.label for m in view] == [
        "Kind (4–11 jaar)",
        "Ouder of verzorger (18+ jaar)",
        "Iemand uit het netwerk (leeftijd onbekend)",
    ]
    shown = repr(view)
    for secret in ("Linda", "Sem", "Verhoeven", "Gerda", "1990", "2017", "06"):
        assert secret not in shown


def test_clean_text_passes():
    text = (
        "Moeder zorgt alleen voor twee kinderen (4–11 jaar). Sinds de zomer verzuimt het oudste "
        "kind; in 2025 en 2026 waren er ruzies. Vorige week belde oma. Postcodegebied 8302."
    )
    assert text_screen(text, FAMILY) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Sem is vaak moe", "de naam ‘Sem’"),
        ("sem is vaak moe", "de naam ‘Sem’"),
        ("De familie Verhoeven", "de naam ‘Verhoeven’"),
        ("Anais zegt dat het goed gaat", "de naam ‘Anaïs’"),  # without the accent too
        ("Mevrouw Berg belde", "de naam ‘Berg’"),
        ("Oma Aalbersberg helpt", "de naam ‘Aalbersberg’"),
    ],
)
def test_the_familys_names_are_refused(text, found):
    assert found in whats(text)


def test_particles_and_role_words_are_not_names_and_parts_of_words_do_not_count():
    assert whats("Van de zomer tot de herfst was het kind bij de oma.") == []
    assert whats("Het semester begon goed; de Bergweg is lang.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Op 14-03-2017 was er een incident",
        "Op 14/3/2017 was er een incident",
        "Op 14.03.17 was er een incident",
        "Op 2017-03-14 was er een incident",
        "Op 14 maart was er een incident",
        "Op 3 okt. 2025 was er een incident",
    ],
)
def test_exact_dates_are_refused(text):
    assert "een datum" in whats(text)


def test_a_month_or_year_is_not_an_exact_date():
    assert whats("In maart 2025 en in 2026 was het onrustig.") == []


@pytest.mark.parametrize("text", ["Ze woont in 8302 AB", "Ze woont in 8302AB"])
def test_postcodes_are_refused(text):
    assert "een postcode" in whats(text)


@pytest.mark.parametrize(
    "text", ["Ze woont Kerkstraat 12", "Ze woont op de Zuidermarkt 3a", "Bij Lindelaan 104"]
)
def test_street_addresses_are_refused(text):
    assert "een adres" in whats(text)


@pytest.mark.parametrize("text", ["BSN 123456782", "bsn 1234.56.782", "nummer 111 222 333"])
def test_a_bsn_is_refused(text):
    assert "een BSN" in whats(text)


def test_nine_digits_that_fail_the_elfproef_are_not_a_bsn():
    assert "een BSN" not in whats("ordernummer 123456789")


@pytest.mark.parametrize(
    "text",
    ["bel 06-12345678", "bel 06 1234 5678", "bel +31 6 12345678", "bel 0527 700 101"],
)
def test_phone_numbers_are_refused(text):
    assert "een telefoonnummer" in whats(text)


def test_the_familys_own_phone_number_is_refused_in_any_spacing():
    assert any("telefoonnummer" in what for what in whats("nummer 0612 34 56 78 bellen"))


def test_the_message_says_in_dutch_what_was_found():
    message = screening_message(text_screen("Sem woont Kerkstraat 12, bel 06-12345678", FAMILY))
    assert message.startswith("Haal eerst weg wat het gezin herkenbaar maakt:")
    assert "de naam ‘Sem’" in message
    assert "een adres (Kerkstraat 12)" in message
    assert "een telefoonnummer (06-12345678)" in message


def test_fields_screen_names_each_refused_field():
    with pytest.raises(ScreeningError) as refused:
        fields_screen({"question": "Hoe gaat het met Sem?", "summary": "Rustig."}, FAMILY)
    assert set(refused.value.fields) == {"question"}
    assert "Sem" in refused.value.fields["question"]
    fields_screen({"question": "Hoe gaat het met het kind?", "summary": "Rustig."}, FAMILY)
