"""Moving models between apps keeps every row.

Municipalities and organisations moved from `schools` to `registry` (state-only migrations and
relabelled content types). This test takes a database built by the code before the move —
the demo region as `load_demo` made it, with one school's change waiting in moderation
(`tests/fixtures/demo_before_layers.sqlite3.gz`, responses trimmed to 300 to keep it small) —
puts its rows into the test database at the old migration state, migrates forward, and checks
that pages, revisions, permissions, workflows and the registry itself all survived.

It runs on SQLite and on PostgreSQL: the rows are copied through the historical models of the
old state, so the same fixture serves both.
"""

import gzip
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import GroupPagePermission, Page, Revision, WorkflowState

from core.migration_helpers import EDITORS_GROUP_NAME
from registry.models import Municipality, Organisation
from schools.models import SchoolPage
from surveys.models import Response

BEFORE = Path(__file__).parent / "fixtures" / "demo_before_layers.sqlite3.gz"
BEFORE_ALIAS = "before_layers"
# Every app's last migration before the move; `registry` and the apps after it did not
# exist yet.
STATE_BEFORE = [
    ("schools", "0004_names_without_control_characters"),
    ("surveys", "0004_organised_session_review"),
    ("monitoring", "0002_editor_permissions"),
    ("results", "0009_inputs_fillfactor"),
    ("registry", None),
    ("accountability", None),
    ("outputs", None),
    ("notifications", None),
]

# Derived data that `update_index` rebuilds, with backend-specific tables (SQLite FTS).
REBUILT = {"wagtailsearch"}

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def open_before(tmp_path):
    """The fixture database as a second connection (removed again by ``close_before``)."""
    path = tmp_path / "before.sqlite3"
    with gzip.open(BEFORE) as packed, open(path, "wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    configured = connections.configure_settings(
        {
            "default": connections.settings["default"],
            BEFORE_ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)},
        }
    )
    connections.settings[BEFORE_ALIAS] = configured[BEFORE_ALIAS]
    before = connections[BEFORE_ALIAS]
    # Connected here, not lazily: the test case refuses lazy connections to aliases it does
    # not manage, and this one is only read.
    before.connect()
    return before


def close_before():
    if BEFORE_ALIAS in connections.settings:
        connections[BEFORE_ALIAS].close()
        del connections[BEFORE_ALIAS]
        del connections.settings[BEFORE_ALIAS]


def copy_rows(old_apps):
    """Every row of the fixture into the (emptied) test database, model by model of the old
    state. Foreign keys are checked at commit (Django creates them deferrable), so the order
    of the tables does not matter."""
    copied = {}
    with transaction.atomic():
        for model in old_apps.get_models(include_auto_created=True):
            if model._meta.proxy or not model._meta.managed or model._meta.app_label in REBUILT:
                continue
            # Each model's own table only (pages inherit across tables), through the fields'
            # own conversions on the way out and in.
            fields = model._meta.local_concrete_fields
            rows = model._base_manager.using(BEFORE_ALIAS).values_list(
                *[field.attname for field in fields]
            )
            params = [
                [
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(fields, row, strict=True)
                ]
                for row in rows
            ]
            if params:
                quote = connection.ops.quote_name
                sql = "INSERT INTO {} ({}) VALUES ({})".format(
                    quote(model._meta.db_table),
                    ", ".join(quote(field.column) for field in fields),
                    ", ".join(["%s"] * len(fields)),
                )
                with connection.cursor() as cursor:
                    cursor.executemany(sql, params)
            copied[model._meta.db_table] = len(params)
    models = [m for m in old_apps.get_models(include_auto_created=True) if m._meta.managed]
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    return copied


def nodes_before(graph):
    """Every app's last migration, with the moved apps at their state before the move."""
    before = dict(STATE_BEFORE)
    nodes = [(app, before.get(app, name)) for app, name in graph.leaf_nodes()]
    return [node for node in nodes if node[1] is not None]


@pytest.fixture
def migrated_from_before(tmp_path):
    executor = MigrationExecutor(connection)
    executor.migrate(STATE_BEFORE)
    old_apps = executor.loader.project_state(nodes_before(executor.loader.graph)).apps
    # Empty, without post_migrate: it would create content types of the current models.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    open_before(tmp_path)
    try:
        copied = copy_rows(old_apps)
    finally:
        close_before()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    yield copied
    ContentType.objects.clear_cache()


def test_the_demo_region_survives_the_move_of_the_registry(migrated_from_before):
    # One test, not three: each migration round trip costs about 20 seconds.
    copied = migrated_from_before
    rows_are_kept(copied)
    permissions_follow_the_models_to_the_registry()
    school_staff_keep_their_page_and_its_moderation()


def rows_are_kept(copied):
    assert Municipality.objects.count() == copied["schools_municipality"] > 0
    assert Organisation.objects.count() == copied["schools_organisation"] > 0
    assert SchoolPage.objects.count() == copied["schools_schoolpage"]
    assert Page.objects.count() == copied["wagtailcore_page"]
    assert Revision.objects.count() == copied["wagtailcore_revision"]
    assert GroupPagePermission.objects.count() == copied["wagtailcore_grouppagepermission"]
    assert Response.objects.count() == copied["surveys_response"] == 300
    # Every school page still points at its organisation.
    assert not SchoolPage.objects.filter(organisation__isnull=True).exists()
    assert all(page.title == page.organisation.name for page in SchoolPage.objects.all()[:20])


def permissions_follow_the_models_to_the_registry():
    assert not ContentType.objects.filter(app_label="schools", model="organisation").exists()
    registry_type = ContentType.objects.get(app_label="registry", model="organisation")
    assert registry_type.model_class() is Organisation
    editors = Group.objects.get(name=EDITORS_GROUP_NAME)
    assert editors.permissions.filter(
        content_type=registry_type, codename="change_organisation"
    ).exists()
    # No second set of permission rows appeared beside the relabelled ones.
    assert Permission.objects.filter(codename="change_organisation").count() == 1
    admin = get_user_model().objects.filter(is_superuser=True).first()
    assert admin.has_perm("registry.change_organisation")


def school_staff_keep_their_page_and_its_moderation():
    state = WorkflowState.objects.get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    page = SchoolPage.objects.get(pk=int(state.object_id))
    staff = state.requested_by
    assert staff.groups.filter(pk=page.organisation.staff_group_id).exists()
    assert page.permissions_for_user(staff).can_edit()
    assert not staff.has_perm("registry.change_organisation")
    other = SchoolPage.objects.exclude(pk=page.pk).first()
    assert not other.permissions_for_user(staff).can_edit()
    # The change under review is still there, unpublished.
    draft = page.get_latest_revision_as_object()
    assert "Правка, ожидающая модерации" in draft.about
    assert "Правка, ожидающая модерации" not in (page.about or "")
    assert page.current_workflow_state == state
