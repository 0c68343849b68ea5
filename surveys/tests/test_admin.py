"""Coverage, the school's survey screen, review of flagged responses, exports and QR codes."""

import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone
from openpyxl import load_workbook

from core.permissions import editors_group
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.provisioning import add_staff_member
from surveys.coverage import coverage_report
from surveys.models import OrganisedSession, Response
from surveys.tests.factories import CampaignFactory, ResponseFactory

User = get_user_model()


class SurveyAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.campaign = CampaignFactory()
        cls.municipality = MunicipalityFactory(name="Приозёрск")
        cls.school_a = OrganisationFactory(
            municipality=cls.municipality, contingent_parents=10, contingent_students=4
        )
        cls.school_b = OrganisationFactory(contingent_parents=100, contingent_students=0)
        for _ in range(6):
            ResponseFactory(campaign=cls.campaign, organisation=cls.school_a)
        ResponseFactory(campaign=cls.campaign, organisation=cls.school_a, audience="students")
        ResponseFactory(
            campaign=cls.campaign,
            organisation=cls.school_a,
            status="flagged",
            flag_reason="много ответов с одного адреса",
            suggestion='=HYPERLINK("http://evil.example","x")',
        )
        ResponseFactory(campaign=cls.campaign, organisation=cls.school_a, status="rejected")
        ResponseFactory(
            campaign=cls.campaign, organisation=cls.school_b, suggestion="<script>alert(1)</script>"
        )
        cls.editor = User.objects.create_user("editor", "e@example.com", "pw")
        cls.editor.groups.add(editors_group())
        cls.staff_a = User.objects.create_user("staff_a", "a@example.com", "pw")
        add_staff_member(cls.school_a, cls.staff_a)
        cls.coordinator = User.objects.create_user("coord", "c@example.com", "pw")
        cls.coordinator.groups.add(cls.municipality.coordinator_group)

    def test_coverage_arithmetic(self):
        report = coverage_report(self.campaign)
        item = report.by_organisation[self.school_a]
        self.assertEqual((item.parents.count, item.students.count, item.flagged), (6, 1, 1))
        self.assertEqual((item.parents.share, item.students.share), (60.0, 25.0))
        self.assertFalse(item.target_met)
        self.assertIsNone(report.by_organisation[self.school_b].students.share)
        self.assertEqual(report.total.parents.count, 7)
        self.assertEqual(report.by_municipality[self.municipality].parents.count, 6)

    def test_editor_sees_everything_and_exports_coverage(self):
        self.client.force_login(self.editor)
        response = self.client.get("/admin/surveys/")
        self.assertContains(response, self.school_a.name)
        self.assertContains(response, self.school_b.name)
        csv_text = self.client.get("/admin/surveys/", {"export": "csv"}).content.decode("utf-8")
        self.assertIn(f"{self.school_a.code},", csv_text)
        self.assertIn(",6,10,60.0,", csv_text)

    def test_coordinator_sees_only_their_municipality(self):
        self.client.force_login(self.coordinator)
        response = self.client.get("/admin/surveys/")
        self.assertContains(response, self.school_a.name)
        self.assertNotContains(response, self.school_b.name)
        self.assertIn(self.client.get("/admin/surveys/review/").status_code, (302, 403))

    def test_school_sees_its_links_coverage_and_suggestions_only(self):
        self.client.force_login(self.staff_a)
        response = self.client.get("/admin/surveys/")
        self.assertContains(response, f"/survey/{self.school_a.code}/parents/")
        self.assertContains(response, "&lt;iframe src=")
        self.assertContains(response, "<svg")
        self.assertContains(response, "HYPERLINK")  # their own suggestion, escaped as text
        self.assertNotContains(response, "alert(1)")  # school B's suggestion
        self.assertNotContains(response, self.school_b.name)
        for url in (
            "/admin/surveys/review/",
            "/admin/surveys/export.csv",
            "/admin/surveys/export.xlsx",
        ):
            self.assertIn(self.client.get(url).status_code, (302, 403), url)

    def test_school_registers_an_organised_session(self):
        self.client.force_login(self.staff_a)
        now = timezone.localtime()
        data = {
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timezone.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "expected_participants": "30",
        }
        bad = self.client.post(
            "/admin/surveys/",
            {**data, "order_document": SimpleUploadedFile("prikaz.pdf", b"<html>not a pdf")},
        )
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(OrganisedSession.objects.exists())
        good = self.client.post(
            "/admin/surveys/",
            {**data, "order_document": SimpleUploadedFile("prikaz.pdf", b"%PDF-1.4\n%%EOF")},
        )
        self.assertEqual(good.status_code, 302)
        session = OrganisedSession.objects.get()
        self.assertEqual((session.organisation, session.created_by), (self.school_a, self.staff_a))

    def test_review_accepts_or_rejects_in_bulk(self):
        self.client.force_login(self.editor)
        flagged = Response.objects.get(status="flagged")
        response = self.client.get("/admin/surveys/review/")
        self.assertContains(response, "много ответов с одного адреса")
        self.client.post("/admin/surveys/review/", {"action": "accept", "response": [flagged.pk]})
        flagged.refresh_from_db()
        self.assertEqual(flagged.status, "accepted")
        # Coverage figures may be a minute old by design; once recounted the accepted
        # response counts toward coverage and is no longer waiting for review.
        cache.delete(f"surveys:coverage:{self.campaign.pk}")
        item = coverage_report(self.campaign).by_organisation[self.school_a]
        self.assertEqual((item.parents.count, item.flagged), (7, 0))

    def test_exports_hold_no_formulas(self):
        self.client.force_login(self.editor)
        csv_text = self.client.get("/admin/surveys/export.csv").content.decode("utf-8")
        self.assertIn("'=HYPERLINK", csv_text)
        self.assertNotIn("ip", csv_text.splitlines()[0].lower().split(","))
        content = self.client.get("/admin/surveys/export.xlsx").content
        sheet = load_workbook(io.BytesIO(content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        self.assertTrue(all(cell.data_type != "f" for cell in cells))
        self.assertIn('\'=HYPERLINK("http://evil.example","x")', [c.value for c in cells])
        self.assertEqual(sheet.max_row, 1 + Response.objects.count())


class QrCodeTests(TestCase):
    def test_qr_codes_and_leaflet(self):
        organisation = OrganisationFactory()
        svg = self.client.get(f"/survey/{organisation.code}/parents/qr.svg")
        self.assertEqual(svg["Content-Type"], "image/svg+xml")
        self.assertIn(b"<svg", svg.content)
        png = self.client.get(f"/survey/{organisation.code}/students/qr.png")
        self.assertTrue(png.content.startswith(b"\x89PNG"))
        self.assertEqual(self.client.get(f"/survey/{organisation.code}/x/qr.svg").status_code, 404)
        leaflet = self.client.get(f"/survey/{organisation.code}/leaflet/")
        self.assertContains(leaflet, f"http://testserver/survey/{organisation.code}/parents/")
        # Laid out for A4 by its own style sheet (no inline style under the site's CSP).
        self.assertContains(leaflet, "css/leaflet.css")
        self.assertIn("@page { size: A4", Path(finders.find("css/leaflet.css")).read_text())
