from django.urls import path

from meldwijzer.cases import access_views, hold_views, report_views, sharing_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("organisatie/", views.organisation_overview_view, name="organisation_overview"),
    path("nieuw/", views.case_create_view, name="create"),
    path("<int:case_id>/", views.case_detail_view, name="detail"),
    path("<int:case_id>/betrokkenen/nieuw/", views.person_create_view, name="person_create"),
    path(
        "<int:case_id>/betrokkenen/<int:person_id>/wijzigen/",
        views.person_replace_view,
        name="person_replace",
    ),
    path(
        "<int:case_id>/betrokkenen/<int:person_id>/bsn/", views.person_bsn_view, name="person_bsn"
    ),
    path("<int:case_id>/over-wie/", views.client_view, name="client"),
    path("<int:case_id>/direct-melden/", views.report_now_view, name="report_now"),
    path("<int:case_id>/geschiedenis/", views.history_view, name="history"),
    path("<int:case_id>/inzage/", access_views.access_history_view, name="access_history"),
    path("<int:case_id>/bewaarplicht/", hold_views.case_holds_view, name="holds"),
    path("<int:case_id>/vastleggen/<str:kind>/", views.entry_create_view, name="entry_create"),
    path(
        "<int:case_id>/regels/<int:entry_id>/corrigeren/",
        views.entry_correct_view,
        name="entry_correct",
    ),
    path(
        "<int:case_id>/gesprek-voorbereiden/",
        views.conversation_prepare_view,
        name="conversation_prepare",
    ),
    path("<int:case_id>/afwegen/", views.weighing_view, name="weighing"),
    path("<int:case_id>/besluiten/", views.decide_view, name="decide"),
    path("<int:case_id>/stap/", views.move_view, name="move"),
    path("<int:case_id>/afsluiten/", views.close_view, name="close"),
    path("<int:case_id>/melding/", report_views.report_print_view, name="report_print"),
    path("<int:case_id>/melding.pdf", report_views.report_pdf_view, name="report_pdf"),
    path("<int:case_id>/melding.json", report_views.report_json_view, name="report_json"),
    path(
        "<int:case_id>/regels/<int:entry_id>/delen/",
        sharing_views.consultation_share_view,
        name="consultation_share",
    ),
    path(
        "<int:case_id>/gedeeld/<int:grant_id>/intrekken/",
        sharing_views.consultation_unshare_view,
        name="consultation_unshare",
    ),
    path(
        "<int:case_id>/grondslagen/<int:ground_id>/intrekken/",
        sharing_views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("gedeeld/", sharing_views.shared_list_view, name="shared_list"),
    path(
        "gedeeld/consultatie/<int:entry_id>/",
        sharing_views.shared_consultation_view,
        name="shared_consultation",
    ),
]
