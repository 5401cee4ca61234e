from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "meldwijzer.trainings"
    label = "trainings"
    verbose_name = "De meldcode in de organisatie"
