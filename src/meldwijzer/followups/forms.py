"""The forms of the follow-up pages. They only read the input; every check that protects the
family is in the services, whose Dutch messages the views put back on the fields
(`errors_apply`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from meldwijzer.cases.entries import DateInput
from meldwijzer.followups import schedules
from meldwijzer.followups.models import ContactMode, DecisionKind, PlannedContact, Safety
from meldwijzer.followups.services import ContactData, FollowupInputError, PlanChange

SAFETY_CHOICES = [
    (
        Safety.SAFE.value,
        "Veilig: de afspraken van het veiligheidsplan werken. Het schema loopt gewoon door.",
    ),
    (
        Safety.WORRIES.value,
        "Zorgen: het gaat minder goed. Het volgende contact komt binnen twee weken.",
    ),
    (
        Safety.UNSAFE.value,
        "Niet veilig: de meldcode gaat opnieuw open. Het plan stopt. De casusregisseur (of wie "
        "het dossier afsloot) krijgt direct bericht.",
    ),
]

END_CHOICES = [
    (DecisionKind.COMPLETED.value, "Afronden: de veiligheid is duurzaam"),
    (DecisionKind.EXTENDED.value, "Verlengen tot een nieuwe datum"),
    (DecisionKind.REOPENED.value, "Heropenen: de meldcode opnieuw"),
]


def errors_apply(form: forms.Form, error: FollowupInputError) -> None:
    """Put a service's field errors on the form's fields (unknown fields: on the form)."""
    for field, messages in error.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def required(message: str) -> dict[str, str]:
    return {"required": message}


def version_of(form: forms.Form) -> int:
    """The plan's version the form was filled in on, sent as the page's `version` field
    (`cases/_fields.html`); a missing one is a conflict (0)."""
    value = str(form.data.get("version", ""))
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 10 else 0


class ContactForm(forms.Form):
    held_on = forms.DateField(
        label="Datum van het contact",
        widget=DateInput,
        initial=timezone.localdate,
        error_messages=required("Kies de datum van het contact."),
    )
    mode = forms.ChoiceField(
        label="Hoe was het contact?",
        choices=[("", "Kies…"), *ContactMode.choices],
        error_messages=required("Kies hoe het contact was."),
    )
    summary = forms.CharField(
        label="Hoe ging het?",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("Beschrijf kort hoe het ging."),
    )
    safety = forms.ChoiceField(
        label="Hoe veilig is het?",
        choices=SAFETY_CHOICES,
        widget=forms.RadioSelect,
        help_text="Kijk naar de afspraken van het veiligheidsplan.",
        error_messages=required("Geef aan hoe veilig het is: veilig, zorgen of niet veilig."),
    )
    safety_note = forms.CharField(
        label="Toelichting bij de veiligheid",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Wat ziet of hoort u, naast de afspraken van het veiligheidsplan?",
        error_messages=required(
            "Licht de veiligheid toe, naast de afspraken van het veiligheidsplan."
        ),
    )
    planned = forms.ChoiceField(
        label="Welk gepland contact is dit?",
        required=False,
        help_text="Het eerste geplande contact staat al gekozen.",
    )

    def __init__(self, *args: Any, planned: list[PlannedContact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["planned"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            *((str(p.pk), f"{p.due_on:%d-%m-%Y} · {p.get_level_display()}") for p in planned),
            ("", "Een extra contact, buiten het schema"),
        ]
        if planned and not self.is_bound:
            self.initial["planned"] = str(planned[0].pk)

    def data_for_service(self) -> ContactData:
        data = self.cleaned_data
        return ContactData(
            held_on=data.get("held_on"),
            mode=data.get("mode") or "",
            summary=data.get("summary") or "",
            safety=data.get("safety") or "",
            safety_note=data.get("safety_note") or "",
            planned_id=int(data["planned"]) if data.get("planned") else None,
        )


class PlanChangeForm(forms.Form):
    follower = forms.ChoiceField(label="Wie volgt de veiligheid?")
    schedule = forms.ChoiceField(label="Schema")
    how = forms.CharField(
        label="Afspraken: hoe de veiligheid wordt gevolgd",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=required("Beschrijf hoe de veiligheid wordt gevolgd."),
    )
    note = forms.CharField(
        label="Waarom verandert het plan?",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Geef aan waarom het plan verandert."),
    )

    def __init__(self, *args: Any, followers: list[tuple[str, str]] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schedule = self.fields["schedule"]
        assert isinstance(schedule, forms.ChoiceField)
        schedule.choices = schedules.schedules().choices()
        if followers is None:
            del self.fields["follower"]
        else:
            follower = self.fields["follower"]
            assert isinstance(follower, forms.ChoiceField)
            follower.choices = followers

    def change_for_service(self) -> PlanChange:
        data = self.cleaned_data
        follower_id = organisation_id = None
        if data.get("follower"):
            user, organisation = data["follower"].split(":")
            follower_id, organisation_id = int(user), int(organisation)
        return PlanChange(
            note=data.get("note") or "",
            follower_id=follower_id,
            organisation_id=organisation_id,
            schedule=data.get("schedule") or None,
            how=data.get("how") or None,
        )


class PlannedMoveForm(forms.Form):
    due_on = forms.DateField(
        label="Nieuwe datum", widget=DateInput, error_messages=required("Kies de nieuwe datum.")
    )
    reason = forms.CharField(
        label="Waarom verschuift het contact?",
        max_length=200,
        error_messages=required("Geef aan waarom het contact verschuift."),
    )


class PlanEndForm(forms.Form):
    kind = forms.ChoiceField(
        label="Besluit",
        choices=END_CHOICES,
        widget=forms.RadioSelect,
        error_messages=required("Kies: afronden, verlengen of heropenen."),
    )
    extend_until = forms.DateField(
        label="Verlengen tot en met",
        widget=DateInput,
        required=False,
        help_text="Alleen bij verlengen.",
    )
    note = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=required("Licht het besluit toe."),
    )


class AlertAcknowledgeForm(forms.Form):
    note = forms.CharField(
        label="Wat heeft u gedaan?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=required("Schrijf kort wat u heeft gedaan."),
    )
