from django.core.management.base import BaseCommand

from meldwijzer.demo import demo_load


class Command(BaseCommand):
    help = "Laad de demoregio Noordoostpolder (organisaties, gebruikers per rol, casussen)."

    def handle(self, *args: object, **options: object) -> None:
        demo_load()
        self.stdout.write(self.style.SUCCESS("Demoregio Noordoostpolder geladen."))
