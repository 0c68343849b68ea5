"""Domain operations of the registry: what happens around an organisation besides its row.

Creating an organisation gives it a public profile page (published at once with the registry
data), a staff group that may change only that page, and a collection for its photos and
documents. Every school-scoped permission of the portal is granted here, in one place.
"""

from anyascii import anyascii
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import F, Q
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Municipality, Organisation, SchoolIndexPage, SchoolModerationTask, SchoolPage

EDITORS_GROUP_NAME = "Редакторы оператора"
SCHOOL_INDEX_SLUG = "schools"
WORKFLOW_NAME = "Модерация страниц организаций"

# What a school's staff may do with the files of their own collection.
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def permissions(pairs):
    """Several permissions in one query."""
    query = Q()
    for app_label, codename in pairs:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def editors_group():
    """The operator's editors (created with their permissions by migration schools/0003)."""
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP_NAME)
    return group


def ensure_moderation_workflow(index):
    """Attach the school moderation workflow to the directory, so every school page in it
    goes through review before publication."""
    task = SchoolModerationTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = SchoolModerationTask.objects.create(name=WORKFLOW_NAME)
        task.groups.add(editors_group())
    workflow, created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


def get_school_index():
    """The directory page under the default site's home page, created on first need."""
    index = SchoolIndexPage.objects.first()
    if index is not None:
        return index
    home = Site.objects.get(is_default_site=True).root_page
    index = SchoolIndexPage(
        title="Организации",
        slug=SCHOOL_INDEX_SLUG,
        show_in_menus=True,
        intro="Школы, детские сады, колледжи и организации дополнительного образования.",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    ensure_moderation_workflow(index)
    return index


def school_page_slug(organisation):
    # Set once at creation so that links printed on leaflets keep working after renames.
    base = slugify(anyascii(organisation.short_name or organisation.name))[:60].strip("-")
    return f"{base}-{organisation.code}".lower() if base else organisation.code.lower()


def ensure_coordinator_group(municipality):
    if municipality.coordinator_group_id:
        return municipality.coordinator_group
    group, _ = Group.objects.get_or_create(name=f"Координаторы: {municipality.name}"[:150])
    group.permissions.add(permission("wagtailadmin", "access_admin"))
    Municipality.objects.filter(pk=municipality.pk).update(coordinator_group=group)
    municipality.coordinator_group = group
    return group


@transaction.atomic
def provision_organisation(organisation):
    """Give an organisation its page, staff group and collection (idempotent)."""
    page = SchoolPage.objects.filter(organisation=organisation).first()
    if page is None:
        # Live from the start with the registry facts only; no revision is needed until the
        # school's first edit, which keeps a registry import of 2,000 rows fast.
        page = SchoolPage(
            organisation=organisation,
            title=organisation.name,
            slug=school_page_slug(organisation),
            live=True,
            has_unpublished_changes=False,
        )
        get_school_index().add_child(instance=page)
    elif page.title != organisation.name:
        # The registry renamed it: update the live title without publishing any pending
        # draft of the school (SchoolPage.save keeps the title in step with the registry).
        page.save(update_fields=["title", "draft_title"])

    label = f"{organisation.short_name or organisation.name} ({organisation.code})"
    updates = {}
    if organisation.collection_id is None:
        updates["collection"] = append_collection(Collection.get_first_root_node(), label[:255])
    if organisation.staff_group_id is None:
        group = Group.objects.create(name=f"Сотрудники: {label}"[:150])
        group.permissions.add(permission("wagtailadmin", "access_admin"))
        GroupPagePermission.objects.create(
            group=group, page=page, permission=permission("wagtailcore", "change_page")
        )
        updates["staff_group"] = group
    if updates:
        Organisation.objects.filter(pk=organisation.pk).update(
            **{f"{name}_id": value.pk for name, value in updates.items()}
        )
        for name, value in updates.items():
            setattr(organisation, name, value)
        grant_collection_permissions(organisation.staff_group, organisation.collection)
    ensure_coordinator_group(organisation.municipality)
    return page


def append_collection(parent, name):
    """A child collection of ``parent``, appended after its siblings.

    Wagtail keeps collections sorted by name (treebeard ``node_order_by``), so a sorted insert
    rewrites the path of every later sibling: in a region of 2,000 schools that was about a
    hundred UPDATEs per new school and most of a registry import's time. Appending costs one
    INSERT; collections then list in the order they were created.
    """
    parent = Collection.objects.select_for_update().get(pk=parent.pk)
    last = parent.get_last_child()
    depth = parent.depth + 1
    path = last._inc_path() if last else Collection._get_path(parent.path, depth, 1)
    collection = Collection(name=name, path=path, depth=depth, numchild=0)
    collection.save()
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + 1)
    return collection


def grant_collection_permissions(group, collection):
    granted = set(
        GroupCollectionPermission.objects.filter(group=group, collection=collection).values_list(
            "permission_id", flat=True
        )
    )
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission=perm)
        for perm in permissions(STAFF_COLLECTION_PERMISSIONS)
        if perm.pk not in granted
    )


def organisation_of(user):
    """The organisation whose staff ``user`` belongs to, or None. The one place where the
    portal decides which school a login acts for."""
    if not user.is_authenticated:
        return None
    return Organisation.objects.filter(staff_group__in=user.groups.all()).first()


def add_staff_member(organisation, user):
    """Make ``user`` staff of ``organisation``: they may then edit only its page and files."""
    if organisation.staff_group_id is None:
        provision_organisation(organisation)
    user.groups.add(organisation.staff_group)
