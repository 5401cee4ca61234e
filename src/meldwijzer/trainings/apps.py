from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "meldwijzer.trainings"
    label = "trainings"
    verbose_name = "De meldcode in de organisatie"

    def ready(self) -> None:
        # The self-check's questions are read and checked at start-up: a broken file stops the
        # application with the file and the field at fault, not a page later on.
        from meldwijzer.trainings import selfcheck

        selfcheck.load_all()
