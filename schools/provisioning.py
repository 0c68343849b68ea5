"""What happens around an organisation besides its registry row, in the portal.

Creating an organisation gives it a public profile page (published at once with the registry
data), a staff group that may change only that page, and a collection for its photos and
documents. Every school-scoped permission of the portal is granted here, in one place.
"""

import logging

from anyascii import anyascii
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)
from wagtail.search.backends import get_search_backends

from core.permissions import editors_group, permission, permissions
from registry.models import Municipality, Organisation

from .models import SchoolIndexPage, SchoolModerationTask, SchoolPage

logger = logging.getLogger(__name__)

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

    updates = {}
    if organisation.collection_id is None:
        updates["collection"] = append_collection(
            Collection.get_first_root_node(), collection_label(organisation)
        )
    if organisation.staff_group_id is None:
        group = Group.objects.create(name=staff_group_name(organisation))
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


def staff_group_name(organisation):
    return f"Сотрудники: {collection_label(organisation)}"[:150]


def collection_label(organisation):
    return f"{organisation.short_name or organisation.name} ({organisation.code})"[:255]


@transaction.atomic
def provision_organisations(organisations):
    """What ``provision_organisation`` does, for many new organisations in a few queries.

    Pages are inserted with tree paths computed here (appended after the directory's last
    child, as ``add_child`` would), so the tree stays valid (tested with treebeard's
    ``find_problems``); organisations that already have a page go through the one-by-one path.
    """
    # Rows rolled back since they were queued (a failed import) are left alone.
    existing = set(
        Organisation.objects.filter(pk__in=[o.pk for o in organisations if o.pk]).values_list(
            "pk", flat=True
        )
    )
    organisations = [o for o in organisations if o.pk in existing]
    if not organisations:
        return
    with_page = set(
        SchoolPage.objects.filter(organisation__in=organisations).values_list(
            "organisation_id", flat=True
        )
    )
    new = [o for o in organisations if o.pk not in with_page]
    for organisation in organisations:
        if organisation.pk in with_page:
            provision_organisation(organisation)
    if not new:
        return

    index = get_school_index()
    pages = insert_school_pages(index, new)
    collections = append_collections(Collection.get_first_root_node(), new)
    groups = create_staff_groups(new)

    access_admin = permission("wagtailadmin", "access_admin")
    change_page = permission("wagtailcore", "change_page")
    collection_permissions = permissions(STAFF_COLLECTION_PERMISSIONS)
    Group.permissions.through.objects.bulk_create(
        [Group.permissions.through(group=g, permission=access_admin) for g in groups.values()],
        ignore_conflicts=True,
    )
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group=groups[o.pk], page=pages[o.pk], permission=change_page)
            for o in new
        ],
        ignore_conflicts=True,
    )
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(
                group=groups[o.pk], collection=collections[o.pk], permission=perm
            )
            for o in new
            for perm in collection_permissions
        ],
        ignore_conflicts=True,
    )
    for organisation in new:
        organisation.collection = collections[organisation.pk]
        organisation.staff_group = groups[organisation.pk]
    # Small batches: each UPDATE's CASE is evaluated for every row of its batch.
    Organisation.objects.bulk_update(new, ["collection", "staff_group"], batch_size=100)
    for municipality in {o.municipality_id: o.municipality for o in new}.values():
        ensure_coordinator_group(municipality)
    index_pages(list(pages.values()))


def insert_school_pages(index, organisations):
    """Live profile pages for ``organisations`` under ``index``: {organisation id: page}.

    Django cannot bulk-create a multi-table-inherited model, so the ``Page`` rows are
    bulk-created first and the ``SchoolPage`` rows inserted after them with their ids.
    """
    index = Page.objects.select_for_update().get(pk=index.pk)
    last = index.get_last_child()
    depth = index.depth + 1
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    taken = set(index.get_children().values_list("slug", flat=True))
    content_type = ContentType.objects.get_for_model(SchoolPage)
    pages = []
    for number, organisation in enumerate(organisations, start=step + 1):
        slug = unique_slug(school_page_slug(organisation), taken)
        pages.append(
            SchoolPage(
                organisation=organisation,
                title=organisation.name,
                draft_title=organisation.name,
                slug=slug,
                url_path=f"{index.url_path}{slug}/",
                path=Page._get_path(index.path, depth, number),
                depth=depth,
                numchild=0,
                live=True,
                has_unpublished_changes=False,
                content_type=content_type,
                locale_id=index.locale_id,
            )
        )
    # Column values by attname: reading a foreign key by its name would fetch the related row.
    page_columns = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    created = Page.objects.bulk_create(
        [Page(**{name: getattr(page, name) for name in page_columns}) for page in pages],
        batch_size=500,
    )
    for page, row in zip(pages, created, strict=True):
        page.pk = page.id = page.page_ptr_id = row.pk
        page._state.adding = False
    SchoolPage._base_manager._insert(
        pages, fields=SchoolPage._meta.local_concrete_fields, using=SchoolPage.objects.db
    )
    Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + len(pages))
    return {page.organisation_id: page for page in pages}


def unique_slug(slug, taken):
    candidate, suffix = slug, 1
    while candidate in taken:
        suffix += 1
        candidate = f"{slug}-{suffix}"
    taken.add(candidate)
    return candidate


def append_collections(parent, organisations):
    """One collection per organisation, appended under ``parent``: {organisation id: collection}."""
    parent = Collection.objects.select_for_update().get(pk=parent.pk)
    last = parent.get_last_child()
    depth = parent.depth + 1
    step = Collection._str2int(last.path[-Collection.steplen :]) if last else 0
    collections = Collection.objects.bulk_create(
        [
            Collection(
                name=collection_label(organisation),
                path=Collection._get_path(parent.path, depth, number),
                depth=depth,
                numchild=0,
            )
            for number, organisation in enumerate(organisations, start=step + 1)
        ],
        batch_size=500,
    )
    Collection.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(collections))
    return {o.pk: c for o, c in zip(organisations, collections, strict=True)}


def create_staff_groups(organisations):
    """A staff group per organisation: {organisation id: group}. A group left by an earlier
    organisation with the same code and name is reused, as the one-by-one path would fail on."""
    names = {o.pk: staff_group_name(o) for o in organisations}
    existing = {g.name: g for g in Group.objects.filter(name__in=names.values())}
    missing = sorted(set(names.values()) - set(existing))
    for group in Group.objects.bulk_create([Group(name=name) for name in missing]):
        existing[group.name] = group
    return {pk: existing[name] for pk, name in names.items()}


def index_pages(pages):
    """Add new live pages to every auto-updated search backend in one call each, as their
    post-save signals would have one by one (and, like them, an unreachable external index is
    logged rather than failing the import; ``update_index`` catches it up)."""
    for backend in get_search_backends(with_auto_update=True):
        try:
            backend.add_bulk(SchoolPage, pages)
        except Exception:
            if not backend.catch_indexing_errors:
                raise
            logger.exception("Could not index %d new school pages", len(pages))


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


def add_staff_member(organisation, user):
    """Make ``user`` staff of ``organisation``: they may then edit only its page and files."""
    if organisation.staff_group_id is None:
        provision_organisation(organisation)
    user.groups.add(organisation.staff_group)
