"""Municipalities and organisations, moved from `schools` with every row (docs/architecture.md)."""

import core.validators
import django.core.validators
import django.db.models.deletion
import modelsearch.index
from django.db import migrations, models


MOVED_MODELS = ("municipality", "organisation")


def relabel_content_types(apps, schema_editor, source="schools", target="registry"):
    """Content types follow the models, so that every permission, group grant, log entry and
    search index entry that points at them keeps pointing at the same rows."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED_MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def restore_content_types(apps, schema_editor):
    relabel_content_types(apps, schema_editor, source="registry", target="schools")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("schools", "0004_names_without_control_characters"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [
        # State only: the tables keep their names and rows (moved here from schools, whose migration 0005 forgets them).
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Municipality",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=200,
                                unique=True,
                                validators=[core.validators.reject_control_characters],
                                verbose_name="название",
                            ),
                        ),
                        (
                            "slug",
                            models.SlugField(
                                max_length=100, unique=True, verbose_name="код для адресов"
                            ),
                        ),
                        (
                            "coordinator_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="координатор: ФИО"
                            ),
                        ),
                        (
                            "coordinator_email",
                            models.EmailField(
                                blank=True, max_length=254, verbose_name="координатор: e-mail"
                            ),
                        ),
                        (
                            "coordinator_phone",
                            models.CharField(
                                blank=True, max_length=50, verbose_name="координатор: телефон"
                            ),
                        ),
                        (
                            "expert_name",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="технический эксперт: ФИО"
                            ),
                        ),
                        (
                            "expert_email",
                            models.EmailField(
                                blank=True,
                                max_length=254,
                                verbose_name="технический эксперт: e-mail",
                            ),
                        ),
                        (
                            "expert_phone",
                            models.CharField(
                                blank=True,
                                max_length=50,
                                verbose_name="технический эксперт: телефон",
                            ),
                        ),
                        (
                            "coordinator_group",
                            models.OneToOneField(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="coordinated_municipality",
                                to="auth.group",
                                verbose_name="группа координаторов",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "муниципалитет",
                        "verbose_name_plural": "муниципалитеты",
                        "db_table": "schools_municipality",
                        "ordering": ["name"],
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
                migrations.CreateModel(
                    name="Organisation",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                help_text="ИНН или код организации в региональном реестре.",
                                max_length=20,
                                unique=True,
                                verbose_name="код",
                            ),
                        ),
                        (
                            "name",
                            models.CharField(
                                max_length=500,
                                validators=[core.validators.reject_control_characters],
                                verbose_name="полное название",
                            ),
                        ),
                        (
                            "short_name",
                            models.CharField(
                                blank=True,
                                max_length=200,
                                validators=[core.validators.reject_control_characters],
                                verbose_name="краткое название",
                            ),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("school", "Общеобразовательная организация"),
                                    ("preschool", "Дошкольная образовательная организация"),
                                    ("college", "Профессиональная образовательная организация"),
                                    ("additional", "Организация дополнительного образования"),
                                ],
                                default="school",
                                max_length=20,
                                verbose_name="тип",
                            ),
                        ),
                        (
                            "address",
                            models.CharField(
                                blank=True,
                                max_length=500,
                                validators=[core.validators.reject_control_characters],
                                verbose_name="адрес",
                            ),
                        ),
                        ("website", models.URLField(blank=True, verbose_name="официальный сайт")),
                        (
                            "pupils_1_8",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="Контингент для охвата анкетирования родителей.",
                                validators=[django.core.validators.MinValueValidator(0)],
                                verbose_name="обучающихся 1–8 классов",
                            ),
                        ),
                        (
                            "pupils_9_11",
                            models.PositiveIntegerField(
                                default=0,
                                help_text="Контингент для охвата анкетирования обучающихся.",
                                validators=[django.core.validators.MinValueValidator(0)],
                                verbose_name="обучающихся 9–11 классов",
                            ),
                        ),
                        ("is_active", models.BooleanField(default=True, verbose_name="действует")),
                        (
                            "collection",
                            models.OneToOneField(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="organisation",
                                to="wagtailcore.collection",
                                verbose_name="коллекция файлов",
                            ),
                        ),
                        (
                            "municipality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="organisations",
                                to="registry.municipality",
                                verbose_name="муниципалитет",
                            ),
                        ),
                        (
                            "staff_group",
                            models.OneToOneField(
                                blank=True,
                                editable=False,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="organisation",
                                to="auth.group",
                                verbose_name="группа сотрудников",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "организация",
                        "verbose_name_plural": "организации",
                        "db_table": "schools_organisation",
                        "ordering": ["name"],
                        "indexes": [
                            models.Index(
                                fields=["municipality", "kind"],
                                name="schools_org_municip_4941f0_idx",
                            )
                        ],
                    },
                    bases=(modelsearch.index.Indexed, models.Model),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_content_types, restore_content_types),
    ]
