"""Admin integration of the registry, and the trimmed admin that school staff see."""

from wagtail import hooks

from .services import organisation_of
from .viewsets import RegistryViewSetGroup

# Menu entries school staff keep: their page, their photos and documents.
STAFF_MENU_ITEMS = {"explorer", "images", "documents"}


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryViewSetGroup()


def is_school_staff_only(user):
    """A school login that is nothing more: editors who are also in a school group keep the
    full admin."""
    return (
        not user.is_superuser
        and not user.has_perm("schools.change_organisation")
        and organisation_of(user) is not None
    )


@hooks.register("construct_main_menu")
def trim_menu_for_school_staff(request, menu_items):
    if is_school_staff_only(request.user):
        menu_items[:] = [item for item in menu_items if item.name in STAFF_MENU_ITEMS]


@hooks.register("construct_homepage_panels")
def trim_dashboard_for_school_staff(request, panels):
    # The site summary counts every page and file of the portal; a school needs its own.
    if is_school_staff_only(request.user):
        panels[:] = [panel for panel in panels if panel.name != "site_summary"]
