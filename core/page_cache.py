"""The page cache: whole public pages kept for anonymous visitors in the shared cache.

What is kept. Only responses a view declared public (``mark_public``: every Wagtail page
without view restrictions through the ``on_serve_page`` hook in core/wagtail_hooks.py, the
ratings and follow-up views through ``core.views.public_view``), answered 200 to a GET from a
visitor without a session or pending messages, carrying no cookie and nothing
``private``/``no-store``/``no-cache``, and not a search (``q``: its answer comes from an index
that follows the database later, so no write would invalidate it; it is sent
``private, max-age=0`` like the site search). A page
is keyed by scheme, host, path, the query string with its parameters sorted, and the
*variant* of the visitor (``PAGE_CACHE_VARIANT``: the visually-impaired preferences, read
from their cookie and normalised, so that garbage in the cookie does not split the cache).

Invalidation: one generation. Every entry carries the generation it was rendered under and
is served only while that is still the current one. Any write to a table that can show on a
public page (every table except ``PAGE_CACHE_UNWATCHED``) replaces the generation, right
after the statement and again after its transaction commits (a page rendered meanwhile from
the old rows stays unreachable). This is watched at the SQL level (a database execute
wrapper), so bulk updates, imports, provisioning, publication, settings, menus (pages), moving
and deleting are all caught without a list of signals to keep up to date; the price is that
one change empties the whole page cache, which is cheap next to being wrong: a change is an
editor's act, a page is re-rendered once per generation.

Time: what changes with the clock alone (a campaign opening at 9:00, a date-based list at
midnight) has no write to bump the generation. Every entry, and the ``max-age``/``s-maxage``
sent with it, is cut at the next such moment (``register_moments``; the next local midnight
always), and for ``PROCESS_MEMO_SECONDS`` after it, while processes may still answer from
what they remembered before the moment.

A process that finds a generation other than the one it last saw forgets its memos
(core/memo.py), so that what it renders under the new generation is never older than the
change that made it.

``PAGE_CACHE_ENABLED`` switches the keeping off (the headers stay); ``clear()`` (the
``clear_page_cache`` command) makes every kept page stale on every server at once.
"""

import contextlib
import hashlib
import logging
import re
import secrets
import time
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.functional import SimpleLazyObject
from django.utils.module_loading import import_string

from .memo import Memo, forget_all

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "page-cache:generation"
# The entry format's version is in the key: entries an older release kept (compressed) are
# never replayed by this one.
KEY_PREFIX = "page-cache:2:page:"
PUBLIC_ATTRIBUTE = "page_cache_public"
HIT_HEADER = "X-Page-Cache"
# Request headers a kept page may vary on: Cookie stands for the variant (the key has it);
# the site speaks one language, so Accept-Language (LocaleMiddleware) changes nothing.
KNOWN_VARY = {"cookie", "accept-language"}


def mark_public(response):
    """Declare ``response`` the same for every anonymous visitor: it may be kept here and by
    browsers and proxies (if nothing in it turns out personal, see ``shareable``)."""
    setattr(response, PUBLIC_ATTRIBUTE, True)
    return response


def page_cache():
    """The ``pages`` cache, or the default one where the settings define no such alias."""
    return caches[CACHE_ALIAS if CACHE_ALIAS in settings.CACHES else "default"]


# --- Generation --------------------------------------------------------------------------


def bump():
    """Make every kept page stale, on every server sharing the cache."""
    try:
        page_cache().set(GENERATION_KEY, secrets.token_hex(8), None)
    except Exception:
        # The cache being down is not a reason to refuse an editor's change; entries expire
        # after PAGE_CACHE_SECONDS whatever happens.
        logger.warning("The page cache could not be invalidated", exc_info=True)


clear = bump


def current_generation():
    """The generation now, creating the first one; None when the cache does not answer."""
    cache = page_cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, secrets.token_hex(8), None)
        generation = cache.get(GENERATION_KEY)
    return generation


# --- Writes ------------------------------------------------------------------------------

WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+["`]?(\w+)', re.IGNORECASE)
READ = re.compile(r"\s*(?:SELECT|SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT|SET|SHOW|PRAGMA)\b", re.I)


def _unwatched_tables():
    tables = set(settings.PAGE_CACHE_UNWATCHED_TABLES)
    for label in settings.PAGE_CACHE_UNWATCHED:
        with contextlib.suppress(LookupError):  # an app this deployment leaves out
            tables.add(apps.get_model(label)._meta.db_table)
    return frozenset(tables)


unwatched_tables = SimpleLazyObject(_unwatched_tables)


def is_watched_write(sql):
    """True when ``sql`` may change what a public page shows."""
    if not isinstance(sql, str):
        return True  # composed SQL we cannot read: assume the worst
    match = WRITE.match(sql)
    if match is None:
        # Reads, transaction control; anything else unknown (DDL, COPY) counts as a change.
        return READ.match(sql) is None
    return match.group(1) not in unwatched_tables


def watch_writes(execute, sql, params, many, context):
    """A database execute wrapper: a write the public can see bumps the generation."""
    result = execute(sql, params, many, context)
    if is_watched_write(sql):
        changed(context["connection"])
    return result


def changed(connection):
    bump()
    if connection.in_atomic_block and not any(
        func is bump for _sids, func, _robust in connection.run_on_commit
    ):
        # Again once the rows are visible to others: a page rendered between the first bump
        # and the commit read the old rows and must not stay reachable.
        connection.on_commit(bump, robust=True)


def watch_connection(connection, **kwargs):
    """Install ``watch_writes`` on a database connection (a ``connection_created`` receiver)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


# --- Moments -----------------------------------------------------------------------------

_moment_sources = []
moments_memo = Memo("page cache moments")


def register_moments(source):
    """``source()`` returns the datetimes at which public pages change without a write (a
    campaign opening or closing): no entry outlives the next of them."""
    _moment_sources.append(source)
    return source


def _moments():
    return sorted(moment.timestamp() for source in _moment_sources for moment in source())


def seconds_fresh(generation, now=None):
    """How long a page rendered now may be kept: up to the next moment (or the next local
    midnight), and only PROCESS_MEMO_SECONDS at a time just after one."""
    now = time.time() if now is None else now
    local = timezone.localtime(timezone.now())
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    limit = midnight.timestamp() - now
    memo_seconds = settings.PROCESS_MEMO_SECONDS
    for moment in moments_memo.get(generation, _moments, memo_seconds):
        if moment > now:
            limit = min(limit, moment - now)
            break
        if moment + memo_seconds > now:
            limit = min(limit, moment + memo_seconds - now)
    return max(0, int(limit))


# --- Middleware --------------------------------------------------------------------------


def _no_variant(request):
    return ""


class PageCacheMiddleware:
    """Answers anonymous GETs from the page cache, keeps what may be kept, and sends every
    public page with ``public, max-age, s-maxage`` and ``Vary: Cookie``.

    Placed before the session, CSRF and message middleware: a hit is answered without them
    (none of them adds anything to a public page), and a miss is judged with everything they
    added (a cookie set by any of them keeps the page out)."""

    last_generation = None

    def __init__(self, get_response):
        self.get_response = get_response
        variant = settings.PAGE_CACHE_VARIANT
        self.variant = import_string(variant) if variant else _no_variant
        self.skip_paths = tuple(settings.PAGE_CACHE_SKIP_PATHS)

    def __call__(self, request):
        key = generation = None
        if settings.PAGE_CACHE_ENABLED and self.may_answer(request):
            key = self.key(request)
        if key is not None:
            generation, entry = self.lookup(key)
            if entry is not None and entry[0] == generation:
                return self.replay(entry)
        response = self.get_response(request)
        if getattr(response, PUBLIC_ATTRIBUTE, False):
            self.finish_public(request, response, key, generation)
        return response

    # What may come from the cache, under which key.

    @staticmethod
    def anonymous(request):
        """No session (signed in, or a password-protected page opened) and no pending
        messages: the visitor sees what everyone sees."""
        cookies = request.COOKIES
        return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies

    def may_answer(self, request):
        return (
            request.method == "GET"
            # First: static files pass through here too and should cost nothing.
            and not request.path.startswith(self.skip_paths)
            and self.anonymous(request)
            and not searching(request)
        )

    def key(self, request):
        try:
            host = request.get_host()
        except DisallowedHost:
            return None
        query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), True)))
        address = f"{request.scheme}://{host}{request.path}?{query}#{self.variant(request)}"
        return KEY_PREFIX + hashlib.sha256(address.encode()).hexdigest()

    def lookup(self, key):
        try:
            # One round trip for both (Redis MGET): on a hit this is the only time the
            # request waits for another process.
            found = page_cache().get_many([GENERATION_KEY, key])
            generation, entry = found.get(GENERATION_KEY), found.get(key)
            if generation is None:
                generation, entry = current_generation(), None
        except Exception:
            logger.warning("The page cache does not answer", exc_info=True)
            return None, None
        if generation is not None and generation != PageCacheMiddleware.last_generation:
            if PageCacheMiddleware.last_generation is not None:
                # Something changed since this process last looked: what it remembers (the
                # open campaigns, organisations) may predate the change.
                forget_all()
            PageCacheMiddleware.last_generation = generation
        return generation, entry

    def replay(self, entry):
        _generation, status, headers, content, fresh_until = entry
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response.headers[name] = value
        seconds = max(0, int(fresh_until - time.time()))
        public_headers(response, seconds)
        response.headers[HIT_HEADER] = "hit"
        return response

    # What a public response becomes.

    def finish_public(self, request, response, key, generation):
        if searching(request):
            # Answered from a search index, which follows the database later (a task, a
            # node's refresh): no write would tell the cache that the answer changed. And
            # what a visitor searched for is theirs (as on /search/).
            if "Cache-Control" not in response:
                patch_cache_control(response, private=True, max_age=0)
            return
        if not shareable(request, response):
            if "Cache-Control" not in response:
                # Declared public, but personal this time (a signed-in editor, a cookie).
                patch_cache_control(response, private=True, no_store=True)
            return
        seconds = seconds_fresh(generation)
        public_headers(response, seconds)
        keep = min(seconds, settings.PAGE_CACHE_SECONDS)
        if key is None or generation is None or keep <= 0:
            return
        entry = (
            generation,
            response.status_code,
            [(name, value) for name, value in response.items() if name != "Cache-Control"],
            # Uncompressed: decompressing took a third of a hit's time (150 us for a 56 KB
            # school page); Redis keeps only what was asked for in PAGE_CACHE_SECONDS.
            response.content,
            time.time() + seconds,
        )
        try:
            page_cache().set(key, entry, keep)
        except Exception:
            logger.warning("The page cache could not keep a page", exc_info=True)
            return
        response.headers[HIT_HEADER] = "miss"


def searching(request):
    """True when the request asks a search (a non-empty ``q``)."""
    return bool(request.GET.get("q", "").strip())


def shareable(request, response):
    """True when nothing in this answer belongs to the visitor who asked."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not PageCacheMiddleware.anonymous(request) or getattr(request, "is_preview", False):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {item.strip().lower() for item in response.get("Vary", "").split(",") if item.strip()}
    return vary <= KNOWN_VARY


def public_headers(response, seconds):
    """``public`` for ``PUBLIC_MAX_AGE`` (browsers) and ``PUBLIC_S_MAXAGE`` (proxies), never
    past ``seconds``; ``Vary: Cookie`` only (the visually-impaired preferences and the
    signed-in state live in cookies; a proxy that keys on the ``a11y`` cookie and passes
    session holders through may ignore it, README.md)."""
    if "Cache-Control" in response:
        del response.headers["Cache-Control"]
    patch_cache_control(
        response,
        public=True,
        max_age=min(settings.PUBLIC_MAX_AGE, seconds),
        s_maxage=min(settings.PUBLIC_S_MAXAGE, seconds),
    )
    if "Vary" in response:
        del response.headers["Vary"]
    patch_vary_headers(response, ["Cookie"])
