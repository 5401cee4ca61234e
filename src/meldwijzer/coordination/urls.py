from django.urls import path

from meldwijzer.coordination import views

app_name = "coordination"

urlpatterns = [
    path("", views.file_list_view, name="list"),
    path("<int:file_id>/", views.file_detail_view, name="detail"),
]
