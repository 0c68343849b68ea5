"""Import and export of the organisations registry (methodology §5; security.md cases 24–28).

``import_registry`` is the one operation behind ``manage.py import_orgs`` and the admin
import screen. It is all or nothing: every row is checked first, and one bad cell anywhere
means nothing is written; the report then names every bad row and column, numbered as in the
spreadsheet (the header is row 1). A good file is written in one transaction that also holds
a registry lock, upserting by ``code``: re-importing a file changes nothing, a changed file
reports what it created and updated, municipalities are created on first mention, and a run
killed halfway leaves nothing behind. Organisations are saved one by one through
``Organisation.save()``, so each new one gets its page, staff group and collection. Files of
the older format (``pupils_1_8``, ``pupils_9_11``) import as they are: the columns are read
as their new names, and errors name them as the file does.

``export_registry`` writes the same columns back out as CSV or XLSX, formula-safe.
"""

import logging
from dataclasses import dataclass, field

import tablib
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from import_export.results import RowResult

from core.locks import REGISTRY_LOCK_KEY, lock_registry
from core.tabular import CellProblem, TabularError, read_table

from .resources import COLUMN_ALIASES, COLUMNS, REQUIRED_COLUMNS, OrganisationResource
from .signals import registering_in_bulk

__all__ = [
    "COLUMNS",
    "EXPORT_FORMATS",
    "REGISTRY_LOCK_KEY",
    "ImportReport",
    "RowAction",
    "RowError",
    "export_registry",
    "import_registry",
    "lock_registry",
]

logger = logging.getLogger(__name__)

EXPORT_FORMATS = ("csv", "xlsx")

ACTIONS = {
    RowResult.IMPORT_TYPE_NEW: "created",
    RowResult.IMPORT_TYPE_UPDATE: "updated",
    RowResult.IMPORT_TYPE_SKIP: "unchanged",
}


@dataclass(frozen=True)
class RowError:
    """What is wrong, where: ``row`` 0 is the file as a whole, an empty ``column`` the whole
    row."""

    row: int
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return self.message
        if not self.column:
            return _("Строка %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("Строка %(row)s, столбец %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class RowAction:
    """What the import does (or, in a dry run, would do) with one row."""

    row: int
    code: str
    name: str
    action: str  # created | updated | unchanged


@dataclass
class ImportReport:
    """What an import did or, in a dry run, would do; with ``errors`` nothing was written."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)  # RowError, in file order
    actions: list = field(default_factory=list)  # RowAction, one per data row
    municipalities_created: list = field(default_factory=list)  # names
    dry_run: bool = False

    @property
    def ok(self):
        return not self.errors

    def error_lines(self):
        return [str(error) for error in self.errors]

    def summary(self):
        if self.errors:
            count = len(self.errors)
            rows = len({error.row for error in self.errors if error.row > 1})
            # The Russian catalogue gives each plural its forms: 1 ошибка, 2 ошибки, 5 ошибок.
            errors = ngettext("%(count)s ошибка", "%(count)s ошибок", count) % {"count": count}
            if not rows:
                return _("Импорт не выполнен, ничего не записано: %(errors)s.") % {"errors": errors}
            where = ngettext("в %(count)s строке", "в %(count)s строках", rows) % {"count": rows}
            return _("Импорт не выполнен, ничего не записано: %(errors)s %(where)s.") % {
                "errors": errors,
                "where": where,
            }
        counts = _("создано %(created)s, обновлено %(updated)s, без изменений %(unchanged)s") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.municipalities_created:
            counts += ", " + _("новых муниципалитетов %(count)s") % {
                "count": len(self.municipalities_created)
            }
        if self.dry_run:
            return _("Проверка пройдена, ничего не записано. Будет %(counts)s.") % {
                "counts": counts
            }
        return _("Импорт выполнен: %(counts)s.") % {"counts": counts}


def import_registry(file_or_path, filename=None, *, dry_run=False, user=None):
    """Check a registry file and, unless ``dry_run``, apply it all or nothing.

    ``file_or_path`` is a path, bytes or a binary file (an upload); ``filename`` tells the
    format when bytes come without one. ``user`` is who asked, for the log. Returns an
    ImportReport; nothing is written unless ``report.ok`` and not ``dry_run``.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        table = read_table(file_or_path, filename, expected_columns=[*COLUMNS, *COLUMN_ALIASES])
    except TabularError as error:
        report.errors.append(RowError(0, "", str(error)))
        return report

    report.errors = header_errors(table.columns)
    if report.errors:
        return report  # with the wrong columns no row can be read as meant
    file_names = read_aliases_as_columns(table)
    report = _import_table(table, report, dry_run, user)
    report.errors = [
        RowError(error.row, file_names.get(error.column, error.column), error.message)
        for error in report.errors
    ]
    return report


def read_aliases_as_columns(table):
    """Rename the older columns of ``table`` (``pupils_1_8``…) to the current ones, in place;
    returns {current name: name in the file} for the renamed, so errors can name what the
    user sees."""
    file_names = {}
    for index, name in enumerate(table.columns):
        current = COLUMN_ALIASES.get(name)
        if current is not None:
            table.columns[index] = current
            file_names[current] = name
    for row in table.rows:
        for current, old in file_names.items():
            row.values[current] = row.values.pop(old)
    table.problems = [
        CellProblem(
            problem.row, COLUMN_ALIASES.get(problem.column, problem.column), problem.message
        )
        for problem in table.problems
    ]
    return file_names


def _import_table(table, report, dry_run, user):
    """The import of a table whose header is known good, with the current column names."""
    if not table.rows:
        report.errors.append(RowError(0, "", _("В файле нет строк с данными, только заголовок.")))
        return report
    problems = [RowError(p.row, p.column, p.message) for p in table.problems]
    problems += duplicate_code_errors(table)
    dataset, row_numbers = to_dataset(table)

    # Every row is checked before any is written; the check writes nothing (see
    # OrganisationResource.save_instance), so a bad file costs no provisioning.
    resource = OrganisationResource()
    result = resource.import_data(
        dataset, dry_run=True, use_transactions=True, rollback_on_validation_errors=True
    )
    report.errors = merge_errors(problems, result_errors(result, row_numbers))
    if report.errors or dry_run:
        if report.ok:
            fill_report(report, resource, result, table, row_numbers)
        return report

    with transaction.atomic():
        lock_registry()
        resource = OrganisationResource()
        with registering_in_bulk():
            result = resource.import_data(
                dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
            )
        report.errors = result_errors(result, row_numbers)
        if report.errors:
            # Something only the write revealed (a constraint, a failing post-save step).
            transaction.set_rollback(True)
            return report
        fill_report(report, resource, result, table, row_numbers)
    logger.info(
        "Registry import by %s: %d created, %d updated, %d unchanged, %d municipalities created",
        user or "command line",
        report.created,
        report.updated,
        report.unchanged,
        len(report.municipalities_created),
    )
    return report


def export_registry(queryset, fmt):
    """The organisations of ``queryset`` in the exchange format, as the bytes of a file.

    CSV is UTF-8 with a BOM (so that Excel shows Cyrillic), comma-separated, header first.
    Text that a spreadsheet would run as a formula is escaped (OrganisationResource)."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; expected one of {EXPORT_FORMATS}")
    dataset = OrganisationResource().export(
        queryset.select_related("municipality"),
        # Numbers stay numbers in XLSX; CSV is text anyway.
        force_native_type=fmt == "xlsx",
    )
    dataset.title = "Организации"
    if fmt == "csv":
        return ("\ufeff" + dataset.export("csv")).encode("utf-8")
    return dataset.export("xlsx")


def header_errors(columns):
    errors = []
    unknown = [name for name in columns if name not in COLUMNS and name not in COLUMN_ALIASES]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    for old, current in COLUMN_ALIASES.items():
        if old in columns and current in columns:
            errors.append(
                RowError(
                    1,
                    f"{old}, {current}",
                    _(
                        "столбцы %(old)s и %(current)s означают одно и то же: оставьте один "
                        "(%(current)s — новое название)"
                    )
                    % {"old": old, "current": current},
                )
            )
    if unknown:
        errors.append(
            RowError(
                1,
                ", ".join(unknown),
                _("неизвестные столбцы; допустимы: %(columns)s") % {"columns": ", ".join(COLUMNS)},
            )
        )
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                _("нет обязательных столбцов: %(columns)s") % {"columns": ", ".join(missing)},
            )
        )
    return errors


def duplicate_code_errors(table):
    """A code may appear once per file: twice would be two different rows for one school."""
    errors, first_row = [], {}
    for row in table.rows:
        code = row.values.get("code", "").strip()
        if not code:
            continue
        # Case is folded here because page addresses are built from the lower-cased code.
        key = code.casefold()
        if key in first_row:
            errors.append(
                RowError(
                    row.number,
                    "code",
                    _("код «%(code)s» повторяется: он уже есть в строке %(row)s")
                    % {"code": code, "row": first_row[key]},
                )
            )
        else:
            first_row[key] = row.number
    return errors


def to_dataset(table):
    """The table as a tablib Dataset, and the spreadsheet row number of each dataset row."""
    dataset = tablib.Dataset(headers=table.columns)
    for row in table.rows:
        dataset.append([row.values[name] for name in table.columns])
    return dataset, [row.number for row in table.rows]


def result_errors(result, row_numbers):
    """The errors django-import-export collected, in the spreadsheet's row numbers."""
    errors = [
        RowError(0, "", _("ошибка импорта: %(error)s") % {"error": error.error})
        for error in result.base_errors
    ]
    for invalid in result.invalid_rows:
        number = row_numbers[invalid.number - 1]
        for column, messages in invalid.error_dict.items():
            column = "" if column == NON_FIELD_ERRORS else column
            errors.extend(RowError(number, column, message) for message in messages)
    for failed in result.error_rows:
        number = row_numbers[failed.number - 1]
        errors.extend(
            RowError(number, "", _("не удалось записать: %(error)s") % {"error": error.error})
            for error in failed.errors
        )
    return errors


def merge_errors(*groups):
    """All errors in file order, one per cell: a cell that could not be read (a formula
    without value) is not reported again as, say, empty."""
    seen, merged = set(), []
    for error in (error for group in groups for error in group):
        key = (error.row, error.column)
        if error.row and error.column and key in seen:
            continue
        seen.add(key)
        merged.append(error)
    order = {name: index for index, name in enumerate(COLUMNS)}
    return sorted(merged, key=lambda e: (e.row, order.get(e.column, len(order))))


def fill_report(report, resource, result, table, row_numbers):
    values = {row.number: row.values for row in table.rows}
    for number, row_result in zip(row_numbers, result.rows, strict=True):
        action = ACTIONS[row_result.import_type]
        setattr(report, action, getattr(report, action) + 1)
        report.actions.append(
            RowAction(number, values[number]["code"], values[number]["name"], action)
        )
    report.municipalities_created = resource.created_municipalities
