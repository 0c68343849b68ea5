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

Every query is read as Russian first (:func:`query_terms`, core/russian_text.py): each word
becomes its lemma, and the words of every indexed model are reduced the same way into one
extra field (:func:`normalised_text`), so that «лицея», «сады», «Приозерском районе» or
«школа №5» match alike on SQLite, PostgreSQL and OpenSearch. Two more allowances come from the
vocabulary of what is indexed (:func:`vocabulary`, names registered with
:func:`register_vocabulary`): a word of five letters or more that names nothing is also read as
the indexed words one edit away from it («гимназея» → «гимназия»), and the last word as the
beginning of an indexed word, as when a visitor is still typing («гимн» → «гимназия»). The
engine then gets a plain AND of alternatives, which each of them answers the same way.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, models
from modelsearch.backends import get_search_backend
from modelsearch.backends.base import FieldError, FilterError
from modelsearch.index import RelatedFields, SearchField
from modelsearch.query import And, Or, PlainText
from rapidfuzz import process
from rapidfuzz.distance import OSA
from wagtail.search.queryset import SearchableQuerySetMixin

from core import russian_text
from core.breaker import CircuitBreaker
from core.memo import Memo

FALLBACK_BACKEND = "database"
# Longer queries are cut: nobody types more, and the search backends should never see 50 kB
# of input (security.md case 29).
MAX_QUERY_LENGTH = 200
NON_WORD = re.compile(r"[^\w]+")
breaker = CircuitBreaker("Search engine", lambda: settings.SEARCH_ENGINE_RETRY_SECONDS)

# One typo (an edit or two letters swapped) is forgiven in words this long; shorter words have
# too many neighbours («школа» and «школы» are one edit apart, and so are «сад» and «сан»).
TYPO_MIN_LENGTH = 5
# The last word is also read as the start of a longer indexed word from this many letters on.
PREFIX_MIN_LENGTH = 3
# At most this many indexed words stand in for one typed word.
MAX_ALTERNATIVES = 20
# The field every indexed model adds (normalised_text): its text in the normal form.
NORMALISED_FIELD = "normalised_text"
_vocabulary_sources = []
_vocabulary_memo = Memo("search vocabulary", max_entries=1)


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
    engine_query = as_engine_query(query_terms(query))
    if engine_query is None:
        # Only stop words or punctuation: nothing to look for, and no engine is asked.
        return Found(queryset.none())
    if not engine_is_external():
        return Found(queryset.search(engine_query, order_by_relevance=order_by_relevance))
    if fallback is None:

        def fallback():
            return queryset.search(
                engine_query, order_by_relevance=order_by_relevance, backend=FALLBACK_BACKEND
            )

    if breaker.is_open():
        return Found(fallback(), degraded=True)
    results = queryset.search(engine_query, order_by_relevance=order_by_relevance)
    try:
        results.count()
    except (DatabaseError, FieldError, FilterError):
        raise  # our own mistakes, not the engine's: they must fail loudly
    except Exception as error:  # the client's own errors differ per engine and version
        breaker.failed(error)
        return Found(fallback(), degraded=True)
    breaker.succeeded()
    return Found(results)


def query_terms(query):
    """``query`` as the engines are asked it: a tuple per word, of the indexed words that may
    stand for it (its lemma first). ``()`` when no word is left."""
    words = russian_text.words(query)
    if not words:
        return ()
    known = vocabulary()
    terms = []
    for position, (typed, lemma) in enumerate(words):
        alternatives = [lemma]
        if lemma not in known.lemmas and not typed.isdigit() and len(typed) >= TYPO_MIN_LENGTH:
            alternatives += known.one_edit_from(typed, lemma)
        if position == len(words) - 1 and not typed.isdigit() and len(typed) >= PREFIX_MIN_LENGTH:
            alternatives += known.starting_with(typed)
        terms.append(tuple(dict.fromkeys(alternatives))[:MAX_ALTERNATIVES])
    return tuple(terms)


def as_engine_query(terms):
    """Wagtail's query for :func:`query_terms`: every word, each as any of its alternatives."""
    if not terms:
        return None
    words = [
        Or([PlainText(item) for item in word]) if len(word) > 1 else PlainText(word[0])
        for word in terms
    ]
    return And(words) if len(words) > 1 else words[0]


def matches(terms, text):
    """Whether ``text`` answers :func:`query_terms`: every word found, as any of its
    alternatives, among the words of ``text`` in the normal form. For the few fixed entries no
    engine indexes (the ratings pages, which are Django views rather than Wagtail pages)."""
    indexed = set(russian_text.index_text(text).split())
    return bool(terms) and all(indexed.intersection(word) for word in terms)


def as_tsquery(terms):
    """The same query as PostgreSQL ``to_tsquery`` text (the words are letters and digits
    only, so nothing in them is syntax)."""
    return " & ".join("(" + " | ".join(word) + ")" for word in terms)


@dataclass(frozen=True)
class Vocabulary:
    """The words of what is indexed: lemmas, and how each was written."""

    lemmas: frozenset
    written: dict  # folded word as written → its lemma

    @classmethod
    def of(cls, texts):
        written = {}
        for text in texts:
            for typed, lemma in russian_text.vocabulary_pairs(text):
                written.setdefault(typed, lemma)
                written.setdefault(lemma, lemma)
        return cls(frozenset(written.values()), written)

    def one_edit_from(self, typed, lemma):
        """Lemmas of indexed words one edit (or one swap of neighbours) from the word as
        typed or from its lemma: «гимназея» → «гимназия»."""
        found = []
        for word in dict.fromkeys((typed, lemma)):
            matches = process.extract(
                word, self.written.keys(), scorer=OSA.distance, score_cutoff=1, limit=None
            )
            found += sorted(self.written[match] for match, _distance, _key in matches)
        return found

    def starting_with(self, typed):
        """Lemmas of indexed words that begin with ``typed``, shortest first."""
        matches = sorted((word for word in self.written if word.startswith(typed)), key=len)
        return [self.written[word] for word in matches]


def register_vocabulary(source):
    """Add ``source`` (no arguments, returns an iterable of texts, e.g. a ``values_list``) to
    the vocabulary typos and unfinished words are matched against. Called by the apps that
    own what is searched (``ready()``)."""
    if source not in _vocabulary_sources:
        _vocabulary_sources.append(source)


def vocabulary():
    """The :class:`Vocabulary` of every registered source, remembered per process for
    ``PROCESS_MEMO_SECONDS`` (a new name is matched exactly at once, and forgiven typos
    within that bound)."""

    def build():
        texts = []
        for source in _vocabulary_sources:
            for row in source():
                texts.extend(row if isinstance(row, tuple) else (row,))
        return Vocabulary.of(texts)

    return _vocabulary_memo.get("all", build, seconds=settings.PROCESS_MEMO_SECONDS)


def searchable_texts(obj, search_fields=None):
    """The text of every ``SearchField`` of ``obj`` (related ones too), but the normalised
    field itself."""
    texts = []
    for field in obj.get_search_fields() if search_fields is None else search_fields:
        if isinstance(field, SearchField) and field.field_name != NORMALISED_FIELD:
            value = field.get_value(obj)
            texts.extend(value if isinstance(value, list) else [value])
        elif isinstance(field, RelatedFields):
            related = field.get_value(obj)
            if isinstance(related, models.Manager):
                related = list(related.all())
            for item in related if isinstance(related, list) else [related]:
                if item is not None:
                    texts.extend(searchable_texts(item, field.fields))
    return [str(text) for text in texts if text]


def normalised_text(obj):
    """The search fields of ``obj`` once more in the normal form (core/russian_text.py).

    An indexed model returns it from a method named ``NORMALISED_FIELD``, indexed as
    ``index.SearchField(NORMALISED_FIELD)``; the method is defined on the model itself, not on
    a mixin, because OpenSearch names a field after the model class that defines it."""
    return russian_text.index_text(*searchable_texts(obj))


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
