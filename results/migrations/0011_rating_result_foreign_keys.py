"""Database-level foreign keys again on a result's organisation and municipality.

Migration 0008 left them to Django's PROTECT alone to save their checks at commit; measured
again at country scale the two checks cost about 0.5 s, some 5 % of a computation
(bench/README.md, "Database keys of results"), so the database guards them too. Adding the
keys checks the existing rows: a result whose organisation or municipality is gone stops the
migration.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("results", "0010_organisations_in_registry"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ratingresult",
            name="municipality",
            field=models.ForeignKey(
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
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rating_results",
                to="registry.organisation",
                verbose_name="организация",
            ),
        ),
    ]
