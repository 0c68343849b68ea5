"""The bus.gov.ru-ready export: contents on a published year, formula-safe spreadsheets, the
XML valid against the shipped schema, drafts never exported, the checklist screen and who may
open it."""

import csv
import datetime
import io
from decimal import Decimal
from io import StringIO

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from accountability.publication import published_shortcomings
from outputs import busgov
from outputs.busgov_views import register_busgov_menu_item
from registry.tests.factories import OrganisationFactory
from results.models import AssessmentInput, RatingResult, RatingRevision
from results.services import compute_year
from results.tests.factories import AssessmentInputFactory

from .factories import (
    HOSTILE_NAME,
    TODAY,
    YEAR,
    coordinator_of,
    editor,
    published_year,
    staff_of,
)

XS = "{http://www.w3.org/2001/XMLSchema}"
NS = f"{{{busgov.XML_NAMESPACE}}}"


class PublishedYear(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.data = published_year()
        cls.school = cls.data["school"]
        cls.bare = cls.data["bare"]
        cls.editor = editor()

    def rows(self, kind="school"):
        _revision, rows = busgov.build_rows(YEAR, kind, today=TODAY)
        return {row["code"]: row for row in rows}


class ContentsTests(PublishedYear):
    def test_a_row_per_assessed_organisation_of_the_kind_with_identifiers_and_figures(self):
        rows = self.rows()
        self.assertEqual(set(rows), {"1000000001", "1000000002"})
        row = rows["1000000001"]
        self.assertEqual(
            (row["inn"], row["kpp"], row["ogrn"], row["busgov_url"]),
            ("7707083893", "770701001", "1027700132195", "https://bus.gov.ru/info-card/1000000001"),
        )
        self.assertEqual(
            (row["name"], row["municipality"], row["kind"], row["year"], row["status"]),
            ("МБОУ «Средняя школа № 1»", "Северный район", "school", YEAR, "rated"),
        )
        # Methodology §4's worked example: every indicator and criterion, the total, the rank.
        self.assertEqual(row["total"], Decimal("86.10"))
        self.assertEqual(row["k3"], Decimal("72.50"))
        self.assertEqual(row["p1_1"], Decimal("86.86"))
        self.assertEqual(row["rank"], 1)
        self.assertEqual(set(self.rows("preschool")), {"1000000003"})

    def test_shortcomings_are_those_the_public_reads_per_criterion(self):
        row = self.rows()["1000000001"]
        public = [item.text for item in published_shortcomings(self.school, YEAR)]
        self.assertEqual([item["text"] for item in row["shortcomings"]], public)
        self.assertEqual(row["shortcomings_k1"], "На стенде нет режима работы\x07")
        self.assertEqual(row["shortcomings_k3"], "-Нет пандуса у входа")
        self.assertEqual(row["shortcomings_k2"], "")  # dismissed and stale ones are left out

    def test_the_approved_plans_measures_with_dates_responsible_and_status(self):
        row = self.rows()["1000000001"]
        self.assertEqual(row["plan_approved_on"], datetime.date(2026, 2, 10))
        self.assertEqual(
            (row["measures_total"], row["measures_done"], row["measures_overdue"]), (2, 1, 1)
        )
        done, overdue = row["measures"]
        self.assertEqual(
            (done["status"], done["planned_date"], done["done_date"], done["responsible_name"]),
            ("done", datetime.date(2026, 3, 1), datetime.date(2026, 2, 25), "Петров Пётр Петрович"),
        )
        self.assertEqual((overdue["status"], overdue["done_date"]), ("overdue", None))
        self.assertIn("выполнено 2026-02-25: Режим работы размещён", row["plan_measures"])
        self.assertIn("III. =Установить пандус; срок 2026-05-01", row["plan_measures"])
        self.assertIn("просрочено", row["plan_measures"])

    def test_a_plan_not_approved_is_not_exported(self):
        row = self.rows()["1000000002"]
        self.assertEqual((row["measures"], row["plan_measures"]), ([], ""))
        self.assertIsNone(row["plan_approved_on"])
        self.assertIsNone(row["measures_total"])
        for fmt in busgov.FORMATS:
            self.assertNotIn("Черновое мероприятие".encode(), busgov.export(YEAR, "school", fmt))


class SpreadsheetTests(PublishedYear):
    def test_csv_is_utf8_with_bom_formula_safe_and_without_control_characters(self):
        data = busgov.export(YEAR, "school", "csv", today=TODAY)
        self.assertTrue(data.startswith(b"\xef\xbb\xbfinn,kpp,ogrn,"))
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(list(rows[0]), [spec.column for spec in busgov.ORGANISATION_FIELDS])
        by_code = {row["code"]: row for row in rows}
        self.assertEqual(by_code["1000000002"]["name"], "'" + HOSTILE_NAME)
        school = by_code["1000000001"]
        self.assertEqual(school["shortcomings_k1"], "На стенде нет режима работы")
        self.assertEqual(school["shortcomings_k3"], "'-Нет пандуса у входа")
        self.assertEqual((school["total"], school["k3"]), ("86.10", "72.50"))
        self.assertEqual(school["plan_approved_on"], "2026-02-10")
        self.assertEqual(school["low_sample"], "false")
        self.assertEqual(by_code["1000000002"]["inn"], "")

    def test_xlsx_has_no_formulas_numbers_stay_numbers_and_measures_have_a_sheet(self):
        data = busgov.export(YEAR, "school", "xlsx", today=TODAY)
        workbook = load_workbook(io.BytesIO(data))
        results, measures = workbook.worksheets
        self.assertEqual(measures.title, "Мероприятия")
        for sheet in (results, measures):
            for row in sheet.iter_rows():
                for cell in row:
                    self.assertNotEqual(cell.data_type, "f", cell.coordinate)
                    if isinstance(cell.value, str):
                        self.assertNotIn("\x07", cell.value)
        header = [cell.value for cell in results[1]]
        rows = [
            dict(zip(header, (c.value for c in row), strict=True))
            for row in results.iter_rows(min_row=2)
        ]
        by_code = {row["code"]: row for row in rows}
        self.assertEqual(by_code["1000000002"]["name"], "'" + HOSTILE_NAME)
        self.assertEqual(by_code["1000000001"]["total"], 86.1)
        self.assertEqual(by_code["1000000001"]["inn"], "7707083893")
        self.assertEqual(by_code["1000000001"]["plan_approved_on"], datetime.datetime(2026, 2, 10))
        measure_header = [cell.value for cell in measures[1]]
        self.assertEqual(measure_header[:3], ["inn", "kpp", "code"])
        measure_rows = [
            dict(zip(measure_header, (c.value for c in row), strict=True))
            for row in measures.iter_rows(min_row=2)
        ]
        self.assertEqual([row["status"] for row in measure_rows], ["done", "overdue"])
        self.assertEqual(measure_rows[1]["measure"], "'=Установить пандус")
        self.assertEqual(measure_rows[0]["done_date"], datetime.datetime(2026, 2, 25))


class XmlTests(PublishedYear):
    def test_the_xml_is_valid_against_the_shipped_schema(self):
        document = etree.fromstring(busgov.export(YEAR, "school", "xml", today=TODAY))
        busgov.schema().assertValid(document)
        self.assertEqual(document.get("year"), str(YEAR))
        school = document.xpath(
            "b:organisation[b:code='1000000001']", namespaces={"b": busgov.XML_NAMESPACE}
        )[0]
        self.assertEqual(school.findtext(f"{NS}total"), "86.10")
        self.assertEqual(school.findtext(f"{NS}inn"), "7707083893")
        self.assertEqual(school.findtext(f"{NS}plan_approved_on"), "2026-02-10")
        texts = [
            item.findtext(f"{NS}text")
            for item in school.iterfind(f"{NS}shortcomings/{NS}shortcoming")
        ]
        self.assertEqual(texts, ["На стенде нет режима работы", "-Нет пандуса у входа"])
        statuses = [
            item.findtext(f"{NS}status") for item in school.iterfind(f"{NS}measures/{NS}measure")
        ]
        self.assertEqual(statuses, ["done", "overdue"])
        bare = document.xpath(
            "b:organisation[b:code='1000000002']", namespaces={"b": busgov.XML_NAMESPACE}
        )[0]
        # Missing data: the optional elements are left out.
        self.assertIsNone(bare.find(f"{NS}inn"))
        self.assertIsNone(bare.find(f"{NS}measures"))
        self.assertEqual(bare.findtext(f"{NS}name"), HOSTILE_NAME)

    def test_characters_xml_cannot_hold_are_dropped_not_fatal(self):
        RatingResult.objects.filter(organisation=self.bare).update(name="Школа\ufffe\x0b № 2")
        document = etree.fromstring(busgov.export(YEAR, "school", "xml", today=TODAY))
        busgov.schema().assertValid(document)
        names = [element.text for element in document.iter(f"{NS}name")]
        self.assertIn("Школа № 2", names)

    def test_the_schema_refuses_an_invalid_document(self):
        schema = busgov.schema()
        document = etree.fromstring(busgov.export(YEAR, "school", "xml", today=TODAY))
        organisation = document.find(f"{NS}organisation")
        organisation.find(f"{NS}total").text = "86,10"  # a decimal comma
        self.assertFalse(schema.validate(document))
        organisation.find(f"{NS}total").text = "86.10"
        self.assertTrue(schema.validate(document))
        organisation.remove(organisation.find(f"{NS}code"))  # a required element
        self.assertFalse(schema.validate(document))
        wrong_inn = etree.fromstring(busgov.export(YEAR, "preschool", "xml", today=TODAY))
        wrong_inn.find(f"{NS}organisation/{NS}inn").text = "77360500031"
        self.assertFalse(schema.validate(wrong_inn))

    def test_the_schema_lists_the_field_specs_in_their_order(self):
        tree = etree.parse(str(busgov.SCHEMA_PATH))

        def sequence(type_name):
            [complex_type] = tree.xpath(
                f"//xs:complexType[@name='{type_name}']", namespaces={"xs": XS[1:-1]}
            )
            return [element.get("name") for element in complex_type.find(f"{XS}sequence")]

        organisation_columns = [spec.column for spec in busgov.ORGANISATION_FIELDS if spec.in_xml]
        self.assertEqual(
            sequence("Organisation"), [*organisation_columns, "shortcomings", "measures"]
        )
        self.assertEqual(sequence("Measure"), [spec.column for spec in busgov.MEASURE_FIELDS])
        self.assertEqual(
            sequence("Shortcoming"), [spec.column for spec in busgov.SHORTCOMING_FIELDS]
        )


class DraftTests(PublishedYear):
    def test_a_newer_draft_never_reaches_the_export(self):
        AssessmentInput.objects.filter(organisation=self.school, year=YEAR).update(
            stand_items=14, site_items=50
        )
        compute_year(YEAR)
        draft = RatingRevision.objects.get(year=YEAR, status=RatingRevision.Status.DRAFT)
        self.assertNotEqual(draft.results.get(organisation=self.school).total, Decimal("86.10"))
        self.assertEqual(self.rows()["1000000001"]["total"], Decimal("86.10"))
        document = etree.fromstring(busgov.export(YEAR, "school", "xml", today=TODAY))
        self.assertEqual(document.get("revision"), "1")

    def test_a_year_with_only_a_draft_has_nothing_to_export(self):
        AssessmentInputFactory(year=YEAR - 1, organisation=OrganisationFactory())
        compute_year(YEAR - 1)
        with self.assertRaises(busgov.NoPublishedYear):
            busgov.export(YEAR - 1, "school", "csv")
        self.client.force_login(self.editor)
        for url in (
            reverse("outputs_busgov_year_kind", args=[YEAR - 1, "school"]),
            reverse("outputs_busgov_download", args=[YEAR - 1, "school", "xlsx"]),
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)
        index = self.client.get(reverse("outputs_busgov"))
        self.assertNotContains(index, f'id="busgov-{YEAR - 1}"')
        self.assertContains(index, f'id="busgov-{YEAR}"')


class ScreenTests(PublishedYear):
    def test_the_checklist_counts_and_lists_what_is_missing_with_links(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("outputs_busgov_year_kind", args=[YEAR, "school"]))
        self.assertEqual(response.status_code, 200)
        checklist = response.context["checklist"]
        self.assertEqual(checklist.assessed, 2)
        self.assertEqual([o.code for o in checklist.without_identifiers], ["1000000002"])
        self.assertEqual([o.code for o in checklist.without_plan], ["1000000002"])
        self.assertEqual([o.organisation_id for o in checklist.open_objections], [self.bare.pk])
        self.assertContains(response, '<td data-check="identifiers">1</td>', html=True)
        self.assertContains(response, '<td data-check="plans">1</td>', html=True)
        self.assertContains(response, '<td data-check="objections">1</td>', html=True)
        self.assertContains(response, reverse("organisations:edit", args=[self.bare.pk]))
        self.assertContains(
            response, reverse("accountability_plan_admin", args=[self.data["draft"].pk])
        )
        self.assertContains(
            response, reverse("accountability_objection", args=[self.data["filed"].pk])
        )
        # The hostile name is shown as text, never as markup.
        self.assertContains(response, "=HYPERLINK(&quot;http://evil.example&quot;")
        for fmt in busgov.FORMATS:
            self.assertContains(
                response, reverse("outputs_busgov_download", args=[YEAR, "school", fmt])
            )

        preschool = self.client.get(reverse("outputs_busgov_year_kind", args=[YEAR, "preschool"]))
        checklist = preschool.context["checklist"]
        self.assertEqual(
            (
                len(checklist.without_identifiers),
                len(checklist.without_plan),
                len(checklist.open_objections),
            ),
            (0, 1, 0),
        )
        self.assertContains(preschool, "план не начат")

    def test_the_index_lists_published_years_and_their_kinds(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("outputs_busgov"))
        self.assertContains(response, reverse("outputs_busgov_year_kind", args=[YEAR, "school"]))
        self.assertContains(response, reverse("outputs_busgov_year_kind", args=[YEAR, "preschool"]))
        self.assertNotContains(
            response, reverse("outputs_busgov_year_kind", args=[YEAR, "college"])
        )

    def test_editors_download_every_format_as_an_attachment(self):
        self.client.force_login(self.editor)
        for fmt in busgov.FORMATS:
            with self.subTest(fmt):
                response = self.client.get(
                    reverse("outputs_busgov_download", args=[YEAR, "school", fmt])
                )
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response["Content-Type"], busgov.CONTENT_TYPES[fmt])
                self.assertEqual(
                    response["Content-Disposition"],
                    f'attachment; filename="busgov-{YEAR}-school.{fmt}"',
                )
                self.assertIn("no-cache", response["Cache-Control"])

    def test_unknown_kinds_formats_and_kinds_absent_from_the_year_answer_404(self):
        self.client.force_login(self.editor)
        for url in (
            reverse("outputs_busgov_download", args=[YEAR, "school", "json"]),
            reverse("outputs_busgov_download", args=[YEAR, "university", "csv"]),
            reverse("outputs_busgov_year_kind", args=[YEAR, "college"]),
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_school_staff_coordinators_and_anonymous_are_denied(self):
        urls = [
            reverse("outputs_busgov"),
            reverse("outputs_busgov_year_kind", args=[YEAR, "school"]),
            reverse("outputs_busgov_download", args=[YEAR, "school", "csv"]),
        ]
        people = {
            "staff": staff_of(self.school),
            "coordinator": coordinator_of(self.data["municipality"]),
        }
        for role, person in people.items():
            self.client.force_login(person)
            for url in urls:
                with self.subTest(role=role, url=url):
                    response = self.client.get(url)
                    self.assertIn(response.status_code, (302, 403))
                    self.assertNotIn(b"7707083893", response.content)
            self.client.logout()
        for url in urls:
            with self.subTest(role="anonymous", url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertIn(reverse("wagtailadmin_login"), response["Location"])

    def test_the_menu_item_is_shown_to_editors_only(self):
        item = register_busgov_menu_item()

        class Request:
            def __init__(self, user):
                self.user = user

        self.assertTrue(item.is_shown(Request(self.editor)))
        self.assertFalse(item.is_shown(Request(coordinator_of(self.data["municipality"]))))
        self.assertFalse(item.is_shown(Request(AnonymousUser())))


class CommandTests(PublishedYear):
    def test_the_command_writes_the_same_file_as_the_screen(self):
        out = StringIO()
        call_command(
            "export_busgov", "--year", str(YEAR), "--kind", "school", "--format", "xml", stdout=out
        )
        busgov.schema().assertValid(etree.fromstring(out.getvalue().encode("utf-8")))
