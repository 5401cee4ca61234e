"""Safety in every contact: a note cannot be saved without the safety question answered — not by
the form, the service, the API or the database; 'niet veilig' alerts the casusregisseur until
they acknowledge it, and offers re-weighing in the author's own meldcode dossier only."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from meldwijzer.api.coordination_plan import ContactNoteCreateSerializer
from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action
from meldwijzer.cases.services import case_open
from meldwijzer.coordination import contacts, selectors
from meldwijzer.coordination.contacts import ContactData, ContactInputError
from meldwijzer.coordination.models import (
    ContactNote,
    CoordinationFile,
    FileParts,
    FileState,
    IncomingReport,
    UnsafeAcknowledgement,
)
from meldwijzer.coordination.views.plan import ContactForm
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind
from tests.conftest import force_verified_login
from tests.coordination.builders import actor_of, team

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    """Today at the moment the test runs (a run may pass midnight after collecting the tests)."""
    return timezone.localdate()


def answered() -> dict[str, str]:
    """A contact note with every question answered, held today."""
    return {
        "contact_date": today().isoformat(),
        "with_whom": "moeder en Sem",
        "summary": "Huisbezoek; het was rustig.",
        "plan_kept": "ja",
        "new_worries": "",
        "safety": "veilig",
    }


def write(user, file, **changes):
    actor = actor_of(user)
    values = {**answered(), **changes}
    values["contact_date"] = datetime.date.fromisoformat(values["contact_date"])
    return contacts.contact_note_create(
        actor=actor, access=selectors.file_access_for(actor, file), data=ContactData(**values)
    )


def unsafe(user, file, **changes):
    return write(user, file, safety="onveilig", plan_kept="nee", **changes)


# --- The safety question, at every layer ---------------------------------------------------------


@pytest.mark.parametrize("missing", ["plan_kept", "safety"])
def test_the_form_refuses_a_note_without_the_safety_answer(missing):
    form = ContactForm({key: value for key, value in answered().items() if key != missing})
    assert not form.is_valid()
    assert "veiligheidsvraag" in form.errors[missing][0]


@pytest.mark.parametrize("missing", ["plan_kept", "safety"])
def test_the_service_refuses_a_note_without_the_safety_answer(missing):
    people = team(partner_parts=(FileParts.CONTACTS,))
    with pytest.raises(ContactInputError) as raised:
        write(people.partner, people.file, **{missing: ""})
    assert missing in raised.value.errors
    with pytest.raises(ContactInputError):
        write(people.partner, people.file, **{missing: "misschien"})
    assert not ContactNote.objects.exists()


@pytest.mark.parametrize("missing", ["plan_kept", "safety"])
def test_the_api_serializer_refuses_a_note_without_the_safety_answer(missing):
    body = {key: value for key, value in answered().items() if key != missing}
    serializer = ContactNoteCreateSerializer(data=body)
    assert not serializer.is_valid()
    assert "veiligheidsvraag" in str(serializer.errors[missing][0])


@pytest.mark.parametrize("missing", ["plan_kept", "safety"])
def test_the_database_refuses_a_note_without_the_safety_answer(missing):
    people = team()
    values = {**answered(), missing: ""}
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactNote.objects.create(
            file=people.file,
            contact_date=today(),
            with_whom=values["with_whom"],
            summary=values["summary"],
            plan_kept=values["plan_kept"],
            safety=values["safety"],
            author=people.coordinator,
            organisation=actor_of(people.coordinator).organisation,
            created_at=timezone.now(),
        )


@pytest.mark.parametrize("missing", ["plan_kept", "safety"])
def test_the_page_shows_the_question_again_and_saves_nothing(client, missing):
    people = team(partner_parts=(FileParts.CONTACTS,))
    force_verified_login(client, people.partner)
    body = {key: value for key, value in answered().items() if key != missing}
    response = client.post(reverse("coordination:contacts", args=[people.file.pk]), body)
    assert response.status_code == 400
    assert "Beantwoord de veiligheidsvraag" in response.content.decode()
    assert not ContactNote.objects.exists()


@pytest.mark.parametrize("missing", ["plan_kept", "safety"])
def test_the_api_refuses_a_note_without_the_safety_answer(client, missing):
    people = team(partner_parts=(FileParts.CONTACTS,))
    force_verified_login(client, people.partner)
    body = {key: value for key, value in answered().items() if key != missing}
    response = client.post(
        reverse("api:coordination-contacts", args=[people.file.pk]),
        body,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert missing in response.json()["error"]["fields"]
    assert not ContactNote.objects.exists()


def test_a_note_with_the_answers_is_saved_and_logged(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    force_verified_login(client, people.partner)
    response = client.post(reverse("coordination:contacts", args=[people.file.pk]), answered())
    assert response.status_code == 302
    note = ContactNote.objects.get()
    assert (note.plan_kept, note.safety, note.author) == ("ja", "veilig", people.partner)
    assert AccessLogEntry.objects.filter(
        user=people.partner,
        action=Action.CREATE,
        part=FileParts.CONTACTS,
        client_id=people.file.client_pseudonym,
    ).exists()


def test_a_contact_in_the_future_is_refused():
    people = team()
    with pytest.raises(ContactInputError) as raised:
        write(
            people.coordinator,
            people.file,
            contact_date=(today() + datetime.timedelta(days=1)).isoformat(),
        )
    assert "contact_date" in raised.value.errors


# --- 'Niet veilig' --------------------------------------------------------------------------------


def test_niet_veilig_emails_the_casusregisseur_without_content(django_capture_on_commit_callbacks):
    people = team(partner_parts=(FileParts.CONTACTS,))
    people.coordinator.email = "regisseur@example.org"
    people.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        unsafe(people.partner, people.file, summary="Geheime inhoud over het gezin.")
    assert [message.to for message in mail.outbox] == [["regisseur@example.org"]]
    assert people.file.reference in mail.outbox[0].body
    assert "Geheime inhoud" not in mail.outbox[0].body


def test_a_safe_note_emails_nobody(django_capture_on_commit_callbacks):
    people = team(partner_parts=(FileParts.CONTACTS,))
    people.coordinator.email = "regisseur@example.org"
    people.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        write(people.partner, people.file)
    assert mail.outbox == []


def test_niet_veilig_stays_on_the_worklist_until_acknowledged(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    note = unsafe(people.partner, people.file)
    force_verified_login(client, people.coordinator)
    assert "Niet veilig gemeld" in client.get(reverse("coordination:list")).content.decode()
    overview = client.get(reverse("coordination:detail", args=[people.file.pk])).content.decode()
    assert "‘niet veilig’" in overview

    url = reverse("coordination:contact_acknowledge", args=[people.file.pk, note.pk])
    refused = client.post(url, {"action": ""})
    assert refused.status_code == 400
    assert "Beschrijf wat u hebt gedaan." in refused.content.decode()
    assert not UnsafeAcknowledgement.objects.exists()

    assert client.post(url, {"action": "Moeder gebeld; extra huisbezoek."}).status_code == 302
    assert UnsafeAcknowledgement.objects.get().by == people.coordinator
    assert "Niet veilig gemeld" not in client.get(reverse("coordination:list")).content.decode()
    assert client.post(url, {"action": "Nog eens."}).status_code == 400
    assert UnsafeAcknowledgement.objects.count() == 1


def test_only_the_casusregisseur_acknowledges(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    note = unsafe(people.partner, people.file)
    for user in (people.partner, people.colleague_in_team):
        force_verified_login(client, user)
        response = client.post(
            reverse("coordination:contact_acknowledge", args=[people.file.pk, note.pk]),
            {"action": "Gezien."},
        )
        assert response.status_code == 404
        assert AccessLogEntry.objects.filter(user=user, outcome=AccessOutcome.DENIED).exists()
    with pytest.raises(contacts.CoordinationError):
        actor = actor_of(people.colleague_in_team)
        contacts.unsafe_acknowledge(
            actor=actor,
            access=selectors.file_access_for(actor, people.file),
            note_id=note.pk,
            action="Gezien.",
        )
    assert not UnsafeAcknowledgement.objects.exists()


def test_a_safe_note_cannot_be_acknowledged():
    people = team()
    note = write(people.colleague_in_team, people.file)
    actor = actor_of(people.coordinator)
    with pytest.raises(contacts.CoordinationError):
        contacts.unsafe_acknowledge(
            actor=actor,
            access=selectors.file_access_for(actor, people.file),
            note_id=note.pk,
            action="Gezien.",
        )


# --- Re-weighing in the author's own dossier ----------------------------------------------------------


def report_to_file(user, file) -> IncomingReport:
    """A report from `user`'s organisation, linked to `file`, with the dossier it came from."""
    actor = actor_of(user)
    case = case_open(actor=actor, title="Zorgen", profession="onderwijs", client="kind")
    ground = privacy_services.sharing_ground_record(
        actor=actor,
        client_pseudonym=case.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="de melding",
        with_whom="Veilig Thuis",
        purpose="melden",
        given_by="moeder",
        valid_until=today() + datetime.timedelta(days=30),
    )
    return IncomingReport.objects.create(
        case=case,
        client_pseudonym=case.client_pseudonym,
        from_organisation=actor.organisation,
        sent_by=user,
        sent_at=timezone.now(),
        to_organisation=file.lead_organisation,
        ground=ground,
        content={},
        file=file,
    )


def test_niet_veilig_offers_reweighing_in_the_authors_own_dossier(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    report = report_to_file(people.partner, people.file)
    unsafe(people.partner, people.file)
    force_verified_login(client, people.partner)
    page = client.get(reverse("coordination:contacts", args=[people.file.pk])).content.decode()
    assert reverse("cases:weighing", args=[report.case.pk]) in page
    assert contacts.reweigh_case(actor_of(people.partner), people.file) == report.case


def test_another_organisations_dossier_is_never_offered(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    report = report_to_file(people.partner, people.file)
    unsafe(people.coordinator, people.file)
    unsafe(people.partner, people.file)
    force_verified_login(client, people.coordinator)
    page = client.get(reverse("coordination:contacts", args=[people.file.pk])).content.decode()
    assert reverse("cases:weighing", args=[report.case.pk]) not in page
    assert report.case.reference not in page
    assert contacts.reweigh_case(actor_of(people.coordinator), people.file) is None


def test_the_authors_dossier_points_to_a_waiting_niet_veilig(client):
    people = team(partner_parts=(FileParts.CONTACTS,))
    report = report_to_file(people.partner, people.file)
    force_verified_login(client, people.partner)
    case_url = reverse("cases:detail", args=[report.case.pk])
    contacts_url = reverse("coordination:contacts", args=[people.file.pk])
    assert contacts_url not in client.get(case_url).content.decode()
    unsafe(people.coordinator, people.file)
    assert contacts_url in client.get(case_url).content.decode()


def test_the_dossier_says_nothing_of_a_file_whose_contacts_are_not_shared(client):
    people = team(partner_parts=(FileParts.SAFETY_PLAN,))
    report = report_to_file(people.partner, people.file)
    unsafe(people.coordinator, people.file)
    force_verified_login(client, people.partner)
    page = client.get(reverse("cases:detail", args=[report.case.pk])).content.decode()
    assert "Niet veilig" not in page
    assert reverse("coordination:contacts", args=[people.file.pk]) not in page


def test_only_the_dossier_whose_report_went_into_the_file_points_there():
    people = team(partner_parts=(FileParts.CONTACTS,))
    report = report_to_file(people.partner, people.file)
    partner = actor_of(people.partner)
    other = case_open(actor=partner, title="Andere zorgen", profession="onderwijs", client="kind")
    unsafe(people.coordinator, people.file)
    assert contacts.unsafe_files_for_case(partner, report.case) == [people.file]
    assert contacts.unsafe_files_for_case(partner, other) == []


def test_the_dossier_stops_pointing_once_the_note_is_acknowledged_or_the_file_closed():
    people = team(partner_parts=(FileParts.CONTACTS,))
    report = report_to_file(people.partner, people.file)
    partner, lead = actor_of(people.partner), actor_of(people.coordinator)
    note = unsafe(people.coordinator, people.file)
    assert contacts.unsafe_files_for_case(partner, report.case) == [people.file]
    contacts.unsafe_acknowledge(
        actor=lead,
        access=selectors.file_access_for(lead, people.file),
        note_id=note.pk,
        action="Gebeld.",
    )
    assert contacts.unsafe_files_for_case(partner, report.case) == []
    unsafe(people.coordinator, people.file)
    assert contacts.unsafe_files_for_case(partner, report.case) == [people.file]
    CoordinationFile.objects.filter(pk=people.file.pk).update(state=FileState.CLOSED)
    assert contacts.unsafe_files_for_case(partner, report.case) == []


def test_no_one_outside_the_reporters_organisation_is_pointed_from_the_dossier():
    people = team(partner_parts=(FileParts.CONTACTS,))
    report = report_to_file(people.partner, people.file)
    unsafe(people.coordinator, people.file)
    assert contacts.unsafe_files_for_case(actor_of(people.coordinator), report.case) == []


# --- Who reads the notes ---------------------------------------------------------------------------------


def test_a_partner_without_the_contacts_part_gets_a_logged_not_found(client):
    people = team(partner_parts=(FileParts.SAFETY_PLAN,))
    write(people.coordinator, people.file)
    force_verified_login(client, people.partner)
    for url in (
        reverse("coordination:contacts", args=[people.file.pk]),
        reverse("api:coordination-contacts", args=[people.file.pk]),
    ):
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("coordination:contacts", args=[people.file.pk]), answered()).status_code
        == 404
    )
    assert not ContactNote.objects.filter(author=people.partner).exists()
    assert (
        AccessLogEntry.objects.filter(
            user=people.partner, outcome=AccessOutcome.DENIED, part=FileParts.CONTACTS
        ).count()
        == 3
    )


def test_the_contacts_page_does_not_query_per_note(client):
    people = team()
    force_verified_login(client, people.coordinator)
    url = reverse("coordination:contacts", args=[people.file.pk])
    unsafe(people.colleague_in_team, people.file)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(4):
        note = unsafe(people.colleague_in_team, people.file)
        actor = actor_of(people.coordinator)
        contacts.unsafe_acknowledge(
            actor=actor,
            access=selectors.file_access_for(actor, people.file),
            note_id=note.pk,
            action="Gebeld.",
        )
        write(people.colleague_in_team, people.file)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)
