"""Issue #17 from the demo region: an editor downloads the bus.gov.ru file and the year's
report for each kind, schools below target get reminders, a coordinator sees their
municipality, and typed paper answers count in coverage and ratings."""

import datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from django.utils import timezone
from lxml import etree

from notifications.models import Category
from notifications.services import send_due
from outputs import busgov
from outputs.models import OperatorReport
from outputs.report_service import generate, request_report
from surveys.counts import SURVEY_FIELDS, survey_counts
from surveys.models import Campaign, Response


class DemoOutputsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_demo", "--scale", "small", "--with-accounts", stdout=StringIO())
        cls.past = timezone.localdate().year - 1
        cls.editor = get_user_model().objects.get(username="editor")

    def test_an_editor_downloads_a_valid_busgov_file_and_the_report_of_each_kind(self):
        revision = busgov.published_revision(self.past)
        kinds = list(busgov.published_kinds(revision))
        self.assertGreaterEqual(len(kinds), 2)
        self.client.force_login(self.editor)
        schema = busgov.schema()
        for kind in kinds:
            with self.subTest(kind=kind):
                response = self.client.get(f"/admin/outputs/busgov/{self.past}/{kind}.xml")
                self.assertEqual(response.status_code, 200)
                document = etree.fromstring(response.content)
                self.assertTrue(schema.validate(document), schema.error_log)
                report = request_report(self.past, kind, self.editor, "Обновить стенды.")
                generate(report.pk)
                report = OperatorReport.objects.get(pk=report.pk)
                self.assertEqual(report.status, OperatorReport.Status.DONE, report.error)
                self.assertTrue(report.document.file.name.endswith(".docx"))

    def test_schools_below_their_coverage_target_are_reminded_before_the_campaign_closes(self):
        campaign = Campaign.objects.order_by("-opens_at").first()
        week_before = timezone.localdate(campaign.closes_at) - datetime.timedelta(days=7)
        report = send_due(today=week_before, dry_run=True)
        coverage = [
            message for message, _ in report.planned if message.category == Category.COVERAGE
        ]
        self.assertTrue(coverage)

    def test_the_coordinator_sees_their_municipality(self):
        coordinator = get_user_model().objects.get(username="coordinator")
        self.client.force_login(coordinator)
        page = self.client.get("/cabinet/").content.decode()
        municipality = coordinator.groups.get(coordinated_municipality__isnull=False)
        self.assertIn(municipality.coordinated_municipality.name, page)

    def test_typed_paper_and_interview_sheets_count_in_coverage_and_ratings(self):
        typed = Response.objects.exclude(mode="online")
        self.assertEqual(set(typed.values_list("mode", flat=True)), {"paper", "interview"})
        organisation_id = typed.filter(mode="paper").first().organisation_id
        year = typed.first().campaign.year
        accepted = Response.objects.filter(
            organisation_id=organisation_id, campaign__year=year, status="accepted"
        ).count()
        counts = survey_counts(year)[organisation_id]
        self.assertEqual(counts[SURVEY_FIELDS.index("respondents")], accepted)
        self.assertGreater(
            accepted,
            Response.objects.filter(
                organisation_id=organisation_id,
                campaign__year=year,
                status="accepted",
                mode="online",
            ).count(),
        )
