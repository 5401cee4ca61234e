from django.urls import path

from meldwijzer.followups.views import calendar, figures, plans, week

app_name = "followups"

urlpatterns = [
    path("", week.week_view, name="week"),
    path("plannen/", plans.plan_list_view, name="plans"),
    path("organisatie/", week.organisation_view, name="organisation"),
    path("plannen/<int:plan_id>/", plans.plan_view, name="plan"),
    path("plannen/<int:plan_id>/contact/", plans.contact_record_view, name="contact_record"),
    path("plannen/<int:plan_id>/wijzigen/", plans.plan_change_view, name="plan_change"),
    path(
        "plannen/<int:plan_id>/verschuiven/<int:planned_id>/",
        plans.planned_move_view,
        name="planned_move",
    ),
    path("plannen/<int:plan_id>/einde/", plans.plan_end_view, name="plan_end"),
    path(
        "plannen/<int:plan_id>/signalen/<int:signal_id>/gezien/",
        plans.signal_seen_view,
        name="signal_seen",
    ),
    path("meldingen/", week.alerts_view, name="alerts"),
    path("meldingen/<int:alert_id>/", week.alert_acknowledge_view, name="alert_acknowledge"),
    path("agenda/", calendar.calendar_view, name="calendar"),
    path("agenda/<str:token>.ics", calendar.calendar_feed_view, name="calendar_feed"),
    path("cijfers/", figures.figures_view, name="figures"),
]
