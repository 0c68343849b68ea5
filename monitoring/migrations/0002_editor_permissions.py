"""The operator's editors maintain checklist templates, rounds and experts and review
checklists."""

from django.db import migrations

MODELS = ["checklisttemplate", "monitoringround", "checklist", "expert", "expertassignment"]
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    from core.migration_helpers import grant_to_editors

    grant_to_editors(
        apps, "monitoring", [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial"), ("schools", "0003_editors_group")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
