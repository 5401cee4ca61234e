"""What in a free text could make a person recognisable: the check behind 'zorgen delen'.

A worry is shared without identifying data. `identifiers_find` reads the text and names every
BSN (nine digits that pass the elfproef, also written with dots, spaces, dashes or the like),
date, full postcode, street address, phone number, e-mail address and name it finds, each with
its kind, where it is, a masked hint and a Dutch explanation in plain words. It reads the text
as it looks: full-width digits count as digits, and invisible characters cannot split a number.
The services refuse a text with findings and change nothing; the professional takes them out
and sends again.

Names are found with two heuristics, tuned to find few things that are not names:
capitalised words after a word that introduces a person ("moeder Fatima", "meneer De Vries",
"heet Jan"), and capitalised words in the middle of a sentence that are not in a short list of
ordinary words, places of the region, nationalities and the like. No check can know every way
to describe someone; the form asks for text without names first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from meldwijzer.cases.services import bsn_valid


class Kind(StrEnum):
    BSN = "bsn"
    DATE = "datum"
    POSTCODE = "postcode"
    ADDRESS = "adres"
    PHONE = "telefoonnummer"
    EMAIL = "e-mailadres"
    NAME = "naam"


LABELS: dict[Kind, str] = {
    Kind.BSN: "een BSN",
    Kind.DATE: "een datum",
    Kind.POSTCODE: "een postcode",
    Kind.ADDRESS: "een adres",
    Kind.PHONE: "een telefoonnummer",
    Kind.EMAIL: "een e-mailadres",
    Kind.NAME: "een naam",
}

EXPLANATIONS: dict[Kind, str] = {
    Kind.BSN: "Een burgerservicenummer hoort bij één persoon. Laat het weg.",
    Kind.DATE: "Een datum, zoals een geboortedatum, maakt iemand snel herkenbaar. Schrijf "
    "liever ‘vorige week’ of ‘ongeveer 8 jaar oud’.",
    Kind.POSTCODE: "Een postcode met letters wijst een straat aan. Noem alleen het dorp of de "
    "wijk.",
    Kind.ADDRESS: "Een straat met huisnummer wijst een huis aan. Noem alleen het dorp of de wijk.",
    Kind.PHONE: "Een telefoonnummer hoort bij één persoon. Laat het weg.",
    Kind.EMAIL: "Een e-mailadres hoort bij één persoon. Laat het weg.",
    Kind.NAME: "Dit lijkt een naam. Schrijf liever ‘de moeder’, ‘het kind’ of ‘een leerling’.",
}


@dataclass(frozen=True)
class Finding:
    kind: Kind
    start: int
    end: int
    hint: str
    """The finding with most of it hidden ('12…2'), so a message or log never repeats it whole."""

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def explanation(self) -> str:
        return EXPLANATIONS[self.kind]

    @property
    def message(self) -> str:
        """The Dutch sentence a form shows for this finding."""
        return f"U schreef {self.label} ({self.hint}). {self.explanation}"


def mask(text: str) -> str:
    """Most of `text` hidden: the first two characters and the last one stay ('Fa…a')."""
    text = text.strip()
    if len(text) <= 3:
        return text[:1] + "…"
    return f"{text[:2]}…{text[-1]}"


MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)

# Parts bounded in length ({1,64}, {0,60}), so that a long made-up word is read in linear time.
EMAIL = re.compile(r"[\w.+-]{1,64}\s?(?:@|\(at\)|\[at\])\s?[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
# A Dutch phone number: 0 (or +31 / 0031) and nine more digits, spaces or dashes anywhere.
PHONE = re.compile(r"(?<![\w+])(?:\+31|0031|0)\s?-?\s?(?:\(0\)\s?)?(?:\d\s?-?\s?){8}\d(?!\d)")
# Nine digits, perhaps with dots, spaces, dashes, slashes, underscores or commas between them: a
# BSN when they pass the elfproef.
NINE_DIGITS = re.compile(r"(?<![\d.])(?:\d[ ./_,-]{0,2}){8}\d(?!\d)")
NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})(?![\d])")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
WORDED_DATE = re.compile(
    rf"\b(\d{{1,2}})(?:e|ste|de)?\s+(?:{MONTHS})\b\.?(?:\s+\d{{4}})?", re.IGNORECASE
)
# A day written as a word ("drieëntwintig maart"); "een" is left out ("een mei-dag").
DAY_WORDS = (
    "(?:een|twee|drie|vier|vijf|zes|zeven|acht|negen)(?:en|ën)(?:twintig|dertig)|"
    "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|"
    "zestien|zeventien|achttien|negentien|twintig|dertig"
)
WORDED_DAY_DATE = re.compile(rf"\b(?:{DAY_WORDS})\s+(?:{MONTHS})\b", re.IGNORECASE)
# A full Dutch postcode: four digits (not starting with 0) and two capitals; SA, SD and SS are
# never issued. Lowercase letters only when written against the digits ("8301ab"), so that
# "in 2017 en" is not a postcode.
POSTCODE = re.compile(r"\b[1-9]\d{3}(?:\s?(?!SA|SD|SS)[A-Z]{2}|(?i:(?!sa|sd|ss)[a-z]{2}))\b")
# A postcode in lowercase with a space ("8301 ab"): only when the two letters are not a short
# word or unit that follows a number ("in 2017 en", "1500 mg").
TWO_LETTER_WORDS = (
    "en|of|op|in|is|al|om|na|zo|nu|ja|ik|we|ze|je|te|er|uw|ga|de|da|wo|do|vr|za|ma|di|tm|nr|ca|"
    "km|mg|ml|cm|mm|kg|gr|ha|pm|am|uu|sa|sd|ss"
)
LOWER_POSTCODE = re.compile(rf"\b[1-9]\d{{3}}\s(?!(?:{TWO_LETTER_WORDS})\b)[a-z]{{2}}\b")
STREET_WORDS = "straat|laan|weg|plein|dijk|kade|hof|singel|gracht|pad|dreef|steeg"
# Words that end like a street but are ordinary words too ("onderweg 2 keer"): a street only
# when written with a capital ("Hoofdweg 3a").
CAPITAL_ONLY_STREET_WORDS = frozenset({"weg", "hof", "pad"})
ADDRESS = re.compile(
    rf"\b[^\W\d_][\w'-]{{0,60}}?({STREET_WORDS})\s+\d{{1,4}}(?:\s?[a-zA-Z]\b|-\d{{1,3}}\b)?",
    re.IGNORECASE,
)
CAPITALISED = re.compile(
    r"(?<![\w'-])[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]+(?:-[A-ZÀ-ÖØ-Þa-zà-öø-ÿ][a-zà-öø-ÿ]+)*"
)
NAME_PARTICLES = r"(?:van|de|der|den|het|ter|ten|te|el|al|da|di|von|vd)"
INTRODUCERS = (
    r"meneer|mevrouw|mevr\.?|mw\.?|dhr\.?|de heer|juf|juffrouw|meester|moeder|vader|zoon|"
    r"dochter|broer|broertje|zus|zusje|oma|opa|tante|oom|stiefvader|stiefmoeder|heet|genaamd|"
    r"naam is"
)
INTRODUCED_NAME = re.compile(
    rf"(?<!\w)(?i:{INTRODUCERS})\s+((?:{NAME_PARTICLES}\s+)*[A-ZÀ-ÖØ-Þ][\w'-]+"
    rf"(?:\s+(?:{NAME_PARTICLES}\s+)*[A-ZÀ-ÖØ-Þ][\w'-]+)?)"
)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Capitalised words that are not names: the region's places, countries and nationalities,
# days, months, holidays, organisations and words of the meldcode people capitalise.
NOT_NAMES = _words(
    """
    u uw ik wij we zij hij de het een en
    emmeloord nagele luttelgeest marknesse ens kraggenburg bant rutten creil espel tollebeek
    schokland urk lelystad dronten almere zeewolde flevoland noordoostpolder polder zwolle kampen
    steenwijk lemmer heerenveen biddinghuizen swifterbant overijssel friesland amsterdam
    rotterdam utrecht nederland nederlands nederlandse holland hollands europa europees europese
    oost-europa oost-europees oost-europese polen pools poolse turkije turks turkse marokko
    marokkaans marokkaanse syrië syrisch syrische eritrea eritrees eritrese afghanistan afghaans
    afghaanse oekraïne oekraïens oekraïense roemenië roemeens roemeense bulgarije bulgaars
    bulgaarse suriname surinaams surinaamse antillen antilliaans antilliaanse somalië somalisch
    somalische arabisch arabische engels engelse duits duitse frans franse spaans spaanse
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april mei
    juni juli augustus september oktober november december kerst kerstmis kerstvakantie pasen
    pinksteren ramadan suikerfeest offerfeest sinterklaas oud nieuw koningsdag herfstvakantie
    voorjaarsvakantie meivakantie zomervakantie god allah islam islamitisch islamitische
    christelijk christelijke katholiek katholieke joods joodse moskee kerk
    veilig thuis meldcode meldwijzer zorg zorgen delen jeugdzorg jeugdbescherming jeugdwet wmo
    raad kinderbescherming politie halt wijkteam sociaal centrum jeugd gezin ggd jgz
    consultatiebureau huisarts huisartsenpraktijk basisschool school kinderopvang peuterspeelzaal
    gemeente leerplicht leerplichtambtenaar azc coa ind vluchtelingenwerk schuldhulp
    whatsapp instagram tiktok snapchat facebook youtube google corona covid
    """
)

# Where a sentence starts: after one of these, or on a new line.
SENTENCE_ENDS = ".!?:;•*-–"


@dataclass
class _Text:
    """The text being read, with what was found blanked out so nothing is found twice."""

    original: str
    rest: str

    def take(self, kind: Kind, start: int, end: int, findings: list[Finding]) -> None:
        findings.append(Finding(kind, start, end, mask(self.original[start:end])))
        self.rest = self.rest[:start] + " " * (end - start) + self.rest[end:]


def _valid_day_month(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _at_sentence_start(text: str, start: int) -> bool:
    position = start - 1
    while position >= 0 and text[position] in " \t\"'“‘(«":
        position -= 1
    return position < 0 or text[position] in SENTENCE_ENDS or text[position] in "\r\n"


def _plain_word(word: str) -> str:
    return word.casefold()


def _names(text: _Text, findings: list[Finding]) -> None:
    for match in INTRODUCED_NAME.finditer(text.rest):
        name = match.group(1)
        words = [w for w in name.split() if not re.fullmatch(NAME_PARTICLES, w, re.IGNORECASE)]
        if words and all(_plain_word(w) in NOT_NAMES for w in words):
            continue
        text.take(Kind.NAME, match.start(1), match.end(1), findings)
    for match in CAPITALISED.finditer(text.rest):
        word = match.group()
        if _plain_word(word) in NOT_NAMES or _at_sentence_start(text.rest, match.start()):
            continue
        if all(_plain_word(part) in NOT_NAMES for part in word.split("-")):
            continue
        text.take(Kind.NAME, match.start(), match.end(), findings)


def _normalised(value: str) -> str:
    """The text as it reads: full-width and other look-alike characters as their plain form
    (NFKC), and invisible characters (zero-width spaces, soft hyphens) left out, so they cannot
    hide a number from the patterns."""
    value = unicodedata.normalize("NFKC", value)
    return "".join(character for character in value if unicodedata.category(character) != "Cf")


def identifiers_find(value: str) -> list[Finding]:
    """Everything in `value` that could identify a person, in the order of the text (positions
    in the normalised text, see `_normalised`)."""
    findings: list[Finding] = []
    value = _normalised(value)
    text = _Text(value, value)
    for match in EMAIL.finditer(text.rest):
        text.take(Kind.EMAIL, match.start(), match.end(), findings)
    for match in PHONE.finditer(text.rest):
        text.take(Kind.PHONE, match.start(), match.end(), findings)
    for match in NINE_DIGITS.finditer(text.rest):
        if bsn_valid(re.sub(r"[ ./_,-]", "", match.group())):
            text.take(Kind.BSN, match.start(), match.end(), findings)
    for match in ISO_DATE.finditer(text.rest):
        if _valid_day_month(match.group(3), match.group(2)):
            text.take(Kind.DATE, match.start(), match.end(), findings)
    for match in NUMERIC_DATE.finditer(text.rest):
        if _valid_day_month(match.group(1), match.group(2)):
            text.take(Kind.DATE, match.start(), match.end(), findings)
    for match in WORDED_DATE.finditer(text.rest):
        if 1 <= int(match.group(1)) <= 31:
            text.take(Kind.DATE, match.start(), match.end(), findings)
    for match in WORDED_DAY_DATE.finditer(text.rest):
        text.take(Kind.DATE, match.start(), match.end(), findings)
    for match in POSTCODE.finditer(text.rest):
        text.take(Kind.POSTCODE, match.start(), match.end(), findings)
    for match in LOWER_POSTCODE.finditer(text.rest):
        text.take(Kind.POSTCODE, match.start(), match.end(), findings)
    for match in ADDRESS.finditer(text.rest):
        if match.group(1).casefold() in CAPITAL_ONLY_STREET_WORDS and match.group()[0].islower():
            continue
        text.take(Kind.ADDRESS, match.start(), match.end(), findings)
    _names(text, findings)
    return sorted(findings, key=lambda finding: finding.start)


def findings_messages(findings: list[Finding]) -> list[str]:
    """One Dutch message per finding, for a form or an API answer; never the whole identifier."""
    return [finding.message for finding in findings]
