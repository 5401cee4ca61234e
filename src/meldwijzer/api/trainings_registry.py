"""/api/v1/ for the meldcode registry: the same selectors, services and access log as the pages."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
