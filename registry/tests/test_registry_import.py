"""Registry import and export (methodology §5; security.md cases 24–28): all or nothing,
idempotent, every error named by row and column, formula-safe exports that import back."""

import csv
import io
import os
import tempfile
import unittest
from io import StringIO
from unittest import mock

from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models.signals import post_save
from django.test import TestCase
from openpyxl import Workbook, load_workbook

from registry import registry_import
from registry.registry_import import (
    COLUMNS,
    REGISTRY_LOCK_KEY,
    export_registry,
    import_registry,
    lock_registry,
)
from registry.resources import OrganisationResource
from registry.tests.factories import MunicipalityFactory, OrganisationFactory
from schools.models import Municipality, Organisation, SchoolPage


def row(code, **values):
    """One registry row in COLUMNS order; keyword arguments override the defaults."""
    defaults = {
        "code": code,
        "name": f"МБОУ «Средняя школа {code}»",
        "short_name": f"СОШ {code}",
        "kind": "school",
        "municipality": "Приозёрский район",
        "address": "ул. Мира, 1",
        "website": "https://school.example",
        "contingent_parents": "400",
        "contingent_students": "120",
        "founder": "",
        "inn": "",
        "kpp": "",
        "ogrn": "",
        "busgov_url": "",
    }
    defaults.update(values)
    return [defaults[column] for column in COLUMNS]


def csv_bytes(rows, *, header=COLUMNS, delimiter=",", encoding="utf-8", bom=False):
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = text.getvalue().encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx_bytes(rows, *, header=COLUMNS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def registry_state():
    """Everything an import decides, to compare two outcomes."""
    return sorted(
        Organisation.objects.values_list(
            "code",
            "name",
            "short_name",
            "kind",
            "municipality__name",
            "address",
            "website",
            "contingent_parents",
            "contingent_students",
        )
    )


class CountSaves:
    """Counts Organisation saves (each one runs the post-save provisioning)."""

    def __enter__(self):
        self.count = 0
        post_save.connect(self.saved, sender=Organisation, dispatch_uid="count-saves")
        return self

    def __exit__(self, *exc):
        post_save.disconnect(sender=Organisation, dispatch_uid="count-saves")

    def saved(self, **kwargs):
        self.count += 1


class ImportTests(TestCase):
    def test_creates_organisations_pages_and_municipalities_on_first_mention(self):
        MunicipalityFactory(name="Каменский район")
        data = csv_bytes(
            [
                row(" 7701 "),
                row("7702", municipality="  Каменский район "),
                row("7703", municipality="Озёрный округ"),
                row(
                    "7704",
                    municipality="Озёрный округ",
                    kind="Дошкольная образовательная организация".upper(),
                ),
            ],
            delimiter=";",
            bom=True,
        )
        report = import_registry(data, "registry.csv", dry_run=False)
        self.assertTrue(report.ok, report.error_lines())
        self.assertEqual((report.created, report.updated, report.unchanged), (4, 0, 0))
        self.assertEqual(report.municipalities_created, ["Приозёрский район", "Озёрный округ"])
        self.assertEqual(
            sorted(Municipality.objects.values_list("name", flat=True)),
            ["Каменский район", "Озёрный округ", "Приозёрский район"],
        )
        self.assertTrue(Municipality.objects.get(name="Озёрный округ").slug)
        school = Organisation.objects.get(code="7701")
        self.assertEqual((school.contingent_parents, school.kind), (400, "school"))
        self.assertEqual(Organisation.objects.get(code="7704").kind, "preschool")
        # Saved through Organisation.save(): each got its page from the post-save provisioning.
        self.assertEqual(
            SchoolPage.objects.filter(organisation__code__in=["7701", "7704"]).count(), 2
        )
        self.assertIn("Импорт выполнен: создано 4", report.summary())

    def test_reimport_is_a_no_op_that_saves_nothing(self):
        data = xlsx_bytes([row("7701"), row("7702", website="")])
        import_registry(data, "registry.xlsx")
        state = registry_state()
        with CountSaves() as saves:
            report = import_registry(data, "registry.xlsx")
        self.assertTrue(report.ok, report.error_lines())
        self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 2))
        self.assertEqual(saves.count, 0)
        self.assertEqual(registry_state(), state)

    def test_changed_file_updates_by_code_and_counts(self):
        import_registry(csv_bytes([row("7701"), row("7702"), row("7703")]), "r.csv")
        changed = csv_bytes(
            [
                row("7701", contingent_parents="450"),
                row("7702"),
                row("7703", municipality="Новый"),
                row("7704"),
            ]
        )
        with CountSaves() as saves:
            report = import_registry(changed, "r.csv")
        self.assertEqual((report.created, report.updated, report.unchanged), (1, 2, 1))
        self.assertEqual(saves.count, 3)
        self.assertEqual(Organisation.objects.get(code="7701").contingent_parents, 450)
        self.assertEqual(Organisation.objects.get(code="7703").municipality.name, "Новый")
        self.assertEqual(
            [(a.row, a.code, a.action) for a in report.actions],
            [
                (2, "7701", "updated"),
                (3, "7702", "unchanged"),
                (4, "7703", "updated"),
                (5, "7704", "created"),
            ],
        )

    def test_columns_left_out_keep_their_values(self):
        OrganisationFactory(code="7701", website="https://keep.example", contingent_students=77)
        header = ["code", "name", "kind", "municipality"]
        report = import_registry(
            csv_bytes([["7701", "Школа", "school", "Округ"]], header=header), "r.csv"
        )
        self.assertTrue(report.ok, report.error_lines())
        school = Organisation.objects.get(code="7701")
        self.assertEqual(
            (school.name, school.website, school.contingent_students),
            ("Школа", "https://keep.example", 77),
        )

    def test_dry_run_writes_nothing_but_reports_what_would_happen(self):
        OrganisationFactory(code="7701")
        before = (registry_state(), Municipality.objects.count())
        with CountSaves() as saves:
            report = import_registry(
                csv_bytes([row("7701"), row("7702", municipality="Новый")]), "r.csv", dry_run=True
            )
        self.assertTrue(report.ok, report.error_lines())
        self.assertEqual((report.created, report.updated), (1, 1))
        self.assertEqual(report.municipalities_created, ["Приозёрский район", "Новый"])
        self.assertIn("Проверка пройдена, ничего не записано", report.summary())
        self.assertEqual(saves.count, 0)
        self.assertEqual((registry_state(), Municipality.objects.count()), before)

    def test_number_formats_encodings_and_spaces(self):
        cp1251 = csv_bytes(
            [
                row(
                    "7701",
                    name="Школа «Радуга»",
                    contingent_parents="1 200",
                    contingent_students="1200,0",
                )
            ],
            delimiter=";",
            encoding="cp1251",
        )
        report = import_registry(cp1251, "r.csv")
        self.assertTrue(report.ok, report.error_lines())
        school = Organisation.objects.get(code="7701")
        self.assertEqual(
            (school.name, school.contingent_parents, school.contingent_students),
            ("Школа «Радуга»", 1200, 1200),
        )
        xlsx = xlsx_bytes([row(7702, contingent_parents=1200.0, contingent_students="1200.0")])
        report = import_registry(xlsx, "r.xlsx")
        self.assertTrue(report.ok, report.error_lines())
        self.assertEqual(Organisation.objects.get(code="7702").contingent_students, 1200)


class AllOrNothingTests(TestCase):
    def big_file_with_bad_rows(self):
        rows = [row(f"77{n:06d}") for n in range(5000)]
        rows[2499] = row("77002499", contingent_parents="-3")
        rows[4000] = row("77004000", kind="university", website="ftp://x.example")
        return csv_bytes(rows)

    def test_one_bad_row_in_5000_writes_nothing_and_names_every_error(self):
        report = import_registry(self.big_file_with_bad_rows(), "big.csv")
        self.assertFalse(report.ok)
        self.assertEqual(
            report.error_lines(),
            [
                "Строка 2501, столбец contingent_parents: не может быть отрицательным",
                "Строка 4002, столбец kind: неизвестный тип «university»: укажите school, "
                "preschool, college или additional (или название типа)",
                "Строка 4002, столбец website: нужен адрес сайта вида https://school.example.ru",
            ],
        )
        self.assertEqual(
            report.summary(), "Импорт не выполнен, ничего не записано: 3 ошибки в 2 строках."
        )
        self.assertFalse(Organisation.objects.exists())
        self.assertFalse(Municipality.objects.exists())

    def test_command_fails_loudly_and_writes_nothing(self):
        path = write_temporary_file(self, self.big_file_with_bad_rows(), ".csv")
        out, err = StringIO(), StringIO()
        with self.assertRaisesMessage(CommandError, "Импорт не выполнен, ничего не записано"):
            call_command("import_orgs", path, stdout=out, stderr=err)
        self.assertIn(
            "Строка 2501, столбец contingent_parents: не может быть отрицательным", err.getvalue()
        )
        self.assertIn("Строка 4002, столбец kind:", err.getvalue())
        self.assertNotIn("Import finished", out.getvalue())
        self.assertFalse(Organisation.objects.exists())

    def test_command_imports_and_dry_runs(self):
        path = write_temporary_file(self, csv_bytes([row("7701")]), ".csv")
        out = StringIO()
        call_command("import_orgs", path, "--dry-run", stdout=out)
        self.assertIn("Будет создано 1", out.getvalue())
        self.assertFalse(Organisation.objects.exists())
        out = StringIO()
        call_command("import_orgs", path, stdout=out)
        self.assertIn("Импорт выполнен: создано 1", out.getvalue())
        self.assertTrue(Organisation.objects.filter(code="7701").exists())
        with self.assertRaisesMessage(CommandError, "Файл не найден"):
            call_command("import_orgs", path + ".missing")

    def test_a_run_killed_halfway_leaves_nothing_and_a_rerun_completes(self):
        data = csv_bytes([row(f"77{n:04d}", municipality=f"Округ {n % 3}") for n in range(12)])
        real_save = OrganisationResource.do_instance_save
        calls = []

        def killed_at_seventh(resource, instance, is_create):
            calls.append(instance.code)
            if len(calls) == 7:
                raise KeyboardInterrupt  # what a kill looks like from inside the process
            return real_save(resource, instance, is_create)

        with (
            mock.patch.object(OrganisationResource, "do_instance_save", killed_at_seventh),
            self.assertRaises(KeyboardInterrupt),
        ):
            import_registry(data, "r.csv")
        self.assertEqual(len(calls), 7)
        self.assertFalse(Organisation.objects.exists())
        self.assertFalse(Municipality.objects.exists())
        self.assertFalse(SchoolPage.objects.exists())

        report = import_registry(data, "r.csv")
        self.assertEqual(report.created, 12)
        once = registry_state()
        self.assertEqual(len(once), 12)
        self.assertEqual(Municipality.objects.count(), 3)
        self.assertEqual(SchoolPage.objects.count(), 12)
        self.assertEqual(import_registry(data, "r.csv").unchanged, 12)
        self.assertEqual(registry_state(), once)

    def test_a_failure_only_the_write_reveals_rolls_everything_back(self):
        data = csv_bytes([row("7701"), row("7702"), row("7703")])
        real_save = OrganisationResource.do_instance_save

        def failing_on_last(resource, instance, is_create):
            if instance.code == "7703":
                raise RuntimeError("диск переполнен")
            return real_save(resource, instance, is_create)

        with mock.patch.object(OrganisationResource, "do_instance_save", failing_on_last):
            report = import_registry(data, "r.csv")
        self.assertEqual(report.error_lines(), ["Строка 4: не удалось записать: диск переполнен"])
        self.assertFalse(Organisation.objects.exists())


class ValidationTests(TestCase):
    def errors(self, data, name="r.csv"):
        report = import_registry(data, name)
        self.assertFalse(Organisation.objects.exists())
        return report.error_lines()

    def test_unknown_and_missing_columns(self):
        unknown = csv_bytes([[*row("7701"), "5"]], header=[*COLUMNS, "rating"])
        self.assertEqual(len(self.errors(unknown)), 1)
        self.assertIn("Строка 1, столбец rating: неизвестные столбцы", self.errors(unknown)[0])
        missing = csv_bytes([["7701", "Школа"]], header=["code", "name"])
        self.assertEqual(
            self.errors(missing),
            ["Строка 1, столбец kind, municipality: нет обязательных столбцов: kind, municipality"],
        )

    def test_duplicate_codes_name_both_rows(self):
        data = csv_bytes([row("7701"), row("7702"), row("7701 ", name="Другая")])
        self.assertEqual(
            self.errors(data),
            ["Строка 4, столбец code: код «7701» повторяется: он уже есть в строке 2"],
        )

    def test_cell_rules(self):
        data = csv_bytes(
            [
                row("77 01"),
                row("7" * 21),
                row("", name="", municipality=""),
                row("7704", kind=""),
                row("7705", contingent_parents="12,5", contingent_students="много"),
                row("7706", website="javascript:alert(1)"),
                row("7707", name="Ш" * 501),
            ]
        )
        self.assertEqual(
            self.errors(data),
            [
                "Строка 2, столбец code: код может содержать только цифры, буквы и дефис",
                "Строка 3, столбец code: длиннее 20 знаков (сейчас 21)",
                "Строка 4, столбец code: не заполнено",
                "Строка 4, столбец name: не заполнено",
                "Строка 4, столбец municipality: не заполнено",
                "Строка 5, столбец kind: не заполнено",
                "Строка 6, столбец contingent_parents: должно быть целым числом, а не «12,5»",
                "Строка 6, столбец contingent_students: должно быть целым числом, а не «много»",
                "Строка 7, столбец website: нужен адрес сайта вида https://school.example.ru",
                "Строка 8, столбец name: длиннее 500 знаков (сейчас 501)",
            ],
        )

    def test_formula_without_saved_value_is_a_row_error_not_a_blank(self):
        data = xlsx_bytes([row("7701", name='=CONCAT("Школа", 1)'), row("7702")])
        self.assertEqual(
            self.errors(data, "r.xlsx"),
            [
                "Строка 2, столбец name: формула без сохранённого значения: откройте файл в Excel, "
                "пересчитайте и сохраните его"
            ],
        )

    def test_data_not_on_the_first_sheet(self):
        workbook = Workbook()
        workbook.create_sheet("Реестр").append(COLUMNS)
        buffer = io.BytesIO()
        workbook.save(buffer)
        [line] = self.errors(buffer.getvalue(), "r.xlsx")
        self.assertIn("На первом листе нет данных", line)

    def test_junk_files_are_refused_as_a_whole(self):
        cases = {
            "random.xlsx": (os.urandom(4096), "Файл повреждён или это не XLSX."),
            "wide.csv": (
                (",".join(f"c{n}" for n in range(100_000)) + "\n").encode(),
                "В файле больше 100 столбцов.",
            ),
            "binary.csv": (os.urandom(2048), "Не удалось определить кодировку"),
            "empty.csv": (b"", "Файл пустой."),
            "header-only.csv": (csv_bytes([]), "В файле нет строк с данными"),
        }
        for name, (data, message) in cases.items():
            with self.subTest(name):
                report = import_registry(data, name)
                self.assertEqual(len(report.errors), 1)
                self.assertEqual(report.errors[0].row, 0)
                self.assertIn(message, report.error_lines()[0])


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality = MunicipalityFactory(name="=Округ")
        OrganisationFactory(
            code="7701",
            name='=HYPERLINK("http://evil.example","Школа")',
            short_name="+7 900",
            address="@SUM(A1)",
            municipality=municipality,
            kind="college",
            contingent_parents=1200,
        )
        OrganisationFactory(code="7702", name="МБОУ «Школа № 2»", short_name="-минус", website="")

    def test_csv_has_bom_header_first_and_escaped_formulas(self):
        data = export_registry(Organisation.objects.order_by("code"), "csv")
        self.assertTrue(data.startswith(b"\xef\xbb\xbf" + b",".join(c.encode() for c in COLUMNS)))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual(rows[0], COLUMNS)
        self.assertEqual(
            rows[1],
            [
                "7701",
                '\'=HYPERLINK("http://evil.example","Школа")',
                "'+7 900",
                "college",
                "'=Округ",
                "'@SUM(A1)",
                OrganisationFactory._meta.model.objects.get(code="7701").website,
                "1200",
                "120",
                "municipal",
                # inn, kpp, ogrn, busgov_url: none given
                "",
                "",
                "",
                "",
            ],
        )
        self.assertEqual(rows[2][2], "'-минус")

    def test_founder_column_reads_codes_and_russian_words_and_defaults_to_municipal(self):
        rows = [
            row("8801", founder="regional"),
            row("8802", founder="Региональная"),
            row("8803", founder=""),
        ]
        report = import_registry(csv_bytes(rows), "registry.csv", dry_run=False)
        self.assertTrue(report.ok, report.error_lines())
        founders = dict(
            Organisation.objects.filter(code__startswith="880").values_list("code", "founder")
        )
        self.assertEqual(founders, {"8801": "regional", "8802": "regional", "8803": "municipal"})
        report = import_registry(
            csv_bytes([row("8804", founder="федеральная")]), "registry.csv", dry_run=False
        )
        self.assertIn("столбец founder", " ".join(report.error_lines()))
        self.assertFalse(Organisation.objects.filter(code="8804").exists())

    def test_control_characters_at_the_start_are_escaped(self):
        # Admin forms strip such text; an export must be safe whatever reached the database.
        Organisation.objects.filter(code="7702").update(address="\tтаб", short_name="\rcr")
        data = export_registry(Organisation.objects.filter(code="7702"), "csv")
        [exported] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
        self.assertEqual((exported["address"], exported["short_name"]), ("'\tтаб", "'\rcr"))

    def test_xlsx_cells_are_text_never_formulas(self):
        data = export_registry(Organisation.objects.order_by("code"), "xlsx")
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        self.assertEqual([cell.value for cell in sheet[1]], COLUMNS)
        name = sheet["B2"]
        self.assertNotEqual(name.data_type, "f")
        self.assertEqual(name.value, '\'=HYPERLINK("http://evil.example","Школа")')
        for row_cells in sheet.iter_rows(min_row=2):
            for cell in row_cells:
                self.assertNotEqual(cell.data_type, "f", cell.coordinate)
        self.assertEqual(sheet["H2"].value, 1200)  # numbers stay numbers

    def test_exported_files_import_back_as_a_no_op(self):
        state = registry_state()
        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt), CountSaves() as saves:
                data = export_registry(Organisation.objects.all(), fmt)
                report = import_registry(data, f"export.{fmt}")
                self.assertTrue(report.ok, report.error_lines())
                self.assertEqual((report.created, report.updated, report.unchanged), (0, 0, 2))
                self.assertEqual(saves.count, 0)
        self.assertEqual(registry_state(), state)

    def test_unknown_format(self):
        with self.assertRaises(ValueError):
            export_registry(Organisation.objects.all(), "pdf")


class LockTests(TestCase):
    def test_the_write_takes_the_registry_lock_inside_its_transaction(self):
        depth_at_start = len(connection.atomic_blocks)
        depths = []

        def recording_lock(*args, **kwargs):
            depths.append(len(connection.atomic_blocks))
            return lock_registry(*args, **kwargs)

        with mock.patch.object(registry_import, "lock_registry", recording_lock):
            import_registry(csv_bytes([row("7701")]), "r.csv")
            import_registry(csv_bytes([row("7702")]), "r.csv", dry_run=True)
        self.assertEqual(len(depths), 1)  # the write only; a dry run writes nothing
        self.assertGreater(depths[0], depth_at_start)

    @unittest.skipUnless(connection.vendor == "postgresql", "advisory locks are PostgreSQL's")
    def test_a_second_import_waits_for_the_first(self):
        lock_registry()  # inside this test's transaction, as inside an import's
        other = connection.get_new_connection(connection.get_connection_params())
        try:
            other.autocommit = True
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [REGISTRY_LOCK_KEY])
                self.assertFalse(cursor.fetchone()[0])
        finally:
            other.close()


def write_temporary_file(test, data, suffix):
    handle, path = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    test.addCleanup(os.unlink, path)
    return path
