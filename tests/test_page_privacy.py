"""Private sections stay private on the public pages' fast paths (core/page_queries.py):
view restrictions read with the ancestors routing left on a page, the menu's and the home
page's news filtered in one query, schools routed to in one query."""

import pytest
from wagtail.models import PageViewRestriction

from home.tests.factories import ContentPageFactory, NewsIndexPageFactory, NewsPageFactory
from registry.tests.factories import OrganisationFactory
from schools.models import SchoolPage


def restrict(page, password="секрет"):
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=password
    )


def asks_for_password(response):
    return response.status_code == 200 and 'name="password"' in response.text


@pytest.mark.django_db
def test_a_page_inside_a_password_protected_section_asks_for_the_password(client, home_page):
    section = ContentPageFactory(parent=home_page, title="Закрытый раздел")
    inside = ContentPageFactory(parent=section, title="Внутренняя страница")
    open_page = ContentPageFactory(parent=home_page, title="Открытый раздел")
    restrict(section)

    response = client.get(inside.url)
    assert asks_for_password(response)
    assert "Внутренняя страница</h1>" not in response.text
    assert not asks_for_password(client.get(open_page.url))


@pytest.mark.django_db
def test_an_alias_of_a_protected_page_asks_for_its_password_too(client, home_page):
    protected = ContentPageFactory(parent=home_page, title="Закрытая страница")
    restrict(protected)
    alias = protected.create_alias(parent=home_page, update_slug="kopiya")

    response = client.get(alias.url)
    assert asks_for_password(response)
    assert "Закрытая страница</h1>" not in response.text


@pytest.mark.django_db
def test_a_school_page_in_a_protected_directory_asks_for_the_password(client, home_page):
    organisation = OrganisationFactory()
    page = SchoolPage.objects.get(organisation=organisation)
    assert not asks_for_password(client.get(page.url))

    restrict(page.get_parent())
    response = client.get(page.url)
    assert asks_for_password(response)
    assert organisation.name not in response.text


@pytest.mark.django_db
def test_a_protected_section_and_its_news_leave_the_menu_and_the_home_page(client, home_page):
    public_section = ContentPageFactory(
        parent=home_page, title="Открытый раздел", show_in_menus=True
    )
    private_section = ContentPageFactory(
        parent=home_page, title="Закрытый раздел", show_in_menus=True
    )
    news_index = NewsIndexPageFactory(parent=private_section)
    NewsPageFactory(parent=news_index, title="Новость для своих")
    before = client.get("/").text
    assert "Закрытый раздел" in before
    assert "Новость для своих" in before

    restrict(private_section)
    after = client.get("/").text
    assert "Закрытый раздел" not in after
    assert "Новость для своих" not in after
    assert public_section.title in after


@pytest.mark.django_db
def test_a_school_pages_breadcrumbs_lead_through_the_directory(client, home_page):
    page = SchoolPage.objects.get(organisation=OrganisationFactory())
    directory = page.get_parent()

    response = client.get(page.url)
    assert f'<a href="{directory.url}">{directory.title}</a>' in response.text
