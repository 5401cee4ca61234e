"""Knowledge per step: versions by the redacteur (never changed, the newest shown everywhere),
safe Markdown, and the texts inside the dossier and the signal form."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Subject
from meldwijzer.cases import services as case_services
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.trainings import knowledge_versions
from meldwijzer.trainings.knowledge_markdown import markdown_render
from meldwijzer.trainings.knowledge_versions import (
    KnowledgeConflict,
    knowledge_history,
    knowledge_save,
    step_knowledge_get,
)
from meldwijzer.trainings.models import KnowledgeVersion
from tests.cases.builders import signals_case
from tests.coordination.builders import actor_of
from tests.factories import OrganisationFactory
from tests.trainings.knowledge_builders import edit_data, editor, member

KEY = "stap-2/onderwijs"


def save(actor, based_on: int, **changes):
    data = edit_data(**changes)
    data["as_of"] = datetime.date.fromisoformat(str(data["as_of"]))
    return knowledge_save(actor=actor, key=KEY, based_on=based_on, **data)


@pytest.mark.django_db
def test_each_save_is_a_new_version_and_older_ones_stay_as_they_were():
    actor = editor()
    first = save(actor, 0, note="Eerste wijziging.")
    row = KnowledgeVersion.objects.get(key=KEY, version=1)
    second = save(actor, 1, title="Tweede titel", as_of="2026-12-02", note="Tweede wijziging.")
    assert (first.version, second.version) == (1, 2)
    assert KnowledgeVersion.objects.filter(key=KEY).count() == 2
    again = KnowledgeVersion.objects.get(pk=row.pk)
    assert (again.title, again.note, again.edited_at) == (row.title, row.note, row.edited_at)
    shown = step_knowledge_get(number=2, profession="onderwijs")
    assert shown.addition.title == "Tweede titel"
    assert shown.as_of == datetime.date(2026, 12, 2)
    history = knowledge_history(actor=actor, key=KEY)
    assert [v.version for v in history] == [2, 1, 0]
    assert history[0].edited_by == actor.user.get_full_name()
    assert history[-1].note == ""  # the shipped text


@pytest.mark.django_db
def test_each_version_is_rendered_once_and_a_new_version_at_once(monkeypatch):
    rendered = []

    def counting(text, *, heading_offset=0):
        rendered.append(text)
        return markdown_render(text, heading_offset=heading_offset)

    monkeypatch.setattr(knowledge_versions, "markdown_render", counting)
    knowledge_versions._rendered.cache_clear()
    first = step_knowledge_get(number=2, profession="onderwijs").addition
    again = step_knowledge_get(number=2, profession="onderwijs").addition
    assert first.html_at(2) == again.html_at(2)
    assert len(rendered) == 1
    save(editor(), 0, body="## Nieuw\n\nEen nieuwe tekst bij stap 2.")
    newer = step_knowledge_get(number=2, profession="onderwijs").addition
    assert "Een nieuwe tekst bij stap 2." in newer.html_at(2)
    assert 'class="utrecht-heading-4"' in newer.html_at(2)
    assert len(rendered) == 2


@pytest.mark.django_db
def test_a_save_is_access_logged():
    actor = editor()
    save(actor, 0)
    row = AccessLogEntry.objects.get(subject_type=Subject.KNOWLEDGE, subject_id=KEY)
    assert (row.action, row.outcome, row.part) == (Action.UPDATE, AccessOutcome.ALLOWED, "versie 1")


@pytest.mark.django_db
def test_a_save_on_top_of_an_older_version_changes_nothing():
    actor = editor()
    save(actor, 0)
    with pytest.raises(KnowledgeConflict):
        save(actor, 0, title="Over de ander heen")
    assert KnowledgeVersion.objects.filter(key=KEY).count() == 1


@pytest.mark.django_db
def test_only_a_redacteur_saves():
    actor = actor_of(member(Role.MELDCODE_OFFICER))
    with pytest.raises(PermissionDenied):
        save(actor, 0)
    assert not KnowledgeVersion.objects.exists()


def test_markdown_never_passes_html_scripts_or_other_links():
    html = markdown_render(
        "<script>alert(1)</script>\n\n<b onclick=x>vet</b> [a](javascript:alert(1)) "
        "[b](JavaScript:alert(1)) [c](data:text/html;base64,PHNjcmlwdD4=) [d](vbscript:x) "
        "![e](https://example.org/x.png) [f](https://www.vooreenveiligthuis.nl) "
        "[g](tel:08002000) [h](mailto:redactie@example.org) <javascript:alert(1)>"
    )
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert "javascript:" not in html.lower().replace("[a](javascript:", "").replace(
        "[b](javascript:", ""
    ).replace("&lt;javascript:", "")
    assert 'href="javascript' not in html.lower() and 'href="data' not in html
    assert 'href="vbscript' not in html
    assert 'href="https://www.vooreenveiligthuis.nl"' in html
    assert 'href="tel:08002000"' in html and 'href="mailto:redactie@example.org"' in html
    assert "&lt;script&gt;" in html


@pytest.fixture
def editor_client(client):
    from tests.conftest import force_verified_login

    user = member(Role.CONTENT_EDITOR)
    return force_verified_login(client, user), user


EDIT_URL = reverse("trainings:knowledge_edit", args=["stap-2", "onderwijs"])


@pytest.mark.django_db
def test_the_redacteur_previews_then_saves_and_everyone_sees_the_newest(editor_client, client):
    web, _ = editor_client
    response = web.post(EDIT_URL, {**edit_data(), "versie": 0, "actie": "voorbeeld"})
    assert response.status_code == 200
    assert "Voorbeeld (nog niet opgeslagen)" in response.content.decode()
    assert not KnowledgeVersion.objects.exists()
    response = web.post(EDIT_URL, {**edit_data(), "versie": 0, "actie": "opslaan"})
    assert response.status_code == 302
    assert KnowledgeVersion.objects.get().version == 1
    page = web.get(reverse("trainings:knowledge_step", args=[2, "onderwijs"])).content.decode()
    assert "Stap 2 in het onderwijs" in page and "1 december 2026" in page
    history = web.get(reverse("trainings:knowledge_history", args=["stap-2", "onderwijs"]))
    content = history.content.decode()
    assert "Versie 1 (nu getoond)" in content and "Intern begeleider toegevoegd." in content
    assert "Versie 0" in content


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"note": ""}, "Beschrijf kort wat u hebt veranderd."),
        ({"as_of": "2999-01-01"}, "De stand kan niet in de toekomst liggen."),
        ({"body": "x" * 20001}, "20000"),
        ({"title": ""}, "Geef de tekst een titel."),
    ],
)
@pytest.mark.django_db
def test_bad_input_gets_a_message_and_saves_nothing(editor_client, changes, message):
    web, _ = editor_client
    response = web.post(EDIT_URL, {**edit_data(**changes), "versie": 0, "actie": "opslaan"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not KnowledgeVersion.objects.exists()


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_a_message(editor_client):
    web, user = editor_client
    save(actor_of(user), 0)
    response = web.post(EDIT_URL, {**edit_data(), "versie": 0, "actie": "opslaan"})
    assert response.status_code == 409
    assert "Iemand anders heeft deze tekst intussen gewijzigd" in response.content.decode()
    assert KnowledgeVersion.objects.count() == 1


@pytest.mark.django_db
def test_unsafe_markdown_never_reaches_a_page(editor_client):
    web, user = editor_client
    body = "<script>alert('x')</script>\n\n[klik](javascript:alert(1)) <img src=x onerror=alert(1)>"
    save(actor_of(user), 0, body=body)
    preview = web.post(EDIT_URL, {**edit_data(body=body), "versie": 1, "actie": "voorbeeld"})
    for response in (
        web.get(reverse("trainings:knowledge_step", args=[2, "onderwijs"])),
        web.get(reverse("trainings:knowledge_history", args=["stap-2", "onderwijs"])),
        preview,
    ):
        content = response.content.decode()
        assert "<script>alert" not in content
        assert 'href="javascript' not in content
        assert "<img src=x" not in content


def _case_in_step_1(profession: str):
    sector = Sector.EDUCATION if profession == "onderwijs" else Sector.HEALTHCARE
    user = member(Role.PROFESSIONAL, OrganisationFactory(sector=sector))
    actor = actor_of(user)
    case = case_services.case_open(
        actor=actor, title="Zorgen", profession=profession, client="kind"
    )
    return user, case


@pytest.mark.django_db
def test_the_case_page_shows_the_step_for_the_case_beroepsgroep(client):
    from tests.conftest import force_verified_login

    user, case = _case_in_step_1("onderwijs")
    save(editor(), 0, note="n")  # stap 2: not the case's step
    page = force_verified_login(client, user).get(reverse("cases:detail", args=[case.pk]))
    content = page.content.decode()
    assert "Kennis bij deze stap: Stap 1: signalen in kaart brengen" in content
    assert "In het onderwijs" in content and "vertrouwensinspecteur" in content
    assert "Stap 2 in het onderwijs" not in content
    assert reverse("trainings:knowledge_step", args=[1, "onderwijs"]) in content


@pytest.mark.django_db
def test_a_beroepsgroep_without_its_own_text_sees_the_general_one(client):
    from tests.conftest import force_verified_login

    user, case = _case_in_step_1("paramedici")
    content = (
        force_verified_login(client, user)
        .get(reverse("cases:detail", args=[case.pk]))
        .content.decode()
    )
    assert "Kennis bij deze stap: Stap 1: signalen in kaart brengen" in content
    assert "In het onderwijs" not in content
    assert reverse("trainings:knowledge_step", args=[1, "paramedici"]) in content


@pytest.mark.django_db
def test_the_signal_form_links_the_categories_to_their_guides(client):
    from tests.conftest import force_verified_login

    user = member(Role.PROFESSIONAL)
    case = signals_case(actor_of(user))
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "signal"})
    content = force_verified_login(client, user).get(url).content.decode()
    assert content.count("Signalen bij deze groep") == 6
    assert reverse("trainings:knowledge_target_group", args=["eergerelateerd"]) in content
    assert reverse("trainings:knowledge_target_group", args=["ouderen"]) in content
    other = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "counter_signal"})
    assert "Signalen bij deze groep" not in client.get(other).content.decode()


def _queries(web, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        assert web.get(url).status_code == 200
    return len(context)


@pytest.mark.django_db
def test_lists_take_the_same_queries_however_many_versions(editor_client):
    web, user = editor_client
    urls = [reverse("trainings:knowledge_editor"), reverse("trainings:knowledge_target_groups")]
    web.get(urls[0])  # warm the session
    before = [_queries(web, url) for url in urls]
    for key in ("stap-1/algemeen", "stap-3/artsen", "doelgroep/ouderen", "doelgroep/kopp"):
        for version in (0, 1):
            knowledge_save(
                actor=actor_of(user), key=key, based_on=version, title="t", body="b",
                as_of=datetime.date(2026, 12, 1), source="s", note="n",
            )  # fmt: skip
    assert [_queries(web, url) for url in urls] == before


@pytest.mark.django_db
def test_a_professional_chooses_step_and_beroepsgroep(client):
    from tests.conftest import force_verified_login

    web = force_verified_login(client, member(Role.PROFESSIONAL))
    url = reverse("trainings:knowledge")
    assert 'value="onderwijs" selected' in web.get(url).content.decode()  # own sector's group
    response = web.get(url, {"stap": 3, "beroepsgroep": "artsen"})
    assert response["Location"] == reverse("trainings:knowledge_step", args=[3, "artsen"])
    page = web.get(response["Location"]).content.decode()
    assert "Stap 3: gesprek met de cliënt" in page and "Voor artsen" in page
    refused = web.get(url, {"stap": 9, "beroepsgroep": "bakkers"})
    assert refused.status_code == 200 and "Selecteer een geldige keuze" in refused.content.decode()


@pytest.mark.django_db
def test_the_demo_versions_are_loaded_once():
    from meldwijzer.trainings import demo_knowledge
    from tests.factories import MembershipFactory, UserFactory

    MembershipFactory(role=Role.CONTENT_EDITOR, user=UserFactory(username="redactie"))
    demo_knowledge.load()
    demo_knowledge.load()
    assert list(KnowledgeVersion.objects.values_list("key", "version")) == [
        ("stap-2/onderwijs", 2),
        ("stap-2/onderwijs", 1),
    ]
