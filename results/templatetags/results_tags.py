from django import template

from registry.kinds import KIND_PLURALS
from results.indicators import short_label
from results.queries import latest_by_kind

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def get_attr(obj, name):
    return getattr(obj, name, None)


@register.simple_tag(takes_context=True)
def school_url(context, result):
    """The public page of a result's organisation ("" when it has none). Lists fetch the
    page with the result (``select_related("organisation__page")``); the request lets Wagtail
    read the site's root paths once per request instead of from the cache per row."""
    page = getattr(result.organisation, "page", None)
    if page is None or not page.live:
        return ""
    return page.get_url(context.get("request"))


@register.filter(name="short_label")
def short_label_filter(code):
    return short_label(code)


@register.inclusion_tag("results/includes/latest_ratings.html", takes_context=True)
def latest_ratings(context):
    """The latest published year of each kind with its leaders and the region's mean, for the
    home page: the ratings one click from the first page a visitor sees."""
    rows = latest_by_kind()
    for row in rows:
        row["label"] = KIND_PLURALS[row["kind"]]
    return {"rows": rows, "request": context.get("request")}
