"""Coverage of the meldcode in a municipality: does every organisation in the sectors under the law
have an aandachtsfunctionaris and a meldcode, and are its professionals trained?

Raw figures, per organisation working in the municipality (based there or with the municipality
in its working area) in a sector that must use the meldcode. Whether an organisation has an
aandachtsfunctionaris or adopted a meldcode is a fact about the organisation, shown by name. The
numbers of professionals are counts of people: the datalab protects them before anyone sees them
(`datalab/coverage.py`). A fixed number of queries, however many organisations.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from meldwijzer.organisations.models import Membership, Municipality, Organisation, Sector
from meldwijzer.organisations.roles import CLIENT_DATA_ROLES
from meldwijzer.trainings.models import MeldcodeAdoption, OfficerRegistration, TrainingRecord
from meldwijzer.trainings.registry import Status, latest, status_of

LAW_SECTORS: tuple[str, ...] = (
    Sector.EDUCATION,
    Sector.CHILDCARE,
    Sector.HEALTHCARE,
    Sector.GENERAL_PRACTICE,
    Sector.YOUTH_CARE,
    Sector.SOCIAL_SUPPORT,
    Sector.PUBLIC_HEALTH,
    Sector.POLICE_JUSTICE,
    Sector.VEILIG_THUIS,
)
"""The sectors that must use a meldcode (Wet verplichte meldcode); not the municipality's own
offices and not 'overig'."""


@dataclass(frozen=True)
class OrganisationCoverage:
    id: int
    name: str
    sector: str
    has_officer: bool
    officers: int
    adopted_on: datetime.date | None
    professionals: int
    trained: int
    """Professionals whose latest training is not overdue."""
    overdue: int
    """Professionals whose latest training is overdue."""

    @property
    def untrained(self) -> int:
        """Professionals with no training recorded."""
        return self.professionals - self.trained - self.overdue

    @property
    def sector_label(self) -> str:
        return Sector(self.sector).label


def organisations_in(municipality: Municipality) -> list[Organisation]:
    return list(
        Organisation.objects.filter(is_active=True, sector__in=LAW_SECTORS)
        .filter(Q(municipality=municipality) | Q(works_in=municipality))
        .distinct()
        .order_by("sector", "name")
    )


def coverage_per_organisation(
    *, municipality: Municipality, today: datetime.date
) -> list[OrganisationCoverage]:
    """The raw coverage of every organisation under the law working in the municipality."""
    organisations = organisations_in(municipality)
    ids = [o.pk for o in organisations]
    officers: dict[int, int] = defaultdict(int)
    for org_id in (
        OfficerRegistration.objects.filter(
            organisation_id__in=ids, started_on__lte=today, user__is_active=True
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .values_list("organisation_id", flat=True)
    ):
        officers[org_id] += 1
    adopted: dict[int, datetime.date] = {}
    for org_id, adopted_on in MeldcodeAdoption.objects.filter(
        organisation_id__in=ids, adopted_on__lte=today
    ).values_list("organisation_id", "adopted_on"):
        if org_id not in adopted or adopted_on > adopted[org_id]:
            adopted[org_id] = adopted_on
    people: dict[int, set[int]] = defaultdict(set)
    for org_id, user_id in (
        Membership.objects.filter(
            organisation_id__in=ids,
            is_active=True,
            role__in=CLIENT_DATA_ROLES,
            user__is_active=True,
        )
        .values_list("organisation_id", "user_id")
        .distinct()
    ):
        people[org_id].add(user_id)
    records: dict[tuple[int, int], list[TrainingRecord]] = defaultdict(list)
    for record in TrainingRecord.objects.filter(organisation_id__in=ids).only(
        "pk", "organisation_id", "user_id", "completed_on", "refresh_months"
    ):
        records[(record.organisation_id, record.user_id)].append(record)
    result = []
    for organisation in organisations:
        trained = overdue = 0
        for user_id in people[organisation.pk]:
            status = status_of(latest(records.get((organisation.pk, user_id), [])), today)
            if status == Status.OVERDUE:
                overdue += 1
            elif status != Status.NONE:
                trained += 1
        result.append(
            OrganisationCoverage(
                id=organisation.pk,
                name=organisation.name,
                sector=organisation.sector,
                has_officer=officers[organisation.pk] > 0,
                officers=officers[organisation.pk],
                adopted_on=adopted.get(organisation.pk),
                professionals=len(people[organisation.pk]),
                trained=trained,
                overdue=overdue,
            )
        )
    return result


@dataclass(frozen=True)
class SectorCoverage:
    sector: str
    organisations: int
    with_officer: int
    with_meldcode: int
    professionals: int
    trained: int
    overdue: int

    @property
    def untrained(self) -> int:
        return self.professionals - self.trained - self.overdue

    @property
    def label(self) -> str:
        return Sector(self.sector).label


def coverage_per_sector(rows: list[OrganisationCoverage]) -> list[SectorCoverage]:
    """Totals per sector under the law (every sector, also one without organisations)."""
    totals = []
    for sector in LAW_SECTORS:
        mine = [r for r in rows if r.sector == sector]
        totals.append(
            SectorCoverage(
                sector=sector,
                organisations=len(mine),
                with_officer=sum(r.has_officer for r in mine),
                with_meldcode=sum(r.adopted_on is not None for r in mine),
                professionals=sum(r.professionals for r in mine),
                trained=sum(r.trained for r in mine),
                overdue=sum(r.overdue for r in mine),
            )
        )
    return totals
