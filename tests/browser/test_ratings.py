"""A visitor searches the published ratings, filters, opens a result card and compares."""

import pytest

from .region import publish_region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_search_filter_result_card_and_compare(live_server, desktop_page, tmp_path):
    publish_region()
    page = desktop_page
    page.goto(f"{live_server.url}/ratings/")
    assert page.locator("h1").inner_text() == "Рейтинги организаций"
    rows = page.locator("table.ratings-table tbody tr")
    assert rows.count() == 4
    # The best school is first, with its rank.
    assert "Гимназия № 3" in rows.nth(0).inner_text()

    page.get_by_label("Название, адрес или муниципалитет").fill("Гимназия")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**q=*")
    assert page.locator("table.ratings-table tbody tr").count() == 2

    page.get_by_label("Название, адрес или муниципалитет").fill("")
    page.get_by_label("Муниципалитет", exact=True).select_option(label="Северный район")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**municipality=north**")
    rows = page.locator("table.ratings-table tbody tr")
    assert rows.count() == 2
    assert page.get_by_role("columnheader", name="Место в муниципалитете").is_visible()
    page.screenshot(path=tmp_path / "01-ratings-filtered.png", full_page=True)

    # The result card on the school's page, with «как посчитано».
    page.get_by_role("link", name="Гимназия № 1").click()
    page.wait_for_selector("#results-title")
    card = page.locator(".result-card")
    assert "баллов из 100" in card.inner_text()
    page.get_by_text("Как посчитано").click()
    assert page.get_by_text("50 × (стенд / норма стенда + сайт / норма сайта)").is_visible()
    page.screenshot(path=tmp_path / "02-result-card.png", full_page=True)

    # Compare two schools side by side.
    page.goto(f"{live_server.url}/ratings/")
    page.get_by_label("Сравнить: Гимназия № 1").check()
    page.get_by_label("Сравнить: Лицей № 4").check()
    page.get_by_role("button", name="Сравнить выбранные (до 4)").click()
    page.wait_for_url("**/ratings/compare/**")
    table = page.locator("table.compare-table")
    headers = table.locator("thead th").all_inner_texts()
    assert any("Гимназия № 1" in text for text in headers)
    assert any("Лицей № 4" in text for text in headers)
    assert table.locator("tbody tr").count() == 8
    page.screenshot(path=tmp_path / "03-compare.png", full_page=True)
