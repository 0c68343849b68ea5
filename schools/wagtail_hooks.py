"""Admin integration of the registry, and the trimmed admin that school staff see."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import (
    admin_views,
    import_views,  # noqa: F401 — registers the registry import/export screens
)
from .services import organisation_of
from .viewsets import RegistryViewSetGroup

# Menu entries school staff keep: their page, their photos and documents.
STAFF_MENU_ITEMS = {"cabinet", "explorer", "images", "documents", "surveys"}


@hooks.register("register_admin_urls")
def register_school_admin_urls():
    return [
        path("school-staff/", admin_views.staff_index, name="schools_staff_index"),
        path("school-staff/<int:pk>/", admin_views.staff_detail, name="schools_staff_detail"),
        path(
            "my-municipality/",
            admin_views.municipality_overview,
            name="schools_municipality_overview",
        ),
    ]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check

    def is_shown(self, request):
        return self.check(request.user)


@hooks.register("register_admin_menu_item")
def register_staff_menu_item():
    return PermissionMenuItem(
        _("Сотрудники школ"),
        reverse("schools_staff_index"),
        name="school-staff",
        icon_name="group",
        order=210,
        check=lambda user: user.has_perm(admin_views.STAFF_PERMISSION),
    )


@hooks.register("register_admin_menu_item")
def register_municipality_menu_item():
    return PermissionMenuItem(
        _("Мой муниципалитет"),
        reverse("schools_municipality_overview"),
        name="my-municipality",
        icon_name="site",
        order=150,
        check=lambda user: admin_views.coordinated_municipalities(user).exists(),
    )


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
