"""Postcodes as people type them, and the region the sociale kaart covers: what is accepted, what
each mistake is called, and what someone outside the region is told — on the page and in the
API, never with a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from meldwijzer.organisations.models import Municipality
from meldwijzer.organisations.reference import postcode_areas
from meldwijzer.organisations.roles import Role
from meldwijzer.social_map.postcodes import PostcodeError, postcode_area, postcode_parse
from meldwijzer.social_map.selectors import directory_region
from tests.factories import OrganisationFactory
from tests.social_map.builders import directory_records

PUBLIC = reverse("social_map:public_search")
SERVICES = "/api/v1/directory/services/"
EXAMPLE = "Vul de 4 cijfers van uw postcode in, bijvoorbeeld 8302."


@pytest.mark.parametrize(
    "typed", ["8302", "8302 AB", "8302AB", "8302 ab", "  8302   AB ", "8302-AB", "83 02"]
)
def test_a_postcode_with_or_without_its_letters_is_its_four_digits(typed):
    assert postcode_parse(typed) == "8302"


@pytest.mark.parametrize("typed", ["", "   "])
def test_nothing_typed_is_no_postcode(typed):
    assert postcode_parse(typed) == ""
    assert postcode_area(typed) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("83O2", f"{EXAMPLE} In ‘83O2’ staat de letter O waar het cijfer 0 hoort."),
        ("83o2 AB", f"{EXAMPLE} In ‘83o2 AB’ staat de letter o waar het cijfer 0 hoort."),
        ("l302", f"{EXAMPLE} In ‘l302’ staat de letter l waar het cijfer 1 hoort."),
        (
            "Emmeloord",
            f"{EXAMPLE} U vulde alleen letters in. Een plaatsnaam of straat werkt hier niet.",
        ),
        ("abcd", f"{EXAMPLE} U vulde alleen letters in. Een plaatsnaam of straat werkt hier niet."),
        ("830", f"Een postcode heeft 4 cijfers. U vulde er 3 in. {EXAMPLE}"),
        ("830 AB", f"Een postcode heeft 4 cijfers. U vulde er 3 in. {EXAMPLE}"),
        ("83021", f"Een postcode heeft 4 cijfers. U vulde er 5 in. {EXAMPLE}"),
        (
            "8302 A",
            "Na de 4 cijfers komen 2 letters, bijvoorbeeld 8302 AB. U vulde er 1 in. De letters "
            "mag u ook weglaten.",
        ),
        (
            "AB 8302",
            f"{EXAMPLE} Zet de cijfers vooraan; de letters mogen erachter, zoals in 8302 AB.",
        ),
        ("0123", f"Een postcode begint niet met een 0. {EXAMPLE}"),
        (
            "8302 AB 1",
            f"{EXAMPLE} Gebruik alleen cijfers en eventueel 2 letters, zoals in 8302 AB.",
        ),
        ("#!?", EXAMPLE),
        ("٨٣٠٢", EXAMPLE),  # other digits than 0-9
        ("1000", "Deze postcode kennen we niet: 1000. Kijk of de 4 cijfers kloppen."),
    ],
)
def test_each_mistake_gets_a_precise_dutch_message(typed, message):
    with pytest.raises(PostcodeError) as error:
        postcode_area(typed)
    assert str(error.value) == message


@given(st.text(max_size=12))
def test_any_text_is_a_postcode_or_a_dutch_message(typed):
    try:
        digits = postcode_parse(typed)
    except PostcodeError as error:
        assert str(error).strip()
    else:
        assert digits == "" or (len(digits) == 4 and digits.isascii() and digits.isdigit())


# --- The region ---------------------------------------------------------------------------------


@pytest.fixture
def region(db):
    """Two member organisations working in Noordoostpolder and Urk; an inactive one in Zwolle."""
    for names, active in ((["Noordoostpolder"], True), (["Urk"], True), (["Zwolle"], False)):
        organisation = OrganisationFactory(is_active=active)
        organisation.works_in.set(Municipality.objects.filter(name__in=names))
    return directory_region()


def test_the_region_is_the_werkgebied_of_the_active_member_organisations(region):
    areas = postcode_areas()
    assert region.municipalities == ("Noordoostpolder", "Urk")
    assert region.covers(areas["8302"]) and region.covers(areas["8321"])  # Emmeloord, Urk
    assert not region.covers(areas["8011"])  # Zwolle: only an inactive organisation works there
    assert not region.covers(areas["1011"])
    assert region.outside(areas["8302"]) == ""
    assert region.outside(areas["1011"]) == (
        "Postcode 1011 (Amsterdam) ligt buiten het gebied van deze sociale kaart. Deze sociale "
        "kaart beschrijft hulp in de gemeenten Noordoostpolder en Urk. Veilig Thuis helpt in heel "
        "Nederland: bel gratis 0800-2000, dag en nacht. Bij direct gevaar belt u 112."
    )


def test_without_any_werkgebied_the_region_is_unknown_and_covers_everything(db):
    OrganisationFactory()
    region = directory_region()
    assert region.municipalities == ()
    assert region.covers(postcode_areas()["1011"])


@pytest.fixture
def national(db):
    from meldwijzer.social_map.models import AreaKind, ServiceArea

    records = directory_records(None, "Landelijke hulplijn")
    records.service.areas.all().delete()
    ServiceArea.objects.create(service=records.service, kind=AreaKind.NATIONAL, code="NL")
    directory_records(None, "Hulp in de polder")  # Noordoostpolder only
    return records


def test_a_postcode_outside_the_region_is_told_so_and_still_sees_national_help(
    client, region, national
):
    response = client.get(PUBLIC, {"postcode": "1011 AB"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Postcode 1011 (Amsterdam) ligt buiten het gebied van deze sociale kaart." in page
    assert "de gemeenten Noordoostpolder en Urk" in page
    assert "Hieronder ziet u alleen hulp die ook voor uw postcode geldt" in page
    assert national.service.name in page
    assert "Hulp in de polder" not in page
    assert 'href="tel:08002000"' in page and 'href="tel:112"' in page
    # Inside the region: no such message.
    page = client.get(PUBLIC, {"postcode": "8302"}).content.decode()
    assert "buiten het gebied" not in page and "Hulp in de polder" in page


def test_the_routekaart_says_so_too(verified, make_member, region, national):
    client = verified(make_member(Role.PROFESSIONAL))
    query = {"toon": "1", "urgency": "acuut", "postcode": "1011"}
    page = client.get(reverse("social_map:route"), query).content.decode()
    assert "Postcode 1011 (Amsterdam) ligt buiten het gebied van deze sociale kaart." in page
    page = client.get(reverse("social_map:route"), {**query, "postcode": "8302"}).content.decode()
    assert "buiten het gebied" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("83O2", "In ‘83O2’ staat de letter O waar het cijfer 0 hoort."),
        ("abcd", "U vulde alleen letters in."),
        ("830", "Een postcode heeft 4 cijfers. U vulde er 3 in."),
    ],
)
def test_the_page_names_the_mistake(client, typed, message):
    response = client.get(PUBLIC, {"postcode": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and EXAMPLE in page
    assert 'href="tel:08002000"' in page


# --- The API ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("83O2", f"{EXAMPLE} In ‘83O2’ staat de letter O waar het cijfer 0 hoort."),
        ("abcd", f"{EXAMPLE} U vulde alleen letters in. Een plaatsnaam of straat werkt hier niet."),
        ("830", f"Een postcode heeft 4 cijfers. U vulde er 3 in. {EXAMPLE}"),
        ("1000", "Deze postcode kennen we niet: 1000. Kijk of de 4 cijfers kloppen."),
    ],
)
def test_the_api_names_the_mistake_in_its_error_format(client, db, typed, message):
    response = client.get(SERVICES, {"postcode": typed})
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "ongeldige_invoer",
            "message": "De invoer is niet geldig.",
            "fields": {"postcode": [message]},
        }
    }


def test_the_api_says_when_a_postcode_is_outside_the_region(client, region, national):
    response = client.get(SERVICES, {"postcode": "1011"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "postcode_buiten_gebied"
    assert error["message"].startswith("Postcode 1011 (Amsterdam) ligt buiten het gebied")
    assert "0800-2000" in error["message"] and "112" in error["message"]
    # All help, ordered by distance from that postcode, is still there for the asking.
    response = client.get(SERVICES, {"postcode": "1011", "area": "alle"})
    assert response.status_code == 200 and response.json()["total_items"] == 2
    response = client.get(SERVICES, {"postcode": "8302 AB"})
    assert response.status_code == 200 and response.json()["total_items"] == 2


@pytest.mark.django_db
@settings(max_examples=60, deadline=None)
@given(st.text(max_size=10))
def test_no_postcode_makes_the_api_fail(typed):
    from django.test import Client

    response = Client().get(SERVICES, {"postcode": typed})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["error"]["code"] in ("ongeldige_invoer", "postcode_buiten_gebied")
