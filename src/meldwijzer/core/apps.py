from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "meldwijzer.core"
    verbose_name = "Kern"

    def ready(self) -> None:
        from meldwijzer.core import checks  # noqa: F401 - registers the deployment checks
