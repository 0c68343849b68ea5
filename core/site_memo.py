"""What every public page reads of the site's structure, remembered per process: the Wagtail
Site a request belongs to and the pages of the main menu.

Both were read from the database on every render (2.3 ms and 2.4 ms of a 25 ms home page,
bench/README.md) and change only when an editor changes a site, a page or a view
restriction. A save, delete or move of one of those in this process forgets them at once
(``forget_on_structure_change``, connected in CoreConfig.ready); another server's change
reaches this one when the page cache's generation moves (core/page_cache.py forgets every
memo then) or, for requests that do not look at the page cache (a signed-in editor), within
PROCESS_MEMO_SECONDS.
"""

import contextlib

from django.conf import settings
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from .memo import Memo, forget_all
from .page_queries import public

sites = Memo("Wagtail sites by host", max_entries=1_000)
menus = Memo("main menu pages", max_entries=100)


def remembered_site(request):
    """``Site.find_for_request`` from the memo: the same lookup, once per host and port."""
    hostname = split_domain_port(request._get_raw_host())[0]
    return sites.get(
        (hostname, request.get_port()),
        lambda: Site._find_for_request(request),
        settings.PROCESS_MEMO_SECONDS,
    )


def menu_pages(root):
    """The live, public pages under ``root`` shown in menus, in the tree's order."""
    return menus.get(
        root.pk,
        lambda: list(public(root.get_children().live().in_menu())),
        settings.PROCESS_MEMO_SECONDS,
    )


class RememberedSiteMiddleware:
    """Gives the request its Site from the memo, where Wagtail (``Site.find_for_request``)
    looks for one it has already found."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Only a shortcut: with the database down, a request that needs no site (/healthz/
        # answering 503) must not fail here; one that does fails in Wagtail's own lookup as
        # it would have.
        with contextlib.suppress(Exception):
            request._wagtail_site = remembered_site(request)
        return self.get_response(request)


STRUCTURE = (Page, Site, PageViewRestriction)


def forget_on_structure_change(sender, instance=None, **kwargs):
    """A signal receiver: a site, page or view restriction changed."""
    if instance is None or isinstance(instance, STRUCTURE):
        forget_all()
