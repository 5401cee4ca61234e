from django.urls import include, path

urlpatterns = [
    path("", include("meldwijzer.core.urls")),
    path("account/", include("meldwijzer.accounts.urls")),
    path("casussen/", include("meldwijzer.cases.urls")),
    # The client's copy and own statement on a case (casussen/<id>/afschrift/, …).
    path("casussen/", include("meldwijzer.rights.urls")),
    path("sociale-kaart/", include("meldwijzer.social_map.urls")),
    path("regie/", include("meldwijzer.coordination.urls")),
    path("nazorg/", include("meldwijzer.followups.urls")),
    path("meldcode/", include("meldwijzer.trainings.urls")),
    path("datalab/", include("meldwijzer.datalab.urls")),
    path("beheer/", include("meldwijzer.organisations.urls")),
    path("toegangslogboek/", include("meldwijzer.audit.urls")),
    path("api/v1/", include("meldwijzer.api.urls")),
    # Instruments on a case (casussen/<id>/instrumenten/…) and their beheer (beheer/instrumenten/…).
    path("", include("meldwijzer.instruments.urls")),
]

handler400 = "meldwijzer.core.views.bad_request"
handler403 = "meldwijzer.core.views.permission_denied"
handler404 = "meldwijzer.core.views.page_not_found"
handler500 = "meldwijzer.core.views.server_error"
