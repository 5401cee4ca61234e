from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "meldwijzer.cases"
    verbose_name = "Meldcode-dossiers"

    def ready(self) -> None:
        # The guidance texts are read and checked at start-up: a broken file stops the
        # application with the file and the field at fault, not a page later on.
        from meldwijzer.cases import guidance, holds, retention
        from meldwijzer.cases.extensions import case_actions_register
        from meldwijzer.privacy.retention_sources import retention_sources_register

        guidance.load_all()
        # The retention job destroys closed cases past their period through this source.
        retention_sources_register(retention.SOURCE)
        # Whoever places legal holds finds the hold page on the case page.
        case_actions_register(holds.case_actions)
