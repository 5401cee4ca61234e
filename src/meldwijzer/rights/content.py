"""What a copy for the client holds, as one plain structure the PDF and the JSON both render.

The copy holds the file as recorded: the case, its people, every entry (earlier versions too,
marked as corrected), every change of step, the decision and the report as entries, the client's
own statements, the coordination file and the follow-up plan linked to the case when whoever
gives the copy may see them (otherwise the copy says they are left out), and every row of the
access log about this client: who looked, when, for which organisation, in which role, which
part and why (NEN 7513).

What is withheld, and why (ADR 0034):
- a person the professional marked confidential in a signal — the source, or whoever an
  interpretation is from (ADR 0015) — is replaced by `WITHHELD` wherever their name would stand;
  as a second net every text in the copy has the confidential names (and the parts and phone
  numbers written in them) replaced as well;
- contact details and BSN of everyone but the recipient (address, phone, e-mail, how to reach
  them): they are other people's data (AVG art. 15 lid 4), and a family member who left must
  not be found through a copy.

`COPY_SCHEMA_VERSION` names the JSON shape (`docs/adr/0034-…`).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from meldwijzer.audit.models import AccessLogEntry, AccessOutcome, Action, Purpose, Subject
from meldwijzer.audit.selectors import client_access_list
from meldwijzer.cases.display import entry_rows
from meldwijzer.cases.models import Authority, Case, Entry, Person
from meldwijzer.cases.workflow import Phase
from meldwijzer.coordination.models import AgreementState, CoordinationFile, IncomingReport
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.selectors import file_access_for
from meldwijzer.followups.models import FollowupContact, FollowupPlan
from meldwijzer.followups.rules import PlanAccess
from meldwijzer.followups.selectors import plan_access_for
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Role
from meldwijzer.rights.eligibility import person_age
from meldwijzer.rights.models import ClientStatement, Relation

COPY_SCHEMA_VERSION = "1.0"
WITHHELD = "Gegevens van de melder zijn afgeschermd"
OTHERS_CONTACT_WITHHELD = "Contactgegevens van andere betrokkenen staan niet in dit afschrift."

# The names in a signal and the mark that keeps each out of a copy (as in `cases.report`).
_CONFIDENTIAL_FIELDS = ("source_name", "interpretation_by")

EXPLANATION = [
    "Dit is een afschrift van het dossier dat wij over u of uw kind bijhouden. U hebt daar recht "
    "op. In dit afschrift staat:",
    "• wie er in het dossier staan;",
    "• wat wij hebben gezien, gehoord en opgeschreven;",
    "• welke stappen wij hebben gezet en welk besluit wij namen;",
    "• wat u zelf aan het dossier hebt toegevoegd (uw eigen verklaring);",
    "• wie het dossier heeft bekeken, wanneer en waarom.",
    "Sommige gegevens staan er niet in. Soms vertelde iemand ons iets en vroeg die persoon om "
    "geheim te houden wie hij of zij is. Dan staat er: ‘Gegevens van de melder zijn "
    "afgeschermd’. Ook adressen en telefoonnummers van andere mensen staan er niet in.",
    "Wat kunt u doen?",
    "• Klopt er iets niet? Vraag ons dan om het te verbeteren.",
    "• Bent u het ergens niet mee eens? Dan kunt u uw eigen verklaring geven. Die voegen wij toe "
    "aan het dossier.",
    "• Bent u niet tevreden over hoe wij met u of uw gegevens omgaan? Dan kunt u een klacht "
    "indienen bij onze organisatie. Komt u er samen niet uit, dan kunt u naar de Autoriteit "
    "Persoonsgegevens.",
    "Hebt u vragen? Neem contact op met de professional die dit afschrift aan u gaf.",
]


@dataclass(frozen=True)
class CopyRequest:
    """What the copy is for: the case (allowed by `case_get`), whom it is given to, and who
    gives it."""

    actor: Actor
    case: Case
    recipient: Person
    relation: str
    reference: str
    given_at: datetime.datetime
    reason: str


@dataclass
class CopyContent:
    """The copy's data, and the linked files it holds (their reads are logged with the copy)."""

    data: dict[str, Any]
    files: list[FileAccess] = field(default_factory=list)
    plans: list[PlanAccess] = field(default_factory=list)


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username) if user is not None else ""


def _person(person: Person, recipient: Person, today: datetime.date) -> dict[str, Any]:
    """A person of the case; contact details and BSN only for the recipient themself."""
    own = person.pk == recipient.pk
    return {
        "kind": person.kind,
        "kind_label": person.get_kind_display(),
        "name": person.name,
        "date_of_birth": person.date_of_birth,
        "age": person_age(person, today),
        "relation": person.relation,
        "authority_label": Authority(person.authority).label if person.authority else "",
        "is_recipient": own,
        "contact": {
            "bsn": person.bsn,
            "street_address": person.street_address,
            "postcode": person.postcode,
            "place": person.place,
            "phone": person.phone,
            "email": person.email,
            "reach": person.reach,
        }
        if own
        else None,
    }


def _marked(entry: Entry) -> list[str]:
    """The fields of `_CONFIDENTIAL_FIELDS` an entry marks confidential: the source of a signal,
    and whoever an interpretation is from (marked itself, or — in signals from before it was
    asked — covered by the source's mark, as `cases.report` reads them)."""
    data = entry.data
    fields = ["source_name"] if data.get("source_confidential") else []
    marked = data.get("interpretation_by_confidential")
    if marked is None:
        marked = data.get("source_confidential")
    if marked:
        fields.append("interpretation_by")
    return fields


def confidential_names(entry: Entry) -> list[str]:
    """The names an entry marks confidential."""
    return [str(entry.data[name]) for name in _marked(entry) if entry.data.get(name)]


def withheld_names(entries: list[Entry]) -> set[str]:
    """Every name no copy may show. A mark holds for every version of an entry: when a
    correction marks the source (or interpreter) confidential, the name the earlier version held
    in clear — still in the copy, marked as corrected — is withheld as well, and the other way
    round."""
    by_pk = {entry.pk: entry for entry in entries}

    def first(entry: Entry) -> int:
        while entry.corrects_id in by_pk:
            entry = by_pk[entry.corrects_id]
        return entry.pk

    versions: dict[int, list[Entry]] = {}
    for entry in entries:
        versions.setdefault(first(entry), []).append(entry)
    names: set[str] = set()
    for chain in versions.values():
        for name in {name for entry in chain for name in _marked(entry)}:
            names.update(str(entry.data[name]) for entry in chain if entry.data.get(name))
    return names


def _entry(entry: Entry, corrected: set[int], names: set[str] | None = None) -> dict[str, Any]:
    """An entry as the copy shows it, the fields holding a name in `names` (or one the entry
    marks itself) withheld."""
    withheld = (names or set()) | set(confidential_names(entry))
    data = dict(entry.data)
    for name in _CONFIDENTIAL_FIELDS:
        if data.get(name) and str(data[name]) in withheld:
            data[name] = WITHHELD
    shown = Entry(kind=entry.kind, data=data)
    return {
        "kind": entry.kind,
        "kind_label": entry.get_kind_display(),
        "phase_label": Phase(entry.phase).label if entry.phase in Phase.values else entry.phase,
        "recorded_at": entry.created_at,
        "recorded_by": _name(entry.author),
        "organisation": entry.organisation.name,
        "corrected": entry.pk in corrected,
        "is_correction": entry.corrects_id is not None,
        "fields": [{"label": row.label, "value": row.value} for row in entry_rows(shown)],
    }


def _statement(statement: ClientStatement) -> dict[str, Any]:
    return {
        "given_on": statement.given_on,
        "given_by": statement.given_by.name,
        "given_by_kind": statement.given_by.get_kind_display(),
        "text": statement.text,
        "recorded_by": _name(statement.recorded_by),
        "recorded_at": statement.recorded_at,
    }


def _role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else value


def _access_row(row: AccessLogEntry) -> dict[str, Any]:
    return {
        "occurred_at": row.occurred_at,
        "who": _name(row.user) if row.user is not None else row.username,
        "organisation": row.organisation.name if row.organisation is not None else "",
        "role": _role_label(row.role),
        "purpose": str(Purpose(row.purpose).label) if row.purpose in Purpose.values else "",
        "action": str(Action(row.action).label) if row.action in Action.values else row.action,
        "subject": str(Subject(row.subject_type).label)
        if row.subject_type in Subject.values
        else row.subject_type,
        "part": row.part,
        "outcome": str(AccessOutcome(row.outcome).label),
    }


def _files(actor: Actor, case: Case) -> tuple[list[FileAccess], int]:
    """The coordination files this case was reported into: those the actor may see, and how many
    they may not."""
    files = CoordinationFile.objects.filter(
        pk__in=IncomingReport.objects.filter(case=case, file__isnull=False).values("file_id")
    ).select_related("lead_organisation", "coordinator")
    seen, hidden = [], 0
    for file in files:
        access = file_access_for(actor, file)
        if access.allowed:
            seen.append(access)
        else:
            hidden += 1
    return seen, hidden


def _file(access: FileAccess) -> dict[str, Any]:
    file = access.file
    agreements = file.agreements.exclude(state=AgreementState.CANCELLED).order_by("due_date", "pk")
    return {
        "reference": file.reference,
        "title": file.title,
        "state": file.get_state_display(),
        "lead_organisation": file.lead_organisation.name,
        "coordinator": _name(file.coordinator),
        "opened_at": file.opened_at,
        "closed_at": file.closed_at,
        "agreements": [
            {
                "what": agreement.what,
                "who": agreement.owner_name or _name(agreement.owner),
                "due_date": agreement.due_date,
                "state": agreement.get_state_display(),
            }
            for agreement in agreements.select_related("owner")
        ],
    }


def _plans(actor: Actor, case: Case) -> tuple[list[PlanAccess], int]:
    plans = FollowupPlan.objects.filter(case=case).select_related(
        "follower", "follower_organisation", "owner_organisation"
    )
    seen, hidden = [], 0
    for plan in plans:
        access = plan_access_for(actor, plan)
        if access.allowed:
            seen.append(access)
        else:
            hidden += 1
    return seen, hidden


def _plan(access: PlanAccess) -> dict[str, Any]:
    plan = access.plan
    contacts = FollowupContact.objects.filter(plan=plan).order_by("held_on", "pk")
    return {
        "reference": plan.reference,
        "state": plan.get_state_display(),
        "how": plan.how,
        "starts_on": plan.starts_on,
        "ends_on": plan.ends_on,
        "follower": _name(plan.follower),
        "follower_organisation": plan.follower_organisation.name,
        "contacts": [
            {
                "held_on": contact.held_on,
                "mode": contact.get_mode_display(),
                "safety": contact.get_safety_display(),
                "summary": contact.summary,
            }
            for contact in contacts
        ],
    }


def _left_out(hidden: int, what: str) -> str:
    if not hidden:
        return ""
    return (
        f"Er is ook {what} over dit gezin. Dat staat niet in dit afschrift, omdat wie dit "
        "afschrift maakte het niet mag inzien. U kunt het opvragen bij de organisatie die het "
        "bijhoudt."
    )


def copy_build(request: CopyRequest) -> CopyContent:
    """The copy's content for `request`, with what is withheld taken out. Reads only: the
    service that gives the copy logs the export (and the linked files it holds)."""
    case, actor, recipient = request.case, request.actor, request.recipient
    today = timezone.localdate(request.given_at)
    entries = list(
        case.entries.select_related("author", "organisation").order_by("created_at", "pk")
    )
    corrected = {entry.corrects_id for entry in entries if entry.corrects_id is not None}
    names = withheld_names(entries)
    persons = list(case.persons.filter(replaced_by__isnull=True).order_by("kind", "name"))
    statements = list(
        ClientStatement.objects.filter(case=case).select_related("given_by", "recorded_by")
    )
    files, files_hidden = _files(actor, case)
    plans, plans_hidden = _plans(actor, case)
    rows = client_access_list(
        client_pseudonym=case.client_pseudonym, case_id=case.pk, since=case.opened_at
    ).select_related("user", "organisation")
    data: dict[str, Any] = {
        "schema_version": COPY_SCHEMA_VERSION,
        "kind": "afschrift",
        "copy": {
            "reference": request.reference,
            "given_at": request.given_at,
            "given_by": _name(actor.user),
            "organisation": case.organisation.name,
            "recipient": recipient.name,
            "relation": request.relation,
            "relation_label": Relation(request.relation).label,
            "reason": request.reason,
        },
        "explanation": EXPLANATION,
        "case": {
            "reference": case.reference,
            "title": case.title,
            "organisation": case.organisation.name,
            "responsible": _name(case.responsible),
            "about": case.get_client_display(),
            "phase": case.get_phase_display(),
            "outcome": case.get_outcome_display() if case.outcome else "",
            "opened_at": case.opened_at,
            "closed_at": case.closed_at,
        },
        "persons": [_person(person, recipient, today) for person in persons],
        "persons_note": OTHERS_CONTACT_WITHHELD,
        "entries": [_entry(entry, corrected, names) for entry in entries],
        "phases": [
            {
                "from": Phase(change.source).label if change.source else "",
                "to": Phase(change.target).label,
                "at": change.created_at,
                "by": _name(change.author),
                "reason": change.reason,
            }
            for change in case.phase_changes.select_related("author").order_by("created_at", "pk")
        ],
        "statements": [_statement(statement) for statement in statements],
        "coordination": {
            "files": [_file(access) for access in files],
            "left_out": _left_out(files_hidden, "een regiedossier"),
        },
        "followup": {
            "plans": [_plan(access) for access in plans],
            "left_out": _left_out(plans_hidden, "een vervolgplan"),
        },
        "access_log": [_access_row(row) for row in rows],
        "withheld": [
            f"{WITHHELD}: wie ons iets vertelde en vroeg geheim te houden wie hij of zij is.",
            OTHERS_CONTACT_WITHHELD,
        ],
    }
    return CopyContent(data=_scrubbed(data, sorted(names)), files=files, plans=plans)


_SPLIT = re.compile(r"[,;()/|\n]")
_PHONE = re.compile(r"\+?\d[\d\s-]{5,}\d")


def _patterns(names: list[str]) -> list[re.Pattern[str]]:
    """What identifies a confidential person, to be taken out of every text: each name as
    written, the parts it is written in ('Fatima Bouzid (buurvrouw, 06-…)'), and the phone
    numbers in it, longest first."""
    pieces: set[str] = set()
    for name in names:
        pieces.add(name.strip())
        pieces.update(part.strip() for part in _SPLIT.split(name))
        pieces.update(match.group(0) for match in _PHONE.finditer(name))
    kept = sorted((piece for piece in pieces if len(piece) >= 3), key=len, reverse=True)
    return [re.compile(re.escape(piece), re.IGNORECASE) for piece in kept]


def _scrubbed(value: Any, names: list[str]) -> Any:
    """`value` with every text in it cleared of the confidential names (a second net: the fields
    that hold them are already withheld)."""
    patterns = _patterns(names)
    if not patterns:
        return value

    def scrub(item: Any) -> Any:
        if isinstance(item, str):
            for pattern in patterns:
                item = pattern.sub(WITHHELD, item)
            return item
        if isinstance(item, dict):
            return {key: scrub(inner) for key, inner in item.items()}
        if isinstance(item, list):
            return [scrub(inner) for inner in item]
        return item

    return scrub(value)
