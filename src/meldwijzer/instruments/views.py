"""Pages: instruments on a case (fill in, save halfway, finish, see the outcome, compare), and the
functioneel beheerder's pages to choose, upload and adjust instruments.

Case pages read the case through `cases.selectors.case_get` (access rules and access log) and
write through `instruments.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.cases.selectors import case_get
from meldwijzer.cases.services import CaseError, ConcurrentEditError
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.downloads import attachment_response
from meldwijzer.instruments import selectors, services
from meldwijzer.instruments.display import comparison, outcome_view
from meldwijzer.instruments.format import Instrument
from meldwijzer.instruments.forms import (
    OFF,
    AnswersForm,
    EditForm,
    EnableForm,
    UploadForm,
    initial_answers,
)
from meldwijzer.instruments.loader import MAX_SOURCE_BYTES, InstrumentDefinitionError
from meldwijzer.instruments.models import InstrumentDraft
from meldwijzer.instruments.scoring import is_answered
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

SAVE, FINISH, DISCARD = "opslaan", "afronden", "verwijderen"
PREVIEW, BACK = "bekijken", "terug"


def _case_url(case: Case) -> str:
    return reverse("instruments:case", kwargs={"case_id": case.pk})


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """What the case page offers for instruments: filling one in, when one can be started in the
    case's step (registered in `InstrumentsConfig.ready`; see `cases.extensions`)."""
    if not selectors.case_instrument_startable(case=case, actor=actor):
        return []
    return [CaseAction(label="Screening of risicotaxatie invullen", url=_case_url(case))]


@actor_required(Permission.CASE_WORK)
def case_instruments_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = case_get(actor=actor, case_id=case_id, part="instrumenten")
    rows = [
        {
            "instrument": row,
            "phases": services.phase_names(row.offered.instrument),
            "draft_answered": _answered(row.offered.instrument, row.draft),
        }
        for row in selectors.case_instruments(case=case, actor=actor)
    ]
    return render(request, "instruments/case_instruments.html", {"case": case, "rows": rows})


def _answered(instrument: Instrument, draft: InstrumentDraft | None) -> int:
    items = instrument.items
    answers = draft.answers if draft is not None else {}
    return sum(1 for key, value in answers.items() if key in items and is_answered(value))


def _fill_page(
    request: HttpRequest,
    case: Case,
    instrument: Instrument,
    draft: InstrumentDraft | None,
    form: AnswersForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "instruments/fill.html",
        {
            "case": case,
            "instrument": instrument,
            "draft": draft,
            "form": form,
            "answered": _answered(instrument, draft),
            "total": len(instrument.items),
            "actions": {"save": SAVE, "finish": FINISH, "discard": DISCARD},
        },
        status=status,
    )


@actor_required(Permission.CASE_WORK)
def fill_view(request: HttpRequest, case_id: int, key: str) -> HttpResponse:
    actor = current_actor(request)
    case = case_get(actor=actor, case_id=case_id, part="instrumenten")
    action = request.POST.get("actie", SAVE)
    if request.method == "POST" and action == DISCARD:
        try:
            services.instrument_draft_discard(actor=actor, case=case, key=key)
        except CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Het concept is verwijderd.")
        return redirect(_case_url(case))
    try:
        instrument, draft = services.answering_instrument(actor=actor, case=case, key=key)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect(_case_url(case))
    if request.method != "POST":
        initial = initial_answers(instrument, draft.answers) if draft else None
        return _fill_page(
            request, case, instrument, draft, AnswersForm(instrument=instrument, initial=initial)
        )

    partial = AnswersForm(request.POST, instrument=instrument)
    if not partial.is_valid():
        return _fill_page(request, case, instrument, draft, partial)
    try:
        draft = services.instrument_draft_save(
            actor=actor, case=case, key=key, answers=partial.answers()
        )
    except CaseError as error:
        partial.add_error(None, str(error))
        return _fill_page(request, case, instrument, draft, partial, status=400)
    if action != FINISH:
        messages.success(
            request,
            "Uw antwoorden zijn tussentijds opgeslagen. U kunt later verder gaan; het concept "
            "hoort pas bij het dossier als u het afrondt.",
        )
        return redirect("instruments:fill", case_id=case.pk, key=key)

    complete = AnswersForm(request.POST, instrument=instrument, complete=True)
    if not complete.is_valid():
        complete.add_error(
            None,
            "Nog niet alle vragen zijn beantwoord. Uw antwoorden tot nu toe zijn opgeslagen als "
            "concept.",
        )
        return _fill_page(request, case, instrument, draft, complete)
    try:
        result = services.instrument_result_record(
            actor=actor, case=case, key=key, answers=complete.answers()
        )
    except CaseError as error:
        complete.add_error(None, str(error))
        complete.add_error(None, "Uw antwoorden staan als concept opgeslagen.")
        status = 409 if isinstance(error, ConcurrentEditError) else 400
        return _fill_page(request, case, instrument, draft, complete, status=status)
    messages.success(request, "Het instrument is afgerond en de uitkomst staat in het dossier.")
    return redirect("instruments:result", case_id=case.pk, result_id=result.pk)


@actor_required(Permission.CASE_WORK)
def result_view(request: HttpRequest, case_id: int, result_id: int) -> HttpResponse:
    actor = current_actor(request)
    result = selectors.instrument_result_get(actor=actor, case_id=case_id, result_id=result_id)
    same = list(selectors.case_instrument_results(result.case, result.key))
    return render(
        request,
        "instruments/result.html",
        {
            "case": result.case,
            "result": result,
            "view": outcome_view(result),
            "earlier": [r for r in same if r.pk != result.pk],
            "can_compare": len(same) > 1,
        },
    )


@actor_required(Permission.CASE_WORK)
def compare_view(request: HttpRequest, case_id: int, key: str) -> HttpResponse:
    actor = current_actor(request)
    case = case_get(actor=actor, case_id=case_id, part="instrumenten")
    results = list(selectors.case_instrument_results(case, key))
    if not results:
        raise Http404("Geen uitkomsten van dit instrument in deze casus.")
    return render(
        request,
        "instruments/compare.html",
        {
            "case": case,
            "key": key,
            "compared": comparison(results),
            "title": results[-1].definition.title,
        },
    )


# --- Functioneel beheer -------------------------------------------------------------------------


@actor_required(Permission.INSTRUMENTS_MANAGE)
def manage_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    return render(
        request,
        "instruments/manage.html",
        {"catalogue": selectors.instrument_catalogue(actor=actor), "form": UploadForm()},
    )


@actor_required(Permission.INSTRUMENTS_MANAGE)
def upload_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    problems: list[str] = []
    filename = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        filename = str(upload.name or "")[:200]
        try:
            definition = services.instrument_upload(
                actor=actor,
                data=upload.read(MAX_SOURCE_BYTES + 1),
                filename=filename,
                enable=form.cleaned_data["enable"],
            )
        except InstrumentDefinitionError as error:
            problems = error.lines()
            status = 400
        else:
            messages.success(
                request,
                f"‘{definition.title}’ versie {definition.version} is geladen"
                + (" en ingeschakeld." if form.cleaned_data["enable"] else ", maar staat nog uit."),
            )
            return redirect("instruments:definition", key=definition.key)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "instruments/upload.html",
        {"form": form, "problems": problems, "filename": filename},
        status=status,
    )


def _offered_or_404(request: HttpRequest, key: str) -> selectors.Offered:
    offered = selectors.instrument_offered(
        actor=current_actor(request), key=key, enabled_only=False
    )
    if offered is None:
        raise Http404("Onbekend instrument.")
    return offered


@actor_required(Permission.INSTRUMENTS_MANAGE)
def definition_view(request: HttpRequest, key: str) -> HttpResponse:
    offered = _offered_or_404(request, key)
    return render(
        request,
        "instruments/definition.html",
        {
            "offered": offered,
            "instrument": offered.instrument,
            "phases": services.phase_names(offered.instrument),
        },
    )


@require_POST
@actor_required(Permission.INSTRUMENTS_MANAGE)
def toggle_view(request: HttpRequest, key: str) -> HttpResponse:
    actor = current_actor(request)
    form = EnableForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies aan of uit.")
        return redirect("instruments:manage")
    try:
        offered = services.instrument_set_enabled(
            actor=actor, key=key, enabled=form.cleaned_data["enabled"]
        )
    except CaseError as error:
        messages.error(request, str(error))
        return redirect("instruments:manage")
    state = "ingeschakeld" if form.cleaned_data["enabled"] else "uitgeschakeld"
    messages.success(request, f"‘{offered.instrument.title}’ is {state}.")
    if request.POST.get("terug") == "instrument":
        return redirect("instruments:definition", key=key)
    return redirect("instruments:manage")


@actor_required(Permission.INSTRUMENTS_MANAGE)
def source_view(request: HttpRequest, key: str) -> HttpResponse:
    """The definition file itself, to read or to start an own instrument from."""
    offered = _offered_or_404(request, key)
    text = offered.instrument.source_text
    version = request.GET.get("versie", "")
    if version and offered.versions:
        match = offered.stored_version(version)
        if match is None:
            raise Http404("Onbekende versie.")
        text, version = match.source_text, match.version
    else:
        version = offered.instrument.version
    return attachment_response(
        text, filename=f"{key}-{version}.yaml", content_type="application/yaml; charset=utf-8"
    )


def _edit_page(
    request: HttpRequest,
    editable: selectors.Editable,
    form: EditForm,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "instruments/edit.html",
        {"offered": editable.offered, "instrument": editable.offered.instrument, "form": form},
        status=status,
    )


@actor_required(Permission.INSTRUMENTS_MANAGE)
def edit_view(request: HttpRequest, key: str) -> HttpResponse:
    """Adjust an instrument: fill in the form, see what changes, then save it as a new version."""
    actor = current_actor(request)
    editable = selectors.instrument_editable(actor=actor, key=key)
    offered = editable.offered
    if request.method != "POST":
        return _edit_page(
            request, editable, EditForm(editor=editable.editor, enabled=offered.enabled)
        )
    form = EditForm(request.POST, editor=editable.editor, enabled=offered.enabled)
    action = request.POST.get("actie", PREVIEW)
    if action == BACK:
        form.is_valid()
        return _edit_page(request, editable, form)
    if not form.is_valid():
        return _edit_page(request, editable, form, status=400)
    edit, version = form.to_edit(), form.based_on_version
    try:
        if action == SAVE:
            saved = services.instrument_edit_save(
                actor=actor, key=key, edit=edit, based_on_version=version
            )
        else:
            preview = services.instrument_edit_preview(
                actor=actor, key=key, edit=edit, based_on_version=version
            )
    except services.InstrumentEditConflict as error:
        form.add_error(None, str(error))
        return _edit_page(request, editable, form, status=409)
    except services.InstrumentEditError as error:
        form.add_problems(error.problems)
        return _edit_page(request, editable, form, status=400)
    if action == SAVE:
        preview = saved.preview
        done = []
        if saved.definition is not None:
            done.append(
                f"‘{saved.definition.title}’ is opgeslagen als versie {saved.definition.version}. "
                "Nieuwe invullingen gebruiken deze versie; eerdere uitkomsten houden hun versie."
            )
        if preview.switches:
            done.append(
                "Het instrument is "
                + ("ingeschakeld." if preview.enabled else "uitgeschakeld voor de professionals.")
            )
        messages.success(request, " ".join(done))
        return redirect("instruments:definition", key=key)
    return render(
        request,
        "instruments/edit_confirm.html",
        {
            "offered": offered,
            "instrument": offered.instrument,
            "preview": preview,
            "form": form,
            "off": form.cleaned_data["gebruik"] == OFF,
        },
    )
