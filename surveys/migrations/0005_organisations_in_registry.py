"""Relations to organisations and municipalities now point at the registry app."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("surveys", "0004_organised_session_review"),
    ]

    operations = [
        # State only: the tables keep their names and rows (the related models moved from schools to registry).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="organisedsession",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="survey_sessions",
                        to="registry.organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="organisation",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="survey_responses",
                        to="registry.organisation",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
