"""The operator's editors run the accountability cycle: shortcomings, the preliminary stage
and objections, the public council, management decisions and the public discussion; they
see every plan (approval is decided in accountability/access.py)."""

from django.db import migrations

MODELS = [
    "shortcoming",
    "shortcomingchange",
    "preliminarystage",
    "objection",
    "objectionattachment",
    "improvementplan",
    "planmeasure",
    "planevent",
    "councilmember",
    "councilmeeting",
    "councildecision",
    "managementdecision",
    "discussion",
    "discussionentry",
]
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    from core.migration_helpers import grant_to_editors

    grant_to_editors(
        apps, "accountability", [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    )


class Migration(migrations.Migration):
    # After the registry moved out of schools: the permissions step creates content types
    # for the models of the migration state, which must no longer hold schools.Organisation.
    dependencies = [("accountability", "0001_initial"), ("schools", "0005_registry_moved_out")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
