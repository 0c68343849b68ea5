"""Relations to organisations and municipalities now point at the registry app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("results", "0009_inputs_fillfactor"),
    ]

    operations = [
        # State only: the tables keep their names and rows (the related models moved from schools to registry).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="assessmentinput",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="assessment_inputs",
                        to="registry.organisation",
                        verbose_name="организация",
                    ),
                ),
                migrations.AlterField(
                    model_name="inputchange",
                    name="organisation",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.organisation",
                        verbose_name="организация",
                    ),
                ),
                migrations.AlterField(
                    model_name="ratingresult",
                    name="municipality",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rating_results",
                        to="registry.municipality",
                        verbose_name="муниципалитет",
                    ),
                ),
                migrations.AlterField(
                    model_name="ratingresult",
                    name="organisation",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rating_results",
                        to="registry.organisation",
                        verbose_name="организация",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
