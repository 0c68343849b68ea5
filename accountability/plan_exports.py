"""Exports of the improvement plans: the year's open data (approved plans only, a row per
measure) and the founders' dashboard (a row per assessed organisation).

Text cells go through ``core.spreadsheets.export_cell`` (formula prefixes escaped, control
characters dropped; security.md cases 8 and 38); dates stay dates in XLSX and are ISO text
in CSV and JSON. CSV is UTF-8 with a BOM, so that Excel shows the Cyrillic.
"""

import csv
import io
import json

from openpyxl import Workbook

from core.spreadsheets import export_cell

from .plans import measure_status

FORMATS = ("csv", "xlsx", "json")
DASHBOARD_FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
MEASURE_COLUMNS = (
    "code",
    "name",
    "municipality",
    "kind",
    "year",
    "criterion",
    "shortcoming",
    "measure",
    "planned_date",
    "responsible",
    "position",
    "done_text",
    "done_date",
    "status",
)
DASHBOARD_COLUMNS = (
    "code",
    "name",
    "municipality",
    "kind",
    "year",
    "plan_status",
    "measures",
    "done",
    "overdue",
    "share_done",
)


def measure_rows(plans, today=None):
    """One dict per measure of ``plans`` (approved plans: callers pass ``public_plans``)."""
    for plan in plans:
        organisation = plan.organisation
        for measure in plan.measures.all():
            yield {
                "code": organisation.code,
                "name": organisation.name,
                "municipality": organisation.municipality.name,
                "kind": organisation.kind,
                "year": plan.year,
                "criterion": measure.get_criterion_display(),
                "shortcoming": measure.shortcoming_text,
                "measure": measure.measure,
                "planned_date": measure.planned_date,
                "responsible": measure.responsible_name,
                "position": measure.responsible_position,
                "done_text": measure.done_text,
                "done_date": measure.done_date,
                "status": measure_status(measure, today),
            }


def dashboard_rows(stats, year):
    for row in stats["rows"]:
        organisation = row.organisation
        yield {
            "code": organisation.code,
            "name": organisation.name,
            "municipality": organisation.municipality.name,
            "kind": organisation.kind,
            "year": year,
            "plan_status": row.status,
            "measures": row.measures,
            "done": row.done,
            "overdue": row.overdue,
            "share_done": row.share_done,
        }


def _safe(row):
    return {column: export_cell(value) for column, value in row.items()}


def _text(value):
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def to_csv(rows, columns):
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        row = _safe(row)
        writer.writerow([_text(row[column]) for column in columns])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(rows, columns, title):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(columns))
    for row in rows:
        row = _safe(row)
        sheet.append([row[column] for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_json(rows, columns, **header):
    document = {
        **header,
        "columns": list(columns),
        "rows": [
            {
                column: None if row[column] is None else _json_value(row[column])
                for column in columns
            }
            for row in (_safe(row) for row in rows)
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def export_measures(plans, fmt, year, today=None):
    rows = measure_rows(plans, today)
    if fmt == "csv":
        return to_csv(rows, MEASURE_COLUMNS)
    if fmt == "xlsx":
        return to_xlsx(rows, MEASURE_COLUMNS, f"Планы {year}")
    if fmt == "json":
        return to_json(rows, MEASURE_COLUMNS, year=year)
    raise ValueError(f"Unknown export format {fmt!r}; expected one of {FORMATS}")


def export_dashboard(stats, fmt, year):
    rows = dashboard_rows(stats, year)
    if fmt == "csv":
        return to_csv(rows, DASHBOARD_COLUMNS)
    if fmt == "xlsx":
        return to_xlsx(rows, DASHBOARD_COLUMNS, f"Планы {year}")
    raise ValueError(f"Unknown export format {fmt!r}; expected one of {DASHBOARD_FORMATS}")
