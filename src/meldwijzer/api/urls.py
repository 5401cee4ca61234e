from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from meldwijzer.api import views

app_name = "api"

urlpatterns = [
    path("", views.RootView.as_view(), name="root"),
    path("schema/", SpectacularJSONAPIView.as_view(permission_classes=[]), name="schema"),
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
]
