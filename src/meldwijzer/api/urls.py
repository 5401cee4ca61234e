from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from meldwijzer.api import (
    cases,
    coordination_closing,
    coordination_conferences,
    coordination_inbox,
    coordination_matching,
    coordination_plan,
    coordination_team,
    datalab,
    directory,
    followups,
    holds,
    instruments,
    retention,
    rights,
    sharing,
    trainings_registry,
    trainings_worries,
    views,
)

app_name = "api"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path(
        "schema/",
        SpectacularJSONAPIView.as_view(permission_classes=[], authentication_classes=[]),
        name="schema",
    ),
    path("me/", views.MeView.as_view(), name="me"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/<int:organisation_id>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("members/", views.MemberListView.as_view(), name="member-list"),
    path("members/<int:user_id>/", views.MemberDetailView.as_view(), name="member-detail"),
    path("access-log/", views.AccessLogView.as_view(), name="access-log"),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path("cases/<int:case_id>/", cases.CaseDetailView.as_view(), name="case-detail"),
    path("cases/<int:case_id>/entries/", cases.CaseEntryView.as_view(), name="case-entries"),
    path("cases/<int:case_id>/weighings/", cases.CaseWeighingView.as_view(), name="case-weighings"),
    path("cases/<int:case_id>/move/", cases.CaseMoveView.as_view(), name="case-move"),
    path("cases/<int:case_id>/decision/", cases.CaseDecisionView.as_view(), name="case-decision"),
    path("cases/<int:case_id>/persons/", cases.CasePersonView.as_view(), name="case-persons"),
    path("cases/<int:case_id>/client/", cases.CaseClientView.as_view(), name="case-client"),
    path(
        "cases/<int:case_id>/report-now/", cases.CaseReportNowView.as_view(), name="case-report-now"
    ),
    path("cases/<int:case_id>/report/", cases.CaseReportView.as_view(), name="case-report"),
    path(
        "cases/<int:case_id>/access-log/",
        cases.CaseAccessLogView.as_view(),
        name="case-access-log",
    ),
    path(
        "cases/<int:case_id>/entries/<int:entry_id>/grants/",
        sharing.ConsultationGrantsView.as_view(),
        name="case-entry-grants",
    ),
    path(
        "cases/<int:case_id>/grants/<int:grant_id>/revoke/",
        sharing.ConsultationGrantRevokeView.as_view(),
        name="case-grant-revoke",
    ),
    path("cases/<int:case_id>/grounds/", sharing.CaseGroundsView.as_view(), name="case-grounds"),
    path(
        "cases/<int:case_id>/grounds/<int:ground_id>/withdraw/",
        sharing.CaseGroundWithdrawView.as_view(),
        name="case-ground-withdraw",
    ),
    path("shared/", sharing.SharedListView.as_view(), name="shared-list"),
    path("retention/", retention.RetentionView.as_view(), name="retention"),
    path("holds/", holds.HoldsView.as_view(), name="holds"),
    path("holds/<int:hold_id>/lift/", holds.HoldLiftView.as_view(), name="hold_lift"),
    path(
        "shared/consultations/<int:entry_id>/",
        sharing.SharedConsultationView.as_view(),
        name="shared-consultation",
    ),
    path("instruments/", instruments.InstrumentListView.as_view(), name="instrument-list"),
    path(
        "instruments/<slug:key>/",
        instruments.InstrumentDetailView.as_view(),
        name="instrument-detail",
    ),
    path(
        "instruments/<slug:key>/versions/",
        instruments.InstrumentEditView.as_view(),
        name="instrument-versions",
    ),
    path(
        "cases/<int:case_id>/instrument-results/",
        instruments.CaseInstrumentResultsView.as_view(),
        name="case-instrument-results",
    ),
    path(
        "cases/<int:case_id>/instrument-results/<int:result_id>/",
        instruments.CaseInstrumentResultDetailView.as_view(),
        name="case-instrument-result-detail",
    ),
    path(
        "directory/organizations/",
        directory.DirectoryOrganizationListView.as_view(),
        name="directory-organization-list",
    ),
    path(
        "directory/organizations/<uuid:organization_uid>/",
        directory.DirectoryOrganizationDetailView.as_view(),
        name="directory-organization-detail",
    ),
    path(
        "directory/services/",
        directory.DirectoryServiceListView.as_view(),
        name="directory-service-list",
    ),
    path(
        "directory/services/<uuid:service_uid>/",
        directory.DirectoryServiceDetailView.as_view(),
        name="directory-service-detail",
    ),
    # Coordination after a report: each area lists its operations in its own module.
    *coordination_inbox.urlpatterns,
    *coordination_team.urlpatterns,
    *coordination_closing.urlpatterns,
    *coordination_plan.urlpatterns,
    *coordination_matching.urlpatterns,
    *followups.urlpatterns,
    *coordination_conferences.urlpatterns,
    *datalab.urlpatterns,
    *trainings_registry.urlpatterns,
    *trainings_worries.urlpatterns,
    *rights.urlpatterns,
]
