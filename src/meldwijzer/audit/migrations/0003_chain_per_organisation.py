"""One chain per organisation (ADR 0020).

Every existing row was written into the one chain there was; they all become chain 0, and the old
head row (pk=1) becomes chain 0's head. Both come from the column default of 0 when the column is
added — no UPDATE of existing rows, which the append-only trigger on PostgreSQL refuses — and the
default is dropped afterwards, so every new row must name its chain. Chain 0's rows are hashed
without their chain id, so the rows written before still verify unchanged.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.AlterModelOptions(
            name="accesslogentry",
            options={
                "ordering": ["-occurred_at", "-id"],
                "verbose_name": "regel in het toegangslogboek",
                "verbose_name_plural": "toegangslogboek",
            },
        ),
        migrations.AddField(
            model_name="accesslogentry",
            name="chain",
            field=models.BigIntegerField(default=0, verbose_name="keten"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="accessloghead",
            name="chain",
            field=models.BigIntegerField(default=0, unique=True),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="accesslogentry",
            name="sequence",
            field=models.BigIntegerField(verbose_name="volgnummer in de keten"),
        ),
        migrations.AddIndex(
            model_name="accesslogentry",
            index=models.Index(fields=["occurred_at", "id"], name="audit_acces_occurre_a44070_idx"),
        ),
        migrations.AddConstraint(
            model_name="accesslogentry",
            constraint=models.UniqueConstraint(
                fields=("chain", "sequence"), name="audit_accesslogentry_chain_sequence"
            ),
        ),
    ]
