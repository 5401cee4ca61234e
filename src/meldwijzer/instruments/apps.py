from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "meldwijzer.instruments"
    verbose_name = "Screening- en risico-instrumenten"

    def ready(self) -> None:
        from meldwijzer.instruments import checks  # noqa: F401 - registers the system check
