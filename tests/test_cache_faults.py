"""A cache that accepts connections and never answers (security.md cases 31 and 34): the site
stays up, one timeout is paid per process and outage, then the cache is left alone, and the
outage is logged once rather than as a traceback per cache call."""

import pytest
from django.test import override_settings

from core import breaker as breaker_module
from core.cache import redis_cache
from home.tests.factories import site_home_page
from registry.tests.factories import OrganisationFactory
from schools.models import SchoolPage
from surveys import services
from surveys.models import Response
from surveys.tests.factories import CampaignFactory
from surveys.tests.test_questionnaire import answers

pytestmark = pytest.mark.django_db


@override_settings(SURVEY_MIN_FILL_SECONDS=0)
def test_a_silent_cache_costs_one_timeout_then_is_left_alone(
    client, silent_server, caplog, monkeypatch
):
    site_home_page()
    school = OrganisationFactory(name="МБОУ «Школа № 5»")
    CampaignFactory()
    directory = SchoolPage.objects.get(organisation=school).get_parent().url
    questionnaire = f"/survey/{school.code}/parents/"
    services.daily_keys.forget()

    silent = redis_cache(f"redis://127.0.0.1:{silent_server.port}/0")
    # The page cache on, in the same silent Redis: it too is left alone after one timeout.
    with override_settings(CACHES={"default": silent, "pages": silent}, PAGE_CACHE_ENABLED=True):
        pages = [client.get(url) for url in ("/", directory, "/ratings/", questionnaire)]
        token = pages[-1].context["form"]["form_token"].value()
        submitted = client.post(questionnaire, {**answers(), "form_token": token})
        assert [page.status_code for page in pages] == [200, 200, 200, 200]
        assert submitted.status_code == 302
        # Without the cache's duplicate control the answer is kept, held for review.
        assert Response.objects.get().status == "flagged"

        # One connection was tried; every later cache call of every page skipped the cache.
        assert len(silent_server.connections) == 1
        lines = [r for r in caplog.records if "did not answer" in r.getMessage()]
        assert len(lines) == 1 and lines[0].exc_info is None
        assert not [r for r in caplog.records if r.exc_info]

        # After the retry interval the cache is asked again.
        later = breaker_module.time.monotonic() + 60
        monkeypatch.setattr(breaker_module.time, "monotonic", lambda: later)
        assert client.get("/").status_code == 200
        assert len(silent_server.connections) == 2
