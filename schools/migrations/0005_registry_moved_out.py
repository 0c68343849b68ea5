"""Municipalities and organisations live in the registry app now (registry/0001)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_organisations_in_registry"),
        ("surveys", "0005_organisations_in_registry"),
        ("results", "0010_organisations_in_registry"),
        ("registry", "0001_initial"),
        ("schools", "0004_names_without_control_characters"),
    ]

    operations = [
        # State only: the tables keep their names and rows (registry/0001 took the models over).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="organisation",
                    name="municipality",
                ),
                migrations.RemoveField(
                    model_name="organisation",
                    name="collection",
                ),
                migrations.RemoveField(
                    model_name="organisation",
                    name="staff_group",
                ),
                migrations.AlterField(
                    model_name="schoolpage",
                    name="organisation",
                    field=models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="page",
                        to="registry.organisation",
                        verbose_name="организация",
                    ),
                ),
                migrations.DeleteModel(
                    name="Municipality",
                ),
                migrations.DeleteModel(
                    name="Organisation",
                ),
            ],
            database_operations=[],
        ),
    ]
