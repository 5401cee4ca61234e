"""Lists in pages of a fixed size, for every list that grows with the country.

A list page asks its selector for one page: the selector filters and sorts in the database and
hands its queryset to `page_of`, which counts the rows and reads only the rows of that page. The
page number travels as `pagina` in the address, next to the list's filters (`query_without_page`),
and `includes/pagination.html` shows the navigation."""

from __future__ import annotations

from typing import TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import HttpRequest

PAGE_PARAMETER = "pagina"

M = TypeVar("M", bound=Model)


def page_of(rows: QuerySet[M], number: str | int | None, size: int) -> Page[M]:
    """One page of `rows` (one query for the count, one for the page); a number out of range or
    not a number gives the nearest page. The page's rows are a list, read once."""
    page = Paginator(rows, size).get_page(number)
    page.object_list = list(page.object_list)
    return page


def page_number(request: HttpRequest) -> str | None:
    return request.GET.get(PAGE_PARAMETER)


def query_without_page(request: HttpRequest) -> str:
    """The list's filters as they are in the address, without the page number, for the links to
    other pages."""
    kept = request.GET.copy()
    kept.pop(PAGE_PARAMETER, None)
    return kept.urlencode()
