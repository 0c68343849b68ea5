"""The website checker against local servers: complete and partial sites, redirects, error
pages, a slow site, a 50 MB page, non-HTML answers and wrong encodings."""

import time
from functools import partial

from monitoring import checker
from monitoring.checker import ItemSpec, check_site, fetch

from .sites import SVEDEN, Site, complete_site, html, huge, redirect_to, slow

ITEMS = [
    *[
        ItemSpec(key=n, auto_check="sveden", sveden_path=path, expected_heading=heading)
        for n, (path, heading, _) in enumerate(SVEDEN, start=1)
    ],
    ItemSpec(key=10, auto_check="itemprop", sveden_path="/sveden/common", itemprop="fullName"),
    ItemSpec(key=11, auto_check="appeals"),
    ItemSpec(key=12, auto_check="phone"),
    ItemSpec(key=13, auto_check="email"),
    ItemSpec(key=14, auto_check="feedback_form"),
    ItemSpec(key=15, auto_check="faq"),
    ItemSpec(key=16, auto_check="bus_gov"),
    ItemSpec(key=17, auto_check=""),  # manual: the checker leaves it alone
]

quick_fetch = partial(fetch, timeout=1.0)


def test_complete_site_has_everything_with_evidence():
    with Site(complete_site()) as site:
        findings = check_site(site.url, ITEMS, fetch_page=quick_fetch)
    assert set(findings) == {1, 2, 3, 10, 11, 12, 13, 14, 15, 16}
    assert all(f.present for f in findings.values()), {
        k: f.problem for k, f in findings.items() if not f.present
    }
    common = findings[1]
    assert common.url == site.url + "/sveden/common"
    assert common.status == 200
    assert len(common.sha256) == 64
    assert "Основные сведения" in common.text
    assert abs(common.checked_at - time.time()) < 60


def test_partial_site_reports_what_is_missing():
    routes = complete_site()
    del routes["/sveden/struct"]  # 404
    routes["/sveden/document"] = (200, "text/html", html("Прочее", "<h2>Прочее</h2>"))
    routes["/sveden/common"] = (200, "text/html", html("Основные", "<h2>Основные сведения</h2>"))
    routes["/"] = (200, "text/html", html("Школа", "<h1>Школа</h1><p>Пишите нам</p>"))
    with Site(routes) as site:
        findings = check_site(site.url, ITEMS, fetch_page=quick_fetch)
    assert findings[1].present  # heading there
    assert not findings[10].present and "itemprop «fullName»" in findings[10].problem
    assert not findings[2].present and findings[2].status == 404
    assert "404" in findings[2].problem
    assert not findings[3].present and "заголовка «Документы»" in findings[3].problem
    for key in (11, 12, 13, 14, 15, 16):
        assert not findings[key].present, key


def test_redirects_are_followed_within_the_site_only():
    routes = complete_site()
    page = routes.pop("/sveden/common")
    routes["/sveden/common"] = redirect_to("/sveden/common/")
    routes["/sveden/common/"] = page
    with Site(routes) as site:
        routes["/sveden/struct"] = redirect_to(
            site.url.replace("127.0.0.1", "localhost") + "/elsewhere"
        )
        routes["/sveden/document"] = redirect_to("/loop")
        routes["/loop"] = redirect_to("/sveden/document")
        findings = check_site(site.url, ITEMS[:3], fetch_page=quick_fetch)
    assert findings[1].present and findings[1].url.endswith("/sveden/common/")
    assert not findings[2].present and "на другой сайт" in findings[2].problem
    assert not findings[3].present  # an endless redirect ends as a finding, not a crash


def test_server_errors_and_unreachable_sites_are_findings():
    routes = complete_site()
    routes["/sveden/common"] = (500, "text/html", b"<h1>Internal Server Error</h1>")
    with Site(routes) as site:
        findings = check_site(site.url, ITEMS[:1], fetch_page=quick_fetch)
        dead = site.url
    assert not findings[1].present and findings[1].status == 500
    # The server is gone now: nothing listens on that port.
    gone = check_site(dead, ITEMS, fetch_page=quick_fetch)
    assert all(not f.present and "недоступен" in f.problem for f in gone.values())
    no_site = check_site("", ITEMS, fetch_page=quick_fetch)
    assert all("не указан" in f.problem for f in no_site.values())


def test_a_slow_site_times_out_without_holding_the_round():
    routes = complete_site()
    routes["/sveden/common"] = slow(3)
    with Site(routes) as site:
        started = time.monotonic()
        findings = check_site(site.url, ITEMS[:1], fetch_page=partial(fetch, timeout=0.5))
        elapsed = time.monotonic() - started
    assert not findings[1].present
    assert "вовремя" in findings[1].problem
    assert elapsed < 2.5


def test_a_50_mb_page_is_not_read_past_the_limit():
    routes = complete_site()
    routes["/sveden/common"] = huge(50, declare_length=False)
    routes["/sveden/struct"] = huge(50, declare_length=True)
    with Site(routes) as site:
        started = time.monotonic()
        findings = check_site(site.url, ITEMS[:2], fetch_page=quick_fetch)
        elapsed = time.monotonic() - started
    for key in (1, 2):
        assert not findings[key].present
        assert "больше 2 МБ" in findings[key].problem
    assert elapsed < 10


def test_non_html_answers_are_reported_as_such():
    routes = complete_site()
    routes["/sveden/common"] = (200, "application/pdf", b"%PDF-1.4 ...")
    routes["/sveden/struct"] = (200, "", b"\x00\x01binary")
    with Site(routes) as site:
        findings = check_site(site.url, ITEMS[:2], fetch_page=quick_fetch)
    assert not findings[1].present and "не HTML" in findings[1].problem
    assert "application/pdf" in findings[1].problem
    assert not findings[2].present and "не HTML" in findings[2].problem


def test_wrong_and_undeclared_encodings_are_read():
    heading = "Основные сведения"
    cp1251_page = (
        f"<html><body><h2>{heading}</h2><p itemprop='fullName'>Школа</p></body></html>"
    ).encode("cp1251")
    routes = complete_site()
    # Declared UTF-8 but really Windows-1251, as old school sites do.
    routes["/sveden/common"] = (200, "text/html; charset=utf-8", cp1251_page)
    # Nothing declared at all.
    routes["/sveden/struct"] = (
        200,
        "text/html",
        "<h2>Структура и органы управления</h2>".encode("cp1251"),
    )
    # Declared in a <meta> only, and an unknown charset in the header.
    routes["/sveden/document"] = (
        200,
        "text/html; charset=x-unknown",
        html("Документы", "<h2>Документы</h2>", charset="windows-1251"),
    )
    with Site(routes) as site:
        findings = check_site(site.url, ITEMS[:4], fetch_page=quick_fetch)
    assert all(findings[key].present for key in (1, 2, 3, 10)), {
        k: f.problem for k, f in findings.items()
    }


def test_website_addresses_are_normalised_or_refused():
    assert checker.site_root("school.example.ru/") == "https://school.example.ru"
    assert checker.site_root("http://www.school.ru/index.php") == "http://www.school.ru"
    assert checker.site_root("javascript:alert(1)") == ""
    assert checker.site_root("  ") == ""
