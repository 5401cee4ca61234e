"""The platform's own cases as a source of the datalab.

Meldwijzer itself holds the meldcode cases of the organisations working in the datalab's
municipality. `platform_rows` turns them into rows of the shared file, exactly as a partner's
pseudonymise step would: persons as research pseudonyms made with the region's key that the caller
passes in (read from the key file by the command — never from the settings, which hold the
datalab's own key), age bands, PC4. The rows are written to a file (`meldwijzer datalab
export-cases`) and imported like any partner's file, so the datalab never reads the cases
directly.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from meldwijzer.cases.models import REPORT_SUBJECTS, Case, EntryKind
from meldwijzer.cases.models import Outcome as CaseOutcome
from meldwijzer.datalab import schema
from meldwijzer.datalab.imports import date_parse
from meldwijzer.datalab.models import (
    Outcome,
    PersonRole,
    ReporterRole,
    ReporterSector,
    ViolenceKind,
)
from meldwijzer.datalab.pseudonymise import KEY_PURPOSE, age_band, bsn_normalise, pc4
from meldwijzer.organisations.models import Organisation, Sector
from meldwijzer.privacy.pseudonyms import key_id, regional_pseudonym

SECTORS: dict[str, str] = {
    Sector.EDUCATION: ReporterSector.EDUCATION,
    Sector.CHILDCARE: ReporterSector.CHILDCARE,
    Sector.HEALTHCARE: ReporterSector.HEALTH,
    Sector.GENERAL_PRACTICE: ReporterSector.HEALTH,
    Sector.PUBLIC_HEALTH: ReporterSector.HEALTH,
    Sector.YOUTH_CARE: ReporterSector.YOUTH,
    Sector.SOCIAL_SUPPORT: ReporterSector.SOCIAL,
    Sector.POLICE_JUSTICE: ReporterSector.POLICE,
}
"""The organisation's sector as the reporter's; any other sector is 'overig'."""

OUTCOMES: dict[str, str] = {
    CaseOutcome.CLOSE: Outcome.CLOSED,
    CaseOutcome.CLOSE_FOLLOWUP: Outcome.CLOSED,
    CaseOutcome.HELP: Outcome.TRANSFER,
}
"""A closed case's decision as an outcome. After a report to Veilig Thuis, what Veilig Thuis did
is not in the case: the outcome stays empty."""


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _reported_to_veilig_thuis(case: Case) -> datetime.date | None:
    """The day of the report to Veilig Thuis, when the case records one (not corrected away)."""
    for entry in case.entries.all():
        if entry.kind == EntryKind.REPORT and not hasattr(entry, "corrected_by"):
            day, problem = date_parse(str(entry.data.get("date", "")))
            if day and not problem:
                return day
    return None


def case_row(case: Case, *, key: str, key_identity: str) -> dict[str, str]:
    """One case as a shared-file row."""
    reported = _reported_to_veilig_thuis(case) or timezone.localdate(case.opened_at)
    closed = _day(case.closed_at)
    row: dict[str, str] = {c.name: "" for c in schema.SHARED_COLUMNS}
    row.update(
        {
            "kenmerk": case.reference,
            "meldingsdatum": reported.isoformat(),
            # Cases on the platform are a professional's: the reporter is the organisation.
            "melder_rol": ReporterRole.PROFESSIONAL,
            "melder_sector": SECTORS.get(case.organisation.sector, ReporterSector.OTHER),
            # soort_melding: left empty, so the datalab derives it from the earlier records.
            "soort_melding": "",
            # aard: a case names whom the concern is about, not the kind of violence; a child's
            # case is counted as child abuse, an adult's as other domestic violence.
            "aard": (
                ViolenceKind.CHILD_ABUSE if case.client == "kind" else ViolenceKind.OTHER_DOMESTIC
            ),
            # vormen: signals are free text in the dossier; no form of violence is recorded.
            "vormen": "",
            # The case in the datalab's sense starts with the report; the meldcode steps before
            # it have no counterpart.
            "casus_start": reported.isoformat(),
            # eerste_actie: the platform does not record when help started after the report.
            "eerste_actie": "",
            "casus_einde": max(closed, reported).isoformat() if closed else "",
            "uitkomst": OUTCOMES.get(case.outcome, "") if closed else "",
            "sleutel_id": key_identity,
        }
    )
    persons = [p for p in case.persons.all() if not hasattr(p, "replaced_by")]
    persons.sort(key=lambda p: (p.kind not in REPORT_SUBJECTS, p.pk))
    for person in persons:
        code = pc4(person.postcode)
        if code:
            row["pc4"] = code
            break
    for n, person in enumerate(persons[: schema.PERSONS], start=1):
        prefix = f"persoon_{n}_"
        born = person.date_of_birth
        row[prefix + "pseudoniem"] = regional_pseudonym(
            key=key, bsn=bsn_normalise(person.bsn), name=person.name, date_of_birth=born
        )
        if born and born <= reported:
            row[prefix + "leeftijdsklasse"] = age_band(born=born, on=reported)
        elif person.age is not None:
            # Only an age is known: its band (the age may be a little older than at the report).
            row[prefix + "leeftijdsklasse"] = (
                "95+" if person.age >= 95 else (f"{person.age // 5 * 5}-{person.age // 5 * 5 + 4}")
            )
        # The case has no perpetrator: the child or adult client is the victim, the others are
        # involved.
        row[prefix + "rol"] = (
            PersonRole.VICTIM if person.kind in REPORT_SUBJECTS else PersonRole.OTHER
        )
    return row


def platform_rows(*, organisation: Organisation, key: str) -> list[dict[str, str]]:
    """Shared-file rows for the cases of the organisations working in the datalab's municipality,
    pseudonymised with the region's `key`."""
    municipality = organisation.municipality_id
    organisations = Organisation.objects.filter(
        Q(municipality_id=municipality) | Q(works_in__id=municipality)
    ).values("pk")
    cases = (
        Case.objects.filter(organisation__in=organisations)
        .select_related("organisation")
        .prefetch_related("entries__corrected_by", "persons__replaced_by")
        .order_by("opened_at", "pk")
    )
    identity = key_id(key, KEY_PURPOSE)
    return [case_row(case, key=key, key_identity=identity) for case in cases]
