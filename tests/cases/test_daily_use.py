"""Daily use of the five steps: the kader of one's own beroepsgroep, the kindcheck that follows from
the client, no preselected answers, the staff-abuse route, and forms that say what they need."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from meldwijzer.cases import services
from meldwijzer.cases.entries import ENTRY_FORMS, STAFF_ABUSE, StaffRouteForm
from meldwijzer.cases.frameworks import frameworks
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.cases.workflow import STEP_INFO
from meldwijzer.organisations import services as organisation_services
from meldwijzer.organisations.models import Membership, Profession, Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user, actor_profession
from tests.cases.builders import signals_case
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "meldwijzer" / "templates"


def _member(sector: str, profession: str = "", role: Role = Role.PROFESSIONAL):
    organisation = OrganisationFactory(sector=sector)
    membership = MembershipFactory(role=role, organisation=organisation, profession=profession)
    return membership.user


# --- The kader of one's own beroepsgroep --------------------------------------------------------


def test_every_beroepsgroep_has_its_own_kader():
    assert set(frameworks()) == set(Profession.values)
    for framework in frameworks().values():
        assert framework.clients in ("volwassenen", "kinderen", "beide"), framework.id


@pytest.mark.parametrize(
    ("sector", "profession", "expected"),
    [
        (Sector.EDUCATION, "", "onderwijs"),
        (Sector.GENERAL_PRACTICE, "", "artsen"),
        # A sector with several beroepsgroepen proposes none; the member's own one decides.
        (Sector.HEALTHCARE, "", ""),
        (Sector.HEALTHCARE, "verpleging_verzorging", "verpleging_verzorging"),
        (Sector.EDUCATION, "paramedici", "paramedici"),
    ],
)
def test_the_kader_follows_the_member_then_the_sector(sector, profession, expected):
    actor = actor_for_user(user=_member(sector, profession))
    assert actor_profession(actor=actor) == expected


def test_a_kraamverzorgende_gets_the_vv_kader_preselected(verified):
    user = _member(Sector.HEALTHCARE, "verpleging_verzorging")
    page = verified(user).get(reverse("cases:create")).content.decode()
    assert re.search(r'<option value="verpleging_verzorging" selected>', page)
    # V&V works with mothers, newborns and elderly people: whom the concern is about is asked.
    assert "checked" not in page


@pytest.mark.parametrize(
    ("profession", "expected"), [("reclassering", "volwassene"), ("onderwijs", "kind")]
)
def test_whom_the_concern_is_about_follows_the_beroepsgroep(verified, profession, expected):
    user = _member(Sector.OTHER, profession)
    page = verified(user).get(reverse("cases:create")).content.decode()
    assert re.search(rf'value="{expected}"[^>]*checked', page)


def test_without_a_known_beroepsgroep_nothing_is_preselected(verified):
    user = _member(Sector.PUBLIC_HEALTH)
    page = verified(user).get(reverse("cases:create")).content.decode()
    assert '<option value="" selected>Kies uw beroepsgroep</option>' in page
    assert "checked" not in page
    response = verified(user).post(reverse("cases:create"), {"title": "Zorgen"})
    assert "Kies uw beroepsgroep." in response.content.decode()
    assert not Case.objects.exists()


def test_the_beheerder_records_a_members_beroepsgroep(make_member, organisation):
    admin = make_member(Role.FUNCTIONAL_ADMIN, organisation)
    member = make_member(Role.PROFESSIONAL, organisation)
    actor = actor_for_user(user=admin)
    organisation_services.member_role_set(
        actor=actor,
        user=member,
        roles={Role.PROFESSIONAL, Role.MELDCODE_OFFICER},
        profession="halt",
    )
    assert set(
        Membership.objects.filter(user=member, organisation=organisation).values_list(
            "profession", flat=True
        )
    ) == {"halt"}
    with pytest.raises(organisation_services.AccountError, match="Onbekende beroepsgroep"):
        organisation_services.member_role_set(
            actor=actor, user=member, roles={Role.PROFESSIONAL}, profession="astronaut"
        )


# --- Kindcheck -----------------------------------------------------------------------------------


def test_a_gps_case_about_an_adult_asks_the_kindcheck_on_the_case_page(verified):
    user = _member(Sector.GENERAL_PRACTICE, "artsen")
    client = verified(user)
    response = client.post(
        reverse("cases:create"),
        {"title": "Patiënte met letsel", "profession": "artsen", "client": "volwassene"},
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert case.needs_child_check
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Kindcheck afgerond" in page
    assert reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "child_check"}) in page
    form = client.get(
        reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "child_check"})
    ).content.decode()
    assert "Kindcheck in uw beroepsgroep" in form
    assert "checked" not in form  # the answer starts empty


# --- No preselected answers, dates today, no empty dashes -------------------------------------


@pytest.mark.parametrize("kind", sorted(ENTRY_FORMS))
def test_entry_forms_preselect_no_answer_and_show_no_empty_choices(kind, verified, make_member):
    user = _member(Sector.EDUCATION)
    case = signals_case(actor_for_user(user=user))
    page = (
        verified(user)
        .get(reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": kind}))
        .content.decode()
    )
    assert "---------" not in page
    assert "(niet verplicht) (niet verplicht)" not in page
    assert " checked" not in page
    assert re.search(r"<option value=\"[^\"]+\" selected", page) is None
    for field in re.findall(r'<input type="date"[^>]*>', page):
        if 'name="date"' in field:
            assert f'value="{today().isoformat()}"' in field


def test_skipping_the_conversation_needs_a_reason_and_an_explanation(verified):
    user = _member(Sector.EDUCATION)
    case = signals_case(actor_for_user(user=user))
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "conversation_skipped"})
    client = verified(user)
    for data, message in (
        ({"reason": "veiligheid", "explanation": ""}, "Leg uit waarom deze reden hier geldt."),
        ({"reason": "veiligheid", "explanation": "   "}, "Leg uit waarom deze reden hier geldt."),
        ({"reason": "", "explanation": "Het kind is bang."}, "Kies de reden die hier geldt."),
        ({"reason": "geen_zin", "explanation": "Het kind is bang."}, "geldige keuze"),
    ):
        response = client.post(url, {**data, "version": case.version})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Entry.objects.filter(case=case, kind=EntryKind.CONVERSATION_SKIPPED).exists()


# --- Weighing and deciding -----------------------------------------------------------------------


def test_weighing_shows_the_signals_beside_the_question_and_its_number(verified):
    from tests.cases.builders import weighing_case

    user = _member(Sector.EDUCATION)
    case = weighing_case(actor_for_user(user=user))
    page = verified(user).get(reverse("cases:weighing", kwargs={"case_id": case.pk}))
    text = page.content.decode()
    assert "Vraag 1 van 5" in text
    assert "Blauwe plek op de arm." in text  # a signal
    assert "Kind is vrolijk in de klas." in text  # a counter-signal


def test_the_decision_page_ties_fields_to_their_decision(verified):
    from tests.cases.builders import weigh_unsafe, weighing_case

    user = _member(Sector.EDUCATION)
    actor = actor_for_user(user=user)
    case = weighing_case(actor)
    weigh_unsafe(actor, case)
    text = verified(user).get(reverse("cases:decide", kwargs={"case_id": case.pk})).content.decode()
    assert "mw-choices--column" in text
    assert re.search(
        r'data-for-outcomes="help">\s*<div[^>]*>\s*<p[^>]*>\s*<label[^>]*for="id_agreements"', text
    )
    assert re.search(
        r'data-for-outcomes="help">\s*<div[^>]*>\s*<p[^>]*>\s*<label[^>]*for="id_review_date"', text
    )
    assert "decide.js" in text


# --- Sexual abuse by a staff member -----------------------------------------------------------


def test_staff_abuse_is_offered_only_in_education_and_childcare(verified):
    school = _member(Sector.EDUCATION)
    practice = _member(Sector.GENERAL_PRACTICE)
    for user, offered in ((school, True), (practice, False)):
        actor = actor_for_user(user=user)
        case = services.case_open(actor=actor, title="Zorgen", profession="algemeen", client="kind")
        url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"})
        page = verified(user).get(url).content.decode()
        assert (f'value="{STAFF_ABUSE}"' in page) is offered
        response = verified(user).post(url, {
            "date": today().isoformat(), "category": STAFF_ABUSE, "source": "kind", "facts": "Verteld.",
            "version": case.version,
        })  # fmt: skip
        assert response.status_code == (302 if offered else 200)
        if offered:
            assert response["Location"] == reverse(
                "cases:entry_create", kwargs={"case_id": case.pk, "kind": "staff_route"}
            )
            route = verified(user).get(response["Location"]).content.decode()
            assert "Dit valt niet onder de meldcode." in route
            assert "vertrouwensinspecteur" in route
            detail = verified(user).get(reverse("cases:detail", kwargs={"case_id": case.pk}))
            assert "Vermoeden van seksueel misbruik door een medewerker" in detail.content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"suspect_is_board": "nee"}, "board_informed_on"),
        ({"suspect_is_board": "ja", "board_informed_on": "vandaag"}, "inspector_consulted_on"),
        ({}, "suspect_is_board"),
    ],
)
def test_the_staff_route_asks_who_was_told(data, field):
    if data.get("board_informed_on") == "vandaag":
        data = {**data, "board_informed_on": today().isoformat()}
    form = StaffRouteForm(data)
    assert not form.is_valid()
    assert field in form.errors


def test_the_staff_route_is_complete_when_the_board_or_the_inspector_knows():
    day = today().isoformat()
    assert StaffRouteForm({"suspect_is_board": "nee", "board_informed_on": day}).is_valid()
    assert StaffRouteForm({"suspect_is_board": "ja", "inspector_consulted_on": day}).is_valid()


# --- Wording --------------------------------------------------------------------------------------


def test_pages_speak_u_and_leave_reporting_to_the_professional():
    informal = re.compile(r"\b(je|jij|jouw|jullie)\b", re.IGNORECASE)
    for path in (TEMPLATES / "cases").rglob("*.html"):
        text = re.sub(r"\{[%{#].*?[%}#]\}", " ", path.read_text(encoding="utf-8"))
        assert not informal.search(text), path.name
    guidance = STEP_INFO["stap_3"].guidance
    assert "beslis samen" not in guidance.lower()
    assert "face to face" not in " ".join(
        path.read_text(encoding="utf-8") for path in (TEMPLATES / "cases").rglob("*.html")
    )


def test_the_consultation_form_reminds_that_the_meldrecht_covers_veilig_thuis_only(verified):
    user = _member(Sector.EDUCATION)
    case = signals_case(actor_for_user(user=user))
    page = (
        verified(user)
        .get(reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "consultation"}))
        .content.decode()
    )
    assert "Het meldrecht geldt alleen voor Veilig Thuis" in page
    assert "zonder namen of herkenbare details" in page
