"""Pagination of public lists and admin tables."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator


def paginate(request, object_list, per_page):
    """A page of ``object_list`` for ``?page=``; junk or out-of-range numbers give the
    nearest valid page instead of an error (security.md case 29)."""
    paginator = Paginator(object_list, per_page)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(raw if len(raw) <= 6 else paginator.num_pages)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)
