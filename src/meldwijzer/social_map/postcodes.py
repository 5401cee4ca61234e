"""Postcodes as people type them, and what a mistake in one is called.

The sociale kaart works with the four digits of a Dutch postcode (PC4, as CBS publishes its
figures). The two letters may follow and are dropped: `8302 AB`, `8302AB` and `8302 ab` are all
8302. Anything else gets a message that says what is wrong, in plain Dutch: a letter O typed for
a zero, three digits instead of four, only letters, one letter after the digits. A well-formed
postcode must also exist in the CBS data (`organisations/data/pc4.csv`).

Whether a postcode lies in the region the sociale kaart covers is a question for the database
(`selectors.directory_region`).
"""

from __future__ import annotations

import re

from meldwijzer.organisations.reference import PostcodeArea, postcode_areas

EXAMPLE = "Vul de 4 cijfers van uw postcode in, bijvoorbeeld 8302."
DIGITS = "0123456789"
_POSTCODE = re.compile(r"^([0-9]{4})([A-Za-z]{2})?$")
_SEPARATORS = re.compile(r"[\s.-]+")
_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


class PostcodeError(ValueError):
    """A postcode that cannot be used; the message says why, in Dutch."""


def postcode_parse(value: str) -> str:
    """The four digits of a postcode typed as `value` (spaces, dots and hyphens do not matter);
    '' when nothing was typed."""
    text = " ".join(value.split())
    compact = _SEPARATORS.sub("", text)
    if not compact:
        return ""
    match = _POSTCODE.match(compact)
    if match is None:
        raise PostcodeError(_problem(text, compact))
    if match.group(1).startswith("0"):
        raise PostcodeError(f"Een postcode begint niet met een 0. {EXAMPLE}")
    return match.group(1)


def _problem(text: str, compact: str) -> str:
    """What is wrong with a postcode that does not match, as precisely as can be said."""
    digits = len(compact) - len(compact.lstrip(DIGITS))
    rest = compact[digits:]
    head = compact[:4].translate(_LOOKALIKES)
    if len(head) == 4 and head != compact[:4] and all(ch in DIGITS for ch in head):
        wrong = next(ch for ch in compact[:4] if ch not in DIGITS)
        meant = wrong.translate(_LOOKALIKES)
        return f"{EXAMPLE} In ‘{text}’ staat de letter {wrong} waar het cijfer {meant} hoort."
    if not any(ch in DIGITS for ch in compact):
        if compact.isalpha():
            return f"{EXAMPLE} U vulde alleen letters in. Een plaatsnaam of straat werkt hier niet."
        return EXAMPLE
    if digits == 0:
        return f"{EXAMPLE} Zet de cijfers vooraan; de letters mogen erachter, zoals in 8302 AB."
    if digits != 4 and (not rest or rest.isalpha()):
        return f"Een postcode heeft 4 cijfers. U vulde er {digits} in. {EXAMPLE}"
    if digits == 4 and rest.isalpha():
        return (
            f"Na de 4 cijfers komen 2 letters, bijvoorbeeld 8302 AB. U vulde er {len(rest)} in. "
            "De letters mag u ook weglaten."
        )
    return f"{EXAMPLE} Gebruik alleen cijfers en eventueel 2 letters, zoals in 8302 AB."


def postcode_area(value: str) -> PostcodeArea | None:
    """The postcode area (CBS) typed as `value`; None when nothing was typed."""
    digits = postcode_parse(value)
    if not digits:
        return None
    area = postcode_areas().get(digits)
    if area is None:
        raise PostcodeError(
            f"Deze postcode kennen we niet: {digits}. Kijk of de 4 cijfers kloppen."
        )
    return area
