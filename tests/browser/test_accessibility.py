"""WCAG 2.1 AA in every scheme and width: axe-core over every page type a visitor, a school's
staff, a coordinator and an expert open, in the default scheme and the visually-impaired ones,
at 1366 px and on a 360 px phone; plus the concrete bugs of issue #18 one by one.

axe-core comes bundled in the ``axe-playwright-python`` wheel (no network at test time); it is
injected into each page through Playwright and run with the WCAG 2.0/2.1 A and AA tags only.

The matrix: four combinations of colour scheme and font size cover every scheme and every size
(default/normal, black-on-white/large, white-on-black/xlarge, blue-on-lightblue/xlarge), each
at both widths, so eight browser contexts. The demo region is built once for the whole matrix
(one test: a transactional test empties the database after itself, so a second test would have
to build it again), and each combination keeps one browser context in which the signed-in user
is switched by swapping the session cookie. The Wagtail admin ignores the site's ``a11y``
cookie, so it is checked in the default combination only (at both widths). The whole matrix
runs in the SQLite pass of CI; the PostgreSQL pass checks the default combination (see
``combos_for_this_database``), which keeps both passes well inside the CI budget.
"""

from io import StringIO

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client

from accountability.models import ImprovementPlan
from home.models import NewsPage
from monitoring.models import ExpertAssignment
from schools.models import SchoolPage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
# (label, value of the ``a11y`` cookie; format in cms/accessibility.py)
COMBOS = [
    ("default/normal", "off"),
    ("black-on-white/large", "on|large|black-on-white|img"),
    ("white-on-black/xlarge", "on|xlarge|white-on-black|img"),
    ("blue-on-lightblue/xlarge", "on|xlarge|blue-on-lightblue|img"),
]
WIDTHS = (1366, 360)
# Against the phone's 360 px, not innerWidth: a mobile viewport zooms out to a wider page and
# its innerWidth grows with it, so that comparison would always hold.
FITS = "document.documentElement.scrollWidth <= 360"
SCROLL_WIDTHS = "[document.documentElement.scrollWidth, window.innerWidth]"


def axe_violations(page, where):
    """Every violation on the page as «where: rule at target — summary» lines."""
    response = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    lines = []
    for violation in response["violations"]:
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())[:200]
            lines.append(f"{where}: {violation['id']} at {node['target']} — {summary}")
    return lines


def session_cookie(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def demo_region_pages():
    """The URLs of every page type in the small demo region, by who opens them."""
    call_command("load_demo", "--scale", "small", "--with-accounts", stdout=StringIO())
    school = SchoolPage.objects.select_related("organisation").get(
        organisation__short_name="МАОУ «Гимназия № 8»"
    )
    code = school.organisation.code
    plan = ImprovementPlan.objects.filter(status="approved").select_related("organisation")
    plan = plan.order_by("-year").first()
    plan_year = ImprovementPlan.objects.filter(organisation=school.organisation)
    plan_year = plan_year.order_by("-year").values_list("year", flat=True).first()
    assignment = ExpertAssignment.objects.filter(expert__user__username="expert").first()
    public = [
        "/",
        "/metodika/",
        "/novosti/",
        NewsPage.objects.live().order_by("-date", "pk").first().url,
        "/schools/",
        school.url,
        "/ratings/",
        f"/ratings/{plan.year}/",
        f"/ratings/compare/?year={plan.year}&org={code}&org={plan.organisation.code}",
        f"/year/{plan.year}/",
        f"/year/{plan.year}/discussion/",
        "/council/",
        f"/plans/{plan.year}/",
        f"/plans/{plan.year}/{plan.organisation.code}/",
        "/search/?q=гимназия",
        "/voprosy/",
        "/kontakty/",
        "/anketa/",
        "/no-such-page/",
        f"/survey/{code}/parents/",
    ]
    cabinet = {
        "school2": [
            "/cabinet/",
            "/cabinet/report/",
            "/cabinet/preliminary/",
            "/cabinet/plan/",
            f"/cabinet/plan/{plan_year}/",
            "/cabinet/discussion/",
        ],
        "coordinator": ["/cabinet/", "/cabinet/municipality/", "/cabinet/municipality/experts/"],
        "expert": ["/cabinet/", f"/cabinet/expert/{assignment.pk}/"],
    }
    admin = [
        "/admin/",
        f"/admin/pages/{school.pk}/edit/",
        "/admin/images/multiple/add/",
        "/admin/images/add/",
    ]
    return public, f"/survey/{code}/parents/", cabinet, admin


def check(page, url, where, problems, phone, fits=True, ready=None):
    response = page.goto(url)
    assert response.status < 500, f"{where}: status {response.status}"
    if ready:
        page.wait_for_selector(ready)
    problems.extend(axe_violations(page, where))
    if phone and fits and not page.evaluate(FITS):
        problems.append(f"{where}: scrolls sideways, {page.evaluate(SCROLL_WIDTHS)}")


def combos_for_this_database():
    """The full matrix once per CI run: on SQLite (the first pass). Schemes and font sizes are
    stylesheet choices that no database changes, so the PostgreSQL pass checks the default
    scheme at both widths, which is what can differ there: the rows the pages show."""
    if connection.vendor == "postgresql":
        return COMBOS[:1]
    return COMBOS


def set_session(context, base, session):
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base}])


def test_every_page_type_passes_axe_and_fits_a_phone_in_every_scheme(live_server, browser):
    public, survey, cabinet, admin = demo_region_pages()
    sessions = {username: session_cookie(username) for username in cabinet}
    base = live_server.url
    problems = []
    for label, cookie in combos_for_this_database():
        for width in WIDTHS:
            phone = width == 360
            context = browser.new_context(
                viewport={"width": width, "height": 800 if phone else 900},
                locale="ru-RU",
                is_mobile=phone,
                has_touch=phone,
            )
            context.add_cookies([{"name": "a11y", "value": cookie, "url": base}])
            # axe-core is loaded into every page of the context before the page's own scripts,
            # sent to the browser once per context rather than once per page.
            context.add_init_script(script=AXE_SCRIPT)
            page = context.new_page()
            page.set_default_timeout(15_000)
            for url in public:
                check(page, base + url, f"{url} [{label}, {width}px]", problems, phone)

            # The questionnaire sent empty: its error summary and the marked questions.
            page.goto(base + survey)
            page.locator(".survey__submit").first.click()
            page.wait_for_selector(".form-errors")
            where = f"{survey} error summary [{label}, {width}px]"
            problems.extend(axe_violations(page, where))
            if phone and not page.evaluate(FITS):
                problems.append(f"{where}: scrolls sideways, {page.evaluate(SCROLL_WIDTHS)}")

            for username, urls in cabinet.items():
                set_session(context, base, sessions[username])
                for url in urls:
                    where = f"{url} as {username} [{label}, {width}px]"
                    check(page, base + url, where, problems, phone)

            # School staff in the admin: the dashboard, their page's editor, image uploads. The
            # admin has its own theme and ignores the site's a11y cookie, so the other
            # combinations would render the very same pages: checked with the first, at both
            # widths (the admin is not held to the no-sideways-scroll rule of the site).
            if cookie == COMBOS[0][1]:
                set_session(context, base, sessions["school2"])
                for url in admin:
                    ready = ".public-DraftEditor-content" if "/edit/" in url else None
                    where = f"{url} as school2 [{width}px]"
                    check(page, base + url, where, problems, phone, fits=False, ready=ready)
            context.close()
    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)
