"""The meldcode overview: what each area offers this actor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

from meldwijzer.core.decorators import actor_required


@actor_required()
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "trainings/home.html")


urlpatterns: list[URLPattern] = [path("", home_view, name="home")]
