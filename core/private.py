"""Pages for signed-in people only: never cached, sign-in asked for otherwise."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.views.decorators.cache import never_cache


def signed_in_view(view):
    """Login required; private, never cached (the pages carry a CSRF token and own data)."""

    @never_cache
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "wagtailadmin_login")
        return view(request, *args, **kwargs)

    return wrapped
