"""Finding published results by name, short name, address or municipality.

Which engine answers depends on the deployment, through Wagtail's search settings:

- Elasticsearch/OpenSearch (``ELASTICSEARCH_URL``): Wagtail's search API over the indexed
  published results (Russian analyser).
- PostgreSQL without Elasticsearch: a ``tsvector`` document per published result in the
  ``russian`` configuration with a GIN index, filled at publication. Wagtail's database
  backend answered a broad query («школа») over 50,000 organisations in 0.7 s, because its
  query joins every index entry by a text cast and cannot use its GIN indexes; this answers
  in tens of milliseconds (bench/README.md).
- SQLite (the demo and development): Wagtail's database backend.

Only results of a current published revision are ever indexed or given a document, so no
engine can return a draft (security.md case 17).

Every engine reads Russian the same way (core/search.py): the document holds the result's
normalised text too, and the query is asked as the same AND of lemmas and their alternatives.
"""

import logging

from django.db import connection
from django_tasks import task
from wagtail.search.backends import get_search_backend

from core import search as backend

from .models import RatingResult

logger = logging.getLogger(__name__)

# Short names weigh most, then full names and the normalised text (lemmas, abbreviations both
# ways; computed in Python and passed as two arrays), then address and municipality.
DOCUMENT_SQL = """
    UPDATE results_ratingresult AS result SET search_document =
        setweight(to_tsvector('russian', coalesce(result.short_name, '')), 'A')
        || setweight(to_tsvector('russian', coalesce(result.name, '')), 'B')
        || setweight(to_tsvector('russian', normalised.text), 'B')
        || setweight(to_tsvector('russian', coalesce(result.address, '') || ' '
                                 || coalesce(result.municipality_name, '')), 'C')
    FROM unnest(%s::bigint[], %s::text[]) AS normalised(id, text)
    WHERE result.id = normalised.id
"""
# Results given their documents per statement: bounds the arrays sent at once.
DOCUMENT_BATCH = 5_000


def search(results, query):
    """``results`` (a RatingResult queryset, already filtered and ordered) matching ``query``;
    the order is kept. Returns :class:`core.search.Found`."""
    if connection.vendor != "postgresql":
        return backend.search(results, query, order_by_relevance=False)

    def documents():
        from django.contrib.postgres.search import SearchQuery

        terms = backend.query_terms(query)
        if not terms:
            return results.none()
        return results.filter(
            search_document=SearchQuery(
                backend.as_tsquery(terms), config="russian", search_type="raw"
            )
        )

    if not backend.engine_is_external():
        return backend.Found(documents())
    # The documents are filled on PostgreSQL whatever the engine: they answer while it is down.
    return backend.search(results, query, order_by_relevance=False, fallback=documents)


def index_published(revision, superseded=()):
    """Make a newly published revision findable and forget the superseded one.

    On PostgreSQL the documents are filled at once (they answer whatever the engine), on SQLite
    the database backend is updated at once. A search server is updated by a background task:
    the worker's job, not the publishing request's (50,000 results take seconds to send)."""
    superseded_ids = [result.pk for result in superseded]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            _fill_documents(cursor, revision.pk)
            # Planner statistics after a bulk change: without them PostgreSQL chose a nested
            # loop over 50,000 rows and a search took minutes instead of milliseconds.
            cursor.execute("ANALYZE results_ratingresult")
    else:
        database = backend.FALLBACK_BACKEND if backend.engine_is_external() else "default"
        _update_backend(get_search_backend(database), revision.pk, superseded_ids)
    if backend.engine_is_external():
        update_search_engine.enqueue(revision.pk, superseded_ids)


def refill_current_documents():
    """Give every current published result its PostgreSQL document again, for a deployment
    upgraded from a version whose documents lacked what they hold now (migration 0014)."""
    if connection.vendor != "postgresql":
        return
    revision_ids = (
        RatingResult.objects.filter(is_current=True)
        .values_list("revision_id", flat=True)
        .distinct()
    )
    with connection.cursor() as cursor:
        for revision_id in list(revision_ids):
            _fill_documents(cursor, revision_id)


@task()
def update_search_engine(revision_id, superseded_ids):
    """Send a publication to the search server. When the server cannot take it, the
    publication stands, the database answers searches meanwhile, and ``manage.py
    update_index`` brings the server up to date once it is back."""
    search_backend = get_search_backend()
    try:
        _update_backend(search_backend, revision_id, superseded_ids)
    except Exception as error:
        if not search_backend.catch_indexing_errors:
            raise
        logger.warning(
            "Search engine not updated for revision %s (%s: %s); run update_index",
            revision_id,
            type(error).__name__,
            error,
        )


def _fill_documents(cursor, revision_id):
    published = RatingResult.objects.filter(revision_id=revision_id).only(
        "name", "short_name", "address", "municipality_name"
    )
    ids, texts = [], []
    for result in published.order_by("pk").iterator(chunk_size=DOCUMENT_BATCH):
        ids.append(result.pk)
        texts.append(result.normalised_text())
        if len(ids) == DOCUMENT_BATCH:
            cursor.execute(DOCUMENT_SQL, [ids, texts])
            ids, texts = [], []
    if ids:
        cursor.execute(DOCUMENT_SQL, [ids, texts])


def _update_backend(search_backend, revision_id, superseded_ids):
    for result in RatingResult.objects.filter(pk__in=superseded_ids):
        search_backend.delete(result)
    current = RatingResult.objects.filter(revision_id=revision_id, is_current=True)
    search_backend.add_bulk(RatingResult, list(current))
