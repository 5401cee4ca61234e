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
    path("melden/<int:case_id>/", inbox.report_send_view, name="report_send"),
    path("meldingen/", inbox.inbox_view, name="inbox"),
    path("meldingen/<int:report_id>/", inbox.report_detail_view, name="report_detail"),
    path("meldingen/<int:report_id>/ontvangen/", inbox.report_receive_view, name="report_receive"),
    path(
        "meldingen/<int:report_id>/terugkoppeling/",
        inbox.report_feedback_view,
        name="report_feedback",
    ),
    path(
        "meldingen/<int:report_id>/regiedossier/",
        inbox.report_file_open_view,
        name="report_file_open",
    ),
    path("nieuw/", inbox.file_new_view, name="file_new"),
    path("<int:file_id>/overdracht/", inbox.handovers_view, name="handovers"),
    path("overdracht/<int:handover_id>/", inbox.handover_detail_view, name="handover_detail"),
    path(
        "overdracht/<int:handover_id>/aanvaarden/",
        inbox.handover_accept_view,
        name="handover_accept",
    ),
    path(
        "overdracht/<int:handover_id>/afslaan/",
        inbox.handover_decline_view,
        name="handover_decline",
    ),
    path(
        "overdracht/<int:handover_id>/intrekken/",
        inbox.handover_withdraw_view,
        name="handover_withdraw",
    ),
    #
    # Team, family, agreements, wie doet wat.
    #
    # Safety plan and contact notes.
    #
    # Match signals.
    #
    # Conferences.
    #
]
