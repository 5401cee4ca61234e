"""`meldwijzer audit client <pseudoniem of casusnummer>`: who looked at one client's data.

For the beheerder on the server, who answers a client's question "wie heeft mijn gegevens
ingezien?" or an inquiry. The listing itself is logged as a read of the client's case by the
command line, for supervision."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from meldwijzer.audit.selectors import client_access_list
from meldwijzer.cases import events
from meldwijzer.cases.models import Case

COMMAND_USER = "opdrachtregel"


class Command(BaseCommand):
    help = (
        "Toon wie de gegevens van één cliënt inzag, vastlegde of wilde inzien, nieuwste eerst: "
        "wanneer, wie, namens welke organisatie en in welke rol, met welk doel, wat en welk "
        "onderdeel, toegestaan of geweigerd. Geef het cliëntpseudoniem (cl-…) of het "
        "casusnummer (kenmerk of nummer)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("client", help="cliëntpseudoniem (cl-…) of casusnummer")

    def handle(self, *args: object, **options: Any) -> None:
        wanted = str(options["client"]).strip()
        lookup = Q(client_pseudonym=wanted) | Q(reference__iexact=wanted)
        if wanted.isdigit():
            lookup |= Q(pk=int(wanted))
        case = Case.objects.filter(lookup).first()
        if case is None:
            raise CommandError(f"Geen casus of cliënt gevonden voor ‘{wanted}’.")
        events.access_history_read_by_command(case=case, username=COMMAND_USER)
        rows = client_access_list(
            client_pseudonym=case.client_pseudonym, case_id=case.pk, since=case.opened_at
        )
        self.stdout.write(f"Cliënt {case.client_pseudonym} (casus {case.reference})")
        count = 0
        for row in rows.iterator():
            count += 1
            who = row.username or "–"
            if row.role:
                who += f" ({row.role})"
            what = f"{row.get_action_display()} {row.subject_type} {row.subject_id}".rstrip()
            if row.part:
                what += f" [{row.part}]"
            line = (
                f"{row.occurred_at:%Y-%m-%d %H:%M:%S} UTC  {who}  namens "
                f"{row.organisation.name if row.organisation else '–'}  "
                f"doel: {row.get_purpose_display()}  {what}  {row.get_outcome_display()}"
            )
            if getattr(row, "found_by_case_number", False):
                line += "  (oudere regel, gevonden via het casusnummer)"
            self.stdout.write(line)
        self.stdout.write(f"{count} regel(s).")
