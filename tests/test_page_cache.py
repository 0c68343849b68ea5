"""The page cache (core/page_cache.py): what anonymous visitors get from it, what never
enters it, every change that makes it stale, the headers of each kind of page, and the purge
of a front-end cache.

"Two servers" here are two test clients sharing the cache, as two app servers share Redis;
tests/cluster/test_page_cache_cluster.py does it with real servers."""

import datetime
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from core import page_cache
from home.tests.factories import ContentPageFactory, OperatorSettingsFactory
from registry.models import Organisation
from registry.tests.factories import OrganisationFactory
from results.services import compute_year, publish_year
from results.tests.factories import AssessmentInputFactory
from surveys.models import Campaign
from surveys.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

YEAR = 2025
HIT = "X-Page-Cache"


@pytest.fixture(autouse=True)
def cache_on(settings, db):
    settings.PAGE_CACHE_ENABLED = True
    settings.PUBLIC_MAX_AGE = 60
    settings.PUBLIC_S_MAXAGE = 120
    settings.PAGE_CACHE_SECONDS = 300
    # Wagtail creates the settings row at the first render that reads it: a write, which
    # (rightly) leaves that first render unkept. Made here, so every test starts from a site
    # whose first render is kept.
    OperatorSettingsFactory()


@pytest.fixture
def servers():
    """Two app servers' clients: each request from a fresh browser (no cookies)."""
    return Client(), Client()


@pytest.fixture
def content_page(home_page):
    page = ContentPageFactory(parent=home_page, title="О проекте", intro="Первая редакция.")
    return page


def text(response):
    return response.content.decode()


def kept(client, url, **kwargs):
    """Ask twice: the second answer must come from the page cache."""
    first = client.get(url, **kwargs)
    second = client.get(url, **kwargs)
    assert second.get(HIT) == "hit", (url, first.status_code, first.get("Cache-Control"))
    return second


# --- What is kept, and for whom ------------------------------------------------------------


def test_a_page_is_rendered_once_and_then_served_from_the_cache(servers, content_page):
    a, b = servers
    first = a.get(content_page.url)
    assert first.status_code == 200 and first[HIT] == "miss"
    again = b.get(content_page.url)
    assert again[HIT] == "hit" and again.content == first.content
    assert again["Cache-Control"] == "public, max-age=60, s-maxage=120"
    assert again["Vary"] == "Cookie"
    assert again["Content-Type"].startswith("text/html")


def test_the_visually_impaired_preference_is_part_of_the_key(client, content_page):
    plain = kept(client, content_page.url)
    client.cookies["a11y"] = "on|xlarge|white-on-black|img"
    large = client.get(content_page.url)
    assert large[HIT] == "miss" and "a11y-font-xlarge" in text(large)
    assert "a11y-font-xlarge" not in text(plain)
    assert client.get(content_page.url)[HIT] == "hit"
    # Garbage in the cookie is the plain page, and shares its entry.
    other = Client()
    other.cookies["a11y"] = "nonsense"
    assert other.get(content_page.url)[HIT] == "hit"
    assert other.get(content_page.url).content == plain.content


def test_a_search_is_never_kept(client, home_page):
    client.get("/ratings/?q=школа")
    response = client.get("/ratings/?q=школа")
    assert HIT not in response and "private" in response["Cache-Control"]
    assert client.get("/ratings/?q=")[HIT] == "miss", "an empty search is the listing"


def test_query_parameters_in_another_order_are_the_same_page(client, content_page):
    client.get(f"{content_page.url}?page=2&order=name")
    assert client.get(f"{content_page.url}?order=name&page=2")[HIT] == "hit"
    assert client.get(f"{content_page.url}?order=name&page=3")[HIT] == "miss"


def test_signed_in_visitors_never_get_or_leave_a_kept_page(client, content_page):
    kept(Client(), content_page.url)
    editor = get_user_model().objects.create_superuser("editor", password="x")
    client.force_login(editor)
    response = client.get(content_page.url)
    assert HIT not in response
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    page_cache.clear()
    client.get(content_page.url)
    assert Client().get(content_page.url)[HIT] == "miss", "an editor's page must not be kept"


def test_a_visitor_with_pending_messages_is_not_answered_from_the_cache(content_page):
    kept(Client(), content_page.url)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    assert HIT not in visitor.get(content_page.url)


def test_private_answers_errors_and_posts_are_never_kept(client, home_page):
    school = OrganisationFactory()
    CampaignFactory()
    for url in (f"/survey/{school.code}/parents/", f"/survey/{school.code}/form-tokens/"):
        client.get(url)
        assert HIT not in client.get(url), url
    client.get("/no-such-page/")
    assert HIT not in client.get("/no-such-page/")
    assert client.post(school.page.url).get(HIT) is None
    # A kept page is answered only to GET.
    assert client.post(school.page.url).get(HIT) is None


def test_an_answer_with_a_cookie_an_error_or_private_headers_is_not_shareable(rf):
    from django.http import HttpResponse

    request = rf.get("/")

    def answer(status=200, **headers):
        response = HttpResponse("page", status=status, headers=headers)
        return page_cache.mark_public(response)

    assert page_cache.shareable(request, answer())
    with_cookie = answer()
    with_cookie.set_cookie("mine", "1")
    assert not page_cache.shareable(request, with_cookie)
    assert not page_cache.shareable(request, answer(status=404))
    assert not page_cache.shareable(request, answer(**{"Cache-Control": "private"}))
    assert not page_cache.shareable(request, answer(**{"Cache-Control": "no-store"}))
    assert not page_cache.shareable(request, answer(Vary="Accept"))
    assert page_cache.shareable(request, answer(Vary="Cookie, Accept-Language"))
    signed_in = rf.get("/", HTTP_COOKIE="sessionid=abc")
    assert not page_cache.shareable(signed_in, answer())


def test_cached_pages_carry_the_content_security_policy_without_a_nonce(client, content_page):
    first = client.get(content_page.url)
    second = client.get(content_page.url)
    assert second[HIT] == "hit"
    for response in (first, second):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "nonce-" not in policy
        assert "unsafe-inline" not in policy


def test_switched_off_nothing_is_kept_but_the_headers_stay(client, content_page, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get(content_page.url)
    response = client.get(content_page.url)
    assert HIT not in response
    assert response["Cache-Control"] == "public, max-age=60, s-maxage=120"


def test_the_clear_command_makes_every_kept_page_stale(client, content_page):
    kept(client, content_page.url)
    call_command("clear_page_cache", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert client.get(content_page.url)[HIT] == "miss"


# --- Every change is seen on the next request, by either server ---------------------------


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()


def test_publishing_a_page_is_seen_at_once(servers, content_page):
    a, b = servers
    kept(a, content_page.url)
    publish(content_page, intro="Вторая редакция.")
    assert "Вторая редакция." in text(b.get(content_page.url))


def test_a_draft_changes_nothing_public(servers, content_page):
    a, b = servers
    kept(a, content_page.url)
    content_page.intro = "Черновик."
    content_page.save_revision()
    assert "Черновик." not in text(b.get(content_page.url))


def test_unpublishing_moving_and_deleting_a_page_are_seen_at_once(servers, home_page):
    a, b = servers
    gone = ContentPageFactory(parent=home_page, title="Снимут")
    moved = ContentPageFactory(parent=home_page, title="Переедет")
    deleted = ContentPageFactory(parent=home_page, title="Удалят")
    section = ContentPageFactory(parent=home_page, title="Раздел")
    urls = {page.pk: page.url for page in (gone, moved, deleted)}
    for url in urls.values():
        kept(a, url)
    kept(a, "/")

    gone.unpublish()
    assert b.get(urls[gone.pk]).status_code == 404
    Page.objects.get(pk=moved.pk).move(section, pos="last-child")
    # Wagtail leaves a redirect at the old address.
    assert b.get(urls[moved.pk]).status_code == 301
    assert b.get(Page.objects.get(pk=moved.pk).url).status_code == 200
    Page.objects.get(pk=deleted.pk).delete()
    assert b.get(urls[deleted.pk]).status_code == 404
    # The menu on every page follows.
    home = text(b.get("/"))
    assert "Удалят" not in home and "Снимут" not in home


def test_the_menu_follows_a_page_shown_in_it(servers, content_page):
    a, b = servers
    assert "О проекте" not in text(kept(a, "/"))
    publish(content_page, show_in_menus=True)
    assert "О проекте" in text(b.get("/"))


def test_operator_settings_are_seen_at_once(servers, home_page):
    a, b = servers
    settings_row = OperatorSettingsFactory()
    assert "555-01-26" in text(kept(a, "/"))
    settings_row.phone = "+7 (800) 555-77-77"
    settings_row.save()
    assert "555-77-77" in text(b.get("/"))


def test_a_registry_change_is_seen_at_once_even_as_a_bulk_update(servers, home_page):
    a, b = servers
    school = OrganisationFactory(address="ул. Старая, 1")
    assert "ул. Старая, 1" in text(kept(a, school.page.url))
    school.address = "ул. Новая, 2"
    school.save()
    assert "ул. Новая, 2" in text(b.get(school.page.url))
    # An import writes with bulk statements and sends no signal.
    Organisation.objects.filter(pk=school.pk).update(address="ул. Импортная, 3")
    assert "ул. Импортная, 3" in text(a.get(school.page.url))


def test_publishing_and_republishing_ratings_is_seen_at_once(servers, home_page):
    a, b = servers
    school = AssessmentInputFactory(year=YEAR, organisation__short_name="Гимназия Рассвет")
    kept(a, "/ratings/")
    kept(a, school.organisation.page.url)
    compute_year(YEAR)
    assert "Гимназия Рассвет" not in text(b.get("/ratings/")), "a draft is not public"
    publish_year(YEAR)
    assert "Гимназия Рассвет" in text(b.get("/ratings/"))
    year_page = kept(a, f"/ratings/{YEAR}/")
    assert "Гимназия Рассвет" in text(year_page)
    school.recommend = 1
    school.save()
    compute_year(YEAR)
    publish_year(YEAR, change_note="Исправлены данные.")
    assert "Исправлены данные." in text(b.get(f"/ratings/{YEAR}/"))


def test_a_campaign_saved_or_closed_is_seen_at_once(servers, home_page):
    a, b = servers
    school = OrganisationFactory()
    assert "Сейчас анкетирование не проводится" in text(kept(a, school.page.url))
    campaign = CampaignFactory()
    assert "Анкетирование открыто до" in text(b.get(school.page.url))
    kept(a, school.page.url)
    # Behind the process's back (no signal): the page still follows, and so does the
    # process's memory of open campaigns.
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now())
    assert "Сейчас анкетирование не проводится" in text(b.get(school.page.url))


def test_a_campaign_opening_on_the_clock_cuts_the_kept_page(client, home_page, monkeypatch):
    school = OrganisationFactory()
    seconds_ahead = 100
    CampaignFactory(
        opens_at=timezone.now() + datetime.timedelta(seconds=seconds_ahead),
        closes_at=timezone.now() + datetime.timedelta(days=10),
    )
    first = client.get(school.page.url)
    assert "Сейчас анкетирование не проводится" in text(first)
    max_age = int(first["Cache-Control"].split("max-age=")[1].split(",")[0])
    s_maxage = int(first["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < max_age <= 60 and 0 < s_maxage <= seconds_ahead
    assert client.get(school.page.url)[HIT] == "hit"
    # Past the moment, the kept page is gone (the next request renders the page afresh).
    later = time.time() + seconds_ahead + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(school.page.url)[HIT] == "miss"


def test_without_a_moment_ahead_a_page_is_kept_its_full_time(client, home_page, monkeypatch):
    school = OrganisationFactory()
    client.get(school.page.url)
    later = time.time() + 101
    monkeypatch.setattr(time, "time", lambda: later)
    assert client.get(school.page.url)[HIT] == "hit"


def test_just_after_a_moment_pages_are_kept_only_for_the_memo_bound(settings):
    settings.PROCESS_MEMO_SECONDS = 30
    opens = timezone.now() + datetime.timedelta(seconds=50)
    CampaignFactory(opens_at=opens, closes_at=opens + datetime.timedelta(days=1))
    page_cache.moments_memo.forget()
    at = opens.timestamp()
    assert 4 <= page_cache.seconds_fresh("g", now=at - 5) <= 5  # the moment is ahead
    assert page_cache.seconds_fresh("g", now=at + 10) <= 20
    assert page_cache.seconds_fresh("g", now=at + 31) > 20


# --- Headers ------------------------------------------------------------------------------

PUBLIC = "public, max-age=60, s-maxage=120"


@pytest.fixture
def site(home_page):
    school = OrganisationFactory()
    CampaignFactory()
    AssessmentInputFactory(year=YEAR, organisation=school)
    compute_year(YEAR)
    publish_year(YEAR)
    page = ContentPageFactory(parent=home_page, title="Методика")
    return {"school": school, "page": page}


def test_each_kind_of_address_sends_its_cache_headers(client, site, settings):
    settings.PAGE_CACHE_ENABLED = False
    code = site["school"].code
    expected = {
        "/": PUBLIC,
        site["page"].url: PUBLIC,
        # The school page during a campaign: public, its questionnaire tokens are not in it.
        site["school"].page.url: PUBLIC,
        "/ratings/": PUBLIC,
        f"/ratings/{YEAR}/": PUBLIC,
        f"/ratings/compare/?year={YEAR}": PUBLIC,
        "/api/v1/ratings/": PUBLIC,
        "/year/": PUBLIC,
        f"/year/{YEAR}/": PUBLIC,
        "/council/": PUBLIC,
        # Personal: the questionnaire (CSRF, form token, «already answered») and its tokens.
        f"/survey/{code}/parents/": "max-age=0, no-store, private",
        f"/survey/{code}/form-tokens/": "max-age=0, no-store, private",
        # What a visitor searched for is theirs, and an index follows the database later.
        "/search/?q=школа": "private, max-age=0",
        "/ratings/?q=школа": "private, max-age=0",
        f"{site['school'].page.get_parent().url}?q=школа": "private, max-age=0",
        "/healthz/": "max-age=0, no-cache, no-store, must-revalidate, private",
        "/cabinet/": "max-age=0, no-cache, no-store, must-revalidate, private",
    }
    for url, cache_control in expected.items():
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        got = ", ".join(sorted(item.strip() for item in response["Cache-Control"].split(",")))
        want = ", ".join(sorted(item.strip() for item in cache_control.split(",")))
        assert got == want, url
        if cache_control == PUBLIC:
            assert response["Vary"] == "Cookie", url


# --- A front-end cache in front of the portal ---------------------------------------------


class PurgeRecorder:
    """A tiny HTTP server that records the PURGE requests a proxy would get."""

    def __init__(self):
        purges = self.purges = []

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                purges.append((self.headers["Host"], self.path))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def paths(self):
        return {path for _host, path in self.purges}

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def purge_recorder(settings):
    recorder = PurgeRecorder()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": recorder.url,
        }
    }
    yield recorder
    recorder.close()


def test_publishing_a_page_purges_it_from_the_front_end_cache(
    purge_recorder, content_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(content_page, intro="Вторая редакция.")
    assert content_page.url in purge_recorder.paths()
    with django_capture_on_commit_callbacks(execute=True):
        content_page.unpublish()
    assert [path for _h, path in purge_recorder.purges].count(content_page.url) == 2


def test_publishing_ratings_purges_the_ratings_pages_and_the_rated_schools(
    purge_recorder, home_page, django_capture_on_commit_callbacks
):
    school = AssessmentInputFactory(year=YEAR).organisation
    compute_year(YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        publish_year(YEAR)
    paths = purge_recorder.paths()
    for path in ("/ratings/", f"/ratings/{YEAR}/", "/api/v1/ratings/", f"/year/{YEAR}/"):
        assert path in paths, path
    assert school.page.url in paths
    assert f"/ratings/{YEAR}/export.csv" in paths


def test_without_a_front_end_cache_nothing_is_purged(home_page, content_page, settings):
    recorder = PurgeRecorder()
    try:
        publish(content_page, intro="Вторая редакция.")
        assert recorder.purges == []
    finally:
        recorder.close()


def test_a_password_protected_page_is_never_kept_or_marked_public(servers, home_page):
    from wagtail.models import PageViewRestriction

    secret = ContentPageFactory(parent=home_page, title="Закрытая страница", intro="Тайна.")
    PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="секрет"
    )
    first, second = servers
    restriction = secret.get_view_restrictions().get()
    unlocked = first.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{secret.pk}/",
        {"password": "секрет", "return_url": secret.url},
        follow=True,
    )
    assert "Тайна." in text(unlocked)
    assert "public" not in unlocked.headers.get("Cache-Control", "")

    stranger = second.get(secret.url)
    assert "Тайна." not in text(stranger)
    assert 'name="password"' in text(stranger)


def test_a_kept_page_keeps_its_security_headers(servers, content_page):
    """The cache answers before the security and CSP middleware run (core/page_cache.py is
    first in MIDDLEWARE): a kept page must still carry what they gave it when rendered."""
    first, other = servers
    rendered = first.get(content_page.url)
    replayed = kept(other, content_page.url)
    for header in (
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "X-Frame-Options",
    ):
        assert replayed[header] == rendered[header], header
    assert "script-src 'self'" in replayed["Content-Security-Policy"]
