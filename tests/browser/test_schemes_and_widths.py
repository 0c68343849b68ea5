"""The accessibility bugs issue #18 found, one test each: what a visitor in the visually-impaired
schemes or on a phone actually saw (unreadable labels and score, vanished table headers and chart
labels, overlapping facts, sideways scrolling), truncated filter choices at 1366 px, a chosen
answer marked only by the radio dot, and a logo named differently from what it shows."""

import re

import pytest

from registry.tests.factories import OrganisationFactory
from schools.models import SchoolPage
from surveys.tests.factories import CampaignFactory

from .region import publish_region as publish_long_named_region

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WHITE_ON_BLACK_XLARGE = "on|xlarge|white-on-black|img"
SCHEMES = [
    "off",
    "on|large|black-on-white|img",
    WHITE_ON_BLACK_XLARGE,
    "on|xlarge|blue-on-lightblue|img",
]
FITS = "document.documentElement.scrollWidth <= window.innerWidth"

# WCAG contrast of an element's text (or an SVG text's fill) against the first opaque
# background behind it.
CONTRAST = """element => {
    const channels = value => value.match(/[\\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => {
        const linear = c => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    };
    const style = getComputedStyle(element);
    const text = element instanceof SVGElement ? style.fill : style.color;
    let node = element, background = "rgb(255, 255, 255)";
    while (node && node.nodeType === 1) {
        const colour = getComputedStyle(node).backgroundColor;
        const parts = channels(colour);
        if (parts.length < 4 || parts[3] > 0) { background = colour; break; }
        node = node.parentElement;
    }
    const [a, b] = [luminance(channels(text)), luminance(channels(background))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def publish_region():
    publish_long_named_region(
        north_name="Северный муниципальный район",
        full_name="Муниципальное автономное общеобразовательное учреждение «{}»",
    )
    return SchoolPage.objects.get(organisation__short_name="Гимназия № 1").url


def open_in(browser, base, cookie, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ru-RU")
    context.add_cookies([{"name": "a11y", "value": cookie, "url": base}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def contrast_of(page, selector):
    return [
        round(ratio, 2)
        for ratio in page.locator(selector).evaluate_all(f"elements => elements.map({CONTRAST})")
    ]


def test_labels_score_table_headers_and_chart_labels_are_readable_white_on_black(
    live_server, browser
):
    school_url = publish_region()
    context, page = open_in(browser, live_server.url, WHITE_ON_BLACK_XLARGE, 1366)

    page.goto(f"{live_server.url}/ratings/")
    labels = contrast_of(page, ".filter-form label")
    assert labels and min(labels) >= 4.5, labels  # was 1.09:1
    headers = contrast_of(page, ".ratings-table th")
    assert headers and min(headers) >= 4.5, headers

    page.goto(live_server.url + school_url)
    score = contrast_of(page, ".result-card__score")
    assert score and min(score) >= 4.5, score  # was 1.8:1
    headers = contrast_of(page, ".result-card th")
    assert headers and min(headers) >= 4.5, headers
    chart_labels = contrast_of(page, ".chart__label, .chart__value")
    assert chart_labels and min(chart_labels) >= 4.5, chart_labels
    # The default scheme keeps its brand colour for the score, still readable.
    context.close()
    context, page = open_in(browser, live_server.url, "off", 1366)
    page.goto(live_server.url + school_url)
    assert page.locator(".result-card__score").evaluate("e => getComputedStyle(e).color") == (
        "rgb(8, 58, 102)"
    )
    assert min(contrast_of(page, ".chart__label, .chart__value")) >= 4.5
    context.close()


def test_ratings_and_the_school_page_do_not_scroll_sideways_on_a_phone_in_any_font(
    live_server, browser
):
    school_url = publish_region()
    for cookie in ("off", "on|large|black-on-white|img", WHITE_ON_BLACK_XLARGE):
        context, page = open_in(browser, live_server.url, cookie, 360)
        page.goto(f"{live_server.url}/ratings/")  # scrolled 175 px sideways
        assert page.evaluate(FITS), (cookie, page.evaluate("document.documentElement.scrollWidth"))
        page.goto(live_server.url + school_url)  # 26 px, the result card's formula table
        page.get_by_text("Как посчитано").click()
        assert page.evaluate(FITS), (cookie, page.evaluate("document.documentElement.scrollWidth"))
        # A table wider than the phone scrolls inside its box, which the keyboard can reach.
        wide = page.locator(".table-scroll[tabindex='0']")
        for index in range(wide.count()):
            assert wide.nth(index).evaluate("e => e.scrollWidth > e.clientWidth")
        context.close()


def test_school_facts_do_not_overlap_in_the_largest_font(live_server, browser):
    school_url = publish_region()
    for width in (1366, 360):
        context, page = open_in(browser, live_server.url, WHITE_ON_BLACK_XLARGE, width)
        page.goto(live_server.url + school_url)
        overlaps = page.locator(".facts").first.evaluate(
            """facts => {
                const boxes = [...facts.children].map(
                    e => [e.textContent.trim(), e.getBoundingClientRect()]);
                const out = [];
                for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                    const [a, r] = boxes[i], [b, s] = boxes[j];
                    if (r.left < s.right - 1 && s.left < r.right - 1
                        && r.top < s.bottom - 1 && s.top < r.bottom - 1)
                        out.push(a + " / " + b);
                }
                return out;
            }"""
        )
        assert page.locator(".facts dt").count() >= 2
        assert overlaps == [], (width, overlaps)
        assert page.evaluate(FITS)
        context.close()


def test_ratings_filter_selects_show_their_whole_choice_at_1366(live_server, browser):
    publish_region()
    context, page = open_in(browser, live_server.url, "off", 1366)
    page.goto(f"{live_server.url}/ratings/")
    # A select as wide as its longest option needs no more room than a copy left at its own
    # (intrinsic) width; a narrower one cuts its choice off.
    cut = page.locator(".filter-form select").evaluate_all(
        """selects => selects.filter(select => {
            const copy = select.cloneNode(true);
            copy.style.width = "auto";
            copy.style.maxWidth = "none";
            copy.style.position = "absolute";
            document.body.append(copy);
            const needed = copy.getBoundingClientRect().width;
            copy.remove();
            return select.getBoundingClientRect().width + 0.5 < needed;
        }).map(select => select.name)"""
    )
    assert page.locator(".filter-form select").count() >= 4
    assert cut == []
    context.close()


def test_the_chosen_answer_stands_out_beyond_the_radio_dot_in_every_scheme(live_server, browser):
    organisation = OrganisationFactory(name="МБОУ «Школа № 5»")
    CampaignFactory()
    for cookie in SCHEMES:
        context, page = open_in(browser, live_server.url, cookie, 360)
        page.goto(f"{live_server.url}/survey/{organisation.code}/parents/")
        yes = page.locator("#q-q1 .survey__answer", has=page.locator("input[value='yes']"))
        no = page.locator("#q-q1 .survey__answer", has=page.locator("input[value='no']"))
        look = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]"
        before = yes.evaluate(look)
        yes.click()
        assert yes.locator("input").is_checked()
        assert yes.evaluate(look) != before, cookie  # the whole option changes, not only the dot
        assert no.evaluate(look) == before, cookie  # the other option stays as it was
        assert contrast_of(page, "#q-q1 .survey__answer")[0] >= 4.5, cookie
        context.close()


def test_the_logo_is_named_by_its_visible_cyrillic_words(live_server, browser):
    context, page = open_in(browser, live_server.url, "off", 1366)
    page.goto(f"{live_server.url}/")
    logo = page.locator(".site-logo")
    visible = " ".join(logo.locator(".site-logo__text").inner_text().split())
    assert re.fullmatch(r"[А-ЯЁ]+", logo.locator(".site-logo__title").inner_text())
    assert not re.search(r"[A-Za-z]", visible)
    # The accessible name starts with the words on screen (WCAG 2.5.3), so «НОКО» spoken to
    # a voice-control user finds the link; a name of its own («На главную») would not.
    assert page.get_by_role("link", name=re.compile("^" + re.escape(visible))).count() == 1
    assert page.get_by_role("link", name="На главную", exact=True).count() == 0
    context.close()
