"""The website checker against local servers: complete and partial sites, redirects, error
pages, a slow site, a 50 MB page, non-HTML answers and wrong encodings; and (issue #20) sites
read like a visitor: menus, a one-page «Сведения», placeholders, old microdata, robots.txt,
politeness, contacts where people look, bad links, sites that never answer."""

import threading
import time
from functools import partial

from monitoring import checker, norm
from monitoring.checker import ItemSpec, check_site, fetch
from tests.servers import SilentServer

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
    assert {f.verdict for f in gone.values()} == {"unreachable"}
    assert {f.problem for f in gone.values()} == {"сайт не отвечает (соединение отклонено)"}
    assert not any(f.present for f in gone.values())
    no_site = check_site("", ITEMS, fetch_page=quick_fetch)
    assert all("не указан" in f.problem for f in no_site.values())


def test_a_slow_site_times_out_without_holding_the_round():
    routes = complete_site()
    routes["/sveden/common"] = slow(3)
    with Site(routes) as site:
        findings = check_site(site.url, ITEMS[:1], fetch_page=partial(fetch, timeout=0.5))
    # Had the checker waited the 3 s, the page would have been read («late»), not reported.
    assert not findings[1].present
    assert "вовремя" in findings[1].problem


def test_a_50_mb_page_is_not_read_past_the_limit():
    routes = complete_site()
    routes["/sveden/common"] = undeclared = huge(50, declare_length=False)
    routes["/sveden/struct"] = declared = huge(50, declare_length=True)
    with Site(routes) as site:
        findings = check_site(site.url, ITEMS[:2], fetch_page=quick_fetch)
    for key in (1, 2):
        assert not findings[key].present
        assert "больше 2 МБ" in findings[key].problem
    # The checker hung up: the server could hand over a few megabytes (socket buffers), never
    # the fifty.
    assert undeclared.written < 20 and declared.written < 20


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


# --- issue #20: the site read like a visitor, judged against the norm ----------------------


def norm_specs(*keys):
    """The current norm's specs for these subsections and contact checks."""
    specs = {spec.key: spec for spec in norm.standard_specs()}
    return [specs[key] for key in keys]


def page(title, body, menu=""):
    return (
        200,
        "text/html; charset=utf-8",
        html(
            title,
            f'<header class="top"><a href="/">Школа № 7</a></header><nav class="menu">{menu}</nav>'
            f"<main>{body}</main><footer><p>© Школа № 7, г. Энск, ул. Лесная, 3</p></footer>",
        ),
    )


COMMON_MICRODATA = (
    '<h1>Основные сведения</h1><table><tr><td>Полное наименование</td><td itemprop="fullName">'
    "Муниципальное бюджетное общеобразовательное учреждение «Школа № 7»</td></tr>"
    '<tr><td>Дата создания</td><td itemprop="regDate">01.09.1968</td></tr>'
    '<tr><td>Адрес</td><td itemprop="address">623100, г. Энск, ул. Лесная, 3</td></tr></table>'
)


def test_a_site_that_never_answers_is_given_up_after_two_requests():
    server = SilentServer()
    try:
        findings = check_site(server.url, norm.standard_specs(), timeout=0.3)
    finally:
        server.close()
    assert len(findings) == len(norm.standard_specs())
    assert {f.verdict for f in findings.values()} == {"unreachable"}
    assert {f.problem for f in findings.values()} == {"сайт не отвечает (сайт не ответил вовремя)"}
    # One wait per failure for the first two requests, not one per address.
    assert len(server.connections) <= 2


def test_subsections_behind_menus_are_found_and_say_how():
    menu = '<a href="/o-shkole/">Сведения об образовательной организации</a>'
    sved_menu = (
        '<ul><li><a href="/o-shkole/osnovnye/">Основные сведения</a></li>'
        '<li><a href="/sveden/dokument/">Документы</a></li>'
        '<li><a href="/o-shkole/rukovodstvo.php">Руководство. Педагогический состав</a></li></ul>'
    )
    managers = (
        '<h1>Руководство</h1><div itemprop="rucovodstvo" itemscope><span itemprop="fio">'
        'Петрова Анна Ивановна</span>, <span itemprop="post">директор</span>, '
        '<span itemprop="telephone">8 (34370) 2-11-05</span></div>'
    )
    routes = {
        "/": page("Школа № 7", "<p>Добро пожаловать!</p>", menu),
        "/o-shkole/": page(
            "Сведения", "<h1>Сведения об образовательной организации</h1>", sved_menu
        ),
        "/o-shkole/osnovnye/": page("Основные сведения", COMMON_MICRODATA, sved_menu),
        "/sveden/dokument/": page(
            "Документы",
            '<h1>Документы</h1><a itemprop="ustavDocLink" href="/files/ustav.pdf">Устав</a>',
            sved_menu,
        ),
        "/o-shkole/rukovodstvo.php": page("Руководство", managers, sved_menu),
    }
    with Site(routes) as site:
        findings = check_site(
            site.url, norm_specs("common", "document", "managers", "catering"), timeout=2
        )
    common, document, managers_found, catering = (
        findings[key] for key in ("common", "document", "managers", "catering")
    )
    assert (common.verdict, common.how_found) == ("present", "link")
    assert common.url == site.url + "/o-shkole/osnovnye/"
    assert common.matched.startswith("itemprop fullName, regDate, address")
    assert common.items["fullName"] == "present" and common.items["workTime"] == "missing"
    assert "Муниципальное бюджетное" in common.excerpt and len(common.excerpt) <= 300
    assert (document.verdict, document.how_found) == ("present", "variant")
    assert (managers_found.verdict, managers_found.how_found) == ("present", "link")
    assert catering.verdict == "absent" and catering.how_found == ""
    assert catering.status == 404 and not catering.present


def test_a_one_page_svedeniya_judges_each_section_on_its_own():
    body = (
        '<h1>Сведения об образовательной организации</h1><ul><li><a href="#common">Основные '
        'сведения</a></li><li><a href="#inter">Международное сотрудничество</a></li></ul>'
        + COMMON_MICRODATA.replace("<h1>", '<h2 id="common">').replace("</h1>", "</h2>")
        + '<h2 id="inter">Международное сотрудничество</h2>'
        "<p>Информация будет размещена позднее.</p>"
    )
    routes = {
        "/": page("Школа № 7", "<p>Главная</p>", '<a href="/svedeniya.html">Сведения об ОО</a>'),
        "/svedeniya.html": page("Сведения об образовательной организации", body),
    }
    with Site(routes) as site:
        findings = check_site(site.url, norm_specs("common", "inter", "grants"), timeout=2)
    assert (findings["common"].verdict, findings["common"].how_found) == ("present", "same_page")
    assert (findings["inter"].verdict, findings["inter"].how_found) == ("placeholder", "same_page")
    assert "позднее" in findings["inter"].problem
    assert not findings["inter"].present
    assert findings["grants"].verdict == "absent"


def test_placeholders_are_told_from_short_real_answers():
    struct = norm.subsection("struct")
    routes = {
        "/": page("Школа № 7", "<p>Главная</p>"),
        # The order's own wording and nothing else.
        "/sveden/struct": page(
            struct.title, f"<h1>{struct.title}</h1><p>{struct.requirement_text}</p>"
        ),
        # A real answer may be short: the school offers no paid services.
        "/sveden/paid_edu": page(
            "Платные образовательные услуги",
            "<h1>Платные образовательные услуги</h1><p>Платные образовательные услуги школа "
            "не оказывает.</p>",
        ),
        "/sveden/budget": page(
            "Финансово-хозяйственная деятельность",
            "<h1>Финансово-хозяйственная деятельность</h1><table><tr><th>Показатель</th>"
            "<th>2024</th></tr><tr><td>Объём за счёт местного бюджета</td><td>—</td></tr>"
            "<tr><td>Поступления</td><td></td></tr></table>",
        ),
        "/sveden/vacant": page(
            "Вакантные места",
            '<h1>Вакантные места</h1><div itemprop="vacant" itemscope>'
            '<span itemprop="eduProf"></span><span itemprop="numberBMVacant"> </span></div>',
        ),
        "/sveden/inter": page(
            "Международное сотрудничество",
            '<h1>Международное сотрудничество</h1><p itemprop="internationalDog">нет</p>',
        ),
        "/sveden/grants": page(
            "Стипендии и меры поддержки обучающихся",
            "<h1>Стипендии и меры поддержки обучающихся</h1><p>Раздел в разработке</p>",
        ),
    }
    with Site(routes) as site:
        findings = check_site(
            site.url,
            norm_specs("struct", "paid_edu", "budget", "vacant", "inter", "grants"),
            timeout=2,
        )
    verdicts = {key: f.verdict for key, f in findings.items()}
    assert verdicts == {
        "struct": "placeholder",
        "paid_edu": "present",
        "budget": "placeholder",
        "vacant": "placeholder",
        "inter": "present",
        "grants": "placeholder",
    }
    assert "повторяет требования" in findings["struct"].problem
    assert "без данных" in findings["budget"].problem
    assert findings["vacant"].items["eduProf"] == "empty"
    assert "в разработке" in findings["grants"].problem
    assert all(f.how_found == "standard" for f in findings.values())


def test_old_microdata_counts_as_present_but_outdated():
    routes = {
        "/": page("Школа № 7", "<p>Главная</p>"),
        "/sveden/education": page(
            "Образование",
            '<h1>Образование</h1><p>Язык обучения: <span itemprop="language">русский</span></p>'
            '<p itemprop="eduChislen">Всего обучающихся: 412</p>',
        ),
        "/sveden/common": page(
            "Основные сведения", COMMON_MICRODATA.replace('"regDate"', '"RegDate"')
        ),
    }
    with Site(routes) as site:
        findings = check_site(site.url, norm_specs("education", "common"), timeout=2)
    education = findings["education"]
    assert (education.verdict, education.present) == ("outdated", True)
    assert education.items["languageEl"] == "outdated"
    assert education.items["eduChislenEl"] == "outdated"
    assert education.items["opMain"] == "missing"
    assert "language" in education.matched
    # The 2014 rules' UpperCamelCase is the same name.
    assert findings["common"].items["regDate"] == "present"


def test_robots_txt_keeps_links_unread_but_not_the_standard_addresses():
    routes = {
        "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /\n"),
        "/": page("Школа", "<p>Главная</p>", '<a href="/o-nas/dokumenty">Документы</a>'),
        "/sveden/common": page("Основные сведения", COMMON_MICRODATA),
        "/o-nas/dokumenty": page(
            "Документы", '<h1>Документы</h1><a itemprop="ustavDocLink" href="/u.pdf">Устав</a>'
        ),
        "/sveden/document": (404, "text/html", b"<h1>Not found</h1>"),
    }
    asked = []
    with Site({path: _logged_route(asked, path, a) for path, a in routes.items()}) as site:
        findings = check_site(site.url, norm_specs("common", "document"), timeout=2)
    assert findings["common"].verdict == "present"
    assert findings["document"].verdict == "absent"
    assert "/o-nas/dokumenty" not in asked
    assert "/sveden/document" in asked  # the norm's own address is read all the same


def _logged_route(asked, path, answer):
    status, content_type, body = answer

    def respond(handler):
        asked.append(path)
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def test_a_site_is_read_one_request_at_a_time_with_a_polite_user_agent():
    lock = threading.Lock()
    state = {"now": 0, "most": 0, "agents": set()}
    routes = complete_site()

    def counted(answer):
        status, content_type, body = answer

        def respond(handler):
            with lock:
                state["now"] += 1
                state["most"] = max(state["most"], state["now"])
                state["agents"].add(handler.headers.get("User-Agent"))
            time.sleep(0.02)
            with lock:
                state["now"] -= 1
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        return respond

    with Site({path: counted(answer) for path, answer in routes.items()}) as site:
        findings = check_site(site.url, ITEMS)
    assert all(f.present for f in findings.values())
    assert state["most"] == 1
    assert state["agents"] == {checker.USER_AGENT}
    assert "NOKO" in checker.USER_AGENT


def test_contacts_are_looked_for_where_people_look():
    menu = (
        '<a href="/kontakty/">Контакты</a> <a href="/nok/">Независимая оценка качества</a> '
        '<a href="/sveden/">Сведения об образовательной организации</a>'
    )
    footer_numbers = "<p>ИНН 6601234567, ОГРН 1026601234567, р/с 40702810900000001234</p>"
    routes = {
        "/": page("Школа", f"<p>Главная</p>{footer_numbers}", menu),
        "/sveden/": page("Сведения", "<h1>Сведения об образовательной организации</h1>", menu),
        "/kontakty/": page("Контакты", "<h1>Контакты</h1><p>Приёмная: (4236) 62-40-68</p>", menu),
        "/sveden/common": page(
            "Основные сведения",
            COMMON_MICRODATA + '<p>Почта: <span itemprop="email">school7@example.ru</span></p>',
            menu,
        ),
        "/nok/": page(
            "НОК",
            '<h1>Независимая оценка качества</h1><a href="https://notbus.gov.ru/">отзыв</a> '
            '<a href="https://bus.gov.ru/info-card/372155">Наша карточка на bus.gov.ru</a>',
            menu,
        ),
    }
    with Site(routes) as site:
        findings = check_site(
            site.url,
            norm_specs("phone", "email", "bus_gov", "appeals", "visually_impaired"),
            timeout=2,
        )
    assert (findings["phone"].verdict, findings["phone"].how_found) == ("present", "contacts")
    assert "(4236) 62-40-68" in findings["phone"].matched
    assert (findings["email"].verdict, findings["email"].how_found) == ("present", "common")
    assert (findings["bus_gov"].verdict, findings["bus_gov"].how_found) == ("present", "noko")
    assert "карточку организации" in findings["bus_gov"].matched
    assert findings["appeals"].verdict == "absent"
    assert findings["visually_impaired"].verdict == "absent"


def test_widgets_prove_appeals_a_form_and_the_version_for_the_visually_impaired():
    body = (
        '<script src="https://pos.gosuslugi.ru/bin/script.min.js"></script>'
        '<div id="js-show-iframe-wrapper"></div><a class="bvi-open" href="#">'
        '<img src="/eye.png" alt=""></a>'
    )
    routes = {"/": page("Школа", body)}
    with Site(routes) as site:
        findings = check_site(
            site.url, norm_specs("appeals", "feedback_form", "visually_impaired"), timeout=2
        )
    assert {f.verdict for f in findings.values()} == {"present"}
    assert {f.how_found for f in findings.values()} == {"home"}
    assert "pos.gosuslugi.ru" in findings["appeals"].matched


def test_a_bad_link_costs_only_that_link():
    bad = (
        '<a href="http://[::1">IPv6</a> <a href="http://school.ru:99999/">порт</a> '
        '<a href="http://exa mple.ru/">пробел</a> <a href="%zz%">экранирование</a> '
        '<a href="tel:">пустой</a> <a href="/sveden/dokument/">Документы</a>'
    )
    routes = {
        "/": page("Школа", f"<p>Главная</p>{bad}"),
        "/sveden/dokument/": page(
            "Документы",
            f'<h1>Документы</h1>{bad}<a itemprop="ustavDocLink" href="/u.pdf">Устав школы</a>',
        ),
    }
    with Site(routes) as site:
        findings = check_site(site.url, norm_specs("document", "phone"), timeout=2)
    assert (findings["document"].verdict, findings["document"].how_found) == ("present", "variant")
    assert findings["phone"].verdict == "absent"


def test_single_byte_cyrillic_is_read_whatever_the_site_declares():
    heading = "Основные сведения"
    koi8 = f"<html><body><h1>{heading}</h1><p>Школа</p></body></html>".encode("koi8-r")
    cp1251_as_koi8 = f"<html><body><h1>{heading}</h1></body></html>".encode("cp1251")
    with_bom = "\ufeff<html><body><h1>Документы</h1></body></html>".encode()
    assert heading in checker.decode(koi8, "text/html; charset=koi8-r")
    assert heading in checker.decode(koi8, "text/html")
    assert heading in checker.decode(cp1251_as_koi8, "text/html; charset=koi8-r")
    assert "Документы" in checker.decode(with_bom, "text/html; charset=windows-1251")


def test_the_same_site_is_the_host_with_or_without_www_over_http_or_https():
    assert checker.same_site("https://www.school.ru/sveden/", "http://school.ru")
    assert checker.same_site("http://school.ru/", "https://www.school.ru")
    assert not checker.same_site("https://school.ru.evil.com/", "https://school.ru")
    assert not checker.same_site("https://evil.com/?https://school.ru", "https://school.ru")
    assert not checker.same_site("ftp://school.ru/", "https://school.ru")


def test_a_page_that_answers_500_is_unreachable_not_absent():
    menu = (
        '<a href="/o-nas/finansy">Финансово-хозяйственная деятельность</a> '
        '<a href="/priemnaya/">Интернет-приёмная</a>'
    )
    error = (500, "text/html", b"<h1>Internal Server Error</h1>")
    routes = {
        "/": page("Школа", "<p>Главная</p>", menu),
        "/o-nas/finansy": error,
        "/priemnaya/": error,
    }
    with Site(routes) as site:
        findings = check_site(site.url, norm_specs("budget", "appeals", "faq"), timeout=2)
    assert (findings["budget"].verdict, findings["budget"].status) == ("unreachable", 500)
    assert findings["budget"].url == site.url + "/o-nas/finansy"
    assert (findings["appeals"].verdict, findings["appeals"].status) == ("unreachable", 500)
    assert findings["faq"].verdict == "absent"


def test_documents_linked_or_shown_are_content_even_when_titled_as_the_order_words_them():
    sved = '<a href="/sveden/document">Документы</a> <a href="/sveden/paid_edu">Платные</a>'
    routes = {
        "/": page("Школа", "<p>Главная</p>", sved),
        "/sveden/document": page(
            "Документы",
            '<h1>Документы</h1><ul><li><a href="/files/ustav.pdf">Устав образовательной '
            'организации</a></li><li><a href="/files/pvr.docx">Правила внутреннего распорядка '
            "обучающихся</a></li></ul>",
            sved,
        ),
        "/sveden/paid_edu": page(
            "Платные образовательные услуги",
            '<h1>Платные образовательные услуги</h1><iframe src="https://docs.google.com/'
            'viewer?url=x" title="Положение"></iframe>',
            sved,
        ),
        "/sveden/budget": page(
            "Финансово-хозяйственная деятельность",
            "<h1>Финансово-хозяйственная деятельность</h1><p>План финансово-хозяйственной "
            "деятельности образовательной организации</p>",
            sved,
        ),
    }
    with Site(routes) as site:
        findings = check_site(site.url, norm_specs("document", "paid_edu", "budget"), timeout=2)
    assert findings["document"].verdict == "present"
    assert findings["paid_edu"].verdict == "present"
    # Only the requirement's words, no document behind them: a placeholder.
    assert findings["budget"].verdict == "placeholder"
