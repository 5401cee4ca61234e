from django.apps import AppConfig


class InstrumentsConfig(AppConfig):
    name = "meldwijzer.instruments"
    verbose_name = "Screening- en risico-instrumenten"

    def ready(self) -> None:
        from meldwijzer.cases.extensions import case_actions_register
        from meldwijzer.instruments import (
            checks,  # noqa: F401 - registers the system check
            retention,
        )
        from meldwijzer.instruments.views import case_actions
        from meldwijzer.privacy.retention_sources import retention_parts_register

        # The case page offers filling in an instrument without the dossier importing this app.
        case_actions_register(case_actions)
        # Results and drafts go with the case when its retention period has passed.
        retention_parts_register(retention.CASE_PART)
