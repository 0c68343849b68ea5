"""A parent answers the questionnaire inside the school's own website: the iframe is on
another site, where the browser sends none of our SameSite=Lax cookies (security.md case 33)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from registry.tests.factories import OrganisationFactory
from surveys.models import Response
from surveys.tests.factories import CampaignFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def school_site(live_server):
    """The school's website: a page of its own that frames our questionnaire. Served under
    the other loopback name than the portal, so the two are different sites to the browser."""
    portal_host = urlsplit(live_server.url).hostname
    site_host = "127.0.0.1" if portal_host == "localhost" else "localhost"
    pages = {}

    class SchoolSite(BaseHTTPRequestHandler):
        def do_GET(self):
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), SchoolSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def publish(path, embed_url):
        pages[path] = (
            '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">'
            "<title>Сайт школы № 5</title></head><body><h1>Сайт школы № 5</h1>"
            f'<iframe src="{embed_url}" title="Анкета для родителей" width="100%" height="2600">'
            "</iframe></body></html>"
        )
        return f"http://{site_host}:{server.server_address[1]}{path}"

    yield publish
    server.shutdown()
    server.server_close()


@override_settings(SURVEY_MIN_FILL_SECONDS=0)
def test_parent_answers_inside_the_school_website(live_server, school_site, browser, tmp_path):
    organisation = OrganisationFactory(name="МБОУ «Школа № 5»")
    CampaignFactory()
    embed_url = f"{live_server.url}/survey/{organisation.code}/parents/embed/"
    page = browser.new_context(locale="ru-RU").new_page()
    page.set_default_timeout(15_000)
    page.goto(school_site("/anketa.html", embed_url))
    frame = page.frame_locator("iframe")
    assert "МБОУ «Школа № 5»" in frame.locator(".survey__school").inner_text()

    for key in ("q1", "q2", "q3", "q4", "q5", "q8", "q9", "q10", "q11", "q12", "q13", "q14"):
        frame.locator(f"#q-{key} input[value='yes']").check()
    frame.locator("#q-q6 input[value='no']").check()
    frame.get_by_role("button", name="Отправить ответы").click()
    frame.locator("h1", has_text="Спасибо").wait_for()
    page.screenshot(path=tmp_path / "embed-thanks.png", full_page=True)

    stored = Response.objects.get()
    assert (stored.organisation_id, stored.q1, stored.q6, stored.q7) == (
        organisation.pk,
        True,
        False,
        None,
    )
    page.context.close()
