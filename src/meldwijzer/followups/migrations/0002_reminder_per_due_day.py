"""A reminder is kept per day its contact was due, so a contact moved to another day is reminded
of again. Reminders sent before keep the day their contact has now."""

import datetime

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def due_days(apps, schema_editor):
    Reminder = apps.get_model("followups", "Reminder")
    PlannedContact = apps.get_model("followups", "PlannedContact")
    Reminder.objects.update(
        due_on=Subquery(
            PlannedContact.objects.filter(pk=OuterRef("planned_id")).values("due_on")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [("followups", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="reminder", name="followup_reminder_once"),
        migrations.AddField(
            model_name="reminder",
            name="due_on",
            field=models.DateField(
                default=datetime.date(2026, 1, 1), verbose_name="voor het contact gepland op"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(due_days, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                fields=("planned", "kind", "to_user", "due_on"), name="followup_reminder_once"
            ),
        ),
    ]
