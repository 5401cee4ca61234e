from django.urls import path

from meldwijzer.rights import views

app_name = "rights"

urlpatterns = [
    path("<int:case_id>/afschrift/", views.copy_view, name="copy"),
    path("<int:case_id>/eigen-verklaring/", views.statement_view, name="statement"),
]
