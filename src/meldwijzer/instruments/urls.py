from django.urls import path

from meldwijzer.instruments import views

app_name = "instruments"

urlpatterns = [
    path("beheer/instrumenten/", views.manage_view, name="manage"),
    path("beheer/instrumenten/bestand-laden/", views.upload_view, name="upload"),
    path("beheer/instrumenten/<slug:key>/", views.definition_view, name="definition"),
    path("beheer/instrumenten/<slug:key>/schakelen/", views.toggle_view, name="toggle"),
    path("beheer/instrumenten/<slug:key>/aanpassen/", views.edit_view, name="edit"),
    path("beheer/instrumenten/<slug:key>/bestand/", views.source_view, name="source"),
    path("casussen/<int:case_id>/instrumenten/", views.case_instruments_view, name="case"),
    path(
        "casussen/<int:case_id>/instrumenten/<slug:key>/invullen/",
        views.fill_view,
        name="fill",
    ),
    path(
        "casussen/<int:case_id>/instrumenten/<slug:key>/vergelijken/",
        views.compare_view,
        name="compare",
    ),
    path(
        "casussen/<int:case_id>/instrumenten/uitkomsten/<int:result_id>/",
        views.result_view,
        name="result",
    ),
]
