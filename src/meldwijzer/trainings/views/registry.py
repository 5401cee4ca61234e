"""Pages of the registry: a professional's own meldcode training, and the organisation's registry
(meldcode, aandachtsfunctionarissen, trainings) kept by its functioneel beheerder. Thin: a form
checks the shape, a service in `trainings.registry` checks the rest and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from meldwijzer.cases.entries import DateInput
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.downloads import attachment_response
from meldwijzer.organisations.roles import Permission
from meldwijzer.trainings import registry
from meldwijzer.trainings.models import DEFAULT_REFRESH_MONTHS, TrainingKind

TOO_LARGE = "Het bestand is groter dan 10 MB. Kies een kleiner bestand."
DATE_ERRORS = {"required": "Vul een datum in.", "invalid": "Vul een geldige datum in (dd-mm-jjjj)."}


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput,
        error_messages=DATE_ERRORS,
        help_text=help_text,
    )


def _person_field(label: str, people: list[tuple[int, str]]) -> forms.IntegerField:
    """A select of people; the id itself is checked by the service (another organisation's
    person is 'not found', logged), so the form only checks it is a number."""
    return forms.IntegerField(
        label=label,
        widget=forms.Select(choices=[("", "Kies een medewerker"), *people]),
        error_messages={"required": "Kies een medewerker.", "invalid": "Kies een medewerker."},
    )


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort training",
        choices=[("", "Kies de soort training"), *TrainingKind.choices],
        error_messages={
            "required": "Kies de soort training.",
            "invalid_choice": "Kies de soort training.",
        },
    )
    completed_on = _date("Gevolgd op")
    provider = forms.CharField(
        label="Aanbieder",
        max_length=200,
        error_messages={"required": "Vul de aanbieder van de training in."},
    )
    refresh_months = forms.IntegerField(
        label="Opfrissen na (maanden)",
        initial=DEFAULT_REFRESH_MONTHS,
        min_value=1,
        max_value=60,
        help_text="Meestal 12 maanden: de meldcode frist u jaarlijks op.",
        error_messages={
            "required": "Vul een termijn in maanden in.",
            "invalid": "Vul een heel aantal maanden in.",
            "min_value": "Kies een termijn van 1 tot en met 60 maanden.",
            "max_value": "Kies een termijn van 1 tot en met 60 maanden.",
        },
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"user": _person_field("Medewerker", people), **self.fields}


class OfficerForm(forms.Form):
    started_on = _date("Aandachtsfunctionaris sinds")
    training = forms.CharField(
        label="Opleiding tot aandachtsfunctionaris", max_length=200, required=False
    )
    trained_on = _date("Opleiding afgerond op", required=False)
    register = forms.CharField(
        label="Register",
        max_length=200,
        required=False,
        help_text="Bijvoorbeeld het Registerplein of het BIG-register.",
    )
    register_number = forms.CharField(label="Registratienummer", max_length=50, required=False)
    vog_on = _date(
        "Datum verklaring omtrent het gedrag (VOG)",
        required=False,
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields = {"user": _person_field("Medewerker", people), **self.fields}


class OfficerEndForm(forms.Form):
    ended_on = _date("Gestopt op")


class AdoptionForm(forms.Form):
    title = forms.CharField(
        label="Naam van de meldcode",
        max_length=200,
        error_messages={"required": "Vul de naam van de meldcode in."},
    )
    adopted_on = _date("Vastgesteld op")
    document = forms.FileField(
        label="De meldcode als pdf",
        required=False,
        help_text="Hoogstens 10 MB. Collega's kunnen het bestand downloaden.",
    )


def _people(actor: Any) -> list[tuple[int, str]]:
    return [(user.pk, registry.user_label(user)) for user in registry.members(actor.organisation)]


def _apply_errors(form: forms.Form, error: registry.RegistryInputError) -> None:
    for name, problems in error.errors.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)


@require_GET
@actor_required()
def my_training_view(request: HttpRequest) -> HttpResponse:
    status = registry.own_status(actor=current_actor(request))
    return render(request, "trainings/registry/mine.html", {"own": status})


@require_GET
@actor_required(Permission.TRAININGS_MANAGE)
def registry_view(request: HttpRequest) -> HttpResponse:
    found = registry.registry_get(actor=current_actor(request))
    return render(
        request,
        "trainings/registry/registry.html",
        {"registry": found, "Status": registry.Status, "due_soon_days": registry.DUE_SOON_DAYS},
    )


@actor_required(Permission.TRAININGS_MANAGE)
def training_new_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = TrainingForm(request.POST or None, people=_people(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = registry.training_record(
                actor=actor,
                user_id=data["user"],
                kind=data["kind"],
                completed_on=data["completed_on"],
                provider=data["provider"],
                refresh_months=data["refresh_months"],
            )
        except registry.RegistryInputError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"De training van {registry.user_label(record.user)} is vastgelegd. "
                f"Opfrissen vóór {record.due_on:%d-%m-%Y}.",
            )
            return redirect("trainings:registry")
    return render(
        request,
        "trainings/registry/form.html",
        {"form": form, "title": "Training vastleggen", "submit": "Training vastleggen"},
    )


@actor_required(Permission.TRAININGS_MANAGE)
def officer_new_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = OfficerForm(request.POST or None, people=_people(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = registry.officer_register(
                actor=actor,
                user_id=data["user"],
                started_on=data["started_on"],
                training=data["training"],
                trained_on=data["trained_on"],
                register=data["register"],
                register_number=data["register_number"],
                vog_on=data["vog_on"],
            )
        except registry.RegistryInputError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{registry.user_label(officer.user)} staat nu geregistreerd als "
                "aandachtsfunctionaris.",
            )
            return redirect("trainings:registry")
    return render(
        request,
        "trainings/registry/form.html",
        {
            "form": form,
            "title": "Aandachtsfunctionaris registreren",
            "submit": "Registreren",
        },
    )


@actor_required(Permission.TRAININGS_MANAGE)
def officer_end_view(request: HttpRequest, officer_id: int) -> HttpResponse:
    actor = current_actor(request)
    officer = registry.officer_get(actor=actor, officer_id=officer_id)
    form = OfficerEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registry.officer_end(
                actor=actor, officer_id=officer.pk, ended_on=form.cleaned_data["ended_on"]
            )
        except registry.RegistryInputError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{registry.user_label(officer.user)} is niet langer aandachtsfunctionaris.",
            )
            return redirect("trainings:registry")
    return render(
        request,
        "trainings/registry/form.html",
        {
            "form": form,
            "title": f"Registratie beëindigen: {registry.user_label(officer.user)}",
            "intro": f"Aandachtsfunctionaris sinds {officer.started_on:%d-%m-%Y}. De registratie "
            "blijft bewaard, met de datum waarop deze persoon stopte.",
            "submit": "Registratie beëindigen",
        },
    )


@actor_required(Permission.TRAININGS_MANAGE)
def adoption_new_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    form = AdoptionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        content: bytes | None = None
        if upload is not None:
            if (upload.size or 0) > registry.MAX_DOCUMENT_BYTES:
                # Refused without reading the whole file.
                form.add_error("document", TOO_LARGE)
            else:
                content = upload.read()
        if not form.errors:
            try:
                registry.adoption_record(
                    actor=actor,
                    title=form.cleaned_data["title"],
                    adopted_on=form.cleaned_data["adopted_on"],
                    document=content,
                    document_name=upload.name if upload is not None else "",
                )
            except registry.RegistryInputError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, "De meldcode van uw organisatie is vastgelegd.")
                return redirect("trainings:registry")
    return render(
        request,
        "trainings/registry/form.html",
        {
            "form": form,
            "title": "Meldcode vastleggen",
            "intro": "Heeft uw organisatie de meldcode opnieuw vastgesteld? Leg dan een nieuwe "
            "versie vast; de vorige blijft bewaard.",
            "submit": "Meldcode vastleggen",
            "multipart": True,
        },
    )


@require_GET
@actor_required()
def document_view(request: HttpRequest, adoption_id: int) -> HttpResponse:
    """The meldcode document, always as a download (never shown inline)."""
    adoption, file_path = registry.document_get(
        actor=current_actor(request), adoption_id=adoption_id
    )
    return attachment_response(
        file_path.read_bytes(),
        filename=adoption.document_name or "meldcode.pdf",
        content_type="application/pdf",
    )


urlpatterns: list[URLPattern] = [
    path("mijn-training/", my_training_view, name="my_training"),
    path("register/", registry_view, name="registry"),
    path("register/trainingen/nieuw/", training_new_view, name="registry_training_new"),
    path(
        "register/aandachtsfunctionarissen/nieuw/",
        officer_new_view,
        name="registry_officer_new",
    ),
    path(
        "register/aandachtsfunctionarissen/<int:officer_id>/beeindigen/",
        officer_end_view,
        name="registry_officer_end",
    ),
    path("register/meldcode/nieuw/", adoption_new_view, name="registry_meldcode_new"),
    path("meldcode/<int:adoption_id>/document/", document_view, name="meldcode_document"),
]
