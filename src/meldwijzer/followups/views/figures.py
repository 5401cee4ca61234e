"""The follow-up figures page for policy: totals for a chosen period, never a family."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from meldwijzer.cases.entries import DateInput
from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.followups import figures


class PeriodForm(forms.Form):
    started_from = forms.DateField(
        label="Gestart vanaf",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Vul een datum in als dd-mm-jjjj."},
    )
    started_to = forms.DateField(
        label="Gestart tot en met",
        required=False,
        widget=DateInput,
        error_messages={"invalid": "Vul een datum in als dd-mm-jjjj."},
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("started_from"), cleaned.get("started_to")
        if start and end and start > end:
            self.add_error("started_to", "Kies een einddatum op of na de begindatum.")
        return cleaned


@actor_required()
def figures_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    figures.figures_allowed(actor=actor)
    form = PeriodForm(request.GET or None)
    result = None
    if not form.is_bound:
        result = figures.figures_for(actor=actor)
    elif form.is_valid():
        result = figures.figures_for(
            actor=actor,
            started_from=form.cleaned_data["started_from"],
            started_to=form.cleaned_data["started_to"],
        )
    return render(
        request,
        "followups/figures.html",
        {"form": form, "figures": result, "smallest": figures.SMALLEST},
    )
