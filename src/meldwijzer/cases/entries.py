"""What each kind of dossier entry records, as forms.

The same forms validate input from the web pages and the API: `entry_data_clean` checks plain
values (from a page's form or a JSON body) for a kind of entry and gives the values stored in
`Entry.data`, or the Dutch message per field. Facts and interpretations are separate fields. Whose interpretation it is, is a
choice — the professional who records it, the signal's source, or someone else — and each third
party named in a signal carries its own confidentiality mark, so a confidential person's name is
withheld from reports and exports wherever it would appear (never by comparing names).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.functional import lazy

from meldwijzer.cases import extensions, guidance
from meldwijzer.cases.models import EntryKind

if TYPE_CHECKING:
    from meldwijzer.organisations.actor import Actor

CATEGORIES = [
    ("lichamelijk", "Lichamelijk geweld of mishandeling"),
    ("emotioneel", "Emotioneel of psychisch geweld"),
    ("verwaarlozing", "Verwaarlozing"),
    ("seksueel", "Seksueel geweld of misbruik"),
    ("getuige", "Getuige van partnergeweld"),
    ("eergerelateerd", "Eergerelateerd geweld"),
    ("huwelijksdwang", "Huwelijksdwang"),
    ("achterlating", "Achterlating (in het buitenland achtergelaten)"),
    ("vgv", "Vrouwelijke genitale verminking (meisjesbesnijdenis)"),
    ("ouderen", "Ouderenmishandeling"),
    ("uitbuiting", "Uitbuiting of mensenhandel"),
    ("overig", "Anders"),
]
"""The forms of violence: the kinds of signal, and the codes the sociale kaart and the
instruments use (`social_map/taxonomies/vormen_van_geweld.yaml` has exactly these)."""

STAFF_ABUSE = "medewerker"
STAFF_ABUSE_LABEL = "Seksueel misbruik door een medewerker van de school of de opvang"
SIGNAL_CATEGORIES = [*CATEGORIES, (STAFF_ABUSE, STAFF_ABUSE_LABEL)]
"""What a signal can be about. Sexual abuse by a staff member in education or childcare is not a
meldcode case: it has its own route (board or houder, vertrouwensinspecteur, police)."""
STAFF_ABUSE_SECTORS = ("onderwijs", "kinderopvang")


SOURCES = [
    ("eigen", "Eigen waarneming"),
    ("collega", "Collega"),
    ("kind", "Het kind zelf"),
    ("ouder", "Ouder of verzorger"),
    ("derde", "Iemand anders (derde)"),
]

INTERPRETATION_BY_RECORDER = "melder"
INTERPRETATION_BY_SOURCE = "bron"
INTERPRETATION_BY_OTHER = "ander"
INTERPRETATION_OF = [
    (INTERPRETATION_BY_RECORDER, "Van mij, de professional die dit vastlegt"),
    (INTERPRETATION_BY_SOURCE, "Van de bron van dit signaal"),
    (INTERPRETATION_BY_OTHER, "Van iemand anders"),
]
"""Whose interpretation a signal holds. The source's name and confidentiality are recorded once,
with the source; an interpretation of the source points at it instead of naming it again."""

SKIP_REASONS = [
    (
        "veiligheid",
        "Door het gesprek komt de veiligheid van het kind, de cliënt, mijzelf of een ander in "
        "gevaar",
    ),
    (
        "contact",
        "Er zijn goede redenen om aan te nemen dat de cliënt door het gesprek het contact met mij "
        "verbreekt",
    ),
    (
        "vertrouwen",
        "Er zijn goede redenen om aan te nemen dat het gesprek het vertrouwen ernstig schaadt",
    ),
]

CONSULTED = [
    ("aandachtsfunctionaris", "Aandachtsfunctionaris"),
    ("collega", "Deskundige collega"),
    ("veilig_thuis", "Veilig Thuis (advies)"),
    ("anders", "Iemand anders"),
]

REFLECTION = [
    ("luisteren", "Ik heb eerst geluisterd naar hun verhaal"),
    ("veilige_plek", "Het gesprek was persoonlijk (niet telefonisch), op een veilige plek"),
    ("geen_oplossingen", "Ik heb geen oplossingen aangedragen maar samen gezocht"),
    ("transparant", "Ik was open over wat ik zag en waar het vandaan kwam"),
    ("hun_kijk", "Ik heb naar hun kijk op de signalen gevraagd"),
    ("samen_besluiten", "Ik heb verteld wat ik ga doen, en we hebben samen afspraken gemaakt"),
]

_TODAY_ERRORS = {
    "required": "Vul een datum in.",
    "invalid": "Vul een geldige datum in (dd-mm-jjjj).",
}

MELDRECHT = lazy(guidance.meldrecht, str)()
"""Whom else the professional may ask for advice (`cases/guidance/dossierregels.yaml`)."""


def _choose(label: str) -> list[tuple[str, str]]:
    """An empty first option that names what to choose, for lists where no default is safe."""
    return [("", label)]


def _not_in_future(value: datetime.date) -> datetime.date:
    if value > timezone.localdate():
        raise forms.ValidationError("Deze datum ligt in de toekomst.")
    return value


class DateInput(forms.DateInput):
    """A native date picker; it only accepts a value in ISO form (yyyy-mm-dd)."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format or "%Y-%m-%d")


class EntryForm(forms.Form):
    kind: EntryKind

    def __init__(self, *args: Any, actor: Actor | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor = actor

    def entry_data(self) -> dict[str, Any]:
        """The cleaned values as JSON-ready data."""
        return {
            name: value.isoformat() if isinstance(value, datetime.date) else value
            for name, value in self.cleaned_data.items()
        }


class SignalForm(EntryForm):
    kind = EntryKind.SIGNAL
    date = forms.DateField(
        label="Datum van de waarneming",
        widget=DateInput,
        error_messages=_TODAY_ERRORS,
        initial=timezone.localdate,
    )
    category = forms.ChoiceField(
        label="Soort signaal",
        choices=[*_choose("Kies de soort signaal"), *SIGNAL_CATEGORIES],
        error_messages={"required": "Kies de soort signaal."},
    )
    source = forms.ChoiceField(
        label="Bron",
        choices=[*_choose("Kies de bron"), *SOURCES],
        error_messages={"required": "Kies de bron van het signaal."},
    )
    source_name = forms.CharField(
        label="Naam of functie van de bron", max_length=120, required=False
    )
    source_confidential = forms.BooleanField(
        label="Identiteit van de bron vertrouwelijk houden",
        required=False,
        help_text="De naam wordt dan niet gedeeld met de cliënt en niet opgenomen in een melding.",
    )
    facts = forms.CharField(
        label="Feiten: wat zag of hoorde u?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Beschrijf alleen wat waarneembaar was, zo letterlijk mogelijk.",
    )
    interpretation = forms.CharField(
        label="Interpretatie",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text="Hoe duidt u of iemand anders dit? Wordt apart van de feiten bewaard.",
    )
    interpretation_of = forms.ChoiceField(
        label="Van wie is deze interpretatie?",
        choices=INTERPRETATION_OF,
        widget=forms.RadioSelect,
        required=False,
        help_text="Is de interpretatie van de bron, dan geldt wat u bij de bron koos: een "
        "vertrouwelijke bron wordt ook hier niet genoemd.",
    )
    interpretation_by = forms.CharField(
        label="Naam of functie van die ander",
        max_length=120,
        required=False,
    )
    interpretation_by_confidential = forms.BooleanField(
        label="Identiteit van deze persoon vertrouwelijk houden",
        required=False,
        help_text="De naam wordt dan niet gedeeld met de cliënt en niet opgenomen in een melding.",
    )

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("interpretation"):
            data.update(interpretation_of="", interpretation_by="")
            data["interpretation_by_confidential"] = False
            return data
        whose = data.get("interpretation_of")
        if not whose:
            self.add_error("interpretation_of", "Geef aan van wie de interpretatie is.")
        elif whose != INTERPRETATION_BY_OTHER:
            # The recorder is the entry's author and the source is named once, with the source:
            # no second copy of a name that could escape the source's confidentiality.
            data["interpretation_by"] = ""
            data["interpretation_by_confidential"] = False
        elif not data.get("interpretation_by"):
            self.add_error("interpretation_by", "Geef de naam of functie van deze persoon.")
        return data


class CounterSignalForm(EntryForm):
    kind = EntryKind.COUNTER_SIGNAL
    date = forms.DateField(
        label="Datum", widget=DateInput, error_messages=_TODAY_ERRORS, initial=timezone.localdate
    )
    source = forms.ChoiceField(
        label="Bron",
        choices=[*_choose("Kies de bron"), *SOURCES],
        error_messages={"required": "Kies de bron."},
    )
    facts = forms.CharField(
        label="Wat spreekt de zorg tegen?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])


class ChildCheckForm(EntryForm):
    kind = EntryKind.CHILD_CHECK
    has_children = forms.ChoiceField(
        label="Heeft de cliënt minderjarige kinderen in zijn of haar zorg?",
        choices=[("ja", "Ja"), ("nee", "Nee"), ("onbekend", "Weet ik (nog) niet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja, nee of weet ik (nog) niet."},
        help_text="‘Weet ik (nog) niet’ blijft openstaan als taak: stap 1 is pas af als u het "
        "weet.",
    )
    number = forms.IntegerField(label="Aantal kinderen", min_value=0, max_value=25, required=False)
    ages = forms.CharField(label="Leeftijden", max_length=120, required=False)
    pregnant = forms.BooleanField(label="De cliënt (of partner) is zwanger", required=False)
    shared_care = forms.CharField(
        label="Gedeelde zorg (bijvoorbeeld co-ouderschap)", max_length=500, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("has_children") == "ja" and not data.get("number"):
            self.add_error("number", "Vul het aantal kinderen in.")
        return data


class ConsultationForm(EntryForm):
    kind = EntryKind.CONSULTATION
    date = forms.DateField(
        label="Datum", widget=DateInput, error_messages=_TODAY_ERRORS, initial=timezone.localdate
    )
    consulted = forms.ChoiceField(
        label="Wie hebt u geraadpleegd?",
        choices=CONSULTED,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies wie u hebt geraadpleegd."},
        help_text=MELDRECHT,
    )
    consulted_name = forms.CharField(
        label="Naam (bij anoniem advies van Veilig Thuis niet nodig)",
        max_length=120,
        required=False,
    )
    anonymous = forms.BooleanField(
        label="Advies zonder namen van de cliënt (anoniem)", required=False
    )
    advice = forms.CharField(
        label="Wat werd geadviseerd?", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    consultant = forms.ChoiceField(
        label="Welke geregistreerde aandachtsfunctionaris?",
        choices=[],
        required=False,
        help_text="Alleen als u een aandachtsfunctionaris raadpleegde die in het meldcoderegister "
        "staat.",
        error_messages={
            "invalid_choice": "Kies een aandachtsfunctionaris uit de lijst van uw organisatie."
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = extensions.consultants(actor=self.actor) if self.actor is not None else []
        self.consultant_names = {str(user_id): label for user_id, label in options}
        field = self.fields["consultant"]
        field.choices = [  # type: ignore[attr-defined]
            ("", "Geen of iemand anders"),
            *self.consultant_names.items(),
        ]
        if not options:
            field.widget = forms.HiddenInput()
        chosen = self.initial.get("consultant_id")
        if chosen is not None and "consultant" not in self.initial:
            self.initial["consultant"] = str(chosen)

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("consultant") and data.get("consulted") not in (None, "aandachtsfunctionaris"):
            self.add_error(
                "consultant",
                "U koos een aandachtsfunctionaris; kies dan ook ‘Aandachtsfunctionaris’ bij wie "
                "u hebt geraadpleegd.",
            )
        return data

    def entry_data(self) -> dict[str, Any]:
        """The values, with a chosen aandachtsfunctionaris as id and name (as they were then)."""
        data = super().entry_data()
        chosen = data.pop("consultant", "")
        if chosen:
            data["consultant_id"] = int(chosen)
            data["consultant_name"] = self.consultant_names[chosen]
        return data


class ConsultationRequestForm(EntryForm):
    kind = EntryKind.CONSULTATION_REQUEST
    question = forms.CharField(
        label="Uw vraag aan de aandachtsfunctionaris",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ConversationForm(EntryForm):
    kind = EntryKind.CONVERSATION
    date = forms.DateField(
        label="Datum van het gesprek",
        widget=DateInput,
        error_messages=_TODAY_ERRORS,
        initial=timezone.localdate,
    )
    participants = forms.CharField(label="Wie waren erbij?", max_length=500)
    said = forms.CharField(
        label="Wat is er besproken?", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    reaction = forms.CharField(
        label="Hoe reageerden zij; wat is hun kijk?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    agreements = forms.CharField(
        label="Afspraken", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    reflection = forms.MultipleChoiceField(
        label="Terugblik: wat is gelukt?",
        choices=REFLECTION,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])


class ConversationSkippedForm(EntryForm):
    kind = EntryKind.CONVERSATION_SKIPPED
    reason = forms.ChoiceField(
        label="Waarom gaat u het gesprek (nu) niet aan?",
        choices=SKIP_REASONS,
        widget=forms.RadioSelect,
        help_text="Alleen deze redenen staan de meldcode toe.",
        error_messages={"required": "Kies de reden die hier geldt."},
    )
    explanation = forms.CharField(
        label="Toelichting: waarom geldt deze reden hier?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={"required": "Leg uit waarom deze reden hier geldt."},
    )


MELDWIJZER_CHANNEL = "meldwijzer"
"""Sent through Meldwijzer itself: recorded by the sending, never chosen on the form."""

REPORT_CHANNELS = [
    ("telefoon", "Telefonisch (0800-2000)"),
    ("online", "Via het online meldformulier van Veilig Thuis"),
    ("anders", "Anders, bijvoorbeeld persoonlijk of via beveiligde e-mail"),
    (MELDWIJZER_CHANNEL, "Via Meldwijzer, rechtstreeks in de inbox van Veilig Thuis"),
]

NOT_INFORMED_REASONS = [
    (
        "veiligheid",
        "Vooraf vertellen brengt de veiligheid van het kind, de cliënt, mijzelf of een ander in "
        "gevaar",
    ),
    (
        "contact",
        "Er zijn goede redenen om aan te nemen dat de cliënt dan het contact verbreekt en het kind "
        "uit zicht raakt",
    ),
    ("acuut", "Er was acuut gevaar; er was geen tijd om het eerst te vertellen"),
]

FEEDBACK_ACTIONS = [
    ("onderzoek", "Veilig Thuis doet onderzoek"),
    ("voorwaarden", "Veilig Thuis stelt voorwaarden en zet vervolg in"),
    ("overdracht", "Veilig Thuis draagt over aan het lokale team of de hulpverlening"),
    ("advies", "Veilig Thuis sluit af met advies, zonder eigen vervolg"),
    ("anders", "Anders"),
]


class ReportForm(EntryForm):
    """The report itself: when, how and to whom, and what the family knows."""

    kind = EntryKind.REPORT
    date = forms.DateField(
        label="Datum van de melding",
        widget=DateInput,
        error_messages=_TODAY_ERRORS,
        initial=timezone.localdate,
    )
    time = forms.TimeField(
        label="Tijd",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        error_messages={"invalid": "Vul een geldige tijd in (uu:mm)."},
    )
    channel = forms.ChoiceField(
        label="Hoe hebt u gemeld?",
        choices=REPORT_CHANNELS,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies hoe u hebt gemeld."},
    )
    veilig_thuis = forms.CharField(
        label="Bij welke Veilig Thuis-organisatie?",
        max_length=120,
        error_messages={"required": "Vul in bij welke Veilig Thuis u meldde."},
    )
    contact = forms.CharField(
        label="Met wie had u contact bij Veilig Thuis?", max_length=120, required=False
    )
    vt_reference = forms.CharField(
        label="Kenmerk van Veilig Thuis",
        max_length=60,
        required=False,
        help_text="Krijgt u het later? Vul het dan in bij de terugkoppeling.",
    )
    informed = forms.ChoiceField(
        label="Hebt u de cliënt of de ouders vooraf verteld dat u meldt?",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja of nee."},
    )
    not_informed_reason = forms.ChoiceField(
        label="Waarom niet?",
        choices=NOT_INFORMED_REASONS,
        widget=forms.RadioSelect,
        required=False,
        help_text="Alleen als u het niet vooraf hebt verteld.",
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
        help_text="Veilig Thuis houdt uw naam dan buiten het gesprek met de familie, tenzij dat "
        "niet anders kan. Bespreek dit bij de melding.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("not_informed_reason", "not_informed_explanation"):
            self.fields[name].conditional = True  # type: ignore[attr-defined]
        # A report sent through Meldwijzer records its own channel; the form offers the others,
        # unless it holds such a report (its correction).
        held = self.data.get("channel") if self.is_bound else self.initial.get("channel")
        if held != MELDWIJZER_CHANNEL:
            channel = self.fields["channel"]
            assert isinstance(channel, forms.ChoiceField)
            channel.choices = [c for c in REPORT_CHANNELS if c[0] != MELDWIJZER_CHANNEL]

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("informed") == "nee":
            if not data.get("not_informed_reason"):
                self.add_error("not_informed_reason", "Kies waarom u het niet vooraf vertelde.")
            if not data.get("not_informed_explanation", "").strip():
                self.add_error("not_informed_explanation", "Licht toe waarom deze reden geldt.")
        elif data.get("informed") == "ja":
            data["not_informed_reason"] = ""
            data["not_informed_explanation"] = ""
        return data

    def entry_data(self) -> dict[str, Any]:
        data = super().entry_data()
        data["time"] = data["time"].strftime("%H:%M") if data.get("time") else ""
        return data


class ReportFeedbackForm(EntryForm):
    """What Veilig Thuis tells the reporter it does with the report (it is obliged to)."""

    kind = EntryKind.REPORT_FEEDBACK
    date = forms.DateField(
        label="Datum van de terugkoppeling",
        widget=DateInput,
        error_messages=_TODAY_ERRORS,
        initial=timezone.localdate,
    )
    action = forms.ChoiceField(
        label="Wat doet Veilig Thuis met de melding?",
        choices=FEEDBACK_ACTIONS,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies wat Veilig Thuis doet."},
    )
    vt_reference = forms.CharField(label="Kenmerk van Veilig Thuis", max_length=60, required=False)
    contact = forms.CharField(
        label="Contactpersoon bij Veilig Thuis", max_length=120, required=False
    )
    asked_of_me = forms.CharField(
        label="Wat vraagt Veilig Thuis van u?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        help_text="Bijvoorbeeld: het kind blijven volgen op school en nieuwe zorgen doorgeven.",
    )
    text = forms.CharField(
        label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        required=False,
    )  # fmt: skip

    def clean_date(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["date"])


class StaffRouteForm(EntryForm):
    """What was done on the separate route for sexual abuse by a staff member."""

    kind = EntryKind.STAFF_ROUTE
    suspect_is_board = forms.ChoiceField(
        label="Is de directeur, het bestuur of de houder zelf de vermoedelijke pleger?",
        choices=[("ja", "Ja"), ("nee", "Nee")],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja of nee."},
    )
    board_informed_on = forms.DateField(
        label="Bestuur of houder geïnformeerd op",
        widget=DateInput,
        required=False,
        error_messages=_TODAY_ERRORS,
    )
    board_informed_who = forms.CharField(
        label="Wie hebt u geïnformeerd (naam en functie)?", max_length=200, required=False
    )
    inspector_consulted_on = forms.DateField(
        label="Vertrouwensinspecteur geraadpleegd op",
        widget=DateInput,
        required=False,
        error_messages=_TODAY_ERRORS,
    )
    police_report = forms.ChoiceField(
        label="Is er aangifte gedaan bij de politie?",
        choices=[("ja", "Ja"), ("nee", "Nog niet"), ("onbekend", "Weet ik niet")],
        widget=forms.RadioSelect,
        required=False,
    )
    notes = forms.CharField(
        label="Toelichting", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        required=False,
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("board_informed_on", "inspector_consulted_on"):
            self.fields[name].conditional = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("board_informed_on", "inspector_consulted_on"):
            if data.get(name) and data[name] > timezone.localdate():
                self.add_error(name, "Deze datum ligt in de toekomst.")
        if data.get("suspect_is_board") == "nee" and not data.get("board_informed_on"):
            self.add_error(
                "board_informed_on",
                "Informeer het bestuur of de houder direct, en vul in wanneer u dat deed.",
            )
        if data.get("suspect_is_board") == "ja" and not data.get("inspector_consulted_on"):
            self.add_error(
                "inspector_consulted_on",
                "Is de houder of het bestuur zelf betrokken? Neem dan zelf contact op met de "
                "vertrouwensinspecteur, en vul in wanneer u dat deed.",
            )
        return data


class NoteForm(EntryForm):
    kind = EntryKind.NOTE
    text = forms.CharField(
        label="Notitie", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


ENTRY_FORMS: dict[str, type[EntryForm]] = {
    form.kind: form
    for form in (
        SignalForm,
        CounterSignalForm,
        ChildCheckForm,
        ConsultationForm,
        ConsultationRequestForm,
        ConversationForm,
        ConversationSkippedForm,
        ReportForm,
        ReportFeedbackForm,
        StaffRouteForm,
        NoteForm,
    )
}


def form_values(form_class: type[forms.Form], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Plain values in the shape a form expects: lists only for multiple-choice fields, text or
    booleans elsewhere, so any value ends in a field error rather than a crash."""
    values: dict[str, Any] = {}
    for name, form_field in form_class.base_fields.items():
        if name not in raw:
            continue
        value = raw[name]
        if isinstance(form_field, forms.MultipleChoiceField):
            items = value if isinstance(value, list | tuple) else [value]
            values[name] = [item if isinstance(item, str) else str(item) for item in items]
        elif (
            isinstance(value, str)
            or value is None
            or (isinstance(value, bool) and isinstance(form_field, forms.BooleanField))
        ):
            values[name] = value
        else:
            values[name] = str(value)
    return values


def entry_data_clean(
    kind: str, data: Mapping[str, Any], *, actor: Actor | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check plain values for an entry of `kind` as its form does. Gives the values to store
    (JSON-ready) and, per field, what is wrong; the values count only when nothing is. Choices
    that depend on who records (the aandachtsfunctionarissen one may name) need the `actor`."""
    form_class = ENTRY_FORMS.get(kind)
    if form_class is None:
        return {}, {"kind": ["Onbekende soort regel."]}
    form = form_class(data=form_values(form_class, data), actor=actor)
    if not form.is_valid():
        return {}, {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return form.entry_data(), {}


# --- The result of a screening or risk instrument ------------------------------------------------


@dataclass(frozen=True)
class OutcomeCode:
    """A suggestion in an instrument's outcome: a marking, family profile or form of violence."""

    code: str
    label: str


@dataclass(frozen=True)
class ScoreBand:
    """One score of an instrument's outcome and the band it falls in."""

    id: str
    label: str
    value: int
    highest: int
    band: str
    band_label: str


@dataclass(frozen=True)
class InstrumentResultEntry:
    """What the dossier keeps of a finished screening or risk instrument: which instrument in
    which version, and its outcome as codes with their labels. The instruments app keeps the
    answers and the reasons; the case page and the report read only this entry."""

    key: str
    title: str
    kind_label: str
    version: str
    digest: str
    scores: tuple[ScoreBand, ...] = ()
    flags: tuple[OutcomeCode, ...] = ()
    profiles: tuple[OutcomeCode, ...] = ()
    violence: tuple[OutcomeCode, ...] = ()
    note: str = ""

    def entry_data(self) -> dict[str, Any]:
        """The summary the case page shows, and the outcome as codes for the report."""
        return {
            "instrument": self.title,
            "instrument_version": self.version,
            "scores": "; ".join(
                f"{s.label}: {s.band_label} ({s.value} van {s.highest})" for s in self.scores
            ),
            "suggested_profiles": "; ".join(p.label for p in self.profiles),
            "suggested_violence": "; ".join(v.label for v in self.violence),
            "flags": "; ".join(f.label for f in self.flags),
            "instrument_key": self.key,
            "instrument_kind": self.kind_label,
            "definition_digest": self.digest,
            "outcome": {
                "scores": [asdict(s) for s in self.scores],
                "flags": [asdict(f) for f in self.flags],
                "profiles": [asdict(p) for p in self.profiles],
                "violence": [asdict(v) for v in self.violence],
                "note": self.note,
            },
        }


INSTRUMENT_CODE_FIELDS = ("instrument_key", "instrument_kind", "definition_digest", "outcome")
"""The fields of an instrument-result entry that machines read; the case page does not show
them as rows."""
