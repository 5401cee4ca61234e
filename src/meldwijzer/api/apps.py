from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "meldwijzer.api"
    verbose_name = "API"
