from django.apps import AppConfig


class TrainingsConfig(AppConfig):
    name = "meldwijzer.trainings"
    label = "trainings"
    verbose_name = "De meldcode in de organisatie"

    def ready(self) -> None:
        from meldwijzer.cases.extensions import (
            consultants_register,
            signal_guides_register,
            step_knowledge_register,
        )
        from meldwijzer.privacy.retention_sources import retention_parts_register
        from meldwijzer.trainings import knowledge, retention, selfcheck
        from meldwijzer.trainings.knowledge_case import (
            signal_guides_for_categories,
            step_knowledge_for_case,
        )
        from meldwijzer.trainings.registry import consultant_options

        # The knowledge texts and the self-check's questions are read and checked at start-up: a
        # broken file stops the application with the file and the field at fault, not a page
        # later on. The case page, the signal form and the consultation form show what this app
        # knows through the dossier's hooks.
        knowledge.load_all()
        selfcheck.load_all()
        step_knowledge_register(step_knowledge_for_case)
        signal_guides_register(signal_guides_for_categories)
        consultants_register(consultant_options)
        # A destroyed case leaves the worry it grew from without the link.
        retention_parts_register(retention.CASE_PART)
