"""Changes: saving an instrument halfway, finishing it into a result in the case, and the
functioneel beheerder's choice, uploads and adjustments of instruments.

Every function takes the actor and checks access itself; each runs in one transaction with its
access-log row. A result is written together with its dossier entry
(`cases.services.case_record_instrument_result`) and the draft it came from is removed.

An adjustment made on the beheer page (`instrument_edit_save`) becomes a new version of the
organisation's own, built by `instruments.editing` and checked by the same loader as an upload;
results and drafts keep the version they were made with.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from meldwijzer.cases import rules
from meldwijzer.cases import services as case_services
from meldwijzer.cases.entries import InstrumentResultEntry, OutcomeCode, ScoreBand
from meldwijzer.cases.models import Case
from meldwijzer.cases.services import CLOSED_MESSAGE, CaseError, CaseInputError
from meldwijzer.cases.workflow import Phase
from meldwijzer.instruments import editing, events
from meldwijzer.instruments.editing import Change, InstrumentEdit
from meldwijzer.instruments.format import Instrument
from meldwijzer.instruments.forms import answers_clean
from meldwijzer.instruments.loader import (
    InstrumentDefinitionError,
    Problem,
    parse_definition,
    parse_upload,
    shipped_instruments,
)
from meldwijzer.instruments.models import (
    InstrumentDefinition,
    InstrumentDraft,
    InstrumentResult,
    OrganisationInstrument,
)
from meldwijzer.instruments.scoring import Answers, InstrumentOutcome, score
from meldwijzer.instruments.selectors import (
    Editable,
    Offered,
    definition_instrument,
    instrument_draft,
    instrument_editable,
    instrument_offered,
)
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission


class InstrumentError(CaseError):
    """A change that is not allowed; the message is shown to the professional."""


class AnswersError(CaseInputError, InstrumentError):
    """Answers that fail their checks; `errors` holds the Dutch message(s) per question."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors, "Nog niet alle vragen zijn (goed) beantwoord.")


PHASE_NAMES: dict[str, str] = {
    Phase.SIGNALS: "stap 1",
    Phase.CONSULTATION: "stap 2",
    Phase.CONVERSATION: "stap 3",
    Phase.WEIGHING: "stap 4",
    Phase.DECIDING: "stap 5",
    Phase.HELP: "de evaluatie van de hulp",
    Phase.REPORTED: "de fase na een melding",
}


def phase_names(instrument: Instrument) -> str:
    """'stap 1, stap 4 of de evaluatie van de hulp'."""
    names = [PHASE_NAMES.get(phase, phase) for phase in instrument.phases]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " of " + names[-1]


def _offered(actor: Actor, key: str) -> Offered:
    offered = instrument_offered(actor=actor, key=key)
    if offered is None:
        raise InstrumentError("Dit instrument is niet (meer) ingeschakeld voor uw organisatie.")
    return offered


def _definition_row(offered: Offered) -> InstrumentDefinition:
    """The stored version of the offered instrument; a shipped one is stored on first use."""
    if offered.definition is not None:
        return offered.definition
    return _shipped_row(offered.instrument)


def _shipped_row(instrument: Instrument) -> InstrumentDefinition:
    row, _ = InstrumentDefinition.objects.get_or_create(
        organisation=None,
        key=instrument.key,
        digest=instrument.digest,
        defaults={
            "version": instrument.version,
            "title": instrument.title,
            "source_text": instrument.source_text,
            "filename": f"{instrument.key}.yaml",
            "created_at": timezone.now(),
        },
    )
    return row


def _require_writer(actor: Actor, case: Case) -> None:
    if not rules.can_write(actor, case):
        raise InstrumentError("U mag in deze casus geen instrument invullen.")


def _answering(
    actor: Actor, case: Case, key: str
) -> tuple[InstrumentDefinition, InstrumentDraft | None]:
    """Which stored version the actor answers: the one of their draft, or else the current one
    (which may only be started in the instrument's phases)."""
    _require_writer(actor, case)
    if not case.workflow.may_record:
        raise InstrumentError(CLOSED_MESSAGE)
    offered = _offered(actor, key)
    draft = instrument_draft(case, actor, key)
    if draft is not None:
        return draft.definition, draft
    if case.phase not in offered.instrument.phases:
        raise InstrumentError(
            f"Dit instrument vult u in bij {phase_names(offered.instrument)}; "
            f"de casus is nu in {Phase(case.phase).label}."
        )
    return _definition_row(offered), None


def answering_instrument(
    *, actor: Actor, case: Case, key: str
) -> tuple[Instrument, InstrumentDraft | None]:
    """The instrument (in the version the actor answers) and their draft, for the form page."""
    definition, draft = _answering(actor, case, key)
    return definition_instrument(definition), draft


def _checked_answers(
    definition: InstrumentDefinition, answers: Mapping[str, Any], *, complete: bool
) -> Answers:
    """The answers checked against the version they are stored with, or `AnswersError`."""
    checked, errors = answers_clean(definition_instrument(definition), answers, complete=complete)
    if errors:
        raise AnswersError(errors)
    return checked


@transaction.atomic
def instrument_draft_save(
    *, actor: Actor, case: Case, key: str, answers: Mapping[str, Any]
) -> InstrumentDraft:
    """Save the answers so far (question id → text or whole number); finishing comes later. One
    draft per person, case and instrument."""
    definition, draft = _answering(actor, case, key)
    checked = _checked_answers(definition, answers, complete=False)
    now = timezone.now()
    draft, created = InstrumentDraft.objects.update_or_create(
        case=case,
        author=actor.user,
        key=key,
        defaults={"answers": checked, "updated_at": now},
        create_defaults={
            "answers": checked,
            "updated_at": now,
            "created_at": now,
            "definition": definition,
        },
    )
    events.draft_saved(actor=actor, case=case, created=created)
    return draft


@transaction.atomic
def instrument_draft_discard(*, actor: Actor, case: Case, key: str) -> None:
    _require_writer(actor, case)
    deleted, _ = InstrumentDraft.objects.filter(case=case, author=actor.user, key=key).delete()
    if deleted:
        events.draft_discarded(actor=actor, case=case)


def _result_entry(
    instrument: Instrument, definition: InstrumentDefinition, outcome: InstrumentOutcome
) -> InstrumentResultEntry:
    """What the dossier entry keeps of the result: the outcome as codes with their labels (the
    answers and reasons stay with the result)."""
    return InstrumentResultEntry(
        key=instrument.key,
        title=instrument.title,
        kind_label=instrument.kind_label,
        version=instrument.version,
        digest=definition.digest,
        scores=tuple(
            ScoreBand(
                id=s.id,
                label=s.label,
                value=s.value,
                highest=s.highest,
                band=s.band,
                band_label=s.band_label,
            )
            for s in outcome.scores
        ),
        flags=tuple(OutcomeCode(f.code, f.label) for f in outcome.flags),
        profiles=tuple(OutcomeCode(p.code, p.label) for p in outcome.profiles),
        violence=tuple(OutcomeCode(v.code, v.label) for v in outcome.violence),
        note=outcome.note,
    )


@transaction.atomic
def instrument_result_record(
    *, actor: Actor, case: Case, key: str, answers: Mapping[str, Any]
) -> InstrumentResult:
    """Finish the instrument: check that every required question is answered, score it, record
    the result and its dossier entry, drop the draft. Wrong or missing answers are refused with
    a message per question (`AnswersError`) and change nothing."""
    definition, draft = _answering(actor, case, key)
    checked = _checked_answers(definition, answers, complete=True)
    instrument = definition_instrument(definition)
    outcome = score(instrument, checked)
    if not outcome.complete:  # pragma: no cover - the check above already requires these
        raise InstrumentError("Nog niet alle verplichte vragen zijn beantwoord.")
    entry = case_services.case_record_instrument_result(
        actor=actor,
        case=case,
        expected_version=case.version,
        result=_result_entry(instrument, definition, outcome),
    )
    result = InstrumentResult.objects.create(
        case=case,
        entry=entry,
        definition=definition,
        key=instrument.key,
        version=instrument.version,
        digest=definition.digest,
        answers=checked,
        outcome=outcome.as_data(),
        phase=entry.phase,
        author=actor.user,
        organisation=actor.organisation,
        created_at=entry.created_at,
    )
    if draft is not None:
        draft.delete()
    return result


# --- Functioneel beheer -------------------------------------------------------------------------


def _require_manager(actor: Actor) -> None:
    if not actor.can(Permission.INSTRUMENTS_MANAGE):
        raise InstrumentError("Met uw rol beheert u geen instrumenten.")


@transaction.atomic
def instrument_upload(
    *, actor: Actor, data: bytes, filename: str, enable: bool
) -> InstrumentDefinition:
    """Load an organisation's own instrument (or a new version of it). The file is checked
    completely first; if anything is wrong nothing is stored and every problem is reported
    (`InstrumentDefinitionError`). Older versions stay, for the results made with them."""
    _require_manager(actor)
    source = filename or "upload.yaml"
    instrument = parse_upload(data, source)
    if instrument.key in shipped_instruments():
        raise InstrumentDefinitionError(
            source,
            [
                Problem(
                    "veld 'key'",
                    f"'{instrument.key}' is de sleutel van een instrument dat met Meldwijzer "
                    "wordt meegeleverd; kies een eigen sleutel",
                )
            ],
        )
    organisation = actor.organisation
    same = InstrumentDefinition.objects.filter(
        organisation=organisation, key=instrument.key, version=instrument.version
    ).first()
    if same is not None:
        message = (
            "dit bestand is al geladen"
            if same.digest == instrument.digest
            else f"versie {instrument.version} bestaat al met een andere inhoud; geef de nieuwe "
            "versie een eigen versienummer (de oude blijft nodig voor eerdere uitkomsten)"
        )
        raise InstrumentDefinitionError(source, [Problem("veld 'version'", message)])
    now = timezone.now()
    definition = InstrumentDefinition.objects.create(
        organisation=organisation,
        key=instrument.key,
        version=instrument.version,
        title=instrument.title,
        source_text=instrument.source_text,
        digest=instrument.digest,
        filename=source[:200],
        uploaded_by=actor.user,
        created_at=now,
    )
    OrganisationInstrument.objects.update_or_create(
        organisation=organisation,
        key=instrument.key,
        defaults={"enabled": enable, "changed_by": actor.user, "changed_at": now},
    )
    events.instrument_added(actor=actor, key=instrument.key, version=instrument.version)
    return definition


@transaction.atomic
def instrument_set_enabled(*, actor: Actor, key: str, enabled: bool) -> Offered:
    """Switch an instrument on or off for the professionals of the actor's organisation.
    Existing results and drafts stay; a switched-off instrument cannot be started or finished."""
    _require_manager(actor)
    offered = instrument_offered(actor=actor, key=key, enabled_only=False)
    if offered is None:
        raise InstrumentError("Dit instrument bestaat niet voor uw organisatie.")
    _switch(actor, key, enabled)
    return offered


def _switch(actor: Actor, key: str, enabled: bool) -> None:
    OrganisationInstrument.objects.update_or_create(
        organisation=actor.organisation,
        key=key,
        defaults={"enabled": enabled, "changed_by": actor.user, "changed_at": timezone.now()},
    )
    events.instrument_switched(actor=actor, key=key, enabled=enabled)


# --- Adjusting an instrument on the beheer page ---------------------------------------------------


class InstrumentEditError(InstrumentError):
    """An adjustment that cannot become a version. `problems` are the loader's (or the editor's)
    problems, each with the field it belongs to (`Problem.path`); nothing was stored."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(problem.message for problem in problems))


class InstrumentEditConflict(InstrumentError):
    """Someone saved another version after the beheerder opened the editor."""


CONFLICT_MESSAGE = (
    "Intussen is er een andere versie van dit instrument opgeslagen. Uw aanpassing is niet "
    "opgeslagen; open ‘Aanpassen’ opnieuw."
)


@dataclass(frozen=True)
class EditPreview:
    """What saving an adjustment would do, shown before it is saved."""

    editable: Editable
    instrument: Instrument
    """The new version as the loader built it."""
    changes: list[Change]
    """Against the current version; empty when only on/off changes (then no new version)."""
    shipped_changes: list[Change]
    """Against the version Meldwijzer ships (shipped instruments only)."""
    enabled: bool
    """On or off for the professionals after saving."""

    @property
    def new_version(self) -> bool:
        return bool(self.changes)

    @property
    def switches(self) -> bool:
        return self.enabled != self.editable.offered.enabled


def _where(path: tuple[str, ...]) -> str:
    kind = path[0] if path else ""
    if kind == "question":
        return f"vraag '{path[1]}'"
    if kind == "score":
        return f"score '{path[1]}'"
    if kind == "band":
        return f"score '{path[1]}', band '{path[2]}'"
    return "algemeen"


def _problems(found: list[tuple[tuple[str, ...], str]]) -> list[Problem]:
    return [Problem(_where(path), message, path) for path, message in found]


def _preview(
    actor: Actor, editable: Editable, edit: InstrumentEdit, based_on_version: str
) -> EditPreview:
    offered = editable.offered
    if based_on_version != offered.instrument.version:
        raise InstrumentEditConflict(CONFLICT_MESSAGE)
    unknown = editing.unknown_parts(editable.editor, edit)
    if unknown:
        raise InstrumentEditError(_problems(unknown))
    full = editing.resolved(editable.editor, edit)
    refused = editing.switch_problems(editable.editor, full)
    if refused:
        raise InstrumentEditError(_problems(refused))
    base = editable.editor.base
    version = editing.next_version(base.version, {d.version for d in offered.versions})
    data = editing.edit_definition_data(editable.base_data, full, version=version)
    note = editing.adjustment_note(
        organisation=str(actor.organisation), base=base, on=timezone.localdate()
    )
    try:
        instrument = parse_definition(
            editing.definition_text(data, note=note), f"{offered.key}-{version}.yaml"
        )
    except InstrumentDefinitionError as error:
        raise InstrumentEditError(error.problems) from None
    found = editing.changes(offered.instrument, instrument)
    enabled = offered.enabled if edit.enabled is None else edit.enabled
    if not found and enabled == offered.enabled:
        raise InstrumentEditError([Problem("algemeen", "U hebt nog niets veranderd.")])
    shipped = offered.shipped_instrument
    return EditPreview(
        editable=editable,
        instrument=instrument,
        changes=found,
        shipped_changes=editing.changes(shipped, instrument) if shipped and found else [],
        enabled=enabled,
    )


def instrument_edit_preview(
    *, actor: Actor, key: str, edit: InstrumentEdit, based_on_version: str
) -> EditPreview:
    """Check an adjustment as saving would, without saving: what would change, or every problem
    (`InstrumentEditError`). `based_on_version` is the version the beheerder started from."""
    editable = instrument_editable(actor=actor, key=key)
    return _preview(actor, editable, edit, based_on_version)


@dataclass(frozen=True)
class EditSaved:
    preview: EditPreview
    definition: InstrumentDefinition | None
    """The new version (None when only on/off changed)."""


def instrument_edit_save(
    *, actor: Actor, key: str, edit: InstrumentEdit, based_on_version: str
) -> EditSaved:
    """Save an adjustment as a new version of the organisation's own, checked exactly like an
    upload; switch the instrument on or off if asked. New results use the new version; results
    and drafts made earlier keep theirs. Only the functioneel beheerder of the organisation
    (INSTRUMENTS_MANAGE); refusals are access-logged, and nothing is stored on any problem."""
    editable = instrument_editable(actor=actor, key=key)
    preview = _preview(actor, editable, edit, based_on_version)
    return _store_edit(actor, preview)


@transaction.atomic
def _store_edit(actor: Actor, preview: EditPreview) -> EditSaved:
    editable = preview.editable
    offered = editable.offered
    latest = (
        InstrumentDefinition.objects.filter(organisation=actor.organisation, key=offered.key)
        .order_by("created_at", "pk")
        .last()
    )
    current = offered.definition
    if (latest.pk if latest else None) != (current.pk if current else None):
        raise InstrumentEditConflict(CONFLICT_MESSAGE)
    definition = None
    if preview.new_version:
        instrument = preview.instrument
        try:
            with transaction.atomic():
                definition = InstrumentDefinition.objects.create(
                    organisation=actor.organisation,
                    key=offered.key,
                    version=instrument.version,
                    title=instrument.title,
                    source_text=instrument.source_text,
                    digest=instrument.digest,
                    filename="",
                    uploaded_by=actor.user,
                    based_on=editable.base_definition or _shipped_row(editable.editor.base),
                    created_at=timezone.now(),
                )
        except IntegrityError:
            raise InstrumentEditConflict(CONFLICT_MESSAGE) from None
        events.instrument_adapted(actor=actor, key=offered.key, version=instrument.version)
    if preview.switches:
        _switch(actor, offered.key, preview.enabled)
    return EditSaved(preview=preview, definition=definition)
