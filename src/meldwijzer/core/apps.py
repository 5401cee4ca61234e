from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meldwijzer.core"
    verbose_name = "Kern"
