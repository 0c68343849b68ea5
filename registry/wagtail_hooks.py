"""The registry in the admin: its viewsets, and the import and export screens."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.admin import PermissionMenuItem

from . import assessment_views, import_views
from .models import REGISTRY_PERMISSION
from .viewsets import RegistryViewSetGroup


@hooks.register("register_admin_viewset")
def register_registry_viewsets():
    return RegistryViewSetGroup()


@hooks.register("register_admin_urls")
def register_registry_exchange_urls():
    urls = [
        path("import/", import_views.import_view, name="import"),
        path("import/confirm/", import_views.confirm_view, name="confirm"),
        path("export/", import_views.export_view, name="export"),
    ]
    return [path("registry/", include((urls, "registry_exchange"), namespace="registry_exchange"))]


@hooks.register("register_admin_menu_item")
def register_registry_import_menu_item():
    return PermissionMenuItem(
        _("Импорт реестра"),
        reverse("registry_exchange:import"),
        name="registry-import",
        icon_name="upload",
        order=201,  # right after «Реестр»
        check=lambda user: user.has_perms(import_views.IMPORT_PERMISSIONS),
    )


@hooks.register("register_admin_urls")
def register_assessment_list_urls():
    urls = [
        path("", assessment_views.list_view, name="list"),
        path("<int:year>/export.csv", assessment_views.export_view, name="export"),
    ]
    return [
        path(
            "assessment-list/",
            include((urls, "registry_assessment"), namespace="registry_assessment"),
        )
    ]


@hooks.register("register_admin_menu_item")
def register_assessment_list_menu_item():
    return PermissionMenuItem(
        _("Перечень для оценки"),
        reverse("registry_assessment:list"),
        name="assessment-list",
        icon_name="list-ul",
        order=202,  # after «Реестр» and «Импорт реестра»
        check=lambda user: user.has_perm(REGISTRY_PERMISSION),
    )
