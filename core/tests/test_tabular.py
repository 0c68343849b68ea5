"""Reading uploaded CSV and XLSX files (security.md cases 27–28) and formula escaping."""

import io
import os
import re
import time
import zipfile

from django.test import SimpleTestCase
from openpyxl import Workbook

from core.spreadsheets import export_cell
from core.tabular import (
    MAX_COLUMNS,
    TabularError,
    read_table,
    unescape_formula,
)

EXPECTED = ["code", "name", "contingent_parents"]


def csv_bytes(text, encoding="utf-8", bom=False):
    data = text.encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def xlsx_bytes(rows, *, empty_first_sheet=False):
    workbook = Workbook()
    sheet = workbook.active
    if empty_first_sheet:
        sheet.title = "Пусто"
        sheet = workbook.create_sheet("Данные")
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class CsvTests(SimpleTestCase):
    def test_utf8_with_bom_and_semicolons_spaces_stripped(self):
        data = csv_bytes(" Code ; NAME ;contingent_parents\n 7701 ; Школа № 1 ;1 200\n", bom=True)
        table = read_table(data, "r.csv", expected_columns=EXPECTED)
        self.assertEqual(table.columns, ["code", "name", "contingent_parents"])
        self.assertEqual(table.rows[0].number, 2)
        self.assertEqual(
            table.rows[0].values,
            {"code": "7701", "name": "Школа № 1", "contingent_parents": "1 200"},
        )

    def test_comma_delimiter_quotes_and_blank_rows_keep_spreadsheet_numbers(self):
        data = csv_bytes('code,name\n7701,"Школа ""Радуга"", филиал"\n,\n7702,Сад\n')
        table = read_table(data, "r.csv", expected_columns=EXPECTED)
        self.assertEqual(
            [(r.number, r.values["name"]) for r in table.rows],
            [(2, 'Школа "Радуга", филиал'), (4, "Сад")],
        )

    def test_cp1251_is_accepted_when_its_header_is_known(self):
        data = csv_bytes("code;name\n7701;Школа «Радуга»\n", encoding="cp1251")
        table = read_table(data, "r.csv", expected_columns=EXPECTED)
        self.assertEqual(table.rows[0].values["name"], "Школа «Радуга»")

    def test_undecodable_file_is_refused_in_russian(self):
        data = csv_bytes("код;название\n7701;Школа\n", encoding="cp1251")
        with self.assertRaisesRegex(TabularError, "кодировку"):
            read_table(data, "r.csv", expected_columns=EXPECTED)

    def test_value_beyond_the_header_is_a_row_problem(self):
        table = read_table(
            csv_bytes("code,name\n7701,Школа № 1, филиал\n"), "r.csv", expected_columns=EXPECTED
        )
        self.assertEqual(table.problems[0].row, 2)
        self.assertIn("больше значений", table.problems[0].message)

    def test_100k_column_header_is_refused_quickly(self):
        data = (",".join(f"c{n}" for n in range(100_000)) + "\n1,2\n").encode()
        started = time.perf_counter()
        with self.assertRaisesRegex(TabularError, f"больше {MAX_COLUMNS} столбцов"):
            read_table(data, "wide.csv", expected_columns=EXPECTED)
        self.assertLess(time.perf_counter() - started, 1)

    def test_empty_and_oversized_files(self):
        with self.assertRaisesRegex(TabularError, "пустой"):
            read_table(b"  \n", "r.csv", expected_columns=EXPECTED)
        with self.assertRaisesRegex(TabularError, "больше 20 МБ"):
            read_table(b"x" * (20 * 1024 * 1024 + 1), "r.csv", expected_columns=EXPECTED)

    def test_duplicate_header_and_data_without_header(self):
        with self.assertRaisesRegex(TabularError, "дважды"):
            read_table(b"code,Code\n1,2\n", "r.csv", expected_columns=EXPECTED)
        with self.assertRaisesRegex(TabularError, "нет заголовка"):
            read_table(b"code,,name\n1,x,2\n", "r.csv", expected_columns=EXPECTED)

    def test_other_formats_are_refused(self):
        with self.assertRaisesRegex(TabularError, "XLS"):
            read_table(b"\xd0\xcf\x11\xe0", "old.xls", expected_columns=EXPECTED)
        with self.assertRaisesRegex(TabularError, "CSV и XLSX"):
            read_table(b"data", "r.ods", expected_columns=EXPECTED)


class XlsxTests(SimpleTestCase):
    def test_numbers_text_and_decimal_commas(self):
        data = xlsx_bytes(
            [
                ["code", "name", "contingent_parents"],
                [7701, "  Школа  ", 1200.0],
                ["7702", "Сад", "1200,0"],
            ]
        )
        table = read_table(data, "r.xlsx", expected_columns=EXPECTED)
        self.assertEqual(
            [r.values for r in table.rows],
            [
                {"code": "7701", "name": "Школа", "contingent_parents": "1200"},
                {"code": "7702", "name": "Сад", "contingent_parents": "1200,0"},
            ],
        )

    def test_format_is_recognised_from_content_without_a_name(self):
        data = xlsx_bytes([["code", "name"], ["7701", "Школа"]])
        self.assertEqual(read_table(data, expected_columns=EXPECTED).rows[0].values["code"], "7701")

    def test_formula_without_saved_value_is_a_cell_problem_never_blank(self):
        # openpyxl saves formulas without a computed value, like a file nobody opened in Excel.
        data = xlsx_bytes([["code", "name", "contingent_parents"], ["7701", "Школа", "=SUM(1,2)"]])
        table = read_table(data, "r.xlsx", expected_columns=EXPECTED)
        self.assertEqual(len(table.problems), 1)
        problem = table.problems[0]
        self.assertEqual((problem.row, problem.column), (2, "contingent_parents"))
        self.assertIn("формула без сохранённого значения", problem.message)

    def test_formula_with_saved_value_reads_the_value(self):
        data = xlsx_bytes([["code", "name", "contingent_parents"], ["7701", "Школа", "=SUM(1,2)"]])
        data = with_saved_value(data, "C2", "3")
        table = read_table(data, "r.xlsx", expected_columns=EXPECTED)
        self.assertEqual(table.problems, [])
        self.assertEqual(table.rows[0].values["contingent_parents"], "3")

    def test_data_only_on_second_sheet_is_refused_with_a_hint(self):
        data = xlsx_bytes([["code", "name"], ["7701", "Школа"]], empty_first_sheet=True)
        with self.assertRaisesRegex(TabularError, "На первом листе нет данных.*«Данные»"):
            read_table(data, "r.xlsx", expected_columns=EXPECTED)

    def test_too_many_columns(self):
        data = xlsx_bytes([[f"c{n}" for n in range(MAX_COLUMNS + 1)]])
        with self.assertRaisesRegex(TabularError, "столбцов"):
            read_table(data, "r.xlsx", expected_columns=EXPECTED)

    def test_random_bytes_named_xlsx(self):
        with self.assertRaisesRegex(TabularError, "повреждён или это не XLSX"):
            read_table(os.urandom(4096), "random.xlsx", expected_columns=EXPECTED)

    def test_zip_that_is_not_a_workbook(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "не таблица")
        with self.assertRaisesRegex(TabularError, "повреждён или это не XLSX"):
            read_table(buffer.getvalue(), "r.xlsx", expected_columns=EXPECTED)

    def test_zip_bomb_is_refused_before_inflating(self):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * 150_000_000)
        started = time.perf_counter()
        with self.assertRaisesRegex(TabularError, "слишком большой объём"):
            read_table(buffer.getvalue(), "bomb.xlsx", expected_columns=EXPECTED)
        self.assertLess(time.perf_counter() - started, 1)

    def test_billion_laughs_is_refused(self):
        laughs = (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row>'
            "</sheetData></worksheet>"
        )
        data = replace_part(xlsx_bytes([["code"]]), "xl/worksheets/sheet1.xml", laughs)
        with self.assertRaisesRegex(TabularError, "повреждён или это не XLSX"):
            read_table(data, "r.xlsx", expected_columns=EXPECTED)


class FormulaEscapingTests(SimpleTestCase):
    def test_every_trigger_is_escaped_and_unescaped(self):
        for text in ["=1+1", "+7 900", "-5", "@SUM(A1)", "\tx", "\rx"]:
            with self.subTest(text=text):
                self.assertEqual(export_cell(text), "'" + text)
                self.assertEqual(unescape_formula(export_cell(text)), text)

    def test_every_control_character_is_dropped_and_the_cell_still_writes_to_xlsx(self):
        # Security.md case 38: tab, line feed and carriage return are kept, the rest dropped.
        from openpyxl import Workbook

        controls = [chr(code) for code in [*range(32), 127] if chr(code) not in "\t\n\r"]
        workbook = Workbook()
        for control in controls:
            with self.subTest(code=ord(control)):
                self.assertEqual(export_cell(f"Школа{control} № 1"), "Школа № 1")
                self.assertEqual(export_cell(f"{control}=1+1"), "'=1+1")
                workbook.active.append([export_cell(f"a{control}b")])
        workbook.save(io.BytesIO())

    def test_related_objects_are_written_as_escaped_text(self):
        class Organisation:
            def __str__(self):
                return "+SUM(1,1)"

        self.assertEqual(export_cell(Organisation()), "'+SUM(1,1)")

    def test_harmless_values_pass_through(self):
        for value in ["Школа № 1", "'quoted", 5, -5, None, ""]:
            with self.subTest(value=value):
                self.assertEqual(export_cell(value), value)
                self.assertEqual(unescape_formula(value), value)


def replace_part(data, name, text):
    """The workbook ``data`` with its part ``name`` replaced by ``text``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = text.encode() if item.filename == name else source.read(item.filename)
            target.writestr(item.filename, content)
    return buffer.getvalue()


def with_saved_value(data, coordinate, value):
    """Add the value Excel would have saved for the formula in ``coordinate``."""
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    start = sheet.index(f'<c r="{coordinate}"')
    end = sheet.index("</c>", start)
    # openpyxl writes the empty value as <v /> with the standard library's XML writer and as
    # <v></v> with lxml's; Excel's saved value replaces either.
    cell = re.sub(r"<v\s*/>|<v></v>", "", sheet[start:end]) + f"<v>{value}</v>"
    sheet = sheet[:start] + cell + sheet[end:]
    return replace_part(data, "xl/worksheets/sheet1.xml", sheet)


class Cp1251HeaderTests(SimpleTestCase):
    """A cp1251 file whose header line the csv module cannot read is refused with the
    encoding message, never with a traceback (found by random bytes in a registry test)."""

    def test_a_header_ending_with_a_bare_carriage_return_is_read(self):
        raw = "code;name\rX1;Школа № 1\r".encode("cp1251")
        table = read_table(raw, "old-mac.csv", expected_columns=("code", "name"))
        self.assertEqual(table.columns, ["code", "name"])

    def test_a_header_with_a_nul_byte_is_refused_cleanly(self):
        raw = "code;na\x00me\nX1;Школа\n".encode("cp1251") + bytes([0xFF])
        with self.assertRaises(TabularError):
            read_table(raw, "junk.csv", expected_columns=("code", "name"))
