"""Admin integration of the registry, and the trimmed admin that school staff see."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.permissions import permission_policy as document_policy
from wagtail.images import get_image_model
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.permissions import permission_policy as image_policy
from wagtail.images.views.chooser import ImageSelectFormatView

from core.admin import PermissionMenuItem
from registry.access import coordinated_municipalities, organisation_of
from registry.models import REGISTRY_PERMISSION

from . import admin_views

# A school's files stay the school's (schools/file_scope.py): the admin API and the image
# chooser's format step list or show only files the user may choose.
CHOOSING = ["choose"]


def choosable_images(user):
    return image_policy.instances_user_has_any_permission_for(user, CHOOSING)


def choosable_documents(user):
    return document_policy.instances_user_has_any_permission_for(user, CHOOSING)


class ScopedImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable_images(self.request.user))


class ScopedDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable_documents(self.request.user))


class ScopedImageSelectFormatView(ImageSelectFormatView):
    """The image chooser's format step, for images the user may choose only."""

    model = get_image_model()

    def dispatch(self, request, image_id, *args, **kwargs):
        image = get_object_or_404(self.model, id=image_id)
        if not image_policy.user_has_permission_for_instance(request.user, "choose", image):
            raise PermissionDenied
        return super().dispatch(request, image_id, *args, **kwargs)


@hooks.register("construct_admin_api", order=1)  # after Wagtail's own endpoints
def scope_admin_api_to_choosable_files(router):
    router.register_endpoint("images", ScopedImagesAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAPIViewSet)


# Menu entries school staff keep: their page, their photos and documents.
STAFF_MENU_ITEMS = {"cabinet", "explorer", "images", "documents", "surveys", "survey-paper"}


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
        # Shadows Wagtail's own route of the same path: hooks of this app come first.
        path(
            "images/chooser/<int:image_id>/select_format/",
            ScopedImageSelectFormatView.as_view(),
            name="schools_image_select_format",
        ),
    ]


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
        check=lambda user: coordinated_municipalities(user).exists(),
    )


def is_school_staff_only(user):
    """A school login that is nothing more: editors who are also in a school group keep the
    full admin."""
    return (
        not user.is_superuser
        and not user.has_perm(REGISTRY_PERMISSION)
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
