"""Planning a conference, its agenda, confirming involvement and decisions: who may, what is
refused, and what the access log records."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome
from meldwijzer.coordination import conferences
from meldwijzer.coordination.conference_screening import ScreeningError
from meldwijzer.coordination.models import (
    Agreement,
    ConferenceItem,
    ConferenceKind,
    InvolvementConfirmation,
    PartyKind,
    Presentation,
)
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.organisations.models import Sector
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import services as privacy_services
from tests.coordination.builders import actor_of, coordinator, file_open, professional
from tests.coordination.conference_builders import (
    SUMMARY,
    access_of,
    consent_for_conference,
    meeting,
)
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _plan(user, **kwargs):
    values = {
        "kind": ConferenceKind.INTERVENTION,
        "title": "Overleg",
        "starts_at": timezone.now() + datetime.timedelta(days=1),
    }
    values.update(kwargs)
    return conferences.conference_create(actor=actor_of(user), **values)


def _add(m, user=None, **kwargs):
    user = user or m.chair
    values = {
        "file_id": m.file.pk,
        "question": "Wat is nodig?",
        "summary": SUMMARY,
        "presentation": Presentation.PSEUDONYMISED,
    }
    values.update(kwargs)
    return conferences.conference_item_add(
        actor=actor_of(user), access=access_of(user, m.conference), **values
    )


# --- Planning -------------------------------------------------------------------------------------


def test_a_casusregisseur_or_meldcode_officer_plans_others_may_not():
    officer = MembershipFactory(role=Role.MELDCODE_OFFICER).user
    assert _plan(officer).chair == officer
    assert _plan(coordinator()).participants.count() == 1
    with pytest.raises(CoordinationError):
        _plan(professional())


def test_participants_come_from_several_organisations_and_the_planner_takes_part():
    lead = coordinator()
    teacher = professional(sector=Sector.EDUCATION)
    doctor = professional(sector=Sector.PUBLIC_HEALTH)
    conference = _plan(lead, participant_emails=[teacher.email, doctor.email.upper(), ""])
    taking_part = {(p.user, p.organisation) for p in conference.participants.all()}
    assert taking_part == {
        (lead, actor_of(lead).organisation),
        (teacher, actor_of(teacher).organisation),
        (doctor, actor_of(doctor).organisation),
    }


def test_an_unknown_email_is_refused_and_nothing_is_planned():
    with pytest.raises(CoordinationError, match=r"niemand@example\.invalid"):
        _plan(coordinator(), participant_emails=["niemand@example.invalid"])
    assert not conferences.Conference.objects.exists()


def test_a_date_far_away_and_over_long_topics_are_refused_and_nothing_is_planned():
    """The pages' limits hold for the API too: a year 247 gave a time zone offset of
    +00:19:32 that is no valid date-time in the answer."""
    lead = coordinator()
    far_back = datetime.datetime(247, 12, 25, 5, 39, tzinfo=datetime.UTC)
    with pytest.raises(CoordinationError, match="meer dan een jaar terug"):
        _plan(lead, starts_at=far_back)
    with pytest.raises(CoordinationError, match="twee jaar vooruit"):
        _plan(lead, starts_at=timezone.now() + datetime.timedelta(days=3 * 365))
    with pytest.raises(CoordinationError, match="onderwerpen korter"):
        _plan(lead, kind=ConferenceKind.SIGNALS, topics="Hermeldingen\n" * 600)
    assert not conferences.Conference.objects.exists()


def test_the_chair_is_a_colleague_of_the_organiser():
    lead = coordinator()
    colleague = professional(actor_of(lead).organisation)
    conference = _plan(lead, chair_email=colleague.email)
    assert conference.chair == colleague
    assert conference.participants.filter(user=colleague).exists()
    with pytest.raises(CoordinationError, match="collega"):
        _plan(lead, chair_email=professional().email)


def test_a_signaaloverleg_keeps_its_topics_screened_and_takes_no_files():
    lead = coordinator()
    conference = _plan(
        lead, kind=ConferenceKind.SIGNALS, topics="Hermeldingen\n\n  Meldingen uit 8302  \n"
    )
    assert conferences.signal_topics(conference) == ["Hermeldingen", "Meldingen uit 8302"]
    assert (
        conferences.signal_figures(conference=conference, organisation=conference.organisation)
        == []
    )
    with pytest.raises(ScreeningError):
        _plan(lead, kind=ConferenceKind.SIGNALS, topics="Het gezin op Kerkstraat 12")
    file = file_open(lead)
    with pytest.raises(CoordinationError, match="signaaloverleg"):
        conferences.conference_item_add(
            actor=actor_of(lead),
            access=access_of(lead, conference),
            file_id=file.pk,
            question="Vraag",
            summary="Samenvatting",
            presentation=Presentation.PSEUDONYMISED,
        )


# --- The agenda -----------------------------------------------------------------------------------


def test_only_a_file_the_organiser_leads_can_be_put_on_the_agenda():
    m = meeting()
    other_lead = coordinator()
    other_file = file_open(other_lead)
    with pytest.raises(CoordinationError, match="casusregisseur"):
        _add(m, file_id=other_file.pk)
    # A team member of the file does not lead it either.
    with pytest.raises(CoordinationError, match="casusregisseur"):
        _add(m, user=m.colleague, file_id=m.file.pk)
    with pytest.raises(CoordinationError, match="al op de agenda"):
        _add(m)
    assert ConferenceItem.objects.count() == 1


def test_text_that_identifies_the_family_is_refused_and_nothing_is_saved():
    m = meeting()
    m.item.delete()
    with pytest.raises(ScreeningError) as refused:
        _add(m, summary="Linda belt op 06 1234 5678 als het misgaat.")
    assert set(refused.value.fields) == {"summary"}
    assert "de naam ‘Linda’" in refused.value.fields["summary"]
    assert ConferenceItem.objects.count() == 0


def test_consent_must_be_on_record_in_force_and_for_the_conference():
    m = meeting()
    m.item.delete()
    with pytest.raises(CoordinationError, match="toestemming"):
        _add(m, presentation=Presentation.CONSENT)
    other_purpose = consent_for_conference(m.file, purpose="Samenwerken aan veiligheid")
    with pytest.raises(CoordinationError, match="toestemming"):
        _add(m, presentation=Presentation.CONSENT, ground_id=other_purpose.pk)
    withdrawn = consent_for_conference(m.file)
    privacy_services.consent_withdraw(actor=actor_of(m.chair), ground=withdrawn)
    with pytest.raises(CoordinationError, match="toestemming"):
        _add(m, presentation=Presentation.CONSENT, ground_id=withdrawn.pk)
    elsewhere = consent_for_conference(file_open(coordinator()))
    with pytest.raises(CoordinationError, match="toestemming"):
        _add(m, presentation=Presentation.CONSENT, ground_id=elsewhere.pk)
    good = consent_for_conference(m.file)
    item = _add(m, presentation=Presentation.CONSENT, ground_id=good.pk)
    assert item.ground == good


def test_putting_a_file_on_the_agenda_is_logged_with_the_client():
    m = meeting()
    row = AccessLogEntry.objects.filter(subject_type="overlegpunt", action="create").get()
    assert row.client_id == m.file.client_pseudonym
    assert row.subject_id == str(m.item.pk)


# --- Seeing the agenda ----------------------------------------------------------------------------


def test_a_participant_sees_the_family_as_roles_and_age_bands_only():
    m = meeting()
    actor = actor_of(m.doctor)
    (view,) = conferences.conference_items(actor=actor, access=access_of(m.doctor, m.conference))
    assert not view.identified
    assert view.named == [] and view.reference == "" and view.title == "" and view.file_id is None
    assert view.family[0].label.startswith("Kind (")
    row = AccessLogEntry.objects.filter(user=m.doctor, subject_type="overlegpunt").get()
    assert (row.client_id, row.part, row.ground) == (
        m.file.client_pseudonym,
        "gepseudonimiseerd",
        "",
    )


def test_outside_the_conference_it_is_not_found_and_logged():
    m = meeting()
    with pytest.raises(Http404):
        conferences.conference_get(actor=actor_of(m.outsider), conference_id=m.conference.pk)
    refusal = AccessLogEntry.objects.get(user=m.outsider, outcome=AccessOutcome.DENIED)
    assert refusal.subject_type == "overleg"
    # The same person for another organisation is not a participant either.
    other = OrganisationFactory()
    MembershipFactory(user=m.doctor, organisation=other, role=Role.PROFESSIONAL)
    from meldwijzer.organisations.selectors import actor_for_user

    elsewhere = actor_for_user(user=m.doctor, organisation_id=other.pk)
    with pytest.raises(Http404):
        conferences.conference_get(actor=elsewhere, conference_id=m.conference.pk)


def test_an_item_of_another_conference_is_not_found_and_logged_with_its_client():
    m = meeting()
    other = meeting()
    access = access_of(m.chair, m.conference)
    with pytest.raises(Http404):
        conferences.item_get(actor=actor_of(m.chair), access=access, item_id=other.item.pk)
    refusal = AccessLogEntry.objects.get(user=m.chair, outcome=AccessOutcome.DENIED)
    assert refusal.client_id == other.file.client_pseudonym


# --- Involvement ----------------------------------------------------------------------------------


def test_confirming_involvement_reveals_the_identity_to_that_participant_only_logged():
    m = meeting()
    access = access_of(m.teacher, m.conference)
    confirmation = conferences.involvement_confirm(
        actor=actor_of(m.teacher), access=access, item=m.item, statement="Leerkracht van het kind"
    )
    created = AccessLogEntry.objects.get(
        user=m.teacher, subject_type="overlegpunt", action="create"
    )
    assert created.client_id == m.file.client_pseudonym
    (view,) = conferences.conference_items(actor=actor_of(m.teacher), access=access)
    assert view.identified and view.basis == "betrokkenheid"
    assert "Sem Verhoeven" in [member.name for member in view.named]
    assert view.reference == m.file.reference
    read = AccessLogEntry.objects.filter(user=m.teacher, subject_type="overlegpunt").latest("id")
    assert (read.action, read.part, read.client_id, read.ground) == (
        "read",
        "identiteit",
        m.file.client_pseudonym,
        f"betrokkenheid:{confirmation.pk}",
    )
    (other,) = conferences.conference_items(
        actor=actor_of(m.doctor), access=access_of(m.doctor, m.conference)
    )
    assert not other.identified


def test_involvement_needs_a_statement_and_is_confirmed_once():
    m = meeting()
    access = access_of(m.teacher, m.conference)
    with pytest.raises(CoordinationError, match="Beschrijf"):
        conferences.involvement_confirm(
            actor=actor_of(m.teacher), access=access, item=m.item, statement="  "
        )
    conferences.involvement_confirm(
        actor=actor_of(m.teacher), access=access, item=m.item, statement="Leerkracht"
    )
    with pytest.raises(CoordinationError, match="al bevestigd"):
        conferences.involvement_confirm(
            actor=actor_of(m.teacher), access=access, item=m.item, statement="Leerkracht"
        )
    assert InvolvementConfirmation.objects.count() == 1


def test_consent_shows_names_until_it_is_withdrawn():
    m = meeting(Presentation.CONSENT)
    access = access_of(m.doctor, m.conference)
    (view,) = conferences.conference_items(actor=actor_of(m.doctor), access=access)
    assert view.identified and view.basis == "toestemming"
    row = AccessLogEntry.objects.filter(user=m.doctor, subject_type="overlegpunt").latest("id")
    assert row.ground == f"toestemming:{m.item.ground_id}"
    privacy_services.consent_withdraw(actor=actor_of(m.chair), ground=m.item.ground)
    (view,) = conferences.conference_items(actor=actor_of(m.doctor), access=access)
    assert not view.identified and view.named == []
    with pytest.raises(CoordinationError):
        conferences.involvement_confirm(
            actor=actor_of(m.doctor), access=access, item=m.item, statement="Huisarts"
        )


# --- Decisions ------------------------------------------------------------------------------------


def test_decisions_and_agreements_flow_into_the_file():
    m = meeting()
    access = access_of(m.chair, m.conference)
    conferences.item_decide(
        actor=actor_of(m.chair),
        access=access,
        item=m.item,
        decisions="De school meldt verzuim dezelfde dag.",
        agreements=[
            conferences.AgreementData(
                what="Verzuim dezelfde dag doorgeven",
                party=PartyKind.PROFESSIONAL,
                owner=m.teacher,
                due_date=timezone.localdate() + datetime.timedelta(days=14),
            ),
            conferences.AgreementData(
                what="Oma haalt de kinderen op dinsdag op",
                party=PartyKind.NETWORK,
                owner_name="Gerda Aalbersberg",
                due_date=timezone.localdate() + datetime.timedelta(days=14),
            ),
        ],
    )
    m.item.refresh_from_db()
    assert m.item.decisions == "De school meldt verzuim dezelfde dag."
    agreements = Agreement.objects.filter(file=m.file, conference_item=m.item)
    assert agreements.count() == 2
    # The network member's name is in the file, not in the pseudonymised view.
    (view,) = conferences.conference_items(
        actor=actor_of(m.doctor), access=access_of(m.doctor, m.conference)
    )
    assert "Gerda" not in repr(view.agreements)
    assert all(a.due_date is None for a in view.agreements)


def test_decisions_are_screened_and_nothing_is_saved_when_refused():
    m = meeting()
    with pytest.raises(ScreeningError):
        conferences.item_decide(
            actor=actor_of(m.chair),
            access=access_of(m.chair, m.conference),
            item=m.item,
            decisions="Goed besproken.",
            agreements=[
                conferences.AgreementData(
                    what="Sem elke dag ophalen",
                    party=PartyKind.PROFESSIONAL,
                    owner=m.teacher,
                    due_date=timezone.localdate(),
                )
            ],
        )
    m.item.refresh_from_db()
    assert m.item.decisions == ""
    assert not Agreement.objects.exists()


def test_only_the_chair_or_the_files_casusregisseur_records_decisions():
    m = meeting()
    with pytest.raises(CoordinationError, match="voorzitter"):
        conferences.item_decide(
            actor=actor_of(m.doctor),
            access=access_of(m.doctor, m.conference),
            item=m.item,
            decisions="Besloten",
        )
    with pytest.raises(Http404):
        conferences.item_get(
            actor=actor_of(m.doctor),
            access=access_of(m.doctor, m.conference),
            item_id=m.item.pk,
            deciding=True,
        )


def test_a_chair_outside_the_files_team_records_decisions_but_no_agreements():
    lead = coordinator()
    officer = MembershipFactory(
        role=Role.MELDCODE_OFFICER, organisation=actor_of(lead).organisation
    ).user
    m = meeting()
    conference = _plan(officer, participant_emails=[m.chair.email])
    item = conferences.conference_item_add(
        actor=actor_of(m.chair),
        access=access_of(m.chair, conference),
        file_id=m.file.pk,
        question="Wat is nodig?",
        summary=SUMMARY,
        presentation=Presentation.PSEUDONYMISED,
    )
    # The meldcode officer's organisation is not the file's: decisions yes, agreements no.
    access = access_of(officer, conference)
    conferences.item_decide(actor=actor_of(officer), access=access, item=item, decisions="Ja")
    with pytest.raises(CoordinationError, match="team"):
        conferences.item_decide(
            actor=actor_of(officer),
            access=access,
            item=item,
            decisions="Ja",
            agreements=[
                conferences.AgreementData(
                    what="Huisbezoek",
                    party=PartyKind.PROFESSIONAL,
                    owner=m.chair,
                    due_date=timezone.localdate(),
                )
            ],
        )
    # The file's casusregisseur, taking part, may.
    conferences.item_decide(
        actor=actor_of(m.chair),
        access=access_of(m.chair, conference),
        item=item,
        decisions="Ja",
        agreements=[
            conferences.AgreementData(
                what="Huisbezoek",
                party=PartyKind.PROFESSIONAL,
                owner=m.chair,
                due_date=timezone.localdate(),
            )
        ],
    )
    assert Agreement.objects.filter(conference_item=item).count() == 1


# --- Lists ----------------------------------------------------------------------------------------


def test_the_conference_list_does_not_query_per_row():
    lead = coordinator()
    teacher = professional(sector=Sector.EDUCATION)
    _plan(lead, participant_emails=[teacher.email])
    actor = actor_of(lead)
    with CaptureQueriesContext(connection) as one:
        assert len(conferences.conference_list(actor=actor)) == 1
    for _ in range(4):
        _plan(lead, participant_emails=[teacher.email])
    with CaptureQueriesContext(connection) as five:
        rows = conferences.conference_list(actor=actor)
        assert [row.participant_count for row in rows] == [2] * 5
        assert [row.organisation_count for row in rows] == [2] * 5
    assert len(five) == len(one)


def test_consent_for_the_conference_can_be_recorded_with_the_item():
    m = meeting()
    m.item.delete()
    with pytest.raises(CoordinationError):
        _add(m, presentation=Presentation.CONSENT, consent_given_by="  ")
    item = _add(
        m,
        presentation=Presentation.CONSENT,
        consent_given_by="moeder (met gezag)",
        consent_until=timezone.localdate() + datetime.timedelta(days=30),
    )
    assert item.ground.kind == "toestemming"
    assert item.ground.client_pseudonym == m.file.client_pseudonym
    assert conferences.consent_covers(item.ground, m.file)


def test_a_refused_item_records_no_consent_either():
    m = meeting()
    m.item.delete()
    with pytest.raises(ScreeningError):
        _add(
            m,
            presentation=Presentation.CONSENT,
            consent_given_by="moeder",
            summary="Linda is bang.",
        )
    assert not privacy_services.SharingGround.objects.filter(
        client_pseudonym=m.file.client_pseudonym, purpose=conferences.CONFERENCE_PURPOSE
    ).exists()


def test_consent_must_be_the_leading_organisations_and_for_this_family():
    m = meeting()
    m.item.delete()
    # Another organisation's consent for the same client does not cover the lead's conference.
    other = coordinator()
    foreign = privacy_services.sharing_ground_record(
        actor=actor_of(other),
        client_pseudonym=m.file.client_pseudonym,
        kind="toestemming",
        what="namen",
        with_whom="het overleg",
        purpose=conferences.CONFERENCE_PURPOSE,
        given_by="moeder",
    )
    with pytest.raises(CoordinationError, match="toestemming"):
        _add(m, presentation=Presentation.CONSENT, ground_id=foreign.pk)
    # The lead's consent for another family neither.
    other_family = file_open(m.chair, title="Ander gezin")
    wrong_family = consent_for_conference(other_family)
    with pytest.raises(CoordinationError, match="toestemming"):
        _add(m, presentation=Presentation.CONSENT, ground_id=wrong_family.pk)
