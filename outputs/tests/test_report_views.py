"""The report's admin screens: editors generate, download and print; school staff,
coordinators and anonymous visitors are refused; a draft year is never offered."""

import re
from unittest import mock

from django.contrib.staticfiles import finders
from django.test import TestCase
from django.urls import reverse

from accountability.tests.factories_plans import coordinator_of, editor, staff_of
from outputs import report_views
from outputs.models import OperatorReport
from outputs.report import figure
from results.models import RatingRevision

from .factories_report import DRAFT_YEAR, KIND, YEAR, report_year


def screen_url(year=YEAR, kind=KIND):
    return reverse("outputs_report", args=[year, kind])


def print_url(year=YEAR, kind=KIND):
    return reverse("outputs_report_print", args=[year, kind])


class ReportScreenTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.year = report_year()
        cls.editor = editor()
        cls.staff = staff_of(cls.year.schools[0])
        cls.coordinator = coordinator_of(cls.year.north)
        cls.revision = RatingRevision.objects.current().get(year=YEAR)

    def generate(self, text="Рекомендация."):
        self.client.force_login(self.editor)
        return self.client.post(
            screen_url(), {"recommendations": text, "action": "generate"}, follow=True
        )

    def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_made(self):
        for url in (reverse("outputs_reports"), screen_url(), print_url()):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn("/admin/login/", response["Location"])
        self.client.post(screen_url(), {"action": "generate"})
        self.assertFalse(OperatorReport.objects.exists())

    def test_school_staff_and_coordinators_are_refused_everywhere(self):
        for user in (self.staff, self.coordinator):
            self.client.force_login(user)
            for url in (reverse("outputs_reports"), screen_url(), print_url()):
                self.assertIn(self.client.get(url).status_code, (302, 403), (user, url))
            response = self.client.post(
                screen_url(), {"action": "generate", "recommendations": "x"}
            )
            self.assertIn(response.status_code, (302, 403))
            self.assertFalse(OperatorReport.objects.exists())

    def test_coordinators_are_refused_with_a_plain_403(self):
        # Coordinators are admin users: the screens answer them 403, not a redirect.
        self.client.force_login(self.coordinator)
        self.assertEqual(self.client.get(screen_url()).status_code, 403)
        self.assertEqual(self.client.get(print_url()).status_code, 403)

    def test_the_menu_shows_the_report_to_editors_only(self):
        self.client.force_login(self.editor)
        self.assertContains(
            self.client.get(reverse("wagtailadmin_home")), reverse("outputs_reports")
        )
        self.client.force_login(self.coordinator)
        self.assertNotContains(
            self.client.get(reverse("wagtailadmin_home")), reverse("outputs_reports")
        )

    def test_the_index_lists_published_years_only(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("outputs_reports"))
        self.assertContains(response, screen_url())
        self.assertNotContains(response, screen_url(DRAFT_YEAR))
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_draft_year_or_a_kind_not_assessed_answers_404(self):
        self.client.force_login(self.editor)
        for url in (screen_url(DRAFT_YEAR), print_url(DRAFT_YEAR), screen_url(YEAR, "college")):
            self.assertEqual(self.client.get(url).status_code, 404, url)
        response = self.client.post(screen_url(DRAFT_YEAR), {"action": "generate"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(OperatorReport.objects.exists())
        self.assertEqual(self.client.get(screen_url(YEAR, "unknown")).status_code, 404)

    def test_an_editor_generates_the_report_and_downloads_the_docx(self):
        response = self.generate()
        self.assertEqual(response.status_code, 200)
        report = OperatorReport.objects.get(year=YEAR, kind=KIND)
        self.assertEqual(report.status, OperatorReport.Status.DONE)
        self.assertEqual(report.requested_by, self.editor)
        self.assertEqual(report.recommendations, "Рекомендация.")
        self.assertContains(response, report.document.url)
        self.assertNotContains(response, 'http-equiv="refresh"')
        download = self.client.get(report.document.url)
        self.assertEqual(download.status_code, 200)
        self.assertTrue(b"".join(download.streaming_content).startswith(b"PK"))

    def test_the_stored_document_is_not_served_to_school_staff(self):
        self.generate()
        url = OperatorReport.objects.get().document.url
        self.client.force_login(self.staff)
        self.assertNotEqual(self.client.get(url).status_code, 200)
        self.client.logout()
        self.assertNotEqual(self.client.get(url).status_code, 200)

    def test_the_screen_refreshes_itself_while_the_report_is_being_made(self):
        OperatorReport.objects.create(
            year=YEAR, kind=KIND, status=OperatorReport.Status.RUNNING, progress=45, step="Таблицы"
        )
        self.client.force_login(self.editor)
        response = self.client.get(screen_url())
        self.assertContains(response, '<meta http-equiv="refresh" content="3">', html=False)
        self.assertContains(response, "Таблицы (45 %)")
        # «Сформировать» again is refused while it runs.
        self.client.post(screen_url(), {"action": "generate", "recommendations": ""})
        self.assertEqual(OperatorReport.objects.get().status, OperatorReport.Status.RUNNING)

    def test_a_failed_report_shows_its_error(self):
        OperatorReport.objects.create(
            year=YEAR, kind=KIND, status=OperatorReport.Status.FAILED, error="Шаблон не читается"
        )
        self.client.force_login(self.editor)
        response = self.client.get(screen_url())
        self.assertContains(response, "Шаблон не читается")
        self.assertNotContains(response, 'http-equiv="refresh"')

    def test_recommendations_with_control_characters_are_refused_with_a_field_error(self):
        self.client.force_login(self.editor)
        response = self.client.post(
            screen_url(), {"recommendations": "Текст\x00", "action": "generate"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "управляющие символы", status_code=400)
        self.assertFalse(OperatorReport.objects.exists())

    def test_a_queue_that_refuses_the_task_leaves_the_report_failed_not_queued(self):
        self.client.force_login(self.editor)
        with (
            mock.patch.object(report_views, "generate_report_task") as task,
            self.assertLogs("outputs.report_service", "ERROR"),
        ):
            task.enqueue.side_effect = OSError
            self.client.post(screen_url(), {"recommendations": "", "action": "generate"})
        report = OperatorReport.objects.get()
        self.assertEqual(report.status, OperatorReport.Status.FAILED)
        self.assertIn("Не удалось поставить отчёт в очередь", report.error)

    def test_saving_recommendations_does_not_generate(self):
        self.client.force_login(self.editor)
        self.client.post(screen_url(), {"recommendations": "Только текст", "action": "save"})
        report = OperatorReport.objects.get()
        self.assertEqual(report.status, OperatorReport.Status.NEW)
        self.assertIsNone(report.document)
        self.assertEqual(report.recommendations, "Только текст")


class PrintablePageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.year = report_year()
        cls.editor = editor()
        cls.revision = RatingRevision.objects.current().get(year=YEAR)
        OperatorReport.objects.create(
            year=YEAR, kind=KIND, recommendations='<script>alert(1)</script>\n\n- "пункт"'
        )

    def setUp(self):
        self.client.force_login(self.editor)
        self.response = self.client.get(print_url())
        self.html = self.response.content.decode()

    def table(self, table_id):
        match = re.search(rf'<table id="{table_id}">(.*?)</table>', self.html, re.S)
        assert match, table_id
        return match.group(1)

    def test_the_page_says_how_to_make_a_pdf_and_links_the_print_styles(self):
        self.assertEqual(self.response.status_code, 200)
        self.assertIn("Сохранить как PDF", self.html)
        self.assertIn("css/report-print.css", self.html)
        self.assertIn("no-store", self.response["Cache-Control"])
        with open(finders.find("css/report-print.css"), encoding="utf-8") as handle:
            css = handle.read()
        self.assertIn("size: A4", css)
        self.assertIn("break-before: page", css)
        self.assertIn("break-inside: avoid", css)

    def test_the_criterion_tables_show_the_same_numbers_as_the_aggregates(self):
        means = self.revision.aggregates["kinds"][KIND]
        municipalities = self.table("municipality-means")
        for item in [*means["municipalities"].values(), means["region"]]:
            for code in ("k1", "k2", "k3", "k4", "k5", "total"):
                self.assertIn(
                    f'<td class="num">{item[code].replace(".", ",")}</td>', municipalities
                )
        region = self.table("region-means")
        self.assertIn(means["region"]["total"].replace(".", ","), region)

    def test_the_appendix_has_a_row_per_organisation(self):
        appendix = self.table("appendix")
        results = self.revision.results.filter(kind=KIND)
        self.assertEqual(appendix.count("<tr>") - 1, results.count())
        for result in results:
            self.assertIn(f"<td>{result.code}</td>", appendix)
            self.assertIn(figure(result.total), appendix)

    def test_both_charts_are_inline_svg_beside_their_tables(self):
        self.assertEqual(self.html.count('<svg class="chart"'), 2)
        self.assertIn('<table id="bands">', self.html)
        self.assertIn('<table id="top">', self.html)
        self.assertIn('<table id="bottom">', self.html)

    def test_the_editors_text_is_escaped(self):
        self.assertNotIn("<script>alert(1)</script>", self.html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", self.html)
        self.assertIn("<li>&quot;пункт&quot;</li>", self.html)
