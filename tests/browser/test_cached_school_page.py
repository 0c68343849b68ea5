"""A parent answers the questionnaire embedded on a school's page that came from the page
cache: the form appears once its token arrives, the answer is stored once, and the same page
still comes from the cache for the next visitor, under the site's Content-Security-Policy."""

import pytest
from django.test import override_settings

from home.tests.factories import OperatorSettingsFactory
from registry.tests.factories import OrganisationFactory
from surveys.models import Response
from surveys.tests.factories import CampaignFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(SURVEY_MIN_FILL_SECONDS=0, PAGE_CACHE_ENABLED=True)
def test_a_parent_answers_on_the_cached_school_page(live_server, desktop_page, browser):
    OperatorSettingsFactory()
    school = OrganisationFactory(name="МБОУ «Школа № 9»")
    CampaignFactory()
    url = f"{live_server.url}{school.page.url}"
    # Someone else opened the page first: it is kept.
    other = browser.new_context()
    assert other.new_page().goto(url).headers["x-page-cache"] == "miss"
    other.close()

    page = desktop_page
    problems = []
    page.on("console", lambda message: problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    opened = page.goto(url)
    assert opened.headers["x-page-cache"] == "hit"
    assert "nonce-" not in opened.headers["content-security-policy"]

    embedded = page.locator("#anketa-parents")
    embedded.wait_for(state="visible")
    embedded.locator("summary").click()
    form = embedded.locator("form")
    assert form.locator("input[name='form_token']").input_value()
    for number in range(1, 15):
        form.locator(f"#parents-q-q{number} input[value='yes']").check()
    form.get_by_role("button", name="Отправить ответы").click()
    page.wait_for_url("**/thanks/")
    assert Response.objects.filter(organisation=school, audience="parents").count() == 1

    # Back on the page (still the kept one): this browser is told it has answered.
    again = page.goto(url)
    assert again.headers["x-page-cache"] == "hit"
    embedded.wait_for(state="visible")
    embedded.locator("summary").click()
    assert "Вы уже ответили" in embedded.inner_text()
    assert embedded.locator("form").count() == 0
    assert not [text for text in problems if "Content Security Policy" in text], problems
    assert Response.objects.count() == 1


@override_settings(PAGE_CACHE_ENABLED=True)
def test_without_javascript_the_page_offers_the_questionnaire_links(live_server, browser):
    school = OrganisationFactory()
    CampaignFactory()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{school.page.url}")
    assert page.locator("#anketa-parents").is_hidden()
    link = page.locator(f".survey-links a[href='/survey/{school.code}/parents/']")
    assert link.is_visible()
    link.click()
    page.wait_for_url(f"**/survey/{school.code}/parents/")
    assert page.locator("input[name='form_token']").input_value()
    context.close()
