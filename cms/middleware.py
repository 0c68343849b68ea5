"""Request-level guards that must act before a view reads anything."""

import errno
import logging

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class RequestSizeLimitMiddleware:
    """Refuse oversized bodies from their Content-Length header, before a 200 MB upload is
    read and spooled to disk only to be rejected by a form (security.md case 20)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.MAX_REQUEST_BODY_SIZE

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(status=400)
        if length > self.limit:
            return HttpResponse(
                _("Слишком большой запрос: файл больше допустимого размера."),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class StorageFullMiddleware:
    """A full disk during an upload gets a clear page, not a traceback.

    Files are written before their database row, so a failed write leaves no row pointing at
    a missing file (security.md case 23)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OSError) and exception.errno in (errno.ENOSPC, errno.EDQUOT):
            logger.error("Storage is full: %s", exception)
            return HttpResponse(render_to_string("storage_full.html", request=request), status=507)
        return None
