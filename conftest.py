"""Project-wide pytest fixtures, and how parallel runs share the tests out."""

import pytest
from xdist.scheduler import LoadScopeScheduling

# Fault-test servers (silent_server) for every app's tests.
pytest_plugins = ["tests.servers"]


# --- Parallel runs -----------------------------------------------------------------------
# `make test` runs the suite on pytest-xdist workers with `--dist loadscope`, which sends a
# TestCase class's tests, or a module's test functions, to one worker together: class data is
# built once, and the tests of surveys/tests/test_redis_counters.py, which empty one Redis
# database, never overlap. Two of xdist's choices are undone here. pytest-django runs the
# transactional tests (live servers, migrations) last, because they empty the database when
# they end and a TestCase after them would miss the rows the migrations made; xdist would send
# a module's transactional tests along with its others, and the largest units first. So a unit
# here is a run of consecutive tests of one scope in pytest-django's order, and units go out
# in that order, to every worker.


class DjangoOrderScheduling(LoadScopeScheduling):
    def __init__(self, config, log=None):
        super().__init__(config, log)
        config.option.loadscopereorder = False
        self.units = {}

    def schedule(self):
        if not self.units and self.collection_is_completed:
            self.units = units_in_order(next(iter(self.registered_collections.values())))
        super().schedule()

    def _split_scope(self, nodeid):
        return self.units[nodeid]


def units_in_order(collection):
    """{node id: its unit}, a unit being a run of consecutive tests of one loadscope scope."""
    units, previous, run = {}, None, 0
    for nodeid in collection:
        scope = nodeid.rsplit("::", 1)[0]
        if scope != previous:
            run, previous = run + 1, scope
        units[nodeid] = f"{run}:{scope}"
    return units


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") == "loadscope":
        return DjangoOrderScheduling(config, log)
    return None


@pytest.fixture
def home_page(db):
    from home.tests.factories import site_home_page

    return site_home_page()


@pytest.fixture(autouse=True)
def forget_process_memos():
    """Test transactions roll back without signals: drop what the process remembers, what
    its circuit breakers learnt from another test's broken service, and the cache (ids
    repeat across rolled-back tests, so an answer cached under one would leak into the next
    test)."""
    from django.core.cache import cache, caches

    from core.cache import breaker as cache_breaker
    from core.memo import forget_all
    from core.search import breaker as search_breaker

    def forget():
        forget_all()
        cache.clear()
        caches["pages"].clear()
        cache_breaker.reset()
        search_breaker.reset()

    forget()
    yield
    forget()


# --- Search on a real OpenSearch node -----------------------------------------------------
# With ELASTICSEARCH_URL set (CI's third run, `pytest -m search`), searches go to the node.
# An index is near-real-time and outlives each test's rolled-back transaction, so here every
# write to it is refreshed at once, and what a test (or a TestCase class) indexed is deleted
# when it ends.


def _search_engine():
    from django.conf import settings

    if not settings.ELASTICSEARCH_URL:
        return None
    from wagtail.search.backends import get_search_backend

    return get_search_backend()


def _forget_indexed_documents(engine):
    # Delete-by-query is the reindex module's, which a plain node lacks: list, then delete.
    from opensearchpy.helpers import bulk

    hits = engine.es.search(
        index=f"{engine.index_prefix}*",
        body={"query": {"match_all": {}}, "_source": False},
        size=10_000,
    )["hits"]["hits"]
    deletions = [{"_op_type": "delete", "_index": h["_index"], "_id": h["_id"]} for h in hits]
    if deletions:
        bulk(engine.es, deletions, refresh=True)


@pytest.fixture(scope="session", autouse=True)
def search_engine_indexes(django_db_setup, django_db_blocker):
    import os

    from django.core.management import call_command
    from modelsearch.backends.elasticsearchbase import ElasticsearchBaseIndex

    engine = _search_engine()
    if engine is None:
        yield None
        return
    try:
        engine.es.info()
    except Exception as error:
        if os.environ.get("REQUIRE_OPENSEARCH") == "1":
            pytest.exit(f"REQUIRE_OPENSEARCH=1 but the search node does not answer: {error}", 2)
        yield None
        return
    # Fresh indexes with the portal's mappings (what `update_index` does on a deployment).
    engine.es.indices.delete(index=f"{engine.index_prefix}*")
    with django_db_blocker.unblock():
        call_command("update_index", backend_name="default", schema_only=True, verbosity=0)

    def refreshed(write):
        def write_and_refresh(index, *args, **kwargs):
            result = write(index, *args, **kwargs)
            index.refresh()
            return result

        return write_and_refresh

    with pytest.MonkeyPatch.context() as patch:
        for name in ("add_item", "add_items", "delete_item"):
            patch.setattr(
                ElasticsearchBaseIndex, name, refreshed(getattr(ElasticsearchBaseIndex, name))
            )
        yield engine


@pytest.fixture(scope="class", autouse=True)
def search_index_per_class(request, search_engine_indexes):
    yield
    if search_engine_indexes is not None and request.cls is not None:
        _forget_indexed_documents(search_engine_indexes)


@pytest.fixture(autouse=True)
def search_index_per_test(request, search_engine_indexes):
    yield
    if search_engine_indexes is not None and request.cls is None:
        _forget_indexed_documents(search_engine_indexes)
