"""Breadcrumbs on a 360 px phone, in a real browser: a long trail wraps onto several lines
instead of widening the page, even where a title holds a long unbroken word."""

import pytest

from home.tests.factories import ContentPageFactory, site_home_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# A section named after a long unbroken token (an address, a compound code): it appears on
# the phone only in the trail of the pages below it.
LONG_WORD = "Независимаяоценкакачестваусловийобразовательнойдеятельности"


def test_a_long_trail_wraps_on_a_phone_and_nothing_scrolls_sideways(live_server, phone_page):
    section = ContentPageFactory(parent=site_home_page(), title=f"Раздел {LONG_WORD}")
    child = ContentPageFactory(
        parent=section,
        title="Порядок расчёта показателей независимой оценки качества условий "
        "осуществления образовательной деятельности организациями",
    )

    page = phone_page
    page.goto(f"{live_server.url}{child.url}")

    trail = page.get_by_role("navigation", name="Навигационная цепочка")
    current = trail.locator('[aria-current="page"]')
    assert current.inner_text().startswith("Порядок расчёта")
    # Several lines: the trail is taller than two lines of its text.
    line = float(current.evaluate("node => parseFloat(getComputedStyle(node).lineHeight)"))
    assert trail.bounding_box()["height"] > 2 * line
    for item in trail.locator("li").all():
        box = item.bounding_box()
        assert box["x"] + box["width"] <= 360, item.inner_text()
    # Against the phone's 360 px, not innerWidth: a mobile viewport widens to its content.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
