"""A row about a client's data — a case, a person, an entry, an instrument result, a ground for
sharing it or a grant of access to it — must name the client; writing one without is a programming
error and writes nothing. Only a refusal of an id that does not exist may lack a client."""

from __future__ import annotations

import pytest

from meldwijzer.audit.models import CLIENT_SUBJECTS, AccessLogEntry, AccessOutcome, Action, Subject
from meldwijzer.audit.services import ClientMissingError, access_log_record

pytestmark = pytest.mark.django_db


def test_the_subjects_about_a_client_are_the_case_and_what_is_in_it():
    assert {
        Subject.CASE, Subject.PERSON, Subject.ENTRY, Subject.INSTRUMENT_RESULT,
        Subject.SHARING_GROUND, Subject.ACCESS_GRANT, Subject.INCOMING_REPORT,
        Subject.COORDINATION_FILE, Subject.MATCH_SIGNAL, Subject.CONFERENCE_ITEM,
        Subject.FOLLOWUP_PLAN, Subject.CLIENT_COPY, Subject.CLIENT_STATEMENT,
        Subject.LEGAL_HOLD,
    } == CLIENT_SUBJECTS  # fmt: skip
    assert Subject.CASE.is_about_client
    assert not Subject.CASES.is_about_client  # a list names no single client


def test_the_subject_values_are_the_words_rows_always_carried():
    # Older rows keep their meaning: the values did not change.
    assert {
        subject: subject.value for subject in (
            Subject.CASE, Subject.PERSON, Subject.ENTRY, Subject.INSTRUMENT_RESULT,
            Subject.SESSION, Subject.SOCIAL_MAP_PROVIDER,
        )
    } == {Subject.CASE: "casus", Subject.PERSON: "betrokkene", Subject.ENTRY: "dossierregel",
            Subject.INSTRUMENT_RESULT: "instrumentuitkomst", Subject.SESSION: "sessie",
            Subject.SOCIAL_MAP_PROVIDER: "sociale_kaart_aanbieder"}  # fmt: skip


@pytest.mark.parametrize("subject", sorted(CLIENT_SUBJECTS))
@pytest.mark.parametrize("action", [Action.READ, Action.CREATE])
def test_a_row_about_a_client_without_the_client_is_refused(make_member, subject, action):
    user = make_member()
    with pytest.raises(ClientMissingError, match="moet de cliënt noemen"):
        access_log_record(actor=None, user=user, action=action, subject=subject, subject_id="7")
    assert not AccessLogEntry.objects.exists()


def test_with_the_client_the_row_is_written(make_member):
    row = access_log_record(
        actor=None,
        user=make_member(),
        action=Action.READ,
        subject=Subject.ENTRY,
        subject_id="7",
        client_id="cl-0123456789abcdef0123",
    )
    assert (row.subject_type, row.client_id) == ("dossierregel", "cl-0123456789abcdef0123")


def test_a_refusal_of_an_id_that_does_not_exist_may_lack_a_client(make_member):
    row = access_log_record(
        actor=None,
        user=make_member(),
        action=Action.READ,
        subject=Subject.CASE,
        subject_id="999999",
        outcome=AccessOutcome.DENIED,
    )
    assert row.client_id == ""


def test_rows_about_no_client_need_none(make_member):
    row = access_log_record(actor=None, user=make_member(), action=Action.LOGIN, subject="sessie")
    assert row.subject_type == Subject.SESSION


def test_an_unknown_subject_is_refused(make_member):
    with pytest.raises(ValueError, match="dossier"):
        access_log_record(actor=None, user=make_member(), action=Action.READ, subject="dossier")
    assert not AccessLogEntry.objects.exists()
