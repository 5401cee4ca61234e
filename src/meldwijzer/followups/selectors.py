"""Reads that enforce access to follow-up plans, and the lists a professional works from.

`plan_get` is the one way to one plan: it answers 'not found' for a plan out of reach and for
one that does not exist, logs both, and logs every read with the client. The lists (`week`,
`overdue`, `organisation_plans`) run a fixed number of queries whatever their length, and log
one row per plan they show.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from meldwijzer.audit.models import Action
from meldwijzer.cases.models import Person, PersonKind
from meldwijzer.core.paging import page_of
from meldwijzer.followups import events, rules, schedules
from meldwijzer.followups.models import (
    Alert,
    FollowupContact,
    FollowupPlan,
    FollowupSignal,
    PlanDecision,
    PlannedContact,
    PlanState,
)
from meldwijzer.followups.rules import PlanAccess
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.models import ResourceKind
from meldwijzer.privacy.selectors import grant_active

PLAN = ResourceKind.FOLLOWUP_PLAN


def plan_access_for(actor: Actor, plan: FollowupPlan) -> PlanAccess:
    """What the actor holds in this plan (nothing: `allowed` is false)."""
    owner = rules.is_owner(actor, plan)
    follower = rules.is_named_follower(actor, plan)
    grant = None
    if follower and plan.follower_organisation_id != plan.owner_organisation_id:
        grant = grant_active(
            user=actor.user,
            organisation=actor.organisation,
            resource_kind=PLAN,
            resource_id=plan.pk,
        )
        follower = grant is not None and rules.follower_elsewhere_still_reads(plan)
    return PlanAccess(plan=plan, is_follower=follower, is_owner=owner, grant=grant)


def _plans() -> QuerySet[FollowupPlan]:
    return FollowupPlan.objects.select_related(
        "case",
        "file",
        "owner",
        "owner_organisation",
        "follower",
        "follower_organisation",
        "coordinator",
    )


def plan_get(
    *,
    actor: Actor,
    plan_id: int,
    part: str = "plan",
    action: Action = Action.READ,
    need: Callable[[PlanAccess], bool] | None = None,
) -> PlanAccess:
    """One plan the actor may read (and, with `need`, may do what is asked in), logged; anything
    else is 'not found' and logged."""
    plan = _plans().filter(pk=plan_id).first()
    if plan is None:
        events.plan_refused(actor=actor, plan_id=plan_id, plan=None, part=part, action=action)
    access = plan_access_for(actor, plan)
    if not access.allowed or (need is not None and not need(access)):
        events.plan_refused(actor=actor, plan_id=plan_id, plan=plan, part=part, action=action)
    events.plan_event(actor=actor, plan=plan, action=action, part=part, access=access)
    return access


def family_names(plan: FollowupPlan) -> list[str]:
    """The names of the family a plan follows, children and clients first (for its professional
    and the closing organisation only; call after `plan_get`)."""
    if plan.case_id is not None:
        persons = Person.objects.filter(case_id=plan.case_id, replaced_by__isnull=True)
        order: dict[str, int] = {PersonKind.CHILD: 0, PersonKind.CLIENT: 0, PersonKind.PARENT: 1}
        return [p.name for p in sorted(persons, key=lambda p: (order.get(p.kind, 2), p.name))]
    from meldwijzer.coordination.models import FamilyMember

    return list(
        FamilyMember.objects.filter(file_id=plan.file_id)
        .order_by("role", "name")
        .values_list("name", flat=True)
    )


@dataclass(frozen=True)
class ContactRow:
    """One planned contact in a list: the plan, its day, level, and how late it is."""

    planned: PlannedContact
    overdue_days: int

    @property
    def plan(self) -> FollowupPlan:
        return self.planned.plan


def _open_planned() -> QuerySet[PlannedContact]:
    return PlannedContact.objects.filter(
        cancelled_at__isnull=True, contact__isnull=True, plan__state=PlanState.ACTIVE
    ).select_related(
        "plan", "plan__follower", "plan__follower_organisation", "plan__case", "plan__file"
    )


def _mine(actor: Actor) -> Q:
    return Q(plan__follower=actor.user, plan__follower_organisation=actor.organisation)


def _still_readable_by_follower(actor: Actor) -> Q:
    """Of the actor's planned contacts, those on plans they may still read, as a filter: within
    the closing organisation always, for another organisation on a grant in force."""
    from meldwijzer.privacy.selectors import grants_in_force

    granted = grants_in_force().filter(
        user=actor.user,
        organisation=actor.organisation,
        resource_kind=PLAN,
        resource_id=OuterRef("plan_id"),
    )
    return Q(plan__follower_organisation=F("plan__owner_organisation")) | Q(Exists(granted))


def _mine_readable(actor: Actor) -> QuerySet[PlannedContact]:
    """The actor's own open planned contacts on running plans they may still read, soonest first
    (overdue ones before the rest)."""
    return (
        _open_planned()
        .filter(_mine(actor))
        .filter(_still_readable_by_follower(actor))
        .order_by("due_on", "pk")
    )


def week_contacts(*, actor: Actor, today: datetime.date | None = None) -> QuerySet[PlannedContact]:
    """The actor's own contacts due up to the end of this week, overdue ones first (the plans
    they may no longer read — a grant ended — are left out); filtered and sorted in the database,
    not logged: show a part of it through `week_shown`."""
    _, sunday = schedules.week_of(today or timezone.localdate())
    return _mine_readable(actor).filter(due_on__lte=sunday)


def week_shown(
    *, actor: Actor, planned: Iterable[PlannedContact], today: datetime.date | None = None
) -> list[ContactRow]:
    """The rows of `week_contacts` a page shows, with how late each is; logged as one row per
    plan they belong to."""
    rows = _rows(planned, today or timezone.localdate())
    events.plans_listed(actor=actor, plans=_distinct_plans(rows), part="deze week")
    return rows


WEEK_PAGE_SIZE = 25


def week_page(
    *, actor: Actor, page: str | int | None = None, today: datetime.date | None = None
) -> Page[ContactRow]:
    """One page (25 contacts) of `week_contacts`, counted in the database, logged."""
    today = today or timezone.localdate()
    found = page_of(week_contacts(actor=actor, today=today), page, WEEK_PAGE_SIZE)
    rows = week_shown(actor=actor, planned=found.object_list, today=today)
    return Page(rows, found.number, found.paginator)  # type: ignore[arg-type]


def overdue(
    *, actor: Actor, today: datetime.date | None = None, log: bool = True
) -> list[ContactRow]:
    """The actor's own contacts that are overdue, the longest overdue first."""
    today = today or timezone.localdate()
    rows = _rows(list(_mine_readable(actor).filter(due_on__lt=today)), today)
    if log:
        events.plans_listed(actor=actor, plans=_distinct_plans(rows), part="te laat")
    return rows


def _rows(planned: Iterable[PlannedContact], today: datetime.date) -> list[ContactRow]:
    """The planned contacts with how late each is."""
    return [
        ContactRow(planned=p, overdue_days=schedules.overdue_days(p.due_on, today=today))
        for p in planned
    ]


def _distinct_plans(rows: list[ContactRow]) -> list[FollowupPlan]:
    seen: dict[int, FollowupPlan] = {}
    for row in rows:
        seen.setdefault(row.plan.pk, row.plan)
    return list(seen.values())


def _readable_as_follower_elsewhere(actor: Actor) -> Q:
    """A plan the actor follows for another organisation than the one that closed: on a grant in
    force, and while it runs or ended less than `rules.ENDED_READABLE_DAYS` ago."""
    from meldwijzer.privacy.selectors import grants_in_force

    granted = grants_in_force().filter(
        user=actor.user,
        organisation=actor.organisation,
        resource_kind=PLAN,
        resource_id=OuterRef("pk"),
    )
    recent = timezone.now() - datetime.timedelta(days=rules.ENDED_READABLE_DAYS)
    still = Q(state=PlanState.ACTIVE) | Q(ended_at__isnull=True) | Q(ended_at__gt=recent)
    return Q(Exists(granted)) & still


def my_plans_queryset(*, actor: Actor, state: str = PlanState.ACTIVE) -> QuerySet[FollowupPlan]:
    """The plans the actor follows or closed and may still read (`plan_access_for` as a filter),
    with their next contact (`next_planned`); not logged: show a part through `plans_shown`."""
    if not actor.can(Permission.CASE_WORK):
        return FollowupPlan.objects.none()
    organisation = actor.organisation
    as_owner = Q(owner=actor.user, owner_organisation=organisation)
    as_follower = Q(follower=actor.user, follower_organisation=organisation) & (
        Q(owner_organisation=organisation) | _readable_as_follower_elsewhere(actor)
    )
    return (
        _plans()
        .filter(as_owner | as_follower, state=state)
        .prefetch_related(_next_planned())
        .order_by("pk")
    )


def plans_shown(
    *, actor: Actor, plans: Iterable[FollowupPlan], part: str = "mijn vervolgplannen"
) -> list[FollowupPlan]:
    """The plans of a list a page shows, logged as one row each."""
    shown = list(plans)
    events.plans_listed(actor=actor, plans=shown, part=part)
    return shown


PLAN_PAGE_SIZE = 50


def my_plans_page(
    *, actor: Actor, state: str = PlanState.ACTIVE, page: str | int | None = None
) -> Page[FollowupPlan]:
    """One page (50 plans) of `my_plans_queryset`, counted in the database, logged."""
    found = page_of(my_plans_queryset(actor=actor, state=state), page, PLAN_PAGE_SIZE)
    plans_shown(actor=actor, plans=found.object_list)
    return found


def my_plans(*, actor: Actor, state: str = PlanState.ACTIVE) -> list[FollowupPlan]:
    """Every plan of `my_plans_queryset`, logged (for the tests and the demo; pages use
    `my_plans_page`)."""
    return plans_shown(actor=actor, plans=my_plans_queryset(actor=actor, state=state))


def _next_planned() -> Prefetch:
    return Prefetch(
        "planned",
        queryset=PlannedContact.objects.filter(
            cancelled_at__isnull=True, contact__isnull=True
        ).order_by("due_on", "pk"),
        to_attr="open_planned",
    )


def organisation_plans_queryset(
    *, actor: Actor, state: str = PlanState.ACTIVE
) -> QuerySet[FollowupPlan]:
    """For an aandachtsfunctionaris: the plans its organisation follows or closed, with their
    open contacts (`open_planned`) — dates, levels and who follows, no names. A plan another
    organisation closed is on it only while its follower here holds a grant in force on it."""
    if not rules.sees_organisation_list(actor):
        return FollowupPlan.objects.none()
    from meldwijzer.privacy.selectors import grants_in_force

    organisation = actor.organisation
    granted = grants_in_force().filter(
        organisation=organisation,
        resource_kind=PLAN,
        resource_id=OuterRef("pk"),
        user=OuterRef("follower"),
    )
    return (
        _plans()
        .filter(state=state)
        .filter(
            Q(owner_organisation=organisation)
            | Q(follower_organisation=organisation) & Q(Exists(granted))
        )
        .prefetch_related(_next_planned())
        .order_by("follower__last_name", "pk")
    )


def organisation_plans_page(
    *, actor: Actor, state: str = PlanState.ACTIVE, page: str | int | None = None
) -> Page[FollowupPlan]:
    """One page (50 plans) of `organisation_plans_queryset`, counted in the database, logged."""
    found = page_of(organisation_plans_queryset(actor=actor, state=state), page, PLAN_PAGE_SIZE)
    plans_shown(actor=actor, plans=found.object_list, part="organisatie")
    return found


def organisation_plans(*, actor: Actor, state: str = PlanState.ACTIVE) -> list[FollowupPlan]:
    """Every plan of `organisation_plans_queryset`, logged (pages use `organisation_plans_page`)."""
    plans = organisation_plans_queryset(actor=actor, state=state)
    return plans_shown(actor=actor, plans=plans, part="organisatie")


def alerts_open(actor: Actor) -> list[Alert]:
    """'Niet veilig' in follow-up, for the actor to act on, newest first."""
    return list(
        Alert.objects.filter(to_user=actor.user, acknowledged_at__isnull=True)
        .select_related(
            "plan", "plan__file", "plan__case", "plan__follower", "contact", "decision__decided_by"
        )
        .order_by("-created_at")
    )


def signals_open(plan: FollowupPlan) -> list[FollowupSignal]:
    return list(
        FollowupSignal.objects.filter(plan=plan, seen_at__isnull=True).select_related(
            "organisation"
        )
    )


def alert_get(*, actor: Actor, alert_id: int) -> Alert:
    """An open 'niet veilig' alert for the actor; any other is 'not found', logged. Call it before
    `services.alert_acknowledge`: a refusal raised inside that service's transaction would take
    its access-log row down with it."""
    alert = Alert.objects.select_related("plan").filter(pk=alert_id).first()
    if alert is None or alert.to_user_id != actor.user.pk or alert.acknowledged_at is not None:
        # Someone else's alert: refused with the client of its plan, as a plan out of reach is.
        plan = alert.plan if alert is not None else None
        events.plan_refused(actor=actor, plan_id=f"melding-{alert_id}", plan=plan, part="melding")
    return alert


def _follower_may_read(planned: list[PlannedContact]) -> list[PlannedContact]:
    """Keep the planned contacts whose professional may still read the plan: an active member of
    the organisation they follow for, and — for another organisation than the one that closed —
    on a grant in force. Two queries, whatever the number of plans."""
    from meldwijzer.organisations.models import Membership
    from meldwijzer.privacy.selectors import grants_in_force

    plans = {p.plan_id: p.plan for p in planned}
    members = set(
        Membership.objects.filter(
            user_id__in={plan.follower_id for plan in plans.values()},
            is_active=True,
            user__is_active=True,
            organisation__is_active=True,
        ).values_list("user_id", "organisation_id")
    )
    cross = [
        plan.pk
        for plan in plans.values()
        if plan.follower_organisation_id != plan.owner_organisation_id
    ]
    granted = (
        set(
            grants_in_force()
            .filter(resource_kind=PLAN, resource_id__in=cross)
            .values_list("resource_id", "user_id", "organisation_id")
        )
        if cross
        else set()
    )

    def readable(plan: FollowupPlan) -> bool:
        follower = (plan.follower_id, plan.follower_organisation_id)
        if follower not in members:
            return False
        return plan.pk not in cross or (plan.pk, *follower) in granted

    return [p for p in planned if readable(p.plan)]


def reminders_due(*, today: datetime.date, days: int) -> list[tuple[PlannedContact, str]]:
    """For the daily reminders: every open planned contact of a running plan that is due within
    `days` days ('binnenkort') or overdue ('te_laat'), and is not yet reminded of in that kind to
    its professional — only where the professional may still read the plan. Runs a fixed number
    of queries; logs nothing (no one reads a plan: the e-mail names references and dates only)."""
    from meldwijzer.followups.models import Reminder, ReminderKind

    planned = list(
        _open_planned()
        .filter(due_on__lte=today + datetime.timedelta(days=days))
        .order_by("plan__follower_id", "due_on", "pk")
    )
    planned = _follower_may_read(planned)
    sent = set(
        Reminder.objects.filter(
            planned__plan__state=PlanState.ACTIVE,
            planned__contact__isnull=True,
            planned__cancelled_at__isnull=True,
        ).values_list("planned_id", "kind", "to_user_id", "due_on")
    )
    due: list[tuple[PlannedContact, str]] = []
    for contact in planned:
        kind = ReminderKind.OVERDUE if contact.due_on < today else ReminderKind.DUE
        if (contact.pk, kind.value, contact.plan.follower_id, contact.due_on) not in sent:
            due.append((contact, kind.value))
    return due


def calendar_contacts(*, actor: Actor) -> list[PlannedContact]:
    """For the private calendar feed: every open planned contact of the actor's own running plans
    in the actor's organisation that they may still read (a grant in force), soonest first.
    Logged as a list of the plans it shows."""
    rows = _rows(list(_mine_readable(actor)), timezone.localdate())
    events.plans_listed(actor=actor, plans=_distinct_plans(rows), part="agenda")
    return [row.planned for row in rows]


def family_names_for(plans: list[FollowupPlan]) -> dict[int, list[str]]:
    """`family_names` for many plans at once (two queries whatever their number), by plan id.
    Only for plans the actor follows or closed: call with the plans of `week` or `my_plans`."""
    from meldwijzer.coordination.models import FamilyMember

    names: dict[int, list[str]] = {plan.pk: [] for plan in plans}
    by_case = {plan.case_id: plan.pk for plan in plans if plan.case_id is not None}
    by_file = {plan.file_id: plan.pk for plan in plans if plan.file_id is not None}
    order: dict[str, int] = {PersonKind.CHILD: 0, PersonKind.CLIENT: 0, PersonKind.PARENT: 1}
    if by_case:
        persons = Person.objects.filter(case_id__in=by_case, replaced_by__isnull=True).only(
            "case_id", "name", "kind"
        )
        for person in sorted(persons, key=lambda p: (order.get(p.kind, 2), p.name)):
            names[by_case[person.case_id]].append(person.name)
    if by_file:
        members = (
            FamilyMember.objects.filter(file_id__in=by_file)
            .order_by("role", "name")
            .values_list("file_id", "name")
        )
        for file_id, name in members:
            names[by_file[file_id]].append(name)
    return names


@dataclass(frozen=True)
class PlanDetails:
    """What one plan's page shows besides the plan: its planned contacts (all, by day), the
    contacts held and the decisions, newest first, and the signals not yet seen."""

    planned: list[PlannedContact]
    contacts: list[FollowupContact]
    decisions: list[PlanDecision]
    signals: list[FollowupSignal]

    @property
    def open_planned(self) -> list[PlannedContact]:
        return [p for p in self.planned if p.cancelled_at is None and p.held is None]  # type: ignore[attr-defined]


def plan_details(access: PlanAccess) -> PlanDetails:
    """The rows of a plan the actor was allowed by `plan_get` (a fixed number of queries)."""
    plan = access.plan
    contacts = list(
        FollowupContact.objects.filter(plan=plan)
        .select_related("recorded_by", "recorded_organisation", "reopened_case", "reopened_file")
        .select_related("planned")
    )
    by_planned = {c.planned_id: c for c in contacts if c.planned_id is not None}
    planned = list(PlannedContact.objects.filter(plan=plan).order_by("due_on", "number", "pk"))
    for item in planned:
        item.held = by_planned.get(item.pk)  # type: ignore[attr-defined]
    decisions = list(PlanDecision.objects.filter(plan=plan).select_related("decided_by"))
    return PlanDetails(
        planned=planned, contacts=contacts, decisions=decisions, signals=signals_open(plan)
    )


def open_planned(plan: FollowupPlan) -> list[PlannedContact]:
    """The contacts still to be held, earliest first."""
    return list(
        PlannedContact.objects.filter(
            plan=plan, cancelled_at__isnull=True, contact__isnull=True
        ).order_by("due_on", "pk")
    )


def alerts_open_count(actor: Actor) -> int:
    """How many 'niet veilig' alerts wait for the actor (no client data: a number)."""
    return Alert.objects.filter(to_user=actor.user, acknowledged_at__isnull=True).count()


def alerts_list(*, actor: Actor) -> list[Alert]:
    """`alerts_open`, logged: one row per plan the alerts are about."""
    alerts = alerts_open(actor)
    plans = {alert.plan_id: alert.plan for alert in alerts}
    events.plans_listed(actor=actor, plans=list(plans.values()), part="meldingen")
    return alerts


def week_count(*, actor: Actor, today: datetime.date | None = None) -> int:
    """How many of the actor's contacts are due up to the end of this week (one query; for the
    start page, without client data)."""
    return week_contacts(actor=actor, today=today).count()
