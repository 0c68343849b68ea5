"""The page cache on two app servers sharing Redis: a page kept by one is served by the other,
a change made through either is seen on the next request to the other, and a school page
kept during a campaign carries nothing of the visitor who caused it to be kept.

Behind a load balancer both servers answer one host name, so every request here names the
same Host (server A's address), whichever server it goes to.
"""

import re
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from core.permissions import editors_group
from registry.tests.factories import OrganisationFactory
from schools.models import SchoolPage
from surveys.tests.factories import CampaignFactory
from surveys.tests.test_questionnaire import answers

from .test_two_servers import hidden, make_user, school_edit_data, sign_in

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Browser:
    """A visitor behind the proxy, with its own cookies, asking either server for one host."""

    def __init__(self, host):
        self.host = host
        self.session = requests.Session()

    def get(self, url):
        return self.seen(
            self.session.get(
                url,
                headers={"Host": self.host, "X-Forwarded-Proto": "https"},
                allow_redirects=False,
                timeout=30,
            )
        )

    def seen(self, response):
        # The browser saw HTTPS: its Secure cookies go back on the plain hop to the server.
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def post(self, url, data):
        response = self.session.post(
            url,
            data=data,
            headers={
                "Host": self.host,
                "X-Forwarded-Proto": "https",
                "Origin": f"https://{self.host}",
                "Referer": f"https://{self.host}/",
            },
            allow_redirects=False,
            timeout=30,
        )
        return self.seen(response)


def test_a_change_through_one_server_is_seen_on_the_next_request_to_the_other(cluster):
    a, b = cluster.a, cluster.b
    host = urlsplit(a).netloc
    school = OrganisationFactory(short_name="Гимназия Полярная звезда")
    page = SchoolPage.objects.get(organisation=school)
    CampaignFactory()
    editor = make_user("cache_editor")
    editor.groups.add(editors_group())

    # Kept by B, served by A from the shared cache. (The very first render of the site writes
    # the operator settings' row, which rightly leaves that render unkept.)
    Browser(host).get(f"{b}{page.url}")
    first = Browser(host).get(f"{b}{page.url}")
    assert first.status_code == 200 and first.headers["X-Page-Cache"] == "miss"
    assert first.headers["Cache-Control"].startswith("public")
    assert not first.cookies
    kept = Browser(host).get(f"{a}{page.url}")
    assert kept.headers["X-Page-Cache"] == "hit" and kept.text == first.text

    # Nothing personal in it: two browsers get their own tokens from either server.
    one, two = Browser(host), Browser(host)
    mine = one.get(f"{a}/survey/{school.code}/form-tokens/").json()
    theirs = two.get(f"{b}/survey/{school.code}/form-tokens/").json()
    token = mine["groups"]["parents"]["token"]
    assert token != theirs["groups"]["parents"]["token"]
    assert token not in kept.text and mine["csrf"] not in kept.text
    sent = one.post(
        f"{b}/survey/{school.code}/parents/",
        {**answers(), "form_token": token, "csrfmiddlewaretoken": mine["csrf"]},
    )
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/thanks/")

    def answered(browser, base):
        given = browser.get(f"{base}/survey/{school.code}/form-tokens/").json()
        return given["groups"]["parents"]["answered"]

    assert answered(one, a) and not answered(two, a)
    after = Browser(host).get(f"{b}{page.url}")
    assert after.headers["X-Page-Cache"] == "hit", "an answer does not empty the cache"
    assert "Вы уже ответили" not in after.text

    # An editor changes the page through A; B shows it on the next request.
    editor_browser = cluster.client("203.0.113.7")
    sign_in(editor_browser, a, editor.username)
    edit_path = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form = editor_browser.get(f"{a}{edit_path}")
    published = editor_browser.post(
        f"{a}{edit_path}",
        school_edit_data(
            page,
            hidden(form.text, "csrfmiddlewaretoken"),
            intro="Новая редакция страницы школы.",
            **{"action-publish": "1"},
        ),
        follow=False,
    )
    assert published.status_code == 302, published.text[:2000]
    fresh = Browser(host).get(f"{b}{page.url}")
    assert "Новая редакция страницы школы." in fresh.text
    assert fresh.headers["X-Page-Cache"] == "miss"
    # The signed-in editor is never answered from the cache, on either server.
    for base in (a, b):
        own = editor_browser.get(f"{base}{page.url}")
        assert "X-Page-Cache" not in own.headers
        assert "private" in own.headers["Cache-Control"]
    assert re.search(r"Новая редакция", Browser(host).get(f"{a}{page.url}").text)
