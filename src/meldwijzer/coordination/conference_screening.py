"""What a case conference may say about a family it discusses without consent.

A file on the agenda of an interventieoverleg without the family's consent is *pseudonymised*:
the participants learn the situation, never who it is. Two things make that so:

- `family_view` is all a participant sees of the family: each member as a role and an age band
  ("Kind (4–11 jaar)"), never a name, a date of birth, a phone number or an address.
- `text_screen` reads the free text an organiser or chair writes for the conference — the
  question, the summary, the decisions — and finds what would identify the family: the family's
  names, an exact date, a postcode or street address, a BSN, a phone number, an e-mail address,
  the reference of a file or case. The services refuse
  such text with `ScreeningError`, whose message says in Dutch what was found, so the writer can
  take it out; nothing is stored.

The screening looks for patterns; it cannot know every way to describe a family. It is the last
check, not the only one: the forms ask for text without names.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from meldwijzer.cases.services import bsn_valid
from meldwijzer.coordination.models import FamilyMember, FamilyRole

# The age bands of a pseudonymised presentation: (lowest age, highest age or None, label).
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 3, "0–3 jaar"),
    (4, 11, "4–11 jaar"),
    (12, 17, "12–17 jaar"),
    (18, None, "18+ jaar"),
)

ROLE_LABELS = {
    FamilyRole.CHILD: "Kind",
    FamilyRole.PARENT: "Ouder of verzorger",
    FamilyRole.ADULT: "Andere volwassene in het gezin",
    FamilyRole.NETWORK: "Iemand uit het netwerk",
}

# Words in Dutch names that are not a name on their own ("van", "de" in "Jan van de Berg").
NAME_PARTICLES = frozenset(
    {
        "van",
        "de",
        "der",
        "den",
        "het",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "la",
        "le",
        "du",
        "el",
        "al",
        "da",
        "di",
        "del",
        "von",
        "vd",
    }
)

# The words the forms ask the writer to use instead of names; a name that is one of them is
# matched by its other parts only.
ROLE_WORDS = frozenset(
    {
        "kind",
        "kinderen",
        "moeder",
        "vader",
        "ouder",
        "ouders",
        "oma",
        "opa",
        "zoon",
        "dochter",
        "broer",
        "zus",
        "baby",
        "gezin",
        "tante",
        "oom",
    }
)

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)

DATE_PATTERNS = (
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b"),
    re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b"),
    re.compile(rf"\b\d{{1,2}}\s+(?:{MONTHS})\.?(?:\s+\d{{4}})?\b", re.IGNORECASE),
)
# A Dutch postcode: four digits (not starting with 0) and two capitals; SA, SD and SS are never
# issued. Only capitals, so that "in 2017 en" is not a postcode.
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
STREET_WORDS = (
    "straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|dreef|steeg|markt|park|plantsoen|"
    "erf|wal|ring|baan|hout|veld|dam|haven|burg|oord|akker|wijk|poort|zijde|kamp"
)
ADDRESS = re.compile(rf"\b[\w'-]*(?:{STREET_WORDS})\s+\d{{1,5}}(?:\s?[a-zA-Z]\b)?", re.IGNORECASE)
# A Dutch phone number: 0 (or +31/0031) and nine digits, with spaces or dashes anywhere.
PHONE = re.compile(r"(?<![\d+])(?:\+31|0031|0)[\s-]?(?:\(0\)\s?)?(?:\d[\s-]?){8}\d(?!\d)")
# Nine digits, perhaps with dots or spaces between them: a BSN when it passes the elfproef.
NINE_DIGITS = re.compile(r"(?<![\d.])(?:\d[ .]?){8}\d(?![\d])")
# The reference of a coordination file (RD-2026-0001) or a meldcode case (MW-2026-00001): whoever
# sees the file, a match notice or a worklist knows whose it is.
REFERENCE = re.compile(r"\b(?:RD|MW)-\d{4}-\d{4,5}\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


class ScreeningError(ValueError):
    """Text for a pseudonymised conference item that would identify the family. `fields` maps
    each refused field to its message; the message of the error joins them."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__(" ".join(self.fields.values()))


@dataclass(frozen=True)
class PseudonymousMember:
    """One member of the family as a pseudonymised item shows them."""

    role: str
    age_band: str

    @property
    def label(self) -> str:
        return f"{self.role} ({self.age_band})" if self.age_band else self.role


def age_on(date_of_birth: datetime.date, day: datetime.date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - int(before_birthday)


def age_band(date_of_birth: datetime.date | None, day: datetime.date) -> str:
    """The band of someone's age on `day` ("4–11 jaar"); "leeftijd onbekend" without a date of
    birth, and "nog niet geboren" for a date after `day`."""
    if date_of_birth is None:
        return "leeftijd onbekend"
    if date_of_birth > day:
        return "nog niet geboren"
    age = age_on(date_of_birth, day)
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    raise AssertionError("the bands cover every age")  # pragma: no cover


def family_view(members: Iterable[FamilyMember], day: datetime.date) -> list[PseudonymousMember]:
    """The family as a pseudonymised item shows it: role and age band, children first."""
    order = list(FamilyRole.values)
    ordered = sorted(members, key=lambda member: (order.index(member.role), member.pk or 0))
    return [
        PseudonymousMember(
            role=ROLE_LABELS.get(FamilyRole(member.role), "Gezinslid"),
            age_band=age_band(member.date_of_birth, day),
        )
        for member in ordered
    ]


def _plain(text: str) -> str:
    """Lower case without accents, so 'Anaïs' in the file finds 'Anais' in the text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def name_words(members: Iterable[FamilyMember]) -> list[str]:
    """The words of the family's names that identify them: every part of every name but the
    particles, the role words the forms ask for, and single letters, longest first so a full name is reported before its parts."""
    words: set[str] = set()
    for member in members:
        for word in re.split(r"[\s\-.,()]+", member.name):
            if len(word) > 1 and _plain(word) not in NAME_PARTICLES | ROLE_WORDS:
                words.add(word)
    return sorted(words, key=lambda word: (-len(word), word))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


@dataclass(frozen=True)
class Finding:
    what: str
    """In words, as the message shows it: "de naam ‘Verhoeven’", "een telefoonnummer"."""
    found: str


def text_screen(text: str, members: Iterable[FamilyMember] = ()) -> list[Finding]:
    """What in `text` would identify the family of `members`, in the order of the checks; an
    empty list when nothing does."""
    members = list(members)
    findings: list[Finding] = []
    plain = _plain(text)
    for word in name_words(members):
        if re.search(rf"(?<!\w){re.escape(_plain(word))}(?!\w)", plain):
            findings.append(Finding(f"de naam ‘{word}’", word))
    rest = text
    for pattern, what in ((REFERENCE, "een dossierkenmerk"), (EMAIL, "een e-mailadres")):
        for match in pattern.finditer(rest):
            findings.append(Finding(what, match.group()))
        rest = pattern.sub(" ", rest)
    for pattern in (PHONE,):
        for match in pattern.finditer(rest):
            findings.append(Finding("een telefoonnummer", match.group().strip()))
        rest = pattern.sub(" ", rest)
    known_phones = {_digits(member.phone) for member in members if len(_digits(member.phone)) >= 6}
    text_digits = _digits(text)
    for phone in sorted(known_phones):
        if phone in text_digits and not any(f.what == "een telefoonnummer" for f in findings):
            findings.append(Finding("een telefoonnummer van het gezin", phone))
    for match in NINE_DIGITS.finditer(rest):
        if bsn_valid(re.sub(r"[\s.]", "", match.group())):
            findings.append(Finding("een BSN", match.group()))
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(rest):
            findings.append(Finding("een datum", match.group()))
        rest = pattern.sub(" ", rest)
    for match in POSTCODE.finditer(rest):
        findings.append(Finding("een postcode", match.group()))
    for match in ADDRESS.finditer(rest):
        findings.append(Finding("een adres", match.group()))
    return findings


def screening_message(findings: list[Finding]) -> str:
    """The Dutch message for text that identifies the family: what was found, and why it has to
    go."""
    seen: list[str] = []
    for finding in findings:
        shown = (
            finding.what
            if finding.what.startswith("de naam")
            else f"{finding.what} ({finding.found})"
        )
        if shown not in seen:
            seen.append(shown)
    return (
        "Haal eerst weg wat het gezin herkenbaar maakt: "
        + ", ".join(seen)
        + ". In een overleg zonder toestemming staan geen namen, exacte datums, adressen, "
        "postcodes, BSN's, telefoonnummers, e-mailadressen of dossierkenmerken; schrijf "
        "bijvoorbeeld ‘moeder’ of ‘vorige week’."
    )


def fields_screen(fields: Mapping[str, str], members: Iterable[FamilyMember] = ()) -> None:
    """Screen each of `fields` (name → text); raise `ScreeningError` naming every field that would
    identify the family, with what was found in it."""
    members = list(members)
    refused = {
        name: screening_message(findings)
        for name, text in fields.items()
        if (findings := text_screen(text, members))
    }
    if refused:
        raise ScreeningError(refused)
