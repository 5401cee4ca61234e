from django.urls import path

from meldwijzer.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.access_log_view, name="access_log"),
    path("controle/", views.verify_view, name="verify"),
]
