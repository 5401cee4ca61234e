"""Pages of 'zorgen delen': share a worry, my shared worries, the worries waiting for me, one
worry with its conversation, closing it, and making it a case.

Every page reaches a worry through `worries.worry_get` (404 and a logged refusal for a worry out
of reach) and changes it through one service; a service's Dutch messages come back on the
form's fields and nothing changes. The worry's text travels only in POST bodies, never in a URL,
so it stays out of the server's request log.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_POST

from meldwijzer.audit.models import Subject
from meldwijzer.cases import rules as case_rules
from meldwijzer.cases.models import ClientKind
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.paging import page_number, query_without_page
from meldwijzer.organisations.models import Profession
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_profession
from meldwijzer.trainings import worries
from meldwijzer.trainings.models import WorryRecipient
from meldwijzer.trainings.worries import WorryAccess, WorryError, WorryInputError


class WorryForm(forms.Form):
    recipient = forms.ChoiceField(
        label="Aan wie legt u uw zorg voor?",
        choices=WorryRecipient.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies aan wie u uw zorg voorlegt."},
    )
    profession = forms.ChoiceField(
        label="Uw beroepsgroep",
        required=False,
        help_text="Zo kan wie antwoordt rekening houden met uw werk.",
    )
    target_group = forms.ChoiceField(
        label="Over wie gaat uw zorg?",
        required=False,
        choices=[("", "Zeg ik liever niet"), *worries.TARGET_GROUPS],
    )
    question = forms.CharField(
        label="Uw zorg en uw vraag",
        max_length=worries.QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Beschrijf wat u ziet of hoort en wat u wilt weten. Schrijf ‘een leerling’, "
        "‘de moeder’ of ‘een jongen van ongeveer 10’: geen namen, geen geboortedatum, geen adres "
        "en geen BSN.",
        error_messages={"required": "Beschrijf uw zorg en uw vraag."},
    )

    def __init__(self, *args: Any, line_name: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["profession"]
        field.choices = [("", "Kies uw beroepsgroep"), *Profession.choices]  # type: ignore[attr-defined]
        recipient = self.fields["recipient"]
        line = (
            f"De regionale consultatielijn: {line_name}. Daar antwoordt een medewerker van "
            "Veilig Thuis. U krijgt advies; er wordt geen melding gedaan."
            if line_name
            else "De regionale consultatielijn (voor uw gemeente is er nog geen)."
        )
        recipient.choices = [  # type: ignore[attr-defined]
            (
                WorryRecipient.OFFICER.value,
                "De aandachtsfunctionaris van mijn organisatie. Die kent de meldcode en uw "
                "organisatie.",
            ),
            (WorryRecipient.LINE.value, line),
        ]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Uw bericht",
        max_length=worries.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ook hier: geen namen, geen geboortedatum, geen adres en geen BSN.",
        error_messages={"required": "Schrijf uw bericht."},
    )


class ToCaseForm(forms.Form):
    client = forms.ChoiceField(
        label="Over wie gaat uw zorg?",
        choices=ClientKind.choices,
        widget=forms.RadioSelect,
        help_text="Gaat het om een volwassene, dan vraagt stap 1 ook of er kinderen zijn "
        "(kindcheck). U kunt dit later nog wijzigen.",
        error_messages={"required": "Kies of uw zorg over een kind of een volwassene gaat."},
    )


def _errors_apply(form: forms.Form, error: WorryInputError) -> None:
    for field, field_messages in error.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def _worry_url(worry_id: int, anchor: str = "") -> str:
    url = reverse("trainings:worry", kwargs={"worry_id": worry_id})
    return f"{url}#{anchor}" if anchor else url


@actor_required(Permission.CASE_WORK, subject=Subject.WORRIES)
def worry_create_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    line = worries.line_for(actor.organisation)
    form = WorryForm(
        request.POST or None,
        line_name=line.name if line else "",
        initial={"profession": actor_profession(actor=actor)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                worry = worries.worry_share(actor=actor, **form.cleaned_data)
            except WorryInputError as error:
                _errors_apply(form, error)
            except WorryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Uw zorg is gedeeld met kenmerk {worry.reference}. U krijgt een e-mail als "
                    "er een antwoord is.",
                )
                return redirect(_worry_url(worry.pk))
        status = 400
    return render(
        request,
        "trainings/worries/create.html",
        {"form": form, "line": line, "has_officer": worries.has_officer(actor.organisation)},
        status=status,
    )


@actor_required(Permission.CASE_WORK, subject=Subject.WORRIES)
def worry_list_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, inbox=False)


@actor_required(Permission.CASE_WORK, subject=Subject.WORRIES)
def worry_inbox_view(request: HttpRequest) -> HttpResponse:
    return _list_page(request, inbox=True)


def _list_page(request: HttpRequest, *, inbox: bool) -> HttpResponse:
    page = worries.worries_page(
        actor=current_actor(request), inbox=inbox, page=page_number(request)
    )
    return render(
        request,
        "trainings/worries/list.html",
        {
            "worries": page.object_list,
            "inbox": inbox,
            "page": page,
            "filters_query": query_without_page(request),
        },
    )


def _detail(
    request: HttpRequest, access: WorryAccess, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    actor = current_actor(request)
    worry = access.worry
    case = worry.case
    return render(
        request,
        "trainings/worries/detail.html",
        {
            "access": access,
            "worry": worry,
            "conversation": worries.worry_messages(worry),
            "form": form if form is not None else MessageForm(),
            "case_link": case is not None and case_rules.can_read(actor, case),
            "target_group": dict(worries.TARGET_GROUPS).get(worry.target_group, ""),
            "profession": Profession(worry.profession).label
            if worry.profession in Profession.values
            else "",
        },
        status=status,
    )


@actor_required(Permission.CASE_WORK, subject=Subject.WORRY)
def worry_view(request: HttpRequest, worry_id: int) -> HttpResponse:
    actor = current_actor(request)
    return _detail(request, worries.worry_get(actor=actor, worry_id=worry_id))


@require_POST
@actor_required(Permission.CASE_WORK, subject=Subject.WORRY)
def worry_message_view(request: HttpRequest, worry_id: int) -> HttpResponse:
    actor = current_actor(request)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message = worries.worry_message(
                actor=actor, worry_id=worry_id, body=form.cleaned_data["body"]
            )
        except WorryInputError as error:
            _errors_apply(form, error)
        except WorryError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Uw bericht is verstuurd.")
            return redirect(_worry_url(worry_id, f"bericht-{message.pk}"))
    access = worries.worry_get(actor=actor, worry_id=worry_id)
    return _detail(request, access, form, status=400)


@require_POST
@actor_required(Permission.CASE_WORK, subject=Subject.WORRY)
def worry_close_view(request: HttpRequest, worry_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        worries.worry_close(actor=actor, worry_id=worry_id)
    except WorryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "De zorg is gesloten.")
    return redirect(_worry_url(worry_id))


@actor_required(Permission.CASE_WORK, subject=Subject.WORRY)
def worry_case_view(request: HttpRequest, worry_id: int) -> HttpResponse:
    actor = current_actor(request)
    access = worries.worry_get(actor=actor, worry_id=worry_id, part="casus")
    if not access.may_make_case:
        # Only the one who shared the worry makes a case of it, once; the service says so too.
        messages.error(
            request,
            "Van deze zorg is al een casus gemaakt."
            if access.worry.case_id
            else "Alleen wie de zorg deelde, maakt er een casus van.",
        )
        return redirect(_worry_url(worry_id))
    form = ToCaseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = worries.worry_to_case(
                    actor=actor, worry_id=worry_id, client=form.cleaned_data["client"]
                )
            except WorryInputError as error:
                _errors_apply(form, error)
            except WorryError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"Casus {case.reference} is geopend vanuit zorg {access.worry.reference}. "
                    "Begin met stap 1.",
                )
                return redirect(reverse("cases:detail", kwargs={"case_id": case.pk}))
        status = 400
    return render(
        request,
        "trainings/worries/to_case.html",
        {"form": form, "access": access, "worry": access.worry},
        status=status,
    )


urlpatterns: list[URLPattern] = [
    path("zorgen/", worry_list_view, name="worries"),
    path("zorgen/nieuw/", worry_create_view, name="worry_create"),
    path("zorgen/voor-mij/", worry_inbox_view, name="worry_inbox"),
    path("zorgen/<int:worry_id>/", worry_view, name="worry"),
    path("zorgen/<int:worry_id>/bericht/", worry_message_view, name="worry_message"),
    path("zorgen/<int:worry_id>/sluiten/", worry_close_view, name="worry_close"),
    path("zorgen/<int:worry_id>/casus/", worry_case_view, name="worry_case"),
]
