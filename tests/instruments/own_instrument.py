"""An organisation's own instrument, in two versions, as a functioneel beheerder would upload it."""

from __future__ import annotations

OWN_V1 = """\
format: 1
key: eigen_lijst
version: "1"
title: Eigen zorgenlijst
kind: screening
validated: false
source: Team jeugd (test).
licence: Intern.
intended_users: [Leerkrachten]
description: Een eigen lijst.
sections:
  - id: zorgen
    title: Zorgen
    items:
      - {id: moe, type: yes_no, text: Het kind is vaak moe.}
      - {id: honger, type: yes_no, text: Het kind heeft vaak honger.}
scores:
  - id: totaal
    label: Totaal
    sections: [zorgen]
    bands:
      - {code: laag, label: Laag, min: 0, max: 0}
      - {code: hoog, label: Hoog, min: 1}
rules:
  - id: verwaarlozing
    when: {section: zorgen, value: ja, at_least: 2}
    explanation: Moe en hongerig.
    violence: [verwaarlozing]
"""

# Version 2 adds a question; the first question is worded differently.
OWN_V2 = (
    OWN_V1.replace('version: "1"', 'version: "2"')
    .replace("Het kind is vaak moe.", "Het kind is vaak moe of slaperig.")
    .replace(
        "      - {id: honger, type: yes_no, text: Het kind heeft vaak honger.}\n",
        "      - {id: honger, type: yes_no, text: Het kind heeft vaak honger.}\n"
        "      - {id: kleding, type: yes_no, text: De kleding past niet bij het weer.}\n",
    )
)
