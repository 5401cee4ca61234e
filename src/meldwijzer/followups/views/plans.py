from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise Http404


plan_list_view = plan_view = contact_record_view = plan_change_view = _todo
planned_move_view = plan_end_view = signal_seen_view = _todo
