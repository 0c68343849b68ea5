"""Permissions and the operator's editors' group, looked up by name in one place."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .migration_helpers import EDITORS_GROUP_NAME


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def permissions(pairs):
    """Several permissions in one query."""
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def editors_group():
    """The operator's editors (created with their permissions by migration schools/0003;
    data migrations of each app grant theirs)."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    return group
