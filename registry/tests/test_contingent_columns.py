"""The contingent columns of the registry exchange (methodology §5): the new names
``contingent_parents`` / ``contingent_students``, and the older ``pupils_1_8`` / ``pupils_9_11``
still accepted on import."""

import csv
import io
import os
import tempfile

from django.core.management import CommandError, call_command
from django.test import TestCase

from registry.models import Organisation
from registry.registry_import import COLUMNS, export_registry, import_registry
from registry.tests.factories import OrganisationFactory

BASE = ["code", "name", "short_name", "kind", "municipality", "address", "website"]


def csv_file(header, rows):
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def organisation_row(code, kind, parents, students):
    return [code, f"Организация {code}", "", kind, "Приозёрский район", "", "", parents, students]


class ContingentColumnsTests(TestCase):
    def test_new_columns_import(self):
        data = csv_file(
            [*BASE, "contingent_parents", "contingent_students"],
            [organisation_row("7801", "preschool", "140", "0")],
        )
        report = import_registry(data, "registry.csv")
        self.assertTrue(report.ok, report.error_lines())
        kindergarten = Organisation.objects.get(code="7801")
        self.assertEqual(
            (kindergarten.contingent_parents, kindergarten.contingent_students), (140, 0)
        )

    def test_old_columns_import_as_the_new_ones(self):
        data = csv_file(
            [*BASE, "pupils_1_8", "pupils_9_11"],
            [organisation_row("7802", "college", "0", "900")],
        )
        report = import_registry(data, "registry.csv")
        self.assertTrue(report.ok, report.error_lines())
        college = Organisation.objects.get(code="7802")
        self.assertEqual((college.contingent_parents, college.contingent_students), (0, 900))

    def test_old_columns_in_cp1251_are_recognised(self):
        data = csv_file([*BASE, "pupils_1_8"], [organisation_row("7803", "school", "300", "")[:8]])
        report = import_registry(data.decode("utf-8").encode("cp1251"), "registry.csv")
        self.assertTrue(report.ok, report.error_lines())
        self.assertEqual(Organisation.objects.get(code="7803").contingent_parents, 300)

    def test_errors_name_the_column_as_the_file_does(self):
        data = csv_file(
            [*BASE, "pupils_1_8", "contingent_students"],
            [organisation_row("7804", "school", "много", "-1")],
        )
        report = import_registry(data, "registry.csv")
        self.assertEqual(
            report.error_lines(),
            [
                "Строка 2, столбец pupils_1_8: должно быть целым числом, а не «много»",
                "Строка 2, столбец contingent_students: не может быть отрицательным",
            ],
        )
        self.assertFalse(Organisation.objects.filter(code="7804").exists())

    def test_old_and_new_name_of_one_column_together_are_refused(self):
        data = csv_file(
            [*BASE, "pupils_1_8", "contingent_parents"],
            [organisation_row("7805", "school", "1", "2")],
        )
        report = import_registry(data, "registry.csv")
        self.assertFalse(report.ok)
        self.assertIn("означают одно и то же", " ".join(report.error_lines()))
        self.assertFalse(Organisation.objects.filter(code="7805").exists())

    def test_command_accepts_old_columns(self):
        path = self.tmp_file(
            csv_file(
                [*BASE, "pupils_1_8", "pupils_9_11"], [organisation_row("7806", "school", "5", "6")]
            )
        )
        call_command("import_orgs", path, stdout=io.StringIO())
        self.assertEqual(Organisation.objects.get(code="7806").contingent_students, 6)
        bad = self.tmp_file(
            csv_file([*BASE, "pupils_1_8"], [organisation_row("7807", "school", "x", "")[:8]])
        )
        with self.assertRaises(CommandError):
            call_command("import_orgs", bad, stdout=io.StringIO(), stderr=io.StringIO())

    def test_export_writes_the_new_names_and_imports_back(self):
        OrganisationFactory(code="7808", contingent_parents=12, contingent_students=3)
        exported = export_registry(Organisation.objects.filter(code="7808"), "csv")
        header = exported.decode("utf-8-sig").splitlines()[0].split(",")
        self.assertEqual(header, COLUMNS)
        self.assertIn("contingent_parents", header)
        self.assertNotIn("pupils_1_8", header)
        report = import_registry(exported, "registry.csv")
        self.assertTrue(report.ok, report.error_lines())
        self.assertEqual(report.unchanged, 1)

    def tmp_file(self, data):
        with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as handle:
            handle.write(data)
        self.addCleanup(os.unlink, handle.name)
        return handle.name
