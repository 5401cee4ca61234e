"""The pages: giving the client a copy, recording their own statement, and what the case page
shows of both (registered with `cases.extensions` in `apps.py`).

A copy is made when the form is sent: the answer is a page with both files to download, carried
in the page itself (data addresses), so the files are never stored on the server.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse

from meldwijzer.cases import selectors as case_selectors
from meldwijzer.cases.extensions import CaseAction, CaseSection
from meldwijzer.cases.models import Case
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.rights import events, selectors, services
from meldwijzer.rights.forms import CopyForm, StatementForm
from meldwijzer.rights.services import CopyData, RightsInputError, StatementData


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    return [
        CaseAction("Afschrift voor de cliënt", reverse("rights:copy", args=[case.pk])),
        CaseAction("Eigen verklaring van de cliënt", reverse("rights:statement", args=[case.pk])),
    ]


def case_sections(actor: Actor, case: Case) -> list[CaseSection]:
    """'Inzage en afschrift': the client's statements and the copies given (part of the dossier
    the case page read and logged)."""
    statements, copies = selectors.case_section_records(case)
    html = render_to_string(
        "rights/_case_section.html",
        {"case": case, "statements": statements, "copies": copies},
    )
    return [CaseSection(title="Inzage en afschrift", anchor="inzage-afschrift", html=html)]


def _put_back(form: CopyForm | StatementForm, error: RightsInputError) -> None:
    for name, texts in error.errors.items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


@actor_required(Permission.CASE_WORK)
def copy_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    case = case_selectors.case_get(actor=actor, case_id=case_id, part=services.COPY_PART)
    persons = list(case_selectors.current_persons(case))
    safety_reasons = selectors.safety_reasons(case)
    form = CopyForm(request.POST or None, persons=persons, safety_reasons=safety_reasons)
    if posted and form.is_valid():
        values = form.cleaned_data
        try:
            given = services.copy_give(
                actor=actor,
                case=case,
                data=CopyData(
                    relation=values["relation"],
                    recipient_id=values["recipient"],
                    child_id=values["child"],
                    child_consent=values["child_consent"],
                    child_consent_reason=values["child_consent_reason"],
                    identified=values["identified"],
                    identity_document=values["identity_document"],
                    reason=values["reason"],
                    safety_weighed=values.get("safety_weighed", ""),
                ),
            )
        except RightsInputError as error:
            _put_back(form, error)
        else:
            return render(
                request,
                "rights/copy_given.html",
                {
                    "case": case,
                    "copy": given.record,
                    "pdf_data": base64.b64encode(given.pdf).decode(),
                    "json_data": base64.b64encode(given.json).decode(),
                },
            )
    return render(
        request,
        "rights/copy_form.html",
        {"case": case, "form": form, "safety_reasons": safety_reasons},
    )


@actor_required(Permission.CASE_WORK)
def statement_view(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = current_actor(request)
    posted = request.method == "POST"
    case = case_selectors.case_get(actor=actor, case_id=case_id, part=events.PART_STATEMENTS)
    form = StatementForm(request.POST or None, persons=list(case_selectors.current_persons(case)))
    if posted and form.is_valid():
        values = form.cleaned_data
        try:
            services.statement_add(
                actor=actor,
                case=case,
                data=StatementData(
                    person_id=values["person"], given_on=values["given_on"], text=values["text"]
                ),
            )
        except RightsInputError as error:
            _put_back(form, error)
        else:
            messages.success(request, "De eigen verklaring van de cliënt is toegevoegd.")
            return redirect(reverse("cases:detail", args=[case.pk]) + "#inzage-afschrift")
    return render(request, "rights/statement_form.html", {"case": case, "form": form})
