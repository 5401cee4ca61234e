"""Reports in Veilig Thuis' inbox and hand-overs, under /api/v1/coordination/. Same rules as the pages (`coordination.rules`), same access log."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
