"""Forms of the case pages that are not dossier entries (those are in `cases.entries`).

They only validate input; the services decide whether a change is allowed. Every form that
changes a case is posted together with `VersionForm`, the version of the case the professional
saw, so a change made by someone else in the meantime is never overwritten.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from meldwijzer.cases.entries import DateInput
from meldwijzer.cases.extensions import FollowupAgreement
from meldwijzer.cases.followers import FOLLOWER_HINT, default_until, follower_parse
from meldwijzer.cases.frameworks import Question, profession_choices
from meldwijzer.cases.models import Authority, ClientKind, Gender, Outcome, PersonKind
from meldwijzer.cases.services import bsn_clean, bsn_valid
from meldwijzer.cases.workflow import FOLLOWUP_REQUIRED, Phase
from meldwijzer.privacy.models import SharingGround

_DATE_ERRORS = {"invalid": "Vul een geldige datum in (dd-mm-jjjj)."}

VERSION_ERROR = (
    "Het formulier mist de versie van de casus, of die is ongeldig. Open de casus opnieuw en "
    "voer uw wijziging daarna in."
)


class VersionForm(forms.Form):
    """The version of the case the form was based on (optimistic locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class BsnField(forms.CharField):
    """A BSN, typed with or without spaces and dots, checked with the elfproef."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=11, required=False, **kwargs)

    def clean(self, value: Any) -> str:
        bsn = bsn_clean(str(super().clean(value)))
        if bsn and not bsn_valid(bsn):
            raise forms.ValidationError("Dit is geen geldig BSN (9 cijfers, elfproef).")
        return bsn


def _not_in_future(value: datetime.date | None) -> datetime.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError("De geboortedatum ligt in de toekomst.")
    return value


def _unidentified_reason_field() -> forms.CharField:
    """Asked only when nobody the report is about can be identified (see `services`)."""
    return forms.CharField(
        label="Waarom kunt u het kind of de cliënt niet identificeren?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Alleen als er geen kind of cliënt is met naam en BSN, geboortedatum of adres. "
        "Kunt u die aanvullen bij Betrokkenen, doe dat dan eerst; Veilig Thuis vraagt ernaar.",
    )


class CaseFilterForm(forms.Form):
    phase = forms.ChoiceField(label="Fase", choices=[("", "Alle fasen"), *Phase.choices])
    overdue = forms.ChoiceField(
        label="Streefdatum verstreken",
        choices=[("", "Maakt niet uit"), ("ja", "Ja"), ("nee", "Nee")],
    )
    outcome = forms.ChoiceField(label="Besluit", choices=[("", "Alle"), *Outcome.choices])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def filters(self) -> dict[str, Any]:
        """Valid filters only; invalid values are left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        overdue = {"ja": True, "nee": False}.get(data.get("overdue", ""))
        return {
            "phase": data.get("phase", ""),
            "overdue": overdue,
            "outcome": data.get("outcome", ""),
        }


class CaseCreateForm(forms.Form):
    title = forms.CharField(
        label="Korte omschrijving",
        max_length=120,
        help_text="Zonder namen of andere herkenbare gegevens, bijvoorbeeld ‘Zorgen over "
        "leerling groep 5’.",
        error_messages={"required": "Vul een korte omschrijving in."},
    )
    profession = forms.ChoiceField(
        label="Beroepsgroep",
        help_text="Bepaalt welk afwegingskader Meldwijzer bij stap 4 en 5 toont. Voorgesteld op "
        "grond van uw beroepsgroep of de sector van uw organisatie.",
        error_messages={"required": "Kies uw beroepsgroep."},
    )
    client = forms.ChoiceField(
        label="Over wie gaat uw zorg?",
        choices=ClientKind.choices,
        widget=forms.RadioSelect,
        help_text="Gaat het om een volwassene, dan vraagt stap 1 ook of er minderjarige kinderen "
        "zijn of de cliënt zwanger is (kindcheck). U kunt dit later nog wijzigen.",
        error_messages={"required": "Kies of uw zorg over een kind of een volwassene gaat."},
    )
    name = forms.CharField(label="Naam van het kind of de cliënt", max_length=200, required=False)
    bsn = BsnField(label="BSN")
    date_of_birth = forms.DateField(
        label="Geboortedatum", required=False, widget=DateInput, error_messages=_DATE_ERRORS
    )

    def __init__(self, *args: Any, profession: str = "", client: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["profession"]
        field.choices = [("", "Kies uw beroepsgroep"), *profession_choices()]  # type: ignore[attr-defined]
        field.initial = profession
        self.fields["client"].initial = client

    def clean_date_of_birth(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data["date_of_birth"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("bsn") or data.get("date_of_birth")) and not data.get("name"):
            self.add_error("name", "Vul ook de naam in.")
        return data


class ClientForm(forms.Form):
    client = forms.ChoiceField(
        label="Over wie gaat uw zorg?",
        choices=ClientKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of uw zorg over een kind of een volwassene gaat."},
    )


class PersonForm(forms.Form):
    kind = forms.ChoiceField(
        label="Wie is dit?",
        choices=PersonKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies wie deze betrokkene is."},
    )
    name = forms.CharField(
        label="Naam",
        max_length=200,
        help_text="Voor- en achternaam. Weet u die (nog) niet, gebruik dan een aanduiding zoals "
        "‘moeder van Sam’.",
        error_messages={"required": "Vul een naam of aanduiding in."},
    )
    date_of_birth = forms.DateField(
        label="Geboortedatum", required=False, widget=DateInput, error_messages=_DATE_ERRORS
    )
    age = forms.IntegerField(
        label="Leeftijd (als de geboortedatum onbekend is)",
        min_value=0,
        max_value=120,
        required=False,
    )
    gender = forms.ChoiceField(
        label="Geslacht",
        choices=Gender.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    bsn = BsnField(
        label="BSN",
        help_text="Alleen zichtbaar voor wie toegang heeft tot deze casus, en afgeschermd tot het "
        "nodig is (in de melding aan Veilig Thuis).",
    )
    street_address = forms.CharField(label="Straat en huisnummer", max_length=200, required=False)
    postcode = forms.RegexField(
        label="Postcode",
        regex=r"^\s*[1-9][0-9]{3}\s?[A-Za-z]{2}\s*$",
        max_length=8,
        required=False,
        error_messages={"invalid": "Vul een postcode in zoals 8302 AB."},
    )
    place = forms.CharField(label="Woonplaats", max_length=100, required=False)
    phone = forms.CharField(label="Telefoon", max_length=30, required=False)
    email = forms.EmailField(
        label="E-mail", required=False, error_messages={"invalid": "Vul een geldig e-mailadres in."}
    )
    reach = forms.CharField(
        label="Bereikbaarheid, taal of tolk",
        max_length=500,
        required=False,
        help_text="Bijvoorbeeld: ‘alleen overdag bellen’, ‘spreekt Pools, tolk nodig’.",
    )
    relation = forms.CharField(
        label="Relatie tot het kind of de cliënt",
        max_length=120,
        required=False,
        help_text="Bijvoorbeeld: moeder, stiefvader, oma, partner.",
    )
    authority = forms.ChoiceField(
        label="Ouderlijk gezag",
        choices=Authority.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Voor ouders en verzorgers: wie heeft het gezag over het kind?",
    )

    def clean_date_of_birth(self) -> datetime.date | None:
        return _not_in_future(self.cleaned_data["date_of_birth"])

    def clean_postcode(self) -> str:
        postcode = "".join(self.cleaned_data["postcode"].split()).upper()
        return f"{postcode[:4]} {postcode[4:]}" if postcode else ""


class WeighingForm(forms.Form):
    question = forms.CharField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        label="Uw antwoord",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja of nee."},
    )
    kinds = forms.MultipleChoiceField(
        label="Welke onveiligheid?",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Alleen bij ‘ja’. Beide kunnen tegelijk gelden.",
    )
    reasoning = forms.CharField(
        label="Toelichting",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Waarop baseert u dit antwoord? Noem de signalen, contra-indicaties en het "
        "advies waar u op steunt.",
        error_messages={"required": "Licht uw antwoord toe."},
    )

    def __init__(
        self, *args: Any, questions: set[str], question: Question | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        field = self.fields["kinds"]
        if question is not None and question.kinds:
            field.choices = [  # type: ignore[attr-defined]
                (kind.id, f"{kind.label}: {kind.help}" if kind.help else kind.label)
                for kind in question.kinds.values()
            ]
            field.conditional = True  # type: ignore[attr-defined]
        else:
            del self.fields["kinds"]

    def clean_question(self) -> str:
        question: str = self.cleaned_data["question"]
        if question not in self.questions:
            raise forms.ValidationError("Deze afweging kunt u nu niet beantwoorden.")
        return question

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "kinds" in self.fields:
            if data.get("answer") == "ja" and not data.get("kinds"):
                self.add_error("kinds", "Kies acute en/of structurele onveiligheid.")
            if data.get("answer") == "nee":
                data["kinds"] = []
        return data


class FollowupForm(forms.Form):
    """The agreements on following a family's safety after closing (a case after afweging 5 = ja,
    or a coordination file): who follows, how, until when, and the ground for sharing with a
    professional of another organisation. The service that closes checks them and answers per
    field (follower, how, until, ground), so the fields are not required here."""

    follower = forms.ChoiceField(
        label="Wie volgt de veiligheid van het gezin?",
        required=False,
        help_text=FOLLOWER_HINT,
    )
    how = forms.CharField(
        label="Hoe volgt u de veiligheid en wat spreekt u af met het gezin?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
        help_text="Hoe vaak is er contact, met wie, en wat doet het gezin als het weer onveilig "
        "wordt?",
    )
    until = forms.DateField(
        label="Volgen tot en met",
        widget=DateInput,
        required=False,
        error_messages=_DATE_ERRORS,
        help_text="Voorgesteld: 18 maanden vanaf vandaag.",
    )
    ground = forms.ChoiceField(
        label="Grondslag voor delen met een andere organisatie",
        required=False,
        help_text="Alleen als wie volgt voor een andere organisatie werkt: de toestemming van het "
        "gezin, of een conflict van plichten, die uw organisatie voor deze cliënt vastlegde.",
    )
    consent_given_by = forms.CharField(
        label="Of: het gezin geeft nu toestemming. Wie gaf die?",
        max_length=120,
        required=False,
        help_text="Naam en rol, bijvoorbeeld ‘Esther Proefhuis, moeder, met gezag’. De toestemming "
        "wordt vastgelegd voor dit vervolgplan, tot het einde ervan.",
    )

    def __init__(
        self,
        *args: Any,
        followers: list[tuple[str, str]] | None = None,
        grounds: list[SharingGround] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        follower = self.fields["follower"]
        assert isinstance(follower, forms.ChoiceField)
        follower.choices = [("", "Kies een professional"), *(followers or [])]
        ground = self.fields["ground"]
        assert isinstance(ground, forms.ChoiceField)
        ground.choices = [("", "Geen: wie volgt werkt in mijn organisatie")] + [
            (str(g.pk), f"{g.get_kind_display()} van {g.recorded_at:%d-%m-%Y}: {g.with_whom}")
            for g in grounds or []
        ]
        self.fields["until"].initial = default_until()

    def agreement(self) -> FollowupAgreement:
        """The agreements posted (valid form), for the service that closes (it checks them)."""
        data = self.cleaned_data
        chosen = follower_parse(data.get("follower") or "")
        return FollowupAgreement(
            follower_id=chosen[0] if chosen else None,
            organisation_id=chosen[1] if chosen else None,
            how=data.get("how") or "",
            until=data.get("until"),
            ground_id=int(data["ground"]) if data.get("ground") else None,
            consent_given_by=data.get("consent_given_by") or "",
        )


class DecideForm(FollowupForm):
    field_order = [
        "outcome", "justification", "agreements", "review_date", "unidentified_reason",
        "follower", "how", "until", "ground", "consent_given_by",
    ]  # fmt: skip
    outcome = forms.ChoiceField(
        label="Uw besluit",
        choices=Outcome.choices,
        widget=forms.RadioSelect(attrs={"data-decision": ""}),
        error_messages={"required": "Kies uw besluit."},
    )
    justification = forms.CharField(
        label="Onderbouwing",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text="Waarom besluit u dit? Uw onderbouwing komt in het dossier en in de melding. "
        "Verplicht als uw besluit afwijkt van wat het afwegingskader aangeeft.",
    )
    agreements = forms.CharField(
        label="Afspraken over de hulp",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
        help_text="Verplicht bij hulp: wie doet wat, en hoe volgt u de veiligheid?",
    )
    review_date = forms.DateField(
        label="Evaluatiedatum",
        widget=DateInput,
        required=False,
        error_messages=_DATE_ERRORS,
        help_text="Verplicht bij hulp: op deze datum beantwoordt u afweging 5.",
    )
    unidentified_reason = _unidentified_reason_field()
    # Fields that only matter for some decisions: shown only for those (see decide.html).
    FOR_OUTCOMES: dict[str, tuple[str, ...]] = {
        "agreements": (Outcome.HELP,),
        "review_date": (Outcome.HELP,),
        "unidentified_reason": (Outcome.REPORT, Outcome.REPORT_AND_HELP),
        "follower": (Outcome.CLOSE_FOLLOWUP,),
        "how": (Outcome.CLOSE_FOLLOWUP,),
        "until": (Outcome.CLOSE_FOLLOWUP,),
        "ground": (Outcome.CLOSE_FOLLOWUP,),
        "consent_given_by": (Outcome.CLOSE_FOLLOWUP,),
    }
    FOLLOWUP_FIELDS = ("follower", "how", "until", "ground", "consent_given_by")

    def __init__(
        self,
        *args: Any,
        identified: bool = True,
        indicated: str | None = None,
        followers: list[tuple[str, str]] | None = None,
        grounds: list[SharingGround] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, followers=followers, grounds=grounds, **kwargs)
        # Required depending on the decision; the help text says when.
        for name in (
            "justification", "agreements", "review_date", "unidentified_reason",
            *self.FOLLOWUP_FIELDS,
        ):  # fmt: skip
            self.fields[name].conditional = True  # type: ignore[attr-defined]
        for name in ("follower", "how", "until"):
            field = self.fields[name]
            field.help_text = f"Verplicht bij afsluiten met afspraken. {field.help_text}"
        if identified:
            del self.fields["unidentified_reason"]
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        if indicated in FOLLOWUP_REQUIRED:
            # After afweging 5 = ja a case closes only with follow-up agreements.
            outcome.choices = [c for c in Outcome.choices if c[0] != Outcome.CLOSE]
            outcome.error_messages["invalid_choice"] = (
                "Na afweging 5 sluit u niet af zonder afspraken: kies ‘Afsluiten met afspraken "
                "over het volgen van de veiligheid’ en leg vast wie het gezin volgt, hoe en tot "
                "wanneer."
            )

    def followup(self) -> FollowupAgreement | None:
        """The follow-up agreements posted, only for a decision to close with them."""
        if self.cleaned_data.get("outcome") != Outcome.CLOSE_FOLLOWUP:
            return None
        return self.agreement()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.HELP:
            review_date = data.get("review_date")
            if "review_date" in data and review_date is None:
                self.add_error("review_date", "Kies een evaluatiedatum.")
            elif review_date is not None and review_date <= timezone.localdate():
                self.add_error("review_date", "Kies een evaluatiedatum in de toekomst.")
            if not data.get("agreements", "").strip():
                self.add_error("agreements", "Leg de afspraken over de hulp vast.")
        return data


class ReportNowForm(forms.Form):
    danger = forms.CharField(
        label="Wat is het acute gevaar?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Kort en feitelijk: wat is er gebeurd of gezegd, en wat kan er de komende uren "
        "of dagen gebeuren?",
        error_messages={"required": "Beschrijf kort het acute gevaar."},
    )
    structural = forms.BooleanField(
        label="Er is ook structurele onveiligheid (het gebeurt vaker, zonder blijvende "
        "verbetering)",
        required=False,
    )
    unidentified_reason = _unidentified_reason_field()

    def __init__(self, *args: Any, identified: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if identified:
            del self.fields["unidentified_reason"]


class MoveForm(forms.Form):
    target = forms.ChoiceField(label="Naar stap", choices=Phase.choices)
    reason = forms.CharField(
        label="Reden",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Verplicht als u teruggaat naar een eerdere stap.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].conditional = True  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Waarom sluit u de casus af?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text="Bijvoorbeeld: het kind gaat naar een andere school, of uw behandeling is "
        "afgerond. Laat Veilig Thuis en de hulpverlening weten dat u niet meer betrokken bent.",
        error_messages={"required": "Geef aan waarom de casus wordt afgesloten."},
    )
