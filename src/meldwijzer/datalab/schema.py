"""The datalab's record schema: the columns of a shared file, one row per report.

Two forms of the same file exist:

- the partner's *own export* (`EXPORT_COLUMNS`), which still identifies people — BSN, name, date
  of birth, postcode and address. It never leaves the partner: `meldwijzer datalab pseudonymise`
  turns it into
- the *shared file* (`SHARED_COLUMNS`), which the datalab imports: persons as research pseudonyms
  made with the region's key (and that key's id), their age band at the report, and the postcode
  cut to its four digits.

`docs/datalab-schema.md` is written from these definitions (`schema_markdown`), so the document and
the importer never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from meldwijzer.datalab.models import (
    Outcome,
    PersonRole,
    ReporterRole,
    ReporterSector,
    ReportKind,
    ViolenceForm,
    ViolenceKind,
)

PERSONS = 8
"""Person columns per row: persoon_1_… up to persoon_8_…."""

LIST_SEPARATOR = "|"
"""Between the forms of violence in `vormen`."""


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    required: bool = False
    kind: str = "tekst"
    """'tekst', 'datum' (jjjj-mm-dd or dd-mm-jjjj), 'keuze', 'lijst' (choices separated by '|')."""
    choices: tuple[tuple[str, str], ...] = ()


def _choices(enum: type) -> tuple[tuple[str, str], ...]:
    return tuple((str(value), str(label)) for value, label in enum.choices)  # type: ignore[attr-defined]


REPORT_COLUMNS: tuple[Column, ...] = (
    Column("kenmerk", "Het eigen kenmerk van de melding bij de bron; uniek per bron.", True),
    Column("meldingsdatum", "De dag waarop de melding binnenkwam.", True, "datum"),
    Column("melder_rol", "Wie meldde.", True, "keuze", _choices(ReporterRole)),
    Column(
        "melder_sector",
        "De sector van de melder; 'geen' voor burgers, betrokkenen en anonieme melders.",
        True,
        "keuze",
        _choices(ReporterSector),
    ),
    Column(
        "soort_melding",
        "Eerste melding, hermelding (iemand was in de drie jaar ervoor bekend) of vervolgmelding "
        "(Veilig Thuis was al betrokken). Leeg: het datalab leidt het af uit de eerdere meldingen.",
        False,
        "keuze",
        _choices(ReportKind),
    ),
    Column("aard", "De hoofdsoort van de melding.", True, "keuze", _choices(ViolenceKind)),
    Column(
        "vormen",
        "De vormen van geweld, gescheiden door '|'.",
        False,
        "lijst",
        _choices(ViolenceForm),
    ),
    Column("casus_start", "De dag waarop de casus startte (leeg: geen casus).", False, "datum"),
    Column("eerste_actie", "De dag van de eerste actie na de melding.", False, "datum"),
    Column("casus_einde", "De dag waarop de casus eindigde.", False, "datum"),
    Column("uitkomst", "Hoe de casus eindigde.", False, "keuze", _choices(Outcome)),
)

SHARED_ONLY: tuple[Column, ...] = (
    Column("pc4", "De vier cijfers van de postcode van het gezin.", False),
    Column(
        "sleutel_id",
        "Het id van de regionale sleutel waarmee de pseudoniemen zijn gemaakt (niet de sleutel).",
        False,
    ),
)

EXPORT_ONLY: tuple[Column, ...] = (
    Column("postcode", "De postcode van het gezin (wordt PC4).", False),
    Column("adres", "Straat en huisnummer (wordt weggelaten).", False),
)


def person_columns(shared: bool) -> tuple[Column, ...]:
    """The columns of one person slot, for the shared file or the partner's own export."""
    columns: list[Column] = []
    for n in range(1, PERSONS + 1):
        prefix = f"persoon_{n}_"
        if shared:
            columns.append(Column(prefix + "pseudoniem", "Onderzoekspseudoniem (rp-…).", False))
            columns.append(
                Column(
                    prefix + "leeftijdsklasse",
                    "Leeftijd bij de melding, in klassen van vijf jaar (0-4 … 95+).",
                    False,
                )
            )
        else:
            columns.append(
                Column(
                    prefix + "bsn",
                    "BSN (wordt alleen gebruikt als het de elfproef doorstaat).",
                    False,
                )
            )
            columns.append(Column(prefix + "naam", "Volledige naam.", False))
            columns.append(Column(prefix + "geboortedatum", "Geboortedatum.", False, "datum"))
        columns.append(
            Column(prefix + "rol", "Rol in de melding.", False, "keuze", _choices(PersonRole))
        )
    return tuple(columns)


SHARED_COLUMNS: tuple[Column, ...] = REPORT_COLUMNS + SHARED_ONLY + person_columns(shared=True)
EXPORT_COLUMNS: tuple[Column, ...] = REPORT_COLUMNS + EXPORT_ONLY + person_columns(shared=False)


def _choice_text(column: Column) -> str:
    if not column.choices:
        return ""
    return ", ".join(f"`{value}` ({label})" for value, label in column.choices)


def _table(columns: tuple[Column, ...]) -> list[str]:
    lines = ["| Kolom | Verplicht | Soort | Betekenis |", "|---|---|---|---|"]
    for column in columns:
        meaning = column.description
        if column.choices:
            meaning += " Waarden: " + _choice_text(column) + "."
        meaning = meaning.replace("|", "\\|")
        lines.append(
            f"| `{column.name}` | {'ja' if column.required else 'nee'} | {column.kind} | {meaning} |"
        )
    return lines


PRIVACY = (
    "De eigen export van een partner noemt mensen (BSN, naam, geboortedatum, postcode, adres) en "
    "verlaat de partner nooit. `meldwijzer datalab pseudonymise` maakt er bij de partner het "
    "gedeelde bestand van: elke persoon wordt een onderzoekspseudoniem (`rp-` en 32 tekens), "
    "gemaakt met de regionale sleutel uit het BSN (als het de elfproef doorstaat) of uit naam en "
    "geboortedatum; de geboortedatum wordt een leeftijdsklasse van vijf jaar op de meldingsdatum "
    "(de klassen van het CBS), de postcode haar vier cijfers; namen en adressen vallen weg. Het "
    "datalab krijgt de sleutel nooit, alleen haar id (`sleutel_id`): meldingen van twee partners "
    "worden alleen gekoppeld als hun sleutel-id gelijk is. Het datalab toont nooit een melding, "
    "alleen beschermde cijfers."
)

COMMAND = (
    "meldwijzer datalab pseudonymise eigen-export.xlsx gedeeld.csv "
    "--sleutel-bestand regionale-sleutel.txt"
)


def schema_markdown() -> str:
    """`docs/datalab-schema.md`: the shared file and the partner's own export, from this module."""
    shared_person = person_columns(shared=True)[:3]
    export_person = person_columns(shared=False)[:4]
    lines = [
        "# Het gedeelde bestand van het datalab",
        "",
        "<!-- Geschreven uit src/meldwijzer/datalab/schema.py (schema_markdown); niet met de hand "
        "wijzigen. -->",
        "",
        "Eén rij per melding. CSV (UTF-8, met komma's of puntkomma's) of Excel (.xlsx); de eerste "
        "rij bevat de kolomnamen. Datums als jjjj-mm-dd of dd-mm-jjjj.",
        "",
        "## Privacy",
        "",
        PRIVACY,
        "",
        "```",
        COMMAND,
        "```",
        "",
        "De sleutel komt uit `--sleutel-bestand` of uit `MELDWIJZER_DATALAB_KEY`; zonder sleutel "
        "weigert de opdracht.",
        "",
        "## De melding (beide bestanden)",
        "",
        *_table(REPORT_COLUMNS),
        "",
        "## Alleen in het gedeelde bestand",
        "",
        *_table(SHARED_ONLY),
        "",
        f"Per persoon (`persoon_1_…` tot en met `persoon_{PERSONS}_…`):",
        "",
        *_table(tuple(replace_prefix(c) for c in shared_person)),
        "",
        "## Alleen in de eigen export (verlaat de partner nooit)",
        "",
        *_table(EXPORT_ONLY),
        "",
        f"Per persoon (`persoon_1_…` tot en met `persoon_{PERSONS}_…`):",
        "",
        *_table(tuple(replace_prefix(c) for c in export_person)),
        "",
    ]
    return "\n".join(lines)


def replace_prefix(column: Column) -> Column:
    """A person column named for any slot: 'persoon_n_…'."""
    return Column(
        "persoon_n_" + column.name.split("_", 2)[2],
        column.description,
        column.required,
        column.kind,
        column.choices,
    )
