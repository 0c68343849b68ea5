"""Every public page but the home page says where it sits: a breadcrumb trail from the home
page (core/breadcrumbs.py, cms/templates/includes/breadcrumbs.html), the current page named
and marked, the pages above it linked."""

import re

import pytest

from accountability.tests.factories_plans import publish
from home.tests.factories import ContentPageFactory, site_home_page
from registry.tests.factories import OrganisationFactory
from schools.models import SchoolPage

pytestmark = pytest.mark.django_db

NAV = re.compile(
    r'<nav class="breadcrumbs" aria-label="Навигационная цепочка">\s*<ol>(.*?)</ol>', re.S
)
ITEM = re.compile(r'<li( aria-current="page")?>(?:<a href="([^"]*)">)?(.*?)(?:</a>)?</li>', re.S)


def trail(client, url):
    """[(title, link or None, is current)] of the page's breadcrumbs; [] when it has none."""
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    navs = NAV.findall(html)
    assert len(navs) <= 1, "one trail per page"
    if not navs:
        return []
    return [
        (title.strip(), link or None, bool(current))
        for current, link, title in ITEM.findall(navs[0])
    ]


def test_a_content_page_is_traced_through_its_ancestors_from_the_home_page(client):
    section = ContentPageFactory(parent=site_home_page(), title="Методика")
    page = ContentPageFactory(parent=section, title="Правила расчёта")

    assert trail(client, page.url) == [
        ("Главная", "/", False),
        ("Методика", section.url, False),
        ("Правила расчёта", None, True),
    ]


def test_the_home_page_has_no_trail(client):
    assert trail(client, "/") == []


def test_a_school_page_sits_under_the_directory(client):
    organisation = OrganisationFactory(short_name="МБОУ СОШ № 7")
    page = SchoolPage.objects.get(organisation=organisation)
    index = page.get_parent()

    crumbs = trail(client, page.url)

    assert crumbs[:2] == [("Главная", "/", False), (index.title, index.url, False)]
    assert crumbs[2] == (page.title, None, True)
    assert len(crumbs) == 3
    # The directory's page for a municipality, a view inside the directory page.
    municipality = organisation.municipality
    assert trail(client, f"{index.url}m/{municipality.slug}/") == [
        ("Главная", "/", False),
        (index.title, index.url, False),
        (municipality.name, None, True),
    ]


def test_the_ratings_and_a_years_archive_and_compare_say_where_they_are(client):
    school = OrganisationFactory()
    publish(2025, [school])

    assert trail(client, "/ratings/") == [("Главная", "/", False), ("Рейтинги", None, True)]
    assert trail(client, "/ratings/?q=гимназии") == trail(client, "/ratings/")
    assert trail(client, "/ratings/2025/") == [
        ("Главная", "/", False),
        ("Рейтинги", "/ratings/", False),
        ("2025", None, True),
    ]
    assert trail(client, f"/ratings/compare/?org={school.code}")[-2:] == [
        ("Рейтинги", "/ratings/", False),
        ("Сравнение", None, True),
    ]


def test_the_pages_after_the_numbers_sit_under_the_results_of_assessment(client):
    school = OrganisationFactory(short_name="МБОУ СОШ № 3")
    publish(2025, [school])
    results = ("Итоги оценки", "/year/", False)
    year = ("2025", "/year/2025/", False)

    assert trail(client, "/year/") == [("Главная", "/", False), ("Итоги оценки", None, True)]
    assert trail(client, "/year/2025/")[1:] == [results, ("2025", None, True)]
    assert trail(client, f"/year/2025/organisation/{school.code}/")[1:] == [
        results,
        year,
        ("МБОУ СОШ № 3", None, True),
    ]
    assert trail(client, "/council/")[1:] == [results, ("Общественный совет", None, True)]
    assert trail(client, "/plans/2025/")[1:] == [results, year, ("Планы", None, True)]


def test_the_search_page_has_its_trail(client):
    assert trail(client, "/search/?q=школа") == [("Главная", "/", False), ("Поиск", None, True)]


def test_a_long_name_in_the_trail_is_escaped_and_only_the_current_page_is_unlinked(client):
    page = ContentPageFactory(parent=site_home_page(), title="Очень <длинное> название")

    crumbs = trail(client, page.url)

    assert crumbs[-1] == ("Очень &lt;длинное&gt; название", None, True)
    assert [current for _title, _link, current in crumbs] == [False, True]
