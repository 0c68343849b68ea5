"""Admin integration: the parts' admin URLs; each part registers its own menu items."""

from wagtail import hooks

from .urls import PARTS


@hooks.register("register_admin_urls")
def register_outputs_admin_urls():
    return [pattern for part in PARTS for pattern in part.admin_urlpatterns]
