"""Reading instruments: which an organisation offers, what its functioneel beheerder may adjust,
and the results in a case.

A case's results and drafts are read only after `cases.selectors.case_get` let the actor see the
case (and logged the read), so the same people see them as see the case page.
Other apps read the latest result per instrument (suggested family profiles, forms of violence,
markings) through `latest_outcomes_for_case`, which checks and logs access itself, or — when they
already read the case through `case_get`, as the case page and the routekaart do — through
`latest_outcomes`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from meldwijzer.cases import rules
from meldwijzer.cases.models import Case
from meldwijzer.cases.selectors import case_get
from meldwijzer.instruments import events
from meldwijzer.instruments.editing import Editor, editor
from meldwijzer.instruments.format import Instrument
from meldwijzer.instruments.loader import definition_data, parse_definition, shipped_instruments
from meldwijzer.instruments.models import (
    InstrumentDefinition,
    InstrumentDraft,
    InstrumentResult,
    OrganisationInstrument,
)
from meldwijzer.instruments.profiles import profile_label
from meldwijzer.instruments.scoring import VIOLENCE_LABELS
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.roles import Permission

_PARSED: dict[str, Instrument] = {}


def definition_instrument(definition: InstrumentDefinition) -> Instrument:
    """The instrument exactly as stored in this definition version (checked when it was loaded)."""
    instrument = _PARSED.get(definition.digest)
    if instrument is None:
        instrument = parse_definition(definition.source_text, definition.filename or definition.key)
        if len(_PARSED) > 256:
            _PARSED.clear()
        _PARSED[definition.digest] = instrument
    return instrument


@dataclass(frozen=True)
class Offered:
    """An instrument an organisation can use, in its current version."""

    key: str
    instrument: Instrument
    shipped: bool
    """The instrument comes with Meldwijzer (the organisation may have adjusted it)."""
    enabled: bool
    definition: InstrumentDefinition | None = None
    """The organisation's own current version: uploaded, or adjusted on the beheer page (None for
    a shipped instrument as Meldwijzer ships it)."""
    versions: list[InstrumentDefinition] = field(default_factory=list)
    """Every version of the organisation's own, oldest first (empty for a shipped instrument
    that was never adjusted)."""

    @property
    def adjusted(self) -> bool:
        """A shipped instrument that the organisation adjusted on the beheer page."""
        return self.shipped and self.definition is not None

    @property
    def shipped_instrument(self) -> Instrument | None:
        """The version Meldwijzer ships now (None for an organisation's own instrument)."""
        return shipped_instruments().get(self.key) if self.shipped else None

    def stored_version(self, version: str) -> InstrumentDefinition | None:
        """One uploaded version by its version number (None if there is none such)."""
        return next((d for d in self.versions if d.version == version), None)


def default_enabled(instrument: Instrument) -> bool:
    """Shipped instruments are on until switched off, except a format example."""
    return not instrument.format_example


def _offered(organisation: Organisation) -> list[Offered]:
    settings = dict(
        OrganisationInstrument.objects.filter(organisation=organisation).values_list(
            "key", "enabled"
        )
    )
    own: dict[str, list[InstrumentDefinition]] = {}
    for definition in InstrumentDefinition.objects.filter(organisation=organisation).select_related(
        "uploaded_by", "based_on"
    ):
        own.setdefault(definition.key, []).append(definition)
    shipped = shipped_instruments()
    offered = []
    for key, instrument in shipped.items():
        versions = own.pop(key, [])  # adjusted on the beheer page: the latest adjustment is used
        offered.append(
            Offered(
                key=key,
                instrument=definition_instrument(versions[-1]) if versions else instrument,
                shipped=True,
                enabled=settings.get(key, default_enabled(instrument)),
                definition=versions[-1] if versions else None,
                versions=versions,
            )
        )
    for key, versions in own.items():
        current = versions[-1]
        offered.append(
            Offered(
                key=key,
                instrument=definition_instrument(current),
                shipped=False,
                enabled=settings.get(key, False),
                definition=current,
                versions=versions,
            )
        )
    return sorted(offered, key=lambda item: (not item.shipped, item.instrument.title.casefold()))


def instrument_catalogue(*, actor: Actor) -> list[Offered]:
    """Every instrument the actor's organisation can offer, for the functioneel beheerder."""
    if not actor.can(Permission.INSTRUMENTS_MANAGE):
        events.catalogue_refused(actor=actor)
    return _offered(actor.organisation)


def instrument_offered(*, actor: Actor, key: str, enabled_only: bool = True) -> Offered | None:
    """One instrument of the actor's organisation by key (by default only when it is on)."""
    for offered in _offered(actor.organisation):
        if offered.key == key and (offered.enabled or not enabled_only):
            return offered
    return None


@dataclass(frozen=True)
class Editable:
    """An instrument the functioneel beheerder is about to adjust."""

    offered: Offered
    editor: Editor
    base_data: dict[str, Any]
    """The data of the base definition, which an adjustment changes."""
    base_definition: InstrumentDefinition | None
    """The stored base (None while a shipped base has not been stored yet)."""


def instrument_editable(*, actor: Actor, key: str) -> Editable:
    """An instrument of the actor's organisation, ready for the editor. Someone without the right
    to manage instruments is refused (403), an instrument outside the organisation is not found
    (404); both refusals are access-logged."""
    if not actor.can(Permission.INSTRUMENTS_MANAGE):
        events.instrument_edit_refused(actor=actor, key=key, not_found=False)
    offered = instrument_offered(actor=actor, key=key, enabled_only=False)
    if offered is None:
        events.instrument_edit_refused(actor=actor, key=key, not_found=True)
    base_definition = None
    base = offered.instrument
    if offered.definition is not None:
        base_definition = offered.definition.based_on or offered.definition
        base = definition_instrument(base_definition)
    base_data = definition_data(base.source_text, key)
    return Editable(
        offered=offered,
        editor=editor(key, base, base_data, offered.instrument),
        base_data=base_data,
        base_definition=base_definition,
    )


def instrument_list(*, actor: Actor) -> list[Offered]:
    """Every instrument of the actor's organisation, switched on or off (definitions only)."""
    return _offered(actor.organisation)


def case_instrument_results(case: Case, key: str = "") -> QuerySet[InstrumentResult]:
    """The results in a case, oldest first. Call only after `case_get` allowed the case."""
    results = case.instrument_results.select_related("author", "definition")
    return results.filter(key=key) if key else results


def instrument_result_get(*, actor: Actor, case_id: int, result_id: int) -> InstrumentResult:
    """One result in a case the actor may see; any other id — a result of another case, none at
    all — is 'not found', logged as refused naming the result asked for and the case it was asked
    in."""
    case = case_get(actor=actor, case_id=case_id, part="instrumenten")
    result = case_instrument_results(case).filter(pk=result_id).first()
    if result is None:
        events.result_refused(actor=actor, case=case, result_id=result_id)
    result.case = case
    return result


def instrument_draft(case: Case, actor: Actor, key: str) -> InstrumentDraft | None:
    """The actor's own draft for this instrument in this case, if any."""
    return (
        InstrumentDraft.objects.select_related("definition")
        .filter(case=case, author=actor.user, key=key)
        .first()
    )


@dataclass(frozen=True)
class CaseInstrument:
    """An instrument as offered on a case: can it be started here, a draft, earlier results."""

    offered: Offered
    can_start: bool
    draft: InstrumentDraft | None
    results: list[InstrumentResult]


def case_instruments(*, case: Case, actor: Actor) -> list[CaseInstrument]:
    """The organisation's instruments for a case page. Call only after `case_get` allowed it."""
    results: dict[str, list[InstrumentResult]] = {}
    for result in case_instrument_results(case):
        results.setdefault(result.key, []).append(result)
    drafts = {
        draft.key: draft
        for draft in InstrumentDraft.objects.filter(case=case, author=actor.user).select_related(
            "definition"
        )
    }
    writable = rules.can_write(actor, case)
    offered = {item.key: item for item in _offered(actor.organisation)}
    for key, earlier in results.items():
        if key not in offered:  # no longer offered: shown from the version its results used
            definition = earlier[-1].definition
            offered[key] = Offered(
                key=key,
                instrument=definition_instrument(definition),
                shipped=definition.shipped,
                enabled=False,
            )
    return [
        CaseInstrument(
            offered=item,
            can_start=item.enabled and writable and case.phase in item.instrument.phases,
            draft=drafts.get(key),
            results=results.get(key, []),
        )
        for key, item in offered.items()
        if item.enabled or key in results or key in drafts
    ]


def case_instrument_startable(*, case: Case, actor: Actor) -> bool:
    """Whether the actor can start an instrument in this case now — one of the organisation's,
    switched on, for the case's step — as `case_instruments` decides `can_start`, without
    reading the case's results and drafts. Call only after `case_get` allowed the case."""
    if not rules.can_write(actor, case):
        return False
    return any(case.phase in instrument.phases for instrument in _enabled(actor.organisation))


def _enabled(organisation: Organisation) -> list[Instrument]:
    """The organisation's instruments that are switched on, each in its current version, as
    `_offered` decides — from the on/off settings and the digest of each own version, so that a
    definition's text is read only for a version not yet checked in this process."""
    settings = dict(
        OrganisationInstrument.objects.filter(organisation=organisation).values_list(
            "key", "enabled"
        )
    )
    own: dict[str, str] = {}  # per key, the digest of its latest own version
    for key, digest in (
        InstrumentDefinition.objects.filter(organisation=organisation)
        .order_by("created_at", "pk")
        .values_list("key", "digest")
    ):
        own[key] = digest
    shipped = shipped_instruments()
    enabled = [
        key
        for key in dict.fromkeys([*shipped, *own])
        if settings.get(key, default_enabled(shipped[key]) if key in shipped else False)
    ]
    digests = {own[key] for key in enabled if key in own}
    parsed = {digest: found for digest in digests if (found := _PARSED.get(digest)) is not None}
    if digests - parsed.keys():
        for definition in InstrumentDefinition.objects.filter(
            organisation=organisation, digest__in=digests - parsed.keys()
        ):
            parsed[definition.digest] = definition_instrument(definition)
    return [parsed[own[key]] if key in own else shipped[key] for key in enabled]


@dataclass(frozen=True)
class LatestOutcome:
    """The latest result of one instrument in a case, as other apps need it."""

    key: str
    title: str
    version: str
    result_id: int
    recorded_at: datetime.datetime
    profiles: tuple[str, ...]
    """Suggested family profile codes (`instruments.profiles.PROFILES`)."""
    violence: tuple[str, ...]
    """Suggested forms of violence (the signal categories of `cases.entries.CATEGORIES`)."""
    flags: tuple[str, ...]
    scores: tuple[dict[str, Any], ...]
    """Per score: id, label, value, highest, band, band_label."""

    @property
    def profile_labels(self) -> list[str]:
        return [profile_label(code) for code in self.profiles]

    @property
    def violence_labels(self) -> list[str]:
        return [VIOLENCE_LABELS.get(code, code) for code in self.violence]


def _latest(results: list[InstrumentResult]) -> list[LatestOutcome]:
    latest: dict[str, InstrumentResult] = {}
    for result in results:
        latest[result.key] = result
    outcomes = []
    for result in latest.values():
        outcome = result.outcome
        outcomes.append(
            LatestOutcome(
                key=result.key,
                title=result.definition.title,
                version=result.version,
                result_id=result.pk,
                recorded_at=result.created_at,
                profiles=tuple(p["code"] for p in outcome.get("profiles", [])),
                violence=tuple(v["code"] for v in outcome.get("violence", [])),
                flags=tuple(f["code"] for f in outcome.get("flags", [])),
                scores=tuple(
                    {k: s[k] for k in ("id", "label", "value", "highest", "band", "band_label")}
                    for s in outcome.get("scores", [])
                ),
            )
        )
    return sorted(outcomes, key=lambda item: item.recorded_at, reverse=True)


def latest_outcomes_for_case(actor: Actor, case: Case) -> list[LatestOutcome]:
    """The latest result per instrument in the case, newest first, if the actor may see the case.
    The read is access-logged; a case out of reach is 'not found'."""
    allowed = case_get(actor=actor, case_id=case.pk, part="instrumenten")
    return _latest(list(case_instrument_results(allowed)))


def latest_outcomes(case: Case) -> list[LatestOutcome]:
    """As `latest_outcomes_for_case`, for pages that already read the case through `case_get`."""
    return _latest(list(case_instrument_results(case)))
