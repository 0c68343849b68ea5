"""When the search engine is down, slow or unreachable, the site stays up and searches still answer.

Each test points the portal at an engine that cannot answer (a closed port, or a server that
accepts connections and never replies), whatever backend the run itself uses. The last test
needs the real node (CI's OpenSearch run): what was published during an outage is found
once ``update_index`` has run.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from core import breaker as breaker_module
from core import search as backend
from home.tests.factories import ContentPageFactory, site_home_page
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from schools.models import SchoolPage
from tests.servers import closed_port

breaker_time = breaker_module.time

pytestmark = [pytest.mark.search, pytest.mark.django_db]
YEAR = 2025
NOTICE = "Поиск сейчас работает в упрощённом режиме"


def engine_settings(url, timeout=1):
    """The portal's settings with ``url`` as its OpenSearch node (see cms/settings/base.py)."""
    return override_settings(
        ELASTICSEARCH_URL=url,
        WAGTAILSEARCH_BACKENDS={
            "default": {
                "BACKEND": "modelsearch.backends.opensearch2",
                "URLS": [url],
                "INDEX_PREFIX": "noko_fault_",
                "TIMEOUT": timeout,
                "OPTIONS": {"max_retries": 0, "retry_on_timeout": False},
            },
            "database": settings.DATABASE_SEARCH,
        },
    )


def region():
    """A school with its page, a methodology page and a published year, made while the
    engine is unreachable: every save and the publication must still succeed."""
    home = site_home_page()
    ContentPageFactory(parent=home, title="Методика оценки", intro="Показатели и формулы")
    school = OrganisationFactory(
        name="МАОУ «Гимназия № 7 имени Пушкина»",
        short_name="Гимназия № 7",
        municipality=MunicipalityFactory(name="Городской округ Приозёрск"),
    )
    AssessmentInputFactory(year=YEAR, organisation=school)
    compute_year(YEAR)
    publish_year(YEAR)
    return school


def directory_url(school):
    return SchoolPage.objects.get(organisation=school).get_parent().url


def test_a_closed_port_leaves_every_search_answered_from_the_database(client):
    with engine_settings(f"http://127.0.0.1:{closed_port()}"):
        school = region()
        assert client.get("/").status_code == 200  # the home page carries a search box

        site = client.get(reverse("search"), {"q": "Гимназия"})
        assert site.status_code == 200
        assert "«Гимназия № 7 имени Пушкина»" in site.content.decode()
        assert NOTICE in site.content.decode()
        pages = client.get(reverse("search"), {"q": "Методика", "scope": "pages"})
        assert "Методика оценки" in pages.content.decode()

        directory = client.get(directory_url(school), {"q": "Гимназия"})
        assert directory.status_code == 200
        assert "Гимназия № 7" in directory.content.decode()
        assert NOTICE in directory.content.decode()

        ratings = client.get(reverse("ratings"), {"q": "Гимназия"})
        assert ratings.status_code == 200
        assert [r.short_name for r in ratings.context["results_page"].object_list] == [
            "Гимназия № 7"
        ]
        assert NOTICE in ratings.content.decode()
        # A makeshift answer is kept by no cache, unlike the ordinary public listing.
        assert "no-cache" in ratings["Cache-Control"] or "max-age=0" in ratings["Cache-Control"]

        api = client.get(reverse("ratings_api"), {"q": "Гимназия"})
        assert api.status_code == 200
        body = api.json()
        assert [r["short_name"] for r in body["results"]] == ["Гимназия № 7"]
        assert NOTICE in body["notice"]


def test_a_silent_node_costs_one_timeout_then_is_left_alone(
    client, silent_server, caplog, monkeypatch
):
    with engine_settings(f"http://127.0.0.1:{closed_port()}"):
        region()
    with engine_settings(silent_server.url, timeout=1):
        first = client.get(reverse("search"), {"q": "Гимназия", "scope": "organisations"})
        second = client.get(reverse("ratings"), {"q": "Гимназия"})
        third = client.get(reverse("ratings_api"), {"q": "Гимназия"})
        assert [r.status_code for r in (first, second, third)] == [200, 200, 200]
        assert "Гимназия № 7" in first.content.decode()
        assert NOTICE in second.content.decode() and NOTICE in third.json()["notice"]
        # Only the first search waited for the node; the others went straight to the
        # database, and the outage was logged once, without a traceback.
        assert len(silent_server.connections) == 1
        outage_lines = [r for r in caplog.records if "did not answer" in r.getMessage()]
        assert len(outage_lines) == 1 and outage_lines[0].exc_info is None

        # Once the retry interval has passed, the node is asked again.
        later = breaker_time.monotonic() + settings.SEARCH_ENGINE_RETRY_SECONDS + 1
        monkeypatch.setattr(breaker_time, "monotonic", lambda: later)
        again = client.get(reverse("search"), {"q": "Гимназия", "scope": "organisations"})
        assert again.status_code == 200 and NOTICE in again.content.decode()
        assert len(silent_server.connections) == 2


@pytest.mark.skipif(not settings.ELASTICSEARCH_URL, reason="needs the OpenSearch node")
def test_what_was_published_during_an_outage_is_found_after_update_index(client):
    with engine_settings(f"http://127.0.0.1:{closed_port()}"):
        region()
    # The node is back: update_index brings it up to date with what it missed.
    call_command("update_index", verbosity=0)
    backend.breaker.reset()
    ratings = client.get(reverse("ratings"), {"q": "Гимназия"})
    assert [r.short_name for r in ratings.context["results_page"].object_list] == ["Гимназия № 7"]
    assert NOTICE not in ratings.content.decode()
    site = client.get(reverse("search"), {"q": "Методика", "scope": "pages"})
    assert "Методика оценки" in site.content.decode() and NOTICE not in site.content.decode()


@pytest.mark.skipif(not settings.ELASTICSEARCH_URL, reason="needs the OpenSearch node")
def test_a_publication_reaches_the_engine_through_the_task_worker(client):
    from django_tasks import task_backends

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    ):
        region()
        queued = list(task_backends["default"].results)
    # The publishing request only queued the work; until a worker runs it the engine has
    # nothing to find, and says so honestly (no notice: it answered).
    searched = client.get(reverse("ratings"), {"q": "Гимназия"})
    assert list(searched.context["results_page"].object_list) == []
    assert NOTICE not in searched.content.decode()
    names = {result.task.name for result in queued}
    assert "update_search_engine" in names
    for result in queued:  # what `manage.py db_worker` does
        result.task.call(*result.args, **result.kwargs)
    searched = client.get(reverse("ratings"), {"q": "Гимназия"})
    assert [r.short_name for r in searched.context["results_page"].object_list] == ["Гимназия № 7"]
