"""Page types: where they may be created, that they render and route, and what visitors see."""

import datetime

from django.test import TestCase
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import NEWS_PER_PAGE, ContentPage, HomePage, NewsIndexPage, NewsPage
from home.tests.factories import (
    ContentPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    OperatorSettingsFactory,
    site_home_page,
)
from surveys.models import SurveyPage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_only_at_the_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanNotCreateAt(ContentPage, HomePage)
        self.assertCanNotCreateAt(NewsIndexPage, HomePage)

    def test_content_page_under_home_and_content_pages(self):
        self.assertAllowedParentPageTypes(ContentPage, {HomePage, ContentPage})
        self.assertAllowedSubpageTypes(ContentPage, {ContentPage, SurveyPage})
        self.assertCanNotCreateAt(NewsIndexPage, ContentPage)
        self.assertCanNotCreateAt(NewsPage, ContentPage)

    def test_news_lives_only_in_the_news_index(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_only_one_home_page_and_one_news_index(self):
        home = site_home_page()
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        NewsIndexPageFactory(parent=home)
        self.assertFalse(NewsIndexPage.can_create_at(home))

    def test_editor_can_create_content_page_through_the_admin(self):
        home = site_home_page()
        self.login()
        self.assertCanCreate(
            home,
            ContentPage,
            nested_form_data(
                {
                    "title": "Методика",
                    "slug": "metodika",
                    "intro": "Как считаем",
                    "body": streamfield([]),
                }
            ),
        )
        self.assertTrue(ContentPage.objects.filter(slug="metodika", live=True).exists())


class PageRenderingTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = site_home_page()
        cls.content = ContentPageFactory(
            parent=cls.home,
            title="Методика",
            slug="metodika",
            body=[
                ("heading", {"text": "Показатели", "level": "h2"}),
                ("paragraph", RichText("<p>Пять критериев.</p>")),
                (
                    "table",
                    {
                        "data": [["№", "Показатель"], ["1.1", "Стенды и сайт"]],
                        "first_row_is_table_header": True,
                        "first_col_is_header": False,
                        "table_caption": "Показатели",
                    },
                ),
                (
                    "callout",
                    {"kind": "deadline", "title": "Срок", "text": RichText("<p>до 10 ноября</p>")},
                ),
                (
                    "faq",
                    {
                        "heading": "Вопросы",
                        "items": [
                            {"question": "Анкета анонимная?", "answer": RichText("<p>Да.</p>")}
                        ],
                    },
                ),
                (
                    "video",
                    {
                        "url": "https://rutube.ru/video/abc123/",
                        "title": "Как ответить",
                        "transcript": "Откройте ссылку.",
                    },
                ),
            ],
        )
        cls.news_index = NewsIndexPageFactory(parent=cls.home)
        cls.news = NewsPageFactory(parent=cls.news_index, title="Открыто анкетирование")

    def test_every_page_type_renders_and_routes(self):
        for page in (self.home, self.content, self.news_index, self.news):
            with self.subTest(page=type(page).__name__):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_every_page_type_is_editable_in_the_admin(self):
        # StreamFields are rendered by JavaScript, so their form data is given explicitly.
        def form(page, **fields):
            return nested_form_data({"title": page.title, "slug": page.slug, **fields})

        self.assertPageIsEditable(self.news_index, form(self.news_index))
        self.assertPageIsEditable(self.home, form(self.home, quick_links=streamfield([])))
        self.assertPageIsEditable(
            self.content,
            form(self.content, body=streamfield([("paragraph", rich_text("<p>Новый текст</p>"))])),
        )
        self.assertPageIsEditable(
            self.news, form(self.news, date="2026-11-01", tags="", body=streamfield([]))
        )

    def test_draft_edit_stays_private_until_published(self):
        self.login()
        edit_url = f"/admin/pages/{self.content.pk}/edit/"
        data = nested_form_data(
            {
                "title": self.content.title,
                "slug": self.content.slug,
                "body": streamfield([("paragraph", rich_text("<p>Новый текст</p>"))]),
            }
        )
        self.assertEqual(self.client.post(edit_url, data).status_code, 302)
        self.assertNotContains(self.client.get(self.content.url), "Новый текст")

        r = self.client.post(edit_url, {**data, "action-publish": "action-publish"})
        self.assertEqual(r.status_code, 302)
        self.assertContains(self.client.get(self.content.url), "Новый текст")

    def test_content_blocks_render_semantic_html(self):
        html = self.client.get(self.content.url).content.decode()
        self.assertIn("<h2>Показатели</h2>", html)
        self.assertIn("<caption>Показатели</caption>", html)
        self.assertIn('<th scope="col"', html)
        self.assertIn("<summary>Анкета анонимная?</summary>", html)
        self.assertIn('src="https://rutube.ru/play/embed/abc123"', html)
        self.assertIn('title="Как ответить"', html)
        self.assertIn("до 10 ноября", html)

    def test_home_page_shows_banner_search_box_and_latest_news(self):
        html = self.client.get(self.home.url).content.decode()
        self.assertIn("Открыто анкетирование", html)
        self.assertIn('name="scope" value="organisations"', html)
        self.assertIn('for="school-search-q"', html)

    def test_draft_news_is_not_listed(self):
        draft = NewsPageFactory(parent=self.news_index, title="Черновик новости", live=False)
        self.assertNotContains(self.client.get(self.news_index.url), draft.title)
        self.assertNotContains(self.client.get(self.home.url), draft.title)
        self.assertEqual(self.client.get(f"{self.news_index.url}{draft.slug}/").status_code, 404)


class NewsIndexTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.index = NewsIndexPageFactory(parent=site_home_page())
        cls.items = [
            NewsPageFactory(
                parent=cls.index, date=datetime.date(2026, 1, 1) + datetime.timedelta(n)
            )
            for n in range(NEWS_PER_PAGE + 3)
        ]
        cls.items[0].tags.add("сроки")
        cls.items[0].save_revision().publish()

    def test_newest_first_and_paginated(self):
        response = self.client.get(self.index.url)
        page = response.context["news_page"]
        self.assertEqual(len(page.object_list), NEWS_PER_PAGE)
        self.assertEqual(page.object_list[0], self.items[-1])
        second = self.client.get(self.index.url, {"page": 2}).context["news_page"]
        self.assertEqual(len(second.object_list), 3)

    def test_junk_page_numbers_do_not_break_the_list(self):
        for junk in ("abc", "0", "-1", "10" * 20, "999999"):
            with self.subTest(page=junk):
                self.assertEqual(self.client.get(self.index.url, {"page": junk}).status_code, 200)

    def test_filter_by_tag(self):
        response = self.client.get(self.index.url, {"tag": "сроки"})
        self.assertEqual(list(response.context["news_page"].object_list), [self.items[0]])

    def test_rss_feed_lists_news(self):
        response = self.client.get(f"{self.index.url}rss/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/rss+xml", response["Content-Type"])
        body = response.content.decode()
        self.assertIn(self.items[-1].title, body)
        self.assertIn("<rss", body)


class OperatorSettingsTests(TestCase):
    def test_footer_shows_operator_contacts(self):
        OperatorSettingsFactory(phone="+7 (800) 111-22-33", email="help@example.com")
        html = self.client.get("/").content.decode()
        self.assertIn("+7 (800) 111-22-33", html)
        self.assertIn('href="mailto:help@example.com"', html)
        self.assertIn('href="tel:+78001112233"', html)
