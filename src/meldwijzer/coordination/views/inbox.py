"""Reports arriving at Veilig Thuis (the inbox, receipt, feedback to the reporter), opening a file
from them, and hand-overs of the regie.

The pages are thin: they check the form, call one service or selector of `coordination.inbox` or
`coordination.handover`, and render. The hooks at the top are what this area adds to the shared
pages (`coordination.overview`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from meldwijzer.audit.models import Action
from meldwijzer.cases import selectors as case_selectors
from meldwijzer.cases.entries import NOT_INFORMED_REASONS, DateInput, ReportFeedbackForm
from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.cases.report import case_report
from meldwijzer.coordination import handover as handovers
from meldwijzer.coordination import inbox, overview, rules, selectors, services
from meldwijzer.coordination.handover import GroundData
from meldwijzer.coordination.models import FileParts, HandoverState
from meldwijzer.coordination.overview import NavItem, Section
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.paging import page_number, query_without_page
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.models import CONFLICT_CHECKS, GroundKind

# --- Hooks ----------------------------------------------------------------------------------------


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    """The file's hand-overs (everyone in the file sees who had the regie when), and for Veilig
    Thuis the reports the file was opened from."""
    reports = []
    if rules.is_veilig_thuis(actor):
        reports = list(
            access.file.reports.filter(to_organisation=actor.organisation).select_related(
                "from_organisation"
            )
        )
    return [
        Section(
            "coordination/inbox/_file_section.html",
            {
                "file": access.file,
                "handovers": handovers.handovers_of_file(access.file),
                "may_lead": access.may_lead,
                "reports": reports,
            },
        )
    ]


def worklist(actor: Actor) -> list[Section]:
    """Hand-overs waiting for the actor's answer or made by them, and Veilig Thuis' new reports."""
    waiting = handovers.handovers_waiting(actor=actor)
    veilig_thuis = rules.is_veilig_thuis(actor)
    may_open = rules.may_open_file(actor)
    if not waiting and not veilig_thuis and not may_open:
        return []
    return [
        Section(
            "coordination/inbox/_worklist.html",
            {
                "to_me": [h for h in waiting if h.to_user_id == actor.user.pk],
                "from_me": [h for h in waiting if h.from_user_id == actor.user.pk],
                "veilig_thuis": veilig_thuis,
                "new_reports": inbox.inbox_new_count(actor=actor),
                "may_open": may_open,
            },
        )
    ]


def file_nav(access: FileAccess) -> list[NavItem]:
    return [
        NavItem(
            "Overdracht van de regie",
            "coordination:handovers",
            frozenset({"handovers"}),
        )
    ]


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """On a reported case: send the report through Meldwijzer, or see where it stands."""
    if not actor.can(Permission.CASE_WORK) or not (
        case.workflow.is_reported or case.workflow.is_closed
    ):
        return []
    url = reverse("coordination:report_send", kwargs={"case_id": case.pk})
    report = inbox.report_for_case(case)
    if report is not None:
        return [CaseAction(f"Melding via Meldwijzer: {_state_for_reporter(report)}", url)]
    if case.workflow.is_reported and inbox.veilig_thuis_organisations().exists():
        return [CaseAction("Melding doen via Meldwijzer", url)]
    return []


def _state_for_reporter(report: Any) -> str:
    if report.received_at is None:
        return "verstuurd, nog niet ontvangen"
    if report.feedback_given:
        return "terugkoppeling ontvangen"
    return "ontvangen door Veilig Thuis"


# --- Sending a report -----------------------------------------------------------------------------


class ReportSendForm(forms.Form):
    veilig_thuis = forms.ChoiceField(
        label="Bij welke Veilig Thuis meldt u?",
        error_messages={
            "required": "Kies de Veilig Thuis.",
            "invalid_choice": "Kies de Veilig Thuis.",
        },
    )
    informed = forms.ChoiceField(
        label="Hebt u de cliënt of de ouders verteld dat u meldt?",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja of nee."},
    )
    not_informed_reason = forms.ChoiceField(
        label="Waarom niet?",
        choices=NOT_INFORMED_REASONS,
        widget=forms.RadioSelect,
        required=False,
        help_text="Alleen als u het niet hebt verteld.",
    )
    not_informed_explanation = forms.CharField(
        label="Toelichting bij ‘waarom niet’",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    reporter_unknown = forms.BooleanField(
        label="Ik vraag Veilig Thuis mijn naam niet aan de familie te noemen",
        required=False,
    )
    confirm = forms.BooleanField(
        label="Ik heb gelezen wat er wordt verstuurd en stuur de melding naar Veilig Thuis",
        error_messages={"required": "Bevestig dat u de melding wilt versturen."},
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["veilig_thuis"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        if len(choices) == 1:
            field.initial = choices[0][0]


@actor_required(Permission.CASE_WORK)
def report_send_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = case_selectors.case_get(actor=actor, case_id=case_id, part="melden via Meldwijzer")
    sent = inbox.report_for_case(case)
    organisations = list(inbox.veilig_thuis_organisations())
    choices = [(str(o.pk), o.name) for o in organisations]
    form = ReportSendForm(request.POST or None, choices=choices)
    status = 200
    if request.method == "POST" and sent is None and form.is_valid():
        values = form.cleaned_data
        chosen = next(o for o in organisations if str(o.pk) == values["veilig_thuis"])
        try:
            inbox.report_send(
                actor=actor,
                case=case,
                expected_version=case.version,
                veilig_thuis=chosen,
                informed=values["informed"],
                not_informed_reason=values["not_informed_reason"],
                not_informed_explanation=values["not_informed_explanation"],
                reporter_unknown=values["reporter_unknown"],
            )
        except inbox.ReportInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            status = 400
        except CoordinationError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(request, f"De melding is verstuurd naar {chosen.name}.")
            return redirect("coordination:report_send", case_id=case.pk)
    elif request.method == "POST" and sent is not None:
        form.add_error(None, "Deze melding is al verstuurd; u kunt haar niet twee keer sturen.")
        status = 400
    context: dict[str, Any] = {"case": case, "sent": sent, "form": form, "organisations": choices}
    if sent is not None:
        context["content"] = inbox.report_content(sent)
        context["state"] = _state_for_reporter(sent)
    elif case.workflow.is_reported and organisations:
        context["content"] = case_report(actor=actor, case_id=case.pk, action=Action.PRINT)
    return render(request, "coordination/inbox/report_send.html", context, status=status)


# --- Veilig Thuis' inbox --------------------------------------------------------------------------


@actor_required(Permission.CASE_WORK)
def inbox_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    state = request.GET.get("stand", "")
    if state not in inbox.InboxFilter.values:
        state = inbox.InboxFilter.ALL
    page = inbox.report_list_page(actor=actor, state=state, page=page_number(request))
    rows = [(report, inbox.report_state_label(report)) for report in page.object_list]
    return render(
        request,
        "coordination/inbox/inbox.html",
        {
            "rows": rows,
            "page": page,
            "state": state,
            "states": inbox.InboxFilter.choices,
            "filters_query": query_without_page(request),
        },
    )


@actor_required(Permission.CASE_WORK)
def report_detail_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = current_actor(request)
    report = inbox.report_get(actor=actor, report_id=report_id)
    return render(
        request,
        "coordination/inbox/report_detail.html",
        {
            "report": report,
            "content": inbox.report_content(report),
            "state": inbox.report_state_label(report),
            "may_open": rules.may_open_file(actor),
        },
    )


@require_POST
@actor_required(Permission.CASE_WORK)
def report_receive_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = current_actor(request)
    report = inbox.report_get(
        actor=actor, report_id=report_id, part="ontvangst", action=Action.UPDATE
    )
    try:
        inbox.report_receive(actor=actor, report=report)
    except CoordinationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "De ontvangst is bevestigd; de melder ziet dat.")
    return redirect("coordination:report_detail", report_id=report.pk)


@actor_required(Permission.CASE_WORK)
def report_feedback_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    report = inbox.report_get(
        actor=actor,
        report_id=report_id,
        part="terugkoppeling",
        action=Action.CREATE if posted else Action.READ,
    )
    initial = {"contact": actor.user.get_full_name(), "vt_reference": f"VT-{report.pk}"}
    form = ReportFeedbackForm(request.POST or None, initial=initial)
    status = 200
    if posted and form.is_valid():
        try:
            inbox.report_feedback_give(actor=actor, report=report, data=form.entry_data())
        except inbox.ReportInputError as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
            status = 400
        except CoordinationError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(request, "De terugkoppeling staat in het dossier van de melder.")
            return redirect("coordination:report_detail", report_id=report.pk)
    return render(
        request,
        "coordination/inbox/report_feedback.html",
        {"report": report, "form": form},
        status=status,
    )


class FileOpenForm(forms.Form):
    title = forms.CharField(
        label="Korte omschrijving, zonder namen",
        max_length=120,
        help_text="Bijvoorbeeld ‘Gezin met twee kinderen, Emmeloord’.",
        error_messages={"required": "Geef het regiedossier een korte omschrijving."},
    )
    persons = forms.MultipleChoiceField(
        label="Wie neemt u op bij het gezin?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Uit de melding. Later voegt u meer mensen uit het gezin of netwerk toe.",
    )
    role_description = forms.CharField(
        label="Wat het gezin en het team van u kunnen verwachten",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Ik ben de casusregisseur: uw vaste aanspreekpunt.",
        error_messages={"required": "Beschrijf in gewone woorden wat men van u kan verwachten."},
    )
    phone = forms.CharField(label="Uw telefoonnummer voor het gezin", max_length=30, required=False)

    def __init__(self, *args: Any, persons: list[inbox.ReportPerson] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["persons"]
        assert isinstance(field, forms.MultipleChoiceField)
        if persons is None:
            del self.fields["persons"]
            return
        field.choices = [
            (
                str(p.index),
                f"{p.name} ({p.role_label.lower()}{', ' + p.relation if p.relation else ''})",
            )
            for p in persons
        ]
        field.initial = [str(p.index) for p in persons]


@actor_required(Permission.CASE_WORK)
def report_file_open_view(request: HttpRequest, report_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    report = inbox.report_get(
        actor=actor,
        report_id=report_id,
        part="regiedossier",
        action=Action.CREATE if posted else Action.READ,
        lead=True,
    )
    persons = inbox.report_persons(report)
    form = FileOpenForm(request.POST or None, persons=persons, initial={"phone": actor.user.phone})
    status = 200
    if posted and report.file_id is None and form.is_valid():
        values = form.cleaned_data
        try:
            file = inbox.report_file_open(
                actor=actor,
                report=report,
                title=values["title"],
                persons=[int(index) for index in values["persons"]],
                role_description=values["role_description"],
                phone=values["phone"],
            )
        except CoordinationError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(
                request, f"Regiedossier {file.reference} is geopend. U bent de casusregisseur."
            )
            return redirect("coordination:detail", file_id=file.pk)
    return render(
        request,
        "coordination/inbox/report_file_open.html",
        {"report": report, "form": form},
        status=status,
    )


@actor_required(Permission.CASE_COORDINATE)
def file_new_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = FileOpenForm(request.POST or None, initial={"phone": actor.user.phone})
    status = 200
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            file = services.file_open(
                actor=actor,
                title=values["title"],
                role_description=values["role_description"],
                phone=values["phone"],
            )
        except CoordinationError as error:
            form.add_error(None, str(error))
            status = 400
        else:
            messages.success(
                request, f"Regiedossier {file.reference} is geopend. U bent de casusregisseur."
            )
            return redirect("coordination:detail", file_id=file.pk)
    return render(request, "coordination/inbox/file_new.html", {"form": form}, status=status)


# --- Hand-overs -----------------------------------------------------------------------------------


class HandoverForm(forms.Form):
    receiver = forms.ChoiceField(
        label="Aan wie draagt u de regie over?",
        help_text="Een casusregisseur van uw eigen of een andere organisatie.",
        error_messages={
            "required": "Kies de casusregisseur die het overneemt.",
            "invalid_choice": "Kies de casusregisseur die het overneemt.",
        },
    )
    note = forms.CharField(
        label="Wat moet wie het overneemt weten?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=handovers.NOTE_LIMIT,
        help_text="Bijvoorbeeld: hoe het nu gaat, wat er loopt en wat het gezin al weet.",
        error_messages={"required": "Schrijf voor wie het overneemt wat die moet weten."},
    )
    ground_kind = forms.ChoiceField(
        label="Grondslag (alleen bij een andere organisatie)",
        choices=[("", "Niet nodig: zelfde organisatie"), *GroundKind.choices],
        required=False,
        help_text="Aan een andere organisatie draagt u over met toestemming van het gezin, of bij "
        "een conflict van plichten. Het meldrecht geldt alleen naar Veilig Thuis.",
    )
    given_by = forms.CharField(
        label="Wie gaf toestemming", max_length=120, required=False,
        help_text="Bijvoorbeeld ‘moeder (met gezag)’.",
    )  # fmt: skip
    valid_until = forms.DateField(
        label="Toestemming geldt tot en met",
        widget=DateInput,
        required=False,
        error_messages={"invalid": "Kies een geldige datum."},
    )
    checks = forms.MultipleChoiceField(
        label="Conflict van plichten: wat u hebt afgewogen",
        choices=CONFLICT_CHECKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reasoning = forms.CharField(
        label="Onderbouwing (bij een conflict van plichten)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, receivers: list[handovers.Receiver], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receiver"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Kies…"), *[(r.key, r.label) for r in receivers]]


@actor_required(Permission.CASE_WORK)
def handovers_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    access = selectors.file_get(
        actor=actor,
        file_id=file_id,
        part=FileParts.TEAM,
        action=Action.CREATE if posted else Action.READ,
        need=rules.may_lead if posted else None,
    )
    history = handovers.handovers_of_file(access.file)
    open_one = next((h for h in history if h.state == HandoverState.PROPOSED), None)
    may_propose = access.may_lead and open_one is None
    receivers = handovers.receivers(actor=actor) if may_propose else []
    form = HandoverForm(request.POST or None, receivers=receivers)
    status = 200
    if posted:
        if not may_propose:
            form.add_error(None, "Er staat al een voorstel open. Trek dat eerst in.")
            status = 400
        elif form.is_valid():
            values = form.cleaned_data
            receiver = next(r for r in receivers if r.key == values["receiver"])
            ground = None
            if values["ground_kind"]:
                ground = GroundData(
                    kind=values["ground_kind"],
                    given_by=values["given_by"],
                    reasoning=values["reasoning"],
                    checks=tuple(values["checks"]),
                    valid_until=values["valid_until"],
                )
            try:
                proposal = handovers.handover_propose(
                    actor=actor,
                    access=access,
                    to_user=receiver.user,
                    to_organisation=receiver.organisation,
                    note=values["note"],
                    ground=ground,
                )
            except CoordinationError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    f"U hebt de regie aangeboden aan {receiver.label}. U blijft casusregisseur "
                    "tot die het aanneemt.",
                )
                return redirect("coordination:handover_detail", handover_id=proposal.pk)
    return render(
        request,
        "coordination/inbox/handovers.html",
        overview.file_context(
            access, handovers=history, form=form, may_propose=may_propose, open_one=open_one
        ),
        status=status,
    )


class HandoverAcceptForm(forms.Form):
    role_description = forms.CharField(
        label="Wat het gezin en het team van u kunnen verwachten",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial=handovers.RECEIVER_ROLE,
        required=False,
    )
    phone = forms.CharField(label="Uw telefoonnummer voor het gezin", max_length=30, required=False)
    answer_note = forms.CharField(
        label="Toelichting (niet verplicht)", max_length=500, required=False
    )


class HandoverDeclineForm(forms.Form):
    answer_note = forms.CharField(
        label="Waarom neemt u het niet over?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


@actor_required(Permission.CASE_WORK)
def handover_detail_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    actor = current_actor(request)
    proposal = handovers.handover_get(actor=actor, handover_id=handover_id)
    is_receiver = proposal.to_user_id == actor.user.pk
    return render(
        request,
        "coordination/inbox/handover_detail.html",
        {
            "handover": proposal,
            "is_receiver": is_receiver,
            "is_open": proposal.state == HandoverState.PROPOSED,
            "accept_form": HandoverAcceptForm(initial={"phone": actor.user.phone}),
            "decline_form": HandoverDeclineForm(prefix="afslaan"),
        },
    )


def _answer(request: HttpRequest, handover_id: int, answer: str) -> HttpResponse:
    actor = current_actor(request)
    party = handovers.PROPOSER if answer == "withdraw" else handovers.RECEIVER
    proposal = handovers.handover_get(
        actor=actor, handover_id=handover_id, action=Action.UPDATE, party=party
    )
    form: forms.Form = (
        HandoverAcceptForm(request.POST)
        if answer == "accept"
        else HandoverDeclineForm(request.POST, prefix="afslaan")
    )
    values = form.cleaned_data if form.is_valid() else {}
    note = str(values.get("answer_note", ""))
    try:
        if answer == "accept":
            handovers.handover_accept(
                actor=actor,
                handover=proposal,
                answer_note=note,
                role_description=str(values.get("role_description", "")),
                phone=str(values.get("phone", "")),
            )
        elif answer == "decline":
            handovers.handover_decline(actor=actor, handover=proposal, answer_note=note)
        else:
            handovers.handover_withdraw(actor=actor, handover=proposal)
    except CoordinationError as error:
        messages.error(request, str(error))
        return redirect("coordination:handover_detail", handover_id=proposal.pk)
    if answer == "accept":
        messages.success(request, "U bent nu de casusregisseur van dit gezin.")
        return redirect("coordination:detail", file_id=proposal.file_id)
    if answer == "decline":
        # Declined, the proposal is no longer the receiver's to read (`handover_get`).
        messages.success(request, "De overdracht is afgeslagen.")
        return redirect("coordination:list")
    messages.success(request, "De overdracht is ingetrokken.")
    return redirect("coordination:handover_detail", handover_id=proposal.pk)


@require_POST
@actor_required(Permission.CASE_WORK)
def handover_accept_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    return _answer(request, handover_id, "accept")


@require_POST
@actor_required(Permission.CASE_WORK)
def handover_decline_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    return _answer(request, handover_id, "decline")


@require_POST
@actor_required(Permission.CASE_WORK)
def handover_withdraw_view(request: HttpRequest, handover_id: int) -> HttpResponse:
    return _answer(request, handover_id, "withdraw")
