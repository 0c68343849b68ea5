"""The questionnaire embedded on the school's own page: answerable there, while the page itself
is the same for every visitor (cached); what is a visitor's own (the form token, CSRF, «already
answered») comes from the private form-tokens address, and never from the page."""

import re

import pytest
from django.test import Client

from registry.tests.factories import OrganisationFactory
from surveys.models import Response
from surveys.tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db

ANSWERED = "Вы уже ответили на эту анкету"


def tokens(client, school):
    response = client.get(f"/survey/{school.code}/form-tokens/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    return response.json()


def test_school_page_carries_both_questionnaires_and_accepts_an_answer(client, settings):
    settings.SURVEY_MIN_FILL_SECONDS = 0
    CampaignFactory()
    school = OrganisationFactory()
    page = client.get(school.page.url)
    html = page.content.decode()
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("public") and "no-store" not in page["Cache-Control"]
    assert not page.cookies, "a cached page sets no cookie (CSRF comes with the tokens)"
    assert f'action="/survey/{school.code}/parents/"' in html
    assert f'action="/survey/{school.code}/students/"' in html
    # Without JavaScript: the links to the questionnaire pages.
    assert f'href="/survey/{school.code}/parents/"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "element ids must be unique with two forms on a page"
    assert 'id="parents-q-q2"' in html and 'data-depends-on="q1"' in html
    # Nothing of a visitor in the page: the token fields are empty.
    assert re.findall(r'name="form_token"[^>]*value="([^"]*)"', html) in ([], ["", ""])
    assert 'name="csrfmiddlewaretoken" value=""' in html

    given = tokens(client, school)
    assert set(given["groups"]) == {"parents", "students"}
    assert given["csrf"] and client.cookies["csrftoken"].value
    answers = {f"q{n}": "yes" for n in range(1, 15)}
    response = client.post(
        f"/survey/{school.code}/parents/",
        {**answers, "q15": "", "form_token": given["groups"]["parents"]["token"]},
    )
    assert response.status_code == 302
    assert Response.objects.filter(organisation=school, audience="parents").count() == 1

    again = tokens(client, school)["groups"]
    assert again["parents"]["answered"] and ANSWERED in again["parents"]["note"]
    assert "token" not in again["parents"]
    assert not again["students"]["answered"] and again["students"]["token"]


def test_a_second_browser_never_sees_the_first_ones_token_or_answer(client, settings):
    settings.SURVEY_MIN_FILL_SECONDS = 0
    settings.PAGE_CACHE_ENABLED = True
    CampaignFactory()
    school = OrganisationFactory()
    first, second = client, Client()
    first.get(school.page.url)
    mine = tokens(first, school)
    answers = {f"q{n}": "yes" for n in range(1, 15)}
    first.post(
        f"/survey/{school.code}/parents/",
        {**answers, "q15": "", "form_token": mine["groups"]["parents"]["token"]},
    )
    seen_by_first = first.get(school.page.url)
    seen_by_second = second.get(school.page.url)
    assert seen_by_second["X-Page-Cache"] == "hit"
    assert seen_by_second.content == seen_by_first.content
    html = seen_by_second.content.decode()
    assert mine["groups"]["parents"]["token"] not in html and mine["csrf"] not in html
    assert ANSWERED not in html
    theirs = tokens(second, school)
    assert not theirs["groups"]["parents"]["answered"]
    assert theirs["groups"]["parents"]["token"] != mine["groups"]["parents"]["token"]
    assert theirs["csrf"] != mine["csrf"]


def test_without_an_open_campaign_the_page_has_no_form(client):
    school = OrganisationFactory()
    page = client.get(school.page.url)
    assert "form_token" not in page.content.decode()
    assert "no-store" not in page.get("Cache-Control", "")
    assert tokens(client, school)["groups"] == {}


def test_a_changed_question_shows_on_the_school_page_at_once(client):
    """The blank questions are rendered once per process (surveys.forms.blank_questions_html):
    an editor's change to a question must still reach the next visitor."""
    campaign = CampaignFactory()
    school = OrganisationFactory()
    html = client.get(school.page.url).content.decode()
    questionnaire = campaign.groups_for(school)[0].questionnaire
    old_text = questionnaire.questions[0]["text"]
    assert old_text in html
    questionnaire.questions[0]["text"] = "Довольны ли Вы новым вопросом анкеты?"
    questionnaire.save()
    html = client.get(school.page.url).content.decode()
    assert "Довольны ли Вы новым вопросом анкеты?" in html
