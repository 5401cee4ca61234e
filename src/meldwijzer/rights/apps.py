from django.apps import AppConfig


class RightsConfig(AppConfig):
    name = "meldwijzer.rights"
    verbose_name = "Inzage en afschrift"

    def ready(self) -> None:
        from meldwijzer.cases.extensions import case_actions_register, case_sections_register
        from meldwijzer.privacy.retention_sources import retention_parts_register
        from meldwijzer.rights import retention
        from meldwijzer.rights.views import case_actions, case_sections

        # The case page offers the copy and the statement without the dossier importing this app.
        case_actions_register(case_actions)
        case_sections_register(case_sections)
        # Copies given and statements go with the case when its retention period has passed.
        retention_parts_register(retention.CASE_PART)
