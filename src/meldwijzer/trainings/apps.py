from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "meldwijzer.trainings"
    label = "trainings"
    verbose_name = "De meldcode in de organisatie"

    def ready(self) -> None:
        from meldwijzer.cases.extensions import consultants_register
        from meldwijzer.trainings.registry import consultant_options

        consultants_register(consultant_options)
