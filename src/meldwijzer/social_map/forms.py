"""Forms of the sociale kaart: search, the routekaart, keeping records up to date, import."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db import models

from meldwijzer.cases.entries import CATEGORIES
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.reference import municipality_rows, postcode_areas
from meldwijzer.social_map import postcodes, selectors, taxonomies
from meldwijzer.social_map.models import AreaKind, Location, LocationType, Provider, Service
from meldwijzer.social_map.routes import rules as route_rules
from meldwijzer.social_map.services import AreaSpec, ContactSpec

POSTCODE_PATTERN = re.compile(r"^\s*(\d{4})\s*([A-Za-z]{2})?\s*$")
MAX_PAGE = 500


def _choices(taxonomy_id: str, blank: str = "") -> list[tuple[str, str]]:
    options = taxonomies.taxonomy(taxonomy_id).choices()
    return [("", blank), *options] if blank else options


def page_number(value: str | None) -> int:
    """The results page asked for; anything odd is the first page."""
    try:
        return min(max(int(value or 1), 1), MAX_PAGE)
    except ValueError:
        return 1


def clean_postcode(value: str) -> str:
    """A Dutch postcode ('8302', '8302 AB') that CBS knows, as its four digits; '' if empty. A
    mistake gets a message that says what is wrong (`postcodes.postcode_parse`)."""
    try:
        area = postcodes.postcode_area(value)
    except postcodes.PostcodeError as error:
        raise forms.ValidationError(str(error)) from error
    return area.postcode if area is not None else ""


class SearchForm(forms.Form):
    """The one search box plus filters; all optional, sent with GET."""

    postcode = forms.CharField(
        label="Uw postcode",
        max_length=10,
        required=False,
        help_text="Vier cijfers zijn genoeg, bijvoorbeeld 8302.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "text"}),
    )
    q = forms.CharField(
        label="Waar zoekt u hulp bij?",
        max_length=200,
        required=False,
        help_text="Bijvoorbeeld: opvang, hulp voor kinderen, daderhulp.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    vorm = forms.ChoiceField(label="Vorm van geweld", required=False)
    doelgroep = forms.ChoiceField(label="Voor wie", required=False)
    soort = forms.ChoiceField(label="Soort hulp", required=False)
    taal = forms.ChoiceField(label="Taal", required=False)
    gebied = forms.ChoiceField(
        label="Waar",
        required=False,
        choices=[
            (selectors.AREA_POSTCODE, "Hulp voor mijn postcode"),
            (selectors.AREA_ALL, "Ook hulp voor andere plaatsen"),
        ],
    )
    sortering = forms.ChoiceField(
        label="Volgorde",
        required=False,
        choices=[
            ("", "Vanzelf (best passend, dan dichtbij)"),
            (selectors.SORT_DISTANCE, "Dichtstbij eerst"),
            (selectors.SORT_NAME, "Op naam"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["vorm"].choices = _choices(taxonomies.VIOLENCE, "Alle vormen")  # type: ignore[attr-defined]
        self.fields["doelgroep"].choices = _choices(taxonomies.TARGET_GROUPS, "Iedereen")  # type: ignore[attr-defined]
        self.fields["soort"].choices = _choices(taxonomies.HELP_TYPES, "Alle soorten hulp")  # type: ignore[attr-defined]
        self.fields["taal"].choices = _choices(taxonomies.LANGUAGES, "Alle talen")  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def criteria(self) -> selectors.Criteria:
        data = self.cleaned_data
        return selectors.Criteria(
            text=data.get("q", ""),
            postcode=data.get("postcode", ""),
            violence=(data["vorm"],) if data.get("vorm") else (),
            target_groups=(data["doelgroep"],) if data.get("doelgroep") else (),
            help_types=(data["soort"],) if data.get("soort") else (),
            language=data.get("taal", ""),
            area=data.get("gebied", ""),
            sort=data.get("sortering", ""),
        )

    @property
    def searched(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(
            data.get(name) for name in ("postcode", "q", "vorm", "doelgroep", "soort", "taal")
        )


class RouteForm(forms.Form):
    """The situation for the routekaart (GET)."""

    violence = forms.MultipleChoiceField(
        label="Vorm(en) van geweld",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=CATEGORIES,
    )
    target_groups = forms.MultipleChoiceField(
        label="Doelgroep", required=False, widget=forms.CheckboxSelectMultiple
    )
    profiles = forms.MultipleChoiceField(
        label="Gezinsprofiel(en)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="De gezinsprofielen van het Verwey-Jonker Instituut. Een instrument kan ze "
        "voorstellen; u kiest zelf.",
    )
    urgency = forms.MultipleChoiceField(
        label="Onveiligheid",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Acute en structurele onveiligheid kunnen allebei gelden.",
    )
    step = forms.ChoiceField(label="Waar bent u in de meldcode?", required=False)
    postcode = forms.CharField(
        label="Postcode (waar de hulp moet zijn)", max_length=10, required=False,
        help_text="Vier cijfers zijn genoeg.",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ruleset = route_rules()
        self.fields["violence"].choices = _choices(taxonomies.VIOLENCE)  # type: ignore[attr-defined]
        self.fields["target_groups"].choices = _choices(taxonomies.TARGET_GROUPS)  # type: ignore[attr-defined]
        self.fields["profiles"].choices = list(ruleset.profiles.items())  # type: ignore[attr-defined]
        self.fields["urgency"].choices = [  # type: ignore[attr-defined]
            (code, urgency.label) for code, urgency in ruleset.urgency.items()
        ]
        self.fields["step"].choices = [("", "Kies een stap"), *Phase.choices]  # type: ignore[attr-defined]

    def clean_postcode(self) -> str:
        return clean_postcode(self.cleaned_data.get("postcode", ""))

    def clean_urgency(self) -> list[str]:
        codes = self.cleaned_data.get("urgency", [])
        conflict = route_rules().urgency_conflict(frozenset(codes))
        if conflict:
            raise forms.ValidationError(conflict)
        return codes


# --- Keeping records up to date ----------------------------------------------------------------

_PHONE = re.compile(r"^[0-9+()\-\s]{3,30}$")


def _formfield(field: Any, **kwargs: Any) -> Any:
    """Model fields as form fields; a web address typed without scheme gets https://."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _clean_phone(value: str) -> str:
    value = value.strip()
    if value and not _PHONE.match(value):
        raise forms.ValidationError(
            "Vul een telefoonnummer in met alleen cijfers, spaties, + of -."
        )
    return value


class ProviderForm(forms.ModelForm):
    phone = forms.CharField(label="Algemeen telefoonnummer", max_length=30, required=False)
    officer_name = forms.CharField(
        label="Naam aandachtsfunctionaris", max_length=200, required=False
    )
    officer_email = forms.EmailField(label="E-mail aandachtsfunctionaris", required=False)
    officer_phone = forms.CharField(
        label="Telefoon aandachtsfunctionaris", max_length=30, required=False
    )
    owner = forms.ModelChoiceField(
        label="Eigenaar (organisatie die de gegevens bijhoudt)",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="Platformbeheer",
        help_text="De functioneel beheerder van deze organisatie houdt de gegevens bij.",
    )

    class Meta:
        model = Provider
        fields = ["name", "alternate_name", "description", "sector", "email", "website"]
        formfield_callback = _formfield
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, may_choose_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"] = forms.ChoiceField(
            label="Sector", choices=_choices(taxonomies.SECTORS, "Kies een sector"), required=False
        )
        if not may_choose_owner:
            del self.fields["owner"]

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean_officer_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("officer_phone", ""))

    def officer(self) -> ContactSpec | None:
        data = self.cleaned_data
        if not data.get("officer_name"):
            return None
        return ContactSpec(
            pk=None, name=data["officer_name"], title="Aandachtsfunctionaris",
            email=data.get("officer_email", ""), phone=data.get("officer_phone", ""),
        )  # fmt: skip


class LocationForm(forms.ModelForm):
    phone = forms.CharField(label="Telefoonnummer van deze locatie", max_length=30, required=False)

    class Meta:
        model = Location
        formfield_callback = _formfield
        fields = [
            "name", "location_type", "address_1", "postal_code", "city", "confidential",
            "description", "transportation", "latitude", "longitude",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "transportation": forms.Textarea(attrs={"rows": 2}),
        }
        # The position is checked by the model (`position_problems`): ranges, and swapped values.
        localized_fields = ["latitude", "longitude"]
        help_texts = {
            "latitude": "Niet verplicht. In graden, bijvoorbeeld 52,7108 voor Emmeloord; "
            "tussen -90 en 90. De afstand bij het zoeken komt uit de postcode.",
            "longitude": "Niet verplicht. In graden, bijvoorbeeld 5,7479 voor Emmeloord; "
            "tussen -180 en 180.",
        }

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("location_type") != LocationType.VIRTUAL:
            for name in ("address_1", "postal_code", "city"):
                if not data.get(name):
                    self.add_error(name, "Vul dit in voor een bezoek- of postadres.")
        postal = data.get("postal_code") or ""
        if postal:
            match = POSTCODE_PATTERN.match(postal)
            if not match or not match.group(2):
                self.add_error(
                    "postal_code", "Vul een volledige postcode in, bijvoorbeeld 8302 AB."
                )
            elif match.group(1) not in postcode_areas():
                self.add_error("postal_code", "Deze postcode kennen we niet.")
            else:
                data["postal_code"] = f"{match.group(1)} {match.group(2).upper()}"
        return data


def parse_areas(text: str) -> list[AreaSpec]:
    """'Noordoostpolder, Urk, 8302, Flevoland' or 'Nederland' → areas; unknown names raise."""
    municipalities = {row["gemeente"].casefold(): row["gemeente"] for row in municipality_rows()}
    provinces = {row["provincie"].casefold(): row["provincie"] for row in municipality_rows()}
    areas: list[AreaSpec] = []
    unknown = []
    for part in re.split(r"[,;\n]", text):
        token = part.strip()
        if not token:
            continue
        key = token.casefold()
        if key in ("nederland", "landelijk", "heel nederland"):
            spec = AreaSpec(AreaKind.NATIONAL, "NL")
        elif re.fullmatch(r"\d{4}", token) and token in postcode_areas():
            spec = AreaSpec(AreaKind.POSTCODE, token)
        elif key in municipalities:
            spec = AreaSpec(AreaKind.MUNICIPALITY, municipalities[key])
        elif key.removeprefix("provincie ").strip() in provinces:
            spec = AreaSpec(AreaKind.PROVINCE, provinces[key.removeprefix("provincie ").strip()])
        else:
            unknown.append(token)
            continue
        if spec not in areas:
            areas.append(spec)
    if unknown:
        raise forms.ValidationError(
            "Onbekend gebied: %(names)s. Gebruik namen van gemeenten of provincies, postcodes "
            "van vier cijfers, of 'Nederland'.",
            params={"names": ", ".join(unknown[:5])},
        )
    return areas


def areas_text(service: Service) -> str:
    labels = []
    for area in service.areas.exclude(kind=AreaKind.OTHER).order_by("kind", "code"):
        labels.append("Nederland" if area.kind == AreaKind.NATIONAL else area.code)
    return ", ".join(labels)


class ServiceForm(forms.ModelForm):
    violence = forms.MultipleChoiceField(
        label="Bij welke vormen van geweld?", required=False, widget=forms.CheckboxSelectMultiple
    )
    target_groups = forms.MultipleChoiceField(
        label="Voor wie?", required=False, widget=forms.CheckboxSelectMultiple
    )
    help_types = forms.MultipleChoiceField(
        label="Soort hulp",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Kies minstens één soort hulp."},
    )
    languages = forms.MultipleChoiceField(
        label="Talen", required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.CharField(
        label="Werkgebied",
        max_length=2000,
        help_text="Gemeenten, provincies of postcodes, gescheiden door komma's; of 'Nederland'. "
        "Bijvoorbeeld: Noordoostpolder, Urk.",
        error_messages={"required": "Vul in waar de hulp beschikbaar is."},
    )
    locations = forms.ModelMultipleChoiceField(
        label="Locaties",
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(label="Telefoonnummer", max_length=30, required=False)
    hours = forms.CharField(
        label="Openingstijden en bereikbaarheid", max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    class Meta:
        model = Service
        formfield_callback = _formfield
        fields = [
            "name", "description", "eligibility_description", "minimum_age", "maximum_age",
            "access", "application_process", "wait_time", "fees_description",
            "interpretation_services", "url", "email", "status", "alert", "referral_details",
        ]  # fmt: skip
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "description", "eligibility_description", "application_process",
                "fees_description", "interpretation_services", "alert", "referral_details",
            )
        }  # fmt: skip

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["violence"].choices = _choices(taxonomies.VIOLENCE)  # type: ignore[attr-defined]
        self.fields["target_groups"].choices = _choices(taxonomies.TARGET_GROUPS)  # type: ignore[attr-defined]
        self.fields["help_types"].choices = _choices(taxonomies.HELP_TYPES)  # type: ignore[attr-defined]
        self.fields["languages"].choices = _choices(taxonomies.LANGUAGES)  # type: ignore[attr-defined]
        self.fields["locations"].queryset = provider.locations.order_by("name")  # type: ignore[attr-defined]
        self.fields["description"].required = True
        service = self.instance
        if service.pk:
            terms: dict[str, list[str]] = {}
            for taxonomy_id, code in service.terms.values_list("taxonomy", "code"):
                terms.setdefault(taxonomy_id, []).append(code)
            self.initial.update(
                violence=terms.get(taxonomies.VIOLENCE, []),
                target_groups=terms.get(taxonomies.TARGET_GROUPS, []),
                help_types=terms.get(taxonomies.HELP_TYPES, []),
                languages=list(service.languages.values_list("code", flat=True)),
                areas=areas_text(service),
                locations=list(service.service_locations.values_list("location_id", flat=True)),
                hours=next(iter(service.schedules.values_list("description", flat=True)), ""),
            )

    def clean_areas(self) -> list[AreaSpec]:
        return parse_areas(self.cleaned_data.get("areas", ""))

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error("maximum_age", "Deze leeftijd is lager dan 'vanaf leeftijd'.")
        return data

    def terms(self) -> dict[str, list[str]]:
        data = self.cleaned_data
        return {
            taxonomies.VIOLENCE: data.get("violence", []),
            taxonomies.TARGET_GROUPS: data.get("target_groups", []),
            taxonomies.HELP_TYPES: data.get("help_types", []),
        }


class ContactForm(forms.Form):
    contact_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label="Naam", max_length=200, required=False)
    title = forms.CharField(label="Functie", max_length=200, required=False)
    email = forms.EmailField(label="E-mail", required=False)
    phone = forms.CharField(label="Telefoon", max_length=30, required=False)

    def clean_phone(self) -> str:
        return _clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = data.get("email") or data.get("phone")
        if given and not (data.get("name") or data.get("title")) and not data.get("DELETE"):
            self.add_error("name", "Vul een naam of functie in bij dit e-mailadres of nummer.")
        return data


ContactFormSet = forms.formset_factory(ContactForm, extra=1, can_delete=True, max_num=10)


def contact_specs(formset: Any) -> list[ContactSpec]:
    specs = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        specs.append(
            ContactSpec(
                pk=data.get("contact_id"), name=data.get("name", ""), title=data.get("title", ""),
                email=data.get("email", ""), phone=data.get("phone", ""),
                delete=bool(data.get("DELETE")),
            )
        )  # fmt: skip
    return specs


class ImportForm(forms.Form):
    file = forms.FileField(
        label="HSDS-bestand",
        help_text="Een JSON-bestand (HSDS 3.0) of een zip-bestand met de CSV-tabellen, in UTF-8 "
        "en met komma's gescheiden (Excel met Nederlandse instellingen zet puntkomma's; gebruik dan "
        "LibreOffice Calc of Google Spreadsheets). Hoogstens 20 MB; uitgepakt hoogstens "
        "20 MB per tabel en 50 MB samen.",
        error_messages={"required": "Kies een bestand.", "empty": "Het bestand is leeg."},
    )
    trial = forms.BooleanField(
        label="Alleen controleren, nog niet importeren", required=False, initial=False
    )
    owner = forms.ModelChoiceField(
        label="Eigenaar van nieuwe aanbieders",
        queryset=Organisation.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label="Platformbeheer",
    )

    def __init__(self, *args: Any, may_choose_owner: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_choose_owner:
            del self.fields["owner"]
