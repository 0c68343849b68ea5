"""A visitor on a phone: home page, site search, a news item, the visually-impaired version."""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= 360")


def test_visitor_searches_reads_news_and_switches_to_large_print(live_server, phone_page, tmp_path):
    call_command("load_demo", "--scale", "small", stdout=StringIO())
    page = phone_page

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Независимая оценка качества условий в школах"
    assert no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "01-home.png", full_page=True)

    # The labelled search box in the header.
    page.get_by_label("Поиск по сайту").fill("методика")
    page.get_by_label("Поиск по сайту").press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("#page-results-title")
    assert "Материалы сайта" in results.inner_text()
    assert page.get_by_role("link", name="Методика").first.is_visible()
    page.screenshot(path=tmp_path / "02-search.png", full_page=True)

    # The school search box on the home page finds organisations.
    page.goto(f"{live_server.url}/")
    page.get_by_label("Название, номер или адрес организации").fill("Гимназия")
    page.get_by_role("button", name="Найти").nth(1).click()
    page.wait_for_url("**scope=organisations**")
    assert "Гимназия" in page.locator(".result-list").inner_text()

    # A news item, opened from the news list.
    page.goto(f"{live_server.url}/novosti/")
    first = page.locator(".news-item__title a").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title
    assert no_horizontal_scroll(page)
    page.screenshot(path=tmp_path / "03-news.png", full_page=True)

    # «Версия для слабовидящих»: larger font, high contrast, remembered on the next page.
    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("link", name="Версия для слабовидящих").click()
    page.wait_for_load_state()
    assert "a11y-font-large" in page.locator("body").get_attribute("class")
    large_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large_size > normal_size
    page.get_by_role("link", name="белым по чёрному").click()
    page.wait_for_load_state()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    page.screenshot(path=tmp_path / "04-large-print.png", full_page=True)

    page.goto(f"{live_server.url}/")
    assert "a11y-colours-white-on-black" in page.locator("body").get_attribute("class")
    assert no_horizontal_scroll(page)

    page.get_by_role("link", name="Обычная версия сайта").click()
    page.wait_for_load_state()
    assert "a11y" not in (page.locator("body").get_attribute("class") or "").split()


def test_keyboard_user_reaches_content_with_the_skip_link(live_server, desktop_page):
    page = desktop_page
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
