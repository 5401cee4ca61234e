from django.urls import path

from meldwijzer.core import views

app_name = "core"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("start/", views.start_view, name="start"),
]
