"""Open work: which requests for consultation wait for an answer, and what a professional should
pick up next.

A request for consultation is an entry like any other and is never changed. Whether it has been
answered follows from the dossier: a request is answered once a collegiale consultation is
recorded in the same case after it (a later moment, not the same one); a request made after that
consultation waits again. A correction is neither a new request nor a new answer, so only the
first version of each entry counts, at the moment it was first recorded.

Both lists read the cases through the case list's selectors (`case_list_queryset`,
`case_list_shown`), so the same access rules apply and the same access-log rows are written: a
search of one's own cases, and for the aandachtsfunctionaris a search of the organisation's open
cases. The start page reads only one's own open cases and, of
the organisation, only the cases whose request waits (found in SQL); the requests of all listed
cases are read in one more query, however many cases there are.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from meldwijzer.cases import selectors
from meldwijzer.cases.models import Case, Entry, EntryKind
from meldwijzer.cases.workflow import OPEN_PHASES
from meldwijzer.core.paging import page_of
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

SOON_DAYS = 7
"""A step whose target date is at most this many days away is due 'binnenkort'."""


@dataclass(frozen=True)
class RequestState:
    """The requests for consultation in one case."""

    requested_at: datetime.datetime
    """When the waiting request was made; once answered, when the answered request was made."""
    answered_at: datetime.datetime | None = None
    """When the consultation that answered it was recorded; None while it waits."""

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


def request_state(moments: Iterable[tuple[str, datetime.datetime]]) -> RequestState | None:
    """The state of a case's requests from the kind and time of its requests and consultations,
    in any order; None when nobody asked for consultation."""
    waiting_since: datetime.datetime | None = None
    answered: RequestState | None = None
    # At the same moment a consultation comes first: it answers only requests made before it.
    ordered = sorted(moments, key=lambda moment: (moment[1], moment[0] != EntryKind.CONSULTATION))
    for kind, at in ordered:
        if kind == EntryKind.CONSULTATION_REQUEST:
            if waiting_since is None:
                waiting_since = at
        elif kind == EntryKind.CONSULTATION and waiting_since is not None:
            answered = RequestState(requested_at=waiting_since, answered_at=at)
            waiting_since = None
    if waiting_since is not None:
        return RequestState(requested_at=waiting_since)
    return answered


def request_states(cases: Sequence[Case]) -> dict[int, RequestState]:
    """The request state of each of these cases that has one, read in one query. The cases must
    come from a selector that checked access and logged the read."""
    if not cases:
        return {}
    moments: dict[int, list[tuple[str, datetime.datetime]]] = defaultdict(list)
    rows = Entry.objects.filter(
        case_id__in={case.pk for case in cases},
        kind__in=[EntryKind.CONSULTATION_REQUEST, EntryKind.CONSULTATION],
        corrects__isnull=True,
    ).values_list("case_id", "kind", "created_at")
    for case_id, kind, created_at in rows:
        moments[case_id].append((kind, created_at))
    states = {case_id: request_state(found) for case_id, found in moments.items()}
    return {case_id: state for case_id, state in states.items() if state is not None}


@dataclass(frozen=True)
class WorkItem:
    """One case on a list, with its target date and its requests for consultation."""

    case: Case
    due: datetime.date | None = None
    overdue: bool = False
    request: RequestState | None = None

    @property
    def days_left(self) -> int | None:
        """Days until the target date: 0 today, negative when it has passed."""
        return None if self.due is None else (self.due - timezone.localdate()).days

    @property
    def days_late(self) -> int:
        return max(-(self.days_left or 0), 0)

    @property
    def request_open(self) -> bool:
        return self.request is not None and self.request.is_open


def _item(case: Case, states: dict[int, RequestState]) -> WorkItem:
    return WorkItem(
        case=case,
        due=selectors.case_due_date(case),
        overdue=selectors.case_is_overdue(case),
        request=states.get(case.pk),
    )


def _waiting_longest_first(item: WorkItem) -> tuple[int, float]:
    if item.request is not None and item.request.is_open:
        return (0, item.request.requested_at.timestamp())
    return (1, 0.0)


def _waiting_since() -> Subquery:
    """`request_state(...).requested_at` of a waiting request, in SQL: the first request (in its
    first version) made at or after the case's last consultation, or at all when there was none;
    empty when no request waits."""
    last_consultation = (
        Entry.objects.filter(
            case=OuterRef("case"), kind=EntryKind.CONSULTATION, corrects__isnull=True
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    waiting = (
        Entry.objects.filter(
            case=OuterRef("pk"), kind=EntryKind.CONSULTATION_REQUEST, corrects__isnull=True
        )
        .annotate(answered_by=Subquery(last_consultation))
        .filter(Q(answered_by__isnull=True) | Q(created_at__gte=F("answered_by")))
        .order_by("created_at")
        .values("created_at")[:1]
    )
    return Subquery(waiting)


def _overview(actor: Actor) -> QuerySet[Case]:
    """The organisation's open cases, those with a waiting request first (the longest waiting on
    top), then the others as `case_list` orders them — sorted in the database."""
    return (
        selectors.case_list_queryset(actor=actor, whole_organisation=True)
        .annotate(waiting_since=_waiting_since())
        .order_by(F("waiting_since").asc(nulls_last=True), "-updated_at", "-pk")
    )


def _items(actor: Actor, cases: Iterable[Case]) -> list[WorkItem]:
    shown = selectors.case_list_shown(actor=actor, cases=cases, whole_organisation=True)
    states = request_states(shown)
    return [_item(case, states) for case in shown]


def organisation_overview(*, actor: Actor) -> list[WorkItem]:
    """The open cases of the actor's organisation, for the aandachtsfunctionaris: cases with a
    waiting request first (the longest waiting on top), then the others as `case_list` orders
    them."""
    return _items(actor, _overview(actor))


OVERVIEW_PAGE_SIZE = 50


def organisation_overview_page(*, actor: Actor, page: str | int | None = None) -> Page[WorkItem]:
    """One page (50 cases) of `organisation_overview`, sorted and counted in the database."""
    found = page_of(_overview(actor), page, OVERVIEW_PAGE_SIZE)
    return Page(_items(actor, found.object_list), found.number, found.paginator)  # type: ignore[arg-type]


def organisation_requests_waiting(*, actor: Actor) -> int:
    """How many of the organisation's open cases have a request waiting (one query, a number)."""
    waiting = _overview(actor).filter(waiting_since__isnull=False)  # type: ignore[misc]
    return waiting.count()


def open_requests(items: Iterable[WorkItem]) -> list[WorkItem]:
    return [item for item in items if item.request_open]


@dataclass(frozen=True)
class OpenWork:
    """What asks for a professional's attention now, on their start page."""

    overdue: list[WorkItem]
    """Own cases whose current step is past its target date."""
    review_due: list[WorkItem]
    """Own cases with help under way whose review date has come: afweging 5 is due."""
    due_soon: list[WorkItem]
    """Own cases whose current step is due today or within `SOON_DAYS` days."""
    waiting: list[WorkItem]
    """Own cases with a request for consultation that waits for an answer."""
    organisation_requests: list[WorkItem] | None = None
    """For the aandachtsfunctionaris: every waiting request in the organisation."""

    @property
    def own_is_empty(self) -> bool:
        return not (self.overdue or self.review_due or self.due_soon or self.waiting)


def open_work(*, actor: Actor) -> OpenWork:
    """The actor's own open work and, for the aandachtsfunctionaris, the organisation's waiting
    requests. Needs `CASE_WORK`: without it the read is refused and logged, as in `case_list`."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    own = selectors.case_list_shown(
        actor=actor,
        cases=selectors.case_list_queryset(actor=actor).filter(phase__in=OPEN_PHASES),
    )
    states = request_states(own)
    items = [_item(case, states) for case in own]

    def by_due(item: WorkItem) -> datetime.date:
        return item.due or today

    overdue, review_due, due_soon = [], [], []
    for item in items:
        if item.due is None:
            continue
        if item.case.workflow.is_help and item.due <= today:
            review_due.append(item)
        elif item.overdue:
            overdue.append(item)
        elif item.due <= soon:
            due_soon.append(item)
    organisation_requests = None
    if actor.can(Permission.CASE_OVERSEE):
        # Only the cases with a waiting request are read, found in SQL (`_waiting_since`).
        waiting = _overview(actor).filter(waiting_since__isnull=False)  # type: ignore[misc]
        organisation_requests = sorted(
            open_requests(_items(actor, waiting)), key=_waiting_longest_first
        )
    return OpenWork(
        overdue=sorted(overdue, key=by_due),
        review_due=sorted(review_due, key=by_due),
        due_soon=sorted(due_soon, key=by_due),
        waiting=sorted(open_requests(items), key=_waiting_longest_first),
        organisation_requests=organisation_requests,
    )
