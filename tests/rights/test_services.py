"""Who may receive a copy, what every copy leaves in the access log, and the client's statement
that is never changed."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from django.http import Http404
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, Action
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Entry, EntryKind, ImmutableError, Person
from meldwijzer.cases.report import case_report
from meldwijzer.cases.selectors import case_get
from meldwijzer.organisations.roles import Role
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.rights.models import ClientStatement, CopyGiven
from meldwijzer.rights.services import (
    RightsInputError,
    StatementData,
    copy_give,
    statement_add,
)
from tests.rights.builders import born, copy_data, person

pytestmark = pytest.mark.django_db


def refusals(actor, case, data) -> dict[str, list[str]]:
    with pytest.raises(RightsInputError) as refused:
        copy_give(actor=actor, case=case, data=data)
    return refused.value.errors


def test_who_may_receive_a_copy_by_age_and_gezag(actor, case):
    mother, father = person(case, "Moeder Gezag"), person(case, "Vader Zonder")
    young, middle, old = (person(case, name) for name in ("Sanne Jong", "Tim Middel", "Lotte Oud"))

    # Under 12: the child gets none itself; the parent with gezag does.
    assert "12 jaar" in refusals(actor, case, copy_data(young, "kind"))["recipient"][0]
    copy_give(actor=actor, case=case, data=copy_data(mother, "ouder", child_id=young.pk))
    # Without gezag: none, whatever the child's age.
    assert (
        "gezag"
        in refusals(actor, case, copy_data(father, "ouder", child_id=middle.pk))["recipient"][0]
    )
    # 12–15: the child itself, and the parent with gezag without asking the child.
    copy_give(actor=actor, case=case, data=copy_data(middle, "kind"))
    copy_give(actor=actor, case=case, data=copy_data(mother, "ouder", child_id=middle.pk))
    # 16+: the child alone; a parent only with the child's consent, and its reason.
    copy_give(actor=actor, case=case, data=copy_data(old, "kind"))
    assert (
        "toestemming"
        in refusals(actor, case, copy_data(mother, "ouder", child_id=old.pk))["child_consent"][0]
    )
    assert "child_consent_reason" in refusals(
        actor, case, copy_data(mother, "ouder", child_id=old.pk, child_consent=True)
    )
    consented = copy_give(actor=actor, case=case, data=copy_data(
        mother, "ouder", child_id=old.pk, child_consent=True,
        child_consent_reason="Lotte stemde in het gesprek van vandaag in.",
    ))  # fmt: skip
    assert consented.record.child_consent.startswith("Lotte stemde")
    # A case about a child has no adult client to give it to.
    assert "relation" in refusals(actor, case, copy_data(mother, "client"))
    assert CopyGiven.objects.filter(case=case).count() == 5


def test_in_a_case_about_an_adult_only_the_client_gets_a_copy(actor):
    """Partner violence against the mother: neither the father (with gezag over their child) nor
    the child of 14 in the household gets her file."""
    case = case_services.case_open(
        actor=actor, title="Zorgen over moeder", profession="huisarts", client="volwassene"
    )
    for fields in (
        {"kind": "client", "name": "Moeder Cliënt"},
        {"kind": "parent", "name": "Vader Gezag", "relation": "vader", "authority": "ja"},
        {"kind": "child", "name": "Kind Veertien", "date_of_birth": born(14)},
    ):
        case_services.case_record_person(
            actor=actor, case=case, expected_version=case.version, **fields
        )
    child = person(case, "Kind Veertien")
    assert "relation" in refusals(actor, case, copy_data(child, "kind"))
    father = copy_data(person(case, "Vader Gezag"), "ouder", child_id=child.pk)
    assert "relation" in refusals(actor, case, father)
    assert not CopyGiven.objects.exists()
    copy_give(actor=actor, case=case, data=copy_data(person(case, "Moeder Cliënt"), "client"))


def test_an_age_recorded_years_ago_has_grown_since(actor, case):
    """Recorded as 15 (no date of birth) two years ago, the child is 17 now: a parent needs the
    child's consent."""
    case_services.case_record_person(
        actor=actor, case=case, expected_version=case.version, kind="child", name="Kees", age=15
    )
    Person.objects.filter(name="Kees").update(
        created_at=timezone.now() - datetime.timedelta(days=2 * 366)
    )
    data = copy_data(person(case, "Moeder Gezag"), "ouder", child_id=person(case, "Kees").pk)
    assert "child_consent" in refusals(actor, case, data)


def test_no_copy_without_checking_an_identity_document(actor, case):
    mother = person(case, "Moeder Gezag")
    errors = refusals(
        actor, case, copy_data(mother, "ouder", child_id=person(case, "Sanne Jong").pk,
                               identified=False),
    )  # fmt: skip
    assert "identiteitsbewijs" in errors["identified"][0]
    assert not CopyGiven.objects.exists()
    assert not AccessLogEntry.objects.filter(subject_type="afschrift").exists()


def test_a_person_of_another_case_is_not_a_recipient(actor, case):
    other = case_services.case_open(
        actor=actor, title="Ander gezin", profession="onderwijs", client="volwassene"
    )
    stranger = case_services.case_record_person(
        actor=actor, case=other, expected_version=other.version, kind="client", name="Ander"
    )
    assert "recipient" in refusals(actor, case, copy_data(stranger, "client"))


def test_every_copy_is_an_export_in_the_access_log_naming_the_client(actor, case):
    mother = person(case, "Moeder Gezag")
    given = copy_give(
        actor=actor,
        case=case,
        data=copy_data(mother, "ouder", child_id=person(case, "Tim Middel").pk),
    )
    row = AccessLogEntry.objects.get(subject_type="afschrift")
    assert (row.action, row.subject_id, row.client_id) == (
        Action.EXPORT,
        str(given.record.pk),
        case.client_pseudonym,
    )
    assert row.user == actor.user
    record = given.record
    assert len(record.sha256_pdf) == len(record.sha256_json) == 64
    assert given.pdf.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (EntryKind.CONVERSATION_SKIPPED, {"reason": "veiligheid", "explanation": "Vader dreigt."}),
        (EntryKind.REPORT, {"informed": "nee", "not_informed_reason": "veiligheid"}),
    ],
)
def test_a_family_not_told_for_safety_gets_a_copy_only_after_a_written_weighing(
    actor, case, kind, data
):
    mother = person(case, "Moeder Gezag")
    copy = copy_data(mother, "ouder", child_id=person(case, "Tim Middel").pk)
    copy_give(actor=actor, case=case, data=copy)  # nothing recorded yet that forbids it
    Entry.objects.create(
        case=case, kind=kind, phase=case.phase, data=data, author=actor.user,
        organisation=actor.organisation, created_at=timezone.now(),
    )  # fmt: skip

    errors = refusals(actor, case, copy)
    assert "niet is ingelicht" in errors["safety_weighed"][0]
    assert CopyGiven.objects.count() == 1
    weighed = "Veilig Thuis sprak het gezin zelf; vader woont elders."
    given = copy_give(actor=actor, case=case, data=replace(copy, safety_weighed=weighed))
    assert given.record.safety_weighed == weighed


def test_only_who_may_see_the_case_gives_a_copy(actor, case, make_member, organisation):
    colleague = actor_for_user(user=make_member(Role.PROFESSIONAL, organisation))
    with pytest.raises(Http404):
        case_get(actor=colleague, case_id=case.pk, part="afschrift")
    officer = actor_for_user(user=make_member(Role.MELDCODE_OFFICER, organisation))
    allowed = case_get(actor=officer, case_id=case.pk, part="afschrift")
    mother = person(case, "Moeder Gezag")
    copy_give(
        actor=officer,
        case=allowed,
        data=copy_data(mother, "ouder", child_id=person(case, "Tim Middel").pk),
    )
    row = AccessLogEntry.objects.get(subject_type="afschrift")
    assert (row.user, row.purpose) == (officer.user, "consultatie")


def test_the_statement_is_never_changed_and_a_newer_one_follows(actor, case):
    mother = person(case, "Moeder Gezag")
    first = statement_add(actor=actor, case=case, data=StatementData(
        person_id=mother.pk, given_on=timezone.localdate(), text="Ik ben het niet eens.",
    ))  # fmt: skip
    first.text = "Anders"
    with pytest.raises(ImmutableError):
        first.save()
    with pytest.raises(ImmutableError):
        first.delete()
    statement_add(actor=actor, case=case, data=StatementData(
        person_id=mother.pk, given_on=timezone.localdate(), text="Aanvulling van later.",
    ))  # fmt: skip
    assert [s.text for s in ClientStatement.objects.filter(case=case)] == [
        "Ik ben het niet eens.",
        "Aanvulling van later.",
    ]
    row = AccessLogEntry.objects.filter(subject_type="eigen_verklaring").first()
    assert row is not None and row.client_id == case.client_pseudonym
    # In every later copy, never in the report to Veilig Thuis.
    given = copy_give(actor=actor, case=case, data=copy_data(
        mother, "ouder", child_id=person(case, "Sanne Jong").pk))  # fmt: skip
    assert [s["text"] for s in given.content["statements"]] == [
        "Ik ben het niet eens.",
        "Aanvulling van later.",
    ]
    assert "niet eens" not in str(case_report(actor=actor, case_id=case.pk, action=Action.EXPORT))


def test_a_statement_needs_a_person_of_the_case_a_date_and_text(actor, case):
    with pytest.raises(RightsInputError) as refused:
        statement_add(actor=actor, case=case, data=StatementData(
            person_id=None, given_on=timezone.localdate() + datetime.timedelta(days=1), text=" ",
        ))  # fmt: skip
    assert set(refused.value.errors) == {"person", "given_on", "text"}
    assert not ClientStatement.objects.exists()
