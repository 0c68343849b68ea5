"""Admin integration of ratings: viewsets, publication and inputs import screens."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from core.admin import PermissionMenuItem

from . import admin_views
from .viewsets import RatingsViewSetGroup


@hooks.register("register_admin_viewset")
def register_ratings_viewsets():
    return RatingsViewSetGroup()


@hooks.register("register_admin_urls")
def register_ratings_admin_urls():
    return [
        path("ratings-publication/", admin_views.publication_index, name="results_publication"),
        path(
            "ratings-publication/<int:year>/compute/",
            admin_views.compute_view,
            name="results_compute",
        ),
        path(
            "ratings-publication/<int:year>/publish/",
            admin_views.publish_view,
            name="results_publish",
        ),
        path(
            "ratings-inputs/import/", admin_views.inputs_import_view, name="results_inputs_import"
        ),
        path(
            "ratings-inputs/import/confirm/",
            admin_views.inputs_confirm_view,
            name="results_inputs_import_confirm",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_publication_menu_item():
    return PermissionMenuItem(
        _("Расчёт и публикация"),
        reverse("results_publication"),
        icon_name="upload",
        order=260,
        check=lambda user: user.has_perm(admin_views.PUBLISH_PERMISSION),
    )
