"""Wagtail hooks of the shared layer: every page served to the public is declared public
for the page cache (core/page_cache.py), routed sub-pages included."""

from wagtail import hooks

from .page_cache import mark_public


@hooks.register("before_serve_page", order=-1)
def remember_view_restrictions(page, request, args, kwargs):
    # Wagtail's access check (next in line) and the page cache's (below) both ask for the
    # restrictions of the page being served: one queryset on this page object for this
    # request, so its results, read by the first, answer the second without a query.
    # Cleared first: the page object may outlive the request (the site's root page is
    # remembered per process, core/site_memo.py) and must not answer from an earlier one.
    page._serving_view_restrictions = None
    page._serving_view_restrictions = page.get_view_restrictions()


@hooks.register("on_serve_page")
def public_pages(serve):
    def serve_public(page, request, args, kwargs):
        response = serve(page, request, args, kwargs)
        # A page behind a password or sign-in is nobody's to keep, whoever opens it.
        if not page.get_view_restrictions().exists():
            mark_public(response)
        return response

    return serve_public
