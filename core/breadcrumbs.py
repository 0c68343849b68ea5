"""Breadcrumbs of the public pages: the trail from the home page to the page being read.

cms/templates/base.html shows one on every page but the home page, through the shared include
cms/templates/includes/breadcrumbs.html (a ``<nav>`` with an ordered list, the current page
marked ``aria-current="page"``). A Wagtail page's trail is built from its ancestors
(``page_trail``); a view that is not a page passes its own as ``breadcrumbs`` in the context
(``trail``)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from wagtail.models import Page

from core.page_queries import cached_ancestors


@dataclass(frozen=True)
class Crumb:
    title: str
    # None for the current page, which is named but not linked.
    url: str | None = None


def home():
    return Crumb(_("Главная"), "/")


def trail(*links, current):
    """Home, then ``links`` as (title, url), then the current page's title."""
    return [home(), *(Crumb(str(title), url) for title, url in links), Crumb(str(current))]


def page_trail(page, *links, current=None):
    """The trail of a Wagtail page: home, the ancestors below it, then the page itself, or,
    for a view inside the page (a routable page's sub-route), the page as a link followed by
    ``links`` and ``current``."""
    # The page being served holds its ancestors from routing (core/page_queries.py).
    above = cached_ancestors(page, down_to_depth=3)
    if above is None:
        above = page.get_ancestors().filter(depth__gt=2)
    ancestors = [Crumb(ancestor.title, ancestor.url) for ancestor in above]
    if current is None:
        return [home(), *ancestors, Crumb(page.title)]
    return trail(
        *((crumb.title, crumb.url) for crumb in ancestors),
        (page.title, page.url),
        *links,
        current=current,
    )


def breadcrumbs_for(page, given=None):
    """What base.html shows: the trail a view gave, else a Wagtail page's own below the home
    page, else nothing (the home page, pages that are neither)."""
    if given:
        return given
    if isinstance(page, Page) and page.depth > 2:
        return page_trail(page)
    return []
