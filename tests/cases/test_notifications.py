"""E-mail to the aandachtsfunctionarissen about a new request for consultation: to whom, what it
says (and does not say), and only once the request has been committed."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from meldwijzer.cases import extensions, notifications, services
from meldwijzer.cases.entries import ConsultationRequestForm
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.organisations.models import Membership
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from tests.cases.builders import record, signals_case
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTION = "Vader van Kind Voorbeeld dreigt met slaan; kijkt u mee?"


class FailingBackend(BaseEmailBackend):
    """A mail server that cannot be reached."""

    def open(self) -> bool:
        raise smtplib.SMTPConnectError(421, "Service not available")

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def school(organisation):
    return organisation


@pytest.fixture
def professional(school):
    user = UserFactory(first_name="Sanne", last_name="Vraagsteller")
    MembershipFactory(user=user, organisation=school, role=Role.PROFESSIONAL)
    return user


@pytest.fixture
def actor(professional):
    return actor_for_user(user=professional)


@pytest.fixture
def officers(school):
    """Two aandachtsfunctionarissen of the school."""
    return [
        MembershipFactory(organisation=school, role=Role.MELDCODE_OFFICER).user for _ in range(2)
    ]


@pytest.fixture
def case(actor) -> Case:
    return signals_case(actor, "Zorgen over Kind Voorbeeld")


def ask(actor, case, question: str = QUESTION) -> Entry:
    return record(actor, case, ConsultationRequestForm, {"question": question})


def test_each_officer_gets_one_mail_and_nobody_else_does(
    actor, case, officers, school, other_organisation, django_capture_on_commit_callbacks
):
    MembershipFactory(organisation=school, role=Role.PROFESSIONAL)
    MembershipFactory(organisation=school, role=Role.FUNCTIONAL_ADMIN)
    MembershipFactory(organisation=other_organisation, role=Role.MELDCODE_OFFICER)
    MembershipFactory(organisation=school, role=Role.MELDCODE_OFFICER, is_active=False)
    MembershipFactory(
        organisation=school, role=Role.MELDCODE_OFFICER, user=UserFactory(is_active=False)
    )
    MembershipFactory(organisation=school, role=Role.MELDCODE_OFFICER, user=UserFactory(email=""))
    with django_capture_on_commit_callbacks(execute=True):
        ask(actor, case)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        officer.email for officer in officers
    )
    assert all(
        len(message.to) == 1 and not message.cc and not message.bcc for message in mail.outbox
    )


def test_an_officer_who_asks_is_not_mailed_about_their_own_request(
    case, officers, school, django_capture_on_commit_callbacks
):
    asking = actor_for_user(user=officers[0])
    with django_capture_on_commit_callbacks(execute=True):
        ask(asking, case)
    assert [message.to for message in mail.outbox] == [[officers[1].email]]


def test_the_mail_holds_the_reference_and_a_link_but_no_content_or_names(
    actor, case, officers, professional, settings, django_capture_on_commit_callbacks
):
    settings.BASE_URL = "https://meldwijzer.example.nl"
    with django_capture_on_commit_callbacks(execute=True):
        ask(actor, case)
    message = mail.outbox[0]
    text = message.subject + "\n" + message.body
    assert case.reference in message.body
    assert "https://meldwijzer.example.nl" + reverse("cases:organisation_overview") in message.body
    assert case.organisation.name in message.body
    forbidden = [QUESTION, "Vader", "Kind Voorbeeld", "Ouder Voorbeeld", case.title, "Blauwe plek",
                 professional.first_name, professional.last_name, "Geheimhouden"]  # fmt: skip
    forbidden += [officer.last_name for officer in officers]
    for fragment in forbidden:
        assert fragment not in text, fragment
    assert not message.attachments


def test_nothing_is_sent_when_the_request_is_rolled_back(
    actor, case, officers, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        ask(actor, case)
        raise RuntimeError("iets anders ging mis")
    assert callbacks == []
    assert mail.outbox == []
    assert not Entry.objects.filter(kind=EntryKind.CONSULTATION_REQUEST).exists()


def test_nothing_is_sent_before_the_request_is_committed(
    actor, case, officers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(actor, case)
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == len(officers)


def test_a_correction_or_another_kind_of_entry_sends_nothing(
    actor, case, officers, django_capture_on_commit_callbacks
):
    request = ask(actor, case)
    form = ConsultationRequestForm({"question": "Kunnen we deze week overleggen?"})
    assert form.is_valid()
    # Other apps' listeners to a recorded person (matching) are not what this test is about.
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        extensions.person_recorded_quiet(),
    ):
        services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=case.version,
            kind=form.kind,
            data=form.data,
            corrects=request,
        )
        signals_case(actor, "Nog een casus")
    assert callbacks == []
    assert mail.outbox == []


def test_muted_requests_send_nothing(actor, case, officers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), notifications.muted():
        ask(actor, case)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        ask(actor, case)
    assert len(mail.outbox) == len(officers)


def test_a_failing_mail_server_keeps_the_request_and_logs(
    actor, case, officers, professional, verified, settings, caplog,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    client = verified(professional)
    url = reverse("cases:entry_create", kwargs={"case_id": case.pk, "kind": "consultation_request"})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url, {"version": case.version, "question": QUESTION})
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert Entry.objects.filter(case=case, kind=EntryKind.CONSULTATION_REQUEST).count() == 1
    assert mail.outbox == []
    [logged] = [r for r in caplog.records if r.name == "meldwijzer.cases.notifications"]
    assert logged.levelname == "ERROR"
    assert case.reference in logged.getMessage()
    assert QUESTION not in logged.getMessage()
    page = client.get(reverse("cases:detail", kwargs={"case_id": case.pk}))
    assert page.status_code == 200


def test_without_officers_nothing_is_sent(actor, case, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(actor, case)
    assert mail.outbox == []


def test_officer_addresses_are_those_who_oversee_the_organisation(school, officers):
    MembershipFactory(organisation=school, role=Role.PROFESSIONAL)
    assert notifications.officer_addresses(organisation=school) == sorted(
        officer.email for officer in officers
    )
    Membership.objects.filter(organisation=school).update(is_active=False)
    assert notifications.officer_addresses(organisation=school) == []
    assert notifications.officer_addresses(organisation=OrganisationFactory()) == []


@pytest.mark.demo
def test_the_demo_emails_nobody_about_its_made_up_requests(django_capture_on_commit_callbacks):
    from meldwijzer.demo import demo_load

    with django_capture_on_commit_callbacks(execute=True):
        demo_load()
    assert Entry.objects.filter(kind=EntryKind.CONSULTATION_REQUEST).exists()
    assert mail.outbox == []
