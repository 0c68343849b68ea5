"""The operator's editors manage inputs and methodology versions and publish ratings."""

from django.db import migrations

EDITORS_GROUP_NAME = "Редакторы оператора"
PERMISSIONS = [
    "add_assessmentinput",
    "change_assessmentinput",
    "view_assessmentinput",
    "view_inputchange",
    "add_methodologyversion",
    "change_methodologyversion",
    "view_methodologyversion",
    "view_ratingrevision",
    "view_ratingresult",
    "publish_ratingrevision",
]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="results", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [("results", "0003_publish_permission"), ("schools", "0003_editors_group")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
