"""The coordination pages under /regie/, one block per area (see `views`)."""

from django.urls import path

from meldwijzer.coordination.views import (  # noqa: F401 (each area fills its block)
    conferences,
    files,
    inbox,
    matching,
    plan,
    team,
)

app_name = "coordination"

urlpatterns = [
    path("", files.file_list_view, name="list"),
    path("<int:file_id>/", files.file_detail_view, name="detail"),
    # Inbox and hand-overs.
    #
    # Team, family, agreements, wie doet wat.
    #
    # Safety plan and contact notes.
    path("<int:file_id>/veiligheidsplan/", plan.safety_plan_view, name="safety_plan"),
    path(
        "<int:file_id>/veiligheidsplan/bewerken/",
        plan.safety_plan_edit_view,
        name="safety_plan_edit",
    ),
    path(
        "<int:file_id>/veiligheidsplan/versies/",
        plan.safety_plan_history_view,
        name="safety_plan_history",
    ),
    path(
        "<int:file_id>/veiligheidsplan/versies/<int:revision_number>/",
        plan.safety_plan_revision_view,
        name="safety_plan_revision",
    ),
    path(
        "<int:file_id>/veiligheidsplan/afdrukken/",
        plan.safety_plan_print_view,
        name="safety_plan_print",
    ),
    path("<int:file_id>/contacten/", plan.contacts_view, name="contacts"),
    path(
        "<int:file_id>/contacten/<int:contact_id>/gezien/",
        plan.contact_acknowledge_view,
        name="contact_acknowledge",
    ),
    #
    # Match signals.
    #
    # Conferences.
    #
]
