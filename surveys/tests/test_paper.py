"""Paper and interview questionnaires: typing sheets in through the real entry screen, with the
online routing; mode and batch on the response; coverage, ratings and exports counting them;
who may print and who may type."""

import datetime
import re
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import TestCase
from django.utils import timezone

from core.permissions import editors_group
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.provisioning import add_staff_member
from surveys import services
from surveys.counts import SURVEY_FIELDS, survey_counts, year_coverage
from surveys.coverage import coverage_report
from surveys.models import PaperBatch, Response, ResponseMode
from surveys.paper import create_batch
from surveys.tests.factories import CampaignFactory, ResponseFactory

User = get_user_model()

ALL_YES = "11111111111111"
# q6 «Нет» (no disability): q7 is skipped by routing and typed as 0.
TYPICAL = "11111201111111"


def entry_permission():
    return Permission.objects.get(
        content_type__app_label="surveys", codename="enter_paper_responses"
    )


class PaperTestData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.campaign = CampaignFactory()
        cls.municipality = MunicipalityFactory()
        cls.school_a = OrganisationFactory(municipality=cls.municipality, contingent_parents=10)
        cls.school_b = OrganisationFactory()
        cls.kindergarten = OrganisationFactory(kind="preschool")
        cls.editor = User.objects.create_user("editor", "e@example.com", "pw")
        cls.editor.groups.add(editors_group())
        cls.interviewer = User.objects.create_user("interviewer", "i@example.com", "pw")
        cls.interviewer.user_permissions.add(entry_permission())
        cls.staff_a = User.objects.create_user("staff_a", "a@example.com", "pw")
        add_staff_member(cls.school_a, cls.staff_a)
        cls.staff_b = User.objects.create_user("staff_b", "b@example.com", "pw")
        add_staff_member(cls.school_b, cls.staff_b)
        cls.coordinator = User.objects.create_user("coord", "c@example.com", "pw")
        cls.coordinator.groups.add(cls.municipality.coordinator_group)
        cls.batch = create_batch(
            organisation=cls.school_a,
            audience="parents",
            mode=ResponseMode.PAPER,
            created_by=cls.staff_a,
        )

    def entry_url(self, batch=None):
        return f"/survey/paper/{(batch or self.batch).code}/entry/"

    def type_sheet(self, line="", batch=None, nonce=None, **per_question):
        return self.client.post(
            self.entry_url(batch),
            {
                "line": line,
                "q15": "",
                "entry_nonce": nonce or secrets.token_hex(16),
                **per_question,
            },
        )


class PaperEntryTests(PaperTestData):
    def test_an_interviewer_types_a_sheet_which_is_stored_with_the_batchs_mode_and_batch(self):
        self.client.force_login(self.interviewer)
        response = self.type_sheet(TYPICAL)
        self.assertRedirects(response, self.entry_url(), fetch_redirect_response=False)
        stored = Response.objects.get(batch=self.batch)
        self.assertEqual(stored.mode, ResponseMode.PAPER)
        self.assertEqual(stored.status, Response.Status.ACCEPTED)
        self.assertEqual(
            (stored.campaign, stored.organisation, stored.audience),
            (self.campaign, self.school_a, "parents"),
        )
        self.assertEqual((stored.q6, stored.q7, stored.q8), (False, None, True))
        self.assertTrue(stored.form_nonce.startswith("paper-"))
        page = self.client.get(self.entry_url())
        self.assertContains(page, "Анкета № 1 сохранена")

    def test_the_typed_sheet_counts_in_coverage_and_in_the_ratings_inputs(self):
        ResponseFactory(campaign=self.campaign, organisation=self.school_a)  # one online
        self.client.force_login(self.interviewer)
        self.type_sheet(TYPICAL)
        self.type_sheet(ALL_YES)
        item = coverage_report(self.campaign).by_organisation[self.school_a]
        self.assertEqual(item.parents.count, 3)
        self.assertEqual(year_coverage(self.school_a, self.campaign.year).parents.count, 3)
        row = survey_counts(self.campaign.year)[self.school_a.pk]
        figures = dict(zip(SURVEY_FIELDS, row, strict=True))
        self.assertEqual(figures["respondents"], 3)
        self.assertEqual(figures["disabled"], 1)  # only the all-«Да» sheet said «Да» to q6
        self.assertEqual(figures["disabled_satisfied"], 1)
        self.assertEqual(figures["overall_satisfied"], 3)

    def test_an_answer_after_no_is_refused_with_a_russian_field_error_and_nothing_stored(self):
        self.client.force_login(self.interviewer)
        response = self.type_sheet("21111111111111")  # q1 «Нет», yet q2 answered
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response,
            "На этот вопрос не нужно отвечать: на вопрос 1 вы ответили «Нет».",
            status_code=400,
        )
        self.assertFalse(Response.objects.exists())
        # The line is spread over the questions, the faulty one focused for the correction.
        self.assertRegex(response.content.decode(), r'<input[^>]*name="q2"[^>]*value="1"')
        self.assertRegex(
            response.content.decode(), r'<input[^>]*autofocus[^>]*name="q2"|name="q2"[^>]*autofocus'
        )

    def test_a_missing_required_answer_is_refused(self):
        self.client.force_login(self.interviewer)
        response = self.type_sheet("11011201111111")  # q3 left empty, yet not skipped
        self.assertContains(response, "Ответьте «Да» или «Нет».", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_an_unknown_key_or_a_line_of_the_wrong_length_is_refused(self):
        self.client.force_login(self.interviewer)
        response = self.type_sheet("1111111111111")
        self.assertContains(response, "Нужно 14 знаков", status_code=400)
        response = self.type_sheet("", q1="7")
        self.assertContains(response, "Введите 1 («Да»), 2 («Нет») или 0", status_code=400)
        self.assertFalse(Response.objects.exists())

    def test_per_question_fields_take_russian_letters_and_follow_the_routing(self):
        self.client.force_login(self.interviewer)
        answers = dict(zip([f"q{n}" for n in range(1, 15)], "нд" + "д" * 12, strict=True))
        answers["q2"] = ""  # q1 «Нет»: q2 skipped
        answers["q6"] = "Н"
        answers["q7"] = "0"
        response = self.type_sheet(**answers)
        self.assertEqual(response.status_code, 302)
        stored = Response.objects.get()
        self.assertEqual(
            (stored.q1, stored.q2, stored.q3, stored.q6, stored.q7),
            (False, None, True, False, None),
        )

    def test_the_same_form_sent_twice_stores_one_sheet(self):
        self.client.force_login(self.interviewer)
        nonce = secrets.token_hex(16)
        self.type_sheet(ALL_YES, nonce=nonce)
        response = self.type_sheet(ALL_YES, nonce=nonce)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Response.objects.count(), 1)

    def test_the_happy_path_takes_fifteen_keystrokes_fourteen_keys_and_enter(self):
        self.client.force_login(self.interviewer)
        page = self.client.get(self.entry_url()).content.decode()
        form = page.split('class="paper-entry__form"', 1)[1].split("</form>", 1)[0]
        inputs = re.findall(r"<input[^>]*>", form)
        visible = [tag for tag in inputs if 'type="hidden"' not in tag]
        names = [re.search(r'name="([^"]+)"', tag).group(1) for tag in visible]
        # Focus starts on the answer line; the text question follows it, then the questions
        # one per field in order, each one key long, for Tab-by-Tab entry.
        self.assertIn("autofocus", visible[0])
        self.assertEqual(names, ["line", "q15", *(f"q{n}" for n in range(1, 15))])
        for tag in visible[2:]:
            self.assertIn('maxlength="1"', tag)
        # No inline script (CSP): the form works as plain HTML.
        self.assertEqual(re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page), [])
        keystrokes = [*TYPICAL, "Enter"]
        self.assertEqual(len(keystrokes), 15)
        self.assertLess(len(keystrokes), 20)
        response = self.type_sheet("".join(keystrokes[:-1]))
        self.assertEqual(response.status_code, 302)
        # In the grid, the static paper-entry.js moves to the next question on each key (15
        # keystrokes again); without it, Tab between fields: 14 keys, 13 Tabs and Enter.
        self.assertIn("js/paper-entry.js", page)
        self.assertEqual(Response.objects.count(), 1)

    def test_a_campaign_closed_over_ten_days_ago_takes_no_more_sheets(self):
        self.client.force_login(self.interviewer)
        self.campaign.opens_at = timezone.now() - datetime.timedelta(days=60)
        self.campaign.closes_at = timezone.now() - datetime.timedelta(days=11)
        self.campaign.save()
        response = self.type_sheet(ALL_YES)
        self.assertContains(response, "Ввод анкет этой пачки закрыт", status_code=410)
        self.assertFalse(Response.objects.exists())

    def test_the_operators_editors_hold_the_entry_permission(self):
        self.assertTrue(editors_group().permissions.filter(codename="enter_paper_responses"))
        self.client.force_login(self.editor)
        self.assertEqual(self.type_sheet(ALL_YES).status_code, 302)

    def test_an_online_answer_is_stored_as_online_without_a_batch(self):
        submission = services.Submission(
            campaign=self.campaign,
            organisation=self.school_a,
            audience="parents",
            questionnaire=self.campaign.group_for(self.school_a, "parents").questionnaire,
            answers={f"q{n}": True for n in range(1, 15)},
            suggestion="",
            nonce="online-nonce",
            honeypot_filled=False,
            seconds_to_fill=120,
        )
        services.submit(submission, "203.0.113.5")
        stored = Response.objects.get(form_nonce="online-nonce")
        self.assertEqual((stored.mode, stored.batch), (ResponseMode.ONLINE, None))

    def test_the_admin_menu_leads_the_operators_editors_to_the_paper_screens(self):
        # School staff's admin menu is trimmed to their own items (schools/wagtail_hooks.py):
        # they reach the screens from the cabinet.
        self.client.force_login(self.editor)
        self.assertContains(self.client.get("/admin/"), "/survey/paper/")


class PaperAccessTests(PaperTestData):
    def test_school_staff_cannot_type_answers_for_their_own_school(self):
        self.client.force_login(self.staff_a)
        self.assertEqual(self.client.get(self.entry_url()).status_code, 403)
        self.assertEqual(self.type_sheet(ALL_YES).status_code, 403)
        # Not even when somebody gave them the permission: a school would fill its own sheets.
        self.staff_a.user_permissions.add(entry_permission())
        self.assertEqual(self.type_sheet(ALL_YES).status_code, 403)
        self.assertFalse(Response.objects.exists())

    def test_nobody_without_the_permission_types_answers(self):
        for user in (self.staff_b, self.coordinator):
            self.client.force_login(user)
            self.assertEqual(self.type_sheet(ALL_YES).status_code, 403)
            self.assertEqual(self.client.get(f"/survey/paper/{self.batch.code}/").status_code, 403)
        self.client.logout()
        response = self.type_sheet(ALL_YES)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])
        self.assertFalse(Response.objects.exists())

    def test_the_print_page_is_for_the_organisations_staff_and_the_operator_only(self):
        url = f"/survey/paper/{self.batch.code}/print/"
        for user in (self.staff_a, self.editor, self.interviewer):
            self.client.force_login(user)
            page = self.client.get(url)
            self.assertContains(page, self.batch.display_code)
            self.assertIn("no-cache", page["Cache-Control"])
        self.assertContains(page, "Если «Нет» — перейдите к вопросу 3.")
        self.assertContains(page, "Отвечайте, только если на вопрос 6 ответили «Да».")
        self.assertContains(page, "sheet__free")
        self.assertContains(page, "paper-print.css")
        self.assertNotContains(page, self.staff_a.email)
        for user in (self.staff_b, self.coordinator):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 404)
        self.client.logout()
        self.assertIn("/admin/login/", self.client.get(url)["Location"])

    def test_school_staff_create_paper_batches_of_their_own_school_only(self):
        self.client.force_login(self.staff_a)
        response = self.client.post(
            "/survey/paper/",
            {
                "audience": "students",
                "expected_count": "25",
                "organisation": self.school_b.code,
                "mode": "interview",
            },
        )
        batch = PaperBatch.objects.exclude(pk=self.batch.pk).get()
        self.assertRedirects(
            response, f"/survey/paper/{batch.code}/print/", fetch_redirect_response=False
        )
        self.assertEqual(
            (batch.organisation, batch.mode, batch.expected_count, batch.created_by),
            (self.school_a, ResponseMode.PAPER, 25, self.staff_a),
        )
        listing = self.client.get("/survey/paper/")
        self.assertContains(listing, batch.display_code)
        self.client.force_login(self.staff_b)
        self.assertNotContains(self.client.get("/survey/paper/"), batch.display_code)

    def test_an_interviewer_creates_an_interview_batch_for_any_organisation(self):
        self.client.force_login(self.interviewer)
        response = self.client.post(
            "/survey/paper/",
            {"organisation": self.school_b.code, "audience": "parents", "mode": "interview"},
        )
        batch = PaperBatch.objects.get(organisation=self.school_b)
        self.assertRedirects(
            response, f"/survey/paper/{batch.code}/", fetch_redirect_response=False
        )
        self.assertEqual(batch.mode, ResponseMode.INTERVIEW)
        self.type_sheet(ALL_YES, batch=batch)
        self.assertEqual(Response.objects.get(batch=batch).mode, ResponseMode.INTERVIEW)

    def test_a_batch_needs_an_open_campaign_and_a_known_organisation(self):
        self.client.force_login(self.interviewer)
        response = self.client.post(
            "/survey/paper/", {"organisation": "nope", "audience": "parents", "mode": "paper"}
        )
        self.assertContains(response, "Организации с таким кодом нет в реестре.", status_code=400)
        response = self.client.post(
            "/survey/paper/",
            {"organisation": self.kindergarten.code, "audience": "students", "mode": "paper"},
        )
        self.assertContains(response, "нет такой группы респондентов", status_code=400)

    def test_the_paper_screens_refuse_users_with_no_part_in_them(self):
        nobody = User.objects.create_user("nobody", "n@example.com", "pw")
        self.client.force_login(nobody)
        self.assertEqual(self.client.get("/survey/paper/").status_code, 403)
        self.client.logout()
        self.assertIn("/admin/login/", self.client.get("/survey/paper/")["Location"])


class PaperExportTests(PaperTestData):
    def test_exports_and_the_review_list_carry_the_mode_and_the_batch(self):
        ResponseFactory(campaign=self.campaign, organisation=self.school_b)
        self.client.force_login(self.interviewer)
        self.type_sheet(ALL_YES)
        Response.objects.filter(batch=self.batch).update(status="flagged", flag_reason="x")
        self.client.force_login(self.editor)
        text = self.client.get(
            "/admin/surveys/export.csv", {"campaign": self.campaign.pk}
        ).content.decode("utf-8-sig")
        lines = text.splitlines()
        self.assertTrue(lines[0].endswith(",q15,mode,batch"))
        self.assertTrue(any(line.endswith(f",paper,{self.batch.code}") for line in lines))
        self.assertTrue(any(line.endswith(",online,") for line in lines))
        review = self.client.get("/admin/surveys/review/", {"campaign": self.campaign.pk})
        self.assertContains(review, "бумажная анкета")
        self.assertContains(review, self.batch.display_code)
