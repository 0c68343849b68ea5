"""Relations to organisations and municipalities now point at the registry app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_editor_permissions"),
        ("registry", "0001_initial"),
    ]

    operations = [
        # State only: the tables keep their names and rows (the related models moved from schools to registry).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="checklist",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="checklists",
                        to="registry.organisation",
                        verbose_name="организация",
                    ),
                ),
                migrations.AlterField(
                    model_name="expert",
                    name="employer",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="employed_experts",
                        to="registry.organisation",
                        verbose_name="место работы (организация реестра)",
                    ),
                ),
                migrations.AlterField(
                    model_name="expertassignment",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="expert_assignments",
                        to="registry.organisation",
                        verbose_name="организация",
                    ),
                ),
                migrations.AlterField(
                    model_name="monitoringround",
                    name="organisations",
                    field=models.ManyToManyField(
                        related_name="monitoring_rounds",
                        to="registry.organisation",
                        verbose_name="организации",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
