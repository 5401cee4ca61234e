from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    name = "meldwijzer.followups"
    label = "followups"
    verbose_name = "Nazorg na afsluiten"

    def ready(self) -> None:
        from meldwijzer.accounts.services import credential_revoker_register
        from meldwijzer.cases import extensions
        from meldwijzer.followups import calendar, matching, overview, retention, services
        from meldwijzer.privacy.retention_sources import (
            retention_parts_register,
            retention_sources_register,
        )

        credential_revoker_register(calendar.feeds_revoke_for_user)
        extensions.followup_starter_register(services.plan_start)
        extensions.case_actions_register(overview.case_actions)
        extensions.person_recorded_register(matching.person_recorded)
        # Ended plans past their period are destroyed, and the plans of a destroyed case or
        # coordination file with it.
        retention_sources_register(retention.SOURCE)
        retention_parts_register(retention.CASE_PART)
        retention_parts_register(retention.FILE_PART)
