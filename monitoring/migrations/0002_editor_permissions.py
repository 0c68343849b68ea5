"""The operator's editors maintain checklist templates, rounds and experts and review
checklists."""

from django.db import migrations

EDITORS_GROUP_NAME = "Редакторы оператора"
MODELS = ["checklisttemplate", "monitoringround", "checklist", "expert", "expertassignment"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    codenames = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "delete", "view")]
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="monitoring", codename__in=codenames)
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("schools", "0003_editors_group")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
