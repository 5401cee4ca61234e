"""Files of casusregie that the retention job can destroy (registered in `apps.py`).

*The coordination file*: closed when its state is `gesloten`; destroyed with its family and
network, team, hand-overs, agreements, safety-plan revisions, contact notes with their
acknowledgements, its items on conference agendas with their confirmations (the conference itself,
without names, stays), the reports it was opened from, and the match signals about its client.

*A report in Veilig Thuis' inbox that no file was opened from*: Veilig Thuis' own file, with its
own period, counted from when it was sent or received; it stays when the reporter's dossier is
destroyed, losing only the link to it.

*Of a meldcode dossier* this app keeps the match signals about its client: they go with the case.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Q

from meldwijzer.coordination.models import (
    Agreement,
    ConferenceItem,
    ContactNote,
    CoordinationFile,
    FamilyMember,
    FileState,
    Handover,
    IncomingReport,
    InvolvementConfirmation,
    MatchSignal,
    SafetyPlanRevision,
    TeamMember,
    UnsafeAcknowledgement,
)
from meldwijzer.privacy.models import FileKind, ResourceKind
from meldwijzer.privacy.retention_sources import (
    FileQuery,
    RetainedFile,
    RetentionPart,
    RetentionSource,
    rows_destroy,
)


def _signals_destroy(client_pseudonym: str, counts: Counter[str]) -> None:
    about = Q(first_client_pseudonym=client_pseudonym) | Q(second_client_pseudonym=client_pseudonym)
    rows_destroy(MatchSignal.objects.filter(about), counts)


# The coordination file.

_FILE_FIELDS = (
    "pk", "reference", "lead_organisation_id", "client_pseudonym", "state", "updated_at",
    "closed_at",
)  # fmt: skip


def _file_retained(file: CoordinationFile) -> RetainedFile:
    moments = [file.updated_at, file.closed_at]
    return RetainedFile(
        resource_kind=ResourceKind.COORDINATION_FILE,
        file_kind=FileKind.COORDINATION_FILE,
        file_id=file.pk,
        reference=file.reference,
        organisation_id=file.lead_organisation_id,
        client_pseudonym=file.client_pseudonym,
        last_change=max(moment for moment in moments if moment is not None),
        closed=file.state == FileState.CLOSED,
    )


FILES = FileQuery(
    rows=lambda: CoordinationFile.objects.only(*_FILE_FIELDS),
    closed=Q(state=FileState.CLOSED),
    organisation="lead_organisation_id",
    moments=("updated_at", "closed_at"),
    retained=_file_retained,
)


def _file_get(file_id: int) -> RetainedFile | None:
    file = CoordinationFile.objects.select_for_update().only(*_FILE_FIELDS).filter(pk=file_id)
    found = file.first()
    return _file_retained(found) if found is not None else None


def _file_destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    of_file = {"file_id": file.file_id}
    rows_destroy(InvolvementConfirmation.objects.filter(item__file_id=file.file_id), counts)
    rows_destroy(Agreement.objects.filter(**of_file), counts)
    rows_destroy(ConferenceItem.objects.filter(**of_file), counts)
    rows_destroy(UnsafeAcknowledgement.objects.filter(note__file_id=file.file_id), counts)
    rows_destroy(ContactNote.objects.filter(**of_file), counts)
    rows_destroy(SafetyPlanRevision.objects.filter(**of_file), counts)
    rows_destroy(Handover.objects.filter(**of_file), counts)
    rows_destroy(TeamMember.objects.filter(**of_file), counts)
    rows_destroy(FamilyMember.objects.filter(**of_file), counts)
    rows_destroy(IncomingReport.objects.filter(**of_file), counts)
    _signals_destroy(file.client_pseudonym, counts)
    rows_destroy(CoordinationFile.objects.filter(pk=file.file_id), counts)
    return counts


FILE_MODELS = (
    CoordinationFile, FamilyMember, TeamMember, Handover, Agreement, SafetyPlanRevision,
    ContactNote, UnsafeAcknowledgement, ConferenceItem, InvolvementConfirmation, IncomingReport,
    MatchSignal,
)  # fmt: skip

FILE_SOURCE = RetentionSource(
    resource_kind=ResourceKind.COORDINATION_FILE,
    file_kind=FileKind.COORDINATION_FILE,
    files=FILES,
    get=_file_get,
    destroy=_file_destroy,
    holds_pseudonym=lambda pseudonym: CoordinationFile.objects.filter(
        client_pseudonym=pseudonym
    ).exists(),
    models=FILE_MODELS,
)


# A report no file was opened from.


def _report_retained(report: IncomingReport) -> RetainedFile:
    moments = [report.sent_at, report.received_at]
    return RetainedFile(
        resource_kind=ResourceKind.INCOMING_REPORT,
        file_kind=FileKind.INCOMING_REPORT,
        file_id=report.pk,
        reference=f"melding {report.pk}",
        organisation_id=report.to_organisation_id,
        client_pseudonym=report.client_pseudonym,
        last_change=max(moment for moment in moments if moment is not None),
        closed=True,
    )


_REPORT_FIELDS = ("pk", "to_organisation_id", "client_pseudonym", "sent_at", "received_at")


REPORTS = FileQuery(
    rows=lambda: IncomingReport.objects.filter(file__isnull=True).only(*_REPORT_FIELDS),
    closed=Q(pk__isnull=False),  # every report: Veilig Thuis' file from the moment it is sent
    organisation="to_organisation_id",
    moments=("sent_at", "received_at"),
    retained=_report_retained,
)


def _report_get(report_id: int) -> RetainedFile | None:
    reports = IncomingReport.objects.select_for_update().only(*_REPORT_FIELDS)
    report = reports.filter(pk=report_id, file__isnull=True).first()
    return _report_retained(report) if report is not None else None


def _report_destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    rows_destroy(IncomingReport.objects.filter(pk=file.file_id), counts)
    return counts


REPORT_SOURCE = RetentionSource(
    resource_kind=ResourceKind.INCOMING_REPORT,
    file_kind=FileKind.INCOMING_REPORT,
    files=REPORTS,
    get=_report_get,
    destroy=_report_destroy,
    holds_pseudonym=lambda pseudonym: IncomingReport.objects.filter(
        client_pseudonym=pseudonym
    ).exists(),
    models=(IncomingReport,),
)


# Of a meldcode dossier.


def _case_part_destroy(file: RetainedFile) -> Counter[str]:
    counts: Counter[str] = Counter()
    IncomingReport.objects.filter(case_id=file.file_id).update(case=None)
    _signals_destroy(file.client_pseudonym, counts)
    return counts


CASE_PART = RetentionPart(
    resource_kind=ResourceKind.CASE,
    keeps=lambda file, cutoff: False,
    destroy=_case_part_destroy,
    models=(MatchSignal,),
    detaches=("coordination.IncomingReport.case",),
)
