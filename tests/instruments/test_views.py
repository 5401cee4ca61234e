"""The instrument pages: fill in, save halfway, finish, outcome, compare; access; the case page,
the weighing page and the report; the functioneel beheerder's page and uploads."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.audit.models import AccessOutcome as LogOutcome
from meldwijzer.cases.models import Entry, EntryKind
from meldwijzer.cases.report import case_report
from meldwijzer.instruments import editing, loader, selectors, services
from meldwijzer.instruments.forms import EditForm
from meldwijzer.instruments.models import (
    InstrumentDefinition,
    InstrumentDraft,
    InstrumentResult,
    OrganisationInstrument,
)
from meldwijzer.organisations.roles import Role
from tests.cases.builders import weighing_case
from tests.downloads import assert_safe_download
from tests.instruments.builders import SCAN, form_data, neutral_answers, record_result, shipped
from tests.instruments.own_instrument import OWN_V1

pytestmark = pytest.mark.django_db


def fill_url(case, key=SCAN):
    return reverse("instruments:fill", kwargs={"case_id": case.pk, "key": key})


def post_answers(client, case, action, answers, key=SCAN):
    return client.post(fill_url(case, key), {**form_data(answers), "actie": action})


def test_the_case_page_offers_instruments_and_shows_their_outcomes(verified, actor, case):
    client = verified(actor.user)
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Screening of risicotaxatie invullen" in page
    assert "Nog geen instrument ingevuld" in page
    result = record_result(actor, case, gezin_controle="ja")
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk})).content.decode()
    assert "Intieme terreur" in page
    assert (
        reverse("instruments:result", kwargs={"case_id": case.pk, "result_id": result.pk}) in page
    )
    history = client.get(reverse("cases:history", kwargs={"case_id": case.pk})).content.decode()
    assert "Uitkomst instrument" in history  # the entry in the history


def test_the_case_page_offers_filling_in_only_while_an_instrument_is_on_for_the_step(
    verified, actor, case, admin
):
    client = verified(actor.user)
    url = reverse("cases:detail", kwargs={"case_id": case.pk})
    startable = [row.offered.key for row in selectors.case_instruments(case=case, actor=actor)
                 if row.can_start]  # fmt: skip
    assert startable and selectors.case_instrument_startable(case=case, actor=actor)
    for key in startable[:-1]:
        services.instrument_set_enabled(actor=admin, key=key, enabled=False)
    assert "Screening of risicotaxatie invullen" in client.get(url).content.decode()
    services.instrument_set_enabled(actor=admin, key=startable[-1], enabled=False)
    assert not any(row.can_start for row in selectors.case_instruments(case=case, actor=actor))
    assert not selectors.case_instrument_startable(case=case, actor=actor)
    assert "Screening of risicotaxatie invullen" not in client.get(url).content.decode()


def test_case_instruments_page_lists_instruments_drafts_and_results(verified, actor, case):
    client = verified(actor.user)
    record_result(actor, case)
    post_answers(client, case, "opslaan", {"it_controle": "ja"}, key="gezinsprofielen")
    page = client.get(reverse("instruments:case", kwargs={"case_id": case.pk})).content.decode()
    assert "Huisbezoek-scan huiselijk geweld en kindermishandeling" in page
    assert "Opnieuw invullen (nieuwe beoordeling)" in page
    assert 'Verder invullen<span class="visually-hidden">: Gezinsprofielen' in page
    assert "(1 van de 23 vragen)" in page
    assert "Voorbeeld: gescoorde risicochecklist" not in page  # off by default


def test_save_halfway_then_finish_from_the_form(verified, actor, case):
    client = verified(actor.user)
    response = post_answers(
        client, case, "opslaan", {"kind_afhankelijk": "ja", "veiligheid_nu": "2"}
    )
    assert response.status_code == 302 and response["Location"] == fill_url(case)
    draft = InstrumentDraft.objects.get(case=case, author=actor.user)
    assert draft.answers == {"kind_afhankelijk": "ja", "veiligheid_nu": 2}
    page = client.get(fill_url(case)).content.decode()
    assert "Concept" in page and "2 van de 47 vragen beantwoord" in page
    assert (
        'value="ja" class="utrecht-radio-button utrecht-radio-button--html-input" id="id_antwoord-kind_afhankelijk_0" checked'
        in page
    )

    # Finishing with questions open: the answers so far are kept, the open questions listed.
    response = post_answers(
        client, case, "afronden", {"kind_afhankelijk": "ja", "sig_letsel": "ja"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Controleer uw antwoorden" in page and "opgeslagen als concept" in page
    assert 'href="#vraag-kind_prematuur"' in page
    assert not InstrumentResult.objects.exists()
    assert InstrumentDraft.objects.get(case=case).answers == {
        "kind_afhankelijk": "ja",
        "sig_letsel": "ja",
    }

    answers = {**neutral_answers(shipped()), "sig_letsel": "ja", "sig_getuige": "ja"}
    response = post_answers(client, case, "afronden", answers)
    result = InstrumentResult.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "instruments:result", kwargs={"case_id": case.pk, "result_id": result.pk}
    )
    assert not InstrumentDraft.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Lichamelijk geweld of mishandeling" in page
    assert "Getuige van partnergeweld" in page
    assert "Het kind heeft letsel dat niet past bij de uitleg" in page  # the reason, in words
    assert "geen besluit en geen diagnose" in page


def test_invalid_answers_are_refused_with_a_message_and_nothing_is_saved(verified, actor, case):
    client = verified(actor.user)
    response = post_answers(
        client,
        case,
        "opslaan",
        {"kind_afhankelijk": "misschien", "veiligheid_nu": "99", "datum_bezoek": "31-02-2024"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("Kies een van de antwoorden.") >= 2
    assert "Vul een geldige datum in" in page
    assert not InstrumentDraft.objects.exists()


def test_discarding_a_draft(verified, actor, case):
    client = verified(actor.user)
    post_answers(client, case, "opslaan", {"kind_afhankelijk": "ja"})
    response = client.post(fill_url(case), {"actie": "verwijderen"})
    assert response.status_code == 302
    assert not InstrumentDraft.objects.exists()


def test_an_instrument_outside_its_phases_or_switched_off_sends_back_with_a_message(
    verified, actor, case, admin
):
    client = verified(actor.user)
    response = client.get(fill_url(case, "voorbeeld_risicochecklist"), follow=True)
    assert "niet (meer) ingeschakeld" in response.content.decode()
    response = client.get(fill_url(case, "bestaat_niet"), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "instruments:case", kwargs={"case_id": case.pk}
    )


def test_result_and_compare_pages_show_a_reassessment_side_by_side(verified, actor, case):
    client = verified(actor.user)
    first = record_result(actor, case, gezin_geweld="ja", ouder_stress="ja")
    record_result(actor, case, ouder_stress="ja", bf_netwerk="ja")
    page = client.get(
        reverse("instruments:result", kwargs={"case_id": case.pk, "result_id": first.pk})
    ).content.decode()
    assert "Naast eerdere uitkomsten leggen" in page
    page = client.get(
        reverse("instruments:compare", kwargs={"case_id": case.pk, "key": SCAN})
    ).content.decode()
    assert page.count("versie 2.0") == 2
    assert "veranderd" in page
    assert "In de omgang tussen gezinsleden overheerst geweld" in page
    missing = reverse("instruments:compare", kwargs={"case_id": case.pk, "key": "gezinsprofielen"})
    assert client.get(missing).status_code == 404


def test_reading_results_is_logged_and_others_get_not_found(
    verified, actor, case, colleague, admin
):
    result = record_result(actor, case)
    url = reverse("instruments:result", kwargs={"case_id": case.pk, "result_id": result.pk})
    assert verified(actor.user).get(url).status_code == 200
    assert AccessLogEntry.objects.filter(
        user=actor.user, part="instrumenten", action=Action.READ, subject_id=str(case.pk)
    ).exists()
    assert verified(colleague.user).get(url).status_code == 404
    assert AccessLogEntry.objects.filter(user=colleague.user, outcome=LogOutcome.DENIED).exists()
    assert verified(admin.user).get(url).status_code == 403
    other = reverse("instruments:result", kwargs={"case_id": case.pk, "result_id": result.pk + 99})
    assert verified(actor.user).get(other).status_code == 404


def test_the_weighing_page_and_the_report_show_instrument_results(verified, actor):
    case = weighing_case(actor, "Zorgen in stap 4")
    record_result(actor, case, sig_letsel="ja", gezin_controle="ja")
    client = verified(actor.user)
    page = client.get(reverse("cases:weighing", kwargs={"case_id": case.pk})).content.decode()
    assert "Uitkomsten van instrumenten" in page and "Intieme terreur" in page
    page = client.get(reverse("cases:report_print", kwargs={"case_id": case.pk})).content.decode()
    assert "Screening en risicotaxatie" in page
    assert "Huisbezoek-scan huiselijk geweld en kindermishandeling" in page
    report = client.get(reverse("cases:report_json", kwargs={"case_id": case.pk})).json()
    (item,) = report["instruments"]
    assert item["key"] == SCAN and item["version"] == "2.0"
    assert [p["code"] for p in item["profiles"]] == ["intieme_terreur"]
    assert {s["label"] for s in item["scores"]} == {
        "Risicofactoren",
        "Beschermende factoren",
        "Signalen",
    }


# --- Functioneel beheer -----------------------------------------------------------------------------


def upload(client, text, name="eigen_lijst.yaml", enable=True):
    data = {"file": SimpleUploadedFile(name, text.encode(), content_type="application/x-yaml")}
    if enable:
        data["enable"] = "on"
    return client.post(reverse("instruments:upload"), data)


def test_the_beheer_page_lists_shipped_instruments_and_switches_them(verified, admin, actor, case):
    client = verified(admin.user)
    page = client.get(reverse("instruments:manage")).content.decode()
    for title in ("Huisbezoek-scan", "Gezinsprofielen", "Signalen mensenhandel", "Voorbeeld:"):
        assert title in page
    response = client.post(reverse("instruments:toggle", kwargs={"key": SCAN}), {"enabled": "0"})
    assert response.status_code == 302
    assert OrganisationInstrument.objects.get(key=SCAN).enabled is False
    page = verified(actor.user).get(reverse("instruments:case", kwargs={"case_id": case.pk}))
    assert fill_url(case) not in page.content.decode()
    assert fill_url(case, "gezinsprofielen") in page.content.decode()
    client = verified(admin.user)
    response = client.post(reverse("instruments:toggle", kwargs={"key": SCAN}), {"enabled": "x"})
    assert response.status_code == 302
    assert OrganisationInstrument.objects.get(key=SCAN).enabled is False


def test_a_valid_upload_is_loaded_and_shown(verified, admin):
    client = verified(admin.user)
    response = upload(client, OWN_V1)
    assert response.status_code == 302
    assert response["Location"] == reverse("instruments:definition", kwargs={"key": "eigen_lijst"})
    page = client.get(response["Location"]).content.decode()
    assert "Eigen zorgenlijst" in page and "Het kind heeft vaak honger." in page
    assert "Versie 1" in page
    source = client.get(reverse("instruments:source", kwargs={"key": "eigen_lijst"}))
    assert source.content.decode() == OWN_V1
    assert 'filename="eigen_lijst-1.yaml"' in source["Content-Disposition"]
    assert_safe_download(source, "application/yaml")
    assert (
        client.get(
            reverse("instruments:source", kwargs={"key": "eigen_lijst"}) + "?versie=9"
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            OWN_V1.replace("violence: [verwaarlozing]", "violence: [honger]"),
            "onbekende vorm van geweld 'honger'",
        ),
        (OWN_V1.replace("min: 0, max: 0}", "min: 0, max: 1}"), "overlappen"),
        ("key: [onaf", "dit is geen leesbare YAML of JSON"),
        (OWN_V1.replace("key: eigen_lijst", "key: gezinsprofielen"), "meegeleverd"),
    ],
)
def test_an_invalid_upload_shows_every_problem_and_stores_nothing(
    verified, admin, content, expected
):
    response = upload(verified(admin.user), content, name="kapot.yaml")
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Het bestand is niet geladen" in page and "Er is niets opgeslagen" in page
    assert expected in page and "kapot.yaml" in page
    assert not InstrumentDefinition.objects.exists()


def test_uploads_that_are_not_a_usable_file_get_a_message(verified, admin):
    client = verified(admin.user)
    response = client.post(reverse("instruments:upload"), {})
    assert response.status_code == 400 and "Kies een bestand." in response.content.decode()
    big = SimpleUploadedFile("groot.yaml", b"#" * (256 * 1024 + 1))
    response = client.post(reverse("instruments:upload"), {"file": big})
    assert "groter dan 256 kB" in response.content.decode()
    latin = SimpleUploadedFile("oud.yaml", "titel: café".encode("latin-1"))
    response = client.post(reverse("instruments:upload"), {"file": latin})
    assert "geen UTF-8" in response.content.decode()
    # More files in one request than any form takes (DATA_UPLOAD_MAX_NUMBER_FILES): a 400.
    many = [SimpleUploadedFile(f"{n}.yaml", OWN_V1.encode()) for n in range(6)]
    client.raise_request_exception = False
    assert client.post(reverse("instruments:upload"), {"file": many}).status_code == 400
    assert not InstrumentDefinition.objects.exists()


def test_the_beheer_pages_are_for_the_functioneel_beheerder_only(
    verified, actor, admin, make_member, other_organisation
):
    services.instrument_upload(actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True)
    for url in (
        reverse("instruments:manage"),
        reverse("instruments:upload"),
        reverse("instruments:definition", kwargs={"key": SCAN}),
    ):
        assert verified(actor.user).get(url).status_code == 403
    own = reverse("instruments:definition", kwargs={"key": "eigen_lijst"})
    assert verified(admin.user).get(own).status_code == 200
    other_admin = make_member(Role.FUNCTIONAL_ADMIN, other_organisation)
    client = verified(other_admin)
    assert (
        client.get(reverse("instruments:definition", kwargs={"key": "eigen_lijst"})).status_code
        == 404
    )
    assert Entry.objects.filter(kind=EntryKind.INSTRUMENT_RESULT).count() == 0


def test_a_draft_can_be_discarded_after_the_instrument_is_switched_off(
    verified, actor, case, admin
):
    client = verified(actor.user)
    post_answers(client, case, "opslaan", {"kind_afhankelijk": "ja"})
    services.instrument_set_enabled(actor=admin, key=SCAN, enabled=False)
    response = client.post(fill_url(case), {"actie": "verwijderen"})
    assert response.status_code == 302
    assert not InstrumentDraft.objects.exists()
    response = post_answers(client, case, "opslaan", {"kind_afhankelijk": "ja"})
    assert response.status_code == 302 and not InstrumentDraft.objects.exists()


# --- Internal identifiers stay off the pages --------------------------------------------------------


def _without_digests(html_text: str, digests: set[str]) -> list[str]:
    """The digests (or their first 12 characters, as a shortened form would show) in a page."""
    return [digest for digest in digests if digest[:12] in html_text]


def test_no_page_shows_the_sha256_of_a_definition(verified, actor, admin):
    case = weighing_case(actor, "Zorgen in stap 4")
    shipped_result = record_result(actor, case, sig_letsel="ja")
    own = services.instrument_upload(
        actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True
    )
    own_result = record_result(actor, case, key="eigen_lijst", moe="ja")
    adjusted = services.instrument_edit_save(
        actor=admin,
        key=SCAN,
        edit=editing.InstrumentEdit(title="Huisbezoek-scan wijkteam"),
        based_on_version="2.0",
    ).definition
    adjusted_result = record_result(actor, case, sig_letsel="nee")
    assert adjusted_result.definition == adjusted
    digests = {
        shipped().digest,
        shipped_result.digest,
        own.digest,
        own_result.digest,
        adjusted.digest,
    }

    professional = verified(actor.user)
    pages = {
        name: reverse(name, kwargs={"case_id": case.pk})
        for name in (
            "cases:detail",
            "cases:weighing",
            "cases:report_print",
            "instruments:case",
        )
    }
    pages["fill"] = reverse("instruments:fill", kwargs={"case_id": case.pk, "key": SCAN})
    pages["compare"] = reverse("instruments:compare", kwargs={"case_id": case.pk, "key": SCAN})
    for result in (shipped_result, own_result, adjusted_result):
        pages[f"result {result.key}"] = reverse(
            "instruments:result", kwargs={"case_id": case.pk, "result_id": result.pk}
        )
    shown = {}
    for name, url in pages.items():
        response = professional.get(url)
        assert response.status_code == 200, name
        shown[name] = response.content.decode()
    report = case_report(actor=actor, case_id=case.pk, action=Action.EXPORT)
    shown["report pdf"] = render_to_string("cases/report/report_pdf.html", {"report": report})
    assert "Huisbezoek-scan" in shown["report pdf"]
    # Machine output keeps it, for verification against the stored definition.
    exported = professional.get(reverse("cases:report_json", kwargs={"case_id": case.pk})).json()
    assert {item["digest"] for item in exported["instruments"]} == {
        shipped_result.digest,
        own_result.digest,
        adjusted_result.digest,
    }

    beheer = verified(admin.user)
    for name, url in {
        "manage": reverse("instruments:manage"),
        "upload": reverse("instruments:upload"),
        "definition shipped": reverse("instruments:definition", kwargs={"key": SCAN}),
        "definition own": reverse("instruments:definition", kwargs={"key": "eigen_lijst"}),
        "edit shipped": edit_url(),
        "edit own": edit_url("eigen_lijst"),
    }.items():
        response = beheer.get(url)
        assert response.status_code == 200, name
        shown[name] = response.content.decode()
    preview = beheer.post(edit_url(), edit_data(admin, titel="Nog een naam", basis="2.0-1"))
    assert preview.status_code == 200
    shown["edit preview"] = preview.content.decode()
    refused = beheer.post(edit_url(), edit_data(admin, band_1_1_tot="9"))
    assert refused.status_code == 400
    shown["edit refused"] = refused.content.decode()

    assert {name: _without_digests(page, digests) for name, page in shown.items()} == {
        name: [] for name in shown
    }


# --- Adjusting an instrument on the beheer page ---------------------------------------------------


def edit_url(key=SCAN):
    return reverse("instruments:edit", kwargs={"key": key})


def edit_data(admin, key=SCAN, **changes):
    """The editor's form as it opens (every field with its current value), with `changes`."""
    editable = selectors.instrument_editable(actor=admin, key=key)
    form = EditForm(editor=editable.editor, enabled=editable.offered.enabled)
    data = {}
    for name, field in form.fields.items():
        value = field.initial
        if value is True:
            data[name] = "on"
        elif value is not None and value is not False:
            data[name] = str(value)
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def test_the_editor_opens_from_the_instruments_beheer_page_with_the_current_texts(verified, admin):
    client = verified(admin.user)
    page = client.get(reverse("instruments:definition", kwargs={"key": SCAN})).content.decode()
    assert f'href="{edit_url()}"' in page and ">Aanpassen</a>" in page
    assert "Uitschakelen</button>" in page  # on/off on the same page
    page = client.get(edit_url()).content.decode()
    assert "Huisbezoek-scan huiselijk geweld en kindermishandeling aanpassen" in page
    assert "Voor de professionals van uw organisatie" in page and 'value="aan"' in page
    assert html.escape(shipped().items["kind_afhankelijk"].text) in html.escape(html.unescape(page))
    assert 'name="vraag-2-uit"' in page  # kind_prematuur may be switched off
    assert editing.LOCKED_BY_RULE in html.unescape(page)  # a question a rule uses may not
    assert 'name="band-1-1-tot" value="3"' in page


def test_an_adjustment_is_shown_first_and_then_saved_as_a_new_version(verified, admin, actor, case):
    client = verified(admin.user)
    data = edit_data(
        admin,
        titel="Huisbezoek-scan wijkteam",
        vraag_2_uit="on",
        band_1_1_tot="4",
        band_1_2_van="5",
        band_1_2_naam="Verhoogd risico",
    )
    response = client.post(edit_url(), {**data, "actie": "bekijken"})
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Er is nog niets opgeslagen" in page
    assert "Dit wordt <strong>versie 2.0-1</strong> van uw organisatie" in page
    assert "Naam</strong>: gewijzigd" in page
    assert "uitgezet" in page
    assert "0 tot en met 3 → 0 tot en met 4" in page
    assert "naam ‘Verhoogd’ → ‘Verhoogd risico’; 4 tot en met 8 → 5 tot en met 8" in page
    assert shipped().digest[:12] not in page
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()

    back = client.post(edit_url(), {**data, "actie": "terug"})
    assert back.status_code == 200 and 'value="Huisbezoek-scan wijkteam"' in back.content.decode()

    response = client.post(edit_url(), {**data, "actie": "opslaan"})
    assert response.status_code == 302
    assert response["Location"] == reverse("instruments:definition", kwargs={"key": SCAN})
    definition = InstrumentDefinition.objects.get(organisation=admin.organisation)
    assert (definition.version, definition.title) == ("2.0-1", "Huisbezoek-scan wijkteam")
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "is opgeslagen als versie 2.0-1" in page
    assert "Aangepast door uw organisatie" in page
    assert "Versie 2.0-1 – aangepast op" in page and "uitgaande van versie 2.0" in page
    assert record_result(actor, case).version == "2.0-1"


def test_overlapping_bands_are_refused_at_the_field_with_the_loaders_message(verified, admin):
    client = verified(admin.user)
    data = edit_data(admin, band_1_2_van="3")  # 'Verhoogd' now starts inside 'Laag' (0–3)
    for action in ("bekijken", "opslaan"):
        response = client.post(edit_url(), {**data, "actie": action})
        assert response.status_code == 400
        page = html.unescape(response.content.decode())
        assert "Er is niets opgeslagen" in page
        message = "Banden ‘Laag’ en ‘Verhoogd’ overlappen: score 3 valt in allebei."
        # At the limit the beheerder moved, and in the summary that links to it.
        assert f'id="id_band-1-2-van_error">{message}</p>' in page
        assert (
            f'href="#id_band-1-2-van">Band ‘Verhoogd’ van ‘Risicofactoren’, van: {message}' in page
        )
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()
    assert not AccessLogEntry.objects.filter(subject_type="instrument").exists()


def test_a_gap_is_shown_at_the_upper_limit_of_the_lower_band(verified, admin):
    response = verified(admin.user).post(edit_url(), {**edit_data(admin, band_1_1_tot="2")})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert (
        'id="id_band-1-1-tot_error">Tussen band ‘Laag’ en ‘Verhoogd’ zit een gat: score 3 valt '
        "in geen enkele band.</p>"
    ) in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"band_1_1_tot": "drie"}, "band-1-1-tot", "Vul een heel getal in."),
        ({"band_1_1_tot": "-1"}, "band-1-1-tot", "Vul 0 of meer in."),
        ({"titel": ""}, "titel", "Mag niet leeg zijn."),
        ({"vraag_1_tekst": "   "}, "vraag-1-tekst", "Mag niet leeg zijn."),
        ({"gebruik": "misschien"}, "gebruik", "Kies aan of uit."),
    ],
)
def test_bad_input_gets_a_dutch_message_at_its_field_and_never_a_500(
    verified, admin, changes, field, message
):
    response = verified(admin.user).post(edit_url(), edit_data(admin, **changes))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert f'id="id_{field}_error">{message}</p>' in page
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()


def test_nothing_changed_and_a_stale_version_are_explained(verified, admin):
    client = verified(admin.user)
    response = client.post(edit_url(), edit_data(admin))
    assert (
        response.status_code == 400 and "U hebt nog niets veranderd." in response.content.decode()
    )
    for basis in ("1.0", None, "x" * 500):
        response = client.post(edit_url(), edit_data(admin, basis=basis, titel="Nieuw"))
        assert response.status_code == 409
        assert "Intussen is er een andere versie" in html.unescape(response.content.decode())


def test_switching_off_from_the_editor_needs_no_new_version(verified, admin):
    client = verified(admin.user)
    data = edit_data(admin, gebruik="uit")
    page = html.unescape(client.post(edit_url(), data).content.decode())
    assert (
        "Het instrument wordt <strong>uitgeschakeld</strong>" in page
        and "er komt geen nieuwe versie" in page
    )
    response = client.post(edit_url(), {**data, "actie": "opslaan"})
    assert response.status_code == 302
    assert OrganisationInstrument.objects.get(key=SCAN).enabled is False
    assert not InstrumentDefinition.objects.filter(organisation__isnull=False).exists()
    # The toggle on the instrument's own page returns there.
    response = client.post(
        reverse("instruments:toggle", kwargs={"key": SCAN}), {"enabled": "1", "terug": "instrument"}
    )
    assert response["Location"] == reverse("instruments:definition", kwargs={"key": SCAN})


def test_only_the_own_functioneel_beheerder_may_adjust(
    verified, actor, admin, make_member, other_organisation
):
    services.instrument_upload(actor=admin, data=OWN_V1.encode(), filename="e.yaml", enable=True)
    data = edit_data(admin, titel="Overgenomen")
    professional = verified(actor.user)
    assert professional.get(edit_url()).status_code == 403
    assert professional.post(edit_url(), {**data, "actie": "opslaan"}).status_code == 403
    other = verified(make_member(Role.FUNCTIONAL_ADMIN, other_organisation))
    own = edit_data(admin, key="eigen_lijst", titel="Overgenomen")
    assert other.get(edit_url("eigen_lijst")).status_code == 404
    assert other.post(edit_url("eigen_lijst"), {**own, "actie": "opslaan"}).status_code == 404
    assert other.get(edit_url("bestaat_niet")).status_code == 404
    assert InstrumentDefinition.objects.filter(organisation__isnull=False).count() == 1
    assert AccessLogEntry.objects.filter(outcome=LogOutcome.DENIED).count() >= 4


def test_the_beheer_page_says_when_meldwijzer_ships_a_newer_version_than_the_adjusted_one(
    verified, admin
):
    # An adjustment made when the scan was still 1.9, stored as it would have been then.
    old_text = shipped().source_text.replace('version: "2.0"', 'version: "1.9"')
    old = InstrumentDefinition.objects.create(
        key=SCAN,
        version="1.9",
        title=shipped().title,
        source_text=old_text,
        digest=loader.digest(old_text),
        created_at=timezone.now(),
    )
    adjusted_text = old_text.replace('version: "1.9"', 'version: "1.9-1"')
    InstrumentDefinition.objects.create(
        organisation=admin.organisation,
        key=SCAN,
        version="1.9-1",
        title=shipped().title,
        source_text=adjusted_text,
        digest=loader.digest(adjusted_text),
        based_on=old,
        uploaded_by=admin.user,
        created_at=timezone.now(),
    )
    page = html.unescape(
        verified(admin.user).get(reverse("instruments:definition", kwargs={"key": SCAN})).text
    )
    assert "Meldwijzer levert inmiddels versie 2.0 van dit instrument." in page
    assert "Uw aangepaste versie gaat uit van versie 1.9." in page
    editable = selectors.instrument_editable(actor=admin, key=SCAN)
    assert editable.editor.base.version == "1.9"  # adjusting again starts from the same base
