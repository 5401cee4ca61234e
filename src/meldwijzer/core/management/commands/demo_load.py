from django.core.management.base import BaseCommand, CommandError

from meldwijzer.demo import demo_load
from meldwijzer.demo.target import DemoRefused, demo_database_check


class Command(BaseCommand):
    help = (
        "Laad de demoregio Noordoostpolder (organisaties, gebruikers per rol, casussen). Alleen "
        "in een demodatabase: een SQLite-database in een demomap (zie `meldwijzer demo`)."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            demo_database_check()
        except DemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        demo_load()
        self.stdout.write(self.style.SUCCESS("Demoregio Noordoostpolder geladen."))
