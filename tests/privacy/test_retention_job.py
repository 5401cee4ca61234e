"""The retention job with time travel: a closed file past its period is destroyed completely, and
nothing else — not a day early, not an open file, not a held one, not past another organisation's
own period — while the access log keeps its rows and still verifies."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, models
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, Action, Subject
from meldwijzer.audit.verification import audit_chain_verify
from meldwijzer.cases import services as case_services
from meldwijzer.cases.models import Case, Entry, Outcome, Person, PhaseChange
from meldwijzer.coordination.models import (
    CoordinationFile,
    FileState,
    IncomingReport,
    MatchSignal,
)
from meldwijzer.followups.models import FollowupPlan, PlanState
from meldwijzer.instruments.models import InstrumentResult
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.privacy import retention_sources as retention_sources_module
from meldwijzer.privacy.models import (
    AccessGrant,
    FileKind,
    LegalHold,
    ResourceKind,
    SharingGround,
)
from meldwijzer.privacy.retention_job import retention_run, years_before
from meldwijzer.privacy.retention_sources import retention_parts, retention_sources
from meldwijzer.privacy.services import legal_hold_lift, legal_hold_place, retention_override_set
from meldwijzer.rights import services as rights_services
from meldwijzer.rights.models import ClientStatement, CopyGiven
from meldwijzer.rights.services import StatementData
from tests.cases.builders import reported_case
from tests.coordination.builders import team
from tests.coordination.inbox_builders import send, veilig_thuis
from tests.followups.builders import agreement, consent_for, help_case
from tests.instruments.builders import record_result
from tests.privacy.builders import consultation, shared_summary
from tests.privacy.retention_builders import NOW, PAST_PERIOD, WITHIN_PERIOD, closed_case, member
from tests.rights.builders import copy_data

pytestmark = pytest.mark.django_db


def rich_closed_case(actor: Actor, follower: Actor, at: datetime.datetime) -> Case:
    """A case with people, entries, an instrument result, a consultation summary shared on
    consent, closed with a follow-up plan elsewhere on consent (a grant) that has since ended,
    a match signal about its client, a copy given to a parent and the parent's own statement."""
    with time_machine.travel(at, tick=False):
        case = help_case(actor)
        record_result(actor, case)
        parent = case.persons.get(name="Ouder Voorbeeld")
        child = case.persons.get(name="Kind Voorbeeld")
        copy = copy_data(
            parent, "ouder", child_id=child.pk, safety_weighed="Het gezin weet van de melding."
        )
        rights_services.copy_give(actor=actor, case=case, data=copy)
        rights_services.statement_add(
            actor=actor,
            case=case,
            data=StatementData(
                person_id=parent.pk, given_on=timezone.localdate(), text="Ik zie het anders."
            ),
        )
        shared_summary(actor, consultation(actor, case))
        case.refresh_from_db()
        case_services.case_decide(
            actor=actor, case=case, expected_version=case.version, outcome=Outcome.CLOSE_FOLLOWUP,
            followup=agreement(follower, ground_id=consent_for(actor, case)),
        )  # fmt: skip
        FollowupPlan.objects.filter(case=case).update(state=PlanState.ENDED, ended_at=at)
        MatchSignal.objects.create(
            identity_key="k" * 64, identity_key_id="id", first_user=actor.user,
            first_organisation=actor.organisation, first_client_pseudonym=case.client_pseudonym,
            second_user=follower.user, second_organisation=follower.organisation,
            second_client_pseudonym="cp-elders", created_at=at, expires_at=at,
        )  # fmt: skip
        case.refresh_from_db()
    return case


def tables() -> list[type[models.Model]]:
    """Every model with a table Django keeps (not the SQLite full-text index of the sociale
    kaart, which exists on one database only)."""
    return [model for model in apps.get_models() if model._meta.managed]


def file_ids(case: Case) -> dict[type[models.Model], set[int]]:
    """The ids of every row of the case's own tables, to look for references afterwards."""
    return {
        Case: {case.pk},
        Person: set(Person.objects.filter(case=case).values_list("pk", flat=True)),
        Entry: set(Entry.objects.filter(case=case).values_list("pk", flat=True)),
        FollowupPlan: set(FollowupPlan.objects.filter(case=case).values_list("pk", flat=True)),
    }


def rows_referring(ids: dict[type[models.Model], set[int]], pseudonym: str) -> dict[str, int]:
    """Rows in any model (the access log and legal holds aside: they are kept on purpose) that
    are one of those rows, point at one of them, or carry the client pseudonym."""
    found = {}
    for model in tables():
        if model in (AccessLogEntry, LegalHold):
            continue
        about = Q(pk__in=ids.get(model, set()))
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model in ids:
                about |= Q(**{f"{field.attname}__in": ids[field.related_model]})
            elif isinstance(field, models.CharField) and "pseudonym" in field.name:
                about |= Q(**{field.name: pseudonym})
        count = model._default_manager.filter(about).count()
        if count:
            found[model._meta.label] = count
    return found


def destructions(subject_id: object) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(action=Action.DELETE, subject_id=str(subject_id)))


def test_a_closed_case_past_its_period_is_destroyed_completely_and_the_log_keeps_it():
    actor = member()
    follower = member()
    case = rich_closed_case(actor, follower, PAST_PERIOD)
    ids, pseudonym = file_ids(case), case.client_pseudonym
    assert InstrumentResult.objects.filter(case=case).exists()
    assert CopyGiven.objects.filter(case=case).exists()
    assert ClientStatement.objects.filter(case=case).exists()
    assert AccessGrant.objects.filter(client_pseudonym=pseudonym).count() == 2
    assert rows_referring(ids, pseudonym)
    rows_about_client = AccessLogEntry.objects.filter(client_id=pseudonym).count()

    run = retention_run()

    assert run.kinds[ResourceKind.CASE].destroyed == 1
    assert rows_referring(ids, pseudonym) == {}
    connection.check_constraints()  # no row is left pointing at a destroyed one
    (row,) = destructions(case.pk)
    assert row.subject_type == Subject.CASE and row.client_id == pseudonym
    assert row.part == "bewaartermijn verstreken: 20 jaar"
    assert row.ground.startswith("bewaartabel ") and row.organisation_id == actor.organisation.pk
    # The log keeps every row about the client, and still verifies.
    assert AccessLogEntry.objects.filter(client_id=pseudonym).count() == rows_about_client + 1
    assert audit_chain_verify().ok


def test_not_a_day_early_and_never_an_open_case():
    actor = member()
    due = closed_case(actor, PAST_PERIOD)
    early = closed_case(actor, WITHIN_PERIOD)
    with time_machine.travel(PAST_PERIOD, tick=False):
        open_case = reported_case(actor)

    run = retention_run()

    assert not Case.objects.filter(pk=due.pk).exists()
    assert set(Case.objects.values_list("pk", flat=True)) == {early.pk, open_case.pk}
    summary = run.kinds[ResourceKind.CASE]
    assert (summary.destroyed, summary.not_due, summary.open, summary.held) == (1, 1, 1, 0)


def test_a_held_case_is_kept_until_the_hold_is_lifted():
    actor = member()
    officer = member(Role.MELDCODE_OFFICER, actor.organisation)
    case = closed_case(actor, PAST_PERIOD)
    hold = legal_hold_place(
        actor=officer, resource_kind=ResourceKind.CASE, resource_id=case.pk, reason="Klacht 14"
    )

    run = retention_run()
    assert Case.objects.filter(pk=case.pk).exists()
    assert run.kinds[ResourceKind.CASE].held == 1

    legal_hold_lift(actor=officer, hold=hold, reason="Klacht afgehandeld")
    retention_run()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert LegalHold.objects.filter(pk=hold.pk).exists()  # the hold stays as history


def test_an_organisation_of_its_own_period_is_held_to_it():
    actor = member()
    elsewhere = member()
    admin = member(Role.FUNCTIONAL_ADMIN, actor.organisation)
    retention_override_set(
        actor=admin, file_kind=FileKind.MELDCODE_DOSSIER, years=15, basis="Eigen regime (test)"
    )
    sixteen_years = years_before(NOW, 16)
    own = closed_case(actor, sixteen_years)
    other = closed_case(elsewhere, sixteen_years)

    retention_run()

    assert not Case.objects.filter(pk=own.pk).exists()
    assert Case.objects.filter(pk=other.pk).exists()
    (row,) = destructions(own.pk)
    assert row.part == "bewaartermijn verstreken: 15 jaar" and row.ground.startswith("eigen")


def test_a_dry_run_lists_what_is_due_and_changes_nothing(capsys):
    actor = member()
    case = closed_case(actor, PAST_PERIOD)
    counts = {model: model._default_manager.count() for model in tables()}

    call_command("retention", "--dry-run")

    out = capsys.readouterr().out
    assert f"zou worden vernietigd: Meldcodedossier {case.reference}" in out
    assert "Meldcodedossier: 1 zou worden vernietigd, 0 met bewaarplicht" in out
    assert {model: model._default_manager.count() for model in tables()} == counts


def test_veilig_thuis_keeps_its_copy_of_the_report_for_its_own_period():
    reporter = member()
    vt = veilig_thuis()
    vt_member = member(organisation=vt)
    with time_machine.travel(PAST_PERIOD, tick=False):
        case = reported_case(reporter)
        report = send(reporter.user, vt, case)
        case.refresh_from_db()
        case_services.case_close(
            actor=reporter, case=case, expected_version=case.version, reason="Gemeld en klaar."
        )
    with time_machine.travel(WITHIN_PERIOD, tick=False):
        IncomingReport.objects.filter(pk=report.pk).update(
            received_at=timezone.now(), received_by=vt_member.user
        )

    run = retention_run()

    assert not Case.objects.filter(pk=case.pk).exists()
    report.refresh_from_db()
    assert report.case_id is None and report.content["case"]["title"]
    assert SharingGround.objects.filter(pk=report.ground_id).exists()  # its meldrecht stays
    assert run.kinds[ResourceKind.INCOMING_REPORT].not_due == 1
    connection.check_constraints()


def _links_to_file_rows(
    roots: set[type[models.Model]], detached: set[str]
) -> dict[str, type[models.Model]]:
    """Every foreign key ('app_label.Model.field') to a root, or to a model whose rows go with
    the file because it points at one (a link that is cleared instead does not reach further)."""
    holding, links = set(roots), {}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                name = f"{model._meta.label}.{field.name}"
                if field.is_relation and field.related_model in holding and name not in links:
                    links[name] = model
                    changed = True
                    if name not in detached:
                        holding.add(model)
    return links


def test_every_model_holding_a_files_data_is_covered_by_the_destruction():
    """A model with a foreign key to a case, a coordination file or a follow-up plan (or to a
    model that has one) is either destroyed with the file or has that link cleared: a new model
    that nobody registered fails here."""
    destroyed: set[type[models.Model]] = set()
    detached: set[str] = set()
    for source in retention_sources():
        destroyed.update(source.models)
        detached.update(source.detaches)
        for part in retention_parts(source.resource_kind):
            destroyed.update(part.models)
            detached.update(part.detaches)
    links = _links_to_file_rows({Case, CoordinationFile, FollowupPlan}, detached)
    missing = [
        name for name, model in links.items() if model not in destroyed and name not in detached
    ]
    assert missing == []
    assert {Case, Person, Entry, PhaseChange, CoordinationFile, FollowupPlan} <= destroyed


def test_a_closed_coordination_file_goes_with_its_family_team_grants_and_grounds():
    with time_machine.travel(PAST_PERIOD, tick=False):
        file = team().file
        CoordinationFile.objects.filter(pk=file.pk).update(
            state=FileState.CLOSED, closed_at=timezone.now()
        )
    ids = {CoordinationFile: {file.pk}}
    assert {"coordination.FamilyMember", "coordination.TeamMember", "privacy.AccessGrant"} <= set(
        rows_referring(ids, file.client_pseudonym)
    )

    run = retention_run()

    assert run.kinds[ResourceKind.COORDINATION_FILE].destroyed == 1
    assert rows_referring(ids, file.client_pseudonym) == {}
    connection.check_constraints()
    (row,) = destructions(file.pk)
    assert row.subject_type == Subject.COORDINATION_FILE and row.client_id == file.client_pseudonym


def test_a_failed_destruction_leaves_the_file_whole_and_fails_the_run(monkeypatch):
    actor = member()
    failing, other = closed_case(actor, PAST_PERIOD), closed_case(actor, PAST_PERIOD)
    source = retention_sources_module._SOURCES[ResourceKind.CASE]

    def destroy(file):
        counts = source.destroy(file)
        if file.file_id == failing.pk:
            raise DatabaseError("schijf vol")
        return counts

    monkeypatch.setitem(
        retention_sources_module._SOURCES,
        ResourceKind.CASE,
        dataclasses.replace(source, destroy=destroy),
    )
    with pytest.raises(CommandError, match="1 dossier"):
        call_command("retention")
    assert Case.objects.filter(pk=failing.pk).exists()
    assert Entry.objects.filter(case=failing).exists() and not destructions(failing.pk)
    assert not Case.objects.filter(pk=other.pk).exists()


def copies_of(case: Case, count: int) -> None:
    """`count` more closed cases like `case` (same moments), written in bulk: the job only
    reads them."""
    rows = []
    for number in range(count):
        copy = Case.objects.get(pk=case.pk)
        copy.pk, copy.reference = None, f"{case.reference[:12]}-{number}"
        copy.client_pseudonym = f"{case.client_pseudonym[:16]}-{number}"
        rows.append(copy)
    Case.objects.bulk_create(rows)


def test_a_dry_run_selects_the_due_files_in_the_database(monkeypatch):
    now = timezone.now()
    actor = member()
    due = closed_case(actor, years_before(now, 20) - datetime.timedelta(days=1))
    recent = closed_case(actor, years_before(now, 20) + datetime.timedelta(days=30))
    source = retention_sources_module._SOURCES[ResourceKind.CASE]
    read: list[int] = []

    def retained(case):
        read.append(case.pk)
        return source.files.retained(case)

    files = dataclasses.replace(source.files, retained=retained)
    monkeypatch.setitem(
        retention_sources_module._SOURCES,
        ResourceKind.CASE,
        dataclasses.replace(source, files=files),
    )
    with CaptureQueriesContext(connection) as few:
        retention_run(dry_run=True)
    copies_of(recent, 40)
    read.clear()

    with CaptureQueriesContext(connection) as many:
        run = retention_run(dry_run=True)

    assert len(many) == len(few)
    assert read == [due.pk]  # the 41 cases within their period are counted, never read
    summary = run.kinds[ResourceKind.CASE]
    assert (summary.destroyed, summary.not_due, summary.held, summary.open) == (1, 41, 0, 0)
    assert [file.file_id for file in summary.files] == [due.pk]
