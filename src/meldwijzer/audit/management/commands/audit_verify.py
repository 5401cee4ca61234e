from django.core.management.base import BaseCommand, CommandError

from meldwijzer.audit.verification import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Controleer de hashketen van het toegangslogboek: ontbrekende, gewijzigde of "
        "ingevoegde regels worden gemeld. Sluit af met code 1 bij een afwijking."
    )

    def handle(self, *args: object, **options: object) -> None:
        result = audit_chain_verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Toegangslogboek in orde: {result.rows_checked} regels gecontroleerd."
                )
            )
            return
        for problem in result.problems:
            self.stderr.write(problem)
        raise CommandError(
            f"Toegangslogboek NIET in orde: {len(result.problems)} afwijking(en) in "
            f"{result.rows_checked} regels."
        )
