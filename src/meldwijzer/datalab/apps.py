from django.apps import AppConfig


class DatalabConfig(AppConfig):
    name = "meldwijzer.datalab"
    label = "datalab"
    verbose_name = "Datalab"

    def ready(self) -> None:
        from meldwijzer.coordination import conferences
        from meldwijzer.datalab import signals

        conferences.signal_figures_source_register(signals.signal_figures)
