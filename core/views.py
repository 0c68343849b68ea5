"""Decorators that say who a view is for, and so how it may be cached."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache

from .page_cache import mark_public


def signed_in_view(view):
    """Login required; private, never cached (the pages carry a CSRF token and own data)."""

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "wagtailadmin_login")
        return view(request, *args, **kwargs)

    return wrapped


def public_view(view):
    """Public and identical for everyone: the page cache, browsers and a front-end cache may
    keep it (core/page_cache.py sets the headers). Not a response flagged ``search_degraded``
    (an answer given while the search engine was down): that one is kept by nobody."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(response, "search_degraded", False):
            add_never_cache_headers(response)
        else:
            mark_public(response)
        return response

    return cached_view
