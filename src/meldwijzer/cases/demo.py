"""Demo cases: about thirty made-up situations for the demo professionals, in every meldcode phase.

Every person and event here is invented (surnames such as 'Voorbeeld' and 'Verzonnen' make that
plain). Each case is built through the same services a professional uses, so its entries, phase
changes and access log rows are real. Afterwards the case's own timestamps are moved back by the
story's age, so that deadlines, overdue flags and a review date that has passed can be shown; the
access log keeps the time the demo was loaded. A case whose title already exists in its
organisation is skipped, so loading twice changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.cases import notifications, services
from meldwijzer.cases.entries import (
    STAFF_ABUSE,
    ChildCheckForm,
    ConsultationForm,
    ConsultationRequestForm,
    ConversationForm,
    ConversationSkippedForm,
    CounterSignalForm,
    EntryForm,
    ReportFeedbackForm,
    ReportForm,
    SignalForm,
    StaffRouteForm,
)
from meldwijzer.cases.extensions import FollowupAgreement
from meldwijzer.cases.followers import default_until
from meldwijzer.cases.models import Case, Entry, EntryKind, Outcome, Person, PhaseChange
from meldwijzer.cases.workflow import Phase
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.roles import Permission
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.privacy import services as privacy_services
from meldwijzer.privacy.models import GroundKind

# Where a story ends. The phases of steps 1–5 stop there; the others take a decision.
STAGES = [
    "stap_1",
    "stap_2",
    "stap_3",
    "stap_4",
    "stap_5",
    "hulp",
    "hulp_evaluatie",  # help given, review date passed: afweging 5 is due
    "hulp_afwijkend",  # help chosen where the kader indicated a report (justified)
    "gemeld",
    "gemeld_en_hulp",
    "direct_gemeld",  # acute danger: reported at once from step 1 ("direct melden")
    "afgesloten_geen_vermoeden",
    "afgesloten_na_hulp",
    "afgesloten_na_melding",
]


@dataclass(frozen=True)
class Theme:
    """The content of a situation; stories reuse it with their own title and end point."""

    persons: list[dict[str, Any]]
    signals: list[dict[str, Any]]
    consultation: dict[str, Any]
    conversation: dict[str, Any] | None = None
    skipped: dict[str, Any] | None = None
    counter: dict[str, Any] | None = None
    unsafe: str = "Herhaalde signalen zonder blijvende verbetering: structurele onveiligheid."
    safe: str = "Geen direct gevaar en geen herhaald patroon; wel zorgen die aandacht vragen."
    suspicion: str = "De signalen samen, het advies en het gesprek wijzen op een vermoeden."
    agreements: str = ""
    danger: str = ""
    """For 'direct melden': the acute danger in the professional's words."""


# Addresses on made-up streets, and BSNs from the range reserved for tests (999990000 and up),
# each valid under the elfproef: nothing here points at a real person.
_STREETS = ["Verzonnenlaan", "Voorbeeldstraat", "Proefweg", "Demohof", "Bedachtpad"]


def _test_bsn(seed: str) -> str:
    base = 99999000 + sum(ord(ch) for ch in seed) % 999
    for last in range(10):
        bsn = f"{base}{last}"
        if services.bsn_valid(bsn):
            return bsn
    return _test_bsn(seed + "x")  # pragma: no cover - some digit always fits


def _address(family: str) -> dict[str, str]:
    index = sum(ord(ch) for ch in family)
    return {
        "street_address": f"{_STREETS[index % len(_STREETS)]} {index % 90 + 1}",
        "postcode": f"830{index % 8 + 1} Z{chr(65 + index % 26)}",
        "place": "Emmeloord",
    }


def _child(name: str, years: int, months: int = 0) -> dict[str, Any]:
    born = timezone.localdate() - datetime.timedelta(days=years * 365 + months * 30 + 11)
    return {
        "kind": "child",
        "name": name,
        "date_of_birth": born,
        "bsn": _test_bsn(name),
        **_address(name.split()[-1]),
    }


def _years(born: datetime.date) -> str:
    today = timezone.localdate()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{years} jaar"


def _parent(
    name: str, relation: str, authority: str = "ja", kind: str = "parent"
) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": name,
        "relation": relation,
        "authority": authority,
        "phone": "06-00000000",
        **_address(name.split()[-1]),
    }


THEMES: dict[str, Theme] = {
    "blauwe_plekken": Theme(
        persons=[
            _child("Mila Voorbeeld", 8),
            _parent("Ria Voorbeeld", "moeder"),
            _parent("Kees Voorbeeld", "vader"),
        ],
        signals=[
            {
                "category": "lichamelijk",
                "source": "eigen",
                "facts": "Bij de gymles blauwe plekken op beide bovenarmen gezien, in de vorm van "
                "vingers. Mila trok haar mouwen snel naar beneden.",
                "interpretation": "Past bij hard vastgepakt worden.",
                "interpretation_of": "melder",
            },
            {
                "category": "emotioneel",
                "source": "kind",
                "facts": "Mila zei: 'Papa wordt heel boos als ik te laat thuis ben.' Daarna wilde "
                "ze er niets meer over zeggen.",
            },
        ],
        consultation={
            "consulted": "aandachtsfunctionaris",
            "consulted_name": "Karim El Idrissi",
            "advice": "Bespreek wat u zag met beide ouders, zonder oordeel. Let op de "
            "veiligheid van Mila na het gesprek.",
        },
        conversation={
            "participants": "Moeder, leerkracht, intern begeleider",
            "said": "De blauwe plekken en de opmerking van Mila besproken.",
            "reaction": "Moeder schrok, vertelde over spanningen thuis en stress door werk van "
            "vader. Ze staat open voor hulp.",
            "agreements": "Moeder neemt contact op met het wijkteam. Over drie weken een nieuw "
            "gesprek op school.",
            "reflection": ["luisteren", "transparant", "hun_kijk"],
        },
        counter={
            "source": "collega",
            "facts": "De vakleerkracht zag Mila na de zomer vrolijk spelen en ze komt altijd "
            "verzorgd op school.",
        },
        agreements="Opvoedondersteuning via het wijkteam; wekelijks kort contact met moeder; "
        "evaluatie met ouders en wijkteam.",
    ),
    "verwaarlozing_opvang": Theme(
        persons=[
            _child("Sem Verzonnen", 2, 4),
            _parent("Jolanda Verzonnen", "moeder"),
        ],
        signals=[
            {
                "category": "verwaarlozing",
                "source": "eigen",
                "facts": "Sem komt drie dagen achter elkaar in dezelfde, natte kleren. Hij eet "
                "bij het fruit gehaast en vraagt om meer.",
                "interpretation": "Mogelijk onvoldoende basiszorg thuis.",
                "interpretation_of": "melder",
            }
        ],
        consultation={
            "consulted": "veilig_thuis",
            "anonymous": True,
            "advice": "Breng de zorg bij moeder ter sprake en vraag hoe het thuis gaat. Bel "
            "opnieuw als het niet verbetert.",
        },
        conversation={
            "participants": "Moeder en pedagogisch medewerker",
            "said": "Gevraagd hoe het thuis gaat en verteld wat we zien aan kleding en eten.",
            "reaction": "Moeder is net alleen komen te staan en heeft geld- en slaapproblemen.",
            "agreements": "Moeder neemt schone kleren mee in het tasje; opvang verwijst naar "
            "schuldhulp.",
            "reflection": ["luisteren", "geen_oplossingen", "samen_besluiten"],
        },
        agreements="Schuldhulp en gezinscoach via het wijkteam; dagelijks overdrachtsmoment op "
        "de opvang.",
    ),
    "partnergeweld_huisarts": Theme(
        persons=[
            _parent("Annelies Proefmans", "moeder (cliënte)", kind="client"),
            _parent("Ruud Proefmans", "partner van cliënte, vader"),
            _child("Noah Proefmans", 5),
            _child("Evi Proefmans", 1, 2),
        ],
        signals=[
            {
                "category": "getuige",
                "source": "eigen",
                "facts": "Cliënte op het spreekuur met een hoofdwond; zegt gevallen te zijn. "
                "Derde bezoek met letsel in een half jaar.",
                "interpretation": "Letsel past niet bij het verhaal.",
                "interpretation_of": "melder",
            },
            {
                "category": "getuige",
                "source": "derde",
                "source_name": "buurvrouw A. Fictief",
                "source_confidential": True,
                "facts": "Een buurvrouw belde de praktijk: ze hoort 's avonds geschreeuw en "
                "gebonk, en de kinderen huilen.",
                "interpretation": "Kinderen zijn getuige van partnergeweld.",
                "interpretation_of": "bron",
            },
        ],
        consultation={
            "consulted": "collega",
            "consulted_name": "collega-huisarts, aandachtsfunctionaris van de praktijk",
            "advice": "Veiligheid van cliënte en kinderen eerst; bespreek dit alleen met "
            "cliënte, niet waar de partner bij is.",
        },
        skipped={
            "reason": "veiligheid",
            "explanation": "Cliënte geeft aan dat de partner haar telefoon en afspraken "
            "controleert. Een gesprek met beide partners brengt haar en de kinderen in gevaar.",
        },
        unsafe="Herhaald letsel en geweld waar de kinderen bij zijn: structurele onveiligheid.",
        suspicion="Herhaald letsel dat niet past bij de uitleg, en een melding uit de buurt.",
        agreements="Cliënte heeft het nummer van Veilig Thuis; vaste afspraak op het spreekuur "
        "elke twee weken.",
    ),
    "zorgen_jeugd": Theme(
        persons=[
            _child("Daan Demostra", 14),
            _parent("Wilma Demostra", "moeder"),
            {
                "kind": "carer",
                "name": "Henk Zomaar",
                "relation": "stiefvader",
                "authority": "nee",
            },
        ],
        signals=[
            {
                "category": "emotioneel",
                "source": "kind",
                "facts": "Daan vertelt dat hij 's nachts vaak bij een vriend slaapt omdat het "
                "thuis 'niet te doen' is.",
            }
        ],
        consultation={
            "consulted": "aandachtsfunctionaris",
            "consulted_name": "Marieke Postma",
            "advice": "Ga eerst met Daan zelf in gesprek, daarna met moeder.",
        },
        conversation={
            "participants": "Daan, moeder, wijkcoach",
            "said": "Wat Daan vertelde en waar hij slaapt.",
            "reaction": "Moeder herkent de ruzies met de stiefvader en wil hulp bij opvoeden.",
            "agreements": "Gezinsgesprekken met het wijkteam; Daan heeft een vast aanspreekpunt.",
            "reflection": ["veilige_plek", "hun_kijk"],
        },
        agreements="Gezinsbegeleiding (8 weken); Daan slaapt thuis; wekelijks contact.",
    ),
    "kind_onthult": Theme(
        persons=[
            _child("Lisa Testjes", 11),
            _parent("Marco Testjes", "vader"),
            _parent("Sandra Testjes", "moeder"),
        ],
        signals=[
            {
                "category": "seksueel",
                "source": "kind",
                "facts": "Lisa vertelde de jeugdarts dat een volwassene in huis aan haar zit "
                "terwijl ze dat niet wil.",
            }
        ],
        consultation={
            "consulted": "veilig_thuis",
            "consulted_name": "adviseur Veilig Thuis",
            "advice": "Acute onveiligheid: direct melden; ouders nu niet inlichten.",
        },
        skipped={
            "reason": "veiligheid",
            "explanation": "Advies van Veilig Thuis: een gesprek met ouders kan Lisa onder druk "
            "zetten en haar veiligheid in gevaar brengen.",
        },
        unsafe="Onthulling van seksueel misbruik binnen het gezin met risico op herhaling: acuut.",
        suspicion="Lisa vertelt het zelf, duidelijk en herhaald.",
        danger="Lisa vertelt dat een volwassene in huis aan haar zit terwijl ze dat niet wil. Ze "
        "gaat vanmiddag weer naar huis; het kan opnieuw gebeuren.",
    ),
    "invalkracht": Theme(
        persons=[_child("Tess Fictief", 9), _parent("Ingrid Fictief", "moeder")],
        signals=[
            {
                "category": STAFF_ABUSE,
                "source": "kind",
                "facts": "Tess vertelde dat de invalkracht haar na de gymles alleen in het "
                "kleedlokaal hield en haar aanraakte waar ze dat niet wilde.",
            }
        ],
        consultation={
            "consulted": "aandachtsfunctionaris",
            "advice": "Geen meldcode: direct de directeur informeren.",
        },
    ),
    "geen_vermoeden": Theme(
        persons=[_child("Finn Bedacht", 6), _parent("Petra Bedacht", "moeder")],
        signals=[
            {
                "category": "lichamelijk",
                "source": "eigen",
                "facts": "Schaafwonden op beide knieën en een blauwe plek op het scheenbeen.",
            }
        ],
        consultation={
            "consulted": "aandachtsfunctionaris",
            "advice": "Vraag ouders gewoon hoe het gebeurd is.",
        },
        conversation={
            "participants": "Moeder",
            "said": "De wonden besproken.",
            "reaction": "Finn is van zijn nieuwe fiets gevallen; moeder liet de foto's zien.",
            "reflection": ["luisteren", "transparant"],
        },
        counter={
            "source": "ouder",
            "facts": "Moeder laat een foto van de val zien; de juf van de naschoolse opvang "
            "was erbij.",
        },
    ),
}


@dataclass(frozen=True)
class Story:
    username: str
    title: str
    theme: str
    stage: str
    days_ago: int
    profession: str
    client: str = "kind"
    extras: tuple[str, ...] = field(default_factory=tuple)
    """'request' (consultation request), 'correction' (a corrected signal), 'report' (the report
    itself recorded), 'feedback' (Veilig Thuis' feedback recorded), 'check_open' (the kindcheck
    still to be found out), 'staff' (the route for abuse by a staff member)."""


# username, title, theme, stage, days since opening, beroepsgroep (+ options)
STORIES: list[Story] = [
    # Basisschool De Polderpionier (onderwijs)
    Story("docent", "Zorgen over leerling groep 5", "blauwe_plekken", "gemeld_en_hulp", 30, "onderwijs", extras=("report", "feedback")),
    Story("docent", "Leerling groep 6, gedrag invalkracht", "invalkracht", "stap_1", 1, "onderwijs", extras=("staff",)),
    Story("docent", "Leerling groep 3 vaak te laat en moe", "verwaarlozing_opvang", "stap_1", 12, "onderwijs"),
    Story("docent", "Leerling groep 7 teruggetrokken", "zorgen_jeugd", "stap_2", 4, "onderwijs", extras=("request",)),
    Story("docent", "Blauwe plekken leerling groep 4", "blauwe_plekken", "stap_3", 18, "onderwijs", extras=("correction", "request")),
    Story("docent", "Val van de fiets, leerling groep 2", "geen_vermoeden", "afgesloten_geen_vermoeden", 25, "onderwijs"),
    Story("docent", "Leerling groep 6 na evaluatie", "blauwe_plekken", "hulp_evaluatie", 60, "onderwijs"),
    Story("aandacht.school", "Broertje en zusje, groep 1 en 4", "verwaarlozing_opvang", "stap_4", 15, "onderwijs"),
    Story("aandacht.school", "Leerling groep 8, onrust thuis", "zorgen_jeugd", "hulp", 20, "onderwijs"),
    # Kinderopvang Kleine Klaproos
    Story("pm.opvang", "Peuter groep Vlinders, verzorging", "verwaarlozing_opvang", "hulp", 22, "kinderopvang"),
    Story("pm.opvang", "Dreumes groep Rupsjes", "verwaarlozing_opvang", "stap_1", 2, "kinderopvang"),
    Story("pm.opvang", "Peuter met veel angst bij ophalen", "blauwe_plekken", "stap_3", 9, "kinderopvang"),
    Story("pm.opvang", "Peuter groep Bijtjes, wonden", "geen_vermoeden", "stap_4", 6, "kinderopvang"),
    Story("pm.opvang", "Baby groep Lieveheersbeestjes", "verwaarlozing_opvang", "afgesloten_na_hulp", 75, "kinderopvang"),
    Story("aandacht.opvang", "Peuter, signalen van stagiair", "blauwe_plekken", "stap_2", 13, "kinderopvang"),
    # Huisartsenpraktijk Lindenhof (artsen, werkt met volwassenen: kindcheck)
    Story("huisarts", "Patiënte met herhaald letsel", "partnergeweld_huisarts", "gemeld", 16, "artsen", client="volwassene", extras=("report",)),
    Story("huisarts", "Patiënt met spanningen thuis", "partnergeweld_huisarts", "stap_1", 3, "artsen", client="volwassene", extras=("check_open",)),
    Story("huisarts", "Jonge moeder, uitputting", "verwaarlozing_opvang", "stap_5", 19, "artsen", client="volwassene"),
    Story("huisarts", "Patiënte, onrust in het gezin", "partnergeweld_huisarts", "hulp_afwijkend", 24, "artsen", client="volwassene"),
    # Sociaal Wijkteam Emmeloord (sociaal werk en jeugd)
    Story("wijkcoach", "Gezin met ruzies, jongere slaapt elders", "zorgen_jeugd", "stap_3", 8, "sociaal_werk_jeugd"),
    Story("wijkcoach", "Gezin met schulden en jonge kinderen", "verwaarlozing_opvang", "stap_5", 11, "sociaal_werk_jeugd"),
    Story("wijkcoach", "Moeder met drie kinderen, partnergeweld", "partnergeweld_huisarts", "afgesloten_na_melding", 50, "sociaal_werk_jeugd", client="volwassene", extras=("report", "feedback")),
    Story("wijkcoach", "Jongere met zorgen over thuis", "zorgen_jeugd", "stap_1", 9, "sociaal_werk_jeugd"),
    Story("wijkcoach", "Gezin na verhuizing", "verwaarlozing_opvang", "stap_2", 3, "sociaal_werk_jeugd"),
    Story("aandacht.wijkteam", "Gezin, signalen van schuldhulp", "zorgen_jeugd", "hulp", 26, "sociaal_werk_jeugd"),
    # GGD Flevoland (jeugdgezondheidszorg)
    Story("jgz", "Kind onthult misbruik op consultatiebureau", "kind_onthult", "direct_gemeld", 5, "artsen", extras=("report", "feedback")),
    Story("jgz", "Peuter met achterstand in groei", "verwaarlozing_opvang", "stap_2", 16, "artsen"),
    Story("jgz", "Schoolkind met blauwe plekken", "blauwe_plekken", "stap_4", 12, "artsen"),
    Story("jgz", "Kind bij de jeugdarts, val verklaard", "geen_vermoeden", "afgesloten_geen_vermoeden", 40, "artsen"),
    # Veilig Thuis Flevoland (eigen meldcode van de medewerker)
    Story("veiligthuis", "Zorgen bij huisbezoek, ander gezin", "zorgen_jeugd", "stap_1", 1, "algemeen"),
    Story("veiligthuis", "Gezin met jonge kinderen, advies", "verwaarlozing_opvang", "stap_5", 20, "algemeen"),
]  # fmt: skip


class _Builder:
    """Drives one case through the services as its professional would."""

    def __init__(self, actor: Actor, case: Case, story: Story) -> None:
        self.actor = actor
        self.case = case
        self.story = story
        self.start = timezone.localdate() - datetime.timedelta(days=story.days_ago)

    def day(self, offset: int) -> str:
        """A date in the story, `offset` days after it started (never after today)."""
        return min(self.start + datetime.timedelta(days=offset), timezone.localdate()).isoformat()

    def entry(self, form_class: type[EntryForm], data: dict[str, Any], **kwargs: Any) -> Entry:
        try:
            return services.case_record_entry(
                actor=self.actor,
                case=self.case,
                expected_version=self.case.version,
                kind=form_class.kind,
                data=data,
                **kwargs,
            )
        except services.CaseInputError as error:  # pragma: no cover - the demo content is fixed
            raise ValueError(f"{self.story.title}: {error.errors}") from error

    def person(self, fields: dict[str, Any]) -> Person:
        return services.case_record_person(
            actor=self.actor, case=self.case, expected_version=self.case.version, **fields
        )

    def move(self, target: str, reason: str = "") -> None:
        services.case_move(
            actor=self.actor,
            case=self.case,
            expected_version=self.case.version,
            target=target,
            reason=reason,
        )

    def weigh(
        self, question: str, answer: str, reasoning: str, kinds: list[str] | None = None
    ) -> None:
        services.case_record_weighing(
            actor=self.actor,
            case=self.case,
            expected_version=self.case.version,
            question=question,
            answer=answer,
            reasoning=reasoning,
            kinds=kinds or [],
        )

    def decide(self, outcome: Outcome, **kwargs: Any) -> Entry:
        return services.case_decide(
            actor=self.actor,
            case=self.case,
            expected_version=self.case.version,
            outcome=outcome,
            **kwargs,
        )


def _after_report(b: _Builder) -> None:
    """The report itself and, when the story has it, what Veilig Thuis answered."""
    story = b.story
    if "report" not in story.extras:
        return
    acute = story.stage == "direct_gemeld"
    b.entry(
        ReportForm,
        {
            "date": b.day(story.days_ago),
            "time": "10:40",
            "channel": "telefoon" if acute else "online",
            "veilig_thuis": "Veilig Thuis Flevoland",
            "contact": "dienstdoende medewerker",
            "informed": "nee" if acute else "ja",
            "not_informed_reason": "veiligheid" if acute else "",
            "not_informed_explanation": "Op advies van Veilig Thuis: vooraf vertellen kan het "
            "kind onder druk zetten."
            if acute
            else "",
            "reporter_unknown": acute,
        },
    )
    if "feedback" in story.extras:
        b.entry(
            ReportFeedbackForm,
            {
                "date": b.day(story.days_ago),
                "action": "onderzoek" if acute else "overdracht",
                "vt_reference": f"VTF-{b.case.pk:05d}",
                "contact": "casemanager Veilig Thuis",
                "asked_of_me": "Het kind blijven zien en nieuwe signalen direct doorgeven.",
            },
        )


def _tell(builder: _Builder, theme: Theme) -> None:
    """Play the story up to its stage."""
    story, b = builder.story, builder
    stage = STAGES.index(story.stage)
    for fields in theme.persons:
        b.person(fields)
    if story.client == "volwassene":
        children = [p for p in theme.persons if p["kind"] == "child"]
        answer: dict[str, Any] = {"has_children": "onbekend"}
        if "check_open" not in story.extras:
            answer = {
                "has_children": "ja" if children else "nee",
                "number": len(children) or None,
                "ages": ", ".join(_years(p["date_of_birth"]) for p in children),
            }
        b.entry(ChildCheckForm, answer)
    for index, signal in enumerate(theme.signals):
        recorded = b.entry(SignalForm, {"date": b.day(index), **signal})
        if index == 0 and "correction" in story.extras:
            corrected = {**signal, "facts": signal["facts"] + " (Aangevuld: ook op de rug.)"}
            b.entry(SignalForm, {"date": b.day(index), **corrected}, corrects=recorded)
    if theme.counter:
        b.entry(CounterSignalForm, {"date": b.day(1), **theme.counter})
    if "request" in story.extras:
        with notifications.muted():  # made-up requests e-mail nobody
            b.entry(
                ConsultationRequestForm,
                {"question": "Kunnen we deze signalen deze week samen bespreken?"},
            )
    if "staff" in story.extras:
        b.entry(
            StaffRouteForm,
            {
                "suspect_is_board": "nee",
                "board_informed_on": b.day(0),
                "board_informed_who": "de directeur, J. Bedacht",
                "inspector_consulted_on": b.day(0),
                "police_report": "nee",
                "notes": "De directeur heeft de vertrouwensinspecteur gebeld en bespreekt met "
                "het bestuur de aangifte.",
            },
        )
    if story.stage == "direct_gemeld":
        services.case_report_now(
            actor=b.actor, case=b.case, expected_version=b.case.version, danger=theme.danger
        )
        _after_report(b)
        return
    if stage < STAGES.index("stap_2"):
        return
    b.move(Phase.CONSULTATION)
    if stage < STAGES.index("stap_3"):
        return
    b.entry(ConsultationForm, {"date": b.day(2), **theme.consultation})
    b.move(Phase.CONVERSATION)
    if stage < STAGES.index("stap_4"):
        return
    if theme.skipped:
        b.entry(ConversationSkippedForm, theme.skipped)
    else:
        b.entry(ConversationForm, {"date": b.day(4), **(theme.conversation or {})})
    b.move(Phase.WEIGHING)
    if story.stage == "stap_4":
        return
    if story.stage == "afgesloten_geen_vermoeden":
        b.weigh("afweging_1", "nee", "De uitleg van de ouder klopt met wat anderen zagen.")
        b.decide(Outcome.CLOSE, agreements="Geen vervolg nodig; alert blijven.")
        return
    b.weigh("afweging_1", "ja", theme.suspicion)
    unsafe = story.stage in (
        "gemeld",
        "gemeld_en_hulp",
        "afgesloten_na_melding",
        "hulp_afwijkend",
    )
    if unsafe:
        b.weigh("afweging_2", "ja", theme.unsafe, kinds=["structureel"])
    else:
        b.weigh("afweging_2", "nee", theme.safe)
    review = timezone.localdate() + datetime.timedelta(days=28)
    if story.stage in ("gemeld", "afgesloten_na_melding"):
        b.decide(
            Outcome.REPORT,
            justification="Het letsel komt steeds terug en de kinderen zijn erbij: ik meld.",
        )
        _after_report(b)
        if story.stage == "afgesloten_na_melding":
            services.case_close(
                actor=b.actor,
                case=b.case,
                expected_version=b.case.version,
                reason="Veilig Thuis heeft de zorg overgenomen; terugkoppeling ontvangen.",
            )
        return
    if story.stage == "gemeld_en_hulp":
        b.decide(
            Outcome.REPORT_AND_HELP,
            justification="De signalen komen terug ondanks de gesprekken; melden en het kind "
            "op school blijven volgen.",
            agreements=theme.agreements or "Wij blijven het kind op school volgen.",
        )
        _after_report(b)
        return
    if story.stage == "hulp_afwijkend":
        b.decide(
            Outcome.HELP,
            justification="Cliënte woont sinds deze week met de kinderen bij haar zus; de "
            "partner is uit beeld. Zij wil nu eerst zelf hulp; ik meld direct als dat verandert.",
            agreements=theme.agreements,
            review_date=review,
        )
        return
    b.move(Phase.DECIDING)
    if story.stage == "stap_5":
        b.weigh("afweging_3", "ja", "Wij kunnen met het wijkteam passende hulp organiseren.")
        return
    b.weigh("afweging_3", "ja", "Wij kunnen met het wijkteam passende hulp organiseren.")
    b.weigh("afweging_4", "ja", "Ouders hebben ingestemd en de eerste afspraak gemaakt.")
    b.decide(
        Outcome.HELP,
        agreements=theme.agreements or "Hulp via het wijkteam.",
        review_date=review,
    )
    if story.stage == "afgesloten_na_hulp":
        b.weigh("afweging_5", "ja", "Na acht weken gaat het thuis aantoonbaar beter.")
        b.decide(Outcome.CLOSE_FOLLOWUP, followup=_followup_by_jgz(b))


FOLLOWER = "jgz"
"""Who follows the family's safety after the demo case closes after afweging 5 = ja: for a
family with a baby, the JGZ nurse of the GGD (another organisation, so with the parents'
consent)."""


def _followup_by_jgz(b: _Builder) -> FollowupAgreement:
    """The agreements on following the family: the JGZ nurse, on recorded consent."""
    follower = actor_for_user(user=User.objects.get(username=FOLLOWER))
    if follower is None:  # pragma: no cover
        raise ValueError(f"Demogebruiker {FOLLOWER} heeft geen organisatie.")
    until = default_until()
    ground = privacy_services.sharing_ground_record(
        actor=b.actor,
        client_pseudonym=b.case.client_pseudonym,
        kind=GroundKind.CONSENT,
        what="De afspraken over het volgen van de veiligheid en de uitkomst van de contacten",
        with_whom=f"De jeugdverpleegkundige van {follower.organisation}",
        purpose="Het volgen van de veiligheid van het kind na het afsluiten van de meldcode",
        given_by="moeder (met gezag)",
        valid_until=until,
    )
    return FollowupAgreement(
        follower_id=follower.user.pk,
        organisation_id=follower.organisation.pk,
        how="Maandelijks kort contact bij het brengen op de opvang; de JGZ ziet de baby op het "
        "consultatiebureau en belt moeder na drie maanden. Bij nieuwe zorgen direct opnieuw de "
        "meldcode.",
        until=until,
        ground_id=ground.pk,
    )


def _backdate(case: Case, story: Story) -> None:
    """Let the case have happened over the past `days_ago` days instead of just now."""
    now = timezone.now()
    delta = datetime.timedelta(days=story.days_ago)
    # Spread the recorded rows over the story's time, in their own order.
    rows: list[tuple[type[Person | Entry | PhaseChange], int, datetime.datetime]] = []
    for model in (Person, Entry, PhaseChange):
        rows += [
            (model, pk, at)
            for pk, at in model.objects.filter(case=case).values_list("pk", "created_at")
        ]
    rows.sort(key=lambda row: row[2])
    span = max(delta - datetime.timedelta(hours=1), datetime.timedelta(0))
    for index, (model, pk, _) in enumerate(rows):
        at = now - delta + span * index / max(len(rows), 1)
        model.objects.filter(pk=pk).update(created_at=at)
    last = now - delta + span * (len(rows) - 1) / max(len(rows), 1) if rows else now
    fields: dict[str, Any] = {
        "opened_at": now - delta,
        "updated_at": last,
        "phase_entered_at": last,
    }
    if case.closed_at:
        fields["closed_at"] = last
    if story.stage == "hulp_evaluatie":
        # The review date agreed at the decision has passed: afweging 5 is due.
        review = timezone.localdate() - datetime.timedelta(days=3)
        fields["review_date"] = review
        decision = Entry.objects.filter(case=case, kind=EntryKind.DECISION).last()
        if decision is not None:
            data = {**decision.data, "review_date": review.isoformat()}
            Entry.objects.filter(pk=decision.pk).update(data=data)
    Case.objects.filter(pk=case.pk).update(**fields)


def load() -> None:
    actors: dict[str, Actor] = {}
    for story in STORIES:
        if story.username not in actors:
            user = User.objects.get(username=story.username)
            actor = actor_for_user(user=user)
            if actor is None or not actor.can(Permission.CASE_WORK):  # pragma: no cover
                raise ValueError(f"Demogebruiker {story.username} kan geen casussen openen.")
            actors[story.username] = actor
        actor = actors[story.username]
        if Case.objects.filter(organisation=actor.organisation, title=story.title).exists():
            continue
        case = services.case_open(
            actor=actor, title=story.title, profession=story.profession, client=story.client
        )
        _tell(_Builder(actor, case, story), THEMES[story.theme])
        case.refresh_from_db()
        _backdate(case, story)
