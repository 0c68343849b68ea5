"""A parent on a phone answers the questionnaire; a second attempt is turned away."""

import pytest
from django.test import override_settings

from registry.tests.factories import OrganisationFactory
from surveys.models import Response
from surveys.tests.factories import CampaignFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(SURVEY_MIN_FILL_SECONDS=0)
def test_parent_answers_on_a_phone_with_routing(live_server, phone_page, tmp_path):
    organisation = OrganisationFactory(name="МБОУ «Школа № 5»")
    CampaignFactory()
    page = phone_page
    url = f"{live_server.url}/survey/{organisation.code}/parents/"

    page.goto(url)
    assert "МБОУ «Школа № 5»" in page.locator(".survey__school").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= 360")

    def choose(key, value):
        page.locator(f"#q-{key} input[value='{value}']").check()

    choose("q1", "no")
    assert page.locator("#q-q2").is_hidden()  # routing hides the follow-up
    choose("q3", "yes")
    assert page.locator("#q-q4").is_visible()
    for key in ("q4", "q5", "q8", "q9", "q10", "q11", "q12", "q13", "q14"):
        choose(key, "yes")
    choose("q6", "no")
    assert page.locator("#q-q7").is_hidden()
    page.fill("#id_q15", "Нужна тёплая раздевалка")
    page.screenshot(path=tmp_path / "01-form.png", full_page=True)
    page.get_by_role("button", name="Отправить ответы").click()
    page.wait_for_url("**/thanks/")
    assert "Спасибо" in page.locator("h1").inner_text()
    page.screenshot(path=tmp_path / "02-thanks.png")

    stored = Response.objects.get()
    assert (stored.q1, stored.q2, stored.q3, stored.q7) == (False, None, True, None)
    assert stored.suggestion == "Нужна тёплая раздевалка"

    page.goto(url)
    assert "Вы уже ответили" in page.locator("h1").inner_text()
    page.screenshot(path=tmp_path / "03-again.png")
    assert Response.objects.count() == 1
