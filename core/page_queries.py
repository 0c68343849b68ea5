"""Cheaper versions of a few Wagtail page queries that every public request makes (issue #19:
a school page under 40 ms, the home page under 25 ms, rendered without a cache).

Each function gives the same answer as the Wagtail call it replaces, in fewer queries:

- :func:`public`: Wagtail's ``PageQuerySet.public()`` first reads every view restriction
  and then filters; here the restrictions are a ``NOT EXISTS`` inside the one query.
- :func:`cached_ancestors`: Wagtail's routing leaves each page it walks through on the child
  it found (treebeard's ``_cached_parent_obj``, which ``get_parent()`` reads), so the page
  being served already holds its ancestors; the breadcrumbs and the view restrictions read
  them from there instead of asking the database.
- :func:`view_restrictions`: Wagtail's ``Page.get_view_restrictions()`` reads the ancestors
  (to follow aliases to their source) and then their restrictions; with the ancestors in
  hand and none an alias it is one query.
- :class:`OneChildTypeRouting`: Wagtail's ``Page.route()`` reads a child as a plain page and
  then again as its specific type (and the page then reads its related rows one by one); a
  parent whose children are all of one type reads the child once, with what it brings along.

Nothing is remembered beyond the request: every answer still comes from the database.
"""

from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from django.http import Http404
from wagtail.models import Page, PageViewRestriction

# treebeard's name for the parent it keeps on a node; Wagtail's Page.route() sets it.
_CACHED_PARENT = "_cached_parent_obj"


def public(pages):
    """``pages`` without those in a private section (a page with a view restriction and
    everything below it), like ``pages.public()`` but in the same query."""
    restricted_above = PageViewRestriction.objects.filter(
        StartsWith(OuterRef("path"), F("page__path"))
    )
    return pages.exclude(Exists(restricted_above))


def cached_ancestors(page, down_to_depth):
    """The ancestors of ``page`` from ``down_to_depth`` up to its parent, top first, as
    routing left them on the page; None when one of them is not there (a page fetched by
    other means), so the caller asks the database as before."""
    ancestors = []
    current = page
    while current.depth > down_to_depth:
        current = getattr(current, _CACHED_PARENT, None)
        if current is None:
            return None
        ancestors.append(current)
    ancestors.reverse()
    return ancestors


def view_restrictions(page):
    """The view restrictions that apply to ``page`` (its own and its ancestors'), as
    ``page.get_view_restrictions()`` returns them."""
    # The root (depth 1) is never an alias; every page below it must be known not to be one,
    # or its source's restrictions would apply instead.
    ancestors = cached_ancestors(page, down_to_depth=2)
    if ancestors is None or any(item.alias_of_id for item in [*ancestors, page]):
        return Page.get_view_restrictions(page)
    steplen = Page.steplen
    paths = [page.path[: steplen * depth] for depth in range(1, page.depth + 1)]
    return PageViewRestriction.objects.filter(page__path__in=paths)


class OneChildTypeRouting:
    """Routing to the children of a page whose ``subpage_types`` is one type: each child is
    read in one query from :meth:`child_pages` instead of Wagtail's two. Put it after
    ``RoutablePageMixin`` in the bases, so the page's own sub-routes are tried first."""

    def child_pages(self):
        """The queryset the children are read from (their specific type, with the rows the
        child's page shows selected along)."""
        raise NotImplementedError

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        try:
            child = self.child_pages().child_of(self).get(slug=path_components[0])
        except Page.DoesNotExist as missing:
            raise Http404 from missing
        # As Wagtail's Page.route() does: the child's get_parent() is then this page.
        setattr(child, _CACHED_PARENT, self)
        return child.route(request, path_components[1:])
