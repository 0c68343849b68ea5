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
