"""The questionnaire embedded on the school's own page: answerable there, private to the
visitor, and gone once this browser has answered."""

import re

import pytest

from registry.tests.factories import OrganisationFactory
from surveys.models import Response
from surveys.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_school_page_carries_both_questionnaires_and_accepts_an_answer(client, settings):
    settings.SURVEY_MIN_FILL_SECONDS = 0
    CampaignFactory()
    school = OrganisationFactory()
    page = client.get(school.page.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert f'action="/survey/{school.code}/parents/"' in html
    assert f'action="/survey/{school.code}/students/"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique with two forms on a page"
    assert 'id="parents-q-q2"' in html and 'data-depends-on="q1"' in html

    token = re.search(
        rf'action="/survey/{school.code}/parents/".*?name="form_token" value="([^"]+)"',
        html,
        re.S,
    ).group(1)
    answers = {f"q{n}": "yes" for n in range(1, 15)}
    response = client.post(
        f"/survey/{school.code}/parents/", {**answers, "q15": "", "form_token": token}
    )
    assert response.status_code == 302
    assert Response.objects.filter(organisation=school, audience="parents").count() == 1

    again = client.get(school.page.url).content.decode()
    assert "Вы уже ответили на эту анкету" in again
    assert f'action="/survey/{school.code}/parents/"' not in again
    assert f'action="/survey/{school.code}/students/"' in again


def test_without_an_open_campaign_the_page_has_no_form(client):
    school = OrganisationFactory()
    page = client.get(school.page.url)
    assert "form_token" not in page.content.decode()
    assert "no-store" not in page.get("Cache-Control", "")
