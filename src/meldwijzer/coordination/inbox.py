"""Reports arriving at Veilig Thuis: sending a report through Meldwijzer, the inbox, receipt,
feedback to the reporter, and opening a coordination file from a report.

A professional who decided to report (or reported at once) sends the report to a Veilig Thuis
that works on the platform. What is sent is frozen as it was (`IncomingReport.content`, the
structure of `cases.report.case_report`); it rests on a meldrecht ground of the reporter's
organisation, towards that Veilig Thuis only; the dossier gets its report entry, and Veilig Thuis
never reads the dossier itself. Veilig Thuis confirms receipt and gives feedback, which lands in
the reporter's dossier as a feedback entry (`cases.services.case_report_feedback_receive`).
Whoever leads may open a coordination file from the report: linked to it, never merged with the
dossier, with the family taken over from the report's persons.

Services are keyword-only, write their rows and access-log rows in one transaction and raise
`CoordinationError` (or `ReportInputError`, per field) with a Dutch message; the selectors check
access and log every read, and refuse as a logged 'not found'.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from meldwijzer.audit.models import Action
from meldwijzer.cases import rules as case_rules
from meldwijzer.cases import services as case_services
from meldwijzer.cases.entries import MELDWIJZER_CHANNEL
from meldwijzer.cases.models import Case, Entry, EntryKind, PersonKind
from meldwijzer.cases.report import case_report
from meldwijzer.coordination import events, rules, services
from meldwijzer.coordination.models import CoordinationFile, FamilyRole, IncomingReport
from meldwijzer.coordination.services import CoordinationError, FamilyMemberData
from meldwijzer.core.paging import page_of
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind

REPORT_PART = "melding"


class ReportInputError(CoordinationError):
    """Input refused field by field (`errors`); nothing was changed."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("Het formulier bevat fouten.")


# --- Reading --------------------------------------------------------------------------------------


def veilig_thuis_organisations() -> QuerySet[Organisation]:
    """The Veilig Thuis organisations that work on the platform and can receive a report."""
    return Organisation.objects.filter(sector=Sector.VEILIG_THUIS, is_active=True).order_by("name")


def report_for_case(case: Case) -> IncomingReport | None:
    """The report sent from this case, if any (the caller has the case through `case_get`)."""
    return (
        IncomingReport.objects.filter(case=case)
        .select_related("to_organisation", "received_by")
        .annotate(feedback_given=_feedback_given())
        .first()
    )


def _feedback_given() -> Exists:
    """Whether the receiving Veilig Thuis has given feedback in the reporter's dossier since the
    report was sent (one subquery, also in a list)."""
    return Exists(
        Entry.objects.filter(
            case=OuterRef("case"),
            kind=EntryKind.REPORT_FEEDBACK,
            organisation=OuterRef("to_organisation"),
            created_at__gte=OuterRef("sent_at"),
        )
    )


class InboxFilter(models.TextChoices):
    """Which reports of the inbox to show."""

    ALL = "", "Alle meldingen"
    NEW = "nieuw", "Ontvangst nog niet bevestigd"
    RECEIVED = "ontvangen", "Ontvangst bevestigd"


def report_list_queryset(*, actor: Actor, state: str = InboxFilter.ALL) -> QuerySet[IncomingReport]:
    """Veilig Thuis' inbox: the reports sent to the actor's organisation, newest first, with
    whether feedback was given — filtered and sorted in the database. Someone not of Veilig
    Thuis is refused ('not found', logged); the read itself is logged by `report_list_read`."""
    if not rules.is_veilig_thuis(actor):
        events.inbox_refused(actor=actor)
    reports = IncomingReport.objects.filter(to_organisation=actor.organisation)
    if state == InboxFilter.NEW:
        reports = reports.filter(received_at__isnull=True)
    elif state == InboxFilter.RECEIVED:
        reports = reports.filter(received_at__isnull=False)
    return (
        reports.select_related("from_organisation", "sent_by", "file")
        .annotate(feedback_given=_feedback_given())
        .order_by("-sent_at", "-pk")
    )


def report_list_read(*, actor: Actor, reports: Iterable[IncomingReport]) -> list[IncomingReport]:
    """The reports of the inbox a page shows, logged as one read (a list names no client)."""
    shown = list(reports)
    events.inbox_read(actor=actor)
    return shown


INBOX_PAGE_SIZE = 50


def report_list_page(
    *, actor: Actor, state: str = InboxFilter.ALL, page: str | int | None = None
) -> Page[IncomingReport]:
    """One page (50 reports) of the inbox, counted in the database, logged."""
    found = page_of(report_list_queryset(actor=actor, state=state), page, INBOX_PAGE_SIZE)
    report_list_read(actor=actor, reports=found.object_list)
    return found


def report_list(*, actor: Actor) -> list[IncomingReport]:
    """The whole inbox, logged (pages use `report_list_page`)."""
    return report_list_read(actor=actor, reports=report_list_queryset(actor=actor))


def report_get(
    *,
    actor: Actor,
    report_id: int,
    part: str = REPORT_PART,
    action: Action = Action.READ,
    lead: bool = False,
) -> IncomingReport:
    """One report in the actor's inbox, its read logged with the client and the meldrecht
    ground; anything else is 'not found' and logged. With `lead`, only for whoever may open a
    coordination file from it (a casusregisseur)."""
    report = (
        IncomingReport.objects.select_related(
            "from_organisation", "to_organisation", "sent_by", "received_by", "file", "ground"
        )
        .annotate(feedback_given=_feedback_given())
        .filter(pk=report_id)
        .first()
    )
    if (
        report is None
        or not rules.is_veilig_thuis(actor)
        or report.to_organisation_id != actor.organisation.pk
        or (lead and not rules.may_open_file(actor))
    ):
        events.report_refused(
            actor=actor, report_id=report_id, report=report, part=part, action=action
        )
    events.report_event(actor=actor, report=report, action=action, part=part)
    return report


_DATE_KEYS = frozenset({"date", "date_of_birth", "review_date"})
_DATETIME_KEYS = frozenset({"generated_at", "recorded_at", "opened_at"})


def _thaw(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {name: _thaw(item, name) for name, item in value.items()}
    if isinstance(value, list):
        return [_thaw(item, key) for item in value]
    if isinstance(value, str) and key in _DATE_KEYS:
        return parse_date(value[:10]) or value
    if isinstance(value, str) and key in _DATETIME_KEYS:
        return parse_datetime(value) or value
    return value


def report_content(report: IncomingReport) -> dict[str, Any]:
    """The frozen report with its dates as dates again, for the report's own templates."""
    thawed: dict[str, Any] = _thaw(report.content)
    return thawed


# --- Sending --------------------------------------------------------------------------------------


def _frozen(content: Mapping[str, Any]) -> dict[str, Any]:
    frozen: dict[str, Any] = json.loads(json.dumps(content, cls=DjangoJSONEncoder))
    return frozen


@transaction.atomic
def report_send(
    *,
    actor: Actor,
    case: Case,
    expected_version: int,
    veilig_thuis: Organisation,
    informed: str,
    not_informed_reason: str = "",
    not_informed_explanation: str = "",
    reporter_unknown: bool = False,
) -> IncomingReport:
    """Send the report of a case that was decided to report (or reported at once) to a Veilig
    Thuis on the platform, once. Records the meldrecht ground towards that Veilig Thuis, the
    report entry in the dossier and the frozen report in its inbox."""
    case = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if not case_rules.can_write(actor, case) or not actor.can(Permission.CASE_WORK):
        raise CoordinationError("U mag deze casus niet melden.")
    if not case.workflow.is_reported:
        raise CoordinationError(
            "U kunt pas via Meldwijzer melden als u hebt besloten te melden, of direct meldt."
        )
    if IncomingReport.objects.filter(case=case).exists():
        raise CoordinationError("Deze melding is al verstuurd; u kunt haar niet twee keer sturen.")
    if veilig_thuis.sector != Sector.VEILIG_THUIS or not veilig_thuis.is_active:
        raise CoordinationError("Kies een Veilig Thuis-organisatie die Meldwijzer gebruikt.")
    try:
        ground = privacy_services.sharing_ground_record(
            actor=actor,
            client_pseudonym=case.client_pseudonym,
            kind=GroundKind.MELDRECHT,
            what="De melding: betrokkenen, signalen, consultaties, gesprek, afwegingen en besluit",
            with_whom=veilig_thuis.name,
            purpose="Melding bij Veilig Thuis (meldrecht, Wmo 2015 artikel 5.2.6)",
        )
    except privacy_services.SharingError as error:
        raise CoordinationError(str(error)) from error
    now = timezone.now()
    local = timezone.localtime(now)
    try:
        case_services.case_record_entry(
            actor=actor,
            case=case,
            expected_version=expected_version,
            kind=EntryKind.REPORT,
            data={
                "date": local.date().isoformat(),
                "time": local.strftime("%H:%M"),
                "channel": MELDWIJZER_CHANNEL,
                "veilig_thuis": veilig_thuis.name,
                "informed": informed,
                "not_informed_reason": not_informed_reason,
                "not_informed_explanation": not_informed_explanation,
                "reporter_unknown": reporter_unknown,
            },
        )
    except case_services.CaseInputError as error:
        raise ReportInputError(error.errors) from error
    except case_services.CaseError as error:
        raise CoordinationError(str(error)) from error
    content = case_report(actor=actor, case_id=case.pk, action=Action.EXPORT)
    report = IncomingReport.objects.create(
        case=case,
        client_pseudonym=case.client_pseudonym,
        from_organisation=actor.organisation,
        sent_by=actor.user,
        sent_at=now,
        to_organisation=veilig_thuis,
        ground=ground,
        content=_frozen(content),
    )
    events.report_sent(actor=actor, report=report)
    return report


# --- Veilig Thuis ---------------------------------------------------------------------------------


def _own(actor: Actor, report: IncomingReport) -> None:
    if not rules.is_veilig_thuis(actor) or report.to_organisation_id != actor.organisation.pk:
        raise CoordinationError("Deze melding staat niet in de inbox van uw organisatie.")


def _mark_received(actor: Actor, report: IncomingReport, now: datetime.datetime) -> bool:
    changed = IncomingReport.objects.filter(pk=report.pk, received_at__isnull=True).update(
        received_at=now, received_by=actor.user
    )
    if changed:
        report.received_at, report.received_by = now, actor.user
    return bool(changed)


@transaction.atomic
def report_receive(*, actor: Actor, report: IncomingReport) -> IncomingReport:
    """Confirm that the report arrived; the reporter sees it on the case page."""
    _own(actor, report)
    if not _mark_received(actor, report, timezone.now()):
        raise CoordinationError("De ontvangst van deze melding is al bevestigd.")
    events.report_event(actor=actor, report=report, action=Action.UPDATE, part="ontvangst")
    return report


@transaction.atomic
def report_feedback_give(*, actor: Actor, report: IncomingReport, data: Mapping[str, Any]) -> Entry:
    """Tell the reporter what Veilig Thuis does with the report: a feedback entry in the
    reporter's dossier (`data` holds its fields as plain values). Giving feedback also confirms
    receipt."""
    _own(actor, report)
    case = None
    if report.case_id is not None:
        case = Case.objects.select_for_update().filter(pk=report.case_id).first()
    if case is None:
        raise CoordinationError(
            "Het dossier van de melder bestaat niet meer: de bewaartermijn is verstreken."
        )
    try:
        entry = case_services.case_report_feedback_receive(actor=actor, case=case, data=data)
    except case_services.CaseInputError as error:
        raise ReportInputError(error.errors) from error
    except case_services.CaseError as error:
        raise CoordinationError(str(error)) from error
    _mark_received(actor, report, entry.created_at)
    events.report_event(actor=actor, report=report, action=Action.CREATE, part="terugkoppeling")
    return entry


# What a person of the report is in the family file.
FAMILY_ROLES: dict[str, str] = {
    PersonKind.CHILD: FamilyRole.CHILD,
    PersonKind.CLIENT: FamilyRole.ADULT,
    PersonKind.PARENT: FamilyRole.PARENT,
    PersonKind.CARER: FamilyRole.PARENT,
    PersonKind.OTHER: FamilyRole.ADULT,
}


@dataclass(frozen=True)
class ReportPerson:
    """Someone named in the report, as the file would take them over."""

    index: int
    name: str
    role: str
    relation: str
    date_of_birth: datetime.date | None
    phone: str
    bsn: str

    @property
    def role_label(self) -> str:
        return str(FamilyRole(self.role).label)

    def member(self) -> FamilyMemberData:
        return FamilyMemberData(
            role=self.role,
            name=self.name,
            relation=self.relation,
            date_of_birth=self.date_of_birth,
            phone=self.phone,
            bsn=self.bsn,
        )


def report_persons(report: IncomingReport) -> list[ReportPerson]:
    """The persons of the report who can be taken into the family file (those with a name)."""
    people = []
    for index, person in enumerate(report.content.get("persons") or []):
        name = str(person.get("name") or "").strip()
        if not name:
            continue
        kind = str(person.get("kind") or PersonKind.OTHER)
        people.append(
            ReportPerson(
                index=index,
                name=name,
                role=FAMILY_ROLES.get(kind, FamilyRole.ADULT),
                relation=str(person.get("relation") or person.get("kind_label") or "")[:120],
                date_of_birth=parse_date(str(person.get("date_of_birth") or "")[:10]),
                phone=str(person.get("phone") or ""),
                bsn=str(person.get("bsn") or ""),
            )
        )
    return people


@transaction.atomic
def report_file_open(
    *,
    actor: Actor,
    report: IncomingReport,
    title: str,
    persons: Iterable[int],
    role_description: str = "Ik ben de casusregisseur: uw vaste aanspreekpunt.",
    phone: str = "",
) -> CoordinationFile:
    """Open the family's coordination file from a report, with the actor as casusregisseur and
    the chosen persons of the report (`persons`: their indexes) as the family. The file is linked
    to the report, once; the dossier stays the reporter's."""
    _own(actor, report)
    if not rules.may_open_file(actor):
        raise CoordinationError("Alleen een casusregisseur kan een regiedossier openen.")
    locked = IncomingReport.objects.select_for_update().get(pk=report.pk)
    if locked.file_id is not None:
        raise CoordinationError("Voor deze melding is al een regiedossier geopend.")
    chosen = set(persons)
    family = [person.member() for person in report_persons(locked) if person.index in chosen]
    file = services.file_open(
        actor=actor, title=title, family=family, role_description=role_description, phone=phone
    )
    IncomingReport.objects.filter(pk=report.pk).update(file=file)
    report.file = file
    _mark_received(actor, report, timezone.now())
    events.report_event(actor=actor, report=report, action=Action.UPDATE, part="regiedossier")
    return file


def inbox_new_count(*, actor: Actor) -> int:
    """How many reports in the actor's inbox still wait for a confirmation of receipt (no
    client data: a count)."""
    if not rules.is_veilig_thuis(actor):
        return 0
    return IncomingReport.objects.filter(
        to_organisation=actor.organisation, received_at__isnull=True
    ).count()


def report_state_label(report: IncomingReport) -> str:
    """Where a report stands, in words for the inbox and the reporter."""
    if report.file_id is not None:
        return "Regiedossier geopend"
    if getattr(report, "feedback_given", False):
        return "Terugkoppeling gegeven"
    if report.received_at is not None:
        return "Ontvangen"
    return "Nieuw"
