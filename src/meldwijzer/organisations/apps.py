from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "meldwijzer.organisations"
    verbose_name = "Organisaties"
