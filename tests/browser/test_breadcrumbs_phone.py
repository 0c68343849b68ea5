"""Breadcrumbs on a 360 px phone, in a real browser: a long trail wraps onto several lines
instead of widening the page."""

import pytest

from home.tests.factories import ContentPageFactory, site_home_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_long_trail_wraps_on_a_phone_and_nothing_scrolls_sideways(live_server, phone_page):
    section = ContentPageFactory(parent=site_home_page(), title="Методика и порядок расчёта")
    long_title = "Независимаяоценкакачестваусловийосуществленияобразовательнойдеятельности " * 2
    page_in_section = ContentPageFactory(parent=section, title=long_title.strip())

    page = phone_page
    page.goto(f"{live_server.url}{page_in_section.url}")

    trail = page.get_by_role("navigation", name="Навигационная цепочка")
    current = trail.locator('[aria-current="page"]')
    assert current.inner_text().startswith("Независимаяоценка")
    # Several lines: the trail is taller than one line of its text.
    line = float(current.evaluate("node => parseFloat(getComputedStyle(node).lineHeight)"))
    assert trail.bounding_box()["height"] > 2 * line
    # Against the phone's 360 px, not innerWidth: a mobile viewport widens to its content.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    box = current.bounding_box()
    assert box["x"] + box["width"] <= 360
