"""Open data: a published year's ratings as CSV, XLSX or JSON (methodology §5 columns).

Numbers are written with a dot and 2 decimals (strings in JSON, so that 86.10 stays 86.10);
an empty cell means "no data". Text cells are escaped so no spreadsheet runs them as
formulas (security.md case 8). Only results of published revisions ever reach these
functions: callers pass a public queryset.

After the columns of methodology §5, in their order, comes ``low_sample``: a result rated
although below the minimum number of respondents (policy «оценивать с пометкой»); ``true`` or
``false`` in CSV, a boolean in XLSX and JSON. The
policies the revision was computed with go into the JSON document's header and onto the
XLSX file's second sheet, «Методика»; a CSV file stays one table.
"""

import csv
import io
import json

from django.utils.translation import gettext
from openpyxl import Workbook

from core.spreadsheets import export_cell
from registry.kinds import kind_position
from surveys.counts import coverage_targets

from . import engine
from .indicators import policy_lines

FORMATS = ("csv", "xlsx", "json")
COLUMNS = (
    "code",
    "name",
    "municipality",
    "kind",
    "year",
    "status",
    "respondents",
    *engine.FIGURES,
    "rank",
    "low_sample",
)
TEXT_COLUMNS = ("code", "name", "municipality", "kind", "status")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
RESULT_FIELDS = (
    "code",
    "name",
    "municipality_name",
    "kind",
    "year",
    "status",
    "respondents",
    *engine.FIGURES,
    "rank",
    "low_sample",
)
POLICIES_SHEET = "Методика"


def rows(results):
    """One dict per result in export column order; figures stay Decimal (or None). Kind by
    kind, since ``rank`` is the rank within the kind."""
    ordered = results.order_by(kind_position(), "-status", "rank", "name", "code")
    for values in ordered.values_list(*RESULT_FIELDS):
        row = dict(zip(COLUMNS, values, strict=True))
        for column in TEXT_COLUMNS:
            row[column] = export_cell(row[column])
        yield row


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_csv(results):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows(results):
        writer.writerow([_text(row[column]) for column in COLUMNS])
    return buffer.getvalue().encode("utf-8")


def export_xlsx(results, title="Рейтинг", revision=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(COLUMNS))
    for row in rows(results):
        # Figures go in as numbers; openpyxl writes a Decimal as a number cell, exactly.
        sheet.append([row[column] for column in COLUMNS])
    if revision is not None:
        methodology = workbook.create_sheet(title=POLICIES_SHEET)
        methodology.append([gettext("Правило"), gettext("Значение")])
        for line in policy_lines(revision.applied_policies):
            methodology.append([export_cell(line.label), export_cell(line.value)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def json_row(row):
    return {
        column: (
            None
            if row[column] is None
            else str(row[column])
            if column in engine.FIGURES
            else row[column]
        )
        for column in COLUMNS
    }


def export_json(results, revision=None):
    document = {
        "columns": list(COLUMNS),
        "results": [json_row(row) for row in rows(results)],
    }
    if revision is not None:
        policies = revision.applied_policies
        document = {
            "year": revision.year,
            "revision": revision.number,
            "published_at": revision.published_at.isoformat() if revision.published_at else None,
            "methodology": policies.methodology_code,
            "denominator_policy": policies.denominator,
            "min_respondents": policies.min_respondents,
            "min_respondents_mode": policies.min_respondents_mode,
            "zero_denominator_policy": policies.zero_denominator,
            "rounding_policy": policies.rounding,
            # Each respondent group's own target (surveys' groups of the version).
            "coverage_targets": [
                {"kind": target.kind, "group": target.audience, "percent": target.percent}
                for target in coverage_targets(policies.methodology_code)
            ],
            **document,
        }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def export(results, fmt, revision=None):
    if fmt == "csv":
        return export_csv(results)
    if fmt == "xlsx":
        return export_xlsx(
            results, title=f"Рейтинг {revision.year}" if revision else "Рейтинг", revision=revision
        )
    if fmt == "json":
        return export_json(results, revision)
    raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}")
