from django import template
from wagtail.models import Site

from core.breadcrumbs import breadcrumbs_for
from core.site_memo import menu_pages

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    current_page = context.get("page")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": [], "home": None}
    root = site.root_page
    current_path = getattr(current_page, "path", "")
    items = [
        {
            "page": item,
            "current": current_page is not None and item.pk == current_page.pk,
            # A section stays highlighted while the visitor is anywhere inside it.
            "in_section": bool(current_path) and current_path.startswith(item.path),
        }
        # Remembered per process (core/site_memo.py): one query when it changes.
        for item in menu_pages(root)
    ]
    return {
        # The menu's links that are not pages (the ratings) are marked current by the path.
        "request": request,
        "items": items,
        "home": root,
        "home_current": current_page is not None and current_page.pk == root.pk,
    }


@register.simple_tag
def breadcrumb_trail(page=None, given=None):
    """The trail base.html shows (core/breadcrumbs.py)."""
    return breadcrumbs_for(page, given)
