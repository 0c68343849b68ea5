"""The ratings and the pages after them belong to the site's structure: one click from every
page's menu, and listed in sitemap.xml (published years only)."""

import pytest

from accountability.tests.factories_plans import publish
from registry.tests.factories import OrganisationFactory
from results.services import compute_year
from results.tests.factories import AssessmentInputFactory

pytestmark = pytest.mark.django_db


def test_every_page_links_to_the_ratings_from_its_main_menu(client):
    home = client.get("/").content.decode()
    assert 'href="/ratings/"' in home
    assert 'aria-current="page">Рейтинги' not in home
    ratings = client.get("/ratings/").content.decode()
    assert 'href="/ratings/" class="is-active" aria-current="page">Рейтинги' in ratings


def test_the_sitemap_lists_published_years_and_never_a_draft(client):
    school = OrganisationFactory()
    publish(2025, [school])
    AssessmentInputFactory(year=2026, organisation=school)
    compute_year(2026)  # a draft only

    sitemap = client.get("/sitemap.xml").content.decode()

    for path in (
        "/ratings/",
        "/ratings/2025/",
        "/year/",
        "/year/2025/",
        "/council/",
        "/plans/2025/",
    ):
        assert f"{path}</loc>" in sitemap, path
    assert "/ratings/2026/" not in sitemap
    assert "/plans/2026/" not in sitemap
    # Wagtail's pages are still there.
    assert "<loc>http://" in sitemap and "/schools/" in sitemap


def test_the_home_page_shows_each_kinds_latest_year_with_its_leaders(client):
    schools = [OrganisationFactory(short_name=f"Школа № {n}") for n in (1, 2, 3, 4)]
    kindergarten = OrganisationFactory(kind="preschool", short_name="Детский сад № 7")
    publish(2025, [*schools, kindergarten])

    home = client.get("/").content.decode()

    assert "Общеобразовательные организации, 2025" in home
    assert "Детские сады, 2025" in home
    assert "Средний балл по региону" in home
    assert home.count("<li value=") == 4  # three schools and the kindergarten
    assert "Детский сад № 7" in home
    assert 'href="/ratings/2025/?kind=preschool"' in home


def test_the_home_page_has_no_ratings_block_before_a_publication(client):
    school = OrganisationFactory()
    AssessmentInputFactory(year=2026, organisation=school)
    compute_year(2026)
    assert "Средний балл по региону" not in client.get("/").content.decode()


def test_every_page_footer_leads_to_the_ratings_the_years_and_the_council(client):
    footer = client.get("/").content.decode().split('<footer class="site-footer">')[1]
    for path, label in (
        ("/ratings/", "Рейтинги организаций"),
        ("/year/", "Итоги по годам"),
        ("/council/", "Общественный совет"),
    ):
        assert f'<a href="{path}">{label}</a>' in footer
