"""Project-level views: health check and the visually-impaired switch."""

from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .accessibility import COOKIE_MAX_AGE, COOKIE_NAME, AccessibilityPreferences


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise; for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def accessibility_switch(request):
    """Store the visitor's display preferences and go back to the page they came from.

    A plain GET link, so the switch works without JavaScript and without a CSRF cookie on
    cacheable public pages; it changes nothing but a display-preference cookie.
    """
    preferences = AccessibilityPreferences.from_request(request).updated(request.GET)
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        COOKIE_NAME,
        preferences.to_cookie(),
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
