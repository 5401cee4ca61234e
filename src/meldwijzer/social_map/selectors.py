"""Reading the sociale kaart: search, the records a person may keep up to date, out-of-date lists.

The directory holds no client data, so searches and reads are not access-logged; refused
attempts to edit a record are (`events.editing_refused`), like everywhere else.

`service_search` is the one search: the public page, the professional view, the routekaart and
the API all call it. Text search runs on the database's own engine (see `search.py`); filters on
taxonomy terms, language and area combine with it, and with a postcode each service gets the
distance from that postcode's centroid to its nearest public location (RD New, in metres, so a
plain Euclidean distance). Confidential locations never count for distance.
"""

from __future__ import annotations

import functools
import math
import operator
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from meldwijzer.accounts.models import User
from meldwijzer.audit.models import Action, Subject
from meldwijzer.core.paging import page_of
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Membership, Municipality, Organisation
from meldwijzer.organisations.reference import PostcodeArea, postcode_areas
from meldwijzer.organisations.roles import Permission, Role
from meldwijzer.social_map import events, rules, search, taxonomies
from meldwijzer.social_map.models import (
    FINDABLE_STATUSES,
    AreaKind,
    ChangeRecord,
    Contact,
    Language,
    Location,
    MapVersion,
    Phone,
    Provider,
    Service,
    ServiceArea,
    ServiceLocation,
    ServiceTerm,
)

if TYPE_CHECKING:
    from meldwijzer.cases.models import Case

SORT_RELEVANCE = "relevantie"
SORT_DISTANCE = "afstand"
SORT_NAME = "naam"
# The area filter: only services available at the postcode (the default), or all.
AREA_POSTCODE = ""
AREA_ALL = "alle"


@dataclass(frozen=True)
class Criteria:
    """What someone searches for. Codes within one filter are alternatives (any of them)."""

    text: str = ""
    postcode: str = ""
    violence: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    help_types: tuple[str, ...] = ()
    language: str = ""
    area: str = AREA_POSTCODE
    provider_uid: str = ""
    sort: str = ""

    @property
    def origin(self) -> PostcodeArea | None:
        return postcode_areas().get(self.postcode[:4]) if self.postcode else None


@dataclass
class Hit:
    service: Service
    distance_km: float | None
    rank: float | None


@dataclass
class Results:
    criteria: Criteria
    origin: PostcodeArea | None
    total: int
    hits: list[Hit] = field(default_factory=list)


# Filters are `id IN (subquery)` rather than correlated EXISTS: the subquery runs once, through
# its index, instead of once per service (measured: two to three times faster on SQLite at
# 50,000 services; PostgreSQL plans both as a semi-join).


def _covers(origin: PostcodeArea) -> Q:
    """Services available at `origin`: with an area that matches, or without restricting areas."""
    matching = ServiceArea.objects.filter(
        Q(kind=AreaKind.NATIONAL)
        | Q(kind=AreaKind.PROVINCE, code=origin.province)
        | Q(kind=AreaKind.MUNICIPALITY, code=origin.municipality)
        | Q(kind=AreaKind.POSTCODE, code=origin.postcode)
    ).values("service_id")
    restricted = ServiceArea.objects.filter(service=OuterRef("pk")).exclude(kind=AreaKind.OTHER)
    return Q(pk__in=matching) | Q(~Exists(restricted))


def _with_term(taxonomy_id: str, codes: tuple[str, ...]) -> Q:
    return Q(
        pk__in=ServiceTerm.objects.filter(taxonomy=taxonomy_id, code__in=codes).values("service_id")
    )


def _distance_squared(x: float, y: float) -> Subquery:
    dx = F("location__x_rd") - x
    dy = F("location__y_rd") - y
    nearest = (
        ServiceLocation.objects.filter(
            service=OuterRef("pk"),
            location__confidential=False,
            location__x_rd__isnull=False,
            location__y_rd__isnull=False,
        )
        .annotate(d2=ExpressionWrapper(dx * dx + dy * dy, output_field=FloatField()))
        .order_by("d2")
        .values("d2")[:1]
    )
    return Subquery(nearest, output_field=FloatField())


def _text_filter(queryset: QuerySet[Service], text: str) -> tuple[QuerySet[Service], bool]:
    """Filter on the text and annotate `rank` (higher is better); False when there is no text."""
    if connection.vendor == "postgresql":
        terms = search.postgres_terms(text)
        if not terms:
            return queryset, False
        query = functools.reduce(
            operator.and_,
            (SearchQuery(term, search_type="raw", config="dutch") for term in terms),
        )
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        ), True
    match = search.sqlite_match(text)
    if not match:
        return queryset, False
    return queryset.filter(text_index__document__match=match).annotate(
        rank=-F("text_index__rank")
    ), True


def service_queryset(criteria: Criteria) -> tuple[QuerySet[Service], bool, bool]:
    """The filtered, ordered services for `criteria`; whether text and distance were used."""
    queryset = Service.objects.filter(status__in=FINDABLE_STATUSES)
    for taxonomy_id, codes in (
        (taxonomies.VIOLENCE, criteria.violence),
        (taxonomies.TARGET_GROUPS, criteria.target_groups),
        (taxonomies.HELP_TYPES, criteria.help_types),
    ):
        if codes:
            queryset = queryset.filter(_with_term(taxonomy_id, codes))
    if criteria.language:
        queryset = queryset.filter(
            pk__in=Language.objects.filter(code=criteria.language).values("service_id")
        )
    if criteria.provider_uid:
        queryset = queryset.filter(provider__uid=criteria.provider_uid)
    origin = criteria.origin
    if origin is not None and criteria.area != AREA_ALL:
        queryset = queryset.filter(_covers(origin))
    queryset, has_text = _text_filter(queryset, criteria.text)
    has_distance = False
    if origin is not None and origin.x_rd is not None and origin.y_rd is not None:
        queryset = queryset.annotate(distance2=_distance_squared(origin.x_rd, origin.y_rd))
        has_distance = True
    order: list[Any] = []
    sort = criteria.sort or (SORT_RELEVANCE if has_text else SORT_DISTANCE)
    if sort == SORT_RELEVANCE and has_text:
        order.append(F("rank").desc())
    if sort in (SORT_RELEVANCE, SORT_DISTANCE) and has_distance:
        order.append(F("distance2").asc(nulls_last=True))
    order += ["name", "pk"]
    return queryset.order_by(*order), has_text, has_distance


def service_search(
    criteria: Criteria,
    *,
    offset: int = 0,
    limit: int = 20,
    prefetch: Sequence[str | Prefetch[Any]] | None = None,
) -> Results:
    """One page of services for `criteria`, with the total number found. `prefetch` replaces
    what is read with each service (by default what the search page shows)."""
    queryset, has_text, has_distance = service_queryset(criteria)
    total = queryset.count()
    if prefetch is None:
        prefetch = [
            "terms",
            Prefetch("phones", queryset=Phone.objects.filter(contact=None, location=None)),
            Prefetch(
                "service_locations",
                queryset=ServiceLocation.objects.select_related("location"),
            ),
        ]
    page = list(
        queryset.select_related("provider").prefetch_related(*prefetch)[offset : offset + limit]
    )
    hits = []
    for service in page:
        distance2 = getattr(service, "distance2", None) if has_distance else None
        hits.append(
            Hit(
                service=service,
                distance_km=math.sqrt(distance2) / 1000 if distance2 is not None else None,
                rank=getattr(service, "rank", None) if has_text else None,
            )
        )
    return Results(criteria=criteria, origin=criteria.origin, total=total, hits=hits)


# --- The region the sociale kaart covers --------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """The municipalities (CBS names) in the werkgebied of the member organisations: where the
    organisations that keep this sociale kaart work, so where it knows the local help. Empty when
    no organisation has a werkgebied yet; then the region is unknown and covers everything."""

    municipalities: tuple[str, ...]

    def covers(self, area: PostcodeArea) -> bool:
        return not self.municipalities or area.municipality in self.municipalities

    @property
    def names(self) -> str:
        """'de gemeente Urk', 'de gemeenten Almere, Dronten en Lelystad'."""
        names = list(self.municipalities)
        if len(names) == 1:
            return f"de gemeente {names[0]}"
        return f"de gemeenten {', '.join(names[:-1])} en {names[-1]}"

    def outside(self, area: PostcodeArea) -> str:
        """What to tell someone whose postcode lies outside the region ('' when it does not)."""
        if self.covers(area):
            return ""
        return (
            f"Postcode {area.postcode} ({area.place}) ligt buiten het gebied van deze sociale kaart. "
            f"Deze sociale kaart beschrijft hulp in {self.names}. "
            "Veilig Thuis helpt in heel Nederland: bel gratis 0800-2000, dag en nacht. "
            "Bij direct gevaar belt u 112."
        )


def directory_region() -> Region:
    """The region this sociale kaart covers: the werkgebied (`Organisation.works_in`) of the
    active member organisations, as municipalities; a postcode belongs to the municipality CBS
    gives it (`organisations/data/pc4.csv`)."""
    names = (
        Municipality.objects.filter(organisations_working_in__is_active=True)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )
    return Region(tuple(names))


# --- One service, as the public or a professional sees it -----------------------------------------


@dataclass
class ServiceView:
    """Everything the service pages show. `contacts` and `referral_details` are empty in the
    public view; confidential locations are left out of `locations` for everyone and counted in
    `confidential_locations`."""

    service: Service
    provider: Provider
    terms: dict[str, list[str]]
    languages: list[Language]
    areas: list[ServiceArea]
    locations: list[Location]
    confidential_locations: int
    phones: list[Phone]
    provider_phones: list[Phone]
    hours: list[str]
    contacts: list[Contact]
    officer: Contact | None
    stale: bool
    distance_km: float | None = None


def _findable() -> QuerySet[Service]:
    return Service.objects.filter(status__in=FINDABLE_STATUSES).select_related("provider")


def service_findable(service_id: int) -> Service | None:
    return _findable().filter(pk=service_id).first()


def service_findable_by_uid(uid: Any) -> Service | None:
    return _findable().filter(uid=uid).first()


def service_view(
    service: Service, *, professional: bool, origin: PostcodeArea | None = None
) -> ServiceView:
    locations = [sl.location for sl in service.service_locations.select_related("location")]
    public_locations = [location for location in locations if not location.confidential]
    terms: dict[str, list[str]] = defaultdict(list)
    for term in service.terms.order_by("taxonomy", "code"):
        terms[term.taxonomy].append(taxonomies.taxonomy(term.taxonomy).label(term.code))
    distance = None
    if origin is not None and origin.x_rd is not None and origin.y_rd is not None:
        distances = [
            math.hypot(location.x_rd - origin.x_rd, location.y_rd - origin.y_rd) / 1000
            for location in public_locations
            if location.x_rd is not None and location.y_rd is not None
        ]
        distance = min(distances) if distances else None
    contacts: list[Contact] = []
    officer = None
    if professional:
        contacts = list(service.contacts.prefetch_related("phones"))
        officer = (
            service.provider.contacts.filter(meldcode_officer=True)
            .prefetch_related("phones")
            .first()
        )
    return ServiceView(
        service=service,
        provider=service.provider,
        terms=dict(terms),
        languages=list(service.languages.all()),
        areas=list(service.areas.all()),
        locations=public_locations,
        confidential_locations=len(locations) - len(public_locations),
        phones=list(service.phones.filter(contact=None)),
        provider_phones=list(service.provider.phones.filter(contact=None, location=None)),
        hours=[s.description for s in service.schedules.all() if s.description],
        contacts=contacts,
        officer=officer,
        stale=rules.is_stale(service.verified_on),
        distance_km=distance,
    )


# --- Records a person keeps up to date ------------------------------------------------------------


def provider_list_editable(*, actor: Actor) -> QuerySet[Provider]:
    """The providers the actor may change: their own organisation's, or all for platformbeheer."""
    if actor.can(Permission.DIRECTORY_MANAGE):
        return Provider.objects.select_related("owner").order_by("name")
    if actor.can(Permission.DIRECTORY_EDIT_OWN):
        return (
            Provider.objects.filter(owner=actor.organisation)
            .select_related("owner")
            .order_by("name")
        )
    events.editing_refused(actor=actor, subject=Subject.SOCIAL_MAP_PROVIDERS, action=Action.READ)


def provider_get_editable(*, actor: Actor, provider_id: int) -> Provider:
    """A provider the actor may change; any other is 'not found' (and the attempt logged)."""
    provider = Provider.objects.select_related("owner").filter(pk=provider_id).first()
    if provider is None or not rules.can_edit(actor, provider):
        events.editing_refused(
            actor=actor, subject=Subject.SOCIAL_MAP_PROVIDER, record_id=provider_id
        )
    return provider


def service_get_editable(*, actor: Actor, service_id: int) -> Service:
    service = Service.objects.select_related("provider__owner").filter(pk=service_id).first()
    if service is None or not rules.can_edit(actor, service.provider):
        events.editing_refused(
            actor=actor, subject=Subject.SOCIAL_MAP_SERVICE, record_id=service_id
        )
    return service


def location_get_editable(*, actor: Actor, location_id: int) -> Location:
    location = Location.objects.select_related("provider__owner").filter(pk=location_id).first()
    if (
        location is None
        or location.provider is None
        or not rules.can_edit(actor, location.provider)
    ):
        events.editing_refused(
            actor=actor, subject=Subject.SOCIAL_MAP_LOCATION, record_id=location_id
        )
    return location


def change_history(uids: list[Any], limit: int = 50) -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(resource_uid__in=uids)[:limit])


# --- Out of date --------------------------------------------------------------------------------


@dataclass
class StaleList:
    """The out-of-date records of one owner (None: kept by the platformbeheerder)."""

    owner: Organisation | None
    providers: list[Provider] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    total: int | None = None
    """How many there are in all, when the lists hold only the oldest (`stale_records`)."""

    @property
    def count(self) -> int:
        return self.total if self.total is not None else len(self.providers) + len(self.services)

    @property
    def shown(self) -> int:
        return len(self.providers) + len(self.services)


def _stale(queryset: QuerySet[Any], days: int | None = None) -> QuerySet[Any]:
    before = rules.stale_before(days)
    return queryset.filter(Q(verified_on__isnull=True) | Q(verified_on__lt=before))


STALE_SHOWN = 50
"""How many out-of-date providers, and how many services, the manage page shows (the oldest)."""


def stale_records(*, providers: QuerySet[Provider], limit: int = STALE_SHOWN) -> StaleList:
    """The out-of-date providers and (findable) services among `providers`: the `limit` oldest
    of each, and how many there are in all (counted in the database)."""
    stale_providers = _stale(providers).order_by("verified_on", "name", "pk")
    stale_services = (
        _stale(Service.objects.filter(provider__in=providers, status__in=FINDABLE_STATUSES))
        .select_related("provider")
        .order_by("verified_on", "name", "pk")
    )
    return StaleList(
        owner=None,
        providers=list(stale_providers[:limit]),
        services=list(stale_services[:limit]),
        total=stale_providers.count() + stale_services.count(),
    )


PROVIDER_PAGE_SIZE = 50


def provider_page(
    *, actor: Actor, search: str = "", page: str | int | None = None
) -> Page[Provider]:
    """One page (50, by name) of the providers the actor may change, with their number of
    services; with `search`, those whose name contains it. In the database."""
    providers = provider_list_editable(actor=actor)
    for word in search.replace("\x00", " ").split():
        providers = providers.filter(name__icontains=word)
    return page_of(providers.annotate(service_count=Count("services")), page, PROVIDER_PAGE_SIZE)


def stale_records_by_owner(days: int | None = None) -> list[StaleList]:
    """Every owner with out-of-date records (for the reminders); platform-kept ones last."""
    lists: dict[int | None, StaleList] = {}
    for provider in _stale(Provider.objects.select_related("owner"), days).order_by("name"):
        lists.setdefault(provider.owner_id, StaleList(owner=provider.owner)).providers.append(
            provider
        )
    stale_services = _stale(
        Service.objects.filter(status__in=FINDABLE_STATUSES), days
    ).select_related("provider__owner")
    for service in stale_services.order_by("verified_on", "name"):
        owner = service.provider.owner
        lists.setdefault(service.provider.owner_id, StaleList(owner=owner)).services.append(service)
    return sorted(lists.values(), key=lambda item: (item.owner is None, str(item.owner or "")))


# --- The routekaart from a case ---------------------------------------------------------------


def officer_for(organisation: Organisation) -> Contact | None:
    """The aandachtsfunctionaris of a member organisation, as its own providers list them."""
    return (
        Contact.objects.filter(provider__owner=organisation, meldcode_officer=True)
        .prefetch_related("phones")
        .order_by("provider__name", "pk")
        .first()
    )


def officer_colleagues(organisation: Organisation) -> list[User]:
    """The organisation's own aandachtsfunctionarissen as Meldwijzer knows them (their role),
    for when the organisation lists none in the sociale kaart."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__organisation=organisation,
            memberships__role=Role.MELDCODE_OFFICER,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def case_suggested_profiles(case: Case) -> list[str]:
    """The family profiles that the case's latest instrument results suggest: the one place the
    sociale kaart reads the instruments app. Call only after `cases.selectors.case_get` allowed
    the case (this adds no access-log row of its own)."""
    from meldwijzer.instruments.selectors import latest_outcomes

    codes = [code for outcome in latest_outcomes(case) for code in outcome.profiles]
    return list(dict.fromkeys(codes))


def route_initial_for_case(case: Case) -> dict[str, Any]:
    """The routekaart form, filled from a case: the forms of violence of its current signals,
    its meldcode step, the unsafety weighed in afweging 2 (acute and/or structural, or none),
    suggested family profiles and the postcode of the organisation (people in a case have no
    address in Meldwijzer)."""
    from meldwijzer.cases.models import EntryKind
    from meldwijzer.cases.selectors import case_urgency, current_entries
    from meldwijzer.social_map.routes import rules as route_rules

    categories = [
        entry.data.get("category")
        for entry in current_entries(case).filter(kind=EntryKind.SIGNAL).order_by("created_at")
    ]
    known = taxonomies.taxonomy(taxonomies.VIOLENCE).terms
    urgency = case_urgency(case)
    return {
        "violence": [code for code in dict.fromkeys(categories) if code in known],
        "profiles": case_suggested_profiles(case),
        "urgency": [code for code in route_rules().urgency if code in urgency],
        "step": case.phase,
        "postcode": case.organisation.postcode,
    }


def reminder_recipients(owner: Organisation | None) -> list[str]:
    """Who is reminded of an owner's out-of-date records: its active functioneel beheerders, or
    for records without an owner the platformbeheerders."""
    memberships = Membership.objects.filter(is_active=True, user__is_active=True)
    if owner is None:
        memberships = memberships.filter(role=Role.PLATFORM_ADMIN)
    else:
        memberships = memberships.filter(role=Role.FUNCTIONAL_ADMIN, organisation=owner)
    emails = memberships.exclude(user__email="").values_list("user__email", flat=True)
    return sorted(set(emails))


def map_version() -> MapVersion:
    """The sociale kaart's current version (number 0 before its first change)."""
    return MapVersion.objects.filter(pk=1).first() or MapVersion(pk=1, number=0)
