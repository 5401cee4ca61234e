"""Follow-up plans under `/api/v1/followups/` (filled in with the API)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
