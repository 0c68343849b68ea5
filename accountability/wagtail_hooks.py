"""Admin integration: the parts' admin URLs and viewsets, and one submenu «Итоги оценки»
that each part adds its screens to with the hook "register_accountability_menu_item"."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from .urls import PARTS

MENU_HOOK = "register_accountability_menu_item"


@hooks.register("register_admin_urls")
def register_accountability_admin_urls():
    return [pattern for part in PARTS for pattern in part.admin_urlpatterns]


@hooks.register("register_admin_viewset")
def register_accountability_viewsets():
    return [viewset for part in PARTS for viewset in part.viewsets()]


@hooks.register("register_admin_menu_item")
def register_accountability_menu():
    return SubmenuMenuItem(
        _("Итоги оценки"),
        Menu(register_hook_name=MENU_HOOK),
        icon_name="tasks",
        name="accountability",
        order=270,
    )


@hooks.register("after_publish_ratings")
def year_page(revision):
    """The year's page shows its results: a front-end cache drops it on publication."""
    return [reverse("accountability_years"), reverse("accountability_year", args=[revision.year])]
