"""The one place a search query meets a search engine, and what happens when it does not answer.

Every search box of the portal (site search, the school directory, the ratings and the API, the
admin's staff list) asks through :func:`search`. With the default settings the engine is
Wagtail's database backend and this module only passes the query on. With ``ELASTICSEARCH_URL``
the engine is OpenSearch (or Elasticsearch); the database backend is then kept up to date beside
it (``WAGTAILSEARCH_BACKENDS["database"]``), so that when the node is down, slow or unreachable a
search still answers from the database and says so, instead of failing the page.

A failed engine is left alone for ``SEARCH_ENGINE_RETRY_SECONDS`` in this process (a circuit
breaker, core/breaker.py): a node that accepts connections but never answers would otherwise cost
every search its full timeout. One log line marks the start of an outage and one its end, not a
traceback per search.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, models
from modelsearch.backends import get_search_backend
from modelsearch.backends.base import FieldError, FilterError
from wagtail.search.queryset import SearchableQuerySetMixin

from core.breaker import CircuitBreaker

FALLBACK_BACKEND = "database"
# Longer queries are cut: nobody types more, and the search backends should never see 50 kB
# of input (security.md case 29).
MAX_QUERY_LENGTH = 200
NON_WORD = re.compile(r"[^\w]+")
breaker = CircuitBreaker("Search engine", lambda: settings.SEARCH_ENGINE_RETRY_SECONDS)


@dataclass(frozen=True)
class Found:
    """Search results ready to paginate, and whether they came from the fallback."""

    results: object
    degraded: bool = False


def engine_is_external():
    """True when the default backend is a search server rather than the database: modelsearch
    marks those as the backends whose indexing errors must not fail a save."""
    return get_search_backend().catch_indexing_errors


def search(queryset, query, *, order_by_relevance=True, fallback=None):
    """``queryset`` filtered by ``query`` through the configured engine.

    ``fallback`` (no arguments, returns results) answers when the engine does not; by default
    the same query on the database backend. The engine is asked for the count at once, so that a
    failure shows here rather than in the middle of rendering a page; Wagtail keeps that count
    for the paginator."""
    if not engine_is_external():
        return Found(queryset.search(query, order_by_relevance=order_by_relevance))
    if fallback is None:

        def fallback():
            return queryset.search(
                query, order_by_relevance=order_by_relevance, backend=FALLBACK_BACKEND
            )

    if breaker.is_open():
        return Found(fallback(), degraded=True)
    results = queryset.search(query, order_by_relevance=order_by_relevance)
    try:
        results.count()
    except (DatabaseError, FieldError, FilterError):
        raise  # our own mistakes, not the engine's: they must fail loudly
    except Exception as error:  # the client's own errors differ per engine and version
        breaker.failed(error)
        return Found(fallback(), degraded=True)
    breaker.succeeded()
    return Found(results)


def clean_query(raw):
    """Words only: punctuation means nothing to a visitor here, but quotes, brackets and
    operators are syntax to SQLite FTS5 and would turn a typo into a database error."""
    return " ".join(NON_WORD.sub(" ", raw or "").split())[:MAX_QUERY_LENGTH].strip()


class SearchableQuerySet(SearchableQuerySetMixin, models.QuerySet):
    """QuerySet with ``.search()``, as Wagtail gives pages."""

    def search_ids(self, query):
        """Primary keys of matching rows, for filtering another queryset by relation, as
        :class:`Found` (``degraded`` when the database answered instead)."""
        found = search(self, query, order_by_relevance=False)
        return Found([obj.pk for obj in found.results], found.degraded)
