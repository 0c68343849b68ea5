"""The public site runs under its Content-Security-Policy without a single violation
(security.md case 40): no inline script or style, nothing from another site."""

import pytest

from home.tests.factories import site_home_page
from registry.tests.factories import OrganisationFactory
from schools.models import SchoolPage
from surveys.tests.factories import CampaignFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Recorded in the page itself: the browser reports every refused script, style or frame.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def test_public_pages_pass_their_policy(live_server, phone_page):
    site_home_page()
    school = OrganisationFactory(name="МБОУ «Школа № 5»")
    CampaignFactory()
    school_page = SchoolPage.objects.get(organisation=school)
    page = phone_page
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))

    for path in (
        "/",
        school_page.url,
        f"/survey/{school.code}/parents/",
        f"/survey/{school.code}/leaflet/",
        f"/survey/{school.code}/parents/embed/",
        "/ratings/",
        "/search/?q=школа",
    ):
        response = page.goto(f"{live_server.url}{path}")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy, path
        if path == "/":
            # The visually-impaired version, with its own controls.
            page.get_by_role("link", name="Версия для слабовидящих").click()
            page.wait_for_load_state()
        assert page.evaluate("window.__violations") == [], path
    assert not [text for text in console if "Content Security Policy" in text]
