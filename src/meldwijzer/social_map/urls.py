from django.urls import path

from meldwijzer.social_map import views

app_name = "social_map"

urlpatterns = [
    # Public: no login.
    path("", views.public_search_view, name="public_search"),
    path("hulp/<int:service_id>/", views.public_service_view, name="public_service"),
    path("hsds.json", views.export_public_json_view, name="export_public_json"),
    path("hsds-csv.zip", views.export_public_csv_view, name="export_public_csv"),
    # Professionals.
    path("professionals/", views.search_view, name="search"),
    path("professionals/hulp/<int:service_id>/", views.service_detail_view, name="service_detail"),
    path("routekaart/", views.route_view, name="route"),
    path("routekaart/casus/<int:case_id>/", views.case_route_view, name="case_route"),
    # Keeping records up to date.
    path("beheer/", views.manage_view, name="manage"),
    path("beheer/aanbieders/nieuw/", views.provider_create_view, name="provider_create"),
    path("beheer/aanbieders/<int:provider_id>/", views.provider_edit_view, name="provider_edit"),
    path(
        "beheer/aanbieders/<int:provider_id>/gecontroleerd/",
        views.provider_verify_view,
        name="provider_verify",
    ),
    path(
        "beheer/aanbieders/<int:provider_id>/diensten/nieuw/",
        views.service_create_view,
        name="service_create",
    ),
    path(
        "beheer/aanbieders/<int:provider_id>/locaties/nieuw/",
        views.location_create_view,
        name="location_create",
    ),
    path("beheer/diensten/<int:service_id>/", views.service_edit_view, name="service_edit"),
    path(
        "beheer/diensten/<int:service_id>/gecontroleerd/",
        views.service_verify_view,
        name="service_verify",
    ),
    path("beheer/locaties/<int:location_id>/", views.location_edit_view, name="location_edit"),
    path("beheer/importeren/", views.import_view, name="import"),
    path("beheer/importeren/<int:job_id>/", views.import_job_view, name="import_job"),
    path("beheer/export/hsds.json", views.export_full_json_view, name="export_full_json"),
    path("beheer/export/hsds-csv.zip", views.export_full_csv_view, name="export_full_csv"),
]
