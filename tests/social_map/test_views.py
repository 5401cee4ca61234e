"""The pages of the sociale kaart: public search, service pages, the professional view, the
routekaart from a case, keeping records up to date and importing."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.cases import services as case_services
from meldwijzer.cases.entries import SignalForm
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import routes, selectors
from meldwijzer.social_map.models import ChangeRecord, Provider, Service
from tests.cases.builders import record, signals_case, weigh_unsafe, weighing_case
from tests.instruments.builders import record_result
from tests.social_map.builders import SHELTER_STREET, directory_records

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "hsds"
PUBLIC = reverse("social_map:public_search")


@pytest.fixture
def records(organisation):
    return directory_records(organisation)


def text(response) -> str:
    return response.content.decode()


def test_the_public_page_always_shows_veilig_thuis_and_112(client):
    page = text(client.get(PUBLIC))
    assert 'href="tel:08002000"' in page and "0800-2000" in page
    assert 'href="tel:112"' in page


def test_a_resident_finds_help_near_their_postcode_without_logging_in(client, records):
    response = client.get(PUBLIC, {"postcode": "8303 AB"})
    page = text(response)
    assert response.status_code == 200
    assert "1 dienst gevonden voor 8303 Emmeloord" in page
    assert records.service.name in page
    assert "km</strong> vanaf uw postcode" in page
    verified_on = records.service.verified_on
    with translation.override("nl"):
        shown = date_format(verified_on, "j F Y") if verified_on else "onbekend"
    assert f"Laatst gecontroleerd: {shown}" in page
    assert "0800-2000" in page
    assert SHELTER_STREET not in page and "Carla Contactpersoon" not in page
    # A resident's search is not client data and leaves no trace in the access log.
    assert not AccessLogEntry.objects.exists()


def test_an_odd_page_number_is_the_first_page(client, records):
    for page in ("-1", "abc", "99999999999"):
        response = client.get(PUBLIC, {"postcode": "8302", "pagina": page})
        assert response.status_code == 200


def test_the_date_of_the_last_check_is_shown(client, records):
    Service.objects.filter(pk=records.service.pk).update(verified_on=datetime.date(2025, 3, 4))
    page = text(client.get(PUBLIC, {"postcode": "8302"}))
    assert "Laatst gecontroleerd: 4 maart 2025" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"postcode": "83"}, "Een postcode heeft 4 cijfers. U vulde er 2 in."),
        ({"postcode": "1000"}, "Deze postcode kennen we niet: 1000."),
        ({"q": "x" * 300}, "Zorg dat deze waarde niet meer dan 200 tekens bevat"),
        ({"soort": "toverdrank"}, "Selecteer een geldige keuze."),
    ],
)
def test_bad_search_input_gets_a_dutch_message(client, query, message):
    response = client.get(PUBLIC, query)
    assert response.status_code == 400
    assert message in text(response)


@pytest.mark.parametrize("page", ["search", "search_error", "service"])
def test_every_public_page_starts_with_snel_weg(client, records, page):
    url = {
        "search": PUBLIC,
        "search_error": f"{PUBLIC}?postcode=83O2",
        "service": reverse("social_map:public_service", args=[records.service.pk]),
    }[page]
    html = text(client.get(url))
    body = html[html.index("<body") :]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'href="https://www.weeronline.nl/"' in first_link and "data-quick-exit" in first_link
    assert 'aria-label="Snel weg: verlaat deze website"' in first_link
    assert "druk 2 keer op Esc" in body
    assert 'src="/static/meldwijzer/quick-exit' in html


def test_professional_pages_have_no_snel_weg(verified, make_member, records):
    client = verified(make_member(Role.PROFESSIONAL))
    for url in (
        reverse("social_map:search"),
        reverse("social_map:service_detail", args=[records.service.pk]),
    ):
        html = text(client.get(url))
        assert "data-quick-exit" not in html and "quick-exit.js" not in html


def test_the_public_service_page_holds_no_professional_details(client, records):
    url = reverse("social_map:public_service", args=[records.service.pk])
    page = text(client.get(url, {"postcode": "8302"}))
    assert records.service.name in page
    assert "0800-2000" in page and 'href="tel:112"' in page
    assert "Voorbeeldstraat 1" in page  # the public location
    assert SHELTER_STREET not in page and "Opvanghuis" not in page
    assert "geheim adres" in page
    assert "Carla Contactpersoon" not in page and "Otto Aandacht" not in page
    assert "crisisdienst" not in page
    assert "minder dan 1 km" in page


def test_professionals_see_contact_persons_and_referral_details(verified, make_member, records):
    client = verified(make_member(Role.PROFESSIONAL))
    page = text(client.get(reverse("social_map:service_detail", args=[records.service.pk])))
    assert "Carla Contactpersoon" in page and "0527-000 998" in page
    assert "Otto Aandacht" in page
    assert "Aanmelden via de crisisdienst." in page
    assert SHELTER_STREET not in page  # confidential, even for professionals


def test_an_inactive_service_is_not_found(client, records):
    Service.objects.filter(pk=records.service.pk).update(status="defunct")
    response = client.get(reverse("social_map:public_service", args=[records.service.pk]))
    assert response.status_code == 404


def test_the_public_export_downloads(client, records):
    response = client.get(reverse("social_map:export_public_json"))
    assert response["Content-Disposition"].startswith('attachment; filename="sociale-kaart-hsds-')
    data = json.loads(response.content)
    assert data[0]["services"][0]["name"] == records.service.name
    assert SHELTER_STREET not in response.content.decode()


# --- The routekaart from a case --------------------------------------------------------------------


def test_the_routekaart_from_a_case_is_a_logged_read_of_that_case(
    verified, make_member, organisation
):
    professional = make_member(Role.PROFESSIONAL, organisation)
    actor = actor_for_user(user=professional)
    case = signals_case(actor)
    client = verified(professional)
    url = reverse("social_map:case_route", args=[case.pk])
    before = AccessLogEntry.objects.count()
    page = text(client.get(url))
    entry = AccessLogEntry.objects.order_by("-id").first()
    assert AccessLogEntry.objects.count() == before + 1
    assert (entry.subject_type, entry.subject_id, entry.part, entry.action) == (
        "casus",
        str(case.pk),
        "routekaart",
        "read",
    )
    # Prefilled from the dossier: the forms of violence of its signals, its step, the postcode.
    assert re.search(r'<input[^>]*value="lichamelijk"[^>]*checked', page)
    assert re.search(r'<input[^>]*value="getuige"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="seksueel"[^>]*checked', page)
    assert 'value="stap_1" selected' in page
    assert 'value="8302"' in page
    assert case.title in page


def test_profiles_an_instrument_suggested_are_filled_in(verified, make_member, organisation):
    professional = make_member(Role.PROFESSIONAL, organisation)
    actor = actor_for_user(user=professional)
    case = signals_case(actor)
    answers = dict.fromkeys(("it_controle", "it_angst", "it_dreiging"), "ja")
    record_result(actor, case, key="gezinsprofielen", **answers)
    page = text(verified(professional).get(reverse("social_map:case_route", args=[case.pk])))
    assert re.search(r'<input[^>]*value="intieme_terreur"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="langdurige_zorg"[^>]*checked', page)
    assert "Voorgesteld door een instrument in deze casus: Intieme terreur." in page


def test_the_route_for_a_case(verified, make_member, organisation, records):
    professional = make_member(Role.PROFESSIONAL, organisation)
    case = signals_case(actor_for_user(user=professional))
    client = verified(professional)
    url = reverse("social_map:case_route", args=[case.pk])
    page = text(
        client.get(
            url,
            {
                "toon": "1",
                "violence": ["lichamelijk", "getuige"],
                "profiles": "intieme_terreur",
                "urgency": "structureel",
                "step": "stap_1",
                "postcode": "8302",
            },
        )
    )
    assert "Veilig Thuis: Melden bij Veilig Thuis is de norm" in page
    assert "U bent in: Stap 1" in page
    assert records.service.name in page  # it offers opvang and ambulante hulp in Noordoostpolder
    assert "Past omdat: biedt opvang" in page
    assert "Otto Aandacht" in page  # the aandachtsfunctionaris of the professional's organisation


def _sexual_abuse_case(actor):
    """A child tells about sexual abuse at home: the kader's own example of acute unsafety."""
    case = weighing_case(actor)
    record(actor, case, SignalForm, {
        "date": timezone.localdate().isoformat(), "category": "seksueel", "source": "kind",
        "facts": "Het kind vertelt dat een huisgenoot haar 's nachts aanraakt.",
    })  # fmt: skip
    return case


def test_acute_unsafety_in_afweging_2_gives_the_acute_route(make_member, organisation):
    actor = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    case = _sexual_abuse_case(actor)
    weigh_unsafe(actor, case, ("acuut",))
    initial = selectors.route_initial_for_case(case)
    assert initial["urgency"] == ["acuut"]
    assert "seksueel" in initial["violence"]
    route = routes.route_build(
        routes.Situation(
            violence=frozenset(initial["violence"]),
            urgency=frozenset(initial["urgency"]),
            step=initial["step"],
        )
    )
    assert route.level.id == "direct_melden"
    assert "politie" in [advice.consult.id for advice in route.consult]
    assert {"opvang", "acute_hulp"} <= {need.code for need in route.help}


def test_acute_and_structural_unsafety_from_a_case_show_both(verified, make_member, organisation):
    professional = make_member(Role.PROFESSIONAL, organisation)
    actor = actor_for_user(user=professional)
    case = _sexual_abuse_case(actor)
    weigh_unsafe(actor, case, ("structureel", "acuut"))
    assert selectors.route_initial_for_case(case)["urgency"] == ["acuut", "structureel"]
    client = verified(professional)
    url = reverse("social_map:case_route", args=[case.pk])
    page = text(client.get(url))
    assert re.search(r'<input[^>]*value="acuut"[^>]*checked', page)
    assert re.search(r'<input[^>]*value="structureel"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="geen"[^>]*checked', page)
    # Repeated `urgency` in the query: both hold, and the summary says so.
    query = {"toon": "1", "urgency": ["acuut", "structureel"], "violence": "seksueel"}
    page = text(client.get(url, query))
    assert "Veilig Thuis: Meld nu bij Veilig Thuis" in page
    assert "<dd>Acute onveiligheid en structurele onveiligheid</dd>" in page


def test_the_route_page_reminds_that_the_meldrecht_is_for_veilig_thuis_only(verified, make_member):
    client = verified(make_member(Role.PROFESSIONAL))
    query = {"toon": "1", "urgency": "acuut", "violence": "seksueel", "step": "stap_2"}
    page = text(client.get(reverse("social_map:route"), query))
    cards = {
        re.search(r"<h4[^>]*>(.*?)</h4>", card).group(1): card
        for card in page.split('<li class="mw-card">')[1:]
        if "<h4" in card
    }
    reminder = "Het meldrecht geldt alleen voor Veilig Thuis"
    assert reminder in cards["Politie"] and "artikel 5.2.6 Wmo 2015" in cards["Politie"]
    assert reminder in cards["Centrum Seksueel Geweld"]
    assert reminder not in cards["Veilig Thuis (advies en melden)"]
    assert reminder not in cards["Uw aandachtsfunctionaris"]


def test_no_unsafety_with_acute_unsafety_is_refused_in_dutch(verified, make_member):
    client = verified(make_member(Role.PROFESSIONAL))
    response = client.get(reverse("social_map:route"), {"toon": "1", "urgency": ["geen", "acuut"]})
    assert response.status_code == 400
    assert "niet samen met acute onveiligheid kiezen" in text(response)


def test_the_route_names_the_organisations_own_officer_when_the_map_lists_none(
    verified, make_member, organisation
):
    """A school is no provider in the sociale kaart; its aandachtsfunctionaris is still known."""
    professional = make_member(Role.PROFESSIONAL, organisation)
    officer = make_member(Role.MELDCODE_OFFICER, organisation)
    make_member(Role.MELDCODE_OFFICER)  # elsewhere: not named
    case = signals_case(actor_for_user(user=professional))
    client = verified(professional)
    url = reverse("social_map:case_route", args=[case.pk])
    query = {"toon": "1", "violence": "lichamelijk", "urgency": "geen", "step": "stap_1"}
    page = text(client.get(url, query))
    assert f"In uw organisatie: {officer.get_full_name()}" in page
    assert page.count("In uw organisatie:") == 1
    assert "nog geen aandachtsfunctionaris" not in page


def test_a_case_of_another_organisation_has_no_routekaart(
    verified, make_member, other_organisation
):
    stranger = make_member(Role.PROFESSIONAL, other_organisation)
    case = case_services.case_open(
        actor=actor_for_user(user=stranger), title="Vreemd", profession="algemeen", client="kind"
    )
    me = make_member(Role.PROFESSIONAL)
    response = verified(me).get(reverse("social_map:case_route", args=[case.pk]))
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(
        user=me, outcome=AccessOutcome.DENIED, subject_id=str(case.pk)
    ).exists()


def test_bad_route_input_gets_a_dutch_message(verified, make_member):
    client = verified(make_member(Role.PROFESSIONAL))
    response = client.get(
        reverse("social_map:route"), {"toon": "1", "urgency": "morgen", "postcode": "12"}
    )
    assert response.status_code == 400
    page = text(response)
    assert "Selecteer een geldige keuze" in page and "Een postcode heeft 4 cijfers." in page


# --- Keeping records up to date -----------------------------------------------------------------


def _service_form(**extra) -> dict:
    data = {
        "name": "Nieuwe dienst",
        "description": "Wat de dienst biedt.",
        "help_types": ["advies"],
        "target_groups": ["ouders"],
        "areas": "Noordoostpolder, 8308",
        "languages": ["nl"],
        "status": "active",
        "access": "direct",
        "phone": "0527-000 123",
        "contact-TOTAL_FORMS": "1",
        "contact-INITIAL_FORMS": "0",
        "contact-MIN_NUM_FORMS": "0",
        "contact-MAX_NUM_FORMS": "10",
        "contact-0-name": "Ina Intake",
        "contact-0-title": "Intake",
    }
    data.update(extra)
    return data


def test_a_functioneel_beheerder_adds_a_service(verified, make_member, organisation, records):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    url = reverse("social_map:service_create", args=[records.provider.pk])
    response = client.post(url, _service_form())
    service = Service.objects.get(name="Nieuwe dienst")
    assert response.status_code == 302
    assert response["Location"] == reverse("social_map:service_edit", args=[service.pk])
    assert sorted(service.areas.values_list("kind", "code")) == [
        ("gemeente", "Noordoostpolder"),
        ("pc4", "8308"),
    ]
    assert service.contacts.get().name == "Ina Intake"
    assert service.verified_on == timezone.localdate()
    assert ChangeRecord.objects.filter(resource_uid=service.uid, action="create").exists()


def test_bad_service_input_changes_nothing(verified, make_member, organisation, records):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    url = reverse("social_map:service_create", args=[records.provider.pk])
    response = client.post(
        url,
        _service_form(
            help_types=[], areas="Atlantis", minimum_age="18", maximum_age="12", phone="bel me"
        ),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Kies minstens één soort hulp." in page
    assert "Onbekend gebied: Atlantis" in page
    assert "lager dan" in page
    assert "telefoonnummer" in page
    assert not Service.objects.filter(name="Nieuwe dienst").exists()
    response = client.post(
        url,
        _service_form(
            **{
                "contact-0-name": "",
                "contact-0-title": "",
                "contact-0-email": "x@voorbeeld.invalid",
            }
        ),
    )
    assert response.status_code == 400
    assert "Vul een naam of functie in" in text(response)


def test_another_organisations_records_are_not_found(
    verified, make_member, organisation, other_organisation
):
    other = directory_records(other_organisation)
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    client = verified(admin)
    response = client.post(
        reverse("social_map:service_edit", args=[other.service.pk]), _service_form()
    )
    assert response.status_code == 404
    assert AccessLogEntry.objects.filter(user=admin, outcome=AccessOutcome.DENIED).count() == 1
    other.service.refresh_from_db()
    assert other.service.name != "Nieuwe dienst"


def test_the_reminder_list_shows_what_is_out_of_date(verified, make_member, organisation, records):
    Service.objects.filter(pk=records.service.pk).update(verified_on=datetime.date(2020, 1, 1))
    Provider.objects.filter(pk=records.provider.pk).update(verified_on=timezone.localdate())
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    page = text(client.get(reverse("social_map:manage")))
    assert "Te controleren (1)" in page
    assert records.service.name in page and "01-01-2020" in page
    response = client.post(reverse("social_map:service_verify", args=[records.service.pk]))
    assert response.status_code == 302
    assert "Te controleren (0)" in text(client.get(reverse("social_map:manage")))


def test_a_location_needs_a_full_dutch_address(verified, make_member, organisation, records):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    url = reverse("social_map:location_create", args=[records.provider.pk])
    response = client.post(
        url, {"name": "Nieuw", "location_type": "physical", "postal_code": "8302", "city": ""}
    )
    assert response.status_code == 400
    page = text(response)
    assert (
        "Vul een volledige postcode in" in page
        and "Vul dit in voor een bezoek- of postadres." in page
    )
    response = client.post(
        url,
        {
            "name": "Nieuw",
            "location_type": "physical",
            "address_1": "Straat 2",
            "postal_code": "8302ab",
            "city": "Emmeloord",
            "confidential": "on",
        },
    )
    assert response.status_code == 302
    location = records.provider.locations.get(name="Nieuw")
    assert (location.postal_code, location.confidential, location.pc4) == ("8302 AB", True, "8302")


# --- Import --------------------------------------------------------------------------------------


def test_importing_through_the_page(verified, make_member, organisation):
    client = verified(make_member(Role.PLATFORM_ADMIN, organisation))
    url = reverse("social_map:import")
    broken = json.loads((EXAMPLES / "organization_full.json").read_text())
    broken["services"][0]["status"] = "open"
    upload = SimpleUploadedFile("fout.json", json.dumps(broken).encode(), "application/json")
    response = client.post(url, {"file": upload}, follow=True)
    assert response.redirect_chain[0][1] == 302
    page = text(response)
    assert "Niet geïmporteerd: 1 fout" in page
    assert "fout.json" in page and "services[0].status" in page
    assert not Provider.objects.exists()
    upload = SimpleUploadedFile("goed.json", (EXAMPLES / "organization_full.json").read_bytes())
    response = client.post(url, {"file": upload, "trial": "on"}, follow=True)
    assert "Gecontroleerd: geen fouten" in text(response) and not Provider.objects.exists()
    upload = SimpleUploadedFile("goed.json", (EXAMPLES / "organization_full.json").read_bytes())
    response = client.post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "Geïmporteerd" in text(response) and "dienst: 1 nieuw" in text(response)
    assert Provider.objects.get().owner is None


def test_an_empty_upload_is_refused_in_dutch(verified, make_member, organisation):
    client = verified(make_member(Role.FUNCTIONAL_ADMIN, organisation))
    response = client.post(
        reverse("social_map:import"), {"file": SimpleUploadedFile("leeg.json", b"")}
    )
    assert response.status_code == 400
    assert "Het bestand is leeg." in text(response)
