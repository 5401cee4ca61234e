"""The datalab through the API: the same protected aggregates as the dashboard, and imports.

Never a record: every figure is a published cell of the datalab's one protected report."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
