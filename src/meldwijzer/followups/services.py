"""Writes for follow-up after closing: starting a plan, recording contacts, changing a plan and
deciding its end. Each service is keyword-only, takes plain data, checks the rules, and writes
its rows and access-log rows in one transaction.

- `plan_start` is called by the dossier (`cases.services.case_decide`) and by coordination
  (`coordination.closing.file_close`) inside their own transaction: a refused plan means the
  case or file does not close.
- `contact_record`: the safety status decides what follows. 'Zorgen' brings the next contact
  forward (`schedules.bring_forward`); 'niet veilig' re-opens the meldcode: the closed dossier
  again when the professional holds it, otherwise a new dossier in their organisation that names
  the old one; a closed coordination file opens again. The plan ends with the recorded decision
  'heropend', and the last casusregisseur is alerted (`Alert`, and an e-mail without content).
- `plan_change`, `planned_move`, `plan_end`: every change is a `PlanDecision` with its reason.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action
from meldwijzer.cases import rules as case_rules
from meldwijzer.cases import services as case_services
from meldwijzer.cases.extensions import FollowupAgreement, FollowupSource
from meldwijzer.cases.models import Case
from meldwijzer.cases.services import CaseError, CaseInputError
from meldwijzer.cases.workflow import Phase
from meldwijzer.coordination.models import CoordinationFile, IncomingReport
from meldwijzer.followups import events, schedules, selectors
from meldwijzer.followups.models import (
    Alert,
    ContactMode,
    DecisionKind,
    FollowupContact,
    FollowupPlan,
    FollowupSignal,
    PlanDecision,
    PlannedContact,
    PlanState,
    Safety,
    SourceKind,
)
from meldwijzer.followups.rules import PlanAccess
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Membership, Organisation
from meldwijzer.organisations.roles import Permission, permissions_for
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import AccessGrant, GroundKind, ResourceKind, SharingGround

logger = logging.getLogger(__name__)

ALERT_SUBJECT = "Niet veilig gemeld in de nazorg"


class FollowupError(Exception):
    """A change that is not allowed; the message is shown to the professional."""


class FollowupInputError(FollowupError):
    """Input that fails its checks; `errors` holds the Dutch message(s) per field."""

    def __init__(self, errors: dict[str, list[str]], message: str = "") -> None:
        self.errors = errors
        super().__init__(message or "Het formulier bevat fouten.")


TEXT_LIMIT = 4000
"""The longest note, agreement or summary in a follow-up plan (the models say the same)."""
REASON_LIMIT = 200
ACKNOWLEDGEMENT_LIMIT = 500


def _length_check(values: dict[str, tuple[str | None, int]]) -> None:
    """Refuse (with a Dutch message per field, before anything changes) any text that is longer
    than its limit, instead of cutting it off unseen."""
    errors = {
        field: [f"Gebruik hoogstens {limit} tekens (nu {len(value.strip())})."]
        for field, (value, limit) in values.items()
        if value is not None and len(value.strip()) > limit
    }
    if errors:
        raise FollowupInputError(errors)


class ConflictError(FollowupError):
    def __init__(self) -> None:
        super().__init__(
            "Iemand anders heeft dit vervolgplan intussen gewijzigd. Uw wijziging is niet "
            "opgeslagen; bekijk de nieuwe stand en voer haar zo nodig opnieuw in."
        )


_muted: ContextVar[bool] = ContextVar("followup_alert_muted", default=False)


@contextmanager
def alerts_muted() -> Iterator[None]:
    """Record contacts without e-mailing anyone (the demo's made-up contacts)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


# --- starting a plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Follower:
    user: User
    organisation: Organisation


def follower_resolve(*, actor: Actor, user_id: int | None, organisation_id: int | None) -> Follower:
    """The professional named to follow: active, and working on cases in that organisation."""
    if user_id is None or organisation_id is None:
        raise FollowupInputError(
            {"follower": ["Kies een professional van een organisatie op het platform."]}
        )
    membership_roles = list(
        Membership.objects.filter(
            user_id=user_id,
            organisation_id=organisation_id,
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
        ).values_list("role", flat=True)
    )
    if not membership_roles:
        raise FollowupInputError(
            {"follower": ["Kies een professional van een organisatie op het platform."]}
        )
    if Permission.CASE_WORK not in permissions_for(frozenset(membership_roles)):
        raise FollowupInputError(
            {
                "follower": [
                    "Deze persoon werkt niet met casussen in die organisatie; kies een "
                    "professional."
                ]
            }
        )
    return Follower(
        user=User.objects.get(pk=user_id), organisation=Organisation.objects.get(pk=organisation_id)
    )


def _until_check(
    starts_on: datetime.date, until: datetime.date | None, field: str = "until"
) -> datetime.date:
    latest = schedules.months_after(starts_on, schedules.MAX_MONTHS)
    if until is None or until <= starts_on or until > latest:
        raise FollowupInputError(
            {field: [f"Kies een einddatum na {starts_on:%d-%m-%Y} en uiterlijk {latest:%d-%m-%Y}."]}
        )
    return until


def _schedule_check(key: str) -> schedules.Schedule:
    available = schedules.schedules()
    if key and key not in available.schedules:
        raise FollowupInputError({"schedule": ["Kies een van de schema's."]})
    return available.get(key)


def _reference(today: datetime.date) -> str:
    count = FollowupPlan.objects.filter(created_at__year=today.year).count() + 1
    while True:
        reference = f"NZ-{today.year}-{count:04d}"
        if not FollowupPlan.objects.filter(reference=reference).exists():
            return reference
        count += 1


def _last_coordinator(source: FollowupSource) -> User | None:
    """Whom 'niet veilig' alerts: the casusregisseur of the coordination file, or of the file
    that took in this dossier's report."""
    if source.kind == SourceKind.FILE:
        return CoordinationFile.objects.get(pk=source.id).coordinator
    report = (
        IncomingReport.objects.filter(case_id=source.id, file__isnull=False)
        .select_related("file__coordinator")
        .order_by("-sent_at")
        .first()
    )
    return report.file.coordinator if report is not None and report.file is not None else None


def _grant(
    *, actor: Actor, plan: FollowupPlan, ground_id: int | None, consent_given_by: str = ""
) -> AccessGrant | None:
    """A follower of another organisation reads the plan on a grant, on a recorded ground — or on
    the family's consent given now, recorded here as the ground for this plan."""
    if plan.follower_organisation_id == actor.organisation.pk:
        return None
    ground = (
        SharingGround.objects.filter(
            pk=ground_id,
            organisation=actor.organisation,
            client_pseudonym=plan.client_pseudonym,
        ).first()
        if ground_id
        else None
    )
    if ground is None and not ground_id and consent_given_by.strip():
        ground = _consent_record(actor=actor, plan=plan, given_by=consent_given_by)
    if ground is None:
        raise FollowupInputError(
            {
                "ground": [
                    "Wie volgt werkt voor een andere organisatie: kies de grondslag "
                    "(toestemming van het gezin, of een conflict van plichten)."
                ]
            }
        )
    try:
        return privacy_services.access_grant_create(
            actor=actor,
            user=plan.follower,
            organisation=plan.follower_organisation,
            resource_kind=ResourceKind.FOLLOWUP_PLAN,
            resource_id=plan.pk,
            client_pseudonym=plan.client_pseudonym,
            ground=ground,
            until=plan.ends_on,
        )
    except privacy_services.SharingError as error:
        raise FollowupInputError({"ground": [str(error)]}) from error


def _consent_record(*, actor: Actor, plan: FollowupPlan, given_by: str) -> SharingGround:
    try:
        return privacy_services.sharing_ground_record(
            actor=actor,
            client_pseudonym=plan.client_pseudonym,
            kind=GroundKind.CONSENT,
            what="Het vervolgplan: de afspraken, de geplande contacten en de namen van het gezin",
            with_whom=f"{plan.follower.get_full_name()}, {plan.follower_organisation.name}"[:300],
            purpose="Nazorg: de veiligheid van het gezin volgen na het afsluiten",
            given_by=given_by,
            valid_until=plan.ends_on,
        )
    except privacy_services.SharingError as error:
        raise FollowupInputError({"ground": [str(error)]}) from error


def _plan_contacts(
    plan: FollowupPlan,
    schedule: schedules.Schedule,
    *,
    after: datetime.date | None = None,
    first_number: int = 1,
) -> None:
    dates = schedules.plan_dates(schedule, starts_on=plan.starts_on, ends_on=plan.ends_on)
    PlannedContact.objects.bulk_create(
        PlannedContact(
            plan=plan,
            number=first_number + index,
            level=planned.level,
            due_on=planned.due_on,
            scheduled_on=planned.due_on,
        )
        for index, planned in enumerate(d for d in dates if after is None or d.due_on > after)
    )


def plan_start(
    *, actor: Actor, source: FollowupSource, agreement: FollowupAgreement
) -> FollowupPlan:
    """Create the plan for a case or file that closes with follow-up agreements (inside the
    caller's transaction). Raises `cases.services.CaseInputError` per field when it cannot."""
    try:
        return _plan_start(actor=actor, source=source, agreement=agreement)
    except FollowupInputError as error:
        raise CaseInputError(error.errors, str(error)) from error


def _plan_start(
    *, actor: Actor, source: FollowupSource, agreement: FollowupAgreement
) -> FollowupPlan:
    today = timezone.localdate()
    follower = follower_resolve(
        actor=actor, user_id=agreement.follower_id, organisation_id=agreement.organisation_id
    )
    schedule = _schedule_check(agreement.schedule)
    until = _until_check(today, agreement.until)
    if not agreement.how.strip():
        raise FollowupInputError({"how": ["Beschrijf hoe de veiligheid wordt gevolgd."]})
    _length_check({"how": (agreement.how, TEXT_LIMIT)})
    now = timezone.now()
    fields: dict[str, Any] = {
        "source_kind": source.kind,
        "case_id": source.id if source.kind == SourceKind.CASE else None,
        "file_id": source.id if source.kind == SourceKind.FILE else None,
        "client_pseudonym": source.client_pseudonym,
        "owner": actor.user,
        "owner_organisation": actor.organisation,
        "follower": follower.user,
        "follower_organisation": follower.organisation,
        "coordinator": _last_coordinator(source),
        "schedule": schedule.key,
        "how": agreement.how.strip()[:TEXT_LIMIT],
        "starts_on": today,
        "ends_on": until,
        "created_at": now,
        "updated_at": now,
    }
    for attempt in range(10):
        try:
            with transaction.atomic():
                plan = FollowupPlan.objects.create(reference=_reference(today), **fields)
            break
        except IntegrityError:
            if attempt == 9:
                raise
    plan.grant = _grant(
        actor=actor,
        plan=plan,
        ground_id=agreement.ground_id,
        consent_given_by=agreement.consent_given_by,
    )
    if plan.grant is not None:
        plan.save(update_fields=["grant"])
    _plan_contacts(plan, schedule)
    events.plan_event(actor=actor, plan=plan, action=Action.CREATE, part="plan")
    return plan


# --- contacts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactData:
    held_on: datetime.date | None
    mode: str
    summary: str
    safety: str
    safety_note: str
    planned_id: int | None = None


def _touch(plan: FollowupPlan, expected_version: int | None = None) -> None:
    queryset = FollowupPlan.objects.filter(pk=plan.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    if not queryset.update(updated_at=timezone.now(), version=F("version") + 1):
        raise ConflictError()
    plan.refresh_from_db(fields=["version", "updated_at"])


def _contact_errors(plan: FollowupPlan, data: ContactData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if data.held_on is None or data.held_on > today or data.held_on < plan.starts_on:
        errors["held_on"] = [
            f"Kies de datum van het contact: vanaf {plan.starts_on:%d-%m-%Y} en niet na vandaag."
        ]
    if data.mode not in ContactMode.values:
        errors["mode"] = ["Kies hoe het contact was."]
    if not data.summary.strip():
        errors["summary"] = ["Beschrijf kort hoe het ging."]
    if data.safety not in Safety.values:
        errors["safety"] = ["Geef aan hoe veilig het is: veilig, zorgen of niet veilig."]
    if not data.safety_note.strip():
        errors["safety_note"] = [
            "Licht de veiligheid toe, naast de afspraken van het veiligheidsplan."
        ]
    for field, value in (("summary", data.summary), ("safety_note", data.safety_note)):
        if len(value.strip()) > TEXT_LIMIT:
            errors.setdefault(field, []).append(f"Gebruik hoogstens {TEXT_LIMIT} tekens.")
    return errors


@transaction.atomic
def contact_record(
    *, actor: Actor, access: PlanAccess, data: ContactData, expected_version: int | None = None
) -> FollowupContact:
    """Record a follow-up contact as held, with its safety status; see the module's docstring
    for what 'zorgen' and 'niet veilig' set in motion."""
    plan = access.plan
    if not access.may_record:
        raise FollowupError(
            "Alleen wie het gezin volgt legt een contact vast, zolang het plan loopt."
        )
    errors = _contact_errors(plan, data)
    planned = None
    if data.planned_id is not None:
        planned = PlannedContact.objects.filter(
            pk=data.planned_id, plan=plan, cancelled_at__isnull=True, contact__isnull=True
        ).first()
        if planned is None:
            errors["planned"] = ["Dit geplande contact bestaat niet (meer) of is al vastgelegd."]
    if errors:
        raise FollowupInputError(errors)
    assert data.held_on is not None
    _touch(plan, expected_version)
    try:
        with transaction.atomic():
            contact = FollowupContact.objects.create(
                plan=plan,
                planned=planned,
                held_on=data.held_on,
                mode=data.mode,
                summary=data.summary.strip()[:TEXT_LIMIT],
                safety=data.safety,
                safety_note=data.safety_note.strip()[:TEXT_LIMIT],
                recorded_by=actor.user,
                recorded_organisation=actor.organisation,
                recorded_at=timezone.now(),
            )
    except IntegrityError as error:  # the same planned contact, recorded at the same moment
        raise FollowupInputError(
            {"planned": ["Dit geplande contact is intussen al vastgelegd."]}
        ) from error
    events.plan_event(actor=actor, plan=plan, action=Action.CREATE, part="contact", access=access)
    if data.safety == Safety.WORRIES:
        _bring_forward(plan, contact)
    elif data.safety == Safety.UNSAFE:
        _reopen(actor=actor, access=access, reason=data.safety_note.strip(), contact=contact)
    return contact


def _bring_forward(plan: FollowupPlan, contact: FollowupContact) -> PlannedContact:
    """The next open contact comes within two weeks; without one, an extra contact is planned."""
    following = (
        PlannedContact.objects.filter(plan=plan, cancelled_at__isnull=True, contact__isnull=True)
        .order_by("due_on", "pk")
        .first()
    )
    reason = f"Eerder vanwege zorgen bij het contact van {contact.held_on:%d-%m-%Y}"
    if following is None:
        last = PlannedContact.objects.filter(plan=plan).order_by("-number").first()
        return PlannedContact.objects.create(
            plan=plan,
            number=(last.number + 1) if last else 1,
            level=last.level if last else schedules.Level.MONITORING,
            due_on=schedules.bring_forward(plan.ends_on, held_on=contact.held_on),
            scheduled_on=contact.held_on,
            moved_reason=reason,
        )
    new_due = schedules.bring_forward(following.due_on, held_on=contact.held_on)
    if new_due < following.due_on:
        PlannedContact.objects.filter(pk=following.pk).update(due_on=new_due, moved_reason=reason)
        following.due_on, following.moved_reason = new_due, reason
    return following


def _reopen(
    *, actor: Actor, access: PlanAccess, reason: str, contact: FollowupContact | None
) -> PlanDecision:
    """Back into the meldcode: re-open what the plan follows, end the plan as 're-opened' and
    alert the last casusregisseur."""
    plan = access.plan
    when = f"{contact.held_on:%d-%m-%Y}" if contact else f"{timezone.localdate():%d-%m-%Y}"
    why = f"Niet veilig in de nazorg ({plan.reference}, {when}): {reason}"[:ACKNOWLEDGEMENT_LIMIT]
    reopened_case: Case | None = None
    reopened_file: CoordinationFile | None = None
    if plan.case_id is not None:
        reopened_case = _case_reopen(actor, plan, why)
    if plan.file_id is not None:
        from meldwijzer.coordination.closing import file_reopen

        reopened_file = file_reopen(
            actor=actor, file=CoordinationFile.objects.get(pk=plan.file_id), reason=why
        )
    changes = {
        "heropende_casus": reopened_case.reference if reopened_case else "",
        "heropend_regiedossier": reopened_file.reference if reopened_file else "",
    }
    if contact is not None:
        FollowupContact.objects.filter(pk=contact.pk).update(
            reopened_case=reopened_case, reopened_file=reopened_file
        )
    decision = _end(actor, plan, DecisionKind.REOPENED, why, changes=changes, contact=contact)
    recipient = plan.coordinator or plan.owner
    if contact is not None or recipient.pk != actor.user.pk:  # nobody is alerted of their own act
        Alert.objects.create(
            plan=plan,
            contact=contact,
            decision=decision,
            to_user=recipient,
            created_at=timezone.now(),
        )
        if not _muted.get():
            transaction.on_commit(
                partial(_alert_send, plan_id=plan.pk, user_id=recipient.pk), robust=True
            )
    return decision


def _case_reopen(actor: Actor, plan: FollowupPlan, reason: str) -> Case:
    """The closed dossier again when the actor holds it; otherwise a new dossier in the actor's
    organisation that names the old one (`Case.previous`)."""
    assert plan.case_id is not None
    case = Case.objects.select_for_update(of=("self",)).get(pk=plan.case_id)
    if case.phase == Phase.CLOSED and case_rules.can_write(actor, case):
        case_services.case_move(
            actor=actor,
            case=case,
            expected_version=case.version,
            target=Phase.SIGNALS,
            reason=reason,
        )
        return case
    if case.phase != Phase.CLOSED and case_rules.can_write(actor, case):
        return case  # already back in the meldcode
    try:
        return case_services.case_open(
            actor=actor,
            title=f"Nieuwe zorgen in de nazorg van {case.reference}"[:120],
            profession=_profession(actor),
            client=case.client,
            previous=case,
        )
    except CaseError as error:
        raise FollowupError(str(error)) from error


def _profession(actor: Actor) -> str:
    membership = (
        Membership.objects.filter(user=actor.user, organisation=actor.organisation, is_active=True)
        .exclude(profession="")
        .first()
    )
    return membership.profession if membership else ""


def _alert_send(*, plan_id: int, user_id: int) -> None:
    plan = FollowupPlan.objects.select_related("file").get(pk=plan_id)
    user = User.objects.get(pk=user_id)
    if not user.email:
        return
    body = render_to_string(
        "followups/email/unsafe.txt",
        {
            "reference": plan.file.reference if plan.file else plan.reference,
            "link": settings.BASE_URL.rstrip("/") + reverse("followups:alerts"),
        },
    )
    try:
        with get_connection() as connection:
            connection.send_messages(
                [EmailMessage(subject=ALERT_SUBJECT, body=body, to=[user.email])]
            )
    except OSError:
        logger.exception("E-mail 'niet veilig' voor vervolgplan %s niet verstuurd.", plan.reference)


def alert_acknowledge(*, actor: Actor, alert_id: int, note: str) -> Alert:
    """The casusregisseur says what they did; the alert leaves their list. Someone else's alert
    is 'not found', logged (outside the transaction, so the refusal's row stays)."""
    alert = selectors.alert_get(actor=actor, alert_id=alert_id)
    if not note.strip():
        raise FollowupInputError({"note": ["Schrijf kort wat u heeft gedaan."]})
    _length_check({"note": (note, ACKNOWLEDGEMENT_LIMIT)})
    return _alert_acknowledge(actor=actor, alert=alert, note=note)


@transaction.atomic
def _alert_acknowledge(*, actor: Actor, alert: Alert, note: str) -> Alert:
    Alert.objects.filter(pk=alert.pk).update(
        acknowledged_at=timezone.now(),
        acknowledged_by=actor.user,
        acknowledgement=note.strip()[:ACKNOWLEDGEMENT_LIMIT],
    )
    alert.refresh_from_db()
    events.plan_event(actor=actor, plan=alert.plan, action=Action.UPDATE, part="melding")
    return alert


# --- changing and ending a plan --------------------------------------------------------------


def _decision(
    actor: Actor,
    plan: FollowupPlan,
    kind: str,
    note: str,
    *,
    changes: dict[str, Any] | None = None,
    contact: FollowupContact | None = None,
) -> PlanDecision:
    return PlanDecision.objects.create(
        plan=plan,
        kind=kind,
        note=note.strip()[:TEXT_LIMIT],
        changes=changes or {},
        contact=contact,
        decided_by=actor.user,
        decided_organisation=actor.organisation,
        decided_at=timezone.now(),
    )


def _end(
    actor: Actor,
    plan: FollowupPlan,
    kind: str,
    note: str,
    *,
    changes: dict[str, Any] | None = None,
    contact: FollowupContact | None = None,
) -> PlanDecision:
    now = timezone.now()
    PlannedContact.objects.filter(
        plan=plan, cancelled_at__isnull=True, contact__isnull=True
    ).update(cancelled_at=now)
    FollowupPlan.objects.filter(pk=plan.pk).update(state=PlanState.ENDED, ended_at=now)
    plan.state, plan.ended_at = PlanState.ENDED, now
    decision = _decision(actor, plan, kind, note, changes=changes, contact=contact)
    events.plan_event(actor=actor, plan=plan, action=Action.UPDATE, part="besluit")
    return decision


@dataclass(frozen=True)
class PlanChange:
    """What a professional changes in a running plan; `None` keeps it."""

    note: str
    follower_id: int | None = None
    organisation_id: int | None = None
    ground_id: int | None = None
    schedule: str | None = None
    how: str | None = None


@transaction.atomic
def plan_change(
    *, actor: Actor, access: PlanAccess, expected_version: int, change: PlanChange
) -> PlanDecision:
    """Change who follows, the schedule or the agreements of a running plan, with a reason. A new
    schedule replans the contacts still to come, counted from the plan's start."""
    plan = access.plan
    if not access.may_manage:
        raise FollowupError("Dit plan kunt u niet (meer) wijzigen.")
    if not change.note.strip():
        raise FollowupInputError({"note": ["Geef aan waarom het plan verandert."]})
    _length_check({"note": (change.note, TEXT_LIMIT), "how": (change.how, TEXT_LIMIT)})
    changes: dict[str, Any] = {}
    schedule = None
    if change.schedule is not None and change.schedule != plan.schedule:
        schedule = _schedule_check(change.schedule)
        changes["schema"] = [plan.schedule, schedule.key]
    if change.how is not None and change.how.strip() and change.how.strip() != plan.how:
        changes["afspraken"] = "gewijzigd"
    new_follower = None
    if change.follower_id is not None and (
        change.follower_id != plan.follower_id
        or change.organisation_id != plan.follower_organisation_id
    ):
        if actor.organisation.pk != plan.owner_organisation_id:
            raise FollowupInputError(
                {"follower": ["Alleen de organisatie die afsloot kiest wie het gezin volgt."]}
            )
        new_follower = follower_resolve(
            actor=actor, user_id=change.follower_id, organisation_id=change.organisation_id
        )
        changes["volgt"] = [plan.follower.get_full_name(), new_follower.user.get_full_name()]
    if not changes:
        raise FollowupInputError({"note": ["Er is niets gewijzigd."]})
    _touch(plan, expected_version)
    if schedule is not None:
        today = timezone.localdate()
        PlannedContact.objects.filter(
            plan=plan, cancelled_at__isnull=True, contact__isnull=True, due_on__gt=today
        ).update(cancelled_at=timezone.now())
        plan.schedule = schedule.key
        last = PlannedContact.objects.filter(plan=plan).order_by("-number").first()
        _plan_contacts(plan, schedule, after=today, first_number=(last.number + 1) if last else 1)
    if "afspraken" in changes:
        plan.how = (change.how or "").strip()[:TEXT_LIMIT]
    if new_follower is not None:
        # Only the closing organisation names a new follower, and it gave the old grant.
        if plan.grant is not None and plan.grant.revoked_at is None:
            privacy_services.access_grant_revoke(actor=actor, grant=plan.grant)
        plan.follower, plan.follower_organisation = new_follower.user, new_follower.organisation
        plan.grant = None
        plan.save(update_fields=["follower", "follower_organisation", "grant"])
        if plan.follower_organisation_id != plan.owner_organisation_id:
            plan.grant = _grant(actor=actor, plan=plan, ground_id=change.ground_id)
    plan.save(update_fields=["schedule", "how", "grant"])
    decision = _decision(actor, plan, DecisionKind.CHANGED, change.note, changes=changes)
    events.plan_event(actor=actor, plan=plan, action=Action.UPDATE, part="plan", access=access)
    return decision


@transaction.atomic
def planned_move(
    *,
    actor: Actor,
    access: PlanAccess,
    planned_id: int,
    due_on: datetime.date | None,
    reason: str,
    expected_version: int | None = None,
) -> PlannedContact:
    """Move one planned contact to another day (the family is away, a visit fits better)."""
    plan = access.plan
    if not access.may_manage:
        raise FollowupError("Dit plan kunt u niet (meer) wijzigen.")
    planned = PlannedContact.objects.filter(
        pk=planned_id, plan=plan, cancelled_at__isnull=True, contact__isnull=True
    ).first()
    errors: dict[str, list[str]] = {}
    if planned is None:
        errors["planned"] = ["Dit geplande contact bestaat niet (meer) of is al vastgelegd."]
    if due_on is None or due_on < timezone.localdate() or due_on > plan.ends_on:
        errors["due_on"] = [f"Kies een dag vanaf vandaag en uiterlijk {plan.ends_on:%d-%m-%Y}."]
    if not reason.strip():
        errors["reason"] = ["Geef aan waarom het contact verschuift."]
    elif len(reason.strip()) > REASON_LIMIT:
        errors["reason"] = [f"Gebruik hoogstens {REASON_LIMIT} tekens."]
    if errors:
        raise FollowupInputError(errors)
    assert planned is not None and due_on is not None
    _touch(plan, expected_version)
    PlannedContact.objects.filter(pk=planned.pk).update(
        due_on=due_on, moved_reason=reason.strip()[:REASON_LIMIT]
    )
    planned.refresh_from_db()
    _decision(
        actor,
        plan,
        DecisionKind.CHANGED,
        reason,
        changes={"contact": planned.number, "naar": due_on.isoformat()},
    )
    events.plan_event(actor=actor, plan=plan, action=Action.UPDATE, part="contact", access=access)
    return planned


@transaction.atomic
def plan_end(
    *,
    actor: Actor,
    access: PlanAccess,
    expected_version: int,
    kind: str,
    note: str,
    extend_until: datetime.date | None = None,
) -> PlanDecision:
    """The end of a plan as a recorded decision: completed (safety lasts), extended (until a new
    date, on the last interval of the schedule) or re-opened (back into the meldcode)."""
    plan = access.plan
    if not access.may_manage:
        raise FollowupError("Dit plan loopt niet meer, of u kunt het niet wijzigen.")
    if kind not in (DecisionKind.COMPLETED, DecisionKind.EXTENDED, DecisionKind.REOPENED):
        raise FollowupInputError({"kind": ["Kies: afronden, verlengen of heropenen."]})
    if not note.strip():
        raise FollowupInputError({"note": ["Licht het besluit toe."]})
    _length_check({"note": (note, TEXT_LIMIT)})
    if kind == DecisionKind.EXTENDED:
        until = _until_check(plan.ends_on, extend_until, field="extend_until")
        if until > schedules.months_after(plan.starts_on, schedules.MAX_MONTHS):
            raise FollowupInputError({"extend_until": ["Een plan loopt hoogstens vijf jaar."]})
        if (
            plan.grant is not None
            and plan.grant.granted_by_organisation_id != actor.organisation.pk
        ):
            # The grant the follower reads the plan on ends with the plan; only the organisation
            # that gave it can give a new one. Extended without it, nobody would follow.
            raise FollowupInputError(
                {
                    "extend_until": [
                        "U volgt dit gezin met gedeelde toegang tot het einde van het plan. "
                        "Verlengen doet de organisatie die afsloot."
                    ]
                }
            )
    _touch(plan, expected_version)
    if kind == DecisionKind.COMPLETED:
        return _end(actor, plan, kind, note)
    if kind == DecisionKind.REOPENED:
        return _reopen(actor=actor, access=access, reason=note.strip(), contact=None)
    previous_end = plan.ends_on
    plan.ends_on = until
    plan.save(update_fields=["ends_on"])
    last = PlannedContact.objects.filter(plan=plan).order_by("-number").first()
    _plan_contacts(
        plan,
        schedules.schedules().get(plan.schedule),
        after=previous_end,
        first_number=(last.number + 1) if last else 1,
    )
    if (
        plan.grant is not None
        and plan.grant.granted_by_organisation_id == actor.organisation.pk
        and plan.grant.revoked_at is None  # a revoked grant is not given again by extending
    ):
        ground = plan.grant.ground
        privacy_services.access_grant_revoke(actor=actor, grant=plan.grant)
        plan.grant = _grant(actor=actor, plan=plan, ground_id=ground.pk)
        plan.save(update_fields=["grant"])
    decision = _decision(
        actor,
        plan,
        DecisionKind.EXTENDED,
        note,
        changes={"tot": [previous_end.isoformat(), until.isoformat()]},
    )
    events.plan_event(actor=actor, plan=plan, action=Action.UPDATE, part="besluit", access=access)
    return decision


def signal_seen(*, actor: Actor, access: PlanAccess, signal_id: int) -> FollowupSignal:
    """The plan's professional (or the closing organisation) has seen a signal of a new case
    about the family; it leaves the plan's list. Seeing it twice changes nothing. A signal of
    another plan is 'not found', logged (outside the transaction, so the refusal's row stays)."""
    plan = access.plan
    if not access.allowed:
        raise FollowupError("Dit signaal hoort bij een plan dat u niet volgt.")
    signal = FollowupSignal.objects.filter(pk=signal_id, plan=plan).first()
    if signal is None:
        events.plan_refused(actor=actor, plan_id=plan.pk, plan=plan, part="signaal")
    with transaction.atomic():
        return _signal_seen(actor=actor, access=access, signal=signal)


def _signal_seen(*, actor: Actor, access: PlanAccess, signal: FollowupSignal) -> FollowupSignal:
    plan = access.plan
    if signal.seen_at is None:
        FollowupSignal.objects.filter(pk=signal.pk, seen_at__isnull=True).update(
            seen_at=timezone.now(), seen_by=actor.user
        )
        signal.refresh_from_db()
        events.plan_event(
            actor=actor, plan=plan, action=Action.UPDATE, part="signaal", access=access
        )
    return signal
