"""Import of aggregated assessment inputs (operator mode, methodology §5), all or nothing.

The file has one row per organisation: ``code`` and every count. A row is refused when its
code is unknown or repeated, a count is not a whole non-negative number, or the counts
contradict each other (the engine's policy 6: satisfied above used, items above the norm, a
norm of 0 …). One refused row means nothing is written, and the report names every bad row
and column, so the operator fixes the file once.
"""

import logging
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.locks import lock_year
from core.tabular import TabularError, read_table
from registry.models import Organisation

from . import engine
from .models import AssessmentInput, InputChange

logger = logging.getLogger(__name__)

COLUMNS = ("code", *engine.INPUT_FIELDS)
# "12", "12.0", "12,0" and "1 200" are whole numbers as spreadsheets write them.
WHOLE_NUMBER = re.compile(r"^-?\d+(?:[.,]0+)?$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self):
        where = _("строка %(row)s") % {"row": self.row} if self.row else _("файл")
        if self.column:
            where += _(", столбец «%(column)s»") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class InputsImportReport:
    year: int
    dry_run: bool = False
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def ok(self):
        return not self.errors

    @property
    def rows(self):
        return self.created + self.updated + self.unchanged


def problem_message(problem, inputs):
    """The engine's reason in the operator's words."""
    if problem.code == "missing":
        return _("пустая ячейка: нужно число")
    if problem.code in ("not_integer", "negative"):
        return _("нужно целое неотрицательное число")
    if problem.code == "zero_norm":
        return _("норма не может быть равна 0")
    if problem.code == "above_list":
        return _("больше %(limit)s — столько пунктов в перечне методики") % {"limit": problem.limit}
    if problem.code == "above_bound":
        return _("%(value)s больше, чем «%(bound)s» (%(limit)s)") % {
            "value": inputs.get(problem.field),
            "bound": problem.limit,
            "limit": inputs.get(problem.limit),
        }
    return problem.code


def parse_count(text):
    compact = text.replace("\u00a0", "").replace(" ", "")
    if not WHOLE_NUMBER.match(compact):
        return None
    return int(re.split(r"[.,]", compact)[0])


def read_inputs(source, filename=None):
    """(rows, errors): ``rows`` maps organisation pk to its inputs when every row is good."""
    try:
        table = read_table(source, filename, expected_columns=COLUMNS)
    except TabularError as error:
        return {}, [RowError(0, "", str(error))]
    missing = [name for name in COLUMNS if name not in table.columns]
    if missing:
        return {}, [
            RowError(1, "", _("нет столбцов: %(columns)s") % {"columns": ", ".join(missing)})
        ]
    if not table.rows:
        return {}, [RowError(0, "", _("В файле нет строк с данными, только заголовок."))]
    errors = [RowError(p.row, p.column, p.message) for p in table.problems]
    codes = {row.values["code"].strip() for row in table.rows}
    organisations = dict(Organisation.objects.filter(code__in=codes).values_list("code", "pk"))
    rows, seen = {}, {}
    for row in table.rows:
        code = row.values["code"].strip()
        if not code:
            errors.append(RowError(row.number, "code", _("не указан код организации")))
            continue
        if code in seen:
            errors.append(
                RowError(
                    row.number,
                    "code",
                    _("код %(code)s уже был в строке %(row)s") % {"code": code, "row": seen[code]},
                )
            )
            continue
        seen[code] = row.number
        if code not in organisations:
            errors.append(
                RowError(
                    row.number,
                    "code",
                    _("организации с кодом %(code)s нет в реестре") % {"code": code},
                )
            )
        inputs, bad_cells = {}, False
        for name in engine.INPUT_FIELDS:
            value = parse_count(row.values[name])
            if value is None or value < 0:
                errors.append(RowError(row.number, name, _("нужно целое неотрицательное число")))
                bad_cells = True
            inputs[name] = value
        if bad_cells:
            continue
        errors += [
            RowError(row.number, problem.field, problem_message(problem, inputs))
            for problem in engine.validate(inputs)
        ]
        if code in organisations:
            rows[organisations[code]] = inputs
    errors.sort(
        key=lambda error: (
            error.row,
            COLUMNS.index(error.column) if error.column in COLUMNS else -1,
        )
    )
    return ({} if errors else rows), errors


def import_inputs(source, year, filename=None, *, dry_run=False, user=None):
    """Check an inputs file for ``year`` and, unless ``dry_run``, apply it all or nothing.

    Re-importing the same file changes nothing; a changed file updates by code and each
    changed organisation gets an audit entry.
    """
    report = InputsImportReport(year=year, dry_run=dry_run)
    rows, report.errors = read_inputs(source, filename)
    if report.errors:
        return report
    with transaction.atomic():
        # Taken before reading the current values, so two imports of one year run one after
        # the other and the final data equals one of the files (security.md case 26).
        lock_year(year)
        existing = {
            row.organisation_id: row
            for row in AssessmentInput.objects.filter(year=year, organisation_id__in=rows)
        }
        to_create, to_update, changes = [], [], []
        for organisation_id, inputs in rows.items():
            row = existing.get(organisation_id)
            if row is None:
                to_create.append(
                    AssessmentInput(
                        organisation_id=organisation_id,
                        year=year,
                        checklist_source=AssessmentInput.Source.IMPORT,
                        survey_source=AssessmentInput.Source.IMPORT,
                        **inputs,
                    )
                )
                changes.append((organisation_id, {k: [None, v] for k, v in inputs.items()}))
                report.created += 1
                continue
            diff = {k: [getattr(row, k), v] for k, v in inputs.items() if getattr(row, k) != v}
            sources_differ = (row.checklist_source, row.survey_source) != (
                AssessmentInput.Source.IMPORT,
                AssessmentInput.Source.IMPORT,
            )
            if not diff and not sources_differ:
                report.unchanged += 1
                continue
            for name, value in inputs.items():
                setattr(row, name, value)
            row.checklist_source = row.survey_source = AssessmentInput.Source.IMPORT
            row.updated_at = timezone.now()  # bulk_update does not apply auto_now
            to_update.append(row)
            changes.append((organisation_id, diff))
            report.updated += 1
        if dry_run:
            transaction.set_rollback(True)
            return report
        AssessmentInput.objects.bulk_create(to_create, batch_size=1000)
        AssessmentInput.objects.bulk_update(
            to_update,
            [*engine.INPUT_FIELDS, "checklist_source", "survey_source", "updated_at"],
            batch_size=1000,
        )
        note = _("Импорт файла %(name)s") % {"name": filename or getattr(source, "name", "")}
        InputChange.objects.bulk_create(
            [
                InputChange(
                    year=year,
                    organisation_id=organisation_id,
                    source=AssessmentInput.Source.IMPORT,
                    user=user,
                    changes=diff,
                    note=note[:300],
                )
                for organisation_id, diff in changes
            ],
            batch_size=1000,
        )
    logger.info(
        "Inputs %s imported by %s: %d created, %d updated, %d unchanged",
        year,
        user or "command line",
        report.created,
        report.updated,
        report.unchanged,
    )
    return report
