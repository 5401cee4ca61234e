"""The check for identifying data in a shared worry: what it finds, and what it leaves alone."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meldwijzer.trainings.identifiers import Kind, identifiers_find, mask


def kinds(text: str) -> list[str]:
    return [finding.kind.value for finding in identifiers_find(text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Het BSN is 123456782.", Kind.BSN),
        ("BSN 1234.56.782 staat op de brief.", Kind.BSN),
        ("Nummer 111 222 333 staat erop.", Kind.BSN),
        ("Geboren op 12-03-2015 in het ziekenhuis.", Kind.DATE),
        ("Geboren 3-4-15 zegt de moeder.", Kind.DATE),
        ("Sinds 12 maart 2015 woont het gezin hier.", Kind.DATE),
        ("Op 2015-03-12 kwam het kind.", Kind.DATE),
        ("Het gezin woont in 8302 AB sinds kort.", Kind.POSTCODE),
        ("Ze wonen aan de Dorpsstraat 1 in het dorp.", Kind.ADDRESS),
        ("Het adres is Kerkstraat 12 hier.", Kind.ADDRESS),
        ("Het huis aan de Hoofdweg 3a staat leeg.", Kind.ADDRESS),
        ("Ze wonen aan de Espelerlaan 40 sinds kort.", Kind.ADDRESS),
        ("Bel de moeder op 06-12345678 na school.", Kind.PHONE),
        ("Het nummer is +31 6 1234 5678 zegt hij.", Kind.PHONE),
        ("Mail naar ouder@voorbeeld.nl voor meer.", Kind.EMAIL),
        ("Ik sprak met moeder Fatima over het slapen.", Kind.NAME),
        ("Ik sprak met mevrouw de Vries over het slapen.", Kind.NAME),
        ("Het meisje heet Lotte en zit in groep 3.", Kind.NAME),
        ("Ik sprak met dhr. Bakker over thuis.", Kind.NAME),
        ("Daarna kwam Jayden huilend binnen.", Kind.NAME),
    ],
)
def test_each_kind_is_found(text, kind):
    assert kind.value in kinds(text)


def test_a_finding_names_its_kind_and_explains_without_repeating_it():
    [finding] = identifiers_find("Het BSN is 123456782.")
    assert finding.kind == Kind.BSN
    assert "123456782" not in finding.message
    assert finding.hint == "12…2"
    assert "burgerservicenummer" in finding.message


def test_a_mask_hides_most_of_a_value():
    assert mask("Fatima") == "Fa…a"
    assert mask("Jo") == "J…"


def test_places_of_the_region_are_not_names():
    text = (
        "Het gezin woonde eerst in Nagele en nu in Emmeloord. De school in Luttelgeest en "
        "Veilig Thuis in Lelystad weten ervan. In de Ramadan en met Kerst is het onrustig."
    )
    assert kinds(text) == []


def test_a_nine_digit_number_that_fails_the_elfproef_is_no_bsn():
    assert kinds("Het pakket had nummer 123456789.") == []


# Texts a professional might write, without anything that identifies someone. None of them may
# give a finding: the check must not get in the way of an honest question.
CLEAN_TEXTS = (
    "Een leerling uit groep 5 komt sinds een paar weken zonder ontbijt naar school.",
    "De moeder van een peuter is vaak gehaast en kortaf. Het kind schrikt van harde stemmen.",
    "Bij een huisbezoek in Marknesse zag ik weinig eten in huis. De man zegt dat alles goed gaat.",
    "Een jongen van ongeveer 14 jaar vertelt dat hij 's nachts de straat op moet van zijn vader.",
    "Sinds de zomervakantie is het meisje stil. Ze tekent vaak zwarte figuren.",
    "Ik twijfel of ik Veilig Thuis moet bellen of eerst met de ouders moet praten.",
    "Een gezin uit Oekraïne woont sinds vorig jaar in Emmeloord. De oudste zoon zorgt voor alles.",
    "De vader drinkt veel, zegt de dochter. Ze is 10 jaar en slaapt soms bij een vriendin.",
    "Een arbeidsmigrant uit Polen woont met 8 anderen in één huis. Hij werkt 70 uur per week.",
    "Groep 7 had vorige week een les over grenzen. Daarna vertelde een leerling iets over thuis.",
    "Na de kerstvakantie kwam een kind met een blauw oog. De uitleg past niet bij het letsel.",
    "Een oudere vrouw in Ens geeft al haar geld aan haar kleinzoon. Ze lijkt bang voor hem.",
    "De ouders zijn gescheiden en maken ruzie bij de overdracht op het schoolplein, 2 keer per week.",
    "Moet ik de meldcode volgen als het kind zelf vraagt om het niet door te vertellen?",
    "Hoe bespreek ik mijn zorgen met ouders die weinig Nederlands spreken?",
    "Een leerling zegt dat ze na de zomer in Marokko gaat trouwen. Ze is 15 jaar.",
    "Het kind is vaak afwezig op maandag en vrijdag. De GGD weet er al van.",
    "De baby huilt veel en de moeder zegt dat ze het niet meer aankan.",
    "Ik werk 3 dagen per week op de groep en zie dit nu voor de tweede keer.",
    "Is 1 of 2 keer per maand een blauwe plek al reden om het te melden?",
)


@pytest.mark.parametrize("text", CLEAN_TEXTS)
def test_texts_without_identifiers_give_no_finding(text):
    assert identifiers_find(text) == []


FILLER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,", max_size=40)


def _check_digit(digits: list[int]) -> int:
    return sum(digit * weight for digit, weight in zip(digits, range(9, 1, -1), strict=True)) % 11


@st.composite
def valid_bsn(draw) -> str:
    """Nine digits that pass the elfproef, written plain, with dots or with spaces."""
    digits = draw(
        st.lists(st.integers(0, 9), min_size=8, max_size=8).filter(
            lambda digits: _check_digit(digits) != 10
        )
    )
    number = "".join(map(str, digits)) + str(_check_digit(digits))
    style = draw(st.sampled_from(["plain", "dots", "spaces"]))
    if style == "dots":
        return f"{number[:4]}.{number[4:6]}.{number[6:]}"
    if style == "spaces":
        return f"{number[:3]} {number[3:6]} {number[6:]}"
    return number


@settings(max_examples=150, deadline=None)
@given(before=FILLER, bsn=valid_bsn(), after=FILLER)
def test_any_valid_bsn_in_text_is_found(before, bsn, after):
    text = f"{before} {bsn} {after}"
    found = [f for f in identifiers_find(text) if f.kind == Kind.BSN]
    assert found, text
    assert text[found[0].start : found[0].end] == bsn


MONTH_NAMES = [
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    before=FILLER,
    day=st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2030, 12, 31)),
    style=st.sampled_from(["dd-mm-jjjj", "d-m-jj", "dd/mm/jjjj", "iso", "words"]),
    after=FILLER,
)
def test_any_date_in_text_is_found(before, day, style, after):
    written = {
        "dd-mm-jjjj": f"{day:%d-%m-%Y}",
        "d-m-jj": f"{day.day}-{day.month}-{day:%y}",
        "dd/mm/jjjj": f"{day:%d/%m/%Y}",
        "iso": day.isoformat(),
        "words": f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}",
    }[style]
    text = f"{before} {written} {after}"
    assert Kind.DATE.value in kinds(text), text
