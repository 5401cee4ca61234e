"""The retention job: destroy every closed file whose retention period has passed and that no
legal hold keeps (`privacy.retention_job`). `--dry-run` lists what would be destroyed and changes
nothing. Prints, per kind of file, how many were destroyed, held, not yet due and still open."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from meldwijzer.privacy.retention_job import RetentionRun, retention_run


def summary_lines(run: RetentionRun) -> list[str]:
    """The run in Dutch: the files (in a dry run) and a line per kind of file."""
    verb = "zou worden vernietigd" if run.dry_run else "vernietigd"
    lines = []
    for summary in run.kinds.values():
        for file in summary.files:
            lines.append(f"{verb}: {summary.label} {file.reference} (id {file.file_id})")
    heading = (
        "Bewaartermijnen (proefdraai, er is niets gewijzigd)"
        if run.dry_run
        else ("Bewaartermijnen")
    )
    lines.append(heading)
    for summary in run.kinds.values():
        lines.append(
            f"  {summary.label}: {summary.destroyed} {verb}, {summary.held} met bewaarplicht, "
            f"{summary.not_due} nog niet aan de beurt, {summary.open} lopend"
            + (f", {summary.failed} mislukt" if summary.failed else "")
        )
    return lines


class Command(BaseCommand):
    help = (
        "Vernietig elk afgesloten dossier waarvan de bewaartermijn is verstreken en waarop geen "
        "bewaarplicht rust (dagelijks, voor cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="laat zien wat vernietigd zou worden; wijzig niets",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention_run(dry_run=options["dry_run"])
        for line in summary_lines(run):
            self.stdout.write(line)
        failed = sum(summary.failed for summary in run.kinds.values())
        if failed:
            raise CommandError(
                f"{failed} dossier(s) konden niet worden vernietigd; zie het logboek van de server."
                " Er is niets half verwijderd; de volgende ronde probeert het opnieuw."
            )
