"""Shared steps of the data migrations that give the operator's editors their permissions.

Migrations call these with the historical ``apps``, so only the migration state is used."""

EDITORS_GROUP_NAME = "Редакторы оператора"


def ensure_permissions(apps):
    """Create the permission rows of every model now, not only after the whole migrate run:
    a data migration that grants them needs them to exist."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_to_editors(apps, app_label, codenames):
    """Give the editors' group (created if missing) these permissions of one app."""
    ensure_permissions(apps)
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
    )
