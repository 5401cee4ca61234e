from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "meldwijzer.privacy"
    verbose_name = "Privacy: pseudoniemen, grondslagen en bewaartermijnen"
