"""The two contingents become the contingents of the kind's respondent groups (issue 15).

Renamed, not replaced: every organisation keeps its figures, in the same columns under the
new names (methodology §5: ``contingent_parents``, ``contingent_students``)."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_assessment_list")]

    operations = [
        migrations.RenameField("organisation", "pupils_1_8", "contingent_parents"),
        migrations.RenameField("organisation", "pupils_9_11", "contingent_students"),
        migrations.AlterField(
            model_name="organisation",
            name="contingent_parents",
            field=models.PositiveIntegerField(
                default=0,
                help_text=(
                    "Сколько детей, чьи родители (законные представители) опрашиваются: школа — "
                    "обучающиеся 1–8 классов (или младше 14 лет), детский сад — все воспитанники, "
                    "колледж — студенты младше 18 лет, дополнительное образование — дети младше "
                    "14 лет."
                ),
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="контингент группы «родители»",
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="contingent_students",
            field=models.PositiveIntegerField(
                default=0,
                help_text=(
                    "Сколько обучающихся опрашиваются сами: школа — 9–11 классы (или 14 лет и "
                    "старше), колледж — все студенты, дополнительное образование — 14 лет и "
                    "старше; у детского сада такой группы нет (0)."
                ),
                validators=[django.core.validators.MinValueValidator(0)],
                verbose_name="контингент группы «обучающиеся»",
            ),
        ),
    ]
