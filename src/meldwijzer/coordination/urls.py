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
    #
    # Conferences.
    path("overleggen/", conferences.conference_list_view, name="conferences"),
    path("overleggen/nieuw/", conferences.conference_new_view, name="conference_new"),
    path(
        "overleggen/<int:conference_id>/",
        conferences.conference_detail_view,
        name="conference_detail",
    ),
    path(
        "overleggen/<int:conference_id>/agenda/nieuw/",
        conferences.conference_item_new_view,
        name="conference_item_new",
    ),
    path(
        "overleggen/<int:conference_id>/punten/<int:item_id>/betrokken/",
        conferences.conference_item_confirm_view,
        name="conference_item_confirm",
    ),
    path(
        "overleggen/<int:conference_id>/punten/<int:item_id>/besluiten/",
        conferences.conference_item_decide_view,
        name="conference_item_decide",
    ),
    #
]
