"""The pages of the API's lists: `?page=` and `?page_size=` (50, at most 200), answered as
`count`, `next`, `previous` and `results`; a page beyond the last is 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_page_message = "Deze pagina bestaat niet."


class ShownPageMixin:
    """For a `ListAPIView` whose `get_queryset` is a selector's queryset, filtered and sorted in
    the database: only the requested page is read, and `page_shown` — the selector's logging of
    what a list shows — is called with that page's rows (and may turn them into what the
    serializer expects)."""

    def paginate_queryset(self, queryset: QuerySet[Any, Any]) -> list[Any] | None:
        rows = super().paginate_queryset(queryset)  # type: ignore[misc]
        return None if rows is None else self.page_shown(list(rows))

    def page_shown(self, rows: list[Any]) -> list[Any]:
        raise NotImplementedError
