"""The operator's editors manage inputs and methodology versions and publish ratings."""

from django.db import migrations

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
    from core.migration_helpers import grant_to_editors

    grant_to_editors(apps, "results", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("results", "0003_publish_permission"), ("schools", "0003_editors_group")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
