from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "meldwijzer.coordination"
    verbose_name = "Casusregie na een melding"

    def ready(self) -> None:
        from meldwijzer.cases.extensions import case_actions_register, person_recorded_register
        from meldwijzer.coordination import matching as matching_service
        from meldwijzer.coordination import overview, retention
        from meldwijzer.coordination.views import conferences, inbox, matching, plan, team
        from meldwijzer.privacy.retention_sources import (
            retention_parts_register,
            retention_sources_register,
        )

        for area in (inbox, team, plan, matching, conferences):
            overview.area_register(area)
        # The case page offers sending the report to Veilig Thuis and shows its receipt, without
        # the dossier importing this app.
        case_actions_register(overview.case_actions)
        # A person recorded in a meldcode case is matched with other organisations' registrations
        # of the same person (`matching`), again without the dossier importing this app.
        person_recorded_register(matching_service.person_registered)
        # The retention job destroys closed files and Veilig Thuis' reports past their period,
        # and the match signals about a destroyed case's client, through these.
        retention_sources_register(retention.FILE_SOURCE)
        retention_sources_register(retention.REPORT_SOURCE)
        retention_parts_register(retention.CASE_PART)
