from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "meldwijzer.rights"
    verbose_name = "Inzage en afschrift"

    def ready(self) -> None:
        from meldwijzer.cases.extensions import case_actions_register, case_sections_register
        from meldwijzer.rights.views import case_actions, case_sections

        # The case page offers the copy and the statement without the dossier importing this app.
        case_actions_register(case_actions)
        case_sections_register(case_sections)
