"""Every case gets a client pseudonym: the name of its client in the access log."""

from django.db import migrations, models

import meldwijzer.privacy.pseudonyms


def give_each_case_a_pseudonym(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    for case in Case.objects.filter(client_pseudonym__isnull=True).only("pk").iterator():
        case.client_pseudonym = meldwijzer.privacy.pseudonyms.client_pseudonym_new()
        case.save(update_fields=["client_pseudonym"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_signal_interpretation_whose_and_confidential")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="client_pseudonym",
            field=models.CharField(max_length=24, null=True, editable=False),
        ),
        migrations.RunPython(give_each_case_a_pseudonym, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case",
            name="client_pseudonym",
            field=models.CharField(
                "cliëntpseudoniem",
                default=meldwijzer.privacy.pseudonyms.client_pseudonym_new,
                editable=False,
                help_text="Noemt de cliënt van deze casus in het toegangslogboek, zonder naam.",
                max_length=24,
                unique=True,
            ),
        ),
    ]
