"""The safety plan as revisions, its printout for the family, and contact notes that always
answer the safety question. The rules live in `coordination.safety_plan` and
`coordination.contacts`; these views read through `selectors.file_get` (which checks the part and
logs) and call one service each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meldwijzer.audit.models import Action
from meldwijzer.cases.extensions import CaseAction
from meldwijzer.cases.models import Case
from meldwijzer.coordination import contacts, rules, safety_plan, selectors
from meldwijzer.coordination.contacts import ContactData, ContactInputError
from meldwijzer.coordination.models import FileParts, PlanKept, SafetyAnswer
from meldwijzer.coordination.overview import NavItem, Section, file_context
from meldwijzer.coordination.rules import FileAccess
from meldwijzer.coordination.safety_plan import PlanConflictError, PlanInputError
from meldwijzer.coordination.services import CoordinationError
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission

PLAN = FileParts.SAFETY_PLAN
CONTACTS = FileParts.CONTACTS

# --- What the shared pages ask this area ------------------------------------------------------------


def sections(actor: Actor, access: FileAccess) -> list[Section]:
    """On the file's overview: the plan's version and review date (flagged when overdue), and the
    'niet veilig' notes still waiting for the casusregisseur."""
    blocks = []
    if access.sees(PLAN):
        current = safety_plan.plan_current(access)
        if current is not None:
            current.file = access.file
        blocks.append(
            Section(
                "coordination/plan/_section_plan.html",
                {
                    "file": access.file,
                    "current": current,
                    "overdue": safety_plan.review_overdue(current),
                    "may_write": access.may_write,
                },
            )
        )
    if access.sees(CONTACTS):
        blocks.append(
            Section(
                "coordination/plan/_section_contacts.html",
                {"file": access.file, "unsafe_open": contacts.unsafe_open_for_file(access.file)},
            )
        )
    return blocks


def worklist(actor: Actor) -> list[Section]:
    """On 'Mijn regiedossiers': 'niet veilig' notes waiting for the casusregisseur, and plans
    whose review date has passed."""
    if not actor.can(Permission.CASE_WORK):
        return []
    unsafe = contacts.unsafe_open(actor)
    overdue = safety_plan.overdue_reviews(actor)
    if not unsafe and not overdue:
        return []
    return [Section("coordination/plan/_worklist.html", {"unsafe": unsafe, "overdue": overdue})]


def file_nav(access: FileAccess) -> list[NavItem]:
    items = []
    if access.sees(PLAN):
        items.append(
            NavItem(
                "Veiligheidsplan",
                "coordination:safety_plan",
                frozenset(
                    {
                        "safety_plan",
                        "safety_plan_edit",
                        "safety_plan_history",
                        "safety_plan_revision",
                    }
                ),
            )
        )
    if access.sees(CONTACTS):
        items.append(NavItem("Contacten", "coordination:contacts", frozenset({"contacts"})))
    return items


def case_actions(actor: Actor, case: Case) -> list[CaseAction]:
    """On the reporter's own dossier: a 'niet veilig' in the family's file, to weigh again."""
    return [
        CaseAction(
            f"‘Niet veilig’ gemeld in regiedossier {file.reference}: bekijk het contact",
            reverse("coordination:contacts", kwargs={"file_id": file.pk}),
        )
        for file in contacts.unsafe_files_for_case(actor, case)
    ]


# --- The safety plan ----------------------------------------------------------------------------------


@require_GET
@actor_required(Permission.CASE_WORK)
def safety_plan_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.file_get(actor=actor, file_id=file_id, part=PLAN)
    return render(
        request,
        "coordination/plan/plan.html",
        file_context(access, plan=safety_plan.plan_view(access)),
    )


@require_GET
@actor_required(Permission.CASE_WORK)
def safety_plan_history_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.file_get(actor=actor, file_id=file_id, part=PLAN)
    return render(
        request,
        "coordination/plan/history.html",
        file_context(access, revisions=safety_plan.plan_revisions(access)),
    )


@require_GET
@actor_required(Permission.CASE_WORK)
def safety_plan_revision_view(
    request: HttpRequest, file_id: int, revision_number: int
) -> HttpResponse:
    actor = current_actor(request)
    access = selectors.file_get(actor=actor, file_id=file_id, part=PLAN)
    plan = safety_plan.plan_view(access, number=revision_number)
    if plan is None:
        return render(
            request,
            "coordination/plan/plan.html",
            file_context(access, plan=None, missing=revision_number),
            status=404,
        )
    return render(request, "coordination/plan/plan.html", file_context(access, plan=plan))


@require_GET
@actor_required(Permission.CASE_WORK)
def safety_plan_print_view(request: HttpRequest, file_id: int) -> HttpResponse:
    """'Ons veiligheidsplan': the current plan in plain words, to print for the family."""
    actor = current_actor(request)
    access = selectors.file_get(actor=actor, file_id=file_id, part=PLAN, action=Action.PRINT)
    return render(
        request,
        "coordination/plan/print.html",
        file_context(
            access,
            plan=safety_plan.plan_view(access),
            printed_on=timezone.localdate(),
        ),
    )


@dataclass(frozen=True)
class Field:
    """One input of the plan form: its name (the path in the content), value and errors."""

    name: str
    value: Any
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return "veld-" + self.name.replace(".", "-")


def _plan_form(
    content: dict[str, Any], errors: dict[str, list[str]], review_date: str, change_note: str
) -> dict[str, Any]:
    """The plan form's inputs, each with its errors, from the content and the errors per path."""

    def make(name: str, value: Any) -> Field:
        return Field(name, "" if value is None else value, errors.get(name, []))

    def row(path: str, values: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Field]:
        return {key: make(f"{path}.{key}", values.get(key, "")) for key in keys}

    form = safety_plan.plan_content_for_form(content)
    goals = []
    for index, goal in enumerate(form["goals"]):
        path = f"goals.{index}"
        goals.append(
            {
                "label": f"Doel {index + 1}: wat ziet iedereen als het veilig is?",
                "behaviour": make(f"{path}.behaviour", goal["behaviour"]),
                "scores_errors": errors.get(f"{path}.scores", []),
                "scores": [
                    row(f"{path}.scores.{number}", score, ("who", "score"))
                    for number, score in enumerate(goal["scores"])
                ],
            }
        )
    return {
        "happened": make("worries.happened", form["worries"].get("happened")),
        "afraid_of": make("worries.afraid_of", form["worries"].get("afraid_of")),
        "goals": goals,
        "goals_errors": errors.get("goals", []),
        "child_view": make("child_view", form["child_view"]),
        "network": [
            row(f"network.{index}", person, ("name", "relation", "phone", "helps_with"))
            for index, person in enumerate(form["network"])
        ],
        "what_to_do": make("when_wrong.what_to_do", form["when_wrong"]["what_to_do"]),
        "call": [
            row(f"when_wrong.call.{index}", call, ("name", "phone", "when"))
            for index, call in enumerate(form["when_wrong"]["call"])
        ],
        "call_errors": errors.get("when_wrong.call", []),
        "review_date": make("review_date", review_date),
        "change_note": make("change_note", change_note),
        "error_list": [
            ("veld-" + path.replace(".", "-"), message)
            for path, messages_ in errors.items()
            for message in messages_
        ],
    }


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        return None


def _int(value: str) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
@actor_required(Permission.CASE_WORK)
def safety_plan_edit_view(request: HttpRequest, file_id: int) -> HttpResponse:
    """A new version of the plan, started from the current one. The form carries the number it
    started from; when someone saved a newer version in between, the page shows theirs and keeps
    what this person typed, and nothing is overwritten."""
    actor = current_actor(request)
    writing = request.method == "POST"
    access = selectors.file_get(
        actor=actor,
        file_id=file_id,
        part=PLAN,
        action=Action.CREATE if writing else Action.READ,
        need=rules.may_write,
    )
    current = safety_plan.plan_current(access)
    if not writing:
        suggested = timezone.localdate() + datetime.timedelta(weeks=6)
        if current is not None and current.review_date >= timezone.localdate():
            suggested = current.review_date
        form = _plan_form(current.content if current else {}, {}, suggested.isoformat(), "")
        return render(
            request,
            "coordination/plan/edit.html",
            file_context(
                access, form=form, current=current, based_on=current.number if current else 0
            ),
        )

    content = safety_plan.plan_content_from_form(request.POST)
    review_date = request.POST.get("review_date", "")
    change_note = request.POST.get("change_note", "")
    based_on = _int(request.POST.get("based_on", ""))
    errors: dict[str, list[str]] = {}
    conflict: PlanConflictError | None = None
    if based_on is None or based_on < 0:
        errors["based_on"] = ["Laad de pagina opnieuw: de versie waar u van uitging ontbreekt."]
    else:
        try:
            revision = safety_plan.safety_plan_revise(
                actor=actor,
                access=access,
                content=content,
                review_date=_date(review_date),
                based_on=based_on,
                change_note=change_note,
            )
        except PlanConflictError as error:
            conflict = error
        except PlanInputError as error:
            errors = error.errors
        except CoordinationError as error:
            errors = {"based_on": [str(error)]}
        else:
            messages.success(
                request, f"Versie {revision.number} van het veiligheidsplan is opgeslagen."
            )
            return redirect("coordination:safety_plan", file_id=file_id)
    if conflict is not None:
        conflict.current.file = access.file
    return render(
        request,
        "coordination/plan/edit.html",
        file_context(
            access,
            form=_plan_form(content, errors, review_date, change_note),
            current=conflict.current if conflict else current,
            based_on=conflict.current.number if conflict else based_on or 0,
            conflict=conflict,
        ),
        status=409 if conflict else 400,
    )


# --- Contact notes ------------------------------------------------------------------------------------


class ContactForm(forms.Form):
    contact_date = forms.DateField(
        label="Datum van het contact", widget=forms.DateInput(attrs={"type": "date"})
    )
    with_whom = forms.CharField(
        label="Met wie",
        max_length=200,
        help_text="Bijvoorbeeld ‘moeder en Sem’ of ‘vader, telefonisch’.",
    )
    summary = forms.CharField(
        label="Wat is er besproken", max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    plan_kept = forms.ChoiceField(
        label="Wordt het veiligheidsplan nagekomen?",
        choices=PlanKept.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Beantwoord de veiligheidsvraag: wordt het veiligheidsplan nagekomen?"
        },
    )
    new_worries = forms.CharField(
        label="Zijn er nieuwe zorgen?",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wat u zag of hoorde dat u zorgen geeft. Laat leeg als er geen nieuwe zorgen zijn.",
    )
    safety = forms.ChoiceField(
        label="Is het nu veilig genoeg?",
        choices=SafetyAnswer.choices,
        widget=forms.RadioSelect,
        help_text="Bij ‘niet veilig’ krijgt de casusregisseur direct een melding.",
        error_messages={"required": "Beantwoord de veiligheidsvraag: is het nu veilig genoeg?"},
    )


class AcknowledgeForm(forms.Form):
    action = forms.CharField(
        label="Wat hebt u gedaan?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Beschrijf wat u hebt gedaan."},
    )


def _contacts_page(
    request: HttpRequest,
    actor: Actor,
    access: FileAccess,
    form: ContactForm | None = None,
    *,
    status: int = 200,
    acknowledge_errors: dict[int, list[str]] | None = None,
) -> HttpResponse:
    notes = contacts.contact_notes(access)
    for note in notes:
        note.ack_errors = (acknowledge_errors or {}).get(note.pk, [])  # type: ignore[attr-defined]
    case = contacts.reweigh_case(actor, access.file)
    return render(
        request,
        "coordination/plan/contacts.html",
        file_context(
            access,
            notes=notes,
            form=form
            if form is not None
            else ContactForm(initial={"contact_date": timezone.localdate()}),
            reweigh_case=case,
            own_organisation_id=actor.organisation.pk,
        ),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@actor_required(Permission.CASE_WORK)
def contacts_view(request: HttpRequest, file_id: int) -> HttpResponse:
    actor = current_actor(request)
    if request.method != "POST":
        access = selectors.file_get(actor=actor, file_id=file_id, part=CONTACTS)
        return _contacts_page(request, actor, access)
    access = selectors.file_get(
        actor=actor, file_id=file_id, part=CONTACTS, action=Action.CREATE, need=rules.may_write
    )
    form = ContactForm(request.POST)
    if not form.is_valid():
        return _contacts_page(request, actor, access, form, status=400)
    values = form.cleaned_data
    try:
        note = contacts.contact_note_create(
            actor=actor,
            access=access,
            data=ContactData(
                contact_date=values["contact_date"],
                with_whom=values["with_whom"],
                summary=values["summary"],
                plan_kept=values["plan_kept"],
                safety=values["safety"],
                new_worries=values["new_worries"],
            ),
        )
    except ContactInputError as error:
        for name, errors in error.errors.items():
            for message in errors:
                form.add_error(name if name in form.fields else None, message)
        return _contacts_page(request, actor, access, form, status=400)
    except CoordinationError as error:
        form.add_error(None, str(error))
        return _contacts_page(request, actor, access, form, status=400)
    if note.safety == SafetyAnswer.UNSAFE:
        messages.warning(
            request,
            "De contactnotitie is opgeslagen. U meldt ‘niet veilig’: de casusregisseur krijgt "
            "hiervan direct bericht.",
        )
    else:
        messages.success(request, "De contactnotitie is opgeslagen.")
    return redirect(
        reverse("coordination:contacts", kwargs={"file_id": file_id}) + f"#contact-{note.pk}"
    )


@require_POST
@actor_required(Permission.CASE_WORK)
def contact_acknowledge_view(request: HttpRequest, file_id: int, contact_id: int) -> HttpResponse:
    """The casusregisseur saw a 'niet veilig' note, and says what they did."""
    actor = current_actor(request)
    access = selectors.file_get(
        actor=actor,
        file_id=file_id,
        part=CONTACTS,
        action=Action.UPDATE,
        need=rules.is_coordinator,
    )
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            contacts.unsafe_acknowledge(
                actor=actor, access=access, note_id=contact_id, action=form.cleaned_data["action"]
            )
        except ContactInputError as error:
            problems = [message for errors in error.errors.values() for message in errors]
        except CoordinationError as error:
            problems = [str(error)]
        else:
            messages.success(request, "U hebt de melding ‘niet veilig’ bevestigd.")
            return redirect("coordination:contacts", file_id=file_id)
    else:
        problems = [str(message) for errors in form.errors.values() for message in errors]
    return _contacts_page(
        request, actor, access, status=400, acknowledge_errors={contact_id: problems}
    )
