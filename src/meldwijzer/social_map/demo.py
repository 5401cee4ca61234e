"""Demo sociale kaart for the region Noordoostpolder: about forty services.

Public bodies appear under their real names with their national numbers (Veilig Thuis 0800-2000,
politie 0900-8844, Slachtofferhulp 0900-0101, Centrum Seksueel Geweld 0800-0188, De
Kindertelefoon 0800-0432, Het Juridisch Loket 0900-8020; the Landelijk Knooppunt Huwelijksdwang
en Achterlating is given with its website only); everything else — local providers,
street addresses, contact persons, e-mail addresses — is made up. Made-up phone numbers have a
subscriber number starting with 0 (e.g. 0527-000 101), which no real Dutch number has. Some
specialised help is outside the region (daderhulp in Almere and Zwolle, the shelter in
Lelystad), so distance matters; the shelter's address is confidential.

Records are written through the same service functions a beheerder uses, as the demo
platformbeheerder; ids are fixed, so loading again skips what is there. Some records are made to
look long unchecked, so the reminder list has something to show.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from meldwijzer.accounts.models import User
from meldwijzer.organisations.actor import Actor
from meldwijzer.organisations.models import Organisation
from meldwijzer.organisations.selectors import actor_for_user
from meldwijzer.social_map import services
from meldwijzer.social_map.forms import parse_areas
from meldwijzer.social_map.models import Location, Provider, Service
from meldwijzer.social_map.services import ContactSpec

NAMESPACE = uuid.UUID("ef5d2591-592e-484d-9a2a-154a59bc702f")
NOP = "Noordoostpolder"
NOP_URK = "Noordoostpolder, Urk"
FLEVOLAND = "Flevoland"
NL = "Nederland"
ALL_FORMS = [
    "lichamelijk", "emotioneel", "verwaarlozing", "seksueel", "getuige", "eergerelateerd",
    "huwelijksdwang", "achterlating", "vgv", "ouderen", "uitbuiting", "overig",
]  # fmt: skip


@dataclass
class DemoLocation:
    key: str
    name: str
    address: str
    postal_code: str
    city: str
    phone: str = ""
    confidential: bool = False
    transportation: str = ""


@dataclass
class DemoService:
    name: str
    description: str
    help: list[str]
    groups: list[str]
    areas: str
    violence: list[str] = field(default_factory=list)
    eligibility: str = ""
    access: str = "direct"
    application: str = ""
    wait: str = ""
    fees: str = "Gratis."
    phone: str = ""
    hours: str = ""
    languages: list[str] = field(default_factory=lambda: ["nl"])
    locations: list[str] = field(default_factory=list)
    referral: str = ""
    contacts: list[tuple[str, str, str]] = field(default_factory=list)
    """(name, function, phone)"""
    url: str = ""
    interpretation: str = ""
    checked_days_ago: int = 30
    min_age: int | None = None
    max_age: int | None = None


@dataclass
class DemoProvider:
    name: str
    description: str
    sector: str
    owner: str = ""
    """A demo member organisation that keeps these records; empty: platformbeheer."""
    phone: str = ""
    website: str = ""
    officer: tuple[str, str] | None = None
    """(name, phone) of the aandachtsfunctionaris."""
    locations: list[DemoLocation] = field(default_factory=list)
    services: list[DemoService] = field(default_factory=list)
    checked_days_ago: int = 30


def _email(name: str) -> str:
    return name.lower().replace(" ", ".") + "@voorbeeld.invalid"


PROVIDERS: list[DemoProvider] = [
    DemoProvider(
        "Veilig Thuis Flevoland",
        "Het advies- en meldpunt huiselijk geweld en kindermishandeling voor heel Flevoland.",
        "veilig_thuis", owner="Veilig Thuis Flevoland", phone="0800-2000",
        website="https://www.veiligthuis.nl", officer=("Ingrid Voorbeeld", "0320-000 201"),
        locations=[DemoLocation("vt", "Kantoor Lelystad", "Voorbeeldstraat 1", "8232 AA", "Lelystad")],
        services=[
            DemoService(
                "Advies en melden bij Veilig Thuis",
                "Bel voor advies als u zich zorgen maakt over uzelf of iemand anders, of om een "
                "melding te doen. U kunt anoniem bellen. Veilig Thuis kan onderzoek doen en hulp "
                "op gang brengen.",
                ["advies", "melden", "acute_hulp"], ["kinderen", "jongeren", "ouders", "volwassenen", "ouderen", "plegers"],
                FLEVOLAND, violence=ALL_FORMS,
                eligibility="Iedereen: slachtoffers, plegers, omstanders en professionals.",
                application="Bel 0800-2000, dag en nacht. Chatten kan via veiligthuis.nl.",
                phone="0800-2000", hours="Dag en nacht bereikbaar, ook in het weekend.",
                languages=["nl", "en"], locations=["vt"], url="https://www.veiligthuis.nl",
                referral="Professionals melden telefonisch; houd de meldcode-gegevens bij de hand "
                "(signalen, consultatie, gesprek). Vraag om een terugkoppeling.",
                contacts=[("Team Advies", "Adviseurs voor professionals", "0800-2000")],
            ),
            DemoService(
                "Consultatie voor professionals",
                "Adviseurs van Veilig Thuis denken mee over uw zorgen, in elke stap van de "
                "meldcode. Zonder namen kan ook.",
                ["consultatie", "advies"], ["professionals"], FLEVOLAND,
                violence=ALL_FORMS,
                application="Bel 0800-2000 en vraag naar een adviseur.", phone="0800-2000",
                hours="Dag en nacht bereikbaar.", locations=["vt"],
            ),
        ],
    ),
    DemoProvider(
        "GGD Flevoland",
        "Publieke gezondheidszorg in Flevoland, met de jeugdgezondheidszorg (consultatiebureau "
        "en schoolarts).",
        "ggd_jgz", owner="GGD Flevoland", phone="088-0029920", website="https://www.ggdflevoland.nl",
        officer=("Femke Verzonnen", "0527-000 301"),
        locations=[DemoLocation("ggd-emmeloord", "Consultatiebureau Emmeloord", "Voorbeeldstraat 12", "8302 AB", "Emmeloord", transportation="Vlak bij het busstation van Emmeloord.")],
        services=[
            DemoService(
                "Jeugdgezondheidszorg 0-18 jaar",
                "Het consultatiebureau en de jeugdarts volgen de groei en ontwikkeling van uw kind. "
                "U kunt er terecht met vragen over opvoeden, slapen, eten en zorgen thuis. De "
                "jeugdarts praat met ouders uit landen waar meisjesbesnijdenis voorkomt over de "
                "bescherming van hun dochter, ook voor een reis.",
                ["opvoedondersteuning", "advies"], ["kinderen", "jongeren", "ouders"], NOP_URK,
                violence=["verwaarlozing", "getuige", "lichamelijk", "vgv"], min_age=0, max_age=18,
                application="U krijgt vanzelf een uitnodiging; bellen kan ook.",
                phone="088-0029920", hours="Maandag tot en met vrijdag, 8.30 tot 17.00 uur.",
                locations=["ggd-emmeloord"], url="https://www.ggdflevoland.nl",
                referral="Na afsluiting van een zorgmelding volgt JGZ het gezin nog 18 maanden; "
                "stem de overdracht af met de jeugdverpleegkundige.",
                contacts=[("Sanne Proefmans", "Jeugdverpleegkundige", "0527-000 302")],
            ),
            DemoService(
                "Spreekuur seksuele gezondheid voor jongeren",
                "Gratis en vertrouwelijk spreekuur over seks, relaties, grenzen en soa's, voor "
                "jongeren tot 25 jaar.",
                ["advies", "medische_hulp"], ["jongeren"], FLEVOLAND, violence=["seksueel"],
                min_age=12, max_age=24, application="Maak een afspraak; anoniem kan.",
                phone="088-0029920", locations=["ggd-emmeloord"], languages=["nl", "en"],
                checked_days_ago=420,
            ),
            DemoService(
                "Meldpunt zorg en overlast",
                "Voor zorgen over iemand die zelf geen hulp zoekt: verwaarlozing, verward gedrag, "
                "vervuiling. Een medewerker gaat op huisbezoek.",
                ["advies", "langdurige_begeleiding"], ["volwassenen", "ouderen", "psychiatrie_verslaving"], FLEVOLAND,
                violence=["verwaarlozing", "ouderen"], phone="088-0029920", locations=["ggd-emmeloord"],
            ),
            DemoService(
                "Forensisch medisch onderzoek",
                "Een forensisch arts onderzoekt en beschrijft letsel bij een kind of volwassene, "
                "zodat vastligt wat er te zien is. Ook om mee te denken of letsel past bij de "
                "uitleg die erbij wordt gegeven.",
                ["medische_hulp"], ["kinderen", "jongeren", "volwassenen"], FLEVOLAND,
                violence=["lichamelijk", "seksueel", "verwaarlozing"], access="verwijzing",
                application="Via Veilig Thuis, de huisarts, de jeugdarts of de politie.",
                phone="088-0029920", locations=["ggd-emmeloord"],
                referral="Overleg eerst met Veilig Thuis (0800-2000) als u letsel ziet bij een kind.",
            ),
        ],
    ),
    DemoProvider(
        "Gemeente Noordoostpolder",
        "De gemeente: toegang tot Wmo, jeugdhulp en schuldhulp, en het sociaal loket.",
        "gemeente", owner="Gemeente Noordoostpolder", phone="14 0527", website="https://www.noordoostpolder.nl",
        officer=("Willem Bedacht", "0527-000 401"),
        locations=[DemoLocation("gemeentehuis", "Gemeentehuis", "Voorbeeldplein 1", "8302 BA", "Emmeloord")],
        services=[
            DemoService(
                "Sociaal loket",
                "Eén loket voor vragen over geld, wonen, zorg, opvoeden en veiligheid thuis. Het "
                "loket zoekt met u uit welke hulp past en verwijst door.",
                ["advies", "praktische_hulp"], ["volwassenen", "ouders", "ouderen", "statushouders", "arbeidsmigranten"], NOP,
                application="Loop binnen of bel. Een gewone vraag kan dezelfde dag worden opgepakt.",
                phone="14 0527", hours="Maandag tot en met vrijdag, 9.00 tot 16.30 uur.",
                languages=["nl", "en", "de"], locations=["gemeentehuis"],
                url="https://www.noordoostpolder.nl",
            ),
            DemoService(
                "Schuldhulpverlening",
                "Hulp bij geldzorgen en schulden: een overzicht maken, afspraken met schuldeisers, "
                "en leren rondkomen. Geldstress is vaak een oorzaak van spanning thuis.",
                ["praktische_hulp"], ["volwassenen", "ouders"], NOP, application="Via het sociaal loket.",
                access="beide", wait="Eerste gesprek binnen 3 werkdagen.", phone="14 0527", locations=["gemeentehuis"],
            ),
            DemoService(
                "Begeleiding van statushouders",
                "Maatschappelijke begeleiding in het eerste jaar na de verhuizing vanuit het azc: "
                "wonen, geld, school, gezondheid en de weg naar hulp.",
                ["praktische_hulp", "advies"], ["statushouders"], NOP, access="verwijzing",
                application="Statushouders worden aangemeld door het COA en de gemeente.",
                languages=["nl", "en", "ar", "ti", "fa"], phone="14 0527", locations=["gemeentehuis"],
                interpretation="Met een tolk via de telefoon als dat nodig is.",
            ),
        ],
    ),
    DemoProvider(
        "Sociaal Wijkteam Emmeloord",
        "Het wijkteam voor Emmeloord: gezinscoaches, maatschappelijk werkers en een "
        "ouderenadviseur.",
        "wijkteam", owner="Sociaal Wijkteam Emmeloord", phone="0527-000 501",
        officer=("Marieke Postma", "0527-000 502"),
        locations=[DemoLocation("wijkteam", "Wijkteam Emmeloord", "Voorbeeldlaan 5", "8303 CD", "Emmeloord")],
        services=[
            DemoService(
                "Gezinscoaching",
                "Een gezinscoach helpt het hele gezin om de rust terug te vinden: opvoeden, ruzies "
                "zonder geweld, en de zorgen die zich opstapelen. Eén aanspreekpunt voor het gezin.",
                ["ambulante_hulp", "opvoedondersteuning"], ["ouders", "kinderen", "jongeren"], NOP,
                violence=["verwaarlozing", "getuige", "emotioneel", "lichamelijk"],
                access="beide", application="Bel of mail het wijkteam; een verwijzing is niet nodig.",
                wait="Ongeveer twee weken.", phone="0527-000 501", locations=["wijkteam"],
                referral="Meld aan met toestemming van het gezin via het aanmeldformulier van het "
                "wijkteam. Na een melding bij Veilig Thuis: bespreek wie casusregie neemt.",
                contacts=[("Daan Mulder", "Wijkcoach", "0527-000 503")],
            ),
            DemoService(
                "Maatschappelijk werk bij huiselijk geweld",
                "Gesprekken met slachtoffers van partnergeweld: veiligheid, een veiligheidsplan, "
                "en de weg naar verdere hulp. Ook na een huisverbod.",
                ["ambulante_hulp", "advies"], ["volwassenen"], NOP, violence=["lichamelijk", "emotioneel", "getuige"],
                access="direct", phone="0527-000 501", locations=["wijkteam"], languages=["nl", "en"],
                contacts=[("Lisa Fictief", "Maatschappelijk werker", "0527-000 504")],
            ),
            DemoService(
                "Ouderenadviseur",
                "Voor ouderen en mantelzorgers: advies over zorg, geld en veiligheid thuis. De "
                "ouderenadviseur let ook op signalen van ouderenmishandeling.",
                ["advies", "ambulante_hulp"], ["ouderen"], NOP, violence=["ouderen", "verwaarlozing"],
                phone="0527-000 501", locations=["wijkteam"], checked_days_ago=500,
            ),
        ],
    ),
    DemoProvider(
        "Wijkteam Polderdorpen",
        "Het wijkteam voor de dorpen rond Emmeloord: Nagele, Marknesse, Ens, Luttelgeest, "
        "Kraggenburg, Bant, Rutten, Creil, Espel en Tollebeek.",
        "wijkteam", owner="Wijkteam Polderdorpen", phone="0527-000 601",
        officer=("Ria Testjes", "0527-000 602"),
        locations=[
            DemoLocation("marknesse", "Dorpshuis Marknesse", "Voorbeeldweg 3", "8316 AA", "Marknesse"),
            DemoLocation("nagele", "Spreekuur Nagele", "Voorbeeldhof 2", "8308 AB", "Nagele"),
        ],
        services=[
            DemoService(
                "Wijkteam in de dorpen",
                "Hulp bij opvoeden, geld, zorg en veiligheid thuis, dichtbij in uw eigen dorp. Ook "
                "spreekuur in Nagele.",
                ["ambulante_hulp", "advies", "opvoedondersteuning"], ["ouders", "volwassenen", "ouderen", "kinderen"],
                "8307, 8308, 8309, 8311, 8312, 8313, 8314, 8315, 8316, 8317", violence=["verwaarlozing", "getuige"],
                phone="0527-000 601", hours="Spreekuur Nagele: dinsdagochtend.",
                locations=["marknesse", "nagele"],
            ),
        ],
    ),
    DemoProvider(
        "Politie basisteam Noordoostpolder-Urk",
        "De politie in Noordoostpolder en Urk: noodhulp, wijkagenten en aangifte.",
        "politie_justitie", owner="Politie basisteam Noordoostpolder-Urk", phone="0900-8844",
        website="https://www.politie.nl",
        locations=[DemoLocation("politie", "Politiebureau Emmeloord", "Voorbeeldkade 4", "8302 CC", "Emmeloord")],
        services=[
            DemoService(
                "Aangifte en de wijkagent",
                "Aangifte doen van mishandeling, bedreiging of stalking, of overleggen met uw "
                "wijkagent. Bij direct gevaar belt u altijd 112.",
                ["juridisch", "acute_hulp"], ["volwassenen", "jongeren", "ouderen"], NOP_URK,
                violence=["lichamelijk", "emotioneel", "seksueel", "uitbuiting"],
                application="Bel 0900-8844 voor een afspraak; bij spoed 112.", phone="0900-8844",
                locations=["politie"], url="https://www.politie.nl",
                referral="Overleg met de jeugd- en zedenrechercheur kan via de wijkagent.",
            ),
            DemoService(
                "Tijdelijk huisverbod",
                "Bij dreiging kan de burgemeester een pleger tien dagen uit huis plaatsen. Hulp "
                "voor slachtoffer, pleger en kinderen start meteen.",
                ["juridisch", "acute_hulp"], ["volwassenen", "plegers", "kinderen"], NOP_URK,
                violence=["lichamelijk", "emotioneel", "getuige"], access="verwijzing",
                application="De politie beoordeelt de situatie ter plaatse (RiHG).", phone="0900-8844",
                locations=["politie"],
            ),
        ],
    ),
    DemoProvider(
        "Slachtofferhulp Nederland",
        "Gratis hulp voor slachtoffers van misdrijven en verkeersongelukken: emotioneel, "
        "praktisch en juridisch.",
        "politie_justitie", phone="0900-0101", website="https://www.slachtofferhulp.nl",
        services=[
            DemoService(
                "Hulp voor slachtoffers",
                "Een medewerker helpt u na een misdrijf met uw emoties, praktische zaken en het "
                "strafproces, ook als u geen aangifte deed.",
                ["advies", "juridisch"], ["volwassenen", "jongeren", "ouderen"], NL,
                violence=["lichamelijk", "seksueel", "emotioneel", "uitbuiting"],
                phone="0900-0101", hours="Maandag tot en met vrijdag, 8.00 tot 20.00 uur.",
                languages=["nl", "en"], url="https://www.slachtofferhulp.nl",
            ),
        ],
    ),
    DemoProvider(
        "Centrum Seksueel Geweld Flevoland",
        "Acute hulp na seksueel geweld: medisch, forensisch en psychisch, op één plek.",
        "gezondheidszorg", phone="0800-0188", website="https://centrumseksueelgeweld.nl",
        locations=[DemoLocation("csg", "Ziekenhuislocatie Lelystad", "Voorbeeldziekenhuisweg 1", "8232 BB", "Lelystad")],
        services=[
            DemoService(
                "Acute hulp na seksueel geweld",
                "Bent u de afgelopen zeven dagen verkracht of aangerand? Bel direct: medische "
                "zorg, sporenonderzoek en psychische hulp, ook als u (nog) geen aangifte wilt doen.",
                ["acute_hulp", "medische_hulp", "traumabehandeling"], ["volwassenen", "jongeren", "kinderen"], FLEVOLAND,
                violence=["seksueel"], phone="0800-0188", hours="Dag en nacht bereikbaar.",
                languages=["nl", "en"], locations=["csg"], url="https://centrumseksueelgeweld.nl",
            ),
        ],
    ),
    DemoProvider(
        "Stichting Veilige Haven Flevoland",
        "Opvang en ambulante hulp bij huiselijk geweld, voor vrouwen, mannen en kinderen.",
        "wijkteam", phone="0320-000 701", officer=("Yvonne Voorbeeld", "0320-000 702"),
        locations=[
            DemoLocation("opvang", "Opvanghuis", "Geheimgehouden 1", "8224 AA", "Lelystad", confidential=True),
            DemoLocation("vh-emmeloord", "Steunpunt Emmeloord", "Voorbeeldsingel 8", "8304 AA", "Emmeloord"),
        ],
        services=[
            DemoService(
                "Vrouwenopvang",
                "Een veilige plek om te wonen als het thuis niet veilig is, met begeleiding voor u "
                "en uw kinderen. Het adres is geheim.",
                ["opvang", "acute_hulp"], ["volwassenen", "kinderen"], FLEVOLAND,
                violence=["lichamelijk", "emotioneel", "getuige", "eergerelateerd", "huwelijksdwang"],
                access="beide",
                application="Bel; bij acute nood is plaatsing dezelfde dag mogelijk. Veilig Thuis en "
                "de politie kunnen ook aanmelden.", phone="0320-000 701",
                hours="Dag en nacht bereikbaar.", locations=["opvang"], languages=["nl", "en", "ar", "tr"],
                referral="Aanmelden via de crisisdienst (dag en nacht). Het adres wordt alleen aan de "
                "cliënt gegeven, bij plaatsing.",
                contacts=[("Crisisdienst", "Aanmelden voor opvang", "0320-000 703")],
            ),
            DemoService(
                "Ambulante hulp bij huiselijk geweld",
                "Hulp thuis of op het steunpunt om het geweld te stoppen: veiligheidsplan, "
                "gesprekken, en hulp voor de kinderen.",
                ["ambulante_hulp"], ["volwassenen", "ouders", "kinderen"], NOP_URK,
                violence=["lichamelijk", "emotioneel", "getuige"], access="beide",
                wait="Ongeveer drie weken.", phone="0320-000 701", locations=["vh-emmeloord"],
            ),
            DemoService(
                "Hulp bij complexe scheidingen",
                "Voor ouders in een vechtscheiding en hun kinderen: gesprekken met ouders en een "
                "groep voor kinderen, zodat zij niet klem komen te zitten.",
                ["ambulante_hulp"], ["ouders", "kinderen", "jongeren"], FLEVOLAND,
                violence=["emotioneel", "getuige"], access="verwijzing",
                application="Met een verwijzing van het wijkteam of de huisarts.",
                wait="Start bij een nieuwe groep, ongeveer zes weken.", locations=["vh-emmeloord"],
            ),
        ],
    ),
    DemoProvider(
        "Poli Keerpunt Almere",
        "Forensische polikliniek voor mensen die geweld gebruiken in hun relatie of gezin.",
        "gezondheidszorg", phone="036-000 801",
        locations=[DemoLocation("almere", "Poli Almere", "Voorbeeldboulevard 20", "1315 AA", "Almere")],
        services=[
            DemoService(
                "Daderhulp bij huiselijk geweld",
                "Behandeling voor wie geweld gebruikt tegen partner of kinderen en daarmee wil "
                "stoppen: individueel of in een groepstraining.",
                ["daderhulp"], ["plegers"], "Flevoland, Overijssel",
                violence=["lichamelijk", "emotioneel"], access="verwijzing",
                application="Met een verwijzing van de huisarts, het wijkteam, Veilig Thuis of de "
                "reclassering.", wait="Vier tot zes weken.",
                fees="Vergoed door de zorgverzekering (eigen risico).", phone="036-000 801",
                locations=["almere"], referral="Verwijsbrief van de huisarts nodig; na een "
                "huisverbod kan de intake binnen een week.",
            ),
        ],
    ),
    DemoProvider(
        "Centrum Omslag Zwolle",
        "Behandeling en training voor plegers van huiselijk geweld, en traumabehandeling.",
        "gezondheidszorg", phone="038-000 901",
        locations=[DemoLocation("zwolle", "Centrum Zwolle", "Voorbeeldgracht 9", "8011 AA", "Zwolle")],
        services=[
            DemoService(
                "Groepstraining Stoppen met geweld",
                "Groepstraining van twintig weken voor mannen en vrouwen die geweld gebruiken in "
                "hun relatie.",
                ["daderhulp"], ["plegers"], "Overijssel, Noordoostpolder, Urk",
                violence=["lichamelijk", "emotioneel"], access="verwijzing", wait="Zes weken.",
                fees="Vergoed door de zorgverzekering (eigen risico).", phone="038-000 901",
                locations=["zwolle"],
            ),
            DemoService(
                "Traumabehandeling voor volwassenen",
                "Behandeling van de gevolgen van geweld, zoals EMDR en traumagerichte therapie.",
                ["traumabehandeling"], ["volwassenen"], "Overijssel, Noordoostpolder",
                violence=["lichamelijk", "seksueel", "emotioneel"], access="verwijzing",
                wait="Acht weken.", fees="Vergoed door de zorgverzekering (eigen risico).",
                phone="038-000 901", locations=["zwolle"], checked_days_ago=400,
            ),
        ],
    ),
    DemoProvider(
        "Jeugdhulp De Kraanvogel",
        "Jeugdhulp in Noordoostpolder en Urk: behandeling, opvoedhulp en gezinstherapie.",
        "jeugdhulp", owner="Jeugdhulp De Kraanvogel", phone="0527-000 110",
        officer=("Joost Proefmans", "0527-000 111"),
        locations=[DemoLocation("kraanvogel", "De Kraanvogel", "Voorbeeldpad 7", "8302 DD", "Emmeloord")],
        services=[
            DemoService(
                "Traumabehandeling voor kinderen en jongeren",
                "EMDR en traumagerichte therapie voor kinderen die geweld meemaakten of zagen.",
                ["traumabehandeling"], ["kinderen", "jongeren"], NOP_URK,
                violence=["lichamelijk", "seksueel", "getuige"], access="verwijzing",
                wait="Vier weken.", phone="0527-000 110", locations=["kraanvogel"], max_age=23,
                referral="Verwijzing via het wijkteam (jeugdhulp) of de huisarts.",
                contacts=[("Anouk Kramer", "Behandelaar", "0527-000 112")],
            ),
            DemoService(
                "Opvoedhulp bij moeilijk gedrag",
                "Als het gedrag van uw kind thuis veel vraagt: begeleiding voor ouders en kind, "
                "thuis en op de praktijk.",
                ["opvoedondersteuning", "ambulante_hulp"], ["ouders", "kinderen", "lvb"], NOP_URK,
                access="verwijzing", wait="Drie weken.", phone="0527-000 110", locations=["kraanvogel"],
            ),
            DemoService(
                "Gezinstherapie",
                "Therapie voor het hele gezin bij spanningen, na een scheiding of na geweld.",
                ["gezinstherapie", "ambulante_hulp"], ["ouders", "kinderen", "jongeren"], NOP_URK,
                violence=["emotioneel", "getuige"], access="verwijzing", wait="Zes weken.",
                phone="0527-000 110", locations=["kraanvogel"],
            ),
        ],
    ),
    DemoProvider(
        "Thuiszorg Polderzorg",
        "Wijkverpleging en huishoudelijke hulp in de Noordoostpolder.",
        "gezondheidszorg", owner="Thuiszorg Polderzorg", phone="0527-000 120",
        officer=("Gerda Bedacht", "0527-000 121"),
        locations=[DemoLocation("polderzorg", "Kantoor Marknesse", "Voorbeelddreef 11", "8316 BB", "Marknesse")],
        services=[
            DemoService(
                "Wijkverpleging en signaleren bij ouderen",
                "Verpleging thuis. Wijkverpleegkundigen letten op signalen van ontspoorde "
                "mantelzorg en ouderenmishandeling en bespreken die.",
                ["ambulante_hulp", "langdurige_begeleiding"], ["ouderen"], NOP,
                violence=["ouderen", "verwaarlozing"], access="beide", phone="0527-000 120",
                locations=["polderzorg"], fees="Vergoed door de zorgverzekering.",
            ),
        ],
    ),
    DemoProvider(
        "Huisartsenpraktijk Lindenhof",
        "Huisartsenpraktijk in Emmeloord, met praktijkondersteuners jeugd en ggz.",
        "huisartsenpraktijk", owner="Huisartsenpraktijk Lindenhof", phone="0527-000 130",
        officer=("Pieter Wiersma", "0527-000 131"),
        locations=[DemoLocation("lindenhof", "Praktijk Lindenhof", "Voorbeeldhof 14", "8302 EE", "Emmeloord")],
        services=[
            DemoService(
                "Praktijkondersteuner jeugd",
                "Kortdurende hulp voor kinderen en ouders bij zorgen over gedrag, stemming of "
                "de situatie thuis, in de eigen huisartsenpraktijk.",
                ["ambulante_hulp", "advies"], ["kinderen", "jongeren", "ouders"], "8302, 8303, 8304, 8305",
                access="direct", application="Maak een afspraak via de assistente.",
                phone="0527-000 130", locations=["lindenhof"],
            ),
        ],
    ),
    DemoProvider(
        "Informatiepunt Arbeidsmigranten Noordoostpolder",
        "Informatie en hulp voor arbeidsmigranten, in hun eigen taal.",
        "wijkteam", phone="0527-000 140",
        locations=[DemoLocation("ipa", "Informatiepunt", "Voorbeeldmarkt 3", "8302 FF", "Emmeloord")],
        services=[
            DemoService(
                "Spreekuur voor arbeidsmigranten",
                "Vragen over werk, wonen, zorg en veiligheid, in het Pools, Roemeens, Bulgaars of "
                "Engels. Ook als u bang bent voor uw werkgever of huisbaas.",
                ["advies", "praktische_hulp"], ["arbeidsmigranten"], NOP_URK,
                violence=["uitbuiting", "lichamelijk"], application="Loop binnen tijdens het spreekuur.",
                hours="Woensdag 17.00 tot 20.00 uur en zaterdag 10.00 tot 13.00 uur.",
                languages=["pl", "ro", "bg", "en", "lt"], phone="0527-000 140", locations=["ipa"],
            ),
            DemoService(
                "Maatschappelijk werk in eigen taal",
                "Gesprekken bij spanningen thuis, geweld of uitbuiting, met een maatschappelijk "
                "werker die Pools of Roemeens spreekt.",
                ["ambulante_hulp"], ["arbeidsmigranten", "volwassenen"], NOP_URK,
                violence=["lichamelijk", "emotioneel", "uitbuiting"], languages=["pl", "ro", "en"],
                phone="0527-000 140", locations=["ipa"], checked_days_ago=380,
            ),
        ],
    ),
    DemoProvider(
        "Stichting Nieuwe Buren",
        "Vrijwilligers en professionals die nieuwkomers en statushouders wegwijs maken.",
        "wijkteam", phone="0527-000 150",
        locations=[DemoLocation("nieuweburen", "Ontmoetingsplek", "Voorbeeldstraat 30", "8303 AA", "Emmeloord")],
        services=[
            DemoService(
                "Maatje en gezinsbegeleiding voor nieuwkomers",
                "Een maatje en een gezinsbegeleider helpen bij opvoeden in een nieuw land, school, "
                "en bij zorgen thuis. Met aandacht voor eergerelateerd geweld.",
                ["praktische_hulp", "opvoedondersteuning"], ["statushouders", "ouders"], NOP,
                violence=["eergerelateerd", "huwelijksdwang", "emotioneel"],
                languages=["nl", "ar", "ti", "fa", "so", "uk"],
                phone="0527-000 150", locations=["nieuweburen"],
            ),
        ],
    ),
    DemoProvider(
        "Steunpunt LVB Flevoland",
        "Begeleiding voor mensen met een licht verstandelijke beperking en hun gezin.",
        "gezondheidszorg", phone="0320-000 160",
        locations=[DemoLocation("lvb", "Steunpunt Emmeloord", "Voorbeeldlaan 40", "8304 BB", "Emmeloord")],
        services=[
            DemoService(
                "Ambulante begeleiding bij een LVB",
                "Begeleiding thuis bij geld, opvoeden, relaties en veiligheid, voor zo lang als "
                "nodig. In eenvoudige taal.",
                ["langdurige_begeleiding", "ambulante_hulp"], ["lvb", "ouders", "volwassenen"], FLEVOLAND,
                violence=["verwaarlozing", "emotioneel"], access="verwijzing",
                application="Met een beschikking van de gemeente (Wmo of Jeugdwet).",
                wait="Vier weken.", phone="0320-000 160", locations=["lvb"],
            ),
            DemoService(
                "Ouderschap met een beperking",
                "Steun voor ouders met een LVB: de zorg voor de kinderen, het huishouden en hulp "
                "vragen op tijd.",
                ["opvoedondersteuning", "langdurige_begeleiding"], ["lvb", "ouders"], FLEVOLAND,
                violence=["verwaarlozing"], access="verwijzing", phone="0320-000 160", locations=["lvb"],
            ),
        ],
    ),
    DemoProvider(
        "GGZ Polderland",
        "Geestelijke gezondheidszorg en verslavingszorg voor volwassenen in de Noordoostpolder.",
        "gezondheidszorg", phone="0527-000 170",
        locations=[DemoLocation("ggz", "Poli Emmeloord", "Voorbeeldweg 50", "8305 AA", "Emmeloord")],
        services=[
            DemoService(
                "Verslavingszorg en ggz",
                "Behandeling bij psychische problemen en verslaving, ook als die samengaan met "
                "spanningen en geweld thuis.",
                ["ambulante_hulp", "langdurige_begeleiding"], ["psychiatrie_verslaving", "volwassenen"], NOP_URK,
                access="verwijzing", wait="Zes weken.", fees="Vergoed door de zorgverzekering (eigen risico).",
                phone="0527-000 170", locations=["ggz"],
            ),
        ],
    ),
    DemoProvider(
        "Jongerenwerk Emmeloord",
        "Jongerenwerkers op straat, op school en online.",
        "wijkteam", phone="0527-000 180",
        locations=[DemoLocation("jongerenwerk", "Jongerencentrum", "Voorbeeldplein 6", "8302 GG", "Emmeloord")],
        services=[
            DemoService(
                "Jongerenwerk en online chat",
                "Praat met een jongerenwerker over thuis, relaties, loverboys of online "
                "afpersing. Anoniem kan, ook via de chat.",
                ["advies", "ambulante_hulp"], ["jongeren"], NOP, violence=["seksueel", "uitbuiting", "emotioneel"],
                min_age=12, max_age=23, hours="Chat maandag tot en met vrijdag 15.00 tot 21.00 uur.",
                phone="0527-000 180", locations=["jongerenwerk"],
            ),
        ],
    ),
    DemoProvider(
        "De Kindertelefoon",
        "Landelijke hulplijn voor kinderen en jongeren van 8 tot 18 jaar.",
        "overig", phone="0800-0432", website="https://www.kindertelefoon.nl",
        services=[
            DemoService(
                "Bellen of chatten met De Kindertelefoon",
                "Voor kinderen die ergens mee zitten: ruzie thuis, geweld, pesten. Gratis en "
                "anoniem.",
                ["advies"], ["kinderen", "jongeren"], NL, violence=["lichamelijk", "seksueel", "emotioneel", "getuige", "verwaarlozing"],
                min_age=8, max_age=18, phone="0800-0432", hours="Elke dag van 11.00 tot 21.00 uur.",
                url="https://www.kindertelefoon.nl",
            ),
        ],
    ),
    DemoProvider(
        "Het Juridisch Loket",
        "Gratis juridisch advies voor mensen met een laag inkomen.",
        "overig", phone="0900-8020", website="https://www.juridischloket.nl",
        services=[
            DemoService(
                "Juridisch advies",
                "Advies over scheiding, omgang, huisverbod, huur en schulden, en hulp bij het "
                "vinden van een advocaat.",
                ["juridisch", "advies"], ["volwassenen", "ouders"], NL, phone="0900-8020",
                url="https://www.juridischloket.nl",
            ),
        ],
    ),
    DemoProvider(
        "Zorgcoördinatie Mensenhandel Flevoland",
        "Coördinatie van opvang en hulp voor slachtoffers van mensenhandel en uitbuiting.",
        "wijkteam", phone="0320-000 190",
        services=[
            DemoService(
                "Hulp bij mensenhandel en uitbuiting",
                "Een zorgcoördinator regelt veilige opvang, medische en juridische hulp voor "
                "slachtoffers van seksuele uitbuiting, arbeidsuitbuiting en criminele uitbuiting.",
                ["opvang", "juridisch", "advies"], ["slachtoffers_mensenhandel", "arbeidsmigranten", "jongeren"], FLEVOLAND,
                violence=["uitbuiting", "seksueel"], access="beide", phone="0320-000 190",
                languages=["nl", "en", "pl", "ro"],
                referral="Professionals bellen de zorgcoördinator; ook zonder aangifte.",
            ),
        ],
    ),
    DemoProvider(
        "Landelijk Knooppunt Huwelijksdwang en Achterlating",
        "Landelijk kennis- en expertisecentrum voor professionals over huwelijksdwang en "
        "achterlating, ondergebracht bij Veilig Thuis Haaglanden.",
        "veilig_thuis", website="https://www.huwelijksdwangenachterlating.nl",
        services=[
            DemoService(
                "Advies bij huwelijksdwang en achterlating",
                "Professionals krijgen advies bij (dreigende) huwelijksdwang en achterlating, ook "
                "vóór een reis naar het buitenland. Het knooppunt helpt slachtoffers die in het "
                "buitenland zijn achtergelaten terug te keren, samen met het ministerie van "
                "Buitenlandse Zaken.",
                ["consultatie", "advies"], ["professionals", "jongeren", "volwassenen"], NL,
                violence=["huwelijksdwang", "achterlating", "eergerelateerd"],
                application="Professionals vragen advies via de website of via Veilig Thuis. "
                "Slachtoffers kunnen terecht bij Veilig Thuis in hun regio (0800-2000).",
                url="https://www.huwelijksdwangenachterlating.nl",
            ),
        ],
    ),
    DemoProvider(
        "Stichting Sleutelpersonen Flevoland",
        "Sleutelpersonen uit Somalische, Eritrese, Egyptische en Soedanese gemeenschappen die "
        "voorlichting geven en gezinnen de weg wijzen naar hulp.",
        "wijkteam", phone="0320-000 230",
        services=[
            DemoService(
                "Voorlichting over meisjesbesnijdenis en huwelijksdwang",
                "Gesprekken in de eigen taal met ouders en jongeren over meisjesbesnijdenis, "
                "huwelijksdwang en eer. Een sleutelpersoon gaat mee naar de jeugdarts of Veilig "
                "Thuis als u dat wilt.",
                ["advies", "praktische_hulp"], ["ouders", "jongeren", "statushouders"], FLEVOLAND,
                violence=["vgv", "huwelijksdwang", "eergerelateerd"],
                languages=["nl", "so", "ti", "ar"], phone="0320-000 230",
                application="Bel of vraag de jeugdarts of het wijkteam om contact te leggen.",
            ),
        ],
    ),
    DemoProvider(
        "Steunpunt Mantelzorg Noordoostpolder",
        "Ondersteuning voor mantelzorgers in de Noordoostpolder.",
        "wijkteam", phone="0527-000 220",
        locations=[DemoLocation("mantelzorg", "Steunpunt", "Voorbeeldstraat 44", "8305 AA", "Emmeloord")],
        services=[
            DemoService(
                "Mantelzorgondersteuning en respijtzorg",
                "Voor wie voor een ouder of partner zorgt en het zwaar heeft: een gesprek, een "
                "vrijwilliger die de zorg even overneemt, en advies over geld en regelingen. Ook als "
                "de zorg u soms boven het hoofd groeit en het thuis misgaat.",
                ["praktische_hulp", "advies"], ["ouderen", "volwassenen"], NOP,
                violence=["ouderen"], phone="0527-000 220", locations=["mantelzorg"],
                hours="Maandag tot en met donderdag, 9.00 tot 12.00 uur.",
            ),
        ],
    ),
    DemoProvider(
        "Wijkteam Urk",
        "Het wijkteam van de gemeente Urk.",
        "wijkteam", phone="0527-000 210",
        locations=[DemoLocation("urk", "Wijkteam Urk", "Voorbeeldhaven 2", "8321 AA", "Urk")],
        services=[
            DemoService(
                "Wijkteam Urk",
                "Hulp bij opvoeden, geld en zorg, en bij spanningen thuis, voor inwoners van Urk.",
                ["ambulante_hulp", "opvoedondersteuning", "advies"], ["ouders", "volwassenen", "kinderen"], "Urk",
                violence=["verwaarlozing", "getuige"], phone="0527-000 210", locations=["urk"],
            ),
        ],
    ),
]  # fmt: skip


def _uid(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(parts))


def _actor() -> Actor:
    actor = actor_for_user(user=User.objects.get(username="platformbeheer"))
    if actor is None:  # pragma: no cover - the accounts demo made it
        raise ValueError("De demo-platformbeheerder ontbreekt.")
    return actor


def _provider(actor: Actor, spec: DemoProvider) -> Provider:
    provider = Provider.objects.filter(uid=_uid("provider", spec.name)).first()
    if provider is not None:
        return provider
    officer = None
    if spec.officer:
        name, phone = spec.officer
        officer = ContactSpec(None, name, "Aandachtsfunctionaris", _email(name), phone)
    return services.provider_save(
        actor=actor,
        provider=Provider(
            uid=_uid("provider", spec.name),
            name=spec.name,
            description=spec.description,
            sector=spec.sector,
            website=spec.website,
        ),
        phone=spec.phone,
        officer=officer,
        owner=Organisation.objects.filter(name=spec.owner).first() if spec.owner else None,
    )


def _location(actor: Actor, provider: Provider, spec: DemoLocation) -> Location:
    location = Location.objects.filter(uid=_uid("location", provider.name, spec.key)).first()
    if location is not None:
        return location
    return services.location_save(
        actor=actor,
        location=Location(
            uid=_uid("location", provider.name, spec.key),
            provider=provider,
            name=spec.name,
            address_1=spec.address,
            postal_code=spec.postal_code,
            city=spec.city,
            confidential=spec.confidential,
            transportation=spec.transportation,
        ),
        phone=spec.phone,
    )


def _service(
    actor: Actor, provider: Provider, spec: DemoService, locations: dict[str, Location]
) -> Service | None:
    uid = _uid("service", provider.name, spec.name)
    if Service.objects.filter(uid=uid).exists():
        return None
    fields: dict[str, Any] = {
        "uid": uid,
        "provider": provider,
        "name": spec.name,
        "description": spec.description,
        "eligibility_description": spec.eligibility,
        "access": spec.access,
        "application_process": spec.application,
        "wait_time": spec.wait,
        "fees_description": spec.fees,
        "url": spec.url,
        "referral_details": spec.referral,
        "interpretation_services": spec.interpretation,
        "minimum_age": spec.min_age,
        "maximum_age": spec.max_age,
    }
    return services.service_save(
        actor=actor,
        service=Service(**fields),
        terms={"vormen_van_geweld": spec.violence, "doelgroepen": spec.groups, "soorten_hulp": spec.help},
        languages=spec.languages,
        areas=parse_areas(spec.areas),
        locations=[locations[key] for key in spec.locations],
        phone=spec.phone,
        hours=spec.hours,
        contacts=[
            ContactSpec(None, name, title, _email(name) if " " in name else "", phone)
            for name, title, phone in spec.contacts
        ],
    )  # fmt: skip


def load() -> None:
    actor = _actor()
    today = timezone.localdate()
    for spec in PROVIDERS:
        existed = Provider.objects.filter(uid=_uid("provider", spec.name)).exists()
        provider = _provider(actor, spec)
        locations = {loc.key: _location(actor, provider, loc) for loc in spec.locations}
        if not existed:
            Provider.objects.filter(pk=provider.pk).update(
                verified_on=today - datetime.timedelta(days=spec.checked_days_ago)
            )
        for service_spec in spec.services:
            service = _service(actor, provider, service_spec, locations)
            if service is not None:
                Service.objects.filter(pk=service.pk).update(
                    verified_on=today - datetime.timedelta(days=service_spec.checked_days_ago)
                )
