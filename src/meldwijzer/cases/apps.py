from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "meldwijzer.cases"
    verbose_name = "Meldcode-dossiers"
