"""/api/v1/ for the meldcode worries: the same selectors, services and access log as the pages."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
