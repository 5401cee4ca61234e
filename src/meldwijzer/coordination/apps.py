from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "meldwijzer.coordination"
    verbose_name = "Casusregie na een melding"

    def ready(self) -> None:
        from meldwijzer.cases.extensions import case_actions_register
        from meldwijzer.coordination.views import case_actions

        # The case page offers sending the report to Veilig Thuis and shows its receipt, without
        # the dossier importing this app.
        case_actions_register(case_actions)
