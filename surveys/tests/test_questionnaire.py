"""Answering the questionnaire (security.md survey cases 1–11)."""

import contextlib
import datetime
import threading
import time
from unittest import mock

from django.core.cache import cache
from django.db import connection
from django.test import TestCase, TransactionTestCase, override_settings
from django.utils import timezone

from registry.tests.factories import OrganisationFactory
from surveys import tokens
from surveys.models import Response
from surveys.tests.factories import CampaignFactory, OrganisedSessionFactory

ALL_YES = {f"q{n}": "yes" for n in range(1, 15)}


def answers(**overrides):
    data = {**ALL_YES, "q6": "no"}
    data.pop("q7")
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


class SurveyTestMixin:
    audience = "parents"

    def setUp(self):
        super().setUp()
        cache.clear()

    def url(self, organisation=None, audience=None, embed=False):
        organisation = organisation or self.organisation
        suffix = "embed/" if embed else ""
        return f"/survey/{organisation.code}/{audience or self.audience}/{suffix}"

    def fresh_token(self, organisation=None, age=60):
        organisation = organisation or self.organisation
        with mock.patch("surveys.tokens.time.time", return_value=time.time() - age):
            return tokens.issue_token(self.campaign, organisation, self.audience)

    def post(self, data, client=None, organisation=None, address="203.0.113.5", **extra):
        client = client or self.client
        payload = {**data}
        payload.setdefault("form_token", self.fresh_token(organisation))
        return client.post(self.url(organisation), payload, REMOTE_ADDR=address, **extra)


@override_settings(SURVEY_MIN_FILL_SECONDS=15, SURVEY_MAX_PER_ADDRESS_PER_HOUR=10)
class QuestionnaireTests(SurveyTestMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.organisation = OrganisationFactory()
        cls.campaign = CampaignFactory()

    def test_form_renders_privately_with_every_question(self):
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertIn("private", response["Cache-Control"])
        self.assertContains(response, self.organisation.name)
        for number in range(1, 16):
            self.assertContains(response, f'id="q-q{number}"')
        self.assertContains(response, 'data-depends-on="q1"')

    def test_valid_answers_are_stored_and_redirect_to_thanks(self):
        response = self.post(answers(q15="Больше кружков"))
        self.assertRedirects(response, self.url() + "thanks/")
        stored = Response.objects.get()
        self.assertEqual(stored.status, Response.Status.ACCEPTED)
        self.assertEqual((stored.q1, stored.q6, stored.q7, stored.q14), (True, False, None, True))
        self.assertEqual(stored.suggestion, "Больше кружков")
        self.assertEqual(stored.submitted_on, timezone.localdate())

    def test_routing_no_skips_follow_up(self):
        response = self.post(answers(q1="no", q2=None, q3="no", q4=None, q10="no", q11=None))
        self.assertEqual(response.status_code, 302)
        stored = Response.objects.get()
        self.assertEqual((stored.q1, stored.q2, stored.q4, stored.q11), (False, None, None, None))

    def test_second_visit_is_turned_away(self):
        self.post(answers())
        response = self.client.get(self.url())
        self.assertContains(response, "Вы уже ответили")
        self.post(answers())
        self.assertEqual(Response.objects.count(), 1)

    def test_same_form_posted_twice_stores_one(self):
        token = self.fresh_token()
        first = self.post({**answers(), "form_token": token})
        self.client.cookies.clear()
        second = self.post({**answers(), "form_token": token})
        self.assertEqual(first.status_code, 302)
        self.assertContains(second, "Вы уже ответили")
        self.assertEqual(Response.objects.count(), 1)

    def test_bad_input_is_400_with_field_errors_and_nothing_stored(self):
        cases = {
            "out of range": answers(q1="maybe"),
            "missing answer": answers(q5=None),
            "routing violated": answers(q1="no"),
            "extra fields": {**answers(), "school": "1", "flagged": "0", "weight": "100"},
            "huge text": answers(q15="я" * 1_000_000),
            "nul byte": answers(q15="текст\x00"),
            "rtl override": answers(q15="abc\u202edcba"),
            "bad token": {**answers(), "form_token": "forged"},
        }
        for name, data in cases.items():
            with self.subTest(name):
                response = self.post(data)
                self.assertEqual(response.status_code, 400)
                self.assertTrue(response.context["form"].errors)
        self.assertFalse(Response.objects.exists())

    def test_a_damaged_token_or_honeypot_says_what_to_do(self):
        # Both fields are hidden: their errors must still reach the respondent as a message.
        for extra in (
            {"form_token": "\x00" * 10},
            {"form_token": "x" * 5000},
            {"contact_website": "y" * 5000},
            {"contact_website": "a\x00b"},
        ):
            with self.subTest(field=next(iter(extra)), size=len(next(iter(extra.values())))):
                data = {**answers(), **extra}
                response = self.post(data)
                self.assertContains(response, "Форма устарела или повреждена", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_routing_error_names_the_question(self):
        response = self.post(answers(q1="no"))
        self.assertIn("на вопрос 1 вы ответили «Нет»", str(response.context["form"].errors["q2"]))

    def test_free_text_is_escaped(self):
        self.post(answers(q15='"><svg onload=alert(1)><script>x</script>'))
        self.assertEqual(
            Response.objects.get().suggestion, '"><svg onload=alert(1)><script>x</script>'
        )
        response = self.post(
            answers(q15="<script>alert(2)</script>", q1="maybe"), client=self.client_class()
        )
        self.assertNotContains(response, "<script>alert(2)</script>", status_code=400)
        self.assertContains(response, "&lt;script&gt;alert(2)&lt;/script&gt;", status_code=400)

    def test_csrf_is_enforced(self):
        client = self.client_class(enforce_csrf_checks=True)
        response = self.post(answers(), client=client)
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Response.objects.exists())

    def test_unknown_code_and_audience_are_404(self):
        self.assertEqual(self.client.get("/survey/0000000000/parents/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/survey/{self.organisation.code}/teachers/").status_code, 404
        )

    def test_closed_campaign_shows_clear_page_and_stores_nothing(self):
        self.campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        self.campaign.save()
        for response in (self.client.get(self.url()), self.post(answers())):
            self.assertEqual(response.status_code, 410)
            self.assertContains(response, "Анкетирование закрыто", status_code=410)
        self.assertFalse(Response.objects.exists())

    def test_campaign_window_edges(self):
        now = timezone.now()
        self.campaign.opens_at, self.campaign.closes_at = now, now + datetime.timedelta(hours=1)
        self.campaign.save()
        self.assertTrue(self.campaign.is_open(now))
        self.assertFalse(self.campaign.is_open(now - datetime.timedelta(microseconds=1)))
        self.assertFalse(self.campaign.is_open(now + datetime.timedelta(hours=1)))

    def test_kind_not_in_the_campaign_is_closed(self):
        self.campaign.kinds = ["preschool"]
        self.campaign.save()
        self.assertEqual(self.client.get(self.url(audience="students")).status_code, 410)

    def test_honeypot_and_fast_fill_are_flagged_not_dropped(self):
        self.post({**answers(), "contact_website": "http://spam.example"})
        self.client.cookies.clear()
        self.post({**answers(), "form_token": self.fresh_token(age=2)})
        reasons = sorted(Response.objects.values_list("status", "flag_reason"))
        self.assertEqual([status for status, _ in reasons], ["flagged", "flagged"])
        self.assertIn("скрытое поле", " ".join(reason for _, reason in reasons))

    def test_burst_from_one_address_is_flagged_past_the_threshold(self):
        for _ in range(50):
            self.client.cookies.clear()
            self.assertEqual(self.post(answers()).status_code, 302)
        statuses = list(Response.objects.order_by("pk").values_list("status", flat=True))
        self.assertEqual(statuses[:10], ["accepted"] * 10)
        self.assertEqual(statuses[10:], ["flagged"] * 40)

    def test_organised_session_lifts_the_limit_up_to_its_size(self):
        OrganisedSessionFactory(
            campaign=self.campaign,
            organisation=self.organisation,
            expected_participants=35,
            status="approved",
        )
        for _ in range(38):
            self.client.cookies.clear()
            self.post(answers())
        statuses = list(Response.objects.order_by("pk").values_list("status", flat=True))
        self.assertEqual(statuses[:35], ["accepted"] * 35)
        self.assertEqual(statuses[35:], ["flagged"] * 3)

    def test_forged_forwarded_for_does_not_change_the_key(self):
        with self.settings(TRUSTED_PROXY_COUNT=1):
            for number in range(15):
                self.client.cookies.clear()
                self.post(
                    answers(),
                    address="10.0.0.1",
                    HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.9",
                )
        self.assertEqual(Response.objects.filter(status="flagged").count(), 5)

    def test_cache_outage_falls_back_to_holding_responses(self):
        with (
            mock.patch("surveys.services.cache.get", return_value=None),
            mock.patch("surveys.services.cache.add", return_value=False),
        ):
            self.assertEqual(self.post(answers()).status_code, 302)
        stored = Response.objects.get()
        self.assertEqual(stored.status, Response.Status.FLAGGED)
        self.assertIn("кэш", stored.flag_reason)

    def test_no_personal_data_is_kept(self):
        self.post(answers(), HTTP_USER_AGENT="SecretBrowser/1.0", address="198.51.100.77")
        row = Response.objects.values().get()
        flat = " ".join(str(value) for value in row.values())
        self.assertNotIn("198.51.100.77", flat)
        self.assertNotIn("SecretBrowser", flat)
        field_names = {field.name for field in Response._meta.get_fields()}
        self.assertFalse(field_names & {"ip", "ip_address", "user_agent", "session_key", "user"})
        cached = " ".join(str(key) for key in cache._cache)  # locmem internals, test only
        self.assertNotIn("198.51.100.77", cached)

    def test_embed_route_is_the_only_frameable_one(self):
        normal = self.client.get(self.url())
        embedded = self.client.get(self.url(embed=True))
        self.assertEqual(normal["X-Frame-Options"], "DENY")
        self.assertNotIn("X-Frame-Options", embedded)
        self.assertIn("frame-ancestors *", embedded["Content-Security-Policy"])
        self.assertIn("script-src 'self'", embedded["Content-Security-Policy"])
        self.assertNotContains(embedded, "site-header")


class ConcurrentSubmissionTests(SurveyTestMixin, TransactionTestCase):
    """Two posts of one form at the same moment (security.md case 1)."""

    # Restores the migrated data (home page, groups) for the transactional tests after it.
    serialized_rollback = True

    def setUp(self):
        super().setUp()
        self.organisation = OrganisationFactory()
        self.campaign = CampaignFactory()

    def test_concurrent_double_post_stores_exactly_one(self):
        token = self.fresh_token()
        results = []
        # The in-memory SQLite test database fails concurrent writers at once (a file
        # database waits for its lock), so there the two requests take turns; on PostgreSQL
        # they truly race and the unique constraint alone decides.
        turns = threading.Lock() if connection.vendor == "sqlite" else contextlib.nullcontext()

        def submit():
            client = self.client_class()
            try:
                with turns:
                    results.append(self.post({**answers(), "form_token": token}, client=client))
            finally:
                connection.close()

        threads = [threading.Thread(target=submit) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(Response.objects.count(), 1)
        self.assertEqual(sorted(r.status_code for r in results), [200, 302])
