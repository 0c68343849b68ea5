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


@register.simple_tag
def school_url(result):
    """The public page of a result's organisation ("" when it has none)."""
    page = getattr(result.organisation, "page", None)
    return page.url if page is not None and page.live else ""


@register.filter(name="short_label")
def short_label_filter(code):
    return short_label(code)


@register.inclusion_tag("results/includes/latest_ratings.html")
def latest_ratings():
    """The latest published year of each kind with its leaders and the region's mean, for the
    home page: the ratings one click from the first page a visitor sees."""
    rows = latest_by_kind()
    for row in rows:
        row["label"] = KIND_PLURALS[row["kind"]]
    return {"rows": rows}
