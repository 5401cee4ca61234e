"""Pages of the meldcode dossier: my cases, the aandachtsfunctionaris' overview, the case page and
the forms that add to it.

Every page reads its case through `selectors.case_get` (access rules and the access log) and
writes through `services`. Forms that change a case carry the version the professional saw; if
someone else changed the case in the meantime the change is refused with status 409 and the form
is kept, so nothing is overwritten without the professional knowing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meldwijzer.cases import guidance, selectors, services, sharing, workflow, worklist
from meldwijzer.cases.access_views import access_history_context
from meldwijzer.cases.display import (
    dossier_view,
    entry_rows,
    fact_rows,
    instrument_outcomes,
    skipped_steps,
    step_indicator,
)
from meldwijzer.cases.entries import (
    ENTRY_FORMS,
    REFLECTION,
    SKIP_REASONS,
    STAFF_ABUSE,
    STAFF_ABUSE_SECTORS,
    EntryForm,
)
from meldwijzer.cases.extensions import (
    case_actions,
    case_sections,
    signal_guides,
    step_knowledge,
)
from meldwijzer.cases.followers import follower_choices
from meldwijzer.cases.forms import (
    VERSION_ERROR,
    CaseCreateForm,
    CaseFilterForm,
    ClientForm,
    CloseForm,
    DecideForm,
    MoveForm,
    PersonForm,
    ReportNowForm,
    VersionForm,
    WeighingForm,
)
from meldwijzer.cases.frameworks import Framework, Question, Walk, framework_for
from meldwijzer.cases.models import Case, Entry, EntryKind, Outcome, Person
from meldwijzer.cases.services import CaseError, CaseInputError, ConcurrentEditError
from meldwijzer.cases.workflow import Phase
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.paging import page_number, query_without_page
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_profession

# The part of the dossier a page reads, for the access log.
PART_FOR_KIND = {
    "signal": "signalen",
    "counter_signal": "signalen",
    "child_check": "kindcheck",
    "consultation": "consultatie",
    "consultation_request": "consultatie",
    "conversation": "gesprek",
    "conversation_skipped": "gesprek",
    "report": "melding",
    "report_feedback": "melding",
    "staff_route": "signalen",
    "note": "notities",
}

PARTNERSHIP_POINTS = [
    (
        "Luister eerst",
        "Begin met hun verhaal. Vraag door tot u een concreet beeld hebt, en laat merken dat u "
        "het begrijpt voordat u over vervolgstappen praat.",
    ),
    (
        "Een veilige plek, persoonlijk",
        "Voer het gesprek persoonlijk, op een rustige en veilige plek, bijvoorbeeld op uw "
        "kantoor. Niet via de telefoon.",
    ),
    (
        "Draag geen oplossingen aan",
        "Kant-en-klare oplossingen (‘bel de politie’, ‘ga verhuizen’) zijn vaak een te grote "
        "stap en nemen ouders hun eigen regie af. Zoek samen.",
    ),
    (
        "Wees open over wat u zag",
        "Vertel eerlijk welke signalen u zorgen baren en waar ze vandaan komen, zonder een "
        "vertrouwelijke bron prijs te geven.",
    ),
    (
        "Vraag naar hun kijk",
        "Hoe zien zij de situatie? Wat herkennen ze, wat niet? Hun uitleg kan een "
        "contra-indicatie zijn: leg die ook vast.",
    ),
    (
        "Wees duidelijk over uw eigen rol",
        "Spreek samen af wat ouders en u nu doen. Of u meldt bij Veilig Thuis, beslist u zelf; "
        "vertel eerlijk wat u gaat doen, ook als dat een melding of overleg met Veilig Thuis is.",
    ),
]


def _detail_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", kwargs={"case_id": case.pk}) + (f"#{anchor}" if anchor else "")


def _version(request: HttpRequest) -> int | None:
    form = VersionForm(request.POST)
    return form.cleaned_data["version"] if form.is_valid() else None


def _refused(form: forms.Form, case: Case, error: CaseError) -> int:
    """Put a refused change on the form (field errors on their fields); the status to answer
    with. The case is read again: a refused service may have changed it in memory before its
    transaction was rolled back."""
    case.refresh_from_db()
    form.add_error(None, str(error))
    if isinstance(error, CaseInputError):
        for name, problems in error.errors.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
    if isinstance(error, ConcurrentEditError):
        form.add_error(
            None,
            "Uw invoer staat hieronder nog. Bekijk zo nodig eerst de casus; verstuur het formulier "
            "daarna opnieuw als uw invoer nog klopt.",
        )
        return 409
    return 400


def _attempt(
    request: HttpRequest, form: forms.Form, case: Case, write: Callable[[int], object]
) -> tuple[bool, int, int]:
    """Validate the form, then write with the posted version.

    Returns whether it was written, the status to answer with, and the version to put in the
    form again (the current one after a concurrent edit, so a resubmission is a conscious act).
    """
    posted = _version(request)
    if not form.is_valid():
        return False, 200, posted or case.version
    if posted is None:
        form.add_error(None, VERSION_ERROR)
        return False, 400, case.version
    try:
        write(posted)
    except CaseError as error:
        status = _refused(form, case, error)
        return False, status, case.version if status == 409 else posted
    return True, 200, posted


def _row(case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "due": selectors.case_due_date(case),
        "overdue": selectors.case_is_overdue(case),
        "urgency": getattr(case, "urgency", frozenset()),
    }


@actor_required(Permission.CASE_WORK)
def case_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = CaseFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    if request.GET and form.errors:
        messages.warning(request, "Een of meer filters waren ongeldig en zijn genegeerd.")
        form = CaseFilterForm(
            initial={k: v for k, v in request.GET.items() if k not in form.errors}
        )
    page = selectors.case_list_page(actor=actor, page=page_number(request), **filters)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "rows": [_row(case) for case in page.object_list],
            "page": page,
            "filters_query": query_without_page(request),
            "filtered": bool(filters),
        },
    )


@actor_required(Permission.CASE_OVERSEE)
def organisation_overview_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    page = worklist.organisation_overview_page(actor=actor, page=page_number(request))
    return render(
        request,
        "cases/organisation_overview.html",
        {
            "rows": page.object_list,
            "page": page,
            "filters_query": query_without_page(request),
            "open_requests": worklist.organisation_requests_waiting(actor=actor),
        },
    )


@actor_required(Permission.CASE_WORK)
def case_create_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    profession = actor_profession(actor=actor)
    client = framework_for(profession).default_client if profession else ""
    form = CaseCreateForm(request.POST or None, profession=profession, client=client)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=actor, **form.cleaned_data)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Casus {case.reference} is geopend. Begin met stap 1.")
            return redirect(_detail_url(case))
    return render(request, "cases/case_create.html", {"form": form})


def _move_options(case: Case) -> dict[str, Any]:
    next_step = case.workflow.next_step
    return {
        "next_step": next_step,
        "next_label": Phase(next_step).label if next_step else "",
        "back_steps": [(step, Phase(step).label) for step in case.workflow.back_steps],
    }


def _detail_context(actor: Actor, case: Case) -> dict[str, Any]:
    dossier = selectors.case_dossier(case)
    present = dossier.by_kind
    rules = case.workflow
    kinds = [
        kind for kind in rules.offered_entries if kind != "child_check" or case.needs_child_check
    ]
    staff_abuse = any(
        entry.data.get("category") == STAFF_ABUSE for entry in present.get("signal", [])
    )
    today = timezone.localdate()
    return {
        "case": case,
        "dossier": dossier,
        "shown": dossier_view(dossier),
        "steps": step_indicator(case.phase, skipped_steps(dossier)),
        "step_guidance": guidance.steps(),
        "framework": framework_for(case.profession),
        "indicated": guidance.indicated(dossier.walk.outcome),
        "indications": guidance.indications(),
        "entry_links": [(kind, EntryKind(kind).label) for kind in kinds],
        "review_due": rules.is_help and case.review_date is not None and case.review_date <= today,
        "show_report": case.outcome in (Outcome.REPORT, Outcome.REPORT_AND_HELP)
        or rules.shows_report_draft,
        "report_entry": "report" in present,
        "can_weigh": rules.may_weigh,
        # With help under way the next decision follows afweging 5.
        "can_decide": rules.may_decide
        and dossier.walk.outcome is not None
        and not (rules.is_help and dossier.walk.outcome == "help"),
        "weighing_path": _weighing_path(dossier.walk, dossier.by_kind.get("weighing", [])),
        "correctable": rules.may_record,
        "staff_abuse": staff_abuse,
        "report_now": rules.may_report_now,
        "identified": dossier.identified,
        "urgency": dossier.urgency,
        "correctable_kinds": list(ENTRY_FORMS),
        # Screening and risk instruments (optional; step 1 and 4 in particular).
        "instrument_outcomes": instrument_outcomes(dossier),
        # What other apps offer here, such as filling in an instrument (`cases.extensions`).
        "case_actions": case_actions(actor=actor, case=case),
        # Sections other apps show, such as the copies given to the client (`cases.extensions`).
        "case_sections": case_sections(actor=actor, case=case),
        # Sharing a consultation summary with an aandachtsfunctionaris elsewhere (`sharing`).
        "may_share": sharing.may_share(actor, case),
        # Knowledge for the current step and the case's beroepsgroep (`cases.extensions`).
        "step_knowledge": step_knowledge(actor=actor, case=case),
        **_move_options(case),
    }


@actor_required(Permission.CASE_WORK)
def case_detail_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case, access_history = selectors.case_page_get(actor=actor, case_id=case_id)
    context = _detail_context(actor, case) | access_history_context(access_history)
    return render(request, "cases/case_detail.html", context)


def _person_form(request: HttpRequest, case: Case, replaces: Person | None) -> HttpResponse:
    actor = current_actor(request)
    initial = None
    if replaces is not None:
        initial = {name: getattr(replaces, name) for name in PersonForm.base_fields}
        if replaces.date_of_birth:
            initial["date_of_birth"] = replaces.date_of_birth.isoformat()
    if replaces is None and request.method != "POST":
        initial = {"place": case.organisation.place}
    form = PersonForm(request.POST or None, initial=initial)
    status, version = 200, case.version
    if request.method == "POST":
        done, status, version = _attempt(
            request,
            form,
            case,
            lambda expected: services.case_record_person(
                actor=actor,
                case=case,
                expected_version=expected,
                replaces=replaces,
                **form.cleaned_data,
            ),
        )
        if done:
            messages.success(request, "De betrokkene is vastgelegd.")
            return redirect(_detail_url(case, "betrokkenen"))
    return render(
        request,
        "cases/person_form.html",
        {"case": case, "form": form, "version": version, "replaces": replaces},
        status=status,
    )


@actor_required(Permission.CASE_WORK)
def person_create_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="betrokkenen")
    return _person_form(request, case, None)


@actor_required(Permission.CASE_WORK)
def person_replace_view(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="betrokkenen")
    person = selectors.case_person_get(
        actor=actor, case=case, person_id=person_id, part="betrokkenen"
    )
    return _person_form(request, case, person)


@actor_required(Permission.CASE_WORK)
def person_bsn_view(request: HttpRequest, case_id: int, person_id: int) -> HttpResponse:
    """The full BSN of one person, on an explicit request that is access-logged."""
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="bsn")
    person = selectors.case_person_get(actor=actor, case=case, person_id=person_id, part="bsn")
    if not person.bsn:
        raise Http404("Van deze betrokkene is geen BSN vastgelegd.")
    return render(request, "cases/person_bsn.html", {"case": case, "person": person})


@actor_required(Permission.CASE_WORK)
def client_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Say again whom the concern is about (a child or an adult: then the kindcheck)."""
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="casus")
    form = ClientForm(request.POST or None, initial={"client": case.client})
    status, version = 200, case.version
    if request.method == "POST":
        done, status, version = _attempt(
            request,
            form,
            case,
            lambda expected: services.case_set_client(
                actor=actor,
                case=case,
                expected_version=expected,
                client=form.cleaned_data["client"],
            ),
        )
        if done:
            messages.success(
                request, f"Vastgelegd: uw zorg gaat over {case.get_client_display().lower()}."
            )
            return redirect(_detail_url(case))
    return render(
        request, "cases/client_form.html", {"case": case, "form": form, "version": version},
        status=status,
    )  # fmt: skip


@actor_required(Permission.CASE_WORK)
def report_now_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Direct melden: acute danger goes to Veilig Thuis at once, whatever step the case is in."""
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="besluit")
    form = ReportNowForm(request.POST or None, identified=selectors.case_identified(case))
    status, version = 200, case.version
    if request.method == "POST":
        done, status, version = _attempt(
            request,
            form,
            case,
            lambda expected: services.case_report_now(
                actor=actor,
                case=case,
                expected_version=expected,
                danger=form.cleaned_data["danger"],
                structural=form.cleaned_data["structural"],
                unidentified_reason=form.cleaned_data.get("unidentified_reason", ""),
            ),
        )
        if done:
            messages.success(
                request,
                "Vastgelegd: u meldt direct bij Veilig Thuis. Bel 0800-2000 als u dat nog niet "
                "deed, en leg daarna de melding zelf vast.",
            )
            return redirect(_detail_url(case, "melding"))
    return render(
        request,
        "cases/report_now.html",
        {
            "case": case,
            "form": form,
            "version": version,
            "may_report_now": case.workflow.may_report_now,
            "missing": [
                f"Stap {number}: {text}" for number, text in selectors.case_missing_all_steps(case)
            ],
        },
        status=status,
    )


@actor_required(Permission.CASE_WORK)
def history_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Everything recorded in the case in order, every version of every entry included."""
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="geschiedenis")
    dossier = selectors.case_dossier(case)
    return render(
        request,
        "cases/history.html",
        {"case": case, "shown": dossier_view(dossier), "persons": selectors.person_history(case)},
    )


def _entry_form(
    request: HttpRequest, case: Case, form_class: type[EntryForm], corrects: Entry | None
) -> HttpResponse:
    actor = current_actor(request)
    status, version = 200, case.version
    if request.method == "POST":
        form = _with_choices(form_class(request.POST, actor=actor), case)
        done, status, version = _attempt(
            request,
            form,
            case,
            lambda expected: services.case_record_entry(
                actor=actor,
                case=case,
                expected_version=expected,
                kind=form_class.kind,
                data=form.cleaned_data,
                corrects=corrects,
            ),
        )
        if done:
            label = EntryKind(form_class.kind).label
            messages.success(request, f"{label} is {'gecorrigeerd' if corrects else 'vastgelegd'}.")
            if form.cleaned_data.get("category") == STAFF_ABUSE and not corrects:
                return redirect("cases:entry_create", case_id=case.pk, kind="staff_route")
            anchor = "melding" if form_class.kind in ("report", "report_feedback") else "dossier"
            return redirect(_detail_url(case, anchor))
    else:
        form = _with_choices(
            form_class(
                initial=corrects.data if corrects else _initial(case, form_class), actor=actor
            ),
            case,
        )
    kind = str(form_class.kind)
    return render(
        request,
        "cases/entry_form.html",
        {
            "case": case,
            "form": form,
            "version": version,
            "kind": kind,
            "kind_label": EntryKind(kind).label,
            "intro": guidance.entry_intro(kind),
            "intro_guidance": guidance.entries(),
            "corrects": corrects,
            "corrects_rows": entry_rows(corrects) if corrects else [],
            "skip_reasons": SKIP_REASONS if kind == "conversation_skipped" else [],
            "child_check_text": framework_for(case.profession).child_check
            if kind == "child_check"
            else "",
            # Guides on signals at specific target groups (`cases.extensions`).
            "signal_guides": signal_guides() if kind == "signal" else [],
        },
        status=status,
    )


def _initial(case: Case, form_class: type[EntryForm]) -> dict[str, Any] | None:
    if form_class.kind == EntryKind.REPORT:
        return {"veilig_thuis": selectors.case_veilig_thuis_name(case)}
    return None


def _with_choices(form: EntryForm, case: Case) -> EntryForm:
    """The staff-abuse route is a kind of signal only in education and childcare."""
    field = form.fields.get("category")
    if field is not None and case.organisation.sector not in STAFF_ABUSE_SECTORS:
        field.choices = [  # type: ignore[attr-defined]
            choice
            for choice in field.choices  # type: ignore[attr-defined]
            if choice[0] != STAFF_ABUSE
        ]
    return form


@actor_required(Permission.CASE_WORK)
def entry_create_view(request: HttpRequest, case_id: int, kind: str) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part=PART_FOR_KIND.get(kind, "dossier"))
    form_class = ENTRY_FORMS.get(kind)
    if form_class is None:
        raise Http404("Onbekende soort dossierregel.")
    return _entry_form(request, case, form_class, None)


@actor_required(Permission.CASE_WORK)
def entry_correct_view(request: HttpRequest, case_id: int, entry_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="dossier")
    entry = selectors.case_entry_get(actor=actor, case=case, entry_id=entry_id, part="dossier")
    form_class = ENTRY_FORMS.get(entry.kind)
    if form_class is None:
        raise Http404("Deze regel corrigeert u niet met een formulier.")
    if Entry.objects.filter(corrects=entry).exists():
        messages.error(request, "Deze regel is al gecorrigeerd; corrigeer de nieuwste versie.")
        return redirect(_detail_url(case, "geschiedenis"))
    return _entry_form(request, case, form_class, entry)


@actor_required(Permission.CASE_WORK)
def conversation_prepare_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="gesprek")
    return render(
        request,
        "cases/conversation_prepare.html",
        {
            "case": case,
            "points": PARTNERSHIP_POINTS,
            "reflection": REFLECTION,
            "skip_reasons": SKIP_REASONS,
            "can_record": case.workflow.may_record,
        },
    )


def _weighing_path(walk: Walk, entries: list[Entry]) -> list[dict[str, Any]]:
    """The questions answered so far, each with the entry that holds the reasoning."""
    latest = {str(entry.data.get("question")): entry for entry in entries}  # the last one wins
    return [
        {"question": question, "answer": answer, "entry": latest.get(question.id)}
        for question, answer in walk.path
    ]


def _may_answer(case: Case, question: Question) -> bool:
    return workflow.may_answer(case.phase, question.phase)


def _open_question(case: Case, walk: Walk) -> Question | None:
    if walk.next_question is not None:
        return walk.next_question
    if walk.outcome == "help" and walk.review_question is not None and case.workflow.is_help:
        return walk.review_question
    return None


def _weighing_context(case: Case, framework: Framework, walk: Walk, asked: str) -> dict[str, Any]:
    open_question = _open_question(case, walk)
    answerable = {q.id for q, _ in walk.path if _may_answer(case, q)}
    if open_question is not None and _may_answer(case, open_question):
        answerable.add(open_question.id)
    question = open_question
    if asked in answerable and asked in framework.questions:
        question = framework.questions[asked]
    return {
        "open_question": open_question,
        "open_question_when": workflow.ANSWERED_WHEN.get(open_question.phase, "")
        if open_question is not None
        else "",
        "question": question if question is not None and question.id in answerable else None,
        "answerable": answerable,
    }


@actor_required(Permission.CASE_WORK)
def weighing_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="afweging")
    framework = framework_for(case.profession)
    dossier = selectors.case_dossier(case)
    asked = request.POST.get("question", "") or request.GET.get("vraag", "")
    context = _weighing_context(case, framework, dossier.walk, asked)
    question: Question | None = context["question"]
    form = WeighingForm(
        request.POST or None,
        questions=context["answerable"],
        question=question,
        initial={"question": question.id if question else ""},
    )
    status, version = 200, case.version
    if request.method == "POST":
        done, status, version = _attempt(
            request,
            form,
            case,
            lambda expected: services.case_record_weighing(
                actor=actor,
                case=case,
                expected_version=expected,
                question=form.cleaned_data["question"],
                answer=form.cleaned_data["answer"],
                reasoning=form.cleaned_data["reasoning"],
                kinds=form.cleaned_data.get("kinds", []),
            ),
        )
        if done:
            messages.success(request, "Uw antwoord en toelichting zijn vastgelegd.")
            return redirect("cases:weighing", case_id=case.pk)
    walk = dossier.walk
    return render(
        request,
        "cases/weighing.html",
        {
            "case": case,
            "framework": framework,
            "walk": walk,
            "weighing_path": _weighing_path(walk, dossier.by_kind.get("weighing", [])),
            "form": form,
            "version": version,
            "indicated": guidance.indicated(walk.outcome),
            "indications": guidance.indications(),
            "can_decide": case.workflow.may_decide and walk.outcome is not None,
            "review_pending": case.workflow.is_help and walk.outcome == "help",
            "instrument_outcomes": instrument_outcomes(dossier),
            "number": list(framework.questions).index(question.id) + 1 if question else None,
            "total": len(framework.questions),
            "signals": fact_rows(dossier.by_kind.get("signal", [])),
            "counter_signals": fact_rows(dossier.by_kind.get("counter_signal", [])),
            **context,
        },
        status=status,
    )


@actor_required(Permission.CASE_WORK)
def decide_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="besluit")
    walk = selectors.case_dossier(case).walk
    grounds = sharing.shareable_grounds(actor=actor, case=case)
    form = DecideForm(
        request.POST or None,
        identified=selectors.case_identified(case),
        indicated=walk.outcome,
        followers=follower_choices(),
        grounds=grounds,
    )
    status, version = 200, case.version
    if request.method == "POST":
        done, status, version = _attempt(
            request,
            form,
            case,
            lambda expected: services.case_decide(
                actor=actor,
                case=case,
                expected_version=expected,
                outcome=Outcome(form.cleaned_data["outcome"]),
                justification=form.cleaned_data["justification"],
                agreements=form.cleaned_data["agreements"],
                review_date=form.cleaned_data["review_date"],
                unidentified_reason=form.cleaned_data.get("unidentified_reason", ""),
                followup=form.followup(),
            ),
        )
        if done:
            messages.success(request, f"Uw besluit is vastgelegd: {case.get_outcome_display()}.")
            return redirect(_detail_url(case))
    return render(
        request,
        "cases/decide.html",
        {
            "case": case,
            "walk": walk,
            "framework": framework_for(case.profession),
            "indicated": guidance.indicated(walk.outcome),
            "indications": guidance.indications(),
            "may_decide": case.workflow.may_decide and walk.outcome is not None,
            "fields": [
                (form[name], " ".join(DecideForm.FOR_OUTCOMES.get(name, ())))
                for name in form.fields
            ],
            "followup_required": walk.outcome in workflow.FOLLOWUP_REQUIRED,
            "has_grounds": bool(grounds),
            "form": form,
            "version": version,
        },
        status=status,
    )


@require_POST
@actor_required(Permission.CASE_WORK)
def move_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="stap")
    form = MoveForm(request.POST)
    posted = _version(request)
    if posted is None:
        messages.error(request, VERSION_ERROR)
        return redirect(_detail_url(case))
    if not form.is_valid():
        messages.error(request, "Kies een stap uit de lijst.")
        return redirect(_detail_url(case, "stap-wisselen"))
    target = form.cleaned_data["target"]
    try:
        services.case_move(
            actor=actor,
            case=case,
            expected_version=posted,
            target=target,
            reason=form.cleaned_data["reason"],
        )
    except ConcurrentEditError as error:
        messages.error(request, str(error))
        case.refresh_from_db()
        return render(request, "cases/case_detail.html", _detail_context(actor, case), status=409)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect(_detail_url(case, "stap-wisselen"))
    messages.success(request, f"De casus is nu in {Phase(target).label}.")
    return redirect(_detail_url(case))


@actor_required(Permission.CASE_WORK)
def close_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="afsluiten")
    form = CloseForm(request.POST or None)
    status, version = 200, case.version
    if request.method == "POST":
        done, status, version = _attempt(
            request,
            form,
            case,
            lambda expected: services.case_close(
                actor=actor,
                case=case,
                expected_version=expected,
                reason=form.cleaned_data["reason"],
            ),
        )
        if done:
            messages.success(request, "De casus is afgesloten.")
            return redirect(_detail_url(case))
    return render(
        request,
        "cases/close.html",
        {"case": case, "form": form, "version": version, "may_close": case.workflow.may_close},
        status=status,
    )
