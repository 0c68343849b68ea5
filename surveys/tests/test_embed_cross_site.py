"""The questionnaire in an iframe on a school's own website, another site (security.md case 33).

There the browser keeps no SameSite=Lax cookie, so no CSRF cookie ever comes back: the embed
route is protected by its signed, single-use form token instead, and everything it answers
with may be framed.
"""

import datetime

from django.test import Client, TestCase, override_settings
from django.utils import timezone

from core.memo import forget_all
from registry.tests.factories import OrganisationFactory
from surveys import tokens
from surveys.models import Response
from surveys.tests.factories import CampaignFactory
from surveys.tests.test_questionnaire import SurveyTestMixin, answers

SCHOOL_SITE = {"HTTP_ORIGIN": "https://school5.example", "HTTP_SEC_FETCH_SITE": "cross-site"}


@override_settings(SURVEY_MIN_FILL_SECONDS=0)
class CrossSiteEmbedTests(SurveyTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.organisation = OrganisationFactory()
        cls.campaign = CampaignFactory()

    def cross_site_post(self, data, token=None, secure=False, client=None):
        """A post from inside the school's site: no cookie of ours, CSRF enforced."""
        client = client or Client(enforce_csrf_checks=True)
        payload = {**data, "form_token": token or self.fresh_token()}
        return client.post(self.url(embed=True), payload, secure=secure, **SCHOOL_SITE)

    def assertFrameable(self, response):
        self.assertNotIn("X-Frame-Options", response)
        self.assertIn("frame-ancestors *", response["Content-Security-Policy"])

    def test_an_answer_from_another_site_is_stored_without_a_csrf_cookie(self):
        response = self.cross_site_post(answers())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], f"{self.url(embed=True)}thanks/")
        self.assertEqual(Response.objects.count(), 1)

    def test_the_ordinary_route_still_requires_the_csrf_cookie(self):
        client = Client(enforce_csrf_checks=True)
        payload = {**answers(), "form_token": self.fresh_token()}
        self.assertEqual(client.post(self.url(), payload, **SCHOOL_SITE).status_code, 403)
        self.assertFalse(Response.objects.exists())

    def test_a_forged_foreign_or_replayed_token_stores_nothing_more(self):
        forged = self.cross_site_post(answers(), token="forged")
        self.assertContains(forged, "Форма устарела", status_code=400)
        self.assertFrameable(forged)
        other_school = OrganisationFactory()
        foreign = self.cross_site_post(answers(), token=self.fresh_token(other_school))
        self.assertEqual(foreign.status_code, 400)
        self.assertFalse(Response.objects.exists())

        token = self.fresh_token()
        self.assertEqual(self.cross_site_post(answers(), token=token).status_code, 302)
        replay = self.cross_site_post(answers(), token=token)
        self.assertContains(replay, "Вы уже ответили")
        self.assertFrameable(replay)
        self.assertEqual(Response.objects.count(), 1)

    def test_every_page_of_the_embed_can_be_framed_errors_included(self):
        invalid = self.cross_site_post(answers(q1=None))
        self.assertEqual(invalid.status_code, 400)
        self.assertFrameable(invalid)
        unknown = self.client.get("/survey/0000000000/parents/embed/")
        self.assertContains(unknown, "Анкета не найдена", status_code=404)
        self.assertFrameable(unknown)
        self.assertIn("no-store", unknown["Cache-Control"])
        self.campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        self.campaign.save()
        forget_all()
        closed = self.cross_site_post(answers())
        self.assertContains(closed, "Анкетирование закрыто", status_code=410)
        self.assertFrameable(closed)
        self.assertFalse(Response.objects.exists())

    def test_over_https_the_answered_mark_is_cross_site_and_partitioned(self):
        client = Client(enforce_csrf_checks=True)
        response = self.cross_site_post(answers(), secure=True, client=client)
        name = tokens.answered_cookie_name(self.campaign, self.organisation, self.audience)
        header = response.cookies[name].output()
        for attribute in ("SameSite=None", "Secure", "Partitioned", "HttpOnly"):
            self.assertIn(attribute, header)
        # The browser that kept it is recognised on its next visit.
        again = client.get(self.url(embed=True), secure=True, **SCHOOL_SITE)
        self.assertContains(again, "Вы уже ответили")
        # The school's own page and the standalone questionnaire keep their same-site mark.
        top_level = self.post(answers(), client=Client(), secure=True)
        self.assertIn("SameSite=Lax", top_level.cookies[name].output())
        self.assertNotIn("Partitioned", top_level.cookies[name].output())

    def test_the_thank_you_page_says_when_the_browser_refused_the_mark(self):
        thanks = f"{self.url(embed=True)}thanks/"
        refused = Client().get(thanks)
        self.assertContains(refused, "не разрешил анкете")
        self.assertFrameable(refused)
        client = Client(enforce_csrf_checks=True)
        self.cross_site_post(answers(), client=client)
        kept = client.get(thanks)
        self.assertContains(kept, "Спасибо")
        self.assertNotContains(kept, "не разрешил анкете")
