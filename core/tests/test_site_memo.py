"""The site and its main menu remembered per process (core/site_memo.py): every change an
editor makes to a site, a menu page or a view restriction shows on the next request, in this
process at once and, through the page cache's generation, on another server."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction, Site

from core import page_cache, site_memo
from core.memo import MISSING, forget_all
from home.tests.factories import ContentPageFactory, OperatorSettingsFactory

pytestmark = pytest.mark.django_db


def menu_of(client):
    html = client.get("/").content.decode()
    start = html.index('class="main-menu')
    return html[start : html.index("</nav>", start)]


def test_menu_pages_follow_every_change_on_the_next_request(client, home_page):
    section = ContentPageFactory(parent=home_page, title="Методика", show_in_menus=True)
    assert "Методика" in menu_of(client)

    added = ContentPageFactory(parent=home_page, title="Совет", show_in_menus=True)
    assert "Совет" in menu_of(client), "a new menu page"

    section.title = "Методика оценки"
    section.save_revision().publish()
    assert "Методика оценки" in menu_of(client), "a renamed page"

    added.show_in_menus = False
    added.save()
    assert "Совет" not in menu_of(client), "a page taken out of the menu"

    PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert "Методика" not in menu_of(client), "a page behind a sign-in"

    other = ContentPageFactory(parent=home_page, title="Контакты", show_in_menus=True)
    other.unpublish()
    assert "Контакты" not in menu_of(client), "an unpublished page"


def test_a_site_change_is_seen_on_the_next_request(client, home_page):
    client.get("/")
    site = Site.objects.get(is_default_site=True)
    new_root = ContentPageFactory(parent=home_page, title="Новый корень сайта")
    site.root_page = new_root
    site.save()
    response = client.get("/")
    assert "Новый корень сайта" in response.content.decode()


def test_another_servers_change_reaches_this_one_through_the_generation(settings, home_page):
    """Another server's save sends no signal here: the page cache's generation, which every
    write moves, makes this process forget what it remembered."""
    settings.PAGE_CACHE_ENABLED = True
    OperatorSettingsFactory()  # else the first render writes it, moving the generation

    def menu(query):
        html = Client().get("/", {"v": query}).content.decode()  # a new key: rendered here
        start = html.index('class="main-menu')
        return html[start : html.index("</nav>", start)]

    ContentPageFactory(parent=home_page, title="Методика", show_in_menus=True)
    assert "Методика" in menu("1")
    # As if the page had been added on another server: this process still remembers the
    # menu without it, and renders that...
    site_memo.menus.store(home_page.pk, [], 300)
    assert "Методика" not in menu("2")
    # ...until that server's write moves the shared generation.
    page_cache.bump()
    assert "Методика" in menu("3")


def test_memos_start_empty_after_forget_all(home_page, client):
    client.get("/")
    assert site_memo.sites.lookup(("testserver", "80")) is not MISSING
    forget_all()
    assert site_memo.sites.lookup(("testserver", "80")) is MISSING
