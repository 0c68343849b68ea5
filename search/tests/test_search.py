"""Site search over published pages and the organisations registry."""

import pytest
from django.test import TestCase
from wagtail.models import Page

from core.search import MAX_QUERY_LENGTH
from home.tests.factories import (
    ContentPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    site_home_page,
)
from registry.tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.search


class SiteSearchTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = site_home_page()
        cls.methodology = ContentPageFactory(
            parent=home, title="Методика оценки", intro="Показатели и формулы расчёта"
        )
        news_index = NewsIndexPageFactory(parent=home)
        cls.draft = NewsPageFactory(parent=news_index, title="Черновик про методику", live=False)
        municipality = MunicipalityFactory(name="Городской округ Приозёрск")
        cls.gymnasium = OrganisationFactory(
            name="Муниципальное автономное общеобразовательное учреждение «Гимназия № 7»",
            short_name="МАОУ «Гимназия № 7»",
            municipality=municipality,
        )
        cls.closed = OrganisationFactory(
            name="Закрытая гимназия", short_name="Закрытая гимназия", is_active=False
        )

    def search(self, **params):
        response = self.client.get("/search/", params)
        self.assertEqual(response.status_code, 200)
        return response

    def test_finds_published_pages_not_drafts(self):
        response = self.search(q="Методика", scope="pages")
        results = list(response.context["page_results"].object_list)
        self.assertIn(self.methodology.page_ptr, [getattr(p, "page_ptr", p) for p in results])
        self.assertNotContains(response, "Черновик про методику")

    def test_finds_active_organisations_by_name(self):
        response = self.search(q="Гимназия", scope="organisations")
        self.assertContains(response, "«Гимназия № 7»")
        self.assertContains(response, "Городской округ Приозёрск")
        self.assertNotContains(response, "Закрытая гимназия")

    def test_scope_all_shows_both_sections(self):
        response = self.search(q="Гимназия")
        self.assertIsNotNone(response.context["page_results"])
        self.assertIsNotNone(response.context["organisation_results"])

    def test_empty_query_shows_only_the_form(self):
        response = self.search(q="")
        self.assertIsNone(response.context["page_results"])
        self.assertContains(response, 'for="search-page-q"')

    def test_hostile_parameters_are_harmless(self):
        for params in (
            {"q": "школа" * 10_000},
            {"q": "школа", "page": str(10**12)},
            {"q": "школа", "page": "abc"},
            {"q": "\x00\x00", "scope": "everything"},
            {"q": "' OR 1=1 --"},
        ):
            with self.subTest(params=str(params)[:40]):
                response = self.search(**params)
                self.assertLessEqual(len(response.context["search_query"]), MAX_QUERY_LENGTH)

    def test_query_is_escaped(self):
        response = self.search(q='"><script>alert(1)</script>')
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertEqual(response.context["search_query"], "script alert 1 script")

    def test_search_page_is_private(self):
        self.assertIn("private", self.search(q="школа")["Cache-Control"])

    def test_no_draft_ever_reaches_the_search_index(self):
        # Asked without any filter, the index holds neither a page never published...
        self.assertEqual(list(Page.objects.search("Черновик")), [])
        # ...nor the unpublished draft of a live page...
        news = NewsPageFactory(parent=self.draft.get_parent(), title="Итоги анкетирования")
        news.title = "Секретная правка"
        news.save_revision()
        self.assertEqual(list(Page.objects.search("Секретная")), [])
        self.assertEqual(len(Page.objects.search("Итоги анкетирования")), 1)
        # ...nor a page once it is unpublished.
        news.unpublish()
        self.assertEqual(list(Page.objects.search("Итоги анкетирования")), [])
