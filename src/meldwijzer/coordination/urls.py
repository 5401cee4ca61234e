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
    #
    # Match signals.
    path("samenloop/", matching.match_list_view, name="match_list"),
    path("samenloop/<int:signal_id>/gezien/", matching.match_seen_view, name="match_seen"),
    #
    # Conferences.
    #
]
