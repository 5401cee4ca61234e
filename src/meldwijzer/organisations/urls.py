from django.urls import path

from meldwijzer.organisations import views

app_name = "organisations"

urlpatterns = [
    path("medewerkers/", views.member_list_view, name="member_list"),
    path("medewerkers/nieuw/", views.member_create_view, name="member_create"),
    path("medewerkers/<int:user_id>/", views.member_detail_view, name="member_detail"),
    path(
        "medewerkers/<int:user_id>/uitschakelen/",
        views.member_deactivate_view,
        name="member_deactivate",
    ),
    path(
        "medewerkers/<int:user_id>/heractiveren/",
        views.member_reactivate_view,
        name="member_reactivate",
    ),
    path(
        "medewerkers/<int:user_id>/authenticator-resetten/",
        views.member_mfa_reset_view,
        name="member_mfa_reset",
    ),
    path(
        "medewerkers/<int:user_id>/activeringscode/",
        views.member_enrolment_code_view,
        name="member_enrolment_code",
    ),
    path("api-sleutels/", views.api_keys_view, name="api_keys"),
    path("organisaties/", views.organisation_list_view, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_form_view, name="organisation_create"),
    path(
        "organisaties/<int:organisation_id>/",
        views.organisation_form_view,
        name="organisation_edit",
    ),
    path(
        "organisaties/<int:organisation_id>/beheerder-toevoegen/",
        views.organisation_admin_create_view,
        name="organisation_admin_create",
    ),
]
