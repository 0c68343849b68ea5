"""The operator's report: the DOCX opened back with python-docx, the figures it holds, the
task's progress and status, the stored document and the editors' template."""

import io
from unittest import mock

import docx
from django.core.files.base import ContentFile
from django.test import TestCase
from wagtail.documents import get_document_model
from wagtail.models import Collection

from accountability.tests.factories_plans import editor
from outputs import report_service
from outputs.models import OperatorReport
from outputs.report import SECTION_TITLES, ReportError, figure, gather
from outputs.report_docx import TABLE_STYLE
from outputs.report_service import REPORTS_COLLECTION, TEMPLATE_TITLE, request_report
from outputs.tasks import generate_report_task
from results.indicators import short_label
from results.models import RatingRevision

from .factories_report import (
    CHECKLIST_SHORTCOMING,
    DRAFT_YEAR,
    KIND,
    SURVEY_SHORTCOMING,
    YEAR,
    report_year,
)

RECOMMENDATIONS = "Разместить на стендах режим работы.\n\n- Обновить сайты\n- Провести опрос"


def table_starting_with(document, *header):
    for table in document.tables:
        cells = [cell.text for cell in table.rows[0].cells]
        if cells[: len(header)] == list(header):
            return table
    raise AssertionError(f"no table headed {header}")


def rows_of(table):
    return [[cell.text for cell in row.cells] for row in table.rows[1:]]


class ReportDocumentTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.year = report_year()
        cls.editor = editor()
        cls.revision = RatingRevision.objects.current().get(year=YEAR)
        report = request_report(YEAR, KIND, cls.editor, RECOMMENDATIONS)
        generate_report_task.enqueue(report.pk)
        cls.report = OperatorReport.objects.get(pk=report.pk)

    def open_document(self):
        with self.report.document.open_file() as handle:
            return docx.Document(io.BytesIO(handle.read()))

    def test_the_task_stores_the_docx_as_a_document_in_the_reports_collection(self):
        self.assertEqual(self.report.status, OperatorReport.Status.DONE)
        self.assertEqual(self.report.progress, 100)
        self.assertEqual(self.report.revision_number, self.revision.number)
        document = self.report.document
        self.assertEqual(document.collection.name, REPORTS_COLLECTION)
        self.assertTrue(document.file.name.endswith(".docx"))
        self.assertTrue(document.file.storage.exists(document.file.name))
        self.assertGreater(document.file_size, 0)
        # Only the operator's editors may download from the collection.
        restriction = document.collection.get_view_restrictions().get()
        self.assertEqual(
            [group.name for group in restriction.groups.all()], ["Редакторы оператора"]
        )

    def test_the_document_has_every_section_in_named_heading_styles(self):
        document = self.open_document()
        headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
        self.assertEqual(headings, [str(title) for title in SECTION_TITLES.values()])
        self.assertIn("Heading 2", {p.style.name for p in document.paragraphs})
        self.assertEqual(document.paragraphs[0].style.name, "Title")
        self.assertEqual({table.style.name for table in document.tables}, {TABLE_STYLE})

    def test_the_criterion_tables_hold_the_revisions_aggregates(self):
        means = self.revision.aggregates["kinds"][KIND]
        document = self.open_document()
        municipalities = rows_of(table_starting_with(document, "Муниципалитет", "С баллом"))
        expected = sorted(means["municipalities"].values(), key=lambda item: item["name"])
        expected = [*expected, means["region"]]
        self.assertEqual(len(municipalities), 3)
        for row, stored in zip(municipalities, expected, strict=True):
            self.assertEqual(row[1], str(stored["rated"]))
            self.assertEqual(
                row[2:],
                [
                    stored[code].replace(".", ",")
                    for code in ("k1", "k2", "k3", "k4", "k5", "total")
                ],
            )
        self.assertEqual(municipalities[-1][0], "Регион")
        region = dict(rows_of(table_starting_with(document, "Критерий, показатель")))
        for code in ("k1", "k2", "k3", "k4", "k5"):
            label = next(key for key in region if key.startswith(f"{short_label(code)}. "))
            self.assertEqual(region[label], means["region"][code].replace(".", ","))
        self.assertEqual(region["Итоговый балл"], means["region"]["total"].replace(".", ","))
        # Indicators are listed under their criteria with their means.
        self.assertTrue(any(key.startswith("1.1. ") for key in region))

    def test_the_appendix_has_a_row_per_organisation_with_its_figures(self):
        document = self.open_document()
        appendix = rows_of(document.tables[-1])
        results = self.revision.results.filter(kind=KIND)
        self.assertEqual(len(appendix), results.count())
        by_code = {row[1]: row for row in appendix}
        for result in results:
            row = by_code[result.code]
            self.assertEqual(row[0], "—" if result.rank is None else str(result.rank))
            self.assertEqual(row[2], result.short_name)
            self.assertEqual(row[3], result.municipality_name)
            self.assertEqual(row[4:9], [figure(getattr(result, f"k{n}")) for n in range(1, 6)])
            self.assertEqual(row[9], figure(result.total))
        self.assertEqual(by_code[self.year.unrated.code][0], "—")

    def test_the_charts_are_pictures_in_the_document(self):
        document = self.open_document()
        self.assertEqual(len(document.inline_shapes), 2)
        captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
        self.assertEqual(len(captions), 2)
        for shape in document.inline_shapes:
            blip = shape._inline.graphic.graphicData.pic.blipFill.blip
            part = document.part.related_parts[blip.embed]
            self.assertEqual(part.content_type, "image/png")

    def test_top_and_bottom_lists_follow_the_rank_within_the_kind(self):
        document = self.open_document()
        lists = [table for table in document.tables if table.rows[0].cells[0].text == "Место"]
        top, bottom = rows_of(lists[0]), rows_of(lists[1])
        self.assertEqual([row[0] for row in top], [str(n) for n in range(1, 11)])
        self.assertEqual([row[0] for row in bottom], ["11", "12"])

    def test_typical_shortcomings_count_the_kept_ones_per_indicator_and_source(self):
        document = self.open_document()
        typical = rows_of(table_starting_with(document, "Недостаток"))
        self.assertEqual(
            typical, [[SURVEY_SHORTCOMING, "2.3", "3"], [CHECKLIST_SHORTCOMING, "1.1", "2"]]
        )
        by_indicator = rows_of(table_starting_with(document, "Показатель", "Критерий"))
        self.assertEqual([(row[0], row[2]) for row in by_indicator], [("2.3", "3"), ("1.1", "2")])
        text = "\n".join(
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        )
        for left_out in ("Снят", "Устарел", "Прошлый год"):
            self.assertNotIn(left_out, text)

    def test_the_sample_counts_respondents_coverage_and_rated_organisations(self):
        document = self.open_document()
        paragraphs = [p.text for p in document.paragraphs]
        self.assertIn("Организаций в оценке: 13.", paragraphs)
        self.assertIn("Получили итоговый балл и место: 12.", paragraphs)
        self.assertIn("Не получили балла (недостаточно ответов): 1.", paragraphs)
        respondents = sum(
            self.revision.results.filter(kind=KIND).values_list("respondents", flat=True)
        )
        self.assertIn(f"Респондентов всего: {respondents}.", paragraphs)
        coverage = rows_of(table_starting_with(document, "Муниципалитет", "Группа респондентов"))
        region = [row for row in coverage if row[0] == "Регион"]
        # Accepted answers only: the four flagged ones are left out.
        self.assertEqual([row[2] for row in region], ["4", "2"])
        self.assertEqual({row[0] for row in coverage}, {"Северный район", "Южный район", "Регион"})
        policies = dict(rows_of(table_starting_with(document, "Правило", "Значение")))
        self.assertEqual(policies["Код версии"], "noko-2019")

    def test_the_recommendations_are_paragraphs_and_list_items(self):
        document = self.open_document()
        texts = {p.text: p.style.name for p in document.paragraphs}
        self.assertEqual(texts["Разместить на стендах режим работы."], "Normal")
        self.assertEqual(texts["Обновить сайты"], "List Bullet")
        self.assertEqual(texts["Провести опрос"], "List Bullet")


class ReportTaskTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.year = report_year()
        cls.editor = editor()

    def generate(self, recommendations=""):
        report = request_report(YEAR, KIND, self.editor, recommendations)
        generate_report_task.enqueue(report.pk)
        return OperatorReport.objects.select_related("document").get(pk=report.pk)

    def test_a_draft_year_is_refused_and_never_read(self):
        self.assertTrue(RatingRevision.objects.filter(year=DRAFT_YEAR, status="draft").exists())
        with self.assertRaises(ReportError):
            request_report(DRAFT_YEAR, KIND, self.editor)
        with self.assertRaises(ReportError):
            gather(DRAFT_YEAR, KIND)
        self.assertFalse(OperatorReport.objects.filter(year=DRAFT_YEAR).exists())

    def test_a_kind_the_year_did_not_assess_is_refused(self):
        with self.assertRaises(ReportError):
            request_report(YEAR, "college", self.editor)

    def test_progress_rises_step_by_step_while_running_then_done(self):
        seen = []
        real = report_service._progress

        def record(report_id, percent, step, **kwargs):
            real(report_id, percent, step, **kwargs)
            row = OperatorReport.objects.get(pk=report_id)
            seen.append((row.status, row.progress, row.step))

        report = request_report(YEAR, KIND, self.editor)
        self.assertEqual((report.status, report.progress), (OperatorReport.Status.QUEUED, 0))
        with mock.patch.object(report_service, "_progress", side_effect=record):
            generate_report_task.enqueue(report.pk)
        self.assertGreaterEqual(len(seen), 6)
        self.assertEqual({status for status, _p, _s in seen}, {OperatorReport.Status.RUNNING})
        percents = [percent for _s, percent, _t in seen]
        self.assertEqual(percents, sorted(percents))
        self.assertTrue(all(step for _s, _p, step in seen))
        report.refresh_from_db()
        self.assertEqual((report.status, report.progress, report.step), ("done", 100, "Готово"))
        self.assertIsNotNone(report.finished_at)

    def test_a_report_already_being_made_is_not_queued_twice(self):
        report = request_report(YEAR, KIND, self.editor)
        with self.assertRaisesMessage(ReportError, "уже формируется"):
            request_report(YEAR, KIND, self.editor)
        report.refresh_from_db()
        self.assertEqual(report.status, OperatorReport.Status.QUEUED)

    def test_regenerating_replaces_the_previous_document(self):
        first = self.generate().document
        second = self.generate("Новые рекомендации").document
        self.assertNotEqual(first.pk, second.pk)
        self.assertFalse(get_document_model().objects.filter(pk=first.pk).exists())
        self.assertEqual(OperatorReport.objects.filter(year=YEAR, kind=KIND).count(), 1)

    def test_a_failure_is_recorded_in_russian_with_the_traceback_logged(self):
        kept = self.generate().document
        with (
            mock.patch.object(report_service, "build_docx", side_effect=RuntimeError("boom")),
            self.assertLogs("outputs.report_service", "ERROR") as logs,
        ):
            report = self.generate()
        self.assertEqual(report.status, OperatorReport.Status.FAILED)
        self.assertIn("Не удалось сформировать отчёт", report.error)
        self.assertNotIn("boom", report.error)
        self.assertIn("Traceback", "\n".join(logs.output))
        self.assertIn("RuntimeError: boom", "\n".join(logs.output))
        # The last good document stays until a new one is stored.
        self.assertEqual(report.document, kept)
        # A failed report may be asked for again.
        self.assertEqual(self.generate().status, OperatorReport.Status.DONE)

    def test_the_editors_template_in_the_reports_collection_is_built_on(self):
        self.upload_template(report_service.reports_collection(), "Титульный лист оператора")
        # A school's own collection is no place for the operator's template.
        self.upload_template(Collection.get_first_root_node(), "Чужой титульный лист")
        report = self.generate()
        with report.document.open_file() as handle:
            document = docx.Document(io.BytesIO(handle.read()))
        texts = [p.text for p in document.paragraphs]
        self.assertEqual(texts[0], "Титульный лист оператора")
        self.assertNotIn("Чужой титульный лист", texts)
        self.assertIn(str(SECTION_TITLES["appendix"]), texts)
        # The template's styles are kept: its Heading 1 is red.
        heading = next(p for p in document.paragraphs if p.style.name == "Heading 1")
        self.assertEqual(str(heading.style.font.color.rgb), "C00000")

    def upload_template(self, collection, first_line):
        template = docx.Document()
        template.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xC0, 0, 0)
        template.add_paragraph(first_line)
        content = io.BytesIO()
        template.save(content)
        document = get_document_model()(title=TEMPLATE_TITLE, collection=collection)
        document.file.save("template.docx", ContentFile(content.getvalue()), save=False)
        document.save()
        return document
