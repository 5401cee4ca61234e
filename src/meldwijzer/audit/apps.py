from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "meldwijzer.audit"
    verbose_name = "Toegangslogboek"
