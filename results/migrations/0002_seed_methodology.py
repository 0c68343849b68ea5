"""The methodology version every year uses until the operator adds another."""

from django.db import migrations

DEFAULT_CODE = "noko-2019"


def seed(apps, schema_editor):
    MethodologyVersion = apps.get_model("results", "MethodologyVersion")
    MethodologyVersion.objects.get_or_create(
        code=DEFAULT_CODE,
        defaults={
            "title": "Методика НОК УООД (приказы № 114, 344н, 675н)",
            "valid_from_year": 2019,
            "denominator_policy": "answered",
            "min_respondents": 10,
            "bands": [[90, "high"], [70, "above_average"], [50, "average"], [0, "low"]],
            "description": (
                "Показатели — приказ Минпросвещения России от 13.03.2019 № 114; расчёт — "
                "Единый порядок, приказ Минтруда России от 31.05.2018 № 344н; анкета — "
                "приказ Минтруда России от 30.10.2018 № 675н. Знаменатель показателей 1.3 и "
                "4.3 — ответившие на вопрос; показатель без данных исключается из критерия с "
                "пересчётом весов; минимум 10 респондентов."
            ),
        },
    )


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
