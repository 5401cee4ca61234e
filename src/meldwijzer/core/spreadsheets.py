"""Cells that a spreadsheet will not run.

A CSV or XLSX file that Meldwijzer writes may hold text that someone typed (a service's
description, a file's reference). Excel and LibreOffice treat a cell that starts with `=`, `+`,
`-` or `@` (or a tab or carriage return before one) as a formula, which can start programs on the
reader's computer (`=cmd|' /C calc'!A0`). Such a text gets an apostrophe in front, which the
spreadsheet shows as plain text. Numbers and phone numbers (`+31 527 123 456`, `-12`) stay as they
are: without letters or `|` a formula can only calculate.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER_LIKE = re.compile(r"^[+-]?[\d\s().,/-]+$")


def formula_safe(text: str) -> str:
    """`text`, with an apostrophe in front when a spreadsheet would read it as a formula."""
    if text.startswith(FORMULA_START) and not NUMBER_LIKE.match(text):
        return "'" + text
    return text
