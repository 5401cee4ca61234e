"""Pages for sharing a consultation summary (`cases.sharing`): the responsible professional shares
and revokes from the consultation entry; the aandachtsfunctionaris it was shared with sees it
under 'Met u gedeeld'."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meldwijzer.audit.models import Action
from meldwijzer.cases import selectors, sharing
from meldwijzer.cases.display import date_text
from meldwijzer.cases.entries import CONSULTED, DateInput
from meldwijzer.cases.models import Case, Entry
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.privacy.models import CONFLICT_CHECKS, GroundKind
from meldwijzer.privacy.services import GRANT_MAX_DAYS, SharingError

NEW_GROUND = ""


class ShareForm(forms.Form):
    email = forms.EmailField(
        label="E-mailadres van de aandachtsfunctionaris",
        max_length=254,
        help_text="De aandachtsfunctionaris van een andere organisatie die u hebt geraadpleegd.",
        error_messages={
            "required": "Vul het e-mailadres in.",
            "invalid": "Dit is geen geldig e-mailadres.",
        },
    )
    until = forms.DateField(
        label="Inzien tot en met",
        widget=DateInput,
        help_text=f"Uiterlijk {GRANT_MAX_DAYS[sharing.SUMMARY]} dagen vanaf vandaag.",
        error_messages={"required": "Kies tot wanneer.", "invalid": "Kies een geldige datum."},
    )
    ground = forms.ChoiceField(label="Grondslag", required=False)
    ground_kind = forms.ChoiceField(
        label="Op welke grond deelt u?",
        choices=GroundKind.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Met een andere organisatie dan Veilig Thuis deelt u met toestemming, of bij "
        "een conflict van plichten.",
    )
    given_by = forms.CharField(
        label="Wie gaf toestemming (bij toestemming)",
        max_length=120,
        required=False,
        help_text="Bijvoorbeeld ‘moeder (met gezag)’ of ‘de cliënt zelf’. Geen namen nodig.",
    )
    consent_until = forms.DateField(
        label="Toestemming geldt tot en met (bij toestemming)", widget=DateInput, required=False
    )
    checks = forms.MultipleChoiceField(
        label="Afweging bij een conflict van plichten",
        choices=CONFLICT_CHECKS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    reasoning = forms.CharField(
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Verplicht bij een conflict van plichten: waarom u zonder toestemming deelt.",
    )

    def __init__(self, *args: Any, grounds: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ground_field = self.fields["ground"]
        assert isinstance(ground_field, forms.ChoiceField)
        ground_field.choices = [(NEW_GROUND, "Een nieuwe grondslag vastleggen (hieronder)")] + [
            (
                str(ground.pk),
                f"{ground.get_kind_display()} van {ground.recorded_at:%d-%m-%Y}: "
                f"{ground.with_whom}",
            )
            for ground in grounds
        ]
        self.fields["until"].initial = timezone.localdate() + datetime.timedelta(days=14)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("ground") and not data.get("ground_kind"):
            self.add_error("ground_kind", "Kies op welke grond u deelt.")
        return data


def _share_page(
    request: HttpRequest, actor: Actor, case: Case, entry: Entry, form: ShareForm, status: int
) -> HttpResponse:
    return render(
        request,
        "cases/sharing/share.html",
        {
            "case": case,
            "entry": entry,
            "entry_date": date_text(str(entry.data.get("date", ""))),
            "consulted": dict(CONSULTED).get(entry.data.get("consulted", ""), ""),
            "form": form,
            "grants": sharing.consultation_grants(case=case, entry=entry),
            "grounds": sharing.case_grounds(actor=actor, case=case),
            "may_share": sharing.may_share(actor, case),
        },
        status=status,
    )


@actor_required(Permission.CASE_WORK)
def consultation_share_view(request: HttpRequest, case_id: int, entry_id: int) -> HttpResponse:
    actor = current_actor(request)
    action = Action.CREATE if request.method == "POST" else Action.READ
    case = selectors.case_get(actor=actor, case_id=case_id, part="delen", action=action)
    entry = sharing.case_consultation_get(actor=actor, case=case, entry_id=entry_id, action=action)
    grounds = sharing.shareable_grounds(actor=actor, case=case)
    form = ShareForm(request.POST or None, grounds=grounds)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = form.cleaned_data
            try:
                grant = sharing.consultation_share(
                    actor=actor,
                    case=case,
                    entry_id=entry.pk,
                    email=values["email"],
                    until=values["until"],
                    ground_id=int(values["ground"]) if values["ground"] else None,
                    ground_kind=values["ground_kind"],
                    given_by=values["given_by"],
                    reasoning=values["reasoning"],
                    checks=tuple(values["checks"]),
                    consent_until=values["consent_until"],
                )
            except SharingError as error:
                form.add_error(None, str(error))
                status = 400
            else:
                messages.success(
                    request,
                    f"Het verslag is gedeeld met {grant.user.get_full_name()} "
                    f"({grant.organisation}) tot en met "
                    f"{grant.until:%d-%m-%Y}.",
                )
                return redirect(request.path)
        else:
            status = 400
    return _share_page(request, actor, case, entry, form, status)


@require_POST
@actor_required(Permission.CASE_WORK)
def consultation_unshare_view(request: HttpRequest, case_id: int, grant_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="delen", action=Action.UPDATE)
    grant = sharing.case_grant_get(actor=actor, case=case, grant_id=grant_id, action=Action.UPDATE)
    try:
        sharing.consultation_grant_revoke(actor=actor, case=case, grant=grant)
    except SharingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"De toegang van {grant.user.get_full_name()} tot het consultatieverslag is "
            "ingetrokken.",
        )
    return redirect("cases:detail", case_id=case.pk)


@require_POST
@actor_required(Permission.CASE_WORK)
def consent_withdraw_view(request: HttpRequest, case_id: int, ground_id: int) -> HttpResponse:
    actor = current_actor(request)
    case = selectors.case_get(actor=actor, case_id=case_id, part="delen", action=Action.UPDATE)
    ground = sharing.case_ground_get(
        actor=actor, case=case, ground_id=ground_id, action=Action.UPDATE
    )
    note = request.POST.get("note", "")
    try:
        sharing.case_consent_withdraw(actor=actor, case=case, ground=ground, note=note)
    except SharingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            "De intrekking van de toestemming is vastgelegd. Alles wat erop was gedeeld, is "
            "niet meer in te zien.",
        )
    return redirect("cases:detail", case_id=case.pk)


@actor_required()
def shared_list_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    return render(
        request, "cases/sharing/shared_list.html", {"rows": sharing.shared_with_me(actor=actor)}
    )


@actor_required()
def shared_consultation_view(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = current_actor(request)
    shared = sharing.shared_consultation_get(actor=actor, entry_id=entry_id)
    return render(
        request,
        "cases/sharing/shared_consultation.html",
        {
            "shared": shared,
            "consulted": dict(CONSULTED).get(shared.entry.data.get("consulted", ""), ""),
            "corrected": sharing.summary_corrected(shared.entry),
        },
    )
