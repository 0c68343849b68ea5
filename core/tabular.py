"""Reading uploaded tabular files (CSV or XLSX) into rows, and making exported cells safe.

Registry files come from operators' spreadsheets and e-mail attachments: CSV in UTF-8 with or
without BOM, cp1251 from old Excel, comma- or semicolon-separated, or XLSX. This module turns
such a file into a header and text rows numbered as the user sees them in the spreadsheet (the
header is row 1). It knows nothing about what the columns mean; the importers check values.

Anything that cannot be read with certainty is refused with a Russian message, and a cell
that cannot be read (a formula Excel saved without its value) is reported, never passed on
as blank. Hostile files are bounded before they are parsed: size, columns, rows and, for
XLSX, the unpacked size of the archive (openpyxl parses through defusedxml, which refuses
entity expansion such as "billion laughs").
"""

import csv
import datetime
import io
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .spreadsheets import FORMULA_TRIGGERS

__all__ = [
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "CellProblem",
    "Table",
    "TableRow",
    "TabularError",
    "read_table",
    "unescape_formula",
]

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000  # data rows, the header not counted
MAX_COLUMNS = 100
# The declared sizes of an archive's members bound what zipfile will inflate, so checking
# them refuses a zip bomb before a byte of it is unpacked. A real 50,000-row registry
# unpacks to about 30 MB.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
EXCEL_MAX_ROW = 1_048_576

CSV_EXTENSIONS = (".csv", ".txt")
XLSX_EXTENSIONS = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = b"\xef\xbb\xbf"
CSV_DELIMITERS = (",", ";", "\t")

CORRUPT_XLSX = gettext_lazy("Файл повреждён или это не XLSX.")


class TabularError(ValueError):
    """The file as a whole cannot be read; the message is for the user, in Russian."""


@dataclass(frozen=True)
class CellProblem:
    """A cell (or a whole row, when ``column`` is empty) that could not be read."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class TableRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    values: dict  # column name -> text, stripped; "" for an empty cell


@dataclass
class Table:
    columns: list  # header names, stripped and lower-cased, in file order
    rows: list = field(default_factory=list)  # TableRow, blank rows left out
    problems: list = field(default_factory=list)  # CellProblem


def unescape_formula(value):
    """Undo ``export_cell``: the apostrophe our exports put before ``=``, ``+``, ``-``…
    is dropped, so that an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def read_table(source, filename=None, *, expected_columns=()):
    """Read a CSV or XLSX file into a Table.

    ``source`` is bytes, a path or a binary file object; ``filename`` (or the path, or the
    file object's name) chooses the format, else the content does. ``expected_columns`` are
    the column names the caller knows: a CSV that is not UTF-8 is accepted as cp1251 only
    when its header then consists of them. Raises TabularError when the file cannot be read.
    """
    raw, name = _read_source(source, filename)
    if not raw.strip():
        raise TabularError(_("Файл пустой."))
    extension = Path(name or "").suffix.lower()
    if extension in XLSX_EXTENSIONS or (not extension and raw.startswith(ZIP_MAGIC)):
        records, unsaved_formulas = _read_xlsx(raw)
    elif extension in CSV_EXTENSIONS or not extension:
        records, unsaved_formulas = _read_csv(raw, expected_columns)
    elif extension == ".xls":
        raise TabularError(
            _("Старый формат XLS не поддерживается: сохраните файл как XLSX или CSV.")
        )
    else:
        raise TabularError(_("Поддерживаются только файлы CSV и XLSX."))
    return _build_table(records, unsaved_formulas)


def _read_source(source, filename):
    """The bytes of the upload and its name, refusing oversized files before reading them."""
    too_big = _("Файл больше %(megabytes)s МБ.") % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)}
    if isinstance(source, bytes | bytearray | memoryview):
        raw = bytes(source)
    elif isinstance(source, str | Path):
        path = Path(source)
        filename = filename or path.name
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TabularError(too_big)
        raw = path.read_bytes()
    else:
        filename = filename or getattr(source, "name", None)
        if hasattr(source, "seek"):
            source.seek(0)
        raw = source.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise TabularError(too_big)
    return raw, (Path(str(filename)).name if filename else None)


# CSV


def _decode_csv(raw, expected_columns):
    """Text of a CSV: UTF-8 (a BOM is dropped), else cp1251 when that gives a known header.

    cp1251 maps almost any byte to some letter, so decoding without error proves nothing;
    the header made of known column names is what shows the guess was right."""
    body = raw[len(UTF8_BOM) :] if raw.startswith(UTF8_BOM) else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    refusal = TabularError(
        _(
            "Не удалось определить кодировку файла. Сохраните его в Excel как «CSV UTF-8» "
            "или в XLSX."
        )
    )
    try:
        text = body.decode("cp1251")
    except UnicodeDecodeError as error:
        raise refusal from error
    # Any line ending ends the header, a bare CR (old Mac files) included.
    header_line = (text.splitlines() or [""])[0]
    try:
        cells = next(csv.reader([header_line], delimiter=_sniff_delimiter(header_line)), [])
    except csv.Error as error:  # e.g. a NUL byte: not a header we could have written
        raise refusal from error
    header = {cell.strip().lower() for cell in cells}
    header.discard("")
    if not header or not header <= set(expected_columns):
        raise refusal
    return text


def _sniff_delimiter(header_line):
    # csv.Sniffer guesses from quoting patterns and fails on a one-column header; counting
    # separators in the header line is what a person would do.
    return max(CSV_DELIMITERS, key=header_line.count)


def _read_csv(raw, expected_columns):
    text = _decode_csv(raw, expected_columns)
    header_line = text.split("\n", 1)[0]
    delimiter = _sniff_delimiter(header_line)
    # A cheap count before parsing: a header of 100,000 columns is refused at once.
    if header_line.count(delimiter) + 1 > MAX_COLUMNS:
        raise _too_many_columns()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, data_rows = [], 0
    try:
        for number, record in enumerate(reader, start=1):
            if len(record) > MAX_COLUMNS:
                raise _too_many_columns(number)
            cells = [cell.strip() for cell in record]
            if any(cells):
                data_rows += 1
                if data_rows > MAX_ROWS + 1:
                    raise _too_many_rows()
                records.append((number, cells))
    except csv.Error as error:
        raise TabularError(
            _("Не удалось прочитать CSV около строки %(row)s: проверьте кавычки и длину значений.")
            % {"row": reader.line_num}
        ) from error
    return records, []


# XLSX


def _read_xlsx(raw):
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise TabularError(str(CORRUPT_XLSX)) from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise TabularError(
            _(
                "Файл XLSX распаковывается в слишком большой объём "
                "(больше %(megabytes)s МБ) и не будет прочитан."
            )
            % {"megabytes": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        return _xlsx_records(raw)
    except TabularError:
        raise
    except Exception as error:
        # openpyxl reports a malformed part with whatever its parser raised (BadZipFile,
        # KeyError for a missing part, InvalidFileException, defusedxml's EntitiesForbidden,
        # ParseError, TypeError…); for the user they all mean the same thing.
        logger.info("Unreadable XLSX upload: %r", error)
        raise TabularError(str(CORRUPT_XLSX)) from error


def _xlsx_records(raw):
    """Rows of the first worksheet, and the formulas that have no saved value.

    read_only streams the sheet. The dimension a file declares is its own claim (a lying one
    would pad every row or hide cells beyond it), so rows are measured as they come. With
    data_only=True openpyxl gives None for a formula whose result Excel never saved — the same
    as an empty cell — so the file is read with formulas first, and their saved values are
    fetched in a second pass only when the sheet has any."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        if not workbook.worksheets:
            raise TabularError(_("В файле нет листов с данными."))
        sheet = workbook.worksheets[0]
        other_sheets = [other.title for other in workbook.worksheets[1:]]
        sheet.reset_dimensions()
        records, formula_cells, data_rows = [], [], 0
        for number, cells in enumerate(sheet.iter_rows(min_row=1, min_col=1), start=1):
            if number > EXCEL_MAX_ROW:
                raise _too_many_rows()
            if len(cells) > MAX_COLUMNS and any(c.value is not None for c in cells[MAX_COLUMNS:]):
                raise _too_many_columns(number)
            values, has_formula = [], False
            for index, cell in enumerate(cells[:MAX_COLUMNS]):
                if cell.data_type == "f":
                    formula_cells.append((number, index))
                    has_formula = True
                    values.append(None)
                else:
                    values.append(cell.value)
            if has_formula or any(_cell_text(value) for value in values):
                data_rows += 1
                if data_rows > MAX_ROWS + 1:
                    raise _too_many_rows()
                records.append((number, values))
    finally:
        workbook.close()
    if not records:
        message = _("На первом листе нет данных.")
        if other_sheets:
            names = ", ".join(f"«{title}»" for title in other_sheets)
            message += " " + _(
                "Импорт читает только первый лист («%(sheet)s»), а в файле есть ещё: %(names)s."
            ) % {"sheet": sheet.title, "names": names}
        raise TabularError(message)
    unsaved = _fill_saved_formula_values(raw, records, formula_cells) if formula_cells else []
    texts = [(number, [_cell_text(value) for value in values]) for number, values in records]
    return texts, unsaved


def _fill_saved_formula_values(raw, records, formula_cells):
    """Put the values Excel saved for formulas into ``records``; a formula without one is a
    problem of its cell (returned as (row, column index) pairs)."""
    from openpyxl import load_workbook

    wanted = {}
    for row, index in formula_cells:
        wanted.setdefault(row, []).append(index)
    by_number = dict(records)
    missing = []
    workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = sheet.iter_rows(min_row=1, min_col=1, max_row=max(wanted), values_only=True)
        for number, saved in enumerate(rows, start=1):
            for index in wanted.get(number, ()):
                value = saved[index] if index < len(saved) else None
                if value is None:
                    missing.append((number, index))
                else:
                    by_number[number][index] = value
    finally:
        workbook.close()
    return missing


def _cell_text(value):
    """The text of a cell as the user reads it: numbers without a spurious ".0", dates in
    ISO form, surrounding spaces (also non-breaking ones) removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _too_many_columns(row=None):
    if row:
        message = ngettext(
            "В файле больше %(count)s столбца (строка %(row)s).",
            "В файле больше %(count)s столбцов (строка %(row)s).",
            MAX_COLUMNS,
        )
    else:
        message = ngettext(
            "В файле больше %(count)s столбца.", "В файле больше %(count)s столбцов.", MAX_COLUMNS
        )
    return TabularError(message % {"count": MAX_COLUMNS, "row": row})


def _too_many_rows():
    limit = f"{MAX_ROWS:_}".replace("_", "\u00a0")
    message = ngettext(
        "В файле больше %(count)s строки с данными.",
        "В файле больше %(count)s строк с данными.",
        MAX_ROWS,
    )
    return TabularError(message % {"count": limit})


# Both formats


def _build_table(records, unsaved_formulas):
    """Header and rows from (row number, cell texts) records; ``unsaved_formulas`` are the
    (row number, column index) pairs of formulas without a saved value."""
    if not records:
        raise TabularError(_("В файле нет данных."))
    (_header_number, header_cells), data = records[0], records[1:]
    columns = [cell.strip().lstrip("\ufeff").strip().lower() for cell in header_cells]
    seen = set()
    for name in columns:
        if name and name in seen:
            raise TabularError(
                _("Столбец «%(name)s» встречается в заголовке дважды.") % {"name": name}
            )
        seen.add(name)

    table = Table(columns=[name for name in columns if name])
    for number, cells in data:
        values = dict.fromkeys(table.columns, "")
        for index, text in enumerate(cells):
            text = unescape_formula(text)
            if index >= len(columns):
                if text:
                    table.problems.append(
                        CellProblem(
                            number,
                            "",
                            _(
                                "в строке больше значений, чем столбцов в заголовке "
                                "(возможно, разделитель внутри значения без кавычек)"
                            ),
                        )
                    )
                    break
            elif columns[index]:
                values[columns[index]] = text
            elif text:
                raise TabularError(
                    _("У столбца %(column)s нет заголовка, а в строке %(row)s в нём есть значение.")
                    % {"column": index + 1, "row": number}
                )
        table.rows.append(TableRow(number, values))

    for number, index in unsaved_formulas:
        column = columns[index] if index < len(columns) and columns[index] else str(index + 1)
        table.problems.append(
            CellProblem(
                number,
                column,
                _(
                    "формула без сохранённого значения: откройте файл в Excel, пересчитайте "
                    "и сохраните его"
                ),
            )
        )
    return table
