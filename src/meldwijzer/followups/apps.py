from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "meldwijzer.followups"
    label = "followups"
    verbose_name = "Nazorg na afsluiten"

    def ready(self) -> None:
        from meldwijzer.cases import extensions
        from meldwijzer.followups import services

        extensions.followup_starter_register(services.plan_start)
