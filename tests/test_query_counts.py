"""Every public page type reads the database a fixed number of times, however many
organisations the region has (issue #19: no N+1 queries).

Each page is counted with a region of N organisations and again after 2N more join it
(registry rows, school pages, a recomputed and republished year), and the two counts must be
equal; a ceiling per page catches a page that grows by other means. Counted after one
warm-up request, as a running server would serve it (per-process memory and Wagtail's site
root paths already filled), with the cache a page cache would keep switched off by clearing
it before each request.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accountability.tests.factories import ShortcomingFactory
from home.tests.factories import ContentPageFactory, NewsIndexPageFactory, NewsPageFactory
from registry.tests.factories import MunicipalityFactory
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from schools.models import SchoolPage
from surveys.tests.factories import CampaignFactory

YEAR = 2025
FEW = 4

# What each page reads today: a page above its ceiling reads more than it did when this was
# written, so look at why before raising it. The Wagtail pages and the menu every page shows
# read through core/page_queries.py (its restrictions, ancestors and routing in fewer
# queries), the site and the menu from core/site_memo.py (none once remembered); the school
# page's result card and follow-up share what they already read.
CEILINGS = {
    "home": 8,
    "content page": 6,
    "news": 8,
    "school page": 14,
    "ratings": 8,
    "ratings year": 7,
    "compare": 8,
    "year": 10,  # the count per kind that decides which kinds are inline; plans in one pass
    "api": 3,
}


def add_organisations(municipalities, count):
    """``count`` organisations with inputs for the year (each gets its page and, as the
    region's shortcomings derivation would, one shortcoming), spread over the
    municipalities."""
    rows = [
        AssessmentInputFactory(organisation__municipality=municipalities[n % len(municipalities)])
        for n in range(count)
    ]
    for row in rows:
        ShortcomingFactory(organisation=row.organisation)
    return [row.organisation for row in rows]


def publish():
    compute_year(YEAR)
    publish_year(YEAR, change_note="Пересчёт")


@pytest.fixture
def region(home_page):
    content = ContentPageFactory(parent=home_page, title="Методика")
    news_index = NewsIndexPageFactory(parent=home_page)
    news = [NewsPageFactory(parent=news_index) for _ in range(3)]
    municipalities = [MunicipalityFactory(), MunicipalityFactory()]
    organisations = add_organisations(municipalities, FEW)
    publish()
    CampaignFactory()
    return {
        "content": content,
        "news": news[0],
        "municipalities": municipalities,
        "organisations": organisations,
    }


def urls(region):
    first, second = region["organisations"][:2]
    return {
        "home": "/",
        "content page": region["content"].url,
        "news": region["news"].url,
        # During the campaign: the page carries the questionnaires.
        "school page": SchoolPage.objects.get(organisation=first).url,
        "ratings": f"/ratings/?year={YEAR}",
        "ratings year": f"/ratings/{YEAR}/",
        "compare": f"/ratings/compare/?year={YEAR}&org={first.code}&org={second.code}",
        "year": f"/year/{YEAR}/",
        "api": f"/api/v1/ratings/?year={YEAR}",
    }


def counted(client, url):
    client.get(url)  # warm-up: what a running process already holds
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(CEILINGS))
def test_a_page_reads_the_database_as_often_for_three_times_the_organisations(client, region, page):
    few = counted(client, urls(region)[page])
    region["organisations"] += add_organisations(region["municipalities"], 2 * FEW)
    publish()
    many = counted(client, urls(region)[page])

    assert many == few, f"{page}: {few} queries with {FEW} organisations, {many} with {3 * FEW}"
    assert many <= CEILINGS[page], f"{page}: {many} queries"


@pytest.mark.django_db
def test_the_lists_being_counted_do_show_every_organisation(client, region):
    """The counts above mean something only if the pages list what was added."""
    region["organisations"] += add_organisations(region["municipalities"], 2 * FEW)
    publish()
    year_page = client.get(f"/ratings/{YEAR}/").text
    api = client.get(f"/api/v1/ratings/?year={YEAR}").json()
    for organisation in region["organisations"]:
        page_url = SchoolPage.objects.get(organisation=organisation).url
        assert f'href="{page_url}"' in year_page
    assert api["count"] == 3 * FEW
