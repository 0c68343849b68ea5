from django import template

from results.indicators import short_label

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
