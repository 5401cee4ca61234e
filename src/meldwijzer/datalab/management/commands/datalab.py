"""`meldwijzer datalab …`: the datalab's work on the command line.

- `pseudonymise IN OUT [--sleutel-bestand PATH]`: a partner's own export into the shared file, at
  the partner (`datalab.pseudonymise`);
- `import PATH --bron NAME --organisatie NAME [--soort KIND]`: a shared file into a datalab, for
  files too large for the page (`datalab.imports`);
- `export-cases OUT --sleutel-bestand PATH --organisatie NAME`: the platform's own cases as a shared
  file (`datalab.platform`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldwijzer.datalab.models import ImportState, SourceKind


class Command(BaseCommand):
    help = "Het datalab: pseudonimiseren, inlezen en de eigen dossiers uitvoeren."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="datalab_command", required=True, metavar="opdracht")
        pseudo = sub.add_parser(
            "pseudonymise",
            help="maak van de eigen export het gedeelde bestand (bij de partner, vóór het delen)",
        )
        pseudo.add_argument("source", metavar="IN", help="de eigen export (.csv of .xlsx)")
        pseudo.add_argument("target", metavar="OUT", help="het gedeelde bestand (.csv of .xlsx)")
        pseudo.add_argument(
            "--sleutel-bestand",
            dest="key_file",
            default="",
            help="bestand met de regionale sleutel (anders MELDWIJZER_DATALAB_KEY)",
        )
        imp = sub.add_parser("import", help="lees een gedeeld bestand in (ook grote bestanden)")
        imp.add_argument("path", metavar="PATH")
        imp.add_argument("--bron", required=True, help="naam van de bron")
        imp.add_argument(
            "--soort", default=SourceKind.PARTNER, choices=SourceKind.values, help="soort bron"
        )
        imp.add_argument("--organisatie", required=True, help="naam van de organisatie (datalab)")
        export = sub.add_parser(
            "export-cases", help="schrijf de eigen dossiers als gedeeld bestand"
        )
        export.add_argument("target", metavar="OUT")
        export.add_argument("--sleutel-bestand", dest="key_file", required=True)
        export.add_argument(
            "--organisatie", required=True, help="naam van de organisatie (datalab)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["datalab_command"]
        if command == "pseudonymise":
            self._pseudonymise(options)
        elif command == "import":
            self._import(options)
        else:
            self._export_cases(options)

    def _pseudonymise(self, options: dict[str, Any]) -> None:
        from meldwijzer.datalab.pseudonymise import (
            PseudonymiseError,
            file_pseudonymise,
            regional_key,
        )

        try:
            key = regional_key(key_file=options["key_file"] or None)
            outcome = file_pseudonymise(
                source=Path(options["source"]), target=Path(options["target"]), key=key
            )
        except PseudonymiseError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{outcome.rows} rijen geschreven naar {options['target']}; {outcome.persons} "
            f"personen, waarvan {outcome.without_pseudonym} zonder pseudoniem (geen geldig BSN en "
            "geen naam met geboortedatum)."
        )

    def _organisation(self, name: str) -> Any:
        from meldwijzer.organisations.models import Organisation

        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None:
            raise CommandError(f"Er is geen organisatie met de naam {name}.")
        return organisation

    def _import(self, options: dict[str, Any]) -> None:
        from meldwijzer.datalab.imports import ImportRefused, import_file

        organisation = self._organisation(options["organisatie"])
        path = Path(options["path"])
        try:
            with path.open("rb") as uploaded:
                imported = import_file(
                    actor=None,
                    organisation=organisation,
                    source_name=options["bron"],
                    source_kind=options["soort"],
                    uploaded=uploaded,
                    filename=path.name,
                    limit=False,
                )
        except OSError as error:
            raise CommandError(f"Het bestand {path} is niet te lezen.") from error
        except ImportRefused as error:
            raise CommandError(str(error)) from error
        if imported.state != ImportState.DONE:
            lines = "\n".join(str(e["melding"]) for e in imported.errors)
            raise CommandError(f"Niets ingelezen (levering {imported.pk}):\n{lines}")
        self.stdout.write(
            f"Levering {imported.pk}: {imported.records_added} meldingen ingelezen voor "
            f"{imported.source.name}."
        )

    def _export_cases(self, options: dict[str, Any]) -> None:
        from meldwijzer.datalab.platform import platform_rows
        from meldwijzer.datalab.pseudonymise import PseudonymiseError, regional_key, table_write

        organisation = self._organisation(options["organisatie"])
        target = Path(options["target"])
        try:
            key = regional_key(key_file=options["key_file"])
            rows = platform_rows(organisation=organisation, key=key)
            table_write(target, rows)
        except PseudonymiseError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(rows)} dossiers geschreven naar {target}.")
