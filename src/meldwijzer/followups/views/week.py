"""The lists a professional works from: this week's follow-up contacts (overdue ones first, in
pages of 25), the organisation's plans for its aandachtsfunctionaris, and the 'niet veilig'
alerts for the casusregisseur. Each calls one selector; none runs a query per row."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from meldwijzer.core.decorators import actor_required, current_actor
from meldwijzer.core.paging import page_number, query_without_page
from meldwijzer.followups import rules, schedules, selectors, services
from meldwijzer.followups.forms import AlertAcknowledgeForm, errors_apply
from meldwijzer.followups.models import Alert, PlanState
from meldwijzer.followups.services import FollowupInputError
from meldwijzer.organisations.roles import Permission


@actor_required(Permission.CASE_WORK)
def week_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    page = selectors.week_page(actor=actor, page=page_number(request))
    rows = list(page.object_list)
    names = selectors.family_names_for([row.plan for row in rows])
    cards = [{"row": row, "names": names[row.plan.pk]} for row in rows]
    late = [card for card, row in zip(cards, rows, strict=True) if row.overdue_days > 0]
    due = [card for card, row in zip(cards, rows, strict=True) if row.overdue_days == 0]
    monday, sunday = schedules.week_of(timezone.localdate())
    return render(
        request,
        "followups/week.html",
        {
            "overdue": late,
            "this_week": due,
            "page": page,
            "filters_query": query_without_page(request),
            "monday": monday,
            "sunday": sunday,
            "alerts_open": selectors.alerts_open_count(actor),
            "sees_organisation": rules.sees_organisation_list(actor),
        },
    )


@actor_required(Permission.CASE_OVERSEE)
def organisation_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    state = _state(request)
    page = selectors.organisation_plans_page(actor=actor, state=state, page=page_number(request))
    today = timezone.localdate()
    rows = []
    for plan in page.object_list:
        upcoming = plan.open_planned[0] if plan.open_planned else None
        late = schedules.overdue_days(upcoming.due_on, today=today) if upcoming else 0
        rows.append({"plan": plan, "next": upcoming, "overdue_days": late})
    return render(
        request,
        "followups/organisation.html",
        {
            "rows": rows,
            "state": state,
            "page": page,
            "filters_query": query_without_page(request),
        },
    )


def _state(request: HttpRequest) -> str:
    """The state filter of a list of plans: lopend (default) or beëindigd."""
    state = request.GET.get("stand", PlanState.ACTIVE)
    return state if state in PlanState.values else PlanState.ACTIVE


@actor_required(Permission.CASE_WORK)
def alerts_view(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    return _alerts_page(request, selectors.alerts_list(actor=actor))


def _alerts_page(
    request: HttpRequest,
    alerts: list[Alert],
    failed: tuple[int, AlertAcknowledgeForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = {alert.pk: AlertAcknowledgeForm(prefix=f"melding-{alert.pk}") for alert in alerts}
    if failed is not None:
        forms[failed[0]] = failed[1]
    rows = [{"alert": alert, "form": forms[alert.pk]} for alert in alerts]
    return render(request, "followups/alerts.html", {"rows": rows}, status=status)


@require_POST
@actor_required(Permission.CASE_WORK)
def alert_acknowledge_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    actor = current_actor(request)
    form = AlertAcknowledgeForm(request.POST, prefix=f"melding-{alert_id}")
    form.is_valid()
    try:
        alert = services.alert_acknowledge(
            actor=actor, alert_id=alert_id, note=form.cleaned_data.get("note") or ""
        )
    except FollowupInputError as error:
        errors_apply(form, error)
        alerts = selectors.alerts_list(actor=actor)
        return _alerts_page(request, alerts, failed=(alert_id, form), status=400)
    messages.success(
        request, f"U heeft de melding over {alert.plan.reference} afgehandeld. Dank u."
    )
    return redirect("followups:alerts")
